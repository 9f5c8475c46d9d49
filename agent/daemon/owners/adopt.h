/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Adoption: the daemon finds, unasked, the SCTP sockets its policies'
 * adopt-ports and adopt-commands name, and manages them as if their owner
 * had handed them over (owner = the process holding them, so its exit
 * releases them).  There is no timer: a scan runs at start, right before a
 * pass caused by an address or link event, and at each status request,
 * which are the moments a socket first needs something from asconfd. */
#ifndef ASCONF_AGENT_ADOPT_H
#define ASCONF_AGENT_ADOPT_H

struct agent;

/* Looks for sockets to adopt and manages those found.  Costs nothing (no
 * sock_diag, no /proc) when no policy has an adopt-* key.  Failures that
 * make adoption impossible (no sctp_diag, no CAP_SYS_PTRACE) are logged
 * once and adoption stays off. */
void adopt_scan(struct agent *ag);
void adopt_free(struct agent *ag);

#endif
