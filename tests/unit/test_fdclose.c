// SPDX-License-Identifier: GPL-2.0-or-later
/* fdclose_foreign on the host's real TCP stack: a socket with SO_LINGER
 * and unsent data, whose close is the last, blocks close() for the
 * linger time; the caller must not wait for it.  (SCTP's sctp_close waits
 * the same way; the VM tier's linger_close scenario shows that one.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <valgrind/valgrind.h>

#include "../../common/fdclose.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Under valgrind a close that blocks holds every thread (valgrind runs one
 * at a time and does not count close among the calls that may block): the
 * linger is cut to 1 s there and the caller's timing is not asserted; the
 * memory checks still run. */
static int linger_s(void)
{
	return RUNNING_ON_VALGRIND ? 1 : 30;
}

static bool caller_did_not_wait(double t0)
{
	return RUNNING_ON_VALGRIND || now_s() - t0 < 5;
}


/* Each lingering close ends once its reader reset: within a second, or
 * one at a time under valgrind. */
static void wait_all_closed(void)
{
	for (int i = 0; i < 6000 && fdclose_pending(); i++)
		usleep(10000);
}

/* A connected TCP pair on loopback whose reader never reads, the writer's
 * buffers full: its close with SO_LINGER waits for the data to go. */
static int stuck_writer(int *reader, int *listener, int linger_s)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	struct linger lg = { .l_onoff = 1, .l_linger = linger_s };
	int small = 4096, w;
	char buf[65536] = { 0 };

	*listener = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*listener >= 0);
	assert_int_equal(setsockopt(*listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	assert_int_equal(bind(*listener, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(*listener, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(listen(*listener, 1), 0);
	w = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(w >= 0);
	assert_int_equal(setsockopt(w, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	assert_int_equal(connect(w, (struct sockaddr *)&sin, sizeof(sin)), 0);
	*reader = accept(*listener, NULL, NULL);
	assert_true(*reader >= 0);
	fcntl(w, F_SETFL, O_NONBLOCK);
	while (send(w, buf, sizeof(buf), 0) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	fcntl(w, F_SETFL, 0);
	assert_int_equal(setsockopt(w, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	return w;
}

static void lingering_close_does_not_block(void **state)
{
	int reader, listener, w = stuck_writer(&reader, &listener, linger_s());
	struct linger off = { 0 };
	double t0;

	(void)state;
	assert_true(fdclose_may_block(w));
	t0 = now_s();
	fdclose_foreign(w);
	/* The close itself would take 30 s. */
	assert_true(caller_did_not_wait(t0));
	assert_int_equal(fdclose_pending(), 1);
	/* The reader resets: the lingering close ends, its thread too. */
	setsockopt(reader, SOL_SOCKET, SO_LINGER, &(struct linger){ 1, 0 }, sizeof(off));
	close(reader);
	close(listener);
	wait_all_closed();
	assert_int_equal(fdclose_pending(), 0);
}

static void many_lingering_closes_do_not_block(void **state)
{
	enum { N = 20 };
	int reader[N], listener[N];
	double t0;

	(void)state;
	/* More than there are closer threads: the rest queue, the caller
	 * still does not wait. */
	t0 = now_s();
	for (int i = 0; i < N; i++)
		fdclose_foreign(stuck_writer(&reader[i], &listener[i], linger_s()));
	assert_true(caller_did_not_wait(t0));
	if (!RUNNING_ON_VALGRIND)
		assert_int_equal(fdclose_pending(), N);
	for (int i = 0; i < N; i++) {
		setsockopt(reader[i], SOL_SOCKET, SO_LINGER, &(struct linger){ 1, 0 },
			   sizeof(struct linger));
		close(reader[i]);
		close(listener[i]);
	}
	wait_all_closed();
	assert_int_equal(fdclose_pending(), 0);
}

static void plain_socket_closes_at_once(void **state)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), sv[2];
	struct stat st;

	(void)state;
	assert_true(s >= 0);
	assert_false(fdclose_may_block(s));
	fdclose_foreign(s);
	assert_int_equal(fdclose_pending(), 0);
	/* Closed by the caller's own call, not later. */
	assert_int_equal(fstat(s, &st), -1);
	assert_int_equal(errno, EBADF);
	/* A Unix socket may carry descriptors in flight: not at once. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_true(fdclose_may_block(sv[0]));
	fdclose_foreign(sv[0]);
	close(sv[1]);
	wait_all_closed();
}

static void not_a_socket_may_block(void **state)
{
	int p[2];

	(void)state;
	/* A FIFO, a file on FUSE or NFS: close can wait on someone else. */
	assert_int_equal(pipe(p), 0);
	assert_true(fdclose_may_block(p[0]));
	fdclose_foreign(p[0]);
	close(p[1]);
	wait_all_closed();
	assert_int_equal(fdclose_pending(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lingering_close_does_not_block),
		cmocka_unit_test(many_lingering_closes_do_not_block),
		cmocka_unit_test(plain_socket_closes_at_once),
		cmocka_unit_test(not_a_socket_may_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
