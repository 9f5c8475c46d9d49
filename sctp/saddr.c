// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "saddr.h"

int saddr_from_sockaddr(struct saddr *out, const struct sockaddr *sa)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		out->family = AF_INET;
		memcpy(out->addr, &s4->sin_addr, 4);
		out->port = ntohs(s4->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		out->port = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			out->family = AF_INET;
			memcpy(out->addr, &s6->sin6_addr.s6_addr[12], 4);
			return 0;
		}
		out->family = AF_INET6;
		memcpy(out->addr, &s6->sin6_addr, 16);
		if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
			out->scope_id = s6->sin6_scope_id;
		return 0;
	}
	return -EAFNOSUPPORT;
}

socklen_t saddr_to_sockaddr(const struct saddr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (void *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (void *)ss;

	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(a->port);
	memcpy(&s6->sin6_addr, a->addr, 16);
	s6->sin6_scope_id = a->scope_id;
	return sizeof(*s6);
}

bool saddr_equal(const struct saddr *x, const struct saddr *y)
{
	if (x->family != y->family)
		return false;
	if (x->family == AF_INET)
		return !memcmp(x->addr, y->addr, 4);
	return !memcmp(x->addr, y->addr, 16) && x->scope_id == y->scope_id;
}

int saddr_cmp(const struct saddr *x, const struct saddr *y)
{
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(x->addr, y->addr, x->family == AF_INET ? 4 : 16);
	if (c || x->family == AF_INET)
		return c;
	return x->scope_id < y->scope_id ? -1 : x->scope_id > y->scope_id;
}

bool saddr_is_any(const struct saddr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->addr, zero, a->family == AF_INET ? 4 : 16);
}

const char *saddr_str(const struct saddr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->addr, tmp, sizeof(tmp)))
		snprintf(tmp, sizeof(tmp), "?");
	if (a->family == AF_INET6 && a->scope_id)
		snprintf(buf, len, "%s%%%u", tmp, a->scope_id);
	else
		snprintf(buf, len, "%s", tmp);
	return buf;
}
