// SPDX-License-Identifier: GPL-2.0-or-later
/* recon_run against a model of the kernel's socket (tests/fake/fakesctp):
 * a socket's changes of one kind go in one sctp_bindx call (one ASCONF per
 * association), split at MSOCK_BINDX_MAX; a call the kernel refuses is
 * retried an address at a time, so one refused address neither holds the
 * others back nor goes unreported; the last address is never removed. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../sctp/msock.h"
#include "../../sctp/recon.h"
#include "../fake/fakesctp.h"

#define A(i) (0x0a000000u + (uint32_t)(i))      /* 10.0.0.i */

static struct saddr sa(uint32_t a)
{
	struct saddr s = { .family = AF_INET };

	s.addr[0] = (uint8_t)(a >> 24);
	s.addr[1] = (uint8_t)(a >> 16);
	s.addr[2] = (uint8_t)(a >> 8);
	s.addr[3] = (uint8_t)a;
	return s;
}

static bool always(const struct saddr *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return true;
}

static const struct recon_ops ops = { .removable = always };

struct fixture {
	int fd;
	struct msock *s;
};

/* A socket on port 5000 bound to 10.0.0.1 ... 10.0.0.n. */
static struct fixture open_bound(size_t n)
{
	uint32_t v[FAKESCTP_MAX_ADDRS];
	struct fixture f;
	char why[256];

	fakesctp_reset();
	for (size_t i = 0; i < n; i++)
		v[i] = A(i + 1);
	f.fd = fakesctp_socket(5000, v, n);
	assert_true(f.fd >= 0);
	assert_int_equal(msock_open(f.fd, &f.s, why, sizeof(why)), 0);
	return f;
}

static void close_fixture(struct fixture *f)
{
	msock_free(f->s);
	close(f->fd);
	fakesctp_reset();
}

/* Desired: 10.0.0.lo ... 10.0.0.hi. */
static size_t range(int lo, int hi, struct saddr *out)
{
	size_t n = 0;

	for (int i = lo; i <= hi; i++)
		out[n++] = sa(A(i));
	return n;
}

/* The model's bound set is exactly 10.0.0.lo ... 10.0.0.hi, minus SKIP. */
static void assert_bound(int fd, int lo, int hi, int skip)
{
	uint32_t v[FAKESCTP_MAX_ADDRS];
	size_t n = fakesctp_bound(fd, v);
	unsigned long seen = 0;

	assert_int_equal(n, (size_t)(hi - lo + 1 - (skip >= lo && skip <= hi)));
	for (size_t i = 0; i < n; i++) {
		int k = (int)(v[i] - A(0));

		assert_true(k >= lo && k <= hi && k != skip);
		seen |= 1ul << k;
	}
	assert_int_equal(__builtin_popcountl(seen), n);
}

static void adds_go_in_one_call(void **state)
{
	struct fixture f = open_bound(1);
	struct saddr d[8];
	struct recon_stats st;
	size_t nd = range(1, 4, d);
	unsigned long calls;

	(void)state;
	calls = fakesctp_calls.bindx;
	assert_int_equal(recon_run(f.s, d, nd, &ops, &st), 0);
	assert_int_equal(fakesctp_calls.bindx - calls, 1);
	assert_int_equal(fakesctp_calls.last_bindx_n, 3);
	assert_int_equal(st.added, 3);
	assert_int_equal(st.failed, 0);
	assert_bound(f.fd, 1, 4, 0);
	close_fixture(&f);
}

static void removals_go_in_one_call(void **state)
{
	struct fixture f = open_bound(5);
	struct saddr d[8];
	struct recon_stats st;
	size_t nd = range(1, 2, d);
	unsigned long calls = fakesctp_calls.bindx;

	(void)state;
	assert_int_equal(recon_run(f.s, d, nd, &ops, &st), 0);
	assert_int_equal(fakesctp_calls.bindx - calls, 1);
	assert_int_equal(fakesctp_calls.last_bindx_n, 3);
	assert_int_equal(st.removed, 3);
	assert_bound(f.fd, 1, 2, 0);
	close_fixture(&f);
}

static void a_refused_address_fails_alone(void **state)
{
	struct fixture f = open_bound(1);
	struct saddr d[8], three = sa(A(3));
	struct recon_stats st;
	size_t nd = range(1, 5, d);
	unsigned long calls = fakesctp_calls.bindx;
	const struct msock_issue *is;

	(void)state;
	fakesctp_refuse(A(3), EADDRNOTAVAIL);
	assert_int_equal(recon_run(f.s, d, nd, &ops, &st), 0);
	/* The call of four, refused, then each of the four alone. */
	assert_int_equal(fakesctp_calls.bindx - calls, 5);
	assert_int_equal(st.added, 3);
	assert_int_equal(st.add_failed, 1);
	assert_int_equal(st.failed, 1);
	assert_bound(f.fd, 1, 5, 3);
	is = msock_issue_find(f.s, &three, true);
	assert_non_null(is);
	assert_int_equal(is->err, -EADDRNOTAVAIL);
	/* Once the kernel takes it, the next run adds it alone. */
	fakesctp_refuse(A(3), 0);
	calls = fakesctp_calls.bindx;
	assert_int_equal(recon_run(f.s, d, nd, &ops, &st), 0);
	assert_int_equal(fakesctp_calls.bindx - calls, 1);
	assert_int_equal(fakesctp_calls.last_bindx_n, 1);
	assert_null(msock_issue_find(f.s, &three, true));
	assert_bound(f.fd, 1, 5, 0);
	close_fixture(&f);
}

static void long_lists_are_split(void **state)
{
	struct fixture f = open_bound(1);
	struct saddr d[FAKESCTP_MAX_ADDRS];
	struct recon_stats st;
	size_t nd = range(1, 1 + MSOCK_BINDX_MAX + 3, d);
	unsigned long calls = fakesctp_calls.bindx;

	(void)state;
	assert_int_equal(recon_run(f.s, d, nd, &ops, &st), 0);
	assert_int_equal(fakesctp_calls.bindx - calls, 2);
	assert_int_equal(fakesctp_calls.last_bindx_n, 3);
	assert_int_equal(st.added, MSOCK_BINDX_MAX + 3);
	assert_bound(f.fd, 1, 1 + MSOCK_BINDX_MAX + 3, 0);
	close_fixture(&f);
}

static void the_last_address_stays_until_replaced(void **state)
{
	struct fixture f = open_bound(2);
	struct saddr d[2] = { sa(A(7)), sa(A(8)) };
	struct recon_stats st;

	(void)state;
	fakesctp_refuse(A(7), EADDRNOTAVAIL);
	fakesctp_refuse(A(8), EADDRNOTAVAIL);
	assert_int_equal(recon_run(f.s, d, 2, &ops, &st), 0);
	assert_int_equal(st.add_failed, 2);
	assert_int_equal(st.removed, 1);
	assert_int_equal(fakesctp_bound(f.fd, (uint32_t[FAKESCTP_MAX_ADDRS]){ 0 }), 1);
	fakesctp_refuse(A(7), 0);
	fakesctp_refuse(A(8), 0);
	assert_int_equal(recon_run(f.s, d, 2, &ops, &st), 0);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.removed, 1);
	assert_bound(f.fd, 7, 8, 0);
	close_fixture(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(adds_go_in_one_call),
		cmocka_unit_test(removals_go_in_one_call),
		cmocka_unit_test(a_refused_address_fails_alone),
		cmocka_unit_test(long_lists_are_split),
		cmocka_unit_test(the_last_address_stays_until_replaced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
