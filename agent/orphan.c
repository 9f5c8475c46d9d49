// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orphan.h"

struct proc_fds {
	pid_t pid;
	bool unknown;           /* unreadable: assume everything is held */
	ino_t *ino;             /* sorted */
	size_t n;
};

struct orphan_scan {
	struct proc_fds *p;
	size_t n;
};

struct orphan_scan *orphan_scan_new(void)
{
	return calloc(1, sizeof(struct orphan_scan));
}

void orphan_scan_free(struct orphan_scan *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->p[i].ino);
	free(s->p);
	free(s);
}

static int cmp_ino(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return x < y ? -1 : x > y;
}

/* Fills f with the socket inodes of pid; gone processes hold nothing. */
static void scan(struct proc_fds *f)
{
	char dir[64], path[320], link[64];
	unsigned long ino;
	struct dirent *d;
	size_t cap = 0;
	DIR *fds;
	ssize_t n;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)f->pid);
	fds = opendir(dir);
	if (!fds) {
		/* Gone only if the kernel says so: /proc mounted with hidepid
		 * hides live processes behind ENOENT too. */
		f->unknown = (errno != ENOENT && errno != ESRCH) ||
			     !kill(f->pid, 0) || errno != ESRCH;
		return;
	}
	while ((d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		/* Without CAP_SYS_PTRACE over the owner (a root process under
		 * a reduced capability set) the links cannot be read: that
		 * says nothing about what it holds. */
		if (n < 0 && errno != ENOENT) {
			f->unknown = true;
			break;
		}
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		if (f->n == cap) {
			ino_t *v = reallocarray(f->ino, cap ? cap * 2 : 64, sizeof(*v));

			if (!v) {
				f->unknown = true;
				break;
			}
			f->ino = v;
			cap = cap ? cap * 2 : 64;
		}
		f->ino[f->n++] = (ino_t)ino;
	}
	closedir(fds);
	if (f->n)
		qsort(f->ino, f->n, sizeof(*f->ino), cmp_ino);
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
	return f->unknown || (f->n && bsearch(&ino, f->ino, f->n, sizeof(ino), cmp_ino));
}
