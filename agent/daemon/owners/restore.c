// SPDX-License-Identifier: GPL-2.0-or-later
/* Start-up after a restart: the sockets a previous daemon managed are taken
 * again from their owners with pidfd_getfd (Linux 5.6), each kept only if
 * the owner's descriptor still is the same socket (inode and cookie).  What cannot be
 * taken waits for its application to hand it over again (libasconf does so
 * when it reconnects).  Nothing here is fatal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/stat.h>

#include "../../../common/fdclose.h"
#include "../../../common/log.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "orphan.h"
#include "pidfd.h"
#include "state.h"

/* The socket of one entry, or with the reason logged: -1 when it could
 * not be taken (it waits for its application: agent_untaken), -2 when
 * its owner or its socket is gone. */
static int take(const struct state_entry *e)
{
	unsigned long long cookie;
	struct stat st;
	int pidfd, fd, err;

	pidfd = sys_pidfd_open(e->pid);
	if (pidfd < 0) {
		if (errno == ESRCH) {
			log_info("state: pid %d has exited: its socket (inode %llu) is not "
				 "taken again", (int)e->pid, e->ino);
			return -2;
		}
		else
			log_warn("state: pid %d: pidfd_open: %m%s", (int)e->pid,
				 errno == ENOSYS ? " (Linux 5.3+): waiting for the application "
				 "to hand its socket over again" : "");
		return -1;
	}
	fd = sys_pidfd_getfd(pidfd, e->fd);
	err = errno;
	close(pidfd);
	if (fd < 0) {
		if (err == EBADF) {
			log_info("state: pid %d no longer has descriptor %d: socket inode %llu "
				 "is not taken again", (int)e->pid, e->fd, e->ino);
			return -2;
		}
		else
			log_warn("state: pid %d descriptor %d: pidfd_getfd: %s%s", (int)e->pid,
				 e->fd, strerror(err),
				 err == ENOSYS ? " (Linux 5.6+): waiting for the application to "
				 "hand its socket over again" :
				 err == EPERM ? " (needs CAP_SYS_PTRACE over the process): waiting "
				 "for the application to hand its socket over again" : "");
		return -1;
	}
	if (fstat(fd, &st) || (unsigned long long)st.st_ino != e->ino) {
		log_info("state: pid %d descriptor %d is not the socket that was managed "
			 "(inode %llu, now %llu): pid or descriptor reused, ignored",
			 (int)e->pid, e->fd, e->ino, (unsigned long long)st.st_ino);
		fdclose_foreign(fd);
		return -2;
	}
	/* The inode can match another socket (sockfs's counter wraps at 32
	 * bits); the cookie cannot.  A file without one (written before
	 * Linux 4.12 or by an older daemon) has the inode alone. */
	cookie = msock_fd_cookie(fd);
	if (e->cookie && cookie != e->cookie) {
		log_info("state: pid %d descriptor %d is not the socket that was managed "
			 "(inode %llu, cookie %llu, now %llu): not the same socket, ignored",
			 (int)e->pid, e->fd, e->ino, e->cookie, (unsigned long long)cookie);
		fdclose_foreign(fd);
		return -2;
	}
	return fd;
}

/* Kept for the check and the metrics: a socket that is not followed. */
static void untaken_add(struct agent *ag, const struct state_entry *e)
{
	struct state_entry *v = reallocarray(ag->untaken, ag->nuntaken + 1, sizeof(*v));

	if (!v)
		return;
	ag->untaken = v;
	v[ag->nuntaken++] = *e;
}

size_t agent_untaken(struct agent *ag)
{
	struct orphan_scan *scan = ag->nuntaken ? orphan_scan_new() : NULL;
	size_t k = 0;

	for (size_t i = 0; i < ag->nuntaken; i++) {
		const struct state_entry *e = &ag->untaken[i];

		/* Handed over again, or its owner exited or closed it. */
		if (registry_find(ag->reg, (ino_t)e->ino, e->cookie) ||
		    (kill(e->pid, 0) && errno == ESRCH) ||
		    (scan && !orphan_held(scan, e->pid, (ino_t)e->ino)))
			continue;
		ag->untaken[k++] = *e;
	}
	orphan_scan_free(scan);
	ag->nuntaken = k;
	if (!k) {
		free(ag->untaken);
		ag->untaken = NULL;
	}
	return k;
}

void agent_untaken_free(struct agent *ag)
{
	free(ag->untaken);
	ag->untaken = NULL;
	ag->nuntaken = 0;
}

void agent_restore(struct agent *ag)
{
	struct state_entry *v;
	size_t n, bad, k = 0;
	char why[256] = "";
	int err;

	if (!ag->state_path)
		return;
	err = state_read(ag->state_path, &v, &n, &bad, why, sizeof(why));
	if (err == -ENOENT)
		return;
	/* An error: no socket is taken again.  The daemon still starts (the
	 * applications hand their sockets over again) and its next write
	 * replaces what is at the path (a FIFO, a corrupt file). */
	if (err) {
		log_err("state file %s ignored: %s", ag->state_path, *why ? why : strerror(-err));
		return;
	}
	if (bad)
		log_warn("state file %s: %zu bad line(s) ignored, the first: %s",
			 ag->state_path, bad, why);
	for (size_t i = 0; i < n; i++) {
		const struct policy *p = agent_policy(ag, v[i].policy);
		struct reg_entry *e;
		struct msock *s;
		unsigned int id;
		int fd;

		if (!p) {
			log_warn("state: pid %d descriptor %d: policy '%s' no longer exists: "
				 "not taken again", (int)v[i].pid, v[i].fd, v[i].policy);
			untaken_add(ag, &v[i]);
			continue;
		}
		fd = take(&v[i]);
		if (fd == -1)
			untaken_add(ag, &v[i]);
		if (fd < 0)
			continue;
		if (msock_open(fd, &s, why, sizeof(why))) {
			log_warn("state: pid %d descriptor %d refused: %s", (int)v[i].pid,
				 v[i].fd, why);
			fdclose_foreign(fd);
			untaken_add(ag, &v[i]);
			continue;
		}
		if (registry_add(ag->reg, s, -1, v[i].pid, p, &id)) {
			msock_free(s);  /* listed twice, or out of memory */
			continue;
		}
		e = registry_find(ag->reg, msock_inode(s), msock_cookie(s));
		e->appfd = v[i].fd;
		e->adopted = v[i].adopted;
		log_info("socket %u: taken again from pid %d descriptor %d (inode %llu, "
			 "policy %s%s)", id, (int)v[i].pid, v[i].fd, v[i].ino, v[i].policy,
			 v[i].adopted ? ", adopted" : "");
		k++;
	}
	free(v);
	log_info("state file %s: %zu of %zu socket(s) managed again", ag->state_path, k, n);
	/* Rewritten at once: what could not be taken is forgotten. */
	agent_registry_changed(ag);
	ag->dirty = true;
}
