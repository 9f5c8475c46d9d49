// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "sknetns.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71      /* Linux 5.14 */
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C        /* Linux 4.9 */
#endif

static int cookie(int fd, uint64_t *c)
{
	socklen_t len = sizeof(*c);

	return getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, c, &len) ? -errno : 0;
}

/* The cookie needs no privilege; the daemon's own is that of any socket it
 * creates (after --netns has moved it, before the first hand-over), asked
 * once: a socket, a getsockopt and a close per hand-over added up in a
 * burst of thousands. */
static int by_cookie(int fd)
{
	static uint64_t ours;
	static bool known;
	uint64_t theirs;
	int ref, err;

	if ((err = cookie(fd, &theirs)))
		return err;
	if (known)
		return theirs == ours;
	ref = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ref < 0)
		return -errno;
	err = cookie(ref, &ours);
	close(ref);
	known = !err;
	return err ? err : theirs == ours;
}

/* SIOCGSKNS opens the socket's namespace (CAP_NET_ADMIN over it); the
 * namespace file's inode names it. */
int sknetns_same_nsfd(int fd)
{
	struct stat a, b;
	int ns = ioctl(fd, SIOCGSKNS), err = 0;

	if (ns < 0)
		return -errno;
	if (fstat(ns, &a) || stat("/proc/thread-self/ns/net", &b))
		err = -errno;
	close(ns);
	return err ? err : a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int sknetns_same(int fd, const char **how)
{
	int r = by_cookie(fd);

	if (how)
		*how = "SO_NETNS_COOKIE";
	if (r >= 0 || r == -EBADF || r == -ENOTSOCK)
		return r;
	if (how)
		*how = "SIOCGSKNS";
	return sknetns_same_nsfd(fd);
}
