// SPDX-License-Identifier: GPL-2.0-or-later
/* The configuration file.  libinih splits "key = value" lines; everything
 * it would otherwise accept beyond the documented syntax (';' comments,
 * inline comments, indented continuation lines, "key: value") is refused
 * here, line by line, before inih sees it, so the file means exactly what
 * asconfd.conf(5) says or the daemon does not start. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/un.h>
#include <ini.h>

#include "../../../sctp/policy.h"
#include "config.h"
#include "../../proto/ctlmsg.h"

enum key {
	/* [asconfd] */
	K_CONTROL, K_GROUP, K_MODE, K_RCVBUF, K_LEVEL,
	K_MAX_CLIENTS, K_MAX_PER_CLIENT, K_MAX_SOCKETS,
	K_MAX_CLIENTS_USER, K_MAX_SOCKETS_USER, K_IDLE_TIMEOUT, K_REPLY_TIMEOUT,
	K_MONITOR_GROUP,
	/* [policy NAME] */
	K_INTERFACES, K_EXCLUDE, K_PREFER, K_FAMILIES, K_LINK_LOCAL,
	K_DEPRECATED, K_TEMPORARY, K_DOWN_LINKS, K_HOLD_DOWN,
	K_ADOPT_PORTS, K_ADOPT_COMMANDS, K_NARROW, K_NARROW_EMPTY,
	K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"control", "control-group", "control-mode", "netlink-rcvbuf", "log-level",
	"max-clients", "max-sockets-per-client", "max-sockets",
	"max-clients-per-user", "max-sockets-per-user", "client-idle-timeout",
	"client-reply-timeout", "monitor-group",
	"interfaces", "exclude", "prefer", "families", "link-local",
	"deprecated", "temporary", "keep-down-links", "hold-down",
	"adopt-ports", "adopt-commands", "narrow-wildcard", "narrow-empty",
};
#define FIRST_POLICY_KEY K_INTERFACES

static const char *const level_names[] = {
	[LOG_ERR] = "error", [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

#define MAX_HOLD_DOWN_MS 3600000u
#define MAX_POLICY_NAME CONFIG_POLICY_NAME_MAX

/* Where a section's keys go, and which it has seen (for duplicates). */
struct section {
	bool asconfd;                   /* else a policy */
	struct policy *pol;
	size_t pol_index;
	unsigned int line[K_COUNT];     /* where each key was set, 0 = not yet */
};

/* A policy key's value, the last file's: policies are built once every
 * file is read, so a drop-in's "interfaces = eth1" replaces the main
 * file's list instead of adding to it. */
struct pval {
	char *value;                    /* NULL: not set */
	const char *path;
	unsigned int line;
};

struct parse {
	const char *path;
	const char *option;             /* the command line's, while applying it */
	FILE *f;
	char *buf;                      /* getline's */
	size_t cap;
	unsigned int lineno;
	struct config *cfg;
	struct section cur;
	bool in_section;
	unsigned int asconfd_line;      /* [asconfd] seen at */
	unsigned int *policy_line;      /* per cfg->policies[i]; 0 = not in this file */
	struct pval (*pv)[K_COUNT];     /* per cfg->policies[i] */
	unsigned int cli_keys;          /* bits: [asconfd] keys the command line set */
	unsigned int cli_policy_keys;   /* bits: [policy default] keys it set */
	struct policy *scratch;         /* takes file values the command line overrides */
	char err[512];
};

static void fail(struct parse *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct parse *ps, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (ps->err[0])
		return;         /* the first error is the one to fix */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->option)
		snprintf(ps->err, sizeof(ps->err), "option %s: %s", ps->option, msg);
	else
		snprintf(ps->err, sizeof(ps->err), "%s:%u: %s", ps->path, ps->lineno, msg);
}

const char *config_level_name(int level)
{
	if (level >= 0 && level < (int)(sizeof(level_names) / sizeof(level_names[0])) &&
	    level_names[level])
		return level_names[level];
	return "?";
}

/* --- values --------------------------------------------------------------- */

static int parse_uint(const char *v, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	*out = strtoul(v, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -EINVAL;
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(v, yes[i]))
			return *out = true, 0;
		if (!strcmp(v, no[i]))
			return *out = false, 0;
	}
	return -EINVAL;
}

