// SPDX-License-Identifier: GPL-2.0-or-later
/* The CPU cost of a pass with nothing to do, outside the VM: the daemon's
 * own pass (agent_reconcile) over a host with 10,000 addresses and 1,000
 * managed sockets of 4 addresses each, already in the state their policy
 * wants.  The host has no SCTP here: the SCTP calls msock makes go to the
 * model in tests/fake/fakesctp.c, so the pass runs its real code on a UDP
 * socket per managed socket.
 * Usage: bench_pass [SOCKETS [ADDRESSES [ROUNDS]]]
 * Prints the median CPU time of a pass (CLOCK_PROCESS_CPUTIME_ID) for:
 *   idle      a pass with no change at all
 *   other     after an address added and removed on an interface no
 *             policy follows (what a busy router does all day)
 *   followed  after an IPv6 address added and removed on a followed
 *             interface: the IPv4 sockets' desired set is the same
 *   full      every socket looked at (a link change): the bound on all */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>

#include "../../common/log.h"
#include "../../netlink/addrtab.h"
#include "../../sctp/affect.h"
#include "../../sctp/msock.h"
#include "../../sctp/registry.h"
#include "../../agent/daemon/agent.h"
#include "../../agent/daemon/config/config.h"
#include "../fake/fakeagent.h"
#include "../fake/fakesctp.h"

#define PORT0 20000
#define FOLLOWED 3      /* addresses on the followed links, desired by every socket */

/* --- the host ---------------------------------------------------------------- */

static struct host_addr v4(int ifindex, uint32_t host)
{
	struct host_addr a = { .ifindex = ifindex, .family = AF_INET, .prefixlen = 24 };

	a.a.v4.s_addr = htonl(host);
	return a;
}

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int dcmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* Median CPU time of ROUNDS passes, each after prepare(). */
static double timed(struct agent *ag, int rounds, void (*prepare)(struct agent *, int))
{
	double *v = calloc((size_t)rounds, sizeof(*v)), med;

	for (int r = 0; r < rounds; r++) {
		double t0;

		if (prepare)
			prepare(ag, r);
		t0 = cpu_us();
		agent_reconcile(ag, NULL);
		v[r] = cpu_us() - t0;
	}
	qsort(v, (size_t)rounds, sizeof(*v), dcmp);
	med = v[rounds / 2];
	free(v);
	return med;
}

static int naddrs;

/* An address on an interface no policy follows comes and goes. */
static void other(struct agent *ag, int r)
{
	struct host_addr a = v4(100 + r % 50, 0xac100000u + (uint32_t)naddrs + 1);

	addrtab_addr_put(ag->tab, &a);
	addrtab_addr_del(ag->tab, &a);
}

/* An IPv6 address comes and goes on a followed interface: the policy's
 * interfaces changed, but not the desired set of its IPv4 sockets. */
static void followed(struct agent *ag, int r)
{
	struct host_addr a = { .ifindex = 2, .family = AF_INET6, .prefixlen = 64 };

	inet_pton(AF_INET6, "2001:db8::1", &a.a.v6);
	a.a.raw[15] = (uint8_t)r;
	addrtab_addr_put(ag->tab, &a);
	addrtab_addr_del(ag->tab, &a);
}

static void everything(struct agent *ag, int r)
{
	(void)r;
	affect_everything(ag->aff);
}

