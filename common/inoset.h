/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A set of inode numbers, the one name a socket has in sock_diag, in
 * /proc/PID/fd and in the registry: appended to, sorted once (each inode
 * once), then searched. */
#ifndef ASCONF_COMMON_INOSET_H
#define ASCONF_COMMON_INOSET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct inoset {
	ino_t *v;
	size_t n, cap;
};

/* 0 or -ENOMEM. */
int inoset_add(struct inoset *s, ino_t ino);
/* Sorted, duplicates dropped: what inoset_has needs. */
void inoset_sort(struct inoset *s);
bool inoset_has(const struct inoset *s, ino_t ino);
/* Empties s (it may be used again). */
void inoset_free(struct inoset *s);
/* qsort/bsearch order of inodes, or of structs whose first member is one. */
int inoset_cmp(const void *a, const void *b);

#endif
