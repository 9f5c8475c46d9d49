// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "log.h"

static bool use_syslog, journal;
static int level_max = LOG_INFO;
static const char *ident = "asconfd";

/* systemd sets JOURNAL_STREAM=dev:ino for the stream it connected to
 * stdout/stderr; when stderr is still that stream, journald reads a "<N>"
 * prefix as the line's priority and adds the identifier itself. */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2)
		return false;
	return !fstat(2, &st) && st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

void log_open(const char *name, bool to_syslog, int max_level)
{
	ident = name;
	use_syslog = to_syslog;
	level_max = max_level;
	journal = !to_syslog && stderr_is_journal();
	if (use_syslog)
		openlog(name, LOG_PID, LOG_DAEMON);
}

void log_set_level(int max_level)
{
	level_max = max_level;
}

void log_msg(int level, const char *fmt, ...)
{
	int saved = errno;      /* for %m, and for the caller */
	va_list ap;

	if (level > level_max)
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		if (journal)
			fprintf(stderr, "<%d>", level);
		else
			fprintf(stderr, "%s: ", ident);
		errno = saved;
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
	errno = saved;
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