/* A hint for the usual mistake of a comment after a value. */
static const char *comment_hint(const char *v)
{
	return strchr(v, '#') ? " (comments are whole lines starting with '#')" : "";
}

/* Space-separated globs, each passed to add(); an empty list is allowed. */
static int parse_globs(struct parse *ps, const char *key, const char *v, struct policy *p,
		       int (*add)(struct policy *, const char *))
{
	char *copy = strdup(v), *save = NULL, *g;
	int err = copy ? 0 : -ENOMEM;

	for (g = copy ? strtok_r(copy, " \t", &save) : NULL; g && !err;
	     g = strtok_r(NULL, " \t", &save)) {
		/* Interface names hold neither '/' nor ':' (dev_valid_name). */
		if (strpbrk(g, "/:#")) {
			fail(ps, "%s: '%s' cannot match an interface name%s", key, g,
			     comment_hint(g));
			err = -EINVAL;
		} else if ((err = add(p, g))) {
			fail(ps, "%s: bad interface pattern '%s'", key, g);
		}
	}
	free(copy);
	return err;
}

static int parse_families(struct parse *ps, const char *v, struct policy *p)
{
	char *copy = strdup(v), *save = NULL, *w;
	bool v4 = false, v6 = false;
	int err = copy ? 0 : -ENOMEM;

	for (w = copy ? strtok_r(copy, " \t", &save) : NULL; w && !err;
	     w = strtok_r(NULL, " \t", &save)) {
		bool *f = !strcmp(w, "ipv4") ? &v4 : !strcmp(w, "ipv6") ? &v6 : NULL;

		if (!f) {
			fail(ps, "families: '%s' is not ipv4 or ipv6%s", w, comment_hint(w));
			err = -EINVAL;
		} else if (*f) {
			fail(ps, "families: '%s' given twice", w);
			err = -EINVAL;
		}
		if (f)
			*f = true;
	}
	if (!err && !v4 && !v6) {
		fail(ps, "families: want ipv4, ipv6 or both");
		err = -EINVAL;
	}
	if (!err)
		policy_set_families(p, v4, v6);
	free(copy);
	return err;
}

/* adopt-ports: space-separated port numbers, each once. */
static int parse_adopt_ports(struct parse *ps, const char *v, struct policy *p)
{
	char *copy = strdup(v), *save = NULL, *w;
	unsigned long n;
	int err = copy ? 0 : -ENOMEM;

	for (w = copy ? strtok_r(copy, " \t", &save) : NULL; w && !err;
	     w = strtok_r(NULL, " \t", &save)) {
		if (parse_uint(w, 1, 65535, &n)) {
			fail(ps, "adopt-ports: want port numbers from 1 to 65535, not '%s'%s", w,
			     comment_hint(w));
			err = -EINVAL;
		} else if ((err = policy_adopt_port(p, (uint16_t)n)) == -EEXIST) {
			fail(ps, "adopt-ports: port %lu given twice", n);
			err = -EINVAL;
		}
	}
	free(copy);
	return err;
}

/* adopt-commands: space-separated globs on /proc/PID/comm (at most 15
 * characters: a longer pattern without '*' could never match). */
