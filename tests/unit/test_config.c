// SPDX-License-Identifier: GPL-2.0-or-later
/* The configuration file: every key, every class of error with FILE:LINE,
 * the command line over the file, and the shipped example. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <grp.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "../../agent/daemon/config/config.h"
#include "../../sctp/policy.h"

static char dir[] = "/tmp/test_config.XXXXXX";
static char path[sizeof(dir) + 32];
static char why[512];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/asconfd.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static struct config *load(const char *text, const struct config_cli *cli)
{
	struct config *c = NULL;

	write_file(text);
	if (config_load(path, true, cli, &c, why, sizeof(why))) {
		fail_msg("config_load: %s", why);
		return NULL;
	}
	return c;
}

/* Refused, and the reason starts with FILE:LINE: and has want in it. */
static void refused_with(const char *text, const struct config_cli *cli, unsigned int line,
			 const char *want)
{
	struct config *c = NULL;
	char where[sizeof(path) + 16];

	write_file(text);
	if (!config_load(path, true, cli, &c, why, sizeof(why))) {
		config_free(c);
		fail_msg("accepted: %s", text);
	}
	assert_null(c);
	snprintf(where, sizeof(where), "%s:%u: ", path, line);
	if (strncmp(why, where, strlen(where)) || !strstr(why, want))
		fail_msg("want '%s...%s', got '%s'", where, want, why);
}

static void refused(const char *text, unsigned int line, const char *want)
{
	refused_with(text, NULL, line, want);
}

static struct host_addr addr(const char *s, uint32_t flags, int scope)
{
	struct host_addr a = { .ifindex = 1, .flags = flags, .scope = (uint8_t)scope };

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, a.a.raw), 1);
	return a;
}

static const struct host_link up = { .ifindex = 1, .name = "eth1", .flags = IFF_UP | IFF_RUNNING | IFF_LOWER_UP };
static const struct host_link down = { .ifindex = 1, .name = "eth1", .flags = IFF_UP };

static void the_issue_example(void **state)
{
	struct config *c;
	struct policy *d, *dia;
	struct host_addr ll = addr("fe80::1", 0, RT_SCOPE_LINK);
	struct host_addr dep = addr("2001:db8::1", IFA_F_DEPRECATED, RT_SCOPE_UNIVERSE);
	struct host_addr tmp = addr("2001:db8::2", IFA_F_TEMPORARY, RT_SCOPE_UNIVERSE);
	struct host_addr v4 = addr("192.0.2.1", 0, RT_SCOPE_UNIVERSE);
	char names[64];

	(void)state;
	c = load("[asconfd]\n"
		 "control = /run/asconfd/control.sock\n"
		 "# group allowed to connect (name or gid), and the socket's mode\n"
		 "control-group = 0\n"
		 "control-mode = 0660\n"
		 "netlink-rcvbuf = 4194304\n"
		 "# error, warning, notice, info, debug\n"
		 "log-level = info\n"
		 "\n"
		 "# used when a client names no policy\n"
		 "[policy default]\n"
		 "# globs, space separated; prefer: peer primary steering, in order\n"
		 "interfaces = eth1 eth2 bond*\n"
		 "exclude = eth9\n"
		 "prefer = eth1\n"
		 "families = ipv4 ipv6\n"
		 "link-local = no\n"
		 "deprecated = no\n"
		 "temporary = yes\n"
		 "keep-down-links = no\n"
		 "# ms: an address added and removed again within it is never announced\n"
		 "hold-down = 0\n"
		 "\n"
		 "[policy diameter]\n"
		 "interfaces = eth1 eth3\n", NULL);
	assert_non_null(c);
	assert_string_equal(c->control, "/run/asconfd/control.sock");
	assert_true(c->has_group);
	assert_int_equal(c->group, 0);
	assert_int_equal(c->mode, 0660);
	assert_int_equal(c->rcvbuf, 4194304);
	assert_int_equal(c->log_level, LOG_INFO);
	assert_int_equal(config_policy_count(c), 2);
	d = config_policy_find(c, NULL);
	dia = config_policy_find(c, "diameter");
	assert_ptr_equal(d, config_policy_at(c, 0));
	assert_ptr_equal(dia, config_policy_at(c, 1));
	assert_null(config_policy_find(c, "nope"));
	config_policy_names(c, names, sizeof(names));
	assert_string_equal(names, "default, diameter");
	assert_true(policy_iface_selected(d, "eth2"));
	assert_true(policy_iface_selected(d, "bond0"));
	assert_false(policy_iface_selected(d, "eth3"));
	assert_true(policy_steers(d));
	assert_false(policy_addr_usable(d, &ll, &up));
	assert_false(policy_addr_usable(d, &dep, &up));
	assert_true(policy_addr_usable(d, &tmp, &up));
	assert_false(policy_addr_usable(d, &v4, &down));
	assert_int_equal(policy_hold_down(d), 0);
	/* A section names only what differs from the built-in defaults. */
	assert_true(policy_iface_selected(dia, "eth3"));
	assert_false(policy_iface_selected(dia, "eth2"));
	assert_false(policy_steers(dia));
	config_free(c);
}