int main(int argc, char **argv)
{
	int nsock = argc > 1 ? atoi(argv[1]) : 1000;
	int rounds = argc > 3 ? atoi(argv[3]) : 21;
	struct fakeagent fa;
	struct agent *ag = &fa.ag;
	char why[256];
	double idle, oth, fol, full;
	unsigned long b0, g0;

	naddrs = argc > 2 ? atoi(argv[2]) : 10000;
	if (nsock <= 0 || naddrs < 0 || rounds <= 0) {
		fprintf(stderr, "usage: bench_pass [SOCKETS [ADDRESSES [ROUNDS]]]\n");
		return 2;
	}
	log_open("bench_pass", false, LOG_ERR);
	if (fakeagent_open(&fa, "eth1 eth2 eth3", why, sizeof(why))) {
		fprintf(stderr, "bench_pass: %s\n", why);
		return 1;
	}

	/* eth1..eth3 followed, one address each; 50 other links with the rest. */
	fakeagent_link(&fa, 2, "eth1");
	fakeagent_link(&fa, 3, "eth2");
	fakeagent_link(&fa, 4, "eth3");
	for (int i = 0; i < 50; i++) {
		char name[IFNAMSIZ];

		snprintf(name, sizeof(name), "other%d", i);
		fakeagent_link(&fa, 100 + i, name);
	}
	for (int i = 0; i < FOLLOWED; i++) {
		struct host_addr a = v4(2 + i, 0x0a090001u + (uint32_t)(i << 8));

		addrtab_addr_put(ag->tab, &a);
	}
	for (int i = 0; i < naddrs - FOLLOWED; i++) {
		struct host_addr a = v4(100 + i % 50, 0xac100000u + (uint32_t)i);

		addrtab_addr_put(ag->tab, &a);
	}

	/* Each socket: the 3 followed addresses and one of its application's
	 * own, on an interface no policy follows. */
	for (int i = 0; i < nsock; i++) {
		uint32_t own[1 + FOLLOWED];
		struct msock *s;
		int fd;

		own[0] = 0xac100000u + (uint32_t)(i % (naddrs - FOLLOWED));
		for (int k = 0; k < FOLLOWED; k++)
			own[1 + k] = 0x0a090001u + (uint32_t)(k << 8);
		fd = fakesctp_socket((uint16_t)(PORT0 + i), own, 1 + FOLLOWED);
		if (fd < 0) {
			fprintf(stderr, "bench_pass: socket: %s (raise ulimit -n)\n", strerror(errno));
			return 1;
		}
		if (msock_open(fd, &s, why, sizeof(why)) ||
		    registry_add(ag->reg, s, -1, 0, config_policy_find(ag->cfg, NULL), NULL)) {
			fprintf(stderr, "bench_pass: socket %d: %s\n", i, why);
			return 1;
		}
	}
	/* The first pass learns every socket (one read each); then the state
	 * is what the policy wants. */
	agent_reconcile(ag, NULL);
	agent_reconcile(ag, NULL);
	b0 = fakesctp_calls.bindx;
	g0 = fakesctp_calls.getladdrs;
	idle = timed(ag, rounds, NULL);
	oth = timed(ag, rounds, other);
	fol = timed(ag, rounds, followed);
	full = timed(ag, rounds, everything);
	printf("pass with nothing to do: %d sockets of %d addresses, %zu host addresses "
	       "(median of %d passes, CPU time)\n", nsock, 1 + FOLLOWED, addrtab_naddrs(ag->tab),
	       rounds);
	printf("  %-10s %10.1f us  no change since the last pass\n", "idle", idle);
	printf("  %-10s %10.1f us  an address added and removed on a link no policy follows\n",
	       "other", oth);
	printf("  %-10s %10.1f us  an IPv6 address added and removed on a followed link "
	       "(IPv4 sockets: same desired set)\n", "followed", fol);
	printf("  %-10s %10.1f us  every socket looked at (a link change, a reload)\n",
	       "full", full);
	printf("  bindx calls %lu, sctp_getladdrs calls %lu during the timed passes\n",
	       fakesctp_calls.bindx - b0, fakesctp_calls.getladdrs - g0);
	printf("BENCH_PASS sockets=%d addrs=%zu idle_us=%.1f other_us=%.1f followed_us=%.1f "
	       "full_us=%.1f\n", nsock, addrtab_naddrs(ag->tab), idle, oth, fol, full);
	fakeagent_close(&fa);
	b0 = fakesctp_calls.bindx - b0;
	g0 = fakesctp_calls.getladdrs - g0;
	fakesctp_reset();
	return b0 || g0;
}
