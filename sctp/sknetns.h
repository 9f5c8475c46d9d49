/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Is a socket in the daemon's network namespace?  The addresses asconfd
 * follows are those of its own namespace; a socket of another one would be
 * handed addresses it cannot have. */
#ifndef ASCONF_SCTP_SKNETNS_H
#define ASCONF_SCTP_SKNETNS_H

#include <stddef.h>

/* 1: same namespace, 0: another one, negative errno: cannot tell (kernel
 * before 4.9 without SO_NETNS_COOKIE or SIOCGSKNS, or no permission).
 * how (may be NULL) names the means used, for messages. */
int sknetns_same(int fd, const char **how);
/* The same by SIOCGSKNS alone: the fallback, exposed for its test. */
int sknetns_same_nsfd(int fd);

#endif
