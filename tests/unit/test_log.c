// SPDX-License-Identifier: GPL-2.0-or-later
/* The rate limit that keeps a flood of bad netlink messages from flooding
 * the log: one line per interval, with the count of what was held back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
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

/* Runs three log lines (warning, info, debug) at max level INFO with
 * stderr sent to a file, JOURNAL_STREAM set to js (NULL: unset, "FILE": the
 * file's own dev:ino), and returns what was written. */
static char *logged(const char *js)
{
	static char out[512];
	char path[] = "/tmp/test_log.XXXXXX", id[64];
	int fd = mkstemp(path), saved = dup(2);
	struct stat st;
	FILE *f;
	size_t n;

	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(id, sizeof(id), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	if (!js)
		unsetenv("JOURNAL_STREAM");
	else
		setenv("JOURNAL_STREAM", strcmp(js, "FILE") ? js : id, 1);
	dup2(fd, 2);
	log_open("asconfd", false, LOG_INFO);
	log_warn("careful %d", 1);
	log_info("fyi");
	log_debug("hidden");
	dup2(saved, 2);
	close(saved);
	unsetenv("JOURNAL_STREAM");
	f = fdopen(fd, "r");
	assert_non_null(f);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	unlink(path);
	return out;
}

static void journal_priority_prefixes(void **state)
{
	(void)state;
	/* stderr is the journal's stream: "<N>" priorities, no identifier. */
	assert_string_equal(logged("FILE"), "<4>careful 1\n<6>fyi\n");
	/* Not the journal (or another stream inherited): plain lines. */
	assert_string_equal(logged(NULL), "asconfd: careful 1\nasconfd: fyi\n");
	assert_string_equal(logged("1:2"), "asconfd: careful 1\nasconfd: fyi\n");
	assert_string_equal(logged("garbage"), "asconfd: careful 1\nasconfd: fyi\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_line_per_interval),
		cmocka_unit_test(journal_priority_prefixes),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
