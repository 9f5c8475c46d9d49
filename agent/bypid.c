// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl manage|release PID FD: a socket of a running program that knows
 * nothing of asconfd.  The daemon takes its own copy with pidfd_getfd,
 * which needs the right to ptrace PID; the asker must be root or PID's
 * user, so the control socket's group gives no power over other users'
 * programs.  The owner recorded is PID: its exit releases the socket. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../common/fdclose.h"
#include "../common/log.h"
#include "../sctp/msock.h"
#include "../sctp/registry.h"
#include "agent.h"
#include "pidfd.h"

/* The real uid of pid from /proc/PID/status: 0 or a negative errno. */
static int proc_uid(pid_t pid, uid_t *uid)
{
	char path[64], line[256];
	unsigned long u;
	int err = -EIO;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %lu", &u) == 1) {
			*uid = (uid_t)u;
			err = 0;
			break;
		}
	fclose(f);
	return err;
}

/* Shared with adoption, which has no asker: the privilege check is the
 * kernel's (pidfd_getfd needs the right to ptrace pid). */
int agent_take_fd(pid_t pid, int fd, char *why, size_t len)
{
	int pidfd, copy, err;

	pidfd = sys_pidfd_open(pid);
	if (pidfd < 0) {
		err = -errno;
		snprintf(why, len, err == -ESRCH ? "no process %d" :
			 err == -ENOSYS ? "this kernel has no pidfd_open (Linux 5.3+)" :
			 "pidfd_open(%d): %s", (int)pid, strerror(-err));
		return err;
	}
	copy = sys_pidfd_getfd(pidfd, fd);
	err = copy < 0 ? -errno : 0;
	close(pidfd);
	if (err == -EBADF)
		snprintf(why, len, "process %d has no descriptor %d", (int)pid, fd);
	else if (err == -EPERM)
		snprintf(why, len, "asconfd may not take descriptors of process %d "
			 "(pidfd_getfd needs CAP_SYS_PTRACE over it)", (int)pid);
	else if (err == -ENOSYS)
		snprintf(why, len, "this kernel has no pidfd_getfd (Linux 5.6+)");
	else if (err)
		snprintf(why, len, "pidfd_getfd(%d, %d): %s", (int)pid, fd, strerror(-err));
	return err ? err : copy;
}

/* The daemon's copy of PID's descriptor fd, for asker: root or PID's user. */
static int take_fd(uid_t asker, pid_t pid, int fd, char *why, size_t len)
{
	uid_t owner;
	int err;

	err = proc_uid(pid, &owner);
	if (err) {
		snprintf(why, len, err == -ESRCH ? "no process %d" : "cannot read /proc/%d/status: %s",
			 (int)pid, strerror(-err));
		return err;
	}
	if (asker != 0 && asker != owner) {
		snprintf(why, len, "process %d belongs to uid %lu: only it or root may ask",
			 (int)pid, (unsigned long)owner);
		return -EPERM;
	}
	return agent_take_fd(pid, fd, why, len);
}

int agent_manage_pid(void *ctx, uid_t uid, pid_t pid, int fd, const char *policy,
		     unsigned int *id, char *why, size_t len)
{
	int copy = take_fd(uid, pid, fd, why, len), err;

	if (copy < 0) {
		log_warn("asconfctl manage %d %d (uid %lu): %s", (int)pid, fd,
			 (unsigned long)uid, why);
		return copy;
	}
	err = agent_manage_fd(ctx, -1, pid, copy, fd, policy, false, id, why, len);
	if (!err)
		log_info("socket %u: pid %d descriptor %d, asked by uid %lu", *id, (int)pid,
			 fd, (unsigned long)uid);
	return err;
}

int agent_release_pid(void *ctx, uid_t uid, pid_t pid, int fd, char *why, size_t len)
{
	struct agent *ag = ctx;
	struct reg_entry *e;
	struct stat st;
	uint64_t cookie;
	int copy = take_fd(uid, pid, fd, why, len);

	if (copy < 0)
		return copy;
	if (fstat(copy, &st)) {
		snprintf(why, len, "cannot inspect the socket: %s", strerror(errno));
		fdclose_foreign(copy);
		return -EBADF;
	}
	cookie = msock_fd_cookie(copy);
	fdclose_foreign(copy);
	e = registry_find(ag->reg, st.st_ino, cookie);
	if (!e) {
		snprintf(why, len, "descriptor %d of process %d is not managed", fd, (int)pid);
		return -ENOENT;
	}
	log_info("socket %u: released (pid %d descriptor %d, asked by uid %lu)", e->id,
		 (int)pid, fd, (unsigned long)uid);
	registry_remove_inode(ag->reg, st.st_ino, cookie);
	agent_registry_changed(ag);
	return 0;
}
