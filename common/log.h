/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One logger for every layer: stderr in the foreground (with "<N>" priority
 * prefixes when stderr is the journal's stream), syslog otherwise.  Lines
 * above max_level (LOG_ERR .. LOG_DEBUG) are dropped. */
#ifndef ASCONF_COMMON_LOG_H
#define ASCONF_COMMON_LOG_H

#include <stdbool.h>
#include <syslog.h>
#include <time.h>

void log_open(const char *ident, bool to_syslog, int max_level);
void log_set_level(int max_level);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The daemon's event loop: stderr lines are kept until log_flush (errors
 * go out at once), so a turn of the loop writes its lines in one system
 * call, off the path from an event to its bindx. */
void log_buffer(void);
void log_flush(void);

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* At most one line per interval for noise an attacker or a broken peer can
 * produce at will; the count of what was held back rides on the next line. */
struct log_limit {
	time_t interval, last;
	unsigned long suppressed;
};

/* Returns true when the caller may log now; *held gets the suppressed count. */
bool log_limit_ok(struct log_limit *l, unsigned long *held);

#endif
