// SPDX-License-Identifier: GPL-2.0-or-later
/* Read-only questions about an association's peer paths, for the status. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/* From Linux 3.6 (quick failover, which added SCTP_PF and the pf_retrans
 * sysctl together) the enum is INACTIVE 0, PF 1, ACTIVE 2, UNCONFIRMED 3,
 * as in the uapi header this is built with; before, INACTIVE 0, ACTIVE 1,
 * UNCONFIRMED 2: a 3.x kernel's ACTIVE read with the new header would be
 * "potentially-failed".  The sysctl tells them apart. */
#define PF_SYSCTL "/proc/sys/net/sctp/pf_retrans"
#define SCTP_SYSCTLS "/proc/sys/net/sctp"

static int kernel_enum = -2;    /* not asked yet */

int peerpath_kernel_enum(void)
{
	if (kernel_enum == -2) {
		if (!access(PF_SYSCTL, F_OK))
			kernel_enum = PEERPATH_ENUM_PF;
		else if (errno == ENOENT && !access(SCTP_SYSCTLS, F_OK))
			kernel_enum = PEERPATH_ENUM_OLD;
		else
			kernel_enum = PEERPATH_ENUM_UNKNOWN;
	}
	return kernel_enum;
}

void peerpath_set_kernel_enum(int e)
{
	kernel_enum = e;
}

const char *peerpath_state_name_for(int state, int kenum)
{
	static const char *const pf[] = { "inactive", "potentially-failed", "active",
					  "unconfirmed" };
	static const char *const old[] = { "inactive", "active", "unconfirmed" };

	if (kenum == PEERPATH_ENUM_PF && state >= 0 && state < 4)
		return pf[state];
	if (kenum == PEERPATH_ENUM_OLD && state >= 0 && state < 3)
		return old[state];
	return "unknown";
}

const char *peerpath_state_name(int state)
{
	return peerpath_state_name_for(state, peerpath_kernel_enum());
}
