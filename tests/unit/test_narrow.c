// SPDX-License-Identifier: GPL-2.0-or-later
/* The decision table of a wildcard bind narrowed to a policy's addresses
 * (agent/proto/narrow.c, used by asconf-run's shim and asconf_bind): which
 * calls are narrowed, with which port; which addresses of the daemon's
 * ADDRS reply a socket of each family gets, and how. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "../../agent/proto/narrow.h"

static struct sockaddr_in v4(const char *a, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port) };

	assert_int_equal(inet_pton(AF_INET, a, &s.sin_addr), 1);
	return s;
}

static struct sockaddr_in6 v6(const char *a, uint16_t port)
{
	struct sockaddr_in6 s = { .sin6_family = AF_INET6, .sin6_port = htons(port) };

	assert_int_equal(inet_pton(AF_INET6, a, &s.sin6_addr), 1);
	return s;
}

/* One row: the call, the socket, what it was given; narrowed or not, port. */
struct row {
	const char *what;
	enum narrow_call call;
	int family;
	enum narrow_bound bound;
	const void *addrs;
	size_t len;
	bool narrowed;
	uint16_t port;
};

static void decision_table(void **state)
{
	struct sockaddr_in any4 = v4("0.0.0.0", 3868), any4_0 = v4("0.0.0.0", 0),
			   spec4 = v4("10.1.0.1", 3868);
	struct sockaddr_in6 any6 = v6("::", 2905), mapped_any = v6("::ffff:0.0.0.0", 36412),
			    spec6 = v6("2001:db8::1", 2905), spec_mapped = v6("::ffff:10.1.0.1", 1);
	struct sockaddr_storage big;
	char two[sizeof(any4) * 2], mixed[sizeof(any4) + sizeof(spec6)];

	(void)state;
	memcpy(two, &any4, sizeof(any4));
	memcpy(two + sizeof(any4), &any4, sizeof(any4));
	memcpy(mixed, &any4, sizeof(any4));
	memcpy(mixed + sizeof(any4), &spec6, sizeof(spec6));
	memset(&big, 0, sizeof(big));
	memcpy(&big, &any6, sizeof(any6));
	const struct row rows[] = {
		/* bind(2) */
		{ "bind 0.0.0.0:3868, inet", NARROW_BIND, AF_INET, NARROW_UNBOUND, &any4, sizeof(any4), true, 3868 },
		{ "bind 0.0.0.0:0 (ephemeral), inet", NARROW_BIND, AF_INET, NARROW_UNBOUND, &any4_0, sizeof(any4_0), true, 0 },
		{ "bind [::]:2905, inet6", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &any6, sizeof(any6), true, 2905 },
		{ "bind [::]:2905 with a sockaddr_storage length", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &big, sizeof(big), true, 2905 },
		{ "bind [::ffff:0.0.0.0], inet6", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &mapped_any, sizeof(mapped_any), true, 36412 },
		{ "bind 0.0.0.0 on an inet6 socket", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &any4, sizeof(any4), true, 3868 },
		{ "bind [::] on an inet socket: the kernel refuses", NARROW_BIND, AF_INET, NARROW_UNBOUND, &any6, sizeof(any6), false, 0 },
		{ "bind a specific address", NARROW_BIND, AF_INET, NARROW_UNBOUND, &spec4, sizeof(spec4), false, 0 },
		{ "bind a specific IPv6 address", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &spec6, sizeof(spec6), false, 0 },
		{ "bind a v4-mapped specific address", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &spec_mapped, sizeof(spec_mapped), false, 0 },
		{ "bind on a bound socket: the kernel's EINVAL", NARROW_BIND, AF_INET, NARROW_BOUND_SPECIFIC, &any4, sizeof(any4), false, 0 },
		{ "bind a short address", NARROW_BIND, AF_INET6, NARROW_UNBOUND, &any6, sizeof(any6) - 1, false, 0 },
		{ "bind nothing", NARROW_BIND, AF_INET, NARROW_UNBOUND, NULL, 0, false, 0 },
		{ "bind on a socket of another family", NARROW_BIND, AF_UNIX, NARROW_UNBOUND, &any4, sizeof(any4), false, 0 },
		/* sctp_bindx(ADD) */
		{ "bindx 0.0.0.0:3868 alone", NARROW_BINDX, AF_INET, NARROW_UNBOUND, &any4, sizeof(any4), true, 3868 },
		{ "bindx [::]:2905 alone", NARROW_BINDX, AF_INET6, NARROW_UNBOUND, &any6, sizeof(any6), true, 2905 },
		{ "bindx two wildcards: the kernel's", NARROW_BINDX, AF_INET, NARROW_UNBOUND, two, sizeof(two), false, 0 },
		{ "bindx the wildcard and another: the kernel's", NARROW_BINDX, AF_INET6, NARROW_UNBOUND, mixed, sizeof(mixed), false, 0 },
		{ "bindx a specific address", NARROW_BINDX, AF_INET, NARROW_UNBOUND, &spec4, sizeof(spec4), false, 0 },
		{ "bindx the wildcard on a bound socket", NARROW_BINDX, AF_INET, NARROW_BOUND_SPECIFIC, &any4, sizeof(any4), false, 0 },
		{ "bindx the wildcard on a wildcard socket", NARROW_BINDX, AF_INET, NARROW_BOUND_ANY, &any4, sizeof(any4), false, 0 },
		/* the kernel's implicit bind: an ephemeral port */
		{ "connect, unbound inet", NARROW_CONNECT, AF_INET, NARROW_UNBOUND, NULL, 0, true, 0 },
		{ "connect, unbound inet6", NARROW_CONNECT, AF_INET6, NARROW_UNBOUND, NULL, 0, true, 0 },
		{ "connect, bound", NARROW_CONNECT, AF_INET, NARROW_BOUND_SPECIFIC, NULL, 0, false, 0 },
		{ "connect, bound to the wildcard (narrow-wildcard = no before)", NARROW_CONNECT, AF_INET6, NARROW_BOUND_ANY, NULL, 0, false, 0 },
		{ "listen, unbound", NARROW_LISTEN, AF_INET6, NARROW_UNBOUND, NULL, 0, true, 0 },
		{ "listen, bound", NARROW_LISTEN, AF_INET, NARROW_BOUND_SPECIFIC, NULL, 0, false, 0 },
		{ "sendmsg to a peer, unbound", NARROW_SENDMSG, AF_INET, NARROW_UNBOUND, NULL, 0, true, 0 },
		{ "sendmsg to a peer, bound", NARROW_SENDMSG, AF_INET6, NARROW_BOUND_SPECIFIC, NULL, 0, false, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		uint16_t port = 4242;
		bool got = narrow_decide(r->call, r->family, r->bound, r->addrs, r->len, &port);

		if (got != r->narrowed || (got && port != r->port))
			fail_msg("%s: narrowed %d port %u, want %d port %u", r->what, got, port,
				 r->narrowed, r->port);
	}
}

static void requests(void **state)
{
	char buf[128];

	(void)state;
	narrow_request(buf, sizeof(buf), NULL, AF_INET, false);
	assert_string_equal(buf, "ADDRS inet");
	narrow_request(buf, sizeof(buf), "diameter", AF_INET6, false);
	assert_string_equal(buf, "ADDRS diameter inet6");
	narrow_request(buf, sizeof(buf), NULL, AF_INET6, true);
	assert_string_equal(buf, "ADDRS inet6 v6only");
	narrow_request(buf, sizeof(buf), NULL, AF_INET, true);  /* v6only means nothing */
	assert_string_equal(buf, "ADDRS inet");
}

static const char *show(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s", a);
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]%%%u", a, s6->sin6_scope_id);
	}
	return buf;
}

