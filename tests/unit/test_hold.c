// SPDX-License-Identifier: GPL-2.0-or-later
/* Hold-down bookkeeping: when an address's window starts, how long it has
 * left, and that only young addresses are kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "../../agent/daemon/pass/hold.h"
#include "../../sctp/saddr.h"

static struct saddr sa(const char *s)
{
	struct saddr a = { 0 };

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, a.addr), 1);
	return a;
}

static void window_from_first_usable(void **state)
{
	struct hold *h = hold_new();
	struct saddr v4 = sa("192.0.2.1"), v6 = sa("2001:db8::1"), old = sa("192.0.2.9");

	(void)state;
	assert_non_null(h);
	hold_new_addr(h, AF_INET, v4.addr, true, 1000);
	assert_int_equal(hold_remaining(h, &v4, 500, 1000), 500);
	assert_int_equal(hold_remaining(h, &v4, 500, 1499), 1);
	assert_int_equal(hold_remaining(h, &v4, 500, 1500), 0);
	assert_int_equal(hold_remaining(h, &v4, 0, 1000), 0);          /* no window */
	/* Unknown: present longer than any window. */
	assert_int_equal(hold_remaining(h, &old, 500, 1000), 0);
	/* Tentative first: the window starts when it turns usable; a later
	 * change (lifetime refresh) does not restart it. */
	hold_new_addr(h, AF_INET6, v6.addr, false, 1000);
	assert_int_equal(hold_remaining(h, &v6, 500, 1200), 0);        /* not usable anyway */
	hold_changed_addr(h, AF_INET6, v6.addr, false, 1300);
	hold_changed_addr(h, AF_INET6, v6.addr, true, 2000);
	hold_changed_addr(h, AF_INET6, v6.addr, true, 2400);
	assert_int_equal(hold_remaining(h, &v6, 500, 2100), 400);
	/* Gone and back: a fresh window. */
	hold_gone_addr(h, AF_INET, v4.addr);
	assert_int_equal(hold_count(h), 1);
	hold_new_addr(h, AF_INET, v4.addr, true, 3000);
	assert_int_equal(hold_remaining(h, &v4, 500, 3100), 400);
	/* Pruning keeps only what some window still covers. */
	hold_prune(h, 500, 3100);
	assert_int_equal(hold_count(h), 1);
	assert_int_equal(hold_remaining(h, &v6, 500, 3100), 0);
	hold_prune(h, 500, 3500);
	assert_int_equal(hold_count(h), 0);
	hold_free(h);
}

static void pending_is_kept_until_usable_or_gone(void **state)
{
	struct hold *h = hold_new();
	struct saddr v6 = sa("2001:db8::2");

	(void)state;
	hold_new_addr(h, AF_INET6, v6.addr, false, 0);
	hold_prune(h, 100, 1000000);
	assert_int_equal(hold_count(h), 1);
	hold_gone_addr(h, AF_INET6, v6.addr);
	assert_int_equal(hold_count(h), 0);
	for (int i = 0; i < 100; i++) {
		struct saddr a = sa("198.51.100.0");

		a.addr[3] = (uint8_t)i;
		hold_new_addr(h, AF_INET, a.addr, true, (uint64_t)i);
	}
	assert_int_equal(hold_count(h), 100);
	hold_prune(h, 50, 100);
	assert_int_equal(hold_count(h), 49);           /* since 51..99 */
	hold_free(h);
	hold_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window_from_first_usable),
		cmocka_unit_test(pending_is_kept_until_usable_or_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
