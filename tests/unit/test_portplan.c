// SPDX-License-Identifier: GPL-2.0-or-later
/* The order of a pass over sockets sharing ports, and the parser of the
 * kernel's /proc/net/sctp tables that names who holds an address:port. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "../../sctp/portowner.h"
#include "../../sctp/portplan.h"

/* Ports 3868 x3 (listener registered second), 2905 x1, 3868 again (a
 * listener), 36412 x2 (no listener). */
static const uint16_t port[] = { 3868, 3868, 2905, 3868, 36412, 36412, 3868 };
static const bool listening[] = { false, true, false, false, false, false, true };
#define N (sizeof(port) / sizeof(port[0]))

static void grouped_by_port(void **state)
{
	size_t order[N], seen = 0;

	(void)state;
	portplan_by_port(port, N, order);
	/* Every socket once. */
	for (size_t i = 0; i < N; i++)
		seen |= 1u << order[i];
	assert_int_equal(seen, (1u << N) - 1);
	/* Runs of one port, registration order inside. */
	assert_int_equal(port[order[0]], 2905);
	assert_int_equal(portplan_run(port, order, N, 0), 1);
	assert_int_equal(portplan_run(port, order, N, 1), 4);
	assert_int_equal(order[1], 0);
	assert_int_equal(order[2], 1);
	assert_int_equal(order[3], 3);
	assert_int_equal(order[4], 6);
	assert_int_equal(portplan_run(port, order, N, 5), 2);
	assert_int_equal(order[5], 4);
	assert_int_equal(order[6], 5);
}

static void listeners_last(void **state)
{
	size_t order[N];

	(void)state;
	portplan_by_port(port, N, order);
	portplan_listeners_last(order + 1, 4, listening);
	/* Accepted sockets 0 and 3 first, in order, then listeners 1 and 6. */
	assert_int_equal(order[1], 0);
	assert_int_equal(order[2], 3);
	assert_int_equal(order[3], 1);
	assert_int_equal(order[4], 6);
	/* A run without listeners is left alone. */
	portplan_listeners_last(order + 5, 2, listening);
	assert_int_equal(order[5], 4);
	assert_int_equal(order[6], 5);
	/* So is a run of one, and a run longer than the small buffer. */
	portplan_listeners_last(order, 1, listening);
	assert_int_equal(order[0], 2);
	{
		uint16_t p[40];
		bool l[40];
		size_t o[40];

		for (size_t i = 0; i < 40; i++) {
			p[i] = 7000;
			l[i] = i % 3 == 0;
		}
		portplan_by_port(p, 40, o);
		portplan_listeners_last(o, 40, l);
		for (size_t i = 0; i < 26; i++)
			assert_false(l[o[i]]);
		for (size_t i = 26; i < 40; i++)
			assert_true(l[o[i]]);
		for (size_t i = 1; i < 26; i++)
			assert_true(o[i - 1] < o[i]);
	}
}

static struct saddr v4(const char *s)
{
	struct saddr a = { .family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, s, a.addr), 1);
	return a;
}

/* Lines as Linux 6.1 prints them (pointers hashed, IPv6 uncompressed). */
static const char eps[] =
" ENDPT     SOCK   STY SST HBKT LPORT   UID INODE LADDRS\n"
"f3a1c2d4 9b8e7f60 2   10  29   7000      0 4711 10.2.0.5 \n"
"aa11bb22 cc33dd44 2   10  30   7001      0 4712 10.2.0.5 \n"
"aa11bb23 cc33dd45 1   10  29   7000      0 4713 fd02:0000:0000:0000:0000:0000:0000:0005 \n";

static const char assocs[] =
" ASSOC     SOCK   STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT LADDRS <-> RADDRS HBINT INS OUTS MAXRT T1X T2X RTXC wmema wmemq sndbuf rcvbuf\n"
"11111111 22222222 1   1   3  0       2        0        0       0 5001 7000  5001  *10.2.0.1 10.2.0.5 <-> *10.2.0.5 30000 10 10 10 0 0 0 1 0 212992 212992\n"
"33333333 44444444 1   1   3  0       3        0        0       0 5002 7000  5002  *10.2.0.1 <-> *10.2.0.5 30000 10 10 10 0 0 0 1 0 212992 212992\n";

static void owner_tables(void **state)
{
	struct saddr a = v4("10.2.0.5"), b = v4("10.2.0.1");
	struct saddr six = { .family = AF_INET6 };
	ino_t out[4];

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "fd02::5", six.addr), 1);
	/* The right port only, and the address, not the header. */
	assert_int_equal(portowner_parse_eps(eps, &a, 7000, 0, out, 4), 1);
	assert_int_equal(out[0], 4711);
	assert_int_equal(portowner_parse_eps(eps, &six, 7000, 0, out, 4), 1);
	assert_int_equal(out[0], 4713);
	/* The asking socket itself is not its own holder. */
	assert_int_equal(portowner_parse_eps(eps, &a, 7000, 4711, out, 4), 0);
	/* Local addresses only: 10.2.0.5 is the remote side of assoc 5002. */
	assert_int_equal(portowner_parse_assocs(assocs, &a, 7000, 0, out, 4), 1);
	assert_int_equal(out[0], 5001);
	/* The primary's '*' is not part of the address. */
	assert_int_equal(portowner_parse_assocs(assocs, &b, 7000, 0, out, 4), 2);
	assert_int_equal(portowner_parse_assocs(assocs, &b, 7001, 0, out, 4), 0);
	/* Garbage is no holder. */
	assert_int_equal(portowner_parse_eps("x y z\n\n1 2 3 4 5 7000 0 nope 10.2.0.5\n",
					     &a, 7000, 0, out, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grouped_by_port),
		cmocka_unit_test(listeners_last),
		cmocka_unit_test(owner_tables),
	};

	return cmocka_run_group_tests_name("portplan", tests, NULL, NULL);
}
