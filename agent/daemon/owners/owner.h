/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Watching the processes that own managed sockets, so that a socket is let
 * go as soon as its owner exits: one pidfd per owner pid in the daemon's
 * epoll set (Linux 5.3+), or, without pidfd_open, a timer that runs only
 * while some owner is watched. */
#ifndef ASCONF_AGENT_OWNER_H
#define ASCONF_AGENT_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct owners;

/* Registers its descriptors in epfd.  force_timer: use the fallback even
 * where pidfd_open works (tests). */
struct owners *owners_new(int epfd, bool force_timer);
void owners_free(struct owners *o);

/* Watch exactly these pids (duplicates allowed, pid <= 0 ignored): starts
 * watching new ones and stops watching those no longer listed; calls
 * gone() for a listed pid that has exited already (maybe more than once).
 * 0 or a negative errno (a pid that cannot be watched is logged and its
 * sockets are then released only with their connection or by the orphan
 * check). */
int owners_sync(struct owners *o, const pid_t *pids, size_t n,
		void (*gone)(pid_t pid, void *ctx), void *ctx);

/* Watch one more pid (a hand-over), without looking at the others: O(1)
 * per socket where owners_sync is O(sockets).  Calls gone() if it has
 * exited already.  0 or a negative errno (logged). */
int owners_add(struct owners *o, pid_t pid, void (*gone)(pid_t pid, void *ctx), void *ctx);

/* An epoll event on fd: returns false if fd is not one of ours; else calls
 * gone(pid, ctx) for each watched owner that has exited. */
bool owners_handle(struct owners *o, int fd, void (*gone)(pid_t pid, void *ctx), void *ctx);

/* True when the fallback timer is in use (for the log and the status). */
bool owners_polling(const struct owners *o);

#endif
