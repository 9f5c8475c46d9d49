// SPDX-License-Identifier: GPL-2.0-or-later
/* STATUS CHECK: one line for a monitoring plugin (asconfctl check).
 * WARNING when a socket has an address whose bindx failed or an association
 * whose peer is not told, when a socket of the state file was not taken
 * again after a restart (and its owner still holds it), or when this
 * status found sockets only the daemon still held (released now); OK
 * otherwise.  Associations whose peer the kernel cannot say of (no
 * SCTP_ASCONF_SUPPORTED before Linux 5.4) are counted apart, "unknown":
 * said in the text when there are any, in the perfdata always, and they
 * leave the state OK (no threshold applies to them).  asconfctl applies its thresholds to the counts of the
 * perfdata (sockets, bound, associations, failed, untold, untaken,
 * orphans) and reports CRITICAL or UNKNOWN itself when it cannot reach
 * the daemon.  The process name in the text is cleaned: a '|' there
 * would start the perfdata, a newline a second line of output, and any
 * byte is allowed in a name. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../../common/utf8.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../control/ctl.h"
#include "sockview.h"

void agent_check(struct agent *ag, struct ctl *c)
{
	int addip = sysctl_read_int("/proc/sys/net/sctp/addip_enable");
	unsigned long nsock = registry_count(ag->reg), bound = 0, assoc = 0;
	unsigned long failed = 0, untold = 0, unknown = 0, bad_socks = 0;
	unsigned long untaken = agent_untaken(ag), orphans = ag->orphans_last;
	char first[128] = "", name[64], unk[64] = "";
	struct sockview v;

	for (size_t i = 0; i < nsock; i++) {
		if (sockview_get(&v, registry_at(ag->reg, i), addip)) {
			ctl_fail(c);
			return;
		}
		bound += v.nbound > 0 ? (unsigned long)v.nbound : 0;
		assoc += v.nassoc > 0 ? (unsigned long)v.nassoc : 0;
		failed += v.nissues;
		untold += v.untold;
		unknown += v.unknown;
		if ((v.nissues || v.untold) && !bad_socks++) {
			utf8_clean(name, sizeof(name), v.comm, "|");
			snprintf(first, sizeof(first), " (first: socket %u of pid %d%s%s)",
				 v.e->id, (int)v.e->pid, name[0] ? " " : "", name);
		}
		sockview_free(&v);
	}
	/* Unknown is its own state: not a problem (before Linux 5.4 every
	 * association is unknown), but said, never counted as told. */
	if (unknown)
		snprintf(unk, sizeof(unk), ", %lu peer(s) unknown (the kernel cannot say)",
			 unknown);
	ctl_printf(c, "ASCONFD %s - %lu socket(s), %lu address(es) bound, %lu association(s); "
		   "%lu failed address(es), %lu peer(s) not told%s%s, %lu socket(s) not taken "
		   "back after a restart, %lu held only by asconfd (released)%s"
		   " | sockets=%lu bound=%lu associations=%lu failed=%lu untold=%lu"
		   " untaken=%lu orphans=%lu unknown=%lu",
		   failed || untold || untaken || orphans ? "WARNING" : "OK", nsock, bound,
		   assoc, failed, untold, untold && addip == 0 ? " (net.sctp.addip_enable=0)" : "",
		   unk, untaken, orphans, first, nsock, bound, assoc, failed, untold, untaken,
		   orphans, unknown);
}