static int parse_adopt_commands(struct parse *ps, const char *v, struct policy *p)
{
	char *copy = strdup(v), *save = NULL, *g;
	int err = copy ? 0 : -ENOMEM;

	for (g = copy ? strtok_r(copy, " \t", &save) : NULL; g && !err;
	     g = strtok_r(NULL, " \t", &save)) {
		if (*g == '#') {
			fail(ps, "adopt-commands: '%s'%s", g, comment_hint(g));
			err = -EINVAL;
		} else if (strlen(g) > 15 && !strchr(g, '*')) {
			fail(ps, "adopt-commands: '%s' can never match: the kernel keeps 15 "
			     "characters of a command name", g);
			err = -EINVAL;
		} else if ((err = policy_adopt_command(p, g))) {
			fail(ps, "adopt-commands: bad pattern '%s'", g);
		}
	}
	free(copy);
	return err;
}

static int parse_group(struct parse *ps, const char *key, const char *v, gid_t *gid)
{
	unsigned long n;
	struct group gr, *res = NULL;
	char buf[4096];
	int err;

	if (isdigit((unsigned char)*v)) {
		if (parse_uint(v, 0, (gid_t)-2, &n)) {
			fail(ps, "%s: bad group id '%s'%s", key, v, comment_hint(v));
			return -EINVAL;
		}
		*gid = (gid_t)n;
		return 0;
	}
	err = getgrnam_r(v, &gr, buf, sizeof(buf), &res);
	if (err || !res) {
		fail(ps, "%s: no group named '%s'%s%s", key, v,
		     err ? ": " : "", err ? strerror(err) : comment_hint(v));
		return -ENOENT;
	}
	*gid = res->gr_gid;
	return 0;
}

static int set_asconfd(struct parse *ps, struct config *c, enum key k, const char *v)
{
	unsigned long n;
	char *end;

	switch (k) {
	case K_CONTROL:
		if (v[0] != '/' || strlen(v) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			fail(ps, "control: want an absolute path shorter than %zu bytes, not '%s'",
			     sizeof(((struct sockaddr_un *)0)->sun_path), v);
			return -EINVAL;
		}
		free(c->control);
		c->control = strdup(v);
		return c->control ? 0 : -ENOMEM;
	case K_GROUP:
		c->has_group = true;
		return parse_group(ps, key_names[k], v, &c->group);
	case K_MONITOR_GROUP:
		c->has_monitor = true;
		return parse_group(ps, key_names[k], v, &c->monitor_group);
	case K_MODE:
		errno = 0;
		n = strtoul(v, &end, 8);
		if (!isdigit((unsigned char)*v) || errno || *end || n > 0777) {
			fail(ps, "control-mode: want an octal mode up to 0777, not '%s'%s", v,
			     comment_hint(v));
			return -EINVAL;
		}
		c->mode = (mode_t)n;
		return 0;
	case K_RCVBUF:
		if (parse_uint(v, 4096, INT_MAX, &n)) {
			fail(ps, "netlink-rcvbuf: want a byte count from 4096 to %d, not '%s'%s",
			     INT_MAX, v, comment_hint(v));
			return -EINVAL;
		}
		c->rcvbuf = (int)n;
		return 0;
	case K_LEVEL:
		for (int l = 0; l < (int)(sizeof(level_names) / sizeof(level_names[0])); l++)
			if (level_names[l] && !strcmp(v, level_names[l])) {
				c->log_level = l;
				return 0;
			}
		fail(ps, "log-level: want error, warning, notice, info or debug, not '%s'%s",
		     v, comment_hint(v));
		return -EINVAL;
	case K_MAX_CLIENTS:
	case K_MAX_PER_CLIENT:
	case K_MAX_SOCKETS:
	case K_MAX_CLIENTS_USER:
	case K_MAX_SOCKETS_USER:
		if (parse_uint(v, 1, 1000000, &n)) {
			fail(ps, "%s: want a number from 1 to 1000000, not '%s'%s",
			     key_names[k], v, comment_hint(v));
			return -EINVAL;
		}
		*(k == K_MAX_CLIENTS ? &c->max_clients : k == K_MAX_PER_CLIENT ?
		  &c->max_sockets_per_client : k == K_MAX_SOCKETS ? &c->max_sockets :
		  k == K_MAX_CLIENTS_USER ? &c->max_clients_per_user :
		  &c->max_sockets_per_user) = (unsigned int)n;
		return 0;
	case K_IDLE_TIMEOUT:
	case K_REPLY_TIMEOUT:
		if (parse_uint(v, 0, 3600, &n)) {
			fail(ps, "%s: want seconds from 0 (never) to 3600, not '%s'%s",
			     key_names[k], v, comment_hint(v));
			return -EINVAL;
		}
		*(k == K_IDLE_TIMEOUT ? &c->client_idle_timeout : &c->client_reply_timeout) =
			(unsigned int)n;
		return 0;
	default:
		return -EINVAL;
	}
}

