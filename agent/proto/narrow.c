// SPDX-License-Identifier: LGPL-2.1-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

#include "narrow.h"

bool narrow_is_any(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_ANY);
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_UNSPECIFIED(a))
			return true;
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr32[3] == htonl(INADDR_ANY);
	}
	return false;
}

static size_t sa_len(int family)
{
	return family == AF_INET ? sizeof(struct sockaddr_in) :
	       family == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
}

bool narrow_decide(enum narrow_call call, int sock_family, enum narrow_bound bound,
		   const void *addrs, size_t len, uint16_t *port)
{
	struct sockaddr_storage ss;
	size_t n;

	if (bound != NARROW_UNBOUND || (sock_family != AF_INET && sock_family != AF_INET6))
		return false;
	if (call != NARROW_BIND && call != NARROW_BINDX) {
		*port = 0;
		return true;
	}
	if (!addrs || len < sizeof(sa_family_t))
		return false;
	/* Copied: a bindx list is packed, its entries not aligned. */
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, addrs, len < sizeof(ss) ? len : sizeof(ss));
	n = sa_len(ss.ss_family);
	/* One address, all of it there: bind may get a longer length
	 * (a sockaddr_storage), bindx exactly the entries. */
	if (!n || len < n || (call == NARROW_BINDX && len != n))
		return false;
	/* An AF_INET6 address on an AF_INET socket is the kernel's to refuse. */
	if (sock_family == AF_INET && ss.ss_family != AF_INET)
		return false;
	if (!narrow_is_any((struct sockaddr *)&ss))
		return false;
	*port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
		      ((struct sockaddr_in6 *)&ss)->sin6_port);
	return true;
}

void narrow_request(char *buf, size_t len, const char *policy, int family, bool v6only)
{
	snprintf(buf, len, "ADDRS%s%s %s%s", policy ? " " : "", policy ? policy : "",
		 family == AF_INET ? "inet" : "inet6",
		 family == AF_INET6 && v6only ? " v6only" : "");
}

void narrow_free(struct narrow_set *s)
{
	free(s->a);
	s->a = NULL;
	s->n = 0;
}

/* One address line: "192.0.2.1", "2001:db8::1" or "fe80::1%3". */
static bool parse_addr(const char *s, size_t len, int family, bool v6only,
		       struct sockaddr_storage *out)
{
	char buf[INET6_ADDRSTRLEN + 16], *pct, *end;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	struct in_addr a4;
	unsigned long scope = 0;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		if (family == AF_INET) {
			s4->sin_family = AF_INET;
			s4->sin_addr = a4;
			return true;
		}
		if (v6only)
			return false;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr.s6_addr32[2] = htonl(0xffff);
		s6->sin6_addr.s6_addr32[3] = a4.s_addr;
		return true;
	}
	if (family != AF_INET6)
		return false;
	if ((pct = strchr(buf, '%'))) {
		*pct = '\0';
		errno = 0;
		scope = strtoul(pct + 1, &end, 10);
		if (errno || end == pct + 1 || *end || scope > UINT32_MAX)
			return false;
	}
	if (inet_pton(AF_INET6, buf, &s6->sin6_addr) != 1)
		return false;
	s6->sin6_family = AF_INET6;
	s6->sin6_scope_id = (uint32_t)scope;
	return true;
}

/* "narrow-wildcard=yes|no" and "narrow-empty=fail|wildcard" on the first
 * line; words this side does not know are skipped (a newer daemon). */
static int parse_head(const char *r, size_t len, struct narrow_set *out)
{
	const char *p = r + 2, *end = r + len;

	if (len < 2 || strncmp(r, "OK", 2) || (len > 2 && r[2] != ' '))
		return -EPROTO;
	out->narrow = true;
	out->empty_wildcard = false;
	while (p < end) {
		const char *w;
		size_t n;

		while (p < end && *p == ' ')
			p++;
		w = p;
		while (p < end && *p != ' ')
			p++;
		n = (size_t)(p - w);
		if (n == 19 && !strncmp(w, "narrow-wildcard=yes", n))
			out->narrow = true;
		else if (n == 18 && !strncmp(w, "narrow-wildcard=no", n))
			out->narrow = false;
		else if (n == 17 && !strncmp(w, "narrow-empty=fail", n))
			out->empty_wildcard = false;
		else if (n == 21 && !strncmp(w, "narrow-empty=wildcard", n))
			out->empty_wildcard = true;
	}
	return 0;
}

int narrow_parse(const char *reply, int family, bool v6only, struct narrow_set *out)
{
	const char *nl = strchr(reply, '\n'), *p;
	size_t lines = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (!strncmp(reply, "ERR ", 4)) {
		long e = strtol(reply + 4, NULL, 10);

		return e > 0 && e < 4096 ? (int)-e : -EPROTO;
	}
	err = parse_head(reply, nl ? (size_t)(nl - reply) : strlen(reply), out);
	if (err)
		return err;
	for (p = nl; p; p = strchr(p + 1, '\n'))
		lines++;
	if (!lines)
		return 0;
	out->a = calloc(lines, sizeof(*out->a));
	if (!out->a)
		return -ENOMEM;
	for (p = nl + 1; p && *p; ) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct sockaddr_storage ss;
		bool dup = false;

		if (parse_addr(p, n, family, v6only, &ss)) {
			for (size_t i = 0; i < out->n && !dup; i++)
				dup = !memcmp(&out->a[i], &ss, sizeof(ss));
			if (!dup)
				out->a[out->n++] = ss;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* sctp_bindx(ADD) without libsctp: the addresses packed, one option. */
static int bindx_add(int fd, const struct sockaddr_storage *a, size_t n, uint16_t port)
{
	size_t total = 0, off = 0;
	char *buf;
	int rc;

	for (size_t i = 0; i < n; i++)
		total += sa_len(a[i].ss_family);
	if (!total)
		return 0;
	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct sockaddr_storage ss = a[i];
		size_t l = sa_len(ss.ss_family);

		set_port(&ss, port);
		memcpy(buf + off, &ss, l);
		off += l;
	}
	rc = setsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_BINDX_ADD, buf, (socklen_t)total);
	rc = rc ? -errno : 0;
	free(buf);
	return rc;
}

int narrow_bind(int fd, const struct narrow_set *s, uint16_t port)
{
	struct sockaddr_storage first, got;
	socklen_t len = sizeof(got);

	if (!s->n)
		return -EADDRNOTAVAIL;
	if (port)
		return bindx_add(fd, s->a, s->n, port);
	first = s->a[0];
	set_port(&first, 0);
	if (bind(fd, (struct sockaddr *)&first, (socklen_t)sa_len(first.ss_family)))
		return -errno;
	if (getsockname(fd, (struct sockaddr *)&got, &len))
		return 0;       /* bound: the daemon adds the rest */
	port = ntohs(got.ss_family == AF_INET ? ((struct sockaddr_in *)&got)->sin_port :
		     ((struct sockaddr_in6 *)&got)->sin6_port);
	/* The others may fail (an address gone meanwhile): the socket has its
	 * first one, and the daemon's first pass adds what is usable. */
	if (s->n > 1)
		(void)bindx_add(fd, s->a + 1, s->n - 1, port);
	return 0;
}

int narrow_sock_family(int fd, int *family, bool *v6only)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, family, &len))
		return -errno;
	*v6only = false;
	len = sizeof(v);
	if (*family == AF_INET6 && !getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len))
		*v6only = v != 0;
	return 0;
}
