/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state file: which sockets were managed, so that a restarted daemon
 * can take them again.  Text, one socket a line:
 *     asconfd-state 1
 *     PID FD INODE POLICY [adopted] [cookie=COOKIE]
 * FD is the owner's descriptor number, INODE the socket's inode and
 * COOKIE its SO_COOKIE (to tell a reused pid or descriptor: the inode
 * alone can name another socket once sockfs's 32-bit counter wrapped;
 * there is no cookie before Linux 4.12), POLICY a policy name; "adopted"
 * when the daemon found the socket itself (adopt-ports, adopt-commands).
 * The flags come in any order.  The header stays 1: files without a
 * cookie still load, and a daemon that predates a flag skips those lines
 * as bad and keeps the others (the applications hand those sockets over
 * again, its own adoption finds the adopted ones). */
#ifndef ASCONF_AGENT_STATE_H
#define ASCONF_AGENT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A policy name as long as the configuration allows (CONFIG_POLICY_NAME_MAX,
 * 64) and its NUL: a shorter field cut 64-character names, and those
 * sockets were dropped at restart. */
#define STATE_POLICY_MAX 65

struct state_entry {
	pid_t pid;
	int fd;
	unsigned long long ino;
	char policy[STATE_POLICY_MAX];
	bool adopted;
	unsigned long long cookie;      /* SO_COOKIE, 0: not known */
};

/* Writes the entries to path atomically (temporary file, rename).
 * 0 or a negative errno. */
int state_write(const char *path, const struct state_entry *v, size_t n);

/* How long after a write the next may come, given that the write took
 * write_ms: at least STATE_MIN_INTERVAL_MS, and long enough that writing
 * the file takes at most a tenth of the daemon's time in a burst. */
#define STATE_MIN_INTERVAL_MS 100
unsigned int state_interval_ms(unsigned int write_ms);

/* Parses a state file's text.  A bad header makes the whole text invalid
 * (-EINVAL); a bad line is skipped.  *out (caller frees) gets the good
 * entries; *bad the number of lines skipped; why the first problem with
 * its line number.  0 or a negative errno. */
int state_parse(const char *text, size_t len, struct state_entry **out, size_t *n,
		size_t *bad, char *why, size_t wlen);

/* Reads and parses path; -ENOENT when there is none.  Only a regular file
 * owned by root or the daemon's user is read: a symbolic link (-ELOOP),
 * a FIFO or device (-EINVAL, opened without blocking, never read) or
 * another user's file (-EPERM) is refused with the reason in why. */
int state_read(const char *path, struct state_entry **out, size_t *n,
	       size_t *bad, char *why, size_t wlen);

#endif
