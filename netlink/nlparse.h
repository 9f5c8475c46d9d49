/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure parsers of rtnetlink messages: no sockets, no state, so they can be
 * unit-tested on hand-built messages and fuzzed. */
#ifndef ASCONF_NETLINK_NLPARSE_H
#define ASCONF_NETLINK_NLPARSE_H

#include <linux/netlink.h>
#include "addr.h"

/* RTM_NEWADDR / RTM_DELADDR -> *out.  Returns 0, -EAFNOSUPPORT for a family
 * we do not follow, or -EBADMSG when the message is truncated or malformed. */
int nlparse_addr(const struct nlmsghdr *nlh, struct host_addr *out);

/* RTM_NEWROUTE of an IPv4 route of type local in the local table (the one
 * the kernel installs for each of the host's own addresses, and the one
 * bind() checks) -> the address and the link in *out (prefixlen 32).
 * Returns 0, -ENOENT for any other route, or -EBADMSG. */
int nlparse_local_route(const struct nlmsghdr *nlh, struct host_addr *out);

/* RTM_NEWLINK / RTM_DELLINK -> *out.  Returns 0, -EAFNOSUPPORT for a family
 * other than AF_UNSPEC (a bridge port's view), or -EBADMSG. */
int nlparse_link(const struct nlmsghdr *nlh, struct host_link *out);

#endif
