/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libasconf: hand SCTP sockets to asconfd so they follow the host's
 * addresses (RFC 5061 ASCONF through sctp_bindx).
 *
 * The daemon is found at $ASCONF_CONTROL, else /run/asconfd/control.sock.
 * A socket stays managed while this process's connection to the daemon is
 * open; closing the socket in the application is not enough to release it
 * from the daemon, so call asconf_release() before close(). */
#ifndef ASCONF_H
#define ASCONF_H

/* The version of this header; the build checks it against the project's
 * VERSION file.  ASCONF_VERSION_NUMBER compares: 0x000100 is 0.1.0. */
#define ASCONF_VERSION_MAJOR 0
#define ASCONF_VERSION_MINOR 1
#define ASCONF_VERSION_PATCH 0
#define ASCONF_VERSION_NUMBER \
	((ASCONF_VERSION_MAJOR << 16) | (ASCONF_VERSION_MINOR << 8) | ASCONF_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* Manage a bound SCTP socket (IPv4 or IPv6, one-to-one or one-to-many,
 * bound to specific addresses, not the wildcard).  policy may be NULL for
 * the daemon's default.  Returns 0 or a negative errno; asconf_strerror()
 * then has the daemon's reason. */
int asconf_manage(int fd, const char *policy);

/* Bind the unbound SCTP socket fd as a bind to the wildcard on port (host
 * order; 0 for one the kernel picks) would, but to the policy's usable
 * addresses only (asconfd.conf(5), narrow-wildcard), then manage it: peers
 * never hear of an interface the policy excludes.  IPv4 and IPv6 as the
 * socket's family and IPV6_V6ONLY allow.  Returns
 *   0  bound to the policy's addresses and managed;
 *   1  bound to the wildcard, not managed: the policy does not narrow
 *      (narrow-wildcard = no, or narrow-empty = wildcard and no usable
 *      address), or asconfd cannot be reached; asconf_strerror() says which;
 *   a negative errno: -EADDRNOTAVAIL when the policy has no usable address
 *      (narrow-empty = fail), the daemon's or the bind's error (the socket
 *      unbound), or the hand-over's (bound to the addresses, not managed).
 * Symbol version LIBASCONF_0.2. */
int asconf_bind(int fd, unsigned short port, const char *policy);

/* Stop managing fd.  Returns 0 or a negative errno (-ENOENT if not managed). */
int asconf_release(int fd);

/* The reason for the calling thread's last failure, or "" if none. */
const char *asconf_strerror(void);

#ifdef __cplusplus
}
#endif

#endif