static void every_key_the_other_way(void **state)
{
	struct config *c;
	struct policy *p;
	struct host_addr ll = addr("fe80::1", 0, RT_SCOPE_LINK);
	struct host_addr dep = addr("2001:db8::1", IFA_F_DEPRECATED, RT_SCOPE_UNIVERSE);
	struct host_addr tmp = addr("2001:db8::2", IFA_F_TEMPORARY, RT_SCOPE_UNIVERSE);
	struct host_addr v4 = addr("192.0.2.1", 0, RT_SCOPE_UNIVERSE);
	struct addrtab *t = addrtab_new(NULL, NULL);
	struct host_link l = up;
	struct saddr *want;

	(void)state;
	c = load("  # indented comment\n"
		 "[asconfd]\n"
		 "  control=/tmp/x.sock\n"
		 "control-group = root\n"
		 "control-mode = 600\n"
		 "netlink-rcvbuf = 4096\n"
		 "log-level = debug\n"
		 "max-clients = 7\n"
		 "max-sockets-per-client = 8\n"
		 "max-sockets = 9\n"
		 "max-clients-per-user = 5\n"
		 "max-sockets-per-user = 6\n"
		 "client-idle-timeout = 0\n"
		 "client-reply-timeout = 3600\n"
		 "[policy v6-only_1.x]\n"
		 "interfaces =\n"
		 "families = ipv6\n"
		 "link-local = yes\n"
		 "deprecated = true\n"
		 "temporary = off\n"
		 "keep-down-links = 1\n"
		 "hold-down = 3600000\n"
		 "narrow-wildcard = no\n"
		 "narrow-empty = wildcard\n", NULL);
	assert_non_null(c);
	assert_string_equal(c->control, "/tmp/x.sock");
	assert_int_equal(c->group, 0);
	assert_int_equal(c->mode, 0600);
	assert_int_equal(c->rcvbuf, 4096);
	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_int_equal(c->max_clients, 7);
	assert_int_equal(c->max_sockets_per_client, 8);
	assert_int_equal(c->max_sockets, 9);
	assert_int_equal(c->max_clients_per_user, 5);
	assert_int_equal(c->max_sockets_per_user, 6);
	assert_int_equal(c->client_idle_timeout, 0);
	assert_int_equal(c->client_reply_timeout, 3600);
	p = config_policy_find(c, "v6-only_1.x");
	assert_non_null(p);
	assert_false(policy_follows_any(p));
	assert_true(policy_addr_usable(p, &ll, &up));
	assert_true(policy_addr_usable(p, &dep, &up));
	assert_false(policy_addr_usable(p, &tmp, &up));
	assert_true(policy_addr_usable(p, &v4, &down));
	assert_int_equal(policy_hold_down(p), 3600000);
	assert_int_equal(config_max_hold_down(c), 3600000);
	assert_false(policy_narrow(p));
	assert_int_equal(policy_narrow_empty(p), POLICY_EMPTY_WILDCARD);
	/* The defaults: narrowed, and no address fails the bind. */
	assert_true(policy_narrow(config_policy_find(c, NULL)));
	assert_int_equal(policy_narrow_empty(config_policy_find(c, NULL)), POLICY_EMPTY_FAIL);
	/* families: an IPv6 policy gives an inet6 socket no IPv4 address. */
	assert_int_equal(policy_allow(p, "eth1"), 0);
	assert_true(addrtab_link_put(t, &l) >= 0);
	v4.prefixlen = 24;
	assert_true(addrtab_addr_put(t, &v4) >= 0);
	assert_int_equal(policy_desired(p, t, AF_INET6, false, 0, &want), 0);
	free(want);
	assert_int_equal(policy_desired(config_policy_find(c, NULL), t, AF_INET6, false, 0,
					&want), 0);     /* default follows nothing */
	free(want);
	addrtab_free(t);
	config_free(c);
}

