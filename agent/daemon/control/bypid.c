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
#include <sys/syscall.h>

#include "../../../common/fdclose.h"
#include "../../../common/log.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../owners/pidfd.h"


/* struct bypid_creds from /proc/PID: 0 or a negative errno. */
static int proc_creds(pid_t pid, struct bypid_creds *c)
{
	char path[64], line[256];
	struct stat st;
	int err = -EIO;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st))
		return errno == ENOENT ? -ESRCH : -errno;
	c->dir_owner = st.st_uid;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %lu %lu %lu %lu", &c->uid[0], &c->uid[1], &c->uid[2],
			   &c->uid[3]) == 4) {
			err = 0;
			break;
		}
	fclose(f);
	return err;
}

static int open_pidfd(pid_t pid, char *why, size_t len)
{
	int pidfd = sys_pidfd_open(pid), err;

	if (pidfd >= 0)
		return pidfd;
	err = -errno;
	snprintf(why, len, err == -ESRCH ? "no process %d" :
		 err == -ENOSYS ? "this kernel has no pidfd_open (Linux 5.3+)" :
		 "pidfd_open(%d): %s", (int)pid, strerror(-err));
	return err;
}

/* pidfd_getfd on a pidfd the caller holds; closes it. */
static int getfd_close(int pidfd, pid_t pid, int fd, char *why, size_t len)
{
	int copy = sys_pidfd_getfd(pidfd, fd), err = copy < 0 ? -errno : 0;

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

/* Shared with adoption, which has no asker: the privilege check is the
 * kernel's (pidfd_getfd needs the right to ptrace pid). */
int agent_take_fd(pid_t pid, int fd, char *why, size_t len)
{
	int pidfd = open_pidfd(pid, why, len);

	return pidfd < 0 ? pidfd : getfd_close(pidfd, pid, fd, why, len);
}

/* As ptrace would allow it: a set-user-ID program its user started (uids
 * 1000 0 0 0) is not that user's to hand over. */
int bypid_may_act(uid_t asker, pid_t pid, const struct bypid_creds *c, char *why, size_t len)
{
	if (asker == 0)
		return 0;
	for (int i = 0; i < 4; i++)
		if (c->uid[i] != asker) {
			snprintf(why, len, "process %d runs with uids %lu %lu %lu %lu (real, "
				 "effective, saved, fs): only root or a process all of whose "
				 "uids are yours (%lu) may be asked for", (int)pid, c->uid[0],
				 c->uid[1], c->uid[2], c->uid[3], (unsigned long)asker);
			return -EPERM;
		}
	if (c->dir_owner != asker) {
		snprintf(why, len, "process %d is not dumpable (a set-user-ID program, or "
			 "PR_SET_DUMPABLE 0): only root may ask for its descriptors", (int)pid);
		return -EPERM;
	}
	return 0;
}

/* The daemon's copy of PID's descriptor fd, for asker.  The pidfd comes
 * first and its process is checked alive after /proc was read: a pid that
 * exited and was reused meanwhile fails there, so what was checked is the
 * process whose descriptor is taken. */
static int take_fd(uid_t asker, pid_t pid, int fd, char *why, size_t len)
{
	struct bypid_creds c;
	int pidfd = open_pidfd(pid, why, len), err;

	if (pidfd < 0)
		return pidfd;
	err = proc_creds(pid, &c);
	if (!err && sys_pidfd_alive(pidfd))
		err = -errno;
	if (err) {
		close(pidfd);
		snprintf(why, len, err == -ESRCH ? "no process %d" :
			 "cannot read /proc/%d: %s", (int)pid, strerror(-err));
		return err;
	}
	err = bypid_may_act(asker, pid, &c, why, len);
	if (err) {
		close(pidfd);
		return err;
	}
	return getfd_close(pidfd, pid, fd, why, len);
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

	if (copy < 0) {
		log_warn("asconfctl release %d %d (uid %lu): %s", (int)pid, fd,
			 (unsigned long)uid, why);
		return copy;
	}
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
