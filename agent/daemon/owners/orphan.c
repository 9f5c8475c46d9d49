// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/kcmp.h>

#include "../../../common/inoset.h"
#include "../../../common/procfd.h"
#include "orphan.h"

struct proc_fds {
	pid_t pid;
	bool unknown;           /* unreadable: assume everything is held */
	struct inoset ino;      /* the socket inodes it holds */
};

struct orphan_scan {
	struct proc_fds *p;
	size_t n;
	pid_t self;             /* kcmp's first process: ours, asked once */
};

struct orphan_scan *orphan_scan_new(void)
{
	struct orphan_scan *s = calloc(1, sizeof(*s));

	if (s)
		s->self = getpid();
	return s;
}

void orphan_scan_free(struct orphan_scan *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		inoset_free(&s->p[i].ino);
	free(s->p);
	free(s);
}

/* Fills f with the socket inodes of pid; gone processes hold nothing. */
static void scan(struct proc_fds *f)
{
	int err = procfd_sockets("/proc", f->pid, &f->ino);

	/* Gone only if the kernel says so: /proc mounted with hidepid hides
	 * live processes behind ENOENT too.  Anything else unreadable (no
	 * CAP_SYS_PTRACE over the owner, no memory) says nothing about what
	 * it holds. */
	if (err == -ESRCH)
		f->unknown = !kill(f->pid, 0) || errno != ESRCH;
	else if (err)
		f->unknown = true;
}

bool orphan_held(struct orphan_scan *s, pid_t pid, ino_t ino)
{
	struct proc_fds *f = NULL, *v;

	if (!s || pid <= 0)
		return true;
	for (size_t i = 0; i < s->n && !f; i++)
		if (s->p[i].pid == pid)
			f = &s->p[i];
	if (!f) {
		v = reallocarray(s->p, s->n + 1, sizeof(*v));
		if (!v)
			return true;
		s->p = v;
		f = &s->p[s->n++];
		memset(f, 0, sizeof(*f));
		f->pid = pid;
		scan(f);
	}
	return f->unknown || inoset_has(&f->ino, ino);
}

bool orphan_held_at(struct orphan_scan *s, pid_t pid, ino_t ino, int myfd, int appfd)
{
	/* 0: the very same struct file, so the owner still holds it. */
	if (s && pid > 0 && appfd >= 0 && myfd >= 0 &&
	    syscall(SYS_kcmp, s->self, pid, KCMP_FILE, myfd, appfd) == 0)
		return true;
	return orphan_held(s, pid, ino);
}

size_t orphan_scanned(const struct orphan_scan *s)
{
	return s ? s->n : 0;
}
