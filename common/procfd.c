// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfd.h"

static int cmp_hit(const void *a, const void *b)
{
	ino_t x = ((const struct procfd_hit *)a)->ino, y = ((const struct procfd_hit *)b)->ino;

	return x < y ? -1 : x > y;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Looks through one process's descriptors; returns how many new hits. */
static size_t scan_pid(int procfd, const char *pid, struct procfd_hit *hits, size_t n,
		       size_t *unreadable)
{
	char path[300], link[64];
	struct procfd_hit key, *h;
	unsigned long ino;
	struct dirent *d;
	size_t found = 0;
	ssize_t len;
	DIR *fds;
	int dfd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(fds = fdopendir(dfd))) {
		/* Gone since the listing: nothing to see.  EACCES: not ours to
		 * see (no CAP_SYS_PTRACE): unknown, and said so. */
		if (dfd >= 0)
			close(dfd);
		else if (errno != ENOENT && errno != ESRCH && unreadable)
			(*unreadable)++;
		return 0;
	}
	while ((d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(fds), d->d_name, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "socket:[", 8) || sscanf(link + 8, "%lu]", &ino) != 1)
			continue;
		key.ino = (ino_t)ino;
		h = bsearch(&key, hits, n, sizeof(*hits), cmp_hit);
		if (!h || h->pid)
			continue;
		h->pid = (pid_t)atoi(pid);
		h->fd = atoi(d->d_name);
		found++;
	}
	closedir(fds);
	return found;
}

int procfd_find(const char *proc, pid_t skip, struct procfd_hit *hits, size_t n,
		size_t *unreadable)
{
	size_t found = 0;
	struct dirent *d;
	DIR *dir;
	int pfd;

	if (unreadable)
		*unreadable = 0;
	for (size_t i = 0; i < n; i++)
		hits[i].pid = 0, hits[i].fd = -1;
	qsort(hits, n, sizeof(*hits), cmp_hit);
	if (!n)
		return 0;
	pfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	dir = fdopendir(pfd);
	if (!dir) {
		close(pfd);
		return -errno;
	}
	while (found < n && (d = readdir(dir)))
		if (all_digits(d->d_name) && atoi(d->d_name) != skip)
			found += scan_pid(dirfd(dir), d->d_name, hits, n, unreadable);
	closedir(dir);
	return (int)found;
}

void procfd_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}