/* The addresses of a reply a socket gets, in order, space-separated. */
static const char *parsed(const char *reply, int family, bool v6only, char *out, size_t len)
{
	struct narrow_set s;
	char one[80];
	size_t off = 0;

	out[0] = '\0';
	assert_int_equal(narrow_parse(reply, family, v6only, &s), 0);
	for (size_t i = 0; i < s.n; i++)
		off += (size_t)snprintf(out + off, len - off, "%s%s", i ? " " : "",
					show(&s.a[i], one, sizeof(one)));
	narrow_free(&s);
	return out;
}

static void replies(void **state)
{
	const char *r = "OK narrow-wildcard=yes narrow-empty=fail\n10.1.0.1\n10.2.0.1\n"
			"fd01::1\nfe80::1%3\n10.1.0.1";
	struct narrow_set s;
	char out[512];

	(void)state;
	/* inet: IPv4 only; each once. */
	assert_string_equal(parsed(r, AF_INET, false, out, sizeof(out)), "10.1.0.1 10.2.0.1");
	/* dual-stack inet6: IPv4 v4-mapped, link-local with its scope. */
	assert_string_equal(parsed(r, AF_INET6, false, out, sizeof(out)),
			    "[::ffff:10.1.0.1]%0 [::ffff:10.2.0.1]%0 [fd01::1]%0 [fe80::1]%3");
	/* v6only: no IPv4. */
	assert_string_equal(parsed(r, AF_INET6, true, out, sizeof(out)), "[fd01::1]%0 [fe80::1]%3");

	assert_int_equal(narrow_parse(r, AF_INET, false, &s), 0);
	assert_true(s.narrow);
	assert_false(s.empty_wildcard);
	narrow_free(&s);
	/* The policy's choices, and unknown words skipped. */
	assert_int_equal(narrow_parse("OK narrow-wildcard=no narrow-empty=wildcard later=1", AF_INET,
				      false, &s), 0);
	assert_false(s.narrow);
	assert_true(s.empty_wildcard);
	assert_int_equal(s.n, 0);
	narrow_free(&s);
	/* No address: an empty set (the caller fails or keeps the wildcard). */
	assert_int_equal(narrow_parse("OK narrow-wildcard=yes narrow-empty=fail", AF_INET6, false,
				      &s), 0);
	assert_int_equal(s.n, 0);
	narrow_free(&s);
	/* An IPv6-only list for an inet socket: nothing it can bind. */
	assert_string_equal(parsed("OK\nfd01::1", AF_INET, false, out, sizeof(out)), "");
	/* Lines that are not addresses are skipped. */
	assert_string_equal(parsed("OK\nbogus\nfe80::1%x\n10.1.0.300\n\n10.3.0.1", AF_INET6, false,
				   out, sizeof(out)), "[::ffff:10.3.0.1]%0");
	/* Errors. */
	assert_int_equal(narrow_parse("ERR 2 unknown policy 'x'", AF_INET, false, &s), -ENOENT);
	assert_int_equal(narrow_parse("ERR 22 unknown request 'ADDRS inet'", AF_INET, false, &s),
			 -EINVAL);
	assert_int_equal(narrow_parse("OKAY", AF_INET, false, &s), -EPROTO);
	assert_int_equal(narrow_parse("", AF_INET, false, &s), -EPROTO);
	assert_int_equal(narrow_parse("ERR x", AF_INET, false, &s), -EPROTO);
}

