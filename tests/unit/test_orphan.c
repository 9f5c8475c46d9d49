// SPDX-License-Identifier: GPL-2.0-or-later
/* The orphan check on this very process's descriptors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "../../agent/orphan.h"

static void held_until_closed(void **state)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct stat st;

	(void)state;
	struct orphan_scan *scan = orphan_scan_new();

	assert_int_equal(fstat(fd, &st), 0);
	assert_true(orphan_held(scan, getpid(), st.st_ino));
	assert_false(orphan_held(scan, getpid(), st.st_ino + 1000000));
	orphan_scan_free(scan);
	close(fd);
	/* A scan is a snapshot: a new one sees the close. */
	scan = orphan_scan_new();
	assert_false(orphan_held(scan, getpid(), st.st_ino));
	orphan_scan_free(scan);
}

static void gone_process_holds_nothing(void **state)
{
	struct orphan_scan *scan = orphan_scan_new();
	pid_t child = fork();

	(void)state;
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	assert_false(orphan_held(scan, child, 12345));
	/* No pid to check (peer credentials unknown): assume held. */
	assert_true(orphan_held(scan, 0, 12345));
	orphan_scan_free(scan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(held_until_closed),
		cmocka_unit_test(gone_process_holds_nothing),
	};

	return cmocka_run_group_tests_name("orphan", tests, NULL, NULL);
}