static int set_policy(struct parse *ps, struct policy *p, enum key k, const char *v)
{
	unsigned long n;
	bool b;

	switch (k) {
	case K_INTERFACES:
		return parse_globs(ps, key_names[k], v, p, policy_allow);
	case K_EXCLUDE:
		return parse_globs(ps, key_names[k], v, p, policy_deny);
	case K_PREFER:
		return parse_globs(ps, key_names[k], v, p, policy_prefer);
	case K_FAMILIES:
		return parse_families(ps, v, p);
	case K_ADOPT_PORTS:
		return parse_adopt_ports(ps, v, p);
	case K_ADOPT_COMMANDS:
		return parse_adopt_commands(ps, v, p);
	case K_HOLD_DOWN:
		if (parse_uint(v, 0, MAX_HOLD_DOWN_MS, &n)) {
			fail(ps, "hold-down: want milliseconds from 0 to %u, not '%s'%s",
			     MAX_HOLD_DOWN_MS, v, comment_hint(v));
			return -EINVAL;
		}
		policy_set_hold_down(p, (unsigned int)n);
		return 0;
	case K_NARROW_EMPTY:
		if (strcmp(v, "fail") && strcmp(v, "wildcard")) {
			fail(ps, "narrow-empty: want fail or wildcard, not '%s'%s", v,
			     comment_hint(v));
			return -EINVAL;
		}
		policy_set_narrow_empty(p, v[0] == 'f' ? POLICY_EMPTY_FAIL :
					POLICY_EMPTY_WILDCARD);
		return 0;
	default:
		break;
	}
	if (parse_bool(v, &b)) {
		fail(ps, "%s: want yes or no, not '%s'%s", key_names[k], v, comment_hint(v));
		return -EINVAL;
	}
	if (k == K_LINK_LOCAL)
		policy_set_link_local(p, b);
	else if (k == K_DEPRECATED)
		policy_set_deprecated(p, b);
	else if (k == K_TEMPORARY)
		policy_set_temporary(p, b);
	else if (k == K_NARROW)
		policy_set_narrow(p, b);
	else
		policy_set_down_links(p, b);
	return 0;
}

static int find_key(const char *name, bool policy)
{
	for (int k = policy ? FIRST_POLICY_KEY : 0; k < (policy ? K_COUNT : FIRST_POLICY_KEY); k++)
		if (!strcmp(name, key_names[k]))
			return k;
	return -1;
}

static void known_keys(bool policy, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int k = policy ? FIRST_POLICY_KEY : 0; k < (policy ? K_COUNT : FIRST_POLICY_KEY); k++)
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s",
					off ? ", " : "", key_names[k]);
}

/* --- sections and lines ----------------------------------------------------- */

static int add_policy(struct config *c, const char *name, struct policy **out)
{
	struct policy **v = reallocarray(c->policies, c->npolicies + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->policies = v;
	v[c->npolicies] = policy_new(name);
	if (!v[c->npolicies])
		return -ENOMEM;
	*out = v[c->npolicies++];
	return 0;
}

static bool valid_policy_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > MAX_POLICY_NAME)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

