// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl check as a monitoring plugin: the range syntax of the
 * Monitoring Plugins guidelines, the daemon's line parsed back, the exit
 * code for each threshold, and the perfdata. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../agent/asconfctl/plugin.h"

static void test_range_syntax(void **state)
{
	struct plugin_range r;

	(void)state;
	/* "10": alert outside 0..10. */
	assert_int_equal(plugin_range_parse("10", &r), 0);
	assert_false(plugin_range_alert(&r, 0));
	assert_false(plugin_range_alert(&r, 10));
	assert_true(plugin_range_alert(&r, 11));
	assert_true(plugin_range_alert(&r, -1));
	/* "10:": below 10. */
	assert_int_equal(plugin_range_parse("10:", &r), 0);
	assert_true(plugin_range_alert(&r, 9));
	assert_false(plugin_range_alert(&r, 1e9));
	/* "~:10": above 10. */
	assert_int_equal(plugin_range_parse("~:10", &r), 0);
	assert_false(plugin_range_alert(&r, -1e9));
	assert_true(plugin_range_alert(&r, 10.5));
	/* "10:20": outside; "@10:20": inside, ends included. */
	assert_int_equal(plugin_range_parse("10:20", &r), 0);
	assert_true(plugin_range_alert(&r, 9));
	assert_false(plugin_range_alert(&r, 20));
	assert_true(plugin_range_alert(&r, 21));
	assert_int_equal(plugin_range_parse("@10:20", &r), 0);
	assert_true(plugin_range_alert(&r, 10));
	assert_true(plugin_range_alert(&r, 20));
	assert_false(plugin_range_alert(&r, 21));
	/* "0": any count above 0, the default -w. */
	assert_int_equal(plugin_range_parse("0", &r), 0);
	assert_false(plugin_range_alert(&r, 0));
	assert_true(plugin_range_alert(&r, 1));
	/* Not ranges. */
	assert_int_equal(plugin_range_parse("", &r), -EINVAL);
	assert_int_equal(plugin_range_parse("x", &r), -EINVAL);
	assert_int_equal(plugin_range_parse("5:1", &r), -EINVAL);
	assert_int_equal(plugin_range_parse("1:2:3", &r), -EINVAL);
	assert_int_equal(plugin_range_parse("@", &r), -EINVAL);
	assert_int_equal(plugin_range_parse(":", &r), -EINVAL);
	assert_int_equal(plugin_range_parse("nan", &r), -EINVAL);
	assert_int_equal(plugin_range_parse("0123456789012345678901234567890123", &r), -EINVAL);
	/* An unset range never alerts. */
	memset(&r, 0, sizeof(r));
	assert_false(plugin_range_alert(&r, 1e9));
}

static const char line[] =
	"ASCONFD WARNING - 2 socket(s), 4 address(es) bound, 1 association(s); 0 failed "
	"address(es), 1 peer(s) not told, 0 socket(s) not taken back after a restart, 0 held "
	"only by asconfd (released) (first: socket 1 of pid 7 x)"
	" | sockets=2 bound=4 associations=1 failed=0 untold=1 untaken=0 orphans=0";

static void test_parse(void **state)
{
	struct plugin_counts c;
	char text[512];

	(void)state;
	assert_int_equal(plugin_parse(line, text, sizeof(text), &c), 0);
	assert_string_equal(text, "2 socket(s), 4 address(es) bound, 1 association(s); 0 failed "
			    "address(es), 1 peer(s) not told, 0 socket(s) not taken back after a "
			    "restart, 0 held only by asconfd (released) (first: socket 1 of pid 7 x)");
	assert_int_equal(c.v[PC_SOCKETS], 2);
	assert_int_equal(c.v[PC_BOUND], 4);
	assert_int_equal(c.v[PC_ASSOC], 1);
	assert_int_equal(c.v[PC_UNTOLD], 1);
	assert_int_equal(c.v[PC_UNKNOWN], 0);
	assert_int_equal(plugin_parse("ASCONFD OK - x | sockets=1 untold=0 unknown=4", text,
				      sizeof(text), &c), 0);
	assert_int_equal(c.v[PC_UNKNOWN], 4);
	/* An older daemon: no untaken, orphans; they count 0. */
	assert_int_equal(plugin_parse("ASCONFD OK - x | sockets=3 bound=1 associations=0 "
				      "failed=0 untold=0", text, sizeof(text), &c), 0);
	assert_int_equal(c.v[PC_SOCKETS], 3);
	assert_int_equal(c.v[PC_ORPHANS], 0);
	/* Perfdata with thresholds parses too. */
	assert_int_equal(plugin_parse("ASCONFD OK - x | sockets=3;;1:;0; failed=2;0;;0;",
				      text, sizeof(text), &c), 0);
	assert_int_equal(c.v[PC_FAILED], 2);
	/* Not the daemon's line. */
	assert_int_equal(plugin_parse("garbage", text, sizeof(text), &c), -EINVAL);
	assert_int_equal(plugin_parse("ASCONFD OK - no perfdata", text, sizeof(text), &c),
			 -EINVAL);
	assert_int_equal(plugin_parse("ASCONFD OK - x | bound=1", text, sizeof(text), &c),
			 -EINVAL);
	assert_int_equal(plugin_parse("ASCONFD OK - x | sockets=x", text, sizeof(text), &c),
			 -EINVAL);
	assert_int_equal(plugin_parse("ASCONFD OK - x | sockets", text, sizeof(text), &c),
			 -EINVAL);
}

