#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "orphan.h"

bool orphan_held(pid_t pid, ino_t ino)
{
	char dir[64], path[320], link[64], want[64];
	struct dirent *d;
	bool held = false;
	DIR *fds;
	ssize_t n;

	if (pid <= 0)
		return true;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	fds = opendir(dir);
	if (!fds)
		return errno != ENOENT && errno != ESRCH;  /* gone: not held */
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)ino);
	while (!held && (d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		held = !strcmp(link, want);
	}
	closedir(fds);
	return held;
}
