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

/* The kernel's enum sctp_spinfo_state: with SCTP_PF (Linux 3.6 on, as in
 * the header), without (INACTIVE 0, ACTIVE 1, UNCONFIRMED 2), or unknown
 * (no /proc/sys/net/sctp to tell): then every state is "unknown". */
enum { PEERPATH_ENUM_UNKNOWN = -1, PEERPATH_ENUM_OLD = 0, PEERPATH_ENUM_PF = 1 };
/* Found once, from /proc/sys/net/sctp/pf_retrans (added with SCTP_PF). */
int peerpath_kernel_enum(void);
/* For tests. */
void peerpath_set_kernel_enum(int e);

/* A kernel's state value by that kernel's enum: "active", "inactive",
 * "potentially-failed", "unconfirmed", or "unknown" (SCTP_UNKNOWN, a value
 * the enum does not have, or an unknown enum). */
const char *peerpath_state_name_for(int state, int kenum);
/* The same for this kernel. */
const char *peerpath_state_name(int state);

#endif