static void defaults_and_missing_files(void **state)
{
	struct config *c = NULL;
	char missing[sizeof(dir) + 16];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/none.conf", dir);
	/* The default file may be missing: built-in defaults. */
	assert_int_equal(config_load(missing, false, NULL, &c, why, sizeof(why)), 0);
	assert_non_null(c);
	assert_string_equal(c->control, "/run/asconfd/control.sock");
	assert_false(c->has_group);
	assert_int_equal(c->mode, 0660);
	assert_int_equal(c->rcvbuf, 4 << 20);
	assert_int_equal(c->log_level, LOG_INFO);
	assert_true(c->max_clients > 0 && c->max_sockets_per_client > 0 && c->max_sockets > 0);
	/* The documented defaults (asconfd.conf(5)). */
	assert_int_equal(c->max_clients_per_user, 256);
	assert_int_equal(c->max_sockets_per_user, 8192);
	assert_int_equal(c->client_idle_timeout, 10);
	assert_int_equal(c->client_reply_timeout, 60);
	assert_int_equal(config_policy_count(c), 1);
	assert_string_equal(policy_name(config_policy_at(c, 0)), "default");
	config_free(c);
	/* One named with -C may not. */
	c = NULL;
	assert_int_equal(config_load(missing, true, NULL, &c, why, sizeof(why)), -ENOENT);
	assert_null(c);
	assert_non_null(strstr(why, "cannot read"));
	assert_non_null(strstr(why, "none.conf"));
	/* An empty file is fine too. */
	c = load("", NULL);
	assert_int_equal(config_policy_count(c), 1);
	config_free(c);
}

