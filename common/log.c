// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The event loop's buffer (log_buffer): whole lines, written to fd 2 by
 * log_flush.  Its own, not stdio's: setvbuf on a stderr already written to
 * (a start-up warning) is undefined, and glibc then mixes up the order. */
static bool buffered;
static char hold_buf[1 << 16];
static size_t nhold;

void log_buffer(void)
{
	buffered = !use_syslog;
}

static void put_fd2(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;         /* nowhere to say it */
		s += w;
		n -= (size_t)w;
	}
}

void log_flush(void)
{
	put_fd2(hold_buf, nhold);
	nhold = 0;
}

/* One line, prefix and newline included. */
static void emit(int level, const char *s, size_t n)
{
	if (!buffered) {
		fputs(s, stderr);       /* unbuffered: one write */
		return;
	}
	if (nhold + n > sizeof(hold_buf))
		log_flush();
	if (n > sizeof(hold_buf)) {
		put_fd2(s, n);
	} else {
		memcpy(hold_buf + nhold, s, n);
		nhold += n;
	}
	if (level <= LOG_ERR)
		log_flush();
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
		/* One write per line: a line in three writes cost two more
		 * system calls on a pass's path, and lines of two processes
		 * could interleave. */
		char line[1024], *msg = NULL, *big = NULL;
		va_list again;
		int p, n;

		p = journal ? snprintf(line, sizeof(line), "<%d>", level)
			    : snprintf(line, sizeof(line), "%.64s: ", ident);
		va_copy(again, ap);
		errno = saved;
		n = vsnprintf(line + p, sizeof(line) - (size_t)p - 1, fmt, ap);
		if (n < 0)
			n = snprintf(line + p, sizeof(line) - (size_t)p - 1, "(unprintable: %s)", fmt);
		if (n >= 0 && (size_t)(p + n) < sizeof(line) - 1) {
			line[p + n] = '\n';
			line[p + n + 1] = '\0';
			emit(level, line, (size_t)(p + n + 1));
		} else {
			errno = saved;
			if (vasprintf(&msg, fmt, again) < 0)
				msg = NULL;
			else if (asprintf(&big, "%.*s%s\n", p, line, msg) < 0)
				big = NULL;
			if (big)
				emit(level, big, strlen(big));
			free(msg);
			free(big);
		}
		va_end(again);
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
