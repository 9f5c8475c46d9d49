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

#include "../../agent/daemon/owners/orphan.h"

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

/* The owner (a child) holds the socket under the number it handed over:
 * one kcmp answers, no /proc read.  Once it closed that number, the scan
 * decides: held under another number, then not at all. */
static void owner_number_answers_first(void **state)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), mine = dup(fd), go[2], done[2];
	struct orphan_scan *scan;
	struct stat st;
	char c;
	pid_t child;

	(void)state;
	assert_true(fd >= 0 && mine >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	child = fork();
	if (!child) {
		int other = dup(fd);    /* the socket under a second number */

		close(mine);
		close(go[1]);           /* EOF once the parent closes its end */
		close(done[0]);
		for (int step = 0; read(go[0], &c, 1) == 1; step++) {
			close(step ? other : fd);
			if (write(done[1], "x", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	/* The child holds fd (the same open file as mine). */
	scan = orphan_scan_new();
	assert_true(orphan_held_at(scan, child, st.st_ino, mine, fd));
	assert_int_equal(orphan_scanned(scan), 0);
	orphan_scan_free(scan);
	/* It closed fd but holds the socket as other: the scan finds it. */
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(read(done[0], &c, 1), 1);
	scan = orphan_scan_new();
	assert_true(orphan_held_at(scan, child, st.st_ino, mine, fd));
	assert_int_equal(orphan_scanned(scan), 1);
	orphan_scan_free(scan);
	/* And not at all: not held. */
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(read(done[0], &c, 1), 1);
	scan = orphan_scan_new();
	assert_false(orphan_held_at(scan, child, st.st_ino, mine, fd));
	/* Unknown number: straight to the scan. */
	assert_false(orphan_held_at(scan, child, st.st_ino, mine, -1));
	orphan_scan_free(scan);
	close(go[1]);
	waitpid(child, NULL, 0);
	close(go[0]);
	close(done[0]);
	close(done[1]);
	close(fd);
	close(mine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(held_until_closed),
		cmocka_unit_test(gone_process_holds_nothing),
		cmocka_unit_test(owner_number_answers_first),
	};

	return cmocka_run_group_tests_name("orphan", tests, NULL, NULL);
}
