// SPDX-License-Identifier: GPL-2.0-or-later
/* The inode set: appended in any order, sorted once with each inode once,
 * searched; emptied for reuse. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../common/inoset.h"

static void add_sort_has(void **state)
{
	struct inoset s = { 0 };

	(void)state;
	assert_false(inoset_has(&s, 1));
	inoset_sort(&s);                        /* empty: nothing to do */
	/* More than the first allocation, backwards, each twice. */
	for (ino_t i = 40; i > 0; i--) {
		assert_int_equal(inoset_add(&s, i * 10), 0);
		assert_int_equal(inoset_add(&s, i * 10), 0);
	}
	assert_int_equal(s.n, 80);
	inoset_sort(&s);
	assert_int_equal(s.n, 40);
	for (size_t i = 0; i < s.n; i++)
		assert_int_equal(s.v[i], (i + 1) * 10);
	assert_true(inoset_has(&s, 10));
	assert_true(inoset_has(&s, 400));
	assert_false(inoset_has(&s, 15));
	assert_false(inoset_has(&s, 0));
	assert_false(inoset_has(&s, 410));
	inoset_free(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
	assert_false(inoset_has(&s, 10));
	assert_int_equal(inoset_add(&s, 7), 0);     /* usable again */
	inoset_sort(&s);
	assert_true(inoset_has(&s, 7));
	inoset_free(&s);
}

/* inoset_cmp orders structs by a first inode member too. */
static void cmp_first_member(void **state)
{
	struct pair {
		ino_t ino;
		int tag;
	} v[] = { { 30, 0 }, { 10, 1 }, { 20, 2 } };

	(void)state;
	qsort(v, 3, sizeof(v[0]), inoset_cmp);
	assert_int_equal(v[0].tag, 1);
	assert_int_equal(v[1].tag, 2);
	assert_int_equal(v[2].tag, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_sort_has),
		cmocka_unit_test(cmp_first_member),
	};

	return cmocka_run_group_tests_name("inoset", tests, NULL, NULL);
}
