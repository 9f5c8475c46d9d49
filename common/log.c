// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static bool use_syslog;
static int level_max = LOG_INFO;
static const char *ident = "asconfd";

void log_open(const char *name, bool to_syslog, int max_level)
{
	ident = name;
	use_syslog = to_syslog;
	level_max = max_level;
	if (use_syslog)
		openlog(name, LOG_PID, LOG_DAEMON);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > level_max)
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		fprintf(stderr, "%s: ", ident);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

bool log_limit_ok(struct log_limit *l, unsigned long *held)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (l->last && now.tv_sec - l->last < l->interval) {
		l->suppressed++;
		return false;
	}
	l->last = now.tv_sec ? now.tv_sec : 1;
	*held = l->suppressed;
	l->suppressed = 0;
	return true;
}