/* Binding needs SCTP (the VM tier); without an address it is refused
 * before any call. */
static void empty_set_is_eaddrnotavail(void **state)
{
	struct narrow_set s = { .narrow = true };

	(void)state;
	assert_int_equal(narrow_bind(-1, &s, 0), -EADDRNOTAVAIL);
}

static void wildcard_forms(void **state)
{
	struct sockaddr_in a = v4("0.0.0.0", 1), b = v4("0.0.0.1", 1);
	struct sockaddr_in6 c = v6("::", 1), d = v6("::ffff:0.0.0.0", 1), e = v6("::1", 1),
			    f = v6("::ffff:0.0.0.1", 1);

	(void)state;
	assert_true(narrow_is_any((struct sockaddr *)&a));
	assert_false(narrow_is_any((struct sockaddr *)&b));
	assert_true(narrow_is_any((struct sockaddr *)&c));
	assert_true(narrow_is_any((struct sockaddr *)&d));
	assert_false(narrow_is_any((struct sockaddr *)&e));
	assert_false(narrow_is_any((struct sockaddr *)&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decision_table),
		cmocka_unit_test(requests),
		cmocka_unit_test(replies),
		cmocka_unit_test(empty_set_is_eaddrnotavail),
		cmocka_unit_test(wildcard_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
