/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Walks the messages of one netlink datagram with unsigned sizes: libmnl
 * 1.0.4's mnl_nlmsg_ok() compares nlmsg_len as an int, so a length of 2 GiB
 * or more passes and a walk runs off the buffer (found by the fuzzer). */
#ifndef ASCONF_NETLINK_NLWALK_H
#define ASCONF_NETLINK_NLWALK_H

#include <stddef.h>
#include <linux/netlink.h>

/* The whole message at *off, moving *off past it; NULL at the end or at a
 * malformed header (then *off < len: the rest is garbage). */
const struct nlmsghdr *nlwalk_next(const void *buf, size_t len, size_t *off);

/* A dump reply's control message: 1 for NLMSG_DONE, the negative errno of
 * an NLMSG_ERROR (-EBADMSG if truncated, -EPROTO for a positive one) or of
 * an NLMSG_DONE that carries one, 0 for anything else. */
int nlwalk_control(const struct nlmsghdr *nlh);

#endif
