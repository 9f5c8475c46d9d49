// SPDX-License-Identifier: GPL-2.0-or-later
/* Owner watching with real child processes, with pidfds and with the
 * fallback timer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "../../agent/daemon/owners/owner.h"
#include "../../agent/daemon/owners/pidfd.h"

static pid_t gone_pid[8];
static int ngone;

static void on_gone(pid_t pid, void *ctx)
{
	(void)ctx;
	if (ngone < 8)
		gone_pid[ngone++] = pid;
}

static bool have_pidfd(void)
{
	int fd = sys_pidfd_open(getpid());

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static pid_t child(void)
{
	pid_t p = fork();

	if (!p) {
		pause();
		_exit(0);
	}
	return p;
}

/* Waits up to ms for events and hands them to o. */
static void pump(struct owners *o, int epfd, int ms)
{
	struct epoll_event ev[4];
	int n = epoll_wait(epfd, ev, 4, ms);

	for (int i = 0; i < n; i++)
		assert_true(owners_handle(o, ev[i].data.fd, on_gone, NULL));
}

static void exit_is_seen(bool timer)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct owners *o = owners_new(epfd, timer);
	pid_t a = child(), b = child();
	pid_t pids[] = { a, b, a };
	struct epoll_event ev;

	assert_non_null(o);
	/* Without pidfd_open (valgrind does not know it) the timer runs. */
	assert_int_equal(owners_polling(o), timer || !have_pidfd());
	ngone = 0;
	assert_int_equal(owners_sync(o, pids, 3, on_gone, NULL), 0);
	pump(o, epfd, 300);
	assert_int_equal(ngone, 0);
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	for (int i = 0; i < 10 && !ngone; i++)
		pump(o, epfd, 100);
	assert_int_equal(ngone, 1);
	assert_int_equal(gone_pid[0], a);
	/* A zombie (not reaped yet) has exited too. */
	kill(b, SIGKILL);
	for (int i = 0; i < 10 && ngone < 2; i++)
		pump(o, epfd, 100);
	assert_int_equal(ngone, 2);
	assert_int_equal(gone_pid[1], b);
	waitpid(b, NULL, 0);
	/* Nothing watched: no wakeup at all, timer or not. */
	assert_int_equal(owners_sync(o, NULL, 0, on_gone, NULL), 0);
	assert_int_equal(epoll_wait(epfd, &ev, 1, 400), 0);
	assert_false(owners_handle(o, 12345, on_gone, NULL));
	owners_free(o);
	close(epfd);
}

static void with_pidfd(void **state)
{
	(void)state;
	exit_is_seen(false);
}

static void with_timer(void **state)
{
	(void)state;
	exit_is_seen(true);
}

static void gone_before_watched(void **state)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	pid_t a = child();

	(void)state;
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	for (int timer = 0; timer < 2; timer++) {
		struct owners *o = owners_new(epfd, timer);
		pid_t me = getpid();
		pid_t pids[] = { me, a };

		ngone = 0;
		assert_int_equal(owners_sync(o, pids, 2, on_gone, NULL), 0);
		assert_int_equal(ngone, 1);
		assert_int_equal(gone_pid[0], a);
		owners_free(o);
	}
	close(epfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(with_pidfd),
		cmocka_unit_test(with_timer),
		cmocka_unit_test(gone_before_watched),
	};

	return cmocka_run_group_tests_name("owner", tests, NULL, NULL);
}
