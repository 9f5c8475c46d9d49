/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the kernel says about one managed socket right now, read once and
 * shared by the JSON status, the metrics and the check. */
#ifndef ASCONF_AGENT_SOCKVIEW_H
#define ASCONF_AGENT_SOCKVIEW_H

#include <stddef.h>
#include "../../../sctp/saddr.h"

struct reg_entry;

struct sockview {
	struct reg_entry *e;
	struct saddr *bound;
	int nbound;             /* count or -errno */
	int *assoc;             /* association ids */
	int *asconf;            /* per association: 1, 0 or -errno */
	int nassoc;             /* count or -errno */
	size_t nissues;         /* addresses whose bindx failed */
	unsigned int untold;    /* associations whose peer is not told */
	unsigned int unknown;   /* associations the kernel cannot say of
				 * (before Linux 5.4); never in untold */
	char comm[32];          /* the owner's /proc/PID/comm, or "" */
};

/* addip: net.sctp.addip_enable (0: no peer is told).  0 or -ENOMEM. */
int sockview_get(struct sockview *v, struct reg_entry *e, int addip);
void sockview_free(struct sockview *v);

/* status --json's peers_told: "addip-disabled", "unknown" (the
 * associations could not be listed, or no peer is known not to be told
 * but the kernel cannot say for some), "no-association", "no", "yes". */
const char *sockview_peers_told(const struct sockview *v, int addip);

#endif
