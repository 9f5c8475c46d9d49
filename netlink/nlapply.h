/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Applies rtnetlink messages to the address table: the one path shared by
 * events, dumps and the fuzzer. */
#ifndef ASCONF_NETLINK_NLAPPLY_H
#define ASCONF_NETLINK_NLAPPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "../common/log.h"
#include "addrtab.h"

struct nlapply {
	struct addrtab *tab;
	uint64_t applied;       /* messages that reached the table */
	uint64_t malformed;     /* dropped, truncated or malformed */
	struct log_limit lim;   /* one log line per lim.interval seconds */
};

/* One message.  Returns 0, or -ENOMEM (the table is then incomplete). */
int nlapply_msg(struct nlapply *a, const struct nlmsghdr *nlh);

/* Every message of a datagram of len bytes; a malformed header ends the
 * walk (it is counted).  Returns 0 or -ENOMEM. */
int nlapply_datagram(struct nlapply *a, const void *buf, size_t len);

/* One datagram of a dump reply to request seq: applies its messages,
 * skips replies to other requests (an abandoned dump's leftovers), notes
 * NLM_F_DUMP_INTR in *intr.  Returns 1 at NLMSG_DONE, 0 when more is to
 * come, or a negative errno (NLMSG_ERROR's, or -ENOMEM). */
int nlapply_dump(struct nlapply *a, const void *buf, size_t len, uint32_t seq,
		 bool *intr);

#endif
