/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The peer's side of an association, as the kernel sees it: each transport
 * address (path) with its state, and which one is the primary path. */
#ifndef ASCONF_SCTP_PEERPATH_H
#define ASCONF_SCTP_PEERPATH_H

#include <stdbool.h>
#include <stdint.h>
#include "saddr.h"

struct peerpath {
	struct saddr addr;
	int state;              /* SCTP_ACTIVE, SCTP_INACTIVE, ... or -errno */
	uint32_t srtt_ms, rto_ms, cwnd, mtu;
	bool primary;
};

/* The paths of association id on socket fd (SCTP_GET_PEER_ADDRS, then
 * SCTP_GET_PEER_ADDR_INFO each, SCTP_PRIMARY_ADDR).  Returns the count (into
 * *out, caller frees) or a negative errno. */
int peerpath_list(int fd, int id, struct peerpath **out);

/* "active", "inactive", "potentially-failed", "unconfirmed", "unknown". */
const char *peerpath_state_name(int state);

#endif
