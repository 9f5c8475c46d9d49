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
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(orphan_held(getpid(), st.st_ino));
	close(fd);
	assert_false(orphan_held(getpid(), st.st_ino));
}

static void gone_process_holds_nothing(void **state)
{
	pid_t child = fork();

	(void)state;
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	assert_false(orphan_held(child, 12345));
	/* No pid to check (peer credentials unknown): assume held. */
	assert_true(orphan_held(0, 12345));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(held_until_closed),
		cmocka_unit_test(gone_process_holds_nothing),
	};

	return cmocka_run_group_tests_name("orphan", tests, NULL, NULL);
}