/* "[asconfd]" or "[policy NAME]", already stripped of its brackets. */
static int start_section(struct parse *ps, const char *name)
{
	struct config *c = ps->cfg;
	unsigned int *lines;
	size_t i;

	memset(&ps->cur, 0, sizeof(ps->cur));
	ps->in_section = false;
	if (!strcmp(name, "asconfd")) {
		if (ps->asconfd_line) {
			fail(ps, "duplicate section [asconfd] (first at line %u)", ps->asconfd_line);
			return -EINVAL;
		}
		ps->asconfd_line = ps->lineno;
		ps->cur.asconfd = true;
		ps->in_section = true;
		return 0;
	}
	if (strncmp(name, "policy ", 7) || !valid_policy_name(name + 7)) {
		fail(ps, "unknown section [%s] (want [asconfd] or [policy NAME], NAME of "
		     "letters, digits, '-', '_', '.', at most %d)", name, MAX_POLICY_NAME);
		return -EINVAL;
	}
	name += 7;
	for (i = 0; i < c->npolicies; i++)
		if (!strcmp(policy_name(c->policies[i]), name))
			break;
	if (i < c->npolicies && ps->policy_line[i]) {
		fail(ps, "duplicate section [policy %s] (first at line %u)", name,
		     ps->policy_line[i]);
		return -EINVAL;
	}
	if (i == c->npolicies) {
		struct pval (*pv)[K_COUNT];

		lines = reallocarray(ps->policy_line, c->npolicies + 1, sizeof(*lines));
		if (!lines)
			return -ENOMEM;
		ps->policy_line = lines;
		pv = reallocarray(ps->pv, c->npolicies + 1, sizeof(*pv));
		if (!pv)
			return -ENOMEM;
		ps->pv = pv;
		memset(pv[c->npolicies], 0, sizeof(pv[c->npolicies]));
		if (add_policy(c, name, &ps->cur.pol))
			return -ENOMEM;
	}
	ps->policy_line[i] = ps->lineno;
	ps->cur.pol = c->policies[i];
	ps->cur.pol_index = i;
	ps->in_section = true;
	return 0;
}

static int handle(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	struct section *s = &ps->cur;
	char known[256];
	unsigned int cli;
	int k;

	(void)section;          /* tracked in start_section, with its line */
	if (ps->err[0])
		return 0;
	if (!ps->in_section) {
		fail(ps, "'%s' is outside a section (start with [asconfd] or [policy NAME])",
		     name);
		return 0;
	}
	k = find_key(name, !s->asconfd);
	if (k < 0) {
		known_keys(!s->asconfd, known, sizeof(known));
		fail(ps, "unknown key '%s' in [%s%s] (known: %s)", name,
		     s->asconfd ? "asconfd" : "policy ", s->asconfd ? "" : policy_name(s->pol),
		     known);
		return 0;
	}
	if (s->line[k]) {
		fail(ps, "duplicate key '%s' (first at line %u)", name, s->line[k]);
		return 0;
	}
	s->line[k] = ps->lineno;
	if (!*value && k != K_INTERFACES && k != K_EXCLUDE && k != K_PREFER) {
		fail(ps, "%s: empty value", name);
		return 0;
	}
	/* A key the command line set is still checked, into a scratch copy. */
	if (s->asconfd) {
		struct config scratch = { 0 };
		bool cli = ps->cli_keys & (1u << k);
		int err = set_asconfd(ps, cli ? &scratch : ps->cfg, (enum key)k, value);

		free(scratch.control);
		return !err;
	}
	/* Checked now, where its line is; applied once every file is read. */
	cli = s->pol == ps->cfg->policies[0] ? ps->cli_policy_keys : 0;
	{
		struct policy *check = policy_new("check");
		struct pval *v = &ps->pv[s->pol_index][k];
		char *copy;
		int err = check ? set_policy(ps, check, (enum key)k, value) : -ENOMEM;

		policy_free(check);
		if (err || (cli & (1u << k)))
			return !err;
		copy = strdup(value);
		if (!copy)
			return 0;
		free(v->value);
		*v = (struct pval){ copy, ps->path, ps->lineno };
	}
	return 1;
}

