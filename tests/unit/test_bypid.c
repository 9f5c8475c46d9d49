// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl manage|release PID FD: who may ask for whose descriptors.  The
 * rule is ptrace's: root, or a process all of whose uids are the asker's
 * and that is dumpable.  The VM tier's setuid_holder scenario shows it on
 * a real set-user-ID program. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../agent/daemon/agent.h"

static int may(uid_t asker, unsigned long r, unsigned long e, unsigned long s, unsigned long fs,
	       uid_t dir_owner, char *why, size_t len)
{
	struct bypid_creds c = { { r, e, s, fs }, dir_owner };

	return bypid_may_act(asker, 42, &c, why, len);
}

static void rules(void **state)
{
	char why[256];

	(void)state;
	/* The user's own plain process. */
	assert_int_equal(may(1000, 1000, 1000, 1000, 1000, 1000, why, sizeof(why)), 0);
	/* Root may ask for anyone's. */
	assert_int_equal(may(0, 1000, 0, 0, 0, 0, why, sizeof(why)), 0);
	/* A set-user-ID root program the user started: Uid 1000 0 0 0. */
	assert_int_equal(may(1000, 1000, 0, 0, 0, 0, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "uids 1000 0 0 0"));
	/* One that dropped its effective uid but keeps root saved. */
	assert_int_equal(may(1000, 1000, 1000, 0, 1000, 1000, why, sizeof(why)), -EPERM);
	/* Only its fs uid differs. */
	assert_int_equal(may(1000, 1000, 1000, 1000, 0, 1000, why, sizeof(why)), -EPERM);
	/* All uids the user's but not dumpable (/proc/PID owned by root). */
	assert_int_equal(may(1000, 1000, 1000, 1000, 1000, 0, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "not dumpable"));
	/* Another user's process. */
	assert_int_equal(may(1000, 1001, 1001, 1001, 1001, 1001, why, sizeof(why)), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
	};

	return cmocka_run_group_tests_name("bypid", tests, NULL, NULL);
}
