/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The facts rtnetlink tells about one address and one link.
 * Plain values, shared by the parser, the table and the policy. */
#ifndef ASCONF_NETLINK_ADDR_H
#define ASCONF_NETLINK_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

struct host_addr {
	int ifindex;
	int family;             /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t raw[16];
	} a;
	uint8_t prefixlen;
	uint8_t scope;          /* RT_SCOPE_* */
	uint32_t flags;         /* IFA_F_*, 32 bits when the kernel sent IFA_FLAGS */
};

struct host_link {
	int ifindex;
	unsigned int flags;     /* IFF_* */
	uint8_t linkmode;       /* IFLA_LINKMODE: IF_LINK_MODE_*, 0 when absent */
	char name[IFNAMSIZ];
};

/* Identity of an address: (ifindex, family, address, prefix). */
bool host_addr_same(const struct host_addr *x, const struct host_addr *y);

/* Up, with carrier, not dormant: the link can carry the address now.
 * Read from the flags the kernel sets at once (IFF_UP, IFF_LOWER_UP,
 * IFF_DORMANT), not from IFF_RUNNING alone, which follows the operational
 * state that linkwatch updates up to a second later; only a link whose
 * operational state user space drives (IFLA_LINKMODE dormant, e.g. 802.1X
 * supplicants) also waits for IFF_RUNNING. */
bool host_link_running(const struct host_link *l);

/* "192.0.2.1" / "2001:db8::1"; buf must hold INET6_ADDRSTRLEN. */
const char *host_addr_str(const struct host_addr *x, char *buf, size_t len);

/* The scope and flags as ip addr prints them: "scope global permanent
 * noprefixroute", "scope link dynamic tentative"; buf of
 * HOST_ADDR_FLAGS_STRLEN. */
#define HOST_ADDR_FLAGS_STRLEN 192
const char *host_addr_flags_str(const struct host_addr *x, char *buf, size_t len);

#endif
