/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which process holds a socket, by inode: one pass over /proc/PID/fd for a
 * whole set of inodes, so that finding the owners of N sockets costs one
 * walk of the process table, not N.  sock_diag tells a socket's inode and
 * uid but not its process; adoption needs the process (its comm, and a
 * pidfd to take a copy of the descriptor).  And the other way round,
 * which sockets one process holds (the orphan check), read alike. */
#ifndef ASCONF_AGENT_PROCFD_H
#define ASCONF_AGENT_PROCFD_H

#include <stddef.h>
#include <sys/types.h>

#include "inoset.h"

struct procfd_hit {
	ino_t ino;              /* in: the socket wanted (first: inoset_cmp) */
	pid_t pid;              /* out: a process holding it, 0 if none found */
	int fd;                 /* out: its descriptor number there */
};

/* Fills pid and fd of each hit whose inode some process other than skip
 * holds (the first one found: a socket shared across fork belongs to
 * several; skip 0 skips nobody); hits are sorted by inode on return.
 * proc is "/proc" (tests may point elsewhere).
 * Processes whose fd directory cannot be read are skipped (counted in
 * *unreadable when not NULL).  Returns how many hits were found, or a
 * negative errno when proc itself cannot be read. */
int procfd_find(const char *proc, pid_t skip, struct procfd_hit *hits, size_t n,
		size_t *unreadable);

/* The socket inodes process pid holds into *out (sorted; the caller
 * frees it with inoset_free).  -ESRCH when proc has no such process (gone,
 * or hidden by hidepid), another negative errno when its descriptors
 * cannot all be read (-EACCES: no CAP_SYS_PTRACE over it); then *out is
 * empty. */
int procfd_sockets(const char *proc, pid_t pid, struct inoset *out);

/* The process's name (/proc/PID/comm, newline cut) into buf; "" if it
 * cannot be read. */
void procfd_comm(pid_t pid, char *buf, size_t len);

#endif
