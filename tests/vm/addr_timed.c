// SPDX-License-Identifier: GPL-2.0-or-later
/* addr_timed add|del ADDR/PREFIX IFNAME: adds or deletes an address with
 * libnl-route-3 and prints CLOCK_MONOTONIC (us) taken just before the
 * request is sent, so latency figures do not include process start-up
 * (tens of ms per exec under qemu TCG) nor building the request: under TCG
 * libnl's first calls (their lazy symbol binding included) took 1.7-3 ms
 * between the old stamp, before rtnl_addr_add, and its sendmsg. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	struct timespec ts;
	struct nl_msg *msg;
	struct nlmsghdr *hdr;
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
	/* What rtnl_addr_add/delete do, with the stamp between building the
	 * request and sending it; the send path is walked once before (an
	 * empty send on a bad descriptor) so its lazy binding is done. */
	err = argv[1][0] == 'a' ? rtnl_addr_build_add_request(ra, NLM_F_CREATE, &msg)
				: rtnl_addr_build_delete_request(ra, 0, &msg);
	if (!err) {
		nl_complete_msg(sk, msg);
		hdr = nlmsg_hdr(msg);
		(void)!send(-1, hdr, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (send(nl_socket_get_fd(sk), hdr, hdr->nlmsg_len, 0) != (ssize_t)hdr->nlmsg_len)
			err = -NLE_FAILURE;
		else
			err = nl_wait_for_ack(sk);
		nlmsg_free(msg);
	}
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
