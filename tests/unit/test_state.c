// SPDX-License-Identifier: GPL-2.0-or-later
/* The state file: a round trip through the disk, and what a stale,
 * truncated or foreign file holds. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "../../agent/state.h"

static void round_trip(void **state)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[64], tmp[80], why[128], text[256];
	struct state_entry in[3] = {
		{ 123, 4, 98765, "default", false, 0 },
		{ 1, 0, 1, "gold.v2-x_y", true, 5 },
		{ 2147483647, 2147483647, 18446744073709551615ULL, "p", false,
		  18446744073709551615ULL },
	}, *out;
	size_t n, bad;
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), -ENOENT);
	assert_int_equal(state_write(path, in, 3), 0);
	assert_int_equal(stat(tmp, &st), -1);           /* renamed, not left */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(bad, 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(out[i].pid, in[i].pid);
		assert_int_equal(out[i].fd, in[i].fd);
		assert_true(out[i].ino == in[i].ino);
		assert_string_equal(out[i].policy, in[i].policy);
		assert_int_equal(out[i].adopted, in[i].adopted);
		assert_true(out[i].cookie == in[i].cookie);
	}
	free(out);
	/* The flags are words after the policy, on their socket's line only;
	 * a cookie of 0 (the kernel has none) is not written. */
	f = fopen(path, "r");
	assert_non_null(f);
	text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
	fclose(f);
	assert_string_equal(text, "asconfd-state 1\n"
			    "123 4 98765 default\n"
			    "1 0 1 gold.v2-x_y adopted cookie=5\n"
			    "2147483647 2147483647 18446744073709551615 p "
			    "cookie=18446744073709551615\n");
	/* Rewritten with nothing: a valid file with no entry. */
	assert_int_equal(state_write(path, NULL, 0), 0);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), 0);
	assert_int_equal(n, 0);
	free(out);
	/* A directory where the file should be. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "not a regular file");
	assert_int_equal(state_write(path, in, 1), -EISDIR);
	rmdir(path);
	rmdir(dir);
}

static int parse(const char *text, size_t *n, size_t *bad, char *why, size_t wlen,
		 struct state_entry **out)
{
	return state_parse(text, strlen(text), out, n, bad, why, wlen);
}

static void whole_file_rejected(void **state)
{
	static const char *const bad_files[] = {
		"",
		"asconfd-state 1",              /* header cut */
		"asconfd-state 2\n1 2 3 default\n",
		"asconfd-state 1 \n",
		"\n1 2 3 default\n",
		"PK\x03\x04 zip\n",
	};
	struct state_entry *out;
	size_t n, bad;
	char why[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		assert_int_equal(parse(bad_files[i], &n, &bad, why, sizeof(why), &out), -EINVAL);
		assert_null(out);
		assert_int_equal(n, 0);
		assert_true(why[0]);
	}
	assert_int_equal(state_parse("asconfd-state 1\n\0\n", 18, &out, &n, &bad, why,
				     sizeof(why)), -EINVAL);
	assert_string_equal(why, "not a text file (NUL byte)");
}

static void bad_lines_skipped(void **state)
{
	const char *text =
		"asconfd-state 1\n"
		"10 3 1000 default\n"
		"0 3 1000 default\n"            /* pid 0 */
		"-5 3 1000 default\n"
		"99999999999 3 1000 default\n"
		"11 x 1000 default\n"
		"11 -1 1000 default\n"
		"11 3 0 default\n"
		"11 3 -7 default\n"
		"11 3 99999999999999999999999 default\n"
		"11 3 1000\n"
		"11 3 1000 default extra\n"     /* not a flag */
		"11 3 1000 default adopted extra\n"
		"11 3 1000 default Adopted\n"
		"11 3 1000 bad/name\n"
		"11 3 1000 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
		"\n"
		"12\t4\t2000\tgold\n"
		"14 6 4000 gold adopted\n"
		"13 5 3000 default";            /* cut: no newline */
	struct state_entry *out;
	size_t n, bad;
	char why[128];

	(void)state;
	assert_int_equal(parse(text, &n, &bad, why, sizeof(why), &out), 0);
	assert_int_equal(n, 3);
	assert_int_equal(bad, 16);
	assert_string_equal(why, "line 3: bad pid '0'");
	assert_int_equal(out[0].pid, 10);
	assert_int_equal(out[0].fd, 3);
	assert_int_equal(out[0].ino, 1000);
	assert_string_equal(out[0].policy, "default");
	assert_false(out[0].adopted);
	assert_int_equal(out[1].pid, 12);
	assert_string_equal(out[1].policy, "gold");
	assert_false(out[1].adopted);
	assert_int_equal(out[2].pid, 14);
	assert_int_equal(out[2].ino, 4000);
	assert_true(out[2].adopted);
	free(out);
	assert_int_equal(parse("asconfd-state 1\n1 2 3 p bogus\n", &n, &bad, why, sizeof(why),
			       &out), 0);
	assert_string_equal(why, "line 2: unknown or repeated flag 'bogus' (want 'adopted' or "
			    "'cookie=N')");
	free(out);
}

/* The socket cookie: a file written before it (no cookie) still loads,
 * the flags come in any order, and a cookie that is not a positive number
 * or comes twice makes its line bad. */
static void cookies(void **state)
{
	const char *text =
		"asconfd-state 1\n"
		"10 3 1000 default\n"                  /* an older daemon's line */
		"11 4 1001 default cookie=77\n"
		"12 5 1002 gold cookie=78 adopted\n"
		"13 6 1003 gold adopted cookie=79\n"
		"14 7 1004 default cookie=0\n"
		"14 7 1004 default cookie=\n"
		"14 7 1004 default cookie=-1\n"
		"14 7 1004 default cookie=+1\n"
		"14 7 1004 default cookie=1x\n"
		"14 7 1004 default cookie=99999999999999999999999\n"
		"14 7 1004 default cookie=1 cookie=1\n"
		"14 7 1004 default adopted adopted\n"
		"14 7 1004 default adopted cookie=1 extra\n";
	struct state_entry *out;
	size_t n, bad;
	char why[128];

	(void)state;
	assert_int_equal(parse(text, &n, &bad, why, sizeof(why), &out), 0);
	assert_int_equal(n, 4);
	assert_int_equal(bad, 9);
	assert_string_equal(why, "line 6: bad cookie 'cookie=0'");
	assert_true(out[0].cookie == 0);
	assert_false(out[0].adopted);
	assert_true(out[1].cookie == 77);
	assert_false(out[1].adopted);
	assert_true(out[2].cookie == 78);
	assert_true(out[2].adopted);
	assert_true(out[3].cookie == 79);
	assert_true(out[3].adopted);
	free(out);
}

/* Writing the file takes at most a tenth of the time in a burst, and
 * never comes more often than every 100 ms. */
static void interval_follows_the_write_cost(void **state)
{
	(void)state;
	assert_int_equal(state_interval_ms(0), STATE_MIN_INTERVAL_MS);
	assert_int_equal(state_interval_ms(10), STATE_MIN_INTERVAL_MS);
	assert_int_equal(state_interval_ms(11), 110);
	assert_int_equal(state_interval_ms(70), 700);
	assert_int_equal(state_interval_ms(UINT_MAX), UINT_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(interval_follows_the_write_cost),
		cmocka_unit_test(whole_file_rejected),
		cmocka_unit_test(bad_lines_skipped),
		cmocka_unit_test(cookies),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
