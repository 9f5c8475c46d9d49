/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who holds an address:port that a bindx ADD found taken (EADDRINUSE)?
 * Best effort, for the report only: the kernel's /proc/net/sctp tables give
 * the socket's inode, /proc/<pid>/fd the process holding it. */
#ifndef ASCONF_SCTP_PORTOWNER_H
#define ASCONF_SCTP_PORTOWNER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "saddr.h"

/* Inodes of this namespace's SCTP sockets bound to a on port, other than
 * self, from the tables' text (eps: listening endpoints, assocs: sockets
 * with associations).  Up to max into out; returns the count.  Pure: the
 * parser takes the text. */
size_t portowner_parse_eps(const char *text, const struct saddr *a, uint16_t port,
			   ino_t self, ino_t *out, size_t max);
size_t portowner_parse_assocs(const char *text, const struct saddr *a, uint16_t port,
			      ino_t self, ino_t *out, size_t max);

/* The same from /proc/net/sctp/{eps,assocs}; returns the count (0 when
 * the tables cannot be read). */
size_t portowner_inodes(const struct saddr *a, uint16_t port, ino_t self,
			ino_t *out, size_t max);

/* The process (other than this one) holding socket inode ino, and its
 * command name: 0, or -ENOENT. */
int portowner_pid(ino_t ino, pid_t *pid, char *comm, size_t len);

#endif
