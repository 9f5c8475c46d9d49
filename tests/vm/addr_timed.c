// SPDX-License-Identifier: GPL-2.0-or-later
/* addr_timed add|del ADDR/PREFIX IFNAME: adds or deletes an address with
 * libnl-route-3 and prints CLOCK_MONOTONIC (us) taken just before the
 * request is sent, so latency figures do not include process start-up
 * (tens of ms per exec under qemu TCG). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	struct timespec ts;
	int idx, err;

	if (argc != 4 || (strcmp(argv[1], "add") && strcmp(argv[1], "del"))) {
		fprintf(stderr, "usage: addr_timed add|del ADDR/PREFIX IFNAME\n");
		return 2;
	}
	idx = (int)if_nametoindex(argv[3]);
	sk = nl_socket_alloc();
	ra = rtnl_addr_alloc();
	if (!idx || !sk || !ra || nl_connect(sk, NETLINK_ROUTE) ||
	    nl_addr_parse(argv[2], AF_UNSPEC, &local)) {
		fprintf(stderr, "addr_timed: bad interface or address, or no netlink\n");
		return 1;
	}
	rtnl_addr_set_ifindex(ra, idx);
	rtnl_addr_set_family(ra, nl_addr_get_family(local));
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, nl_addr_get_prefixlen(local));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	err = argv[1][0] == 'a' ? rtnl_addr_add(sk, ra, 0) : rtnl_addr_delete(sk, ra, 0);
	if (err) {
		fprintf(stderr, "addr_timed: %s\n", nl_geterror(err));
		return 1;
	}
	printf("%llu\n", (unsigned long long)ts.tv_sec * 1000000ULL +
	       (unsigned long long)ts.tv_nsec / 1000);
	nl_addr_put(local);
	rtnl_addr_put(ra);
	nl_socket_free(sk);
	return 0;
}
