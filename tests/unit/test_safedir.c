// SPDX-License-Identifier: GPL-2.0-or-later
/* Who may change the directories of the state file and the control
 * socket (safedir.h's rule). */
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

#include "../../agent/daemon/config/safedir.h"

static char top[] = "/tmp/test_safedir.XXXXXX";
static char why[512];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(top))
		return -1;
	return chmod(top, 0755);
}

static int teardown(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	return system(cmd);
}

static const char *at(const char *rel)
{
	static char buf[4][128];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", top, rel);
	return buf[k];
}

static int check(const char *rel)
{
	why[0] = '\0';
	return safedir_check(at(rel), 0, "state file", why, sizeof(why));
}

static void mkdir_mode(const char *rel, mode_t mode, uid_t uid)
{
	assert_int_equal(mkdir(at(rel), 0700), 0);
	assert_int_equal(chown(at(rel), uid, 0), 0);
	assert_int_equal(chmod(at(rel), mode), 0);
}

static void own_directory_is_fine(void **state)
{
	(void)state;
	mkdir_mode("ok", 0755, 0);
	assert_int_equal(check("ok/state"), 0);
	/* Not made yet: the daemon makes it, in a directory that is fine. */
	assert_int_equal(check("ok/missing/state"), 0);
	/* The daemon's own user may own it. */
	mkdir_mode("mine", 0700, 4242);
	assert_int_equal(safedir_check(at("mine/state"), 4242, "state file", why, sizeof(why)), 0);
}

static void writable_by_others_refused(void **state)
{
	(void)state;
	mkdir_mode("world", 0777, 0);
	assert_int_equal(check("world/state"), -EPERM);
	assert_non_null(strstr(why, "state file's directory "));
	assert_non_null(strstr(why, "/world: owned by uid 0, mode 0777: writable by group or others"));
	mkdir_mode("group", 0770, 0);
	assert_int_equal(check("group/state"), -EPERM);
	assert_non_null(strstr(why, "mode 0770"));
	/* Sticky does not make the file's own directory safe: anyone could
	 * put a FIFO or a file of theirs at its name first. */
	mkdir_mode("tmp", 01777, 0);
	assert_int_equal(check("tmp/state"), -EPERM);
	/* A directory of the daemon's inside a writable one: the parent can
	 * be renamed away from under it. */
	mkdir_mode("world/inner", 0755, 0);
	assert_int_equal(check("world/inner/state"), -EPERM);
	assert_non_null(strstr(why, "/world: "));
	/* Missing: judged by the first directory that is there. */
	assert_int_equal(check("world/missing/state"), -EPERM);
}

static void sticky_root_above_is_fine(void **state)
{
	(void)state;
	mkdir_mode("sticky", 01777, 0);
	mkdir_mode("sticky/run", 0755, 0);
	assert_int_equal(check("sticky/run/state"), 0);
	assert_int_equal(check("sticky/run/missing/state"), 0);
	/* Sticky but another user's: refused. */
	mkdir_mode("usticky", 01777, 4242);
	mkdir_mode("usticky/run", 0755, 0);
	assert_int_equal(check("usticky/run/state"), -EPERM);
}

static void other_owner_refused(void **state)
{
	(void)state;
	mkdir_mode("theirs", 0755, 4242);
	assert_int_equal(check("theirs/state"), -EPERM);
	assert_non_null(strstr(why, "/theirs: owned by uid 4242, mode 0755: owned by another user"));
	/* Via a link: where it leads counts too. */
	assert_int_equal(symlink(at("theirs"), at("link")), 0);
	assert_int_equal(check("link/state"), -EPERM);
	/* A link to a fine directory is fine. */
	mkdir_mode("fine", 0755, 0);
	assert_int_equal(symlink(at("fine"), at("link2")), 0);
	assert_int_equal(check("link2/state"), 0);
}

static void relative_path(void **state)
{
	char cwd[4096];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	mkdir_mode("rel", 0777, 0);
	assert_int_equal(chdir(at("rel")), 0);
	assert_int_equal(safedir_check("state", 0, "state file", why, sizeof(why)), -EPERM);
	assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_directory_is_fine),
		cmocka_unit_test(writable_by_others_refused),
		cmocka_unit_test(sticky_root_above_is_fine),
		cmocka_unit_test(other_owner_refused),
		cmocka_unit_test(relative_path),
	};

	if (geteuid() != 0) {
		printf("test_safedir: needs root (chown)\n");
		return 0;
	}
	return cmocka_run_group_tests_name("safedir", tests, setup, teardown);
}