static void errors_name_file_and_line(void **state)
{
	(void)state;
	refused("[asconfd]\n\n[bogus]\n", 3, "unknown section [bogus]");
	refused("[policy]\n", 1, "unknown section [policy]");
	refused("[policy a/b]\n", 1, "unknown section");
	refused("[asconfd\n", 1, "bad section header");
	refused("[asconfd]x\n", 1, "bad section header");
	refused("[asconfd]\ncolour = blue\n", 2, "unknown key 'colour' in [asconfd] (known: control,");
	refused("[policy p]\ncontrol = /x\n", 2, "unknown key 'control' in [policy p]");
	refused("[asconfd]\nlog-level = info\nlog-level = debug\n", 3,
		"duplicate key 'log-level' (first at line 2)");
	refused("[policy a]\n[policy b]\n[policy a]\n", 3,
		"duplicate section [policy a] (first at line 1)");
	refused("[asconfd]\n[asconfd]\n", 2, "duplicate section [asconfd] (first at line 1)");
	refused("interfaces = eth1\n", 1, "outside a section");
	refused("; comment\n", 1, "';' is not allowed");
	refused("[policy default]\ninterfaces = eth1 ; eth2\n", 2, "';' is not allowed");
	refused("[policy default]\nlink-local = no # really\n", 2,
		"comments are whole lines starting with '#'");
	refused("[asconfd]\njust words\n", 2, "want KEY = VALUE");
	refused("[asconfd]\ncontrol: /x\n", 2, "want KEY = VALUE");
	refused("[asconfd]\n= x\n", 2, "want KEY = VALUE");
	refused("[asconfd]\nlog-level =\n", 2, "log-level: empty value");
	refused("[asconfd]\ncontrol = relative.sock\n", 2, "control: want an absolute path");
	refused("[asconfd]\ncontrol-group = no-such-group-here\n", 2,
		"control-group: no group named 'no-such-group-here'");
	refused("[asconfd]\ncontrol-group = 12x\n", 2, "control-group: bad group id");
	refused("[asconfd]\ncontrol-mode = 0999\n", 2, "control-mode: want an octal mode");
	refused("[asconfd]\ncontrol-mode = 01660\n", 2, "control-mode: want an octal mode");
	refused("[asconfd]\nnetlink-rcvbuf = 12k\n", 2, "netlink-rcvbuf: want a byte count");
	refused("[asconfd]\nnetlink-rcvbuf = 100\n", 2, "netlink-rcvbuf: want a byte count");
	refused("[asconfd]\nlog-level = loud\n", 2, "log-level: want error, warning");
	refused("[asconfd]\nmax-clients = 0\n", 2, "max-clients: want a number from 1");
	refused("[asconfd]\nmax-sockets = -1\n", 2, "max-sockets: want a number");
	refused("[asconfd]\nmax-sockets-per-client = many\n", 2, "max-sockets-per-client: want");
	refused("[asconfd]\nmax-clients-per-user = 0\n", 2, "max-clients-per-user: want a number from 1");
	refused("[asconfd]\nclient-idle-timeout = 3601\n", 2,
		"client-idle-timeout: want seconds from 0 (never) to 3600");
	refused("[asconfd]\nclient-reply-timeout = 1s\n", 2, "client-reply-timeout: want seconds");
	refused("[policy x]\ninterfaces = eth1 eth/2\n", 2, "interfaces: 'eth/2' cannot match");
	refused("[policy x]\nexclude = a:b\n", 2, "exclude: 'a:b' cannot match");
	refused("[policy x]\nprefer = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		2, "prefer: bad interface pattern");
	refused("[policy x]\nfamilies = ipv5\n", 2, "families: 'ipv5' is not ipv4 or ipv6");
	refused("[policy x]\nfamilies = ipv4 ipv4\n", 2, "families: 'ipv4' given twice");
	refused("[policy x]\nlink-local = maybe\n", 2, "link-local: want yes or no");
	refused("[policy x]\ndeprecated = 2\n", 2, "deprecated: want yes or no");
	refused("[policy x]\ntemporary = Yes\n", 2, "temporary: want yes or no");
	refused("[policy x]\nkeep-down-links = y\n", 2, "keep-down-links: want yes or no");
	refused("[policy x]\nhold-down = 1.5\n", 2, "hold-down: want milliseconds");
	refused("[policy x]\nnarrow-wildcard = maybe\n", 2, "narrow-wildcard: want yes or no");
	refused("[policy x]\nnarrow-empty = wait\n", 2, "narrow-empty: want fail or wildcard");
	refused("[policy x]\nhold-down = 3600001\n", 2, "hold-down: want milliseconds");
	refused("[policy x]\nhold-down = 5\n  hold-down = 6\n", 3, "duplicate key 'hold-down'");
	refused("[asconfd]\n# a\n\n[policy x]\ninterfaces = eth1\n"
		"interfaces = eth2\n", 6, "duplicate key");
}

static void long_and_binary_lines(void **state)
{
	char text[512] = "[policy x]\ninterfaces =";

	(void)state;
	while (strlen(text) < 400)
		strcat(text, " eth1");
	strcat(text, "\n");
	refused(text, 2, "line longer than");
	{
		static const char nul[] = "[asconfd]\nlog-level = info\0x\n";
		struct config *c = NULL;
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		assert_int_equal(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(config_load(path, true, NULL, &c, why, sizeof(why)), -EINVAL);
		assert_non_null(strstr(why, ":2: a NUL byte"));
	}
}

static void command_line_wins(void **state)
{
	struct config_cli cli = { 0 };
	struct config *c;
	struct policy *d;

	(void)state;
	assert_int_equal(config_cli_set(&cli, "--interface", true, "interfaces", "c1", true), 0);
	assert_int_equal(config_cli_set(&cli, "--interface", true, "interfaces", "c2", true), 0);
	assert_int_equal(config_cli_set(&cli, "--control", false, "control", "/tmp/cli.sock",
					false), 0);
	assert_int_equal(config_cli_set(&cli, "--verbose", false, "log-level", "debug", false), 0);
	assert_int_equal(config_cli_set(&cli, "--link-local", true, "link-local", "yes", false), 0);
	c = load("[asconfd]\ncontrol = /tmp/file.sock\nlog-level = error\nmax-clients = 3\n"
		 "[policy default]\ninterfaces = eth1\nlink-local = no\nhold-down = 10\n", &cli);
	assert_non_null(c);
	assert_string_equal(c->control, "/tmp/cli.sock");
	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_int_equal(c->max_clients, 3);            /* not on the command line */
	d = config_policy_find(c, "default");
	assert_true(policy_iface_selected(d, "c1"));
	assert_true(policy_iface_selected(d, "c2"));
	assert_false(policy_iface_selected(d, "eth1"));
	assert_int_equal(policy_hold_down(d), 10);
	config_free(c);
	/* The file's value is still checked where the command line wins. */
	refused_with("[policy default]\ninterfaces = eth1\nlink-local = perhaps\n", &cli, 3,
		     "link-local: want yes or no");
	/* And the command line is checked, naming the option. */
	assert_int_equal(config_cli_set(&cli, "--rcvbuf", false, "netlink-rcvbuf", "1", false), 0);
	write_file("");
	c = NULL;
	assert_int_equal(config_load(path, true, &cli, &c, why, sizeof(why)), -EINVAL);
	assert_null(c);
	assert_non_null(strstr(why, "option --rcvbuf: netlink-rcvbuf: want a byte count"));
	config_cli_free(&cli);
}

/* packaging/asconfd.conf, the file installed as /etc/asconfd.conf.  Its
 * control-group is the package's group: where this machine has no such
 * group, the file must fail on that line only, and parse with it named by
 * number. */
static void shipped_file_parses(void **state)
{
	const char *shipped = SRCDIR "/packaging/asconfd.conf";
	struct config *c = NULL;
	char *text = NULL, *g, *end, *fixed, group[64];
	size_t size = 0;
	unsigned int lineno = 1;
	FILE *f;

	(void)state;
	f = fopen(shipped, "r");
	if (!f)
		skip();
	assert_true(getdelim(&text, &size, '\0', f) > 0);
	fclose(f);
	g = strstr(text, "\ncontrol-group = ");
	end = g ? strchr(g + 1, '\n') : NULL;
	if (end)
		snprintf(group, sizeof(group), "%.*s", (int)(end - g - 17), g + 17);
	if (!end || getgrnam(group)) {
		if (config_load(shipped, true, NULL, &c, why, sizeof(why)))
			fail_msg("%s", why);
	} else {
		for (char *p = text; p <= g; p++)
			lineno += *p == '\n';
		refused(text, lineno, "control-group: no group named");
		assert_true(asprintf(&fixed, "%.*s\ncontrol-group = 0%s", (int)(g - text), text,
				     end) > 0);
		c = load(fixed, NULL);
		free(fixed);
	}
	assert_non_null(c);
	assert_non_null(config_policy_find(c, "default"));
	assert_true(policy_follows_any(config_policy_find(c, "default")));
	config_free(c);
	free(text);
}

/* adopt-ports and adopt-commands: the issue's example, what they match,
 * and each bad value named with its line. */
static void adopt_keys(void **state)
{
	struct config *c;
	const struct policy *d, *dia;

	(void)state;
	c = load("[policy diameter]\n"
		 "interfaces = eth1 eth3\n"
		 "adopt-ports = 3868 5868\n"
		 "adopt-commands = freeDiameterd diameter-*\n"
		 "[policy m3ua]\n"
		 "adopt-ports = 2905\n", NULL);
	assert_non_null(c);
	d = config_policy_find(c, NULL);
	dia = config_policy_find(c, "diameter");
	assert_false(policy_adopts(d));
	assert_true(policy_adopts(dia));
	assert_true(policy_adopt_match(dia, 3868, "freeDiameterd"));
	assert_true(policy_adopt_match(dia, 5868, "diameter-proxy"));
	assert_false(policy_adopt_match(dia, 3868, "sshd"));
	assert_false(policy_adopt_match(dia, 2905, "freeDiameterd"));
	assert_true(policy_adopt_match(config_policy_find(c, "m3ua"), 2905, "anything"));
	config_free(c);

	refused("[policy a]\nadopt-ports = 3868 0\n", 2, "adopt-ports: want port numbers from 1 to 65535, not '0'");
	refused("[policy a]\nadopt-ports = 70000\n", 2, "not '70000'");
	refused("[policy a]\nadopt-ports = diameter\n", 2, "not 'diameter'");
	refused("[policy a]\n\nadopt-ports = 3868 3868\n", 3, "adopt-ports: port 3868 given twice");
	refused("[policy a]\nadopt-ports = 3868 #diameter\n", 2, "comments are whole lines");
	refused("[policy a]\nadopt-commands = averyveryverylongname\n", 2,
		"can never match: the kernel keeps 15 characters");
	refused("[policy a]\nadopt-commands = x #y\n", 2, "comments are whole lines");
	refused("[asconfd]\nadopt-ports = 3868\n", 2, "adopt-ports");
}

/* PATH.d/NAME.conf, read in name order after the main file: a later file's
 * value replaces an earlier one (a list too), sections add up, and an
 * error names the drop-in's FILE:LINE. */
static void write_at(const char *name, const char *text)
{
	char p[sizeof(path) + 64];
	FILE *f;

	snprintf(p, sizeof(p), "%s.d/%s", path, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void unlink_at(const char *name)
{
	char p[sizeof(path) + 64];

	snprintf(p, sizeof(p), "%s.d/%s", path, name);
	unlink(p);
}

static void dropins(void **state)
{
	char d[sizeof(path) + 8], where[sizeof(path) + 64];
	struct config *c = NULL;
	struct policy *p;

	(void)state;
	snprintf(d, sizeof(d), "%s.d", path);
	assert_int_equal(mkdir(d, 0755), 0);
	write_at("20-b.conf", "[policy default]\ninterfaces = eth2\nhold-down = 20\n"
		 "[asconfd]\nlog-level = debug\n");
	write_at("10-a.conf", "# first\n[policy default]\ninterfaces = eth1\nhold-down = 10\n"
		 "[policy dia]\ninterfaces = eth3\n");
	write_at("README", "not read: no .conf\n");
	write_at(".hidden.conf", "not read either\n");
	c = load("[asconfd]\nlog-level = warning\n[policy default]\ninterfaces = *\n"
		 "families = ipv4\n", NULL);
	assert_non_null(c);
	p = config_policy_find(c, NULL);
	/* 20-b after 10-a after the main file; the list replaced, not added to. */
	assert_true(policy_iface_selected(p, "eth2"));
	assert_false(policy_iface_selected(p, "eth1"));
	assert_false(policy_iface_selected(p, "eth9"));
	assert_int_equal(policy_hold_down(p), 20);
	assert_int_equal(c->log_level, LOG_DEBUG);
	/* A section of a drop-in only. */
	assert_non_null(config_policy_find(c, "dia"));
	assert_true(policy_iface_selected(config_policy_find(c, "dia"), "eth3"));
	config_free(c);

	/* The command line still wins over every file. */
	{
		struct config_cli cli = { 0 };

		assert_int_equal(config_cli_set(&cli, "--interface", true, "interfaces", "eth7",
						true), 0);
		c = load("[policy default]\ninterfaces = *\n", &cli);
		assert_non_null(c);
		assert_true(policy_iface_selected(config_policy_find(c, NULL), "eth7"));
		assert_false(policy_iface_selected(config_policy_find(c, NULL), "eth2"));
		config_free(c);
		config_cli_free(&cli);
	}

	/* An error in a drop-in: its own FILE:LINE; a key twice in one file. */
	write_at("30-c.conf", "[policy dia]\nhold-down = 5\nhold-down = 6\n");
	write_file("[policy default]\ninterfaces = *\n");
	assert_int_not_equal(config_load(path, true, NULL, &c, why, sizeof(why)), 0);
	assert_null(c);
	snprintf(where, sizeof(where), "%s.d/30-c.conf:3: duplicate key 'hold-down' (first at line 2)", path);
	assert_string_equal(why, where);
	write_at("30-c.conf", "[asconfd]\nlog-level = loud\n");
	assert_int_not_equal(config_load(path, true, NULL, &c, why, sizeof(why)), 0);
	snprintf(where, sizeof(where), "%s.d/30-c.conf:2: log-level: want", path);
	assert_int_equal(strncmp(why, where, strlen(where)), 0);
	/* A drop-in starts outside any section, whatever the file before. */
	write_at("30-c.conf", "hold-down = 5\n");
	assert_int_not_equal(config_load(path, true, NULL, &c, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "30-c.conf:1: 'hold-down' is outside a section"));
	unlink_at("30-c.conf");

	/* No main file (not required): the drop-ins still count. */
	unlink(path);
	assert_int_equal(config_load(path, false, NULL, &c, why, sizeof(why)), 0);
	assert_true(policy_iface_selected(config_policy_find(c, NULL), "eth2"));
	config_free(c);

	unlink_at("10-a.conf");
	unlink_at("20-b.conf");
	unlink_at("README");
	unlink_at(".hidden.conf");
	assert_int_equal(rmdir(d), 0);
}

/* monitor-group: none by default; a name or a gid, checked as
 * control-group is. */
static void monitor_group(void **state)
{
	struct config *c;

	(void)state;
	c = load("[asconfd]\n", NULL);
	assert_false(c->has_monitor);
	config_free(c);
	c = load("[asconfd]\nmonitor-group = 4243\n", NULL);
	assert_true(c->has_monitor);
	assert_int_equal(c->monitor_group, 4243);
	config_free(c);
	c = load("[asconfd]\nmonitor-group = root\n", NULL);
	assert_int_equal(c->monitor_group, 0);
	config_free(c);
	refused("[asconfd]\nmonitor-group = no-such-group-xyz\n", 2,
		"monitor-group: no group named 'no-such-group-xyz'");
	refused("[asconfd]\nmonitor-group = 12x\n", 2, "monitor-group: bad group id '12x'");
	refused("[asconfd]\nmonitor-group = 1\nmonitor-group = 2\n", 3,
		"duplicate key 'monitor-group'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_issue_example),
		cmocka_unit_test(every_key_the_other_way),
		cmocka_unit_test(defaults_and_missing_files),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(long_and_binary_lines),
		cmocka_unit_test(command_line_wins),
		cmocka_unit_test(shipped_file_parses),
		cmocka_unit_test(adopt_keys),
		cmocka_unit_test(dropins),
		cmocka_unit_test(monitor_group),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
