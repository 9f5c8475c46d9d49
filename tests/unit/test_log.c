// SPDX-License-Identifier: GPL-2.0-or-later
/* The rate limit that keeps a flood of bad netlink messages from flooding
 * the log: one line per interval, with the count of what was held back. */
#include <errno.h>
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

/* stderr to a fresh file for a test; size_of_log says how much reached it. */
struct capture {
	char path[32];
	int fd, saved;
};

static void capture_start(struct capture *c)
{
	snprintf(c->path, sizeof(c->path), "/tmp/test_log.XXXXXX");
	c->fd = mkstemp(c->path);
	c->saved = dup(2);
	assert_true(c->fd >= 0 && c->saved >= 0);
	fflush(stderr);
	dup2(c->fd, 2);
	unsetenv("JOURNAL_STREAM");
}

static long size_of_log(const struct capture *c)
{
	struct stat st;

	assert_int_equal(fstat(c->fd, &st), 0);
	return (long)st.st_size;
}

static char *capture_end(struct capture *c)
{
	static char out[4096];
	ssize_t n;

	log_flush();
	dup2(c->saved, 2);
	close(c->saved);
	n = pread(c->fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(c->fd);
	unlink(c->path);
	return out;
}

/* A line longer than the formatting buffer comes out whole, %m included. */
static void long_line_whole(void **state)
{
	struct capture c;
	char big[1500], want[1600], *out;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	capture_start(&c);
	log_open("asconfd", false, LOG_INFO);
	errno = ENOENT;
	log_info("%s %m", big);
	out = capture_end(&c);
	snprintf(want, sizeof(want), "asconfd: %s %s\n", big, strerror(ENOENT));
	assert_string_equal(out, want);
}

/* Buffered (the daemon's event loop): nothing reaches the file before
 * log_flush, except an error, which goes out at once with what preceded. */
static void buffered_until_flush(void **state)
{
	struct capture c;

	(void)state;
	capture_start(&c);
	log_open("asconfd", false, LOG_INFO);
	log_buffer();
	log_info("one");
	log_warn("two");
	assert_int_equal(size_of_log(&c), 0);
	log_flush();
	assert_int_equal(size_of_log(&c), (long)strlen("asconfd: one\nasconfd: two\n"));
	log_info("three");
	assert_int_equal(size_of_log(&c), (long)strlen("asconfd: one\nasconfd: two\n"));
	log_err("four");
	assert_string_equal(capture_end(&c),
			    "asconfd: one\nasconfd: two\nasconfd: three\nasconfd: four\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_line_per_interval),
		cmocka_unit_test(journal_priority_prefixes),
		cmocka_unit_test(long_line_whole),
		cmocka_unit_test(buffered_until_flush),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
