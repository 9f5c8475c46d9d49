// SPDX-License-Identifier: GPL-2.0-or-later
/* The rtnetlink parsers over hand-built messages: what old kernels send,
 * what point-to-point links send, and what nobody should send. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "../../netlink/nlparse.h"

static char buf[4096] __attribute__((aligned(4)));

static struct nlmsghdr *addr_msg(int type, int family, int prefix, int ifindex,
				 uint8_t flags8)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefix;
	ifa->ifa_index = ifindex;
	ifa->ifa_flags = flags8;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	return nlh;
}

static void put_v4(struct nlmsghdr *nlh, int type, const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	mnl_attr_put(nlh, type, 4, &a);
}

static struct nlmsghdr *route_msg(int family, int table, int type, int dst_len)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_table = table;
	rtm->rtm_type = type;
	rtm->rtm_dst_len = dst_len;
	rtm->rtm_scope = RT_SCOPE_HOST;
	return nlh;
}

/* What the kernel sends when it installs an address's local route (seen
 * with `ip monitor route` on 6.1: table local, type local, /32, RTA_OIF). */
static void local_route(void **state)
{
	struct nlmsghdr *nlh = route_msg(AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, 32);
	struct host_addr a;
	char s[64];

	(void)state;
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_LOCAL);
	put_v4(nlh, RTA_DST, "10.2.0.1");
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	assert_int_equal(nlparse_local_route(nlh, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.ifindex, 7);
	assert_int_equal(a.prefixlen, 32);
	assert_string_equal(host_addr_str(&a, s, sizeof(s)), "10.2.0.1");
}

/* Every other route is not ours; a local route without its address or
 * link is malformed. */
static void other_routes(void **state)
{
	struct nlmsghdr *nlh;
	struct host_addr a;

	(void)state;
	nlh = route_msg(AF_INET, RT_TABLE_MAIN, RTN_UNICAST, 24);
	put_v4(nlh, RTA_DST, "10.2.0.0");
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	assert_int_equal(nlparse_local_route(nlh, &a), -ENOENT);
	/* The broadcast routes of the local table. */
	nlh = route_msg(AF_INET, RT_TABLE_LOCAL, RTN_BROADCAST, 32);
	put_v4(nlh, RTA_DST, "10.2.0.255");
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	assert_int_equal(nlparse_local_route(nlh, &a), -ENOENT);
	/* A table id above 255 rides in RTA_TABLE; rtm_table says COMPAT. */
	nlh = route_msg(AF_INET, RT_TABLE_COMPAT, RTN_LOCAL, 32);
	mnl_attr_put_u32(nlh, RTA_TABLE, 1000);
	put_v4(nlh, RTA_DST, "10.2.0.1");
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	assert_int_equal(nlparse_local_route(nlh, &a), -ENOENT);
	nlh = route_msg(AF_INET6, RT_TABLE_LOCAL, RTN_LOCAL, 128);
	assert_int_equal(nlparse_local_route(nlh, &a), -ENOENT);
	/* Malformed: no RTA_DST, no RTA_OIF, short RTA_DST, truncated. */
	nlh = route_msg(AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, 32);
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	assert_int_equal(nlparse_local_route(nlh, &a), -EBADMSG);
	nlh = route_msg(AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, 32);
	put_v4(nlh, RTA_DST, "10.2.0.1");
	assert_int_equal(nlparse_local_route(nlh, &a), -EBADMSG);
	nlh = route_msg(AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, 32);
	mnl_attr_put(nlh, RTA_DST, 2, "ab");
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	assert_int_equal(nlparse_local_route(nlh, &a), -EBADMSG);
	nlh = route_msg(AF_INET, RT_TABLE_LOCAL, RTN_LOCAL, 32);
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(nlparse_local_route(nlh, &a), -EBADMSG);
}

static void v4_address_only(void **state)
{
	struct nlmsghdr *nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 3, IFA_F_PERMANENT);
	struct host_addr a;
	char s[64];

	(void)state;
	put_v4(nlh, IFA_ADDRESS, "192.0.2.7");
	assert_int_equal(nlparse_addr(nlh, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.ifindex, 3);
	assert_int_equal(a.prefixlen, 24);
	assert_string_equal(host_addr_str(&a, s, sizeof(s)), "192.0.2.7");
	/* No IFA_FLAGS (kernels before 3.14): the 8-bit field is used. */
	assert_int_equal(a.flags, IFA_F_PERMANENT);
}

static void ptp_prefers_local(void **state)
{
	struct nlmsghdr *nlh = addr_msg(RTM_NEWADDR, AF_INET, 32, 4, 0);
	struct host_addr a;
	char s[64];

	(void)state;
	put_v4(nlh, IFA_ADDRESS, "198.51.100.1");      /* the far end */
	put_v4(nlh, IFA_LOCAL, "198.51.100.2");        /* ours */
	assert_int_equal(nlparse_addr(nlh, &a), 0);
	assert_string_equal(host_addr_str(&a, s, sizeof(s)), "198.51.100.2");
}