static int eval(unsigned long sockets, int problem, unsigned long v, unsigned long min,
		const char *w, const char *crit, char *why, size_t len)
{
	struct plugin_counts c = { { 0 } };
	struct plugin_opts o = { .min_sockets = min };

	c.v[PC_SOCKETS] = sockets;
	if (problem >= 0)
		c.v[problem] = v;
	assert_int_equal(plugin_range_parse(w ? w : "0", &o.warn), 0);
	if (crit)
		assert_int_equal(plugin_range_parse(crit, &o.crit), 0);
	return plugin_eval(&c, &o, why, len);
}

static void test_eval(void **state)
{
	char why[256];

	(void)state;
	/* 0 sockets is OK unless --min-sockets says otherwise. */
	assert_int_equal(eval(0, -1, 0, 0, NULL, NULL, why, sizeof(why)), PLUGIN_OK);
	assert_string_equal(why, "");
	assert_int_equal(eval(0, -1, 0, 1, NULL, NULL, why, sizeof(why)), PLUGIN_CRITICAL);
	assert_non_null(strstr(why, "fewer than 1 socket(s)"));
	assert_int_equal(eval(2, -1, 0, 2, NULL, NULL, why, sizeof(why)), PLUGIN_OK);
	/* Each problem count is WARNING by default, with no extra reason (the
	 * daemon's text says it). */
	for (int k = PC_FIRST_PROBLEM; k <= PC_LAST_PROBLEM; k++) {
		assert_int_equal(eval(1, k, 1, 0, NULL, NULL, why, sizeof(why)), PLUGIN_WARNING);
		assert_string_equal(why, "");
	}
	/* Unknown (the kernel cannot say whether peers are told: before
	 * Linux 5.4) is its own state, not a problem: no threshold applies. */
	assert_int_equal(eval(1, PC_UNKNOWN, 3, 0, NULL, "1", why, sizeof(why)), PLUGIN_OK);
	assert_string_equal(why, "");
	/* -w 2 -c 5 on the orphans. */
	assert_int_equal(eval(1, PC_ORPHANS, 2, 0, "2", "5", why, sizeof(why)), PLUGIN_OK);
	assert_int_equal(eval(1, PC_ORPHANS, 3, 0, "2", "5", why, sizeof(why)), PLUGIN_WARNING);
	assert_string_equal(why, "orphans=3 outside -w 2");
	assert_int_equal(eval(1, PC_UNTAKEN, 6, 0, "2", "5", why, sizeof(why)), PLUGIN_CRITICAL);
	assert_string_equal(why, "untaken=6 outside -c 5");
	/* CRITICAL wins over WARNING; min-sockets and a threshold together. */
	assert_int_equal(eval(0, PC_FAILED, 1, 1, NULL, NULL, why, sizeof(why)), PLUGIN_CRITICAL);
	/* A warning range that tolerates everything. */
	assert_int_equal(eval(1, PC_UNTOLD, 100, 0, "~:", NULL, why, sizeof(why)), PLUGIN_OK);
}

static void test_perfdata(void **state)
{
	struct plugin_counts c = { { 3, 4, 1, 0, 2, 0, 1, 2 } };
	struct plugin_opts o = { .min_sockets = 1 };
	char buf[512];

	(void)state;
	assert_int_equal(plugin_range_parse("0", &o.warn), 0);
	assert_int_equal(plugin_range_parse("5", &o.crit), 0);
	plugin_perfdata(&c, &o, buf, sizeof(buf));
	assert_string_equal(buf, "sockets=3;;1:;0; bound=4;;;0; associations=1;;;0; "
			    "failed=0;0;5;0; untold=2;0;5;0; untaken=0;0;5;0; orphans=1;0;5;0; "
			    "unknown=2;;;0;");
	o = (struct plugin_opts){ 0 };
	plugin_perfdata(&c, &o, buf, sizeof(buf));
	assert_string_equal(buf, "sockets=3;;;0; bound=4;;;0; associations=1;;;0; "
			    "failed=0;;;0; untold=2;;;0; untaken=0;;;0; orphans=1;;;0; "
			    "unknown=2;;;0;");
	/* Cut, never overrun. */
	plugin_perfdata(&c, &o, buf, 10);
	assert_int_equal(strlen(buf), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_syntax),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_perfdata),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
