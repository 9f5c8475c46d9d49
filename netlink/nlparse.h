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

/* RTM_NEWLINK / RTM_DELLINK -> *out.  Returns 0, -EAFNOSUPPORT for a family
 * other than AF_UNSPEC (a bridge port's view), or -EBADMSG. */
int nlparse_link(const struct nlmsghdr *nlh, struct host_link *out);

#endif
