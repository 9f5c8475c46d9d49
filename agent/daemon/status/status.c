// SPDX-License-Identifier: GPL-2.0-or-later
/* The status report: the daemon, its netlink counters and each managed
 * socket with its bound addresses, associations and problems. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "../../../netlink/addrtab.h"
#include "../../../netlink/nlmon.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/peerpath.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../owners/adopt.h"
#include "../agent.h"
#include "../control/ctl.h"
#include "../../proto/ctlmsg.h"

static const char *family_name(int f)
{
	return f == AF_INET ? "inet" : "inet6";
}

/* Each peer path of an association, as "ip" would: its address, its state
 * and "primary" on the one the kernel sends to (status --json's "paths"). */
static void status_paths(struct ctl *c, struct reg_entry *e, int id)
{
	struct peerpath *p = NULL;
	char buf[SADDR_STRLEN];
	int n = peerpath_list(msock_fd(e->sock), id, &p);

	if (n < 0)
		ctl_printf(c, "    paths: unknown (%s)", strerror(-n));
	for (int i = 0; i < n; i++)
		ctl_printf(c, "    path %s %s%s", saddr_str(&p[i].addr, buf, sizeof(buf)),
			   p[i].state < 0 ? "unknown" : peerpath_state_name(p[i].state),
			   p[i].primary ? " primary" : "");
	free(p);
}

/* Whether peers are told, then each association: one getsockopt per
 * association serves both. */
static void status_peers(struct ctl *c, struct reg_entry *e, int addip)
{
	char buf[SADDR_STRLEN];
	int *ids = NULL, *ok, n = msock_assocs(e->sock, &ids), why = 0;
	unsigned int untold = 0, unknown = 0;

	ok = calloc(n > 0 ? (size_t)n : 1, sizeof(*ok));
	for (int i = 0; ok && i < n; i++) {
		ok[i] = msock_assoc_asconf(e->sock, ids[i]);
		untold += ok[i] == 0;
		if (ok[i] < 0 && !unknown++)
			why = ok[i];
	}
	if (addip == 0)
		ctl_printf(c, "  peers told: no (net.sctp.addip_enable=0)");
	else if (n < 0 || !ok)
		ctl_printf(c, "  peers told: unknown (%s)", msock_errno_missing(n) ?
			   "this kernel cannot list the associations" :
			   strerror(n < 0 ? -n : ENOMEM));
	else if (!n)
		ctl_printf(c, "  peers told: no association yet");
	else if (untold)
		ctl_printf(c, "  peers told: no (%d association(s), a peer does not support ASCONF)",
			   n);
	else if (unknown)
		/* Never "yes" by guess: before Linux 5.4 the kernel cannot say. */
		ctl_printf(c, "  peers told: unknown (%d association(s), %u the kernel cannot say "
			   "of: %s)", n, unknown, msock_errno_missing(why) ?
			   "kernel before 5.4, no SCTP_ASCONF_SUPPORTED" : strerror(-why));
	else
		ctl_printf(c, "  peers told: yes (%d association(s))", n);
	for (int i = 0; ok && i < n; i++) {
		const struct saddr *asked = msock_primary_asked(e->sock, ids[i]);

		ctl_printf(c, "  association %d: peer takes ASCONF: %s%s%s", ids[i],
			   ok[i] > 0 ? "yes" : ok[i] == 0 ? "no" : "unknown",
			   asked ? ", asked to use primary " : "",
			   asked ? saddr_str(asked, buf, sizeof(buf)) : "");
		status_paths(c, e, ids[i]);
	}
	free(ok);
	free(ids);
}

static void status_socket(struct ctl *c, struct reg_entry *e, int addip)
{
	const struct msock_issue *iss;
	struct saddr *bound = NULL;
	char line[CTLMSG_MAX], buf[SADDR_STRLEN];
	size_t off = 0;
	int n;

	ctl_printf(c, "socket %u pid %d inode %lu %s %s port %u policy %s%s%s", e->id,
		   (int)e->pid, (unsigned long)msock_inode(e->sock),
		   family_name(msock_family(e->sock)),
		   msock_type(e->sock) == SOCK_STREAM ? "one-to-one" : "one-to-many",
		   msock_port(e->sock), policy_name(e->policy),
		   e->adopted ? " (adopted)" : "",
		   e->narrowed ? " (narrowed from wildcard)" : "");
	n = msock_bound(e->sock, &bound);
	if (n < 0) {
		ctl_printf(c, "  bound: unknown (%s)", strerror(-n));
	} else {
		line[0] = '\0';
		for (int i = 0; i < n && off < sizeof(line) - SADDR_STRLEN - 2; i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s",
						saddr_str(&bound[i], buf, sizeof(buf)));
		ctl_printf(c, "  bound:%s", line);
	}
	free(bound);
	status_peers(c, e, addip);
	for (size_t i = 0, k = msock_issues(e->sock, &iss); i < k; i++)
		ctl_printf(c, "  issue: bindx %s %s: %s%s%s%s", iss[i].add ? "ADD" : "REM",
			   saddr_str(&iss[i].addr, buf, sizeof(buf)), strerror(-iss[i].err),
			   *iss[i].holder ? " (" : "", iss[i].holder,
			   *iss[i].holder ? ")" : "");
}

static void status_text(struct agent *ag, struct ctl *c)
{
	struct nlmon_stats st;
	int addip = sysctl_read_int("/proc/sys/net/sctp/addip_enable");

	nlmon_get_stats(ag->mon, &st);
	ctl_printf(c, "asconfd %s netns %s addip_enable %d sockets %zu addresses %zu",
		   ASCONF_VERSION, ag->netns ? ag->netns : "(own)", addip,
		   registry_count(ag->reg), addrtab_naddrs(ag->tab));
	ctl_printf(c, "netlink: messages %lu malformed %lu foreign %lu overruns %lu resyncs %lu",
		   (unsigned long)st.messages, (unsigned long)st.malformed,
		   (unsigned long)st.foreign, (unsigned long)st.overruns,
		   (unsigned long)st.resyncs);
	for (size_t i = 0; i < registry_count(ag->reg); i++)
		status_socket(c, registry_at(ag->reg, i), addip);
}

uint64_t agent_uptime_s(const struct agent *ag)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - ag->started.tv_sec);
}

void agent_status(void *ctx, struct ctl *c, int format)
{
	struct agent *ag = ctx;

	/* A report changes nothing: sockets are adopted at start and before
	 * a pass, orphans released after one, never because someone looked. */
	switch (format) {
	case CTL_JSON:
		agent_status_json(ag, c);
		break;
	case CTL_METRICS:
		agent_metrics(ag, c);
		break;
	case CTL_CHECK:
		agent_check(ag, c);
		break;
	default:
		status_text(ag, c);
	}
}