static void ifa_flags_attribute_wins(void **state)
{
	struct nlmsghdr *nlh = addr_msg(RTM_NEWADDR, AF_INET6, 64, 2, IFA_F_TENTATIVE);
	struct in6_addr a6;
	struct host_addr a;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, &a6);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_TENTATIVE | IFA_F_STABLE_PRIVACY);
	assert_int_equal(nlparse_addr(nlh, &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.flags, IFA_F_TENTATIVE | IFA_F_STABLE_PRIVACY);
	assert_memory_equal(a.a.raw, &a6, 16);
}

static void rejects_bad_messages(void **state)
{
	struct nlmsghdr *nlh;
	struct host_addr a;
	uint8_t three[3] = { 1, 2, 3 };
	uint16_t short_flags = 1;

	(void)state;
	/* Truncated: shorter than the ifaddrmsg header. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 1, 0);
	nlh->nlmsg_len = NLMSG_LENGTH(2);
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* No address at all. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 1, 0);
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* Address of the wrong length for the family. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 1, 0);
	mnl_attr_put(nlh, IFA_ADDRESS, 3, three);
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	nlh = addr_msg(RTM_NEWADDR, AF_INET6, 64, 1, 0);
	put_v4(nlh, IFA_ADDRESS, "192.0.2.1");
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* IFA_FLAGS too short. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 1, 0);
	put_v4(nlh, IFA_ADDRESS, "192.0.2.1");
	mnl_attr_put(nlh, IFA_FLAGS, sizeof(short_flags), &short_flags);
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* Prefix longer than the address. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 33, 1, 0);
	put_v4(nlh, IFA_ADDRESS, "192.0.2.1");
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* ifindex 0. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 0, 0);
	put_v4(nlh, IFA_ADDRESS, "192.0.2.1");
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* An attribute whose length runs past the message. */
	nlh = addr_msg(RTM_NEWADDR, AF_INET, 24, 1, 0);
	put_v4(nlh, IFA_ADDRESS, "192.0.2.1");
	nlh->nlmsg_len -= 2;
	assert_int_equal(nlparse_addr(nlh, &a), -EBADMSG);
	/* Not IP. */
	nlh = addr_msg(RTM_NEWADDR, AF_PACKET, 0, 1, 0);
	assert_int_equal(nlparse_addr(nlh, &a), -EAFNOSUPPORT);
}

static struct nlmsghdr *link_msg(int ifindex, unsigned int flags)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	return nlh;
}

static void links(void **state)
{
	struct nlmsghdr *nlh;
	struct host_link l;
	char longname[40];

	(void)state;
	nlh = link_msg(5, 0x41);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth1");
	assert_int_equal(nlparse_link(nlh, &l), 0);
	assert_int_equal(l.ifindex, 5);
	assert_int_equal(l.flags, 0x41);
	assert_string_equal(l.name, "eth1");
	assert_int_equal(l.linkmode, 0);
	/* The link mode: 1 when user space drives the operational state. */
	nlh = link_msg(5, 0x41);
	mnl_attr_put_u8(nlh, IFLA_LINKMODE, 1);
	assert_int_equal(nlparse_link(nlh, &l), 0);
	assert_int_equal(l.linkmode, 1);
	nlh = link_msg(5, 0x41);
	mnl_attr_put(nlh, IFLA_LINKMODE, 0, NULL);     /* no byte for the mode */
	assert_int_equal(nlparse_link(nlh, &l), -EBADMSG);
	/* Name not NUL-terminated. */
	nlh = link_msg(5, 0);
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth1");
	assert_int_equal(nlparse_link(nlh, &l), -EBADMSG);
	/* Name longer than IFNAMSIZ. */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	nlh = link_msg(5, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, longname);
	assert_int_equal(nlparse_link(nlh, &l), -EBADMSG);
	/* Truncated header, and a nonsense index. */
	nlh = link_msg(5, 0);
	nlh->nlmsg_len = NLMSG_LENGTH(4);
	assert_int_equal(nlparse_link(nlh, &l), -EBADMSG);
	nlh = link_msg(-1, 0);
	assert_int_equal(nlparse_link(nlh, &l), -EBADMSG);
	/* A bridge port's AF_BRIDGE message is not about the link itself. */
	nlh = link_msg(5, 0x41);
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_family = AF_BRIDGE;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth1");
	assert_int_equal(nlparse_link(nlh, &l), -EAFNOSUPPORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v4_address_only),
		cmocka_unit_test(ptp_prefers_local),
		cmocka_unit_test(ifa_flags_attribute_wins),
		cmocka_unit_test(rejects_bad_messages),
		cmocka_unit_test(links),
		cmocka_unit_test(local_route),
		cmocka_unit_test(other_routes),
	};

	return cmocka_run_group_tests_name("nlparse", tests, NULL, NULL);
}