/* The policies from the values the files left, in key order. */
static int build_policies(struct parse *ps)
{
	for (size_t i = 0; i < ps->cfg->npolicies; i++)
		for (int k = FIRST_POLICY_KEY; k < K_COUNT; k++) {
			const struct pval *v = &ps->pv[i][k];
			int err;

			if (!v->value)
				continue;
			ps->path = v->path;
			ps->lineno = v->line;
			err = set_policy(ps, ps->cfg->policies[i], (enum key)k, v->value);
			if (err)
				return err;
		}
	return 0;
}

/* inih's reader: one line of the file, or NULL to stop.  The syntax inih
 * would accept but asconfd.conf(5) does not is refused here. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	ssize_t n;
	char *s, *e;

	if (ps->err[0])
		return NULL;
	n = getline(&ps->buf, &ps->cap, ps->f);
	if (n < 0)
		return NULL;
	ps->lineno++;
	while (n && (ps->buf[n - 1] == '\n' || ps->buf[n - 1] == '\r'))
		ps->buf[--n] = '\0';
	if (memchr(ps->buf, '\0', (size_t)n)) {
		fail(ps, "a NUL byte (is this a text file?)");
		return NULL;
	}
	/* Leading blanks would make inih read a continuation line. */
	for (s = ps->buf; *s == ' ' || *s == '\t'; s++)
		;
	if (ps->lineno == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	if (strlen(s) + 2 > (size_t)num) {
		fail(ps, "line longer than %d characters", num - 2);
		return NULL;
	}
	if (*s == '#' || !*s) {
		str[0] = '\0';
		return str;
	}
	if (strchr(s, ';')) {
		fail(ps, "';' is not allowed (comments are whole lines starting with '#')");
		return NULL;
	}
	if (*s == '[') {
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e - s < 2 || e[-1] != ']' || memchr(s + 1, ']', (size_t)(e - s - 2))) {
			fail(ps, "bad section header (want [asconfd] or [policy NAME])");
			return NULL;
		}
		*--e = '\0';
		if (start_section(ps, s + 1))
			return NULL;
		snprintf(str, (size_t)num, "[%s]", s + 1);
		return str;
	}
	e = strchr(s, '=');
	if (!e || (strchr(s, ':') && strchr(s, ':') < e) || e == s) {
		fail(ps, "want KEY = VALUE, [SECTION] or a comment line starting with '#'");
		return NULL;
	}
	snprintf(str, (size_t)num, "%s", s);
	return str;
}

/* --- loading ------------------------------------------------------------------ */

static struct config *config_defaults(void)
{
	struct config *c = calloc(1, sizeof(*c));
	struct policy *p;

	if (!c)
		return NULL;
	c->control = strdup(CTLMSG_DEFAULT_PATH);
	c->mode = 0660;
	c->rcvbuf = 4 << 20;
	c->log_level = LOG_INFO;
	c->max_clients = 1024;
	c->max_sockets_per_client = 4096;
	c->max_sockets = 16384;
	/* Defaults: see asconfd.conf(5) for why. */
	c->max_clients_per_user = 256;
	c->max_sockets_per_user = 8192;
	c->client_idle_timeout = 10;
	c->client_reply_timeout = 60;
	if (!c->control || add_policy(c, CONFIG_DEFAULT_POLICY, &p)) {
		config_free(c);
		return NULL;
	}
	return c;
}

