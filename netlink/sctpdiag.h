/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's SCTP endpoints as sock_diag tells them (INET_DIAG for
 * IPPROTO_SCTP, the kernel's sctp_diag module, Linux 4.7+): each socket's
 * inode, owner uid, port, state and bound addresses, without asking the
 * processes that hold them.  Parsing is pure and bounded, so it is
 * unit-tested on hand-built replies and fuzzed. */
#ifndef ASCONF_NETLINK_SCTPDIAG_H
#define ASCONF_NETLINK_SCTPDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <linux/netlink.h>

struct sctpdiag_ep {
	ino_t inode;
	uid_t uid;
	int family;             /* the socket's: AF_INET or AF_INET6 */
	uint16_t port;          /* host order */
	uint8_t state;          /* sk_state: 10 listening, 7 closed, 1 established (one-to-one) */
	bool assoc;             /* an association's record, not the socket's */
	size_t nlocal;          /* bound addresses, read with sctpdiag_local() */
	const void *local;      /* inside the reply; valid during the callback */
};

/* The i-th bound address (the kernel packs each in a sockaddr_storage).
 * 0 or -ERANGE. */
int sctpdiag_local(const struct sctpdiag_ep *ep, size_t i, struct sockaddr_storage *out);

/* A dump request for every endpoint of family into buf (room for len).
 * Returns its length, or 0 if buf is too small. */
size_t sctpdiag_request(void *buf, size_t len, int family, uint32_t seq);

/* One reply message.  0, or -EBADMSG when it is truncated or malformed. */
int sctpdiag_parse(const struct nlmsghdr *nlh, struct sctpdiag_ep *out);

/* Return non-zero to stop the walk (that value is returned). */
typedef int (*sctpdiag_cb)(const struct sctpdiag_ep *ep, void *ctx);

/* One datagram of the reply to request seq: calls cb for each socket
 * record (association records are skipped), skips other requests'
 * messages, counts malformed ones in *bad.  Returns
 * 1 at NLMSG_DONE, 0 when more is to come, the callback's non-zero value,
 * or a negative errno from an NLMSG_ERROR. */
int sctpdiag_datagram(const void *buf, size_t len, uint32_t seq,
		      sctpdiag_cb cb, void *ctx, unsigned long *bad);

/* Every SCTP socket of this network namespace that listens or has an
 * association (the kernel reports no other), IPv4 then IPv6 sockets; a
 * listener with associations comes twice (same inode).  0, the callback's
 * non-zero value, or a negative errno: -ENOENT when the kernel has no
 * sctp_diag (modprobe sctp_diag). */
int sctpdiag_list(sctpdiag_cb cb, void *ctx);

#endif
