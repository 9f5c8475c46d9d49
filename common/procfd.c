// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfd.h"

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Calls fn(ino, fd, arg) for each socket among one process's descriptors
 * (pid: its directory under procfd) until fn returns non-zero.  0, or a
 * negative errno when the fd directory cannot be opened or a link cannot
 * be read: -EACCES without CAP_SYS_PTRACE over the process (a root
 * process under a reduced capability set can list another root process's
 * descriptors but not read them), which says nothing about what it holds.
 * A descriptor closed meanwhile is skipped. */
static int each_socket(int procfd, const char *pid, int (*fn)(ino_t, int, void *), void *arg)
{
	char path[300], link[64];
	unsigned long ino;
	struct dirent *d;
	ssize_t len;
	int dfd, err = 0;
	DIR *fds;

	snprintf(path, sizeof(path), "%s/fd", pid);
	dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fds = fdopendir(dfd);
	if (!fds) {
		err = -errno;
		close(dfd);
		return err;
	}
	while (!err && (d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(fds), d->d_name, link, sizeof(link) - 1);
		if (len < 0 && errno != ENOENT)
			err = -errno;
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "socket:[", 8) || sscanf(link + 8, "%lu]", &ino) != 1)
			continue;
		err = fn((ino_t)ino, atoi(d->d_name), arg);
	}
	closedir(fds);
	return err < 0 ? err : 0;
}

struct find {
	struct procfd_hit *hits;
	size_t n, found;
	pid_t pid;
};

static int find_one(ino_t ino, int fd, void *arg)
{
	struct find *f = arg;
	struct procfd_hit key = { .ino = ino }, *h;

	h = bsearch(&key, f->hits, f->n, sizeof(*f->hits), inoset_cmp);
	if (h && !h->pid) {
		h->pid = f->pid;
		h->fd = fd;
		f->found++;
	}
	return 0;
}

/* Looks through one process's descriptors; returns how many new hits. */
static size_t scan_pid(int procfd, const char *pid, struct procfd_hit *hits, size_t n,
		       size_t *unreadable)
{
	struct find f = { .hits = hits, .n = n, .pid = (pid_t)atoi(pid) };
	int err = each_socket(procfd, pid, find_one, &f);

	/* Gone since the listing: nothing to see.  Otherwise not ours to see
	 * (no CAP_SYS_PTRACE): unknown, and said so. */
	if (err && err != -ENOENT && err != -ESRCH && unreadable)
		(*unreadable)++;
	return f.found;
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
	qsort(hits, n, sizeof(*hits), inoset_cmp);
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

static int add_ino(ino_t ino, int fd, void *arg)
{
	(void)fd;
	return inoset_add(arg, ino);
}

int procfd_sockets(const char *proc, pid_t pid, struct inoset *out)
{
	char name[24];
	int pfd, err;

	*out = (struct inoset){ 0 };
	pfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	snprintf(name, sizeof(name), "%d", (int)pid);
	err = each_socket(pfd, name, add_ino, out);
	close(pfd);
	if (err) {
		inoset_free(out);
		return err == -ENOENT ? -ESRCH : err;
	}
	inoset_sort(out);
	return 0;
}
