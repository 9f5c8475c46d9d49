// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

#include <linux/if.h>      /* IFF_LOWER_UP, IFF_DORMANT, IF_LINK_MODE_*: after net/if.h */

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
