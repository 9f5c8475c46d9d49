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
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "../../agent/daemon/config/config.h"
#include "../../agent/daemon/owners/state.h"
#include "../../sctp/policy.h"

/* Runs fn(arg) in a child: true when it returned 0 within 5 s.  Before
 * the fixes an open of a FIFO blocked for ever: the test fails instead of
 * hanging. */
static bool within_5s(int (*fn)(const char *), const char *arg)
{
	int st = 0;
	pid_t pid = fork(), w = 0;

	if (pid == 0)
		_exit(fn(arg) ? 1 : 0);
	assert_true(pid > 0);
	for (int i = 0; i < 500 && !(w = waitpid(pid, &st, WNOHANG)); i++)
		usleep(10000);
	if (!w) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return false;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static char why_fifo[128];

static int read_fifo(const char *path)
{
	struct state_entry *out;
	size_t n, bad;
	int err = state_read(path, &out, &n, &bad, why_fifo, sizeof(why_fifo));

	return err == -EINVAL && !strcmp(why_fifo, "not a regular file (a FIFO): not read") ? 0 : 1;
}

/* A FIFO at the state path: refused at once, with a reason (a daemon
 * used to hang in open() at start-up, SIGTERM blocked). */
static void fifo_refused_at_once(void **state)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(within_5s(read_fifo, path));
	unlink(path);
	rmdir(dir);
}

static int write_one(const char *path)
{
	struct state_entry e = { 7, 3, 99, "default", false, 0 };

	return state_write(path, &e, 1);
}

/* Whatever is at the temporary file's name (a stale file, a FIFO, a link
 * to another file) is replaced, never written through. */
static void temp_file_made_new(void **state)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[64], tmp[80], victim[80], buf[16];
	struct state_entry *out;
	size_t n, bad;
	char why[128];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(write_one(path), 0);
	f = fopen(victim, "r");
	assert_non_null(f);
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
	fclose(f);
	assert_string_equal(buf, "precious\n");
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(mkfifo(tmp, 0600), 0);
	assert_true(within_5s(write_one, path));
	assert_int_equal(lstat(tmp, &st), -1);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), 0);
	assert_int_equal(n, 1);
	free(out);
	unlink(path);
	unlink(victim);
	rmdir(dir);
}

/* A link at the path is not followed, and why says so: it was left
 * unset, and the daemon logged whatever its stack held. */
static void symlink_refused_with_reason(void **state)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[64], target[64], why[128];
	struct state_entry *out = (struct state_entry *)&out;
	size_t n = 1, bad = 1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(target, sizeof(target), "%s/real", dir);
	assert_int_equal(write_one(target), 0);
	assert_int_equal(symlink(target, path), 0);
	memset(why, 'X', sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), -ELOOP);
	assert_string_equal(why, "a symbolic link (not followed)");
	assert_null(out);
	assert_int_equal(n, 0);
	/* Nothing there: why is empty, not stale. */
	unlink(path);
	memset(why, 'X', sizeof(why) - 1);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), -ENOENT);
	assert_string_equal(why, "");
	unlink(target);
	rmdir(dir);
}

/* Another user's file would decide whose descriptors the daemon takes. */
static void foreign_file_refused(void **state)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[64], why[128];
	struct state_entry *out;
	size_t n, bad;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	assert_int_equal(write_one(path), 0);
	assert_int_equal(chown(path, 4242, 4242), 0);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), -EPERM);
	assert_null(out);
	assert_string_equal(why, "owned by uid 4242, neither root nor the daemon's uid 0: not read");
	unlink(path);
	rmdir(dir);
}

/* The longest name the configuration accepts is written whole and read
 * back as the same policy (a 63-byte field cut it, and the socket was
 * dropped at restart as "policy no longer exists"). */
static void longest_policy_survives_restart(void **state)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[64], conf[64], why[512];
	char name[CONFIG_POLICY_NAME_MAX + 1];
	struct state_entry e = { 10, 3, 1234, "", false, 0 }, *out;
	struct config *cfg;
	struct policy *p;
	size_t n, bad;
	FILE *f;

	(void)state;
	memset(name, 'p', CONFIG_POLICY_NAME_MAX);
	name[CONFIG_POLICY_NAME_MAX] = '\0';
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(conf, sizeof(conf), "%s/asconfd.conf", dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "[policy %s]\ninterfaces = eth*\n", name);
	fclose(f);
	assert_int_equal(config_load(conf, true, NULL, &cfg, why, sizeof(why)), 0);
	p = config_policy_find(cfg, name);
	assert_non_null(p);
	/* As the daemon records a socket (tracking.c). */
	snprintf(e.policy, sizeof(e.policy), "%s", policy_name(p));
	assert_int_equal(state_write(path, &e, 1), 0);
	assert_int_equal(state_read(path, &out, &n, &bad, why, sizeof(why)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(bad, 0);
	assert_ptr_equal(config_policy_find(cfg, out[0].policy), p);
	free(out);
	config_free(cfg);
	/* One more character: the configuration refuses it. */
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "[policy %sp]\n", name);
	fclose(f);
	assert_int_equal(config_load(conf, true, NULL, &cfg, why, sizeof(why)), -EINVAL);
	assert_null(cfg);
	unlink(conf);
	unlink(path);
	rmdir(dir);
}

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
	assert_string_equal(why, "not a regular file (a directory): not read");
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
		cmocka_unit_test(fifo_refused_at_once),
		cmocka_unit_test(temp_file_made_new),
		cmocka_unit_test(symlink_refused_with_reason),
		cmocka_unit_test(foreign_file_refused),
		cmocka_unit_test(longest_policy_survives_restart),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
