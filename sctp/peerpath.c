// SPDX-License-Identifier: GPL-2.0-or-later
/* Read-only questions about an association's peer paths, for the status. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>

#include "peerpath.h"

static size_t sockaddr_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
					: sizeof(struct sockaddr_in6);
}

static void path_info(int fd, int id, const struct sockaddr *sa, struct peerpath *p)
{
	struct sctp_paddrinfo pi;
	socklen_t len = sizeof(pi);

	memset(&pi, 0, sizeof(pi));
	memcpy(&pi.spinfo_address, sa, sockaddr_len(sa));
	if (sctp_opt_info(fd, id, SCTP_GET_PEER_ADDR_INFO, &pi, &len)) {
		p->state = -errno;
		return;
	}
	p->state = pi.spinfo_state;
	p->srtt_ms = pi.spinfo_srtt;
	p->rto_ms = pi.spinfo_rto;
	p->cwnd = pi.spinfo_cwnd;
	p->mtu = pi.spinfo_mtu;
}

int peerpath_list(int fd, int id, struct peerpath **out)
{
	struct sockaddr *addrs = NULL;
	struct sctp_prim prim;
	struct saddr primary;
	socklen_t len = sizeof(prim);
	bool have_primary = false;
	struct peerpath *v;
	char *p;
	int n;

	*out = NULL;
	n = sctp_getpaddrs(fd, id, &addrs);
	if (n < 0)
		return -errno;
	v = calloc(n > 0 ? (size_t)n : 1, sizeof(*v));
	if (!v) {
		sctp_freepaddrs(addrs);
		return -ENOMEM;
	}
	memset(&prim, 0, sizeof(prim));
	if (!sctp_opt_info(fd, id, SCTP_PRIMARY_ADDR, &prim, &len))
		have_primary = !saddr_from_sockaddr(&primary,
						    (struct sockaddr *)&prim.ssp_addr);
	p = (char *)addrs;
	for (int i = 0; i < n; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)p;

		saddr_from_sockaddr(&v[i].addr, sa);
		path_info(fd, id, sa, &v[i]);
		v[i].primary = have_primary && saddr_equal(&primary, &v[i].addr);
		p += sockaddr_len(sa);
	}
	if (n > 0)
		sctp_freepaddrs(addrs);
	*out = v;
	return n;
}

const char *peerpath_state_name(int state)
{
	switch (state) {
	case SCTP_ACTIVE:
		return "active";
	case SCTP_INACTIVE:
		return "inactive";
	case SCTP_PF:
		return "potentially-failed";
	case SCTP_UNCONFIRMED:
		return "unconfirmed";
	default:
		return "unknown";
	}
}