/* The command line first: it marks the keys the file may not change. */
static int apply_cli(struct parse *ps, const struct config_cli *cli)
{
	for (size_t i = 0; cli && i < cli->n; i++) {
		const struct config_arg *a = &cli->v[i];
		int k = find_key(a->key, a->policy), err;

		if (k < 0)
			return -EINVAL;
		ps->option = a->option;
		err = a->policy ? set_policy(ps, ps->cfg->policies[0], (enum key)k, a->value)
				: set_asconfd(ps, ps->cfg, (enum key)k, a->value);
		ps->option = NULL;
		if (err)
			return err;
		if (a->policy)
			ps->cli_policy_keys |= 1u << k;
		else
			ps->cli_keys |= 1u << k;
	}
	return 0;
}

/* One file into ps: 0 or -errno with the reason in ps->err. */
static int parse_file(struct parse *ps, FILE *f, const char *path)
{
	int ret;

	ps->path = path;
	ps->f = f;
	ps->lineno = 0;
	ps->in_section = false;
	ps->asconfd_line = 0;
	memset(ps->policy_line, 0, ps->cfg->npolicies * sizeof(*ps->policy_line));
	ret = ini_parse_stream(read_line, ps, handle, ps);
	if (ferror(f) && !ps->err[0])
		snprintf(ps->err, sizeof(ps->err), "%s: read error", path);
	if (ps->err[0] || ret) {
		if (!ps->err[0] && ret == -2)
			snprintf(ps->err, sizeof(ps->err), "out of memory reading %s", path);
		else if (!ps->err[0])
			snprintf(ps->err, sizeof(ps->err), "%s:%d: syntax error (want [SECTION], "
				 "KEY = VALUE or a comment line starting with '#')", path, ret);
		return -EINVAL;
	}
	return 0;
}

static int dropin_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

/* PATH.d/\*.conf, in the order of their names (strcmp: the daemon's
 * locale is C), each a file of its own. */
static int parse_dropins(struct parse *ps, const char *path, char ***names, size_t *nnames)
{
	struct dirent **ents = NULL;
	char *dir = NULL;
	int n, err = 0;

	if (asprintf(&dir, "%s.d", path) < 0)
		return -ENOMEM;
	n = scandir(dir, &ents, dropin_filter, alphasort);
	if (n < 0) {
		err = errno == ENOENT ? 0 : -errno;
		if (err)
			snprintf(ps->err, sizeof(ps->err), "cannot read %s: %s", dir, strerror(-err));
		free(dir);
		return err;
	}
	*names = calloc((size_t)n + 1, sizeof(**names));
	for (int i = 0; i < n; i++) {
		char *file = NULL;
		FILE *f;

		if (!err && (!*names || asprintf(&file, "%s/%s", dir, ents[i]->d_name) < 0))
			err = -ENOMEM;
		if (!err) {
			(*names)[(*nnames)++] = file;
			f = fopen(file, "re");
			if (!f) {
				err = -errno;
				snprintf(ps->err, sizeof(ps->err), "cannot read %s: %s", file,
					 strerror(-err));
			} else {
				err = parse_file(ps, f, file);
				fclose(f);
			}
		}
		free(ents[i]);
	}
	free(ents);
	free(dir);
	return err;
}

/* f: the open file, or NULL and open_err (-errno) when it could not be
 * opened.  The caller closes f.  With dropins, PATH.d/\*.conf follow. */
