// SPDX-License-Identifier: GPL-2.0-or-later
/* Writes the fuzzer's seed corpus: well-formed datagrams of the kinds the
 * kernel sends (IPv4, IPv6 with IFA_FLAGS, point-to-point, old kernels
 * without IFA_FLAGS, links, several messages per datagram).  Usage:
 * mkseeds DIR */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/inet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>

static char buf[8192] __attribute__((aligned(4)));
static size_t used;

static struct nlmsghdr *msg(int type, size_t hdr)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);

	nlh->nlmsg_type = type;
	mnl_nlmsg_put_extra_header(nlh, hdr);
	return nlh;
}

static void done(struct nlmsghdr *nlh)
{
	used += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void addr(int type, int family, const char *local, const char *peer, int flags_attr,
		 uint32_t flags)
{
	struct nlmsghdr *nlh = msg(type, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	unsigned char a[16];

	ifa->ifa_family = family;
	ifa->ifa_prefixlen = family == AF_INET ? 24 : 64;
	ifa->ifa_index = 2;
	ifa->ifa_flags = (uint8_t)flags;
	inet_pton(family, local, a);
	mnl_attr_put(nlh, peer ? IFA_LOCAL : IFA_ADDRESS, family == AF_INET ? 4 : 16, a);
	if (peer) {
		inet_pton(family, peer, a);
		mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, a);
	}
	if (flags_attr)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	done(nlh);
}

static void link_(int type, int idx, const char *name, unsigned int flags)
{
	struct nlmsghdr *nlh = msg(type, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_index = idx;
	ifi->ifi_flags = flags;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	done(nlh);
}

static void local_route(const char *dst)
{
	struct nlmsghdr *nlh = msg(RTM_NEWROUTE, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	unsigned char a[4];

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	rtm->rtm_table = RT_TABLE_LOCAL;
	rtm->rtm_type = RTN_LOCAL;
	rtm->rtm_scope = RT_SCOPE_HOST;
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_LOCAL);
	inet_pton(AF_INET, dst, a);
	mnl_attr_put(nlh, RTA_DST, 4, a);
	mnl_attr_put_u32(nlh, RTA_OIF, 2);
	done(nlh);
}

/* A sock_diag reply: one IPv4 endpoint with two addresses, then DONE. */
static void diag_reply(void)
{
	struct nlmsghdr *nlh = msg(SOCK_DIAG_BY_FAMILY, sizeof(struct inet_diag_msg));
	struct inet_diag_msg *r = mnl_nlmsg_get_payload(nlh);
	struct sockaddr_storage v[2];
	struct sockaddr_in *a = (void *)&v[0], *b = (void *)&v[1];

	nlh->nlmsg_seq = 1;
	r->idiag_family = AF_INET;
	r->idiag_state = 10;
	r->id.idiag_sport = htons(3868);
	r->idiag_inode = 1001;
	memset(v, 0, sizeof(v));
	a->sin_family = b->sin_family = AF_INET;
	inet_pton(AF_INET, "10.1.0.1", &a->sin_addr);
	inet_pton(AF_INET, "10.2.0.1", &b->sin_addr);
	mnl_attr_put(nlh, INET_DIAG_LOCALS, sizeof(v), v);
	done(nlh);
	nlh = msg(NLMSG_DONE, sizeof(int));
	nlh->nlmsg_seq = 1;
	done(nlh);
}

static int save(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, used, f) != used) {
		perror(path);
		return 1;
	}
	fclose(f);
	memset(buf, 0, sizeof(buf));
	used = 0;
	return 0;
}

int main(int argc, char **argv)
{
	int err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: mkseeds NETLINK_DIR SCTPDIAG_DIR\n");
		return 2;
	}
	addr(RTM_NEWADDR, AF_INET, "192.0.2.1", NULL, 1, IFA_F_PERMANENT);
	err |= save(argv[1], "v4");
	addr(RTM_NEWADDR, AF_INET, "192.0.2.1", NULL, 0, IFA_F_SECONDARY);
	err |= save(argv[1], "v4-old-kernel");
	addr(RTM_NEWADDR, AF_INET, "198.51.100.2", "198.51.100.1", 1, 0);
	err |= save(argv[1], "v4-ptp");
	addr(RTM_NEWADDR, AF_INET6, "2001:db8::1", NULL, 1, IFA_F_TENTATIVE);
	addr(RTM_NEWADDR, AF_INET6, "2001:db8::1", NULL, 1, 0);
	addr(RTM_DELADDR, AF_INET6, "2001:db8::1", NULL, 1, 0);
	err |= save(argv[1], "v6-dad");
	link_(RTM_NEWLINK, 2, "eth1", IFF_UP | IFF_RUNNING);
	addr(RTM_NEWADDR, AF_INET, "10.0.0.1", NULL, 1, 0);
	link_(RTM_NEWLINK, 2, "wan0", IFF_UP);
	link_(RTM_DELLINK, 2, "wan0", 0);
	err |= save(argv[1], "link-life");
	addr(RTM_NEWADDR, AF_INET, "10.0.0.1", NULL, 1, 0);
	local_route("10.0.0.1");
	err |= save(argv[1], "v4-local-route");
	diag_reply();
	err |= save(argv[2], "listener");
	return err;
}
