/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The lines a test peer prints for what the kernel tells it, with the
 * time it read them: sctp_peer (one socket) and sockfarm --notify (many).
 * The scenarios and benchmarks parse these lines:
 *   ASSOC_DOWN assoc=ID state=S t_us=T
 *   ADDR_ADDED|ADDR_REMOVED|ADDR_MADE_PRIM|ADDR_AVAILABLE|ADDR_UNREACHABLE ADDR assoc=ID t_us=T
 * T is CLOCK_MONOTONIC in microseconds, comparable across processes.
 * Header-only, like addrlist.h: test programs only. */
#ifndef ASCONF_TESTS_PEERLOG_H
#define ASCONF_TESTS_PEERLOG_H

#include <stdio.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

static inline unsigned long long peerlog_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

static inline const char *peerlog_addr_state(int st)
{
	switch (st) {
	case SCTP_ADDR_AVAILABLE: return "ADDR_AVAILABLE";
	case SCTP_ADDR_UNREACHABLE: return "ADDR_UNREACHABLE";
	case SCTP_ADDR_REMOVED: return "ADDR_REMOVED";
	case SCTP_ADDR_ADDED: return "ADDR_ADDED";
	case SCTP_ADDR_MADE_PRIM: return "ADDR_MADE_PRIM";
	case SCTP_ADDR_CONFIRMED: return "ADDR_CONFIRMED";
	default: return "ADDR_OTHER";
	}
}

static inline const char *peerlog_sa_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const void *a = sa->sa_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)sa)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;

	if (!inet_ntop(sa->sa_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* Prints the line of an association's end or of a peer address change;
 * other notifications are the caller's. */
static inline void peerlog_notification(const union sctp_notification *n)
{
	char buf[INET6_ADDRSTRLEN];

	switch (n->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		if (n->sn_assoc_change.sac_state == SCTP_COMM_LOST ||
		    n->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP)
			printf("ASSOC_DOWN assoc=%d state=%u t_us=%llu\n",
			       n->sn_assoc_change.sac_assoc_id, n->sn_assoc_change.sac_state,
			       peerlog_now_us());
		break;
	case SCTP_PEER_ADDR_CHANGE: {
		const struct sctp_paddr_change *pc = &n->sn_paddr_change;
		const struct sockaddr *sa = (const void *)&pc->spc_aaddr;

		printf("%s %s assoc=%d t_us=%llu\n", peerlog_addr_state(pc->spc_state),
		       peerlog_sa_str(sa, buf, sizeof(buf)), pc->spc_assoc_id, peerlog_now_us());
		break;
	}
	default:
		break;
	}
}

#endif