static int load(FILE *f, int open_err, const char *path, bool required, bool dropins,
		const struct config_cli *cli, struct config **out, char *why, size_t len)
{
	struct parse ps = { .path = "command line" };
	char **names = NULL;
	size_t nnames = 0;
	int err = 0;

	*out = NULL;
	snprintf(why, len, "%s", "");
	ps.cfg = config_defaults();
	ps.policy_line = calloc(1, sizeof(*ps.policy_line));
	ps.pv = calloc(1, sizeof(*ps.pv));
	ps.scratch = policy_new("scratch");
	if (!ps.cfg || !ps.policy_line || !ps.pv || !ps.scratch) {
		err = -ENOMEM;
		goto out;
	}
	err = apply_cli(&ps, cli);
	if (err)
		goto out;
	ps.path = path;
	if (!f) {
		err = open_err;
		if (err == -ENOENT && !required)
			err = 0;
		else
			snprintf(ps.err, sizeof(ps.err), "cannot read %s: %s", path, strerror(-err));
	} else {
		err = parse_file(&ps, f, path);
	}
	if (!err && dropins)
		err = parse_dropins(&ps, path, &names, &nnames);
	if (!err && !ps.err[0])
		err = build_policies(&ps);
out:
	if (!err && ps.err[0])
		err = -EINVAL;
	if (err == -ENOMEM && !ps.err[0])
		snprintf(ps.err, sizeof(ps.err), "out of memory");
	free(ps.buf);
	for (size_t i = 0; ps.pv && ps.cfg && i < ps.cfg->npolicies; i++)
		for (int k = 0; k < K_COUNT; k++)
			free(ps.pv[i][k].value);
	free(ps.pv);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(ps.policy_line);
	policy_free(ps.scratch);
	if (err) {
		snprintf(why, len, "%s", ps.err);
		config_free(ps.cfg);
		return err;
	}
	*out = ps.cfg;
	return 0;
}

int config_load(const char *path, bool required, const struct config_cli *cli,
		struct config **out, char *why, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = load(f, f ? 0 : -errno, path, required, true, cli, out, why, len);

	if (f)
		fclose(f);
	return err;
}

int config_load_stream(FILE *f, const char *name, const struct config_cli *cli,
		       struct config **out, char *why, size_t len)
{
	return load(f, -EBADF, name, true, false, cli, out, why, len);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->npolicies; i++)
		policy_free(c->policies[i]);
	free(c->policies);
	free(c->control);
	free(c);
}

int config_cli_set(struct config_cli *cli, const char *option, bool policy,
		   const char *key, const char *value, bool append)
{
	struct config_arg *a = NULL, *v;
	char *s;

	for (size_t i = 0; i < cli->n; i++)
		if (cli->v[i].policy == policy && !strcmp(cli->v[i].key, key))
			a = &cli->v[i];
	if (a && append) {
		if (asprintf(&s, "%s %s", a->value, value) < 0)
			return -ENOMEM;
	} else if (!(s = strdup(value))) {
		return -ENOMEM;
	}
	if (!a) {
		v = reallocarray(cli->v, cli->n + 1, sizeof(*v));
		if (!v) {
			free(s);
			return -ENOMEM;
		}
		cli->v = v;
		a = &v[cli->n++];
		a->value = NULL;
	}
	free(a->value);
	a->option = option;
	a->policy = policy;
	a->key = key;
	a->value = s;
	return 0;
}

void config_cli_free(struct config_cli *cli)
{
	for (size_t i = 0; i < cli->n; i++)
		free(cli->v[i].value);
	free(cli->v);
	cli->v = NULL;
	cli->n = 0;
}

size_t config_policy_count(const struct config *c)
{
	return c->npolicies;
}

struct policy *config_policy_at(const struct config *c, size_t i)
{
	return i < c->npolicies ? c->policies[i] : NULL;
}

struct policy *config_policy_find(const struct config *c, const char *name)
{
	if (!name || !*name)
		name = CONFIG_DEFAULT_POLICY;
	for (size_t i = 0; i < c->npolicies; i++)
		if (!strcmp(policy_name(c->policies[i]), name))
			return c->policies[i];
	return NULL;
}

void config_policy_names(const struct config *c, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < c->npolicies && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
					policy_name(c->policies[i]));
}

unsigned int config_max_hold_down(const struct config *c)
{
	unsigned int m = 0;

	for (size_t i = 0; i < c->npolicies; i++)
		if (policy_hold_down(c->policies[i]) > m)
			m = policy_hold_down(c->policies[i]);
	return m;
}
