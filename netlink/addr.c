// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

#include <linux/if.h>      /* IFF_LOWER_UP, IFF_DORMANT, IF_LINK_MODE_*: after net/if.h */
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

bool host_addr_same(const struct host_addr *x, const struct host_addr *y)
{
	size_t len = x->family == AF_INET ? 4 : 16;

	return x->ifindex == y->ifindex && x->family == y->family &&
	       x->prefixlen == y->prefixlen && !memcmp(x->a.raw, y->a.raw, len);
}

bool host_link_running(const struct host_link *l)
{
	const unsigned int need = IFF_UP | IFF_LOWER_UP;

	if ((l->flags & need) != need || (l->flags & IFF_DORMANT))
		return false;
	return l->linkmode == IF_LINK_MODE_DEFAULT || (l->flags & IFF_RUNNING);
}

const char *host_addr_str(const struct host_addr *x, char *buf, size_t len)
{
	if (!inet_ntop(x->family, x->a.raw, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

/* iproute2's names (ip addr), in its order; "temporary" is IPv6's name
 * for the secondary bit. */
static const struct {
	uint32_t mask;
	const char *name;
	bool v6only;
} addr_flags[] = {
	{ IFA_F_SECONDARY, "secondary", false },
	{ IFA_F_NODAD, "nodad", true },
	{ IFA_F_OPTIMISTIC, "optimistic", true },
	{ IFA_F_DADFAILED, "dadfailed", true },
	{ IFA_F_HOMEADDRESS, "home", true },
	{ IFA_F_DEPRECATED, "deprecated", true },
	{ IFA_F_TENTATIVE, "tentative", true },
	{ IFA_F_PERMANENT, "permanent", false },
	{ IFA_F_MANAGETEMPADDR, "mngtmpaddr", true },
	{ IFA_F_NOPREFIXROUTE, "noprefixroute", false },
	{ IFA_F_MCAUTOJOIN, "autojoin", false },
	{ IFA_F_STABLE_PRIVACY, "stable-privacy", true },
};

const char *host_addr_flags_str(const struct host_addr *x, char *buf, size_t len)
{
	uint32_t rest = x->flags;
	size_t off;
	int n;

	switch (x->scope) {
	case RT_SCOPE_UNIVERSE: n = snprintf(buf, len, "scope global"); break;
	case RT_SCOPE_SITE: n = snprintf(buf, len, "scope site"); break;
	case RT_SCOPE_LINK: n = snprintf(buf, len, "scope link"); break;
	case RT_SCOPE_HOST: n = snprintf(buf, len, "scope host"); break;
	case RT_SCOPE_NOWHERE: n = snprintf(buf, len, "scope nowhere"); break;
	default: n = snprintf(buf, len, "scope %u", x->scope);
	}
	off = n < 0 ? 0 : (size_t)n;
	/* Not permanent: a lifetime runs out, which ip calls "dynamic". */
	if (!(x->flags & IFA_F_PERMANENT) && off < len)
		off += (size_t)snprintf(buf + off, len - off, " dynamic");
	for (size_t i = 0; i < sizeof(addr_flags) / sizeof(addr_flags[0]) && off < len; i++) {
		if (!(x->flags & addr_flags[i].mask))
			continue;
		rest &= ~addr_flags[i].mask;
		if (addr_flags[i].v6only && x->family != AF_INET6)
			continue;
		off += (size_t)snprintf(buf + off, len - off, " %s",
					addr_flags[i].mask == IFA_F_SECONDARY &&
					x->family == AF_INET6 ? "temporary" : addr_flags[i].name);
	}
	/* A bit this table does not know (a newer kernel): as ip, in hex. */
	if (rest && off < len)
		snprintf(buf + off, len - off, " flags 0x%x", rest);
	return buf;
}
