// SPDX-License-Identifier: GPL-2.0-or-later
/* The reconcile decision as a pure function: exhaustive over small address
 * universes for the rules that keep associations alive. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../sctp/recon.h"

#define U 4     /* universe: 4 addresses, every subset of each role */

static struct saddr addr(int i)
{
	struct saddr a = { .family = AF_INET, .port = 5000 };

	a.addr[0] = 10;
	a.addr[3] = (uint8_t)(i + 1);
	return a;
}

static size_t subset(unsigned int mask, struct saddr *out)
{
	size_t n = 0;

	for (int i = 0; i < U; i++)
		if (mask & (1u << i))
			out[n++] = addr(i);
	return n;
}

static int index_of(const struct saddr *a)
{
	return a->addr[3] - 1;
}

static void exhaustive(void **state)
{
	(void)state;
	for (unsigned int d = 0; d < (1u << U); d++)
	for (unsigned int b = 0; b < (1u << U); b++)
	for (unsigned int r = 0; r < (1u << U); r++) {
		struct saddr des[U], bnd[U], add[U], rem[U];
		bool rm[U];
		size_t nd = subset(d, des), nb = subset(b, bnd), na, nr;
		unsigned int addm = 0, remm = 0;

		for (size_t i = 0; i < nb; i++)
			rm[i] = r & (1u << index_of(&bnd[i]));
		na = recon_plan_adds(des, nd, bnd, nb, add);
		nr = recon_plan_rems(des, nd, bnd, nb, rm, rem);
		for (size_t i = 0; i < na; i++)
			addm |= 1u << index_of(&add[i]);
		for (size_t i = 0; i < nr; i++)
			remm |= 1u << index_of(&rem[i]);

		/* ADD exactly desired - bound, each once. */
		assert_int_equal(addm, d & ~b);
		assert_int_equal(na, (size_t)__builtin_popcount(d & ~b));
		/* REM only bound, never desired, only removable. */
		assert_int_equal(remm & ~b, 0);
		assert_int_equal(remm & d, 0);
		assert_int_equal(remm & ~r, 0);
		assert_int_equal(nr, (size_t)__builtin_popcount(remm));
		/* Never every bound address (EBUSY by construction impossible). */
		if (b)
			assert_true(remm != b);
		/* Nothing held back without reason: all surplus goes unless that
		 * would empty the endpoint, and then exactly one stays. */
		if (((b & ~d & r) != b) || !b)
			assert_int_equal(remm, b & ~d & r);
		else
			assert_int_equal(__builtin_popcount(remm), __builtin_popcount(b) - 1);
	}
}

static void replace_only_address(void **state)
{
	/* The application bound A; A goes, B arrives. Pass 1 (B not yet bound):
	 * A stays.  Pass 2 (B bound): A goes. */
	struct saddr a = addr(0), b = addr(1), out[2], bound2[2] = { a, b };
	bool rm1[1] = { true }, rm2[2] = { true, false };

	(void)state;
	assert_int_equal(recon_plan_rems(NULL, 0, &a, 1, rm1, out), 0);
	assert_int_equal(recon_plan_adds(&b, 1, &a, 1, out), 1);
	assert_true(saddr_equal(&out[0], &b));
	assert_int_equal(recon_plan_rems(&b, 1, bound2, 2, rm2, out), 1);
	assert_true(saddr_equal(&out[0], &a));
}

static void families_compare_canonically(void **state)
{
	/* The kernel may report IPv4 as v4-mapped on an AF_INET6 socket. */
	struct sockaddr_in6 m = { .sin6_family = AF_INET6 };
	struct saddr s, want = addr(2);
	bool rm = true;

	(void)state;
	m.sin6_addr.s6_addr[10] = 0xff;
	m.sin6_addr.s6_addr[11] = 0xff;
	m.sin6_addr.s6_addr[12] = 10;
	m.sin6_addr.s6_addr[15] = 3;
	assert_int_equal(saddr_from_sockaddr(&s, (struct sockaddr *)&m), 0);
	assert_int_equal(s.family, AF_INET);
	assert_true(saddr_equal(&s, &want));
	assert_int_equal(recon_plan_adds(&want, 1, &s, 1, NULL), 0);
	assert_int_equal(recon_plan_rems(&want, 1, &s, 1, &rm, NULL), 0);
}

static void link_local_scope_matters(void **state)
{
	struct saddr x = { .family = AF_INET6, .scope_id = 2 }, y;

	(void)state;
	x.addr[0] = 0xfe;
	x.addr[1] = 0x80;
	x.addr[15] = 1;
	y = x;
	y.scope_id = 3;
	/* Same fe80::1 on two links is two addresses. */
	assert_false(saddr_equal(&x, &y));
	y.scope_id = 2;
	assert_true(saddr_equal(&x, &y));
}

static void primary_is_best_ranked_desired_bound(void **state)
{
	struct saddr b[4] = { addr(0), addr(1), addr(2), addr(3) };
	struct saddr d[3] = { addr(1), addr(2), addr(3) };
	int rank[4] = { 0, 2, 1, -1 };

	(void)state;
	/* addr 0 ranks best but is not desired (leaving): skip it. */
	assert_int_equal(recon_pick_primary(d, 3, b, 4, rank), 2);
	rank[2] = -1;
	assert_int_equal(recon_pick_primary(d, 3, b, 4, rank), 1);
	rank[1] = -1;
	assert_int_equal(recon_pick_primary(d, 3, b, 4, rank), -1);
	assert_int_equal(recon_pick_primary(d, 0, b, 4, rank), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exhaustive),
		cmocka_unit_test(replace_only_address),
		cmocka_unit_test(families_compare_canonically),
		cmocka_unit_test(link_local_scope_matters),
		cmocka_unit_test(primary_is_best_ranked_desired_bound),
	};

	return cmocka_run_group_tests_name("recon", tests, NULL, NULL);
}
