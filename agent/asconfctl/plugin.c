// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

const char *const plugin_count_names[PC_COUNT] = {
	"sockets", "bound", "associations", "failed", "untold", "untaken", "orphans", "unknown",
};

/* A number, all of s. */
static int number(const char *s, double *v)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	return errno || *end || isnan(*v) || isinf(*v) ? -EINVAL : 0;
}

int plugin_range_parse(const char *text, struct plugin_range *r)
{
	char buf[sizeof(r->text)], *colon, *lo, *hi;

	memset(r, 0, sizeof(*r));
	if (!text || !*text || strlen(text) >= sizeof(buf))
		return -EINVAL;
	snprintf(r->text, sizeof(r->text), "%s", text);
	snprintf(buf, sizeof(buf), "%s", text);
	lo = buf;
	if (*lo == '@') {
		r->inside = true;
		lo++;
	}
	colon = strchr(lo, ':');
	if (colon) {
		*colon = '\0';
		hi = colon + 1;
		if (strcmp(lo, "~")) {
			if (number(lo, &r->lo))
				return -EINVAL;
			r->has_lo = true;
		}
	} else {
		hi = lo;
		r->has_lo = true;       /* "N" is "0:N" */
		r->lo = 0;
	}
	if (*hi) {
		if (number(hi, &r->hi))
			return -EINVAL;
		r->has_hi = true;
	} else if (!colon) {
		return -EINVAL;
	}
	if (r->has_lo && r->has_hi && r->lo > r->hi)
		return -EINVAL;
	r->set = true;
	return 0;
}

bool plugin_range_alert(const struct plugin_range *r, double v)
{
	bool in;

	if (!r->set)
		return false;
	in = (!r->has_lo || v >= r->lo) && (!r->has_hi || v <= r->hi);
	return r->inside ? in : !in;
}

int plugin_parse(const char *line, char *text, size_t len, struct plugin_counts *c)
{
	const char *dash, *bar, *p;
	bool sockets = false;

	memset(c, 0, sizeof(*c));
	if (strncmp(line, "ASCONFD ", 8) || !(dash = strstr(line, " - ")) ||
	    !(bar = strstr(dash, " | ")))
		return -EINVAL;
	snprintf(text, len, "%.*s", (int)(bar - dash - 3), dash + 3);
	for (p = bar + 3; *p;) {
		size_t n = strcspn(p, "= \n");
		unsigned long v;
		char *end;

		if (p[n] != '=')
			return -EINVAL;
		errno = 0;
		v = strtoul(p + n + 1, &end, 10);
		if (errno || end == p + n + 1 || (*end && *end != ' ' && *end != '\n' &&
						  *end != ';'))
			return -EINVAL;
		for (int k = 0; k < PC_COUNT; k++)
			if (strlen(plugin_count_names[k]) == n &&
			    !strncmp(p, plugin_count_names[k], n)) {
				c->v[k] = v;
				sockets |= k == PC_SOCKETS;
			}
		p = end + strcspn(end, " \n");
		p += strspn(p, " \n");
	}
	return sockets ? 0 : -EINVAL;
}

static size_t put(char *buf, size_t len, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static size_t put(char *buf, size_t len, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (off >= len)
		return off;
	va_start(ap, fmt);
	n = vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
	return n < 0 ? off : off + (size_t)n;
}

int plugin_eval(const struct plugin_counts *c, const struct plugin_opts *o, char *why,
		size_t len)
{
	int state = PLUGIN_OK;
	size_t off = 0;

	if (len)
		why[0] = '\0';
	if (o->min_sockets && c->v[PC_SOCKETS] < o->min_sockets) {
		off = put(why, len, off, "fewer than %lu socket(s) managed (--min-sockets)",
			  o->min_sockets);
		state = PLUGIN_CRITICAL;
	}
	for (int k = PC_FIRST_PROBLEM; k <= PC_LAST_PROBLEM; k++) {
		int s = plugin_range_alert(&o->crit, (double)c->v[k]) ? PLUGIN_CRITICAL :
			plugin_range_alert(&o->warn, (double)c->v[k]) ? PLUGIN_WARNING : PLUGIN_OK;

		if (s == PLUGIN_OK)
			continue;
		/* Said only when a threshold other than the default decided. */
		if (s == PLUGIN_CRITICAL || strcmp(o->warn.text, "0"))
			off = put(why, len, off, "%s%s=%lu outside %s %s", off ? ", " : "",
				  plugin_count_names[k], c->v[k], s == PLUGIN_CRITICAL ? "-c" : "-w",
				  s == PLUGIN_CRITICAL ? o->crit.text : o->warn.text);
		if (s > state)
			state = s;
	}
	return state;
}

void plugin_perfdata(const struct plugin_counts *c, const struct plugin_opts *o, char *buf,
		     size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (int k = 0; k < PC_COUNT; k++) {
		off = put(buf, len, off, "%s%s=%lu;", k ? " " : "", plugin_count_names[k], c->v[k]);
		if (k == PC_SOCKETS)
			off = o->min_sockets ? put(buf, len, off, ";%lu:", o->min_sockets) :
					       put(buf, len, off, ";");
		else if (k >= PC_FIRST_PROBLEM && k <= PC_LAST_PROBLEM)
			off = put(buf, len, off, "%s;%s", o->warn.set ? o->warn.text : "",
				  o->crit.set ? o->crit.text : "");
		else
			off = put(buf, len, off, ";");
		off = put(buf, len, off, ";0;");
	}
}
