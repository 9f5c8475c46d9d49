// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "safedir.h"

/* One directory; own: the file's own directory (no sticky exception). */
static int judge(const char *dir, const struct stat *st, bool own, uid_t euid,
		 const char *what, char *why, size_t len)
{
	bool owner_ok = st->st_uid == 0 || st->st_uid == euid;
	bool shared = st->st_mode & (S_IWGRP | S_IWOTH);
	bool sticky_root = !own && st->st_uid == 0 && (st->st_mode & S_ISVTX);

	if (owner_ok && (!shared || sticky_root))
		return 0;
	snprintf(why, len, "%s's directory %s: owned by uid %u, mode %04o: %s (want a "
		 "directory of root or uid %u that neither group nor others may write)",
		 what, dir, (unsigned int)st->st_uid, (unsigned int)(st->st_mode & 07777),
		 !owner_ok ? "owned by another user" : "writable by group or others",
		 (unsigned int)euid);
	return -EPERM;
}

/* dir (absolute, no trailing '/') and every directory above it. */
static int walk(char *dir, uid_t euid, const char *what, char *why, size_t len)
{
	struct stat st;
	bool own = true;
	char *slash;
	int err;

	for (;;) {
		if (!stat(*dir ? dir : "/", &st)) {
			if (!S_ISDIR(st.st_mode)) {
				snprintf(why, len, "%s's directory %s is not a directory", what,
					 *dir ? dir : "/");
				return -ENOTDIR;
			}
			err = judge(*dir ? dir : "/", &st, own, euid, what, why, len);
			if (err)
				return err;
			own = false;
		} else if (errno != ENOENT) {
			err = -errno;
			snprintf(why, len, "%s's directory %s: %s", what, *dir ? dir : "/",
				 strerror(errno));
			return err;
		}
		/* A missing directory is made by the daemon: the one above it
		 * is then the file's own, sticky or not. */
		if (!*dir)
			return 0;
		slash = strrchr(dir, '/');
		*slash = '\0';
	}
}

int safedir_check(const char *path, uid_t euid, const char *what, char *why, size_t len)
{
	char *abs = NULL, *real = NULL, *slash, cwd[PATH_MAX];
	int err;

	if (path[0] == '/')
		abs = strdup(path);
	else if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	else if (asprintf(&abs, "%s/%s", strcmp(cwd, "/") ? cwd : "", path) < 0)
		abs = NULL;
	if (!abs)
		return -ENOMEM;
	/* The file's directory without trailing slashes; "" is "/". */
	*strrchr(abs, '/') = '\0';
	while ((slash = strrchr(abs, '/')) && !slash[1])
		*slash = '\0';
	err = walk(abs, euid, what, why, len);
	/* Then where symbolic links lead: the nearest existing directory,
	 * resolved, and what is above it. */
	for (char *d = abs; !err && !real;) {
		real = realpath(*d ? d : "/", NULL);
		if (real)
			break;
		if (errno != ENOENT) {
			err = -errno;
			break;
		}
		*strrchr(d, '/') = '\0';
	}
	if (!err && real && strcmp(real, "/"))
		err = walk(real, euid, what, why, len);
	free(real);
	free(abs);
	return err;
}
