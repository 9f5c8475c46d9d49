// SPDX-License-Identifier: GPL-2.0-or-later
/* The rate limit that keeps a flood of bad netlink messages from flooding
 * the log: one line per interval, with the count of what was held back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/log.h"

static void one_line_per_interval(void **state)
{
	struct log_limit l = { .interval = 3600 };
	unsigned long held = 99;

	(void)state;
	assert_true(log_limit_ok(&l, &held));
	assert_int_equal(held, 0);
	for (int i = 0; i < 1000; i++)
		assert_false(log_limit_ok(&l, &held));
	assert_int_equal(l.suppressed, 1000);
	/* Once the interval has passed, the next line carries the count. */
	l.last -= 3600;
	assert_true(log_limit_ok(&l, &held));
	assert_int_equal(held, 1000);
	assert_int_equal(l.suppressed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_line_per_interval),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
