/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Does a process still hold a socket?  The daemon's duplicate descriptor
 * would otherwise keep an association alive after its owner closed it. */
#ifndef ASCONF_AGENT_ORPHAN_H
#define ASCONF_AGENT_ORPHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The socket inodes a set of processes hold, read once per check so that
 * N sockets of one owner cost one scan of its /proc/PID/fd, not N. */
struct orphan_scan;

struct orphan_scan *orphan_scan_new(void);
void orphan_scan_free(struct orphan_scan *s);

/* False only when /proc/PID/fd is readable and holds no socket with inode
 * ino, or the process is gone; anything unknown counts as held. */
bool orphan_held(struct orphan_scan *s, pid_t pid, ino_t ino);

/* The same answer, asked the cheap way first: is the owner's descriptor
 * appfd (its number when it handed the socket over, -1: unknown) still
 * the open file that our descriptor myfd is?  One kcmp (Linux 3.5) per
 * socket instead of a readlink per descriptor of the owner.  When it is
 * not (closed, renumbered, reused, no kcmp), orphan_held decides. */
bool orphan_held_at(struct orphan_scan *s, pid_t pid, ino_t ino, int myfd, int appfd);

/* How many processes' descriptors the scan has read. */
size_t orphan_scanned(const struct orphan_scan *s);

#endif
