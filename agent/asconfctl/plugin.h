/* SPDX-License-Identifier: GPL-2.0-or-later */
/* asconfctl check as a monitoring plugin (Monitoring Plugins development
 * guidelines): the daemon's STATUS CHECK line parsed back into its counts,
 * the operator's thresholds applied to them, and the line printed with
 * perfdata.  Pure functions, so the exit codes are unit-tested. */
#ifndef ASCONF_CTL_PLUGIN_H
#define ASCONF_CTL_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

/* Plugin exit codes. */
enum { PLUGIN_OK, PLUGIN_WARNING, PLUGIN_CRITICAL, PLUGIN_UNKNOWN };

/* A threshold range: "N" (alert outside 0..N), "N:" (below N), "~:N"
 * (above N), "N:M" (outside N..M), any of them after '@' (alert inside). */
struct plugin_range {
	bool set;
	bool inside;            /* '@' */
	bool has_lo, has_hi;    /* "~" or an empty end: unbounded */
	double lo, hi;
	char text[32];          /* as given, for the perfdata */
};

/* 0, or -EINVAL for text that is not a range. */
int plugin_range_parse(const char *text, struct plugin_range *r);
/* Does v raise the alert of r?  Never for an unset range. */
bool plugin_range_alert(const struct plugin_range *r, double v);

/* The counts of STATUS CHECK's perfdata.  PC_FIRST_PROBLEM..PC_LAST_PROBLEM
 * are problems: failed addresses, peers not told, sockets not taken back
 * after a restart, sockets only the daemon still held (released).  The
 * last, unknown (associations whose peer the kernel cannot say is told:
 * before Linux 5.4), is not: no threshold applies to it. */
enum {
	PC_SOCKETS, PC_BOUND, PC_ASSOC, PC_FAILED, PC_UNTOLD, PC_UNTAKEN, PC_ORPHANS,
	PC_UNKNOWN, PC_COUNT
};
extern const char *const plugin_count_names[PC_COUNT];
#define PC_FIRST_PROBLEM PC_FAILED
#define PC_LAST_PROBLEM PC_ORPHANS

struct plugin_counts {
	unsigned long v[PC_COUNT];
};

/* Parses "ASCONFD WORD - TEXT | k=v k=v...": TEXT into text (without
 * the perfdata), the counts into c; a count the daemon did not send
 * (an older daemon) is 0, but sockets= is required.  0 or -EINVAL. */
int plugin_parse(const char *line, char *text, size_t len, struct plugin_counts *c);

struct plugin_opts {
	unsigned long min_sockets;      /* CRITICAL when fewer; 0: none */
	struct plugin_range warn, crit; /* on each problem count */
};

/* The state for the counts, and why when it is not what the daemon's
 * text says already (a threshold crossed: "fewer than 1 socket(s)"). */
int plugin_eval(const struct plugin_counts *c, const struct plugin_opts *o, char *why,
		size_t len);

/* The perfdata, "sockets=3;;1:;0; bound=..." (label=value;warn;crit;min;). */
void plugin_perfdata(const struct plugin_counts *c, const struct plugin_opts *o, char *buf,
		     size_t len);

#endif
