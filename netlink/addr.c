// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

bool host_addr_same(const struct host_addr *x, const struct host_addr *y)
{
	size_t len = x->family == AF_INET ? 4 : 16;

	return x->ifindex == y->ifindex && x->family == y->family &&
	       x->prefixlen == y->prefixlen && !memcmp(x->a.raw, y->a.raw, len);
}

const char *host_addr_str(const struct host_addr *x, char *buf, size_t len)
{
	if (!inet_ntop(x->family, x->a.raw, buf, len))
		snprintf(buf, len, "?");
	return buf;
}
