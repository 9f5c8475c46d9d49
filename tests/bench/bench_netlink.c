// SPDX-License-Identifier: GPL-2.0-or-later
/* Netlink parsing benchmark: feeds pre-built RTM_NEWADDR/RTM_DELADDR
 * datagrams, as the kernel sends them, through the daemon's own path
 * (parse + apply to the address table) and reports events per second.
 * Usage: bench_netlink [EVENTS [build-only]]; "build-only" makes the input
 * and stops: the baseline when counting instructions per event under
 * callgrind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "../../common/log.h"
#include "../../netlink/nlapply.h"

#define PER_DGRAM 16    /* events per datagram, as a busy kernel batches them */
#define ADDRS 256       /* distinct addresses cycled through: a big host */

static size_t put_event(char *p, unsigned long i)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(p);
	struct ifaddrmsg *ifa;
	unsigned int k = (unsigned int)(i % ADDRS);
	uint32_t a = htonl(0x0a000000u | (k + 1));

	/* add, change flags, delete: the three things a table sees. */
	nlh->nlmsg_type = (i / ADDRS) % 3 == 2 ? RTM_DELADDR : RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 2 + k % 4;
	mnl_attr_put(nlh, IFA_LOCAL, 4, &a);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &a);
	mnl_attr_put_u32(nlh, IFA_FLAGS, (i / ADDRS) % 3 == 1 ? IFA_F_DEPRECATED : 0);
	return NLMSG_ALIGN(nlh->nlmsg_len);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000000;
	int build_only = argc > 2 && !strcmp(argv[2], "build-only");
	unsigned long ndg = (n + PER_DGRAM - 1) / PER_DGRAM;
	struct nlapply ap = { .lim.interval = 3600 };
	struct timespec t0, t1;
	size_t *len = calloc(ndg + 1, sizeof(*len));
	char *buf = calloc(ndg + 1, PER_DGRAM * 64);
	double secs;

	if (!len || !buf)
		return 1;
	log_open("bench", false, LOG_ERR);
	for (unsigned long d = 0, i = 0; d < ndg; d++)
		for (int j = 0; j < PER_DGRAM && i < n; j++, i++)
			len[d] += put_event(buf + d * PER_DGRAM * 64 + len[d], i);
	if (build_only) {
		free(buf);
		free(len);
		return 0;
	}
	ap.tab = addrtab_new(NULL, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long d = 0; d < ndg; d++)
		nlapply_datagram(&ap, buf + d * PER_DGRAM * 64, len[d]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (n) {
		if (ap.applied != n || ap.malformed) {
			fprintf(stderr, "bench_netlink: applied %lu of %lu (%lu malformed)\n",
				(unsigned long)ap.applied, n, (unsigned long)ap.malformed);
			return 1;
		}
		printf("events %lu seconds %.3f events_per_second %.0f table %zu\n", n, secs,
		       (double)n / secs, addrtab_naddrs(ap.tab));
	}
	addrtab_free(ap.tab);
	free(buf);
	free(len);
	return 0;
}
