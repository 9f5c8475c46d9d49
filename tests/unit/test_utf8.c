// SPDX-License-Identifier: GPL-2.0-or-later
/* utf8_clean, as asconfctl check uses it on a process name: what comes
 * out is valid UTF-8 with no control character and none of the bytes the
 * caller names ('|' starts the perfdata of a monitoring plugin's line). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../common/utf8.h"

#define R UTF8_REPLACEMENT

static void hostile_names(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "sctpd", "sctpd" },
		{ "a|b=1;2", "a" R "b=1;2" },
		{ "\"x\\y", "\"x\\y" },
		{ "a\nb", "a" R "b" },
		{ "\xff\xc3", R R },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xc0\xaf", R R },            /* overlong '/' */
		{ "\xf4\x90\x80\x80", R R R R },        /* past U+10FFFF */
		{ "\x7f\t", R R },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		utf8_clean(out, sizeof(out), cases[i].in, "|");
		assert_string_equal(out, cases[i].want);
	}
}

/* A short buffer cuts between characters, never inside one. */
static void cut_between_characters(void **state)
{
	char out[6];

	(void)state;
	utf8_clean(out, sizeof(out), "ab\xc3\xa9\xc3\xa9", NULL);
	assert_string_equal(out, "ab\xc3\xa9");
	utf8_clean(out, sizeof(out), "abc|\xff", NULL);
	assert_string_equal(out, "abc|");
	utf8_clean(out, 1, "abc", NULL);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_names),
		cmocka_unit_test(cut_between_characters),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
