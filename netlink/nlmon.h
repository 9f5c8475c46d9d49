/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rtnetlink address monitor: keeps an addrtab equal to the kernel's view.
 * Subscribes first, then dumps, so no change is lost between the two; after a
 * receive-buffer overrun it resyncs with a fresh dump (mark and sweep). */
#ifndef ASCONF_NETLINK_NLMON_H
#define ASCONF_NETLINK_NLMON_H

#include <stdbool.h>
#include <stdint.h>
#include "addrtab.h"

struct nlmon;

struct nlmon_opts {
	int rcvbuf;             /* bytes; 0 = keep the kernel default */
	bool no_resync;         /* testing only: overruns are counted, not repaired */
};

struct nlmon_stats {
	uint64_t messages;      /* kernel messages applied */
	uint64_t malformed;     /* dropped: truncated or malformed */
	uint64_t foreign;       /* dropped: not sent by the kernel */
	uint64_t overruns;      /* ENOBUFS seen */
	uint64_t resyncs;       /* fresh dumps done */
};

/* Returns NULL with errno set. The table holds the full dump on return. */
struct nlmon *nlmon_open(struct addrtab *t, const struct nlmon_opts *o);
void nlmon_close(struct nlmon *m);

/* The socket to poll for input. */
int nlmon_fd(const struct nlmon *m);

/* Is input waiting on the socket (nothing is read)? */
bool nlmon_pending(const struct nlmon *m);

/* Reads everything pending (non-blocking), then resyncs once if an overrun
 * was seen.  Returns 0 or a negative errno. */
int nlmon_read(struct nlmon *m);

/* Fresh dump reconciled against the table, e.g. on operator request. */
int nlmon_resync(struct nlmon *m);

/* A resync that failed (the dump was interrupted or refused) and must be
 * tried again; the caller owns the timer. */
bool nlmon_resync_pending(const struct nlmon *m);

/* True between lost events (an overrun, a truncated datagram, no memory to
 * apply them) and the next complete dump: the table may lack
 * addresses the host has, so nothing should be removed on its word.  (After
 * an interrupted dump it may hold extra ones, which is safe.) */
bool nlmon_may_miss(const struct nlmon *m);

/* Are IPv4 local-route events followed (ADDRTAB_ADDR_BINDABLE)? */
bool nlmon_route_events(const struct nlmon *m);

void nlmon_get_stats(const struct nlmon *m, struct nlmon_stats *s);

#endif
