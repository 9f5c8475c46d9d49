/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which managed sockets a batch of address changes can concern, so that a
 * pass costs in proportion to what changed: the addresses that changed
 * since the last full pass, and the interfaces they were on.  A socket is
 * concerned when its policy selects one of those interfaces (its desired
 * set may change) or when it holds one of those addresses (bound, or its
 * application's own); a link change, a resync or a reload concerns every
 * socket.  Pure bookkeeping: no system call. */
#ifndef ASCONF_SCTP_AFFECT_H
#define ASCONF_SCTP_AFFECT_H

#include <stdbool.h>
#include <stddef.h>
#include "../netlink/addr.h"
#include "saddr.h"

struct affect;
struct policy;

/* A new set concerns everything (nothing is known about the sockets yet). */
struct affect *affect_new(void);
void affect_free(struct affect *a);

/* An address appeared, changed or went; ifname: the interface it is (was)
 * on, NULL if unknown (then everything is concerned). */
void affect_addr(struct affect *a, const struct host_addr *h, const char *ifname);
/* Every socket is concerned: a link changed, the table was resynced, the
 * configuration reloaded, a hold-down window ended. */
void affect_everything(struct affect *a);
bool affect_is_everything(const struct affect *a);
/* After a full pass: nothing is concerned until the next change. */
void affect_reset(struct affect *a);

/* May the batch change the desired set of a policy: everything, or a
 * changed address on an interface it selects. */
bool affect_policy(struct affect *a, const struct policy *p);
/* Is one of these addresses (any port) a changed one? */
bool affect_holds(struct affect *a, const struct saddr *v, size_t n);

/* Must a full pass look at a socket: everything is concerned, its
 * policy's desired set changed (want_changed: computed again because
 * affect_policy said so, and found different), or it holds a changed
 * address (bound: its known bound set; own: its application's own). */
bool affect_concerns(struct affect *a, bool want_changed, const struct saddr *bound,
		     size_t nb, const struct saddr *own, size_t no);

#endif
