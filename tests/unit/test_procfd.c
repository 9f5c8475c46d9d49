// SPDX-License-Identifier: GPL-2.0-or-later
/* procfd_find: the owners of a set of socket inodes, and procfd_sockets:
 * the sockets of one process, on the real /proc (this process's own
 * sockets, a child's) and on a hand-made tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../../common/procfd.h"

static ino_t ino_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

/* Our own sockets are found with our pid and the right descriptor; an
 * inode nobody holds is not; the answer comes sorted by inode. */
static void own_sockets(void **state)
{
	int sv[2], u = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct procfd_hit h[3];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_true(u >= 0);
	h[0].ino = ino_of(sv[1]);
	h[1].ino = 1;                   /* no socket has inode 1 */
	h[2].ino = ino_of(u);
	assert_int_equal(procfd_find("/proc", 0, h, 3, NULL), 2);
	for (int i = 0; i < 3; i++) {
		if (h[i].ino == 1) {
			assert_int_equal(h[i].pid, 0);
			continue;
		}
		assert_int_equal(h[i].pid, getpid());
		assert_int_equal(ino_of(h[i].fd), h[i].ino);
	}
	assert_true(h[0].ino <= h[1].ino && h[1].ino <= h[2].ino);
	/* Skipping this process: nobody holds them. */
	assert_int_equal(procfd_find("/proc", getpid(), h, 3, NULL), 0);
	close(sv[0]);
	close(sv[1]);
	close(u);
}

/* A socket only a child holds is the child's. */
static void childs_socket(void **state)
{
	int sv[2], pipefd[2];
	struct procfd_hit h;
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(pipefd), 0);
	h.ino = ino_of(sv[1]);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	close(sv[1]);
	assert_int_equal(procfd_find("/proc", 0, &h, 1, NULL), 1);
	assert_int_equal(h.pid, pid);
	assert_int_equal(h.fd, sv[1]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(sv[0]);
	close(pipefd[0]);
}

/* mkdir DIR/REL. */
static void made_dir(const char *dir, const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

/* A hand-made tree: what is not a pid, not a socket link, or a socket
 * link of another inode does not count. */
static void made_tree(void **state)
{
	char dir[] = "/tmp/procfd-XXXXXX", p[256];
	struct procfd_hit h[2] = { { .ino = 4242 }, { .ino = 77 } };

	(void)state;
	assert_non_null(mkdtemp(dir));
	made_dir(dir, "123");
	made_dir(dir, "123/fd");
	snprintf(p, sizeof(p), "%s/123/fd/3", dir);
	assert_int_equal(symlink("pipe:[4242]", p), 0);
	snprintf(p, sizeof(p), "%s/123/fd/9", dir);
	assert_int_equal(symlink("socket:[4242]", p), 0);
	snprintf(p, sizeof(p), "%s/self", dir);
	assert_int_equal(symlink("123", p), 0);
	assert_int_equal(procfd_find(dir, 0, h, 2, NULL), 1);
	assert_int_equal(h[1].ino, 4242);
	assert_int_equal(h[1].pid, 123);
	assert_int_equal(h[1].fd, 9);
	assert_int_equal(h[0].pid, 0);
	assert_int_equal(procfd_find("/nonexistent-proc", 0, h, 2, NULL), -ENOENT);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

/* One process's sockets: ours, sorted, each once; none once closed; a
 * process that is gone is -ESRCH, as is a pid /proc does not show. */
static void sockets_of_one_process(void **state)
{
	int sv[2], u = socket(AF_UNIX, SOCK_DGRAM, 0), seen = 0;
	struct inoset v;
	ino_t want[3];
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_true(u >= 0);
	want[0] = ino_of(sv[0]), want[1] = ino_of(sv[1]), want[2] = ino_of(u);
	assert_int_equal(procfd_sockets("/proc", getpid(), &v), 0);
	for (size_t i = 0; i < v.n; i++) {
		if (i)
			assert_true(v.v[i - 1] < v.v[i]);
		for (int k = 0; k < 3; k++)
			seen += v.v[i] == want[k];
	}
	assert_int_equal(seen, 3);
	inoset_free(&v);
	close(u);
	assert_int_equal(procfd_sockets("/proc", getpid(), &v), 0);
	assert_true(inoset_has(&v, want[0]));
	assert_false(inoset_has(&v, want[2]));
	inoset_free(&v);
	close(sv[0]);
	close(sv[1]);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	assert_int_equal(procfd_sockets("/proc", pid, &v), -ESRCH);
	assert_null(v.v);
	assert_int_equal(v.n, 0);
	assert_int_equal(procfd_sockets("/nonexistent-proc", 1, &v), -ENOENT);
}

/* On a hand-made tree: only socket links count, sorted by inode, each
 * once (two descriptors of one socket). */
static void sockets_made_tree(void **state)
{
	char dir[] = "/tmp/procfd-XXXXXX", p[256];
	static const char *const links[][2] = {
		{ "3", "socket:[900]" }, { "4", "pipe:[5]" }, { "5", "socket:[12]" },
		{ "7", "/dev/null" }, { "8", "socket:[300]" }, { "9", "socket:[12]" },
	};
	struct inoset v;

	(void)state;
	assert_non_null(mkdtemp(dir));
	made_dir(dir, "55");
	made_dir(dir, "55/fd");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(p, sizeof(p), "%s/55/fd/%s", dir, links[i][0]);
		assert_int_equal(symlink(links[i][1], p), 0);
	}
	made_dir(dir, "56");                    /* no fd directory */
	assert_int_equal(procfd_sockets(dir, 55, &v), 0);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.v[0], 12);
	assert_int_equal(v.v[1], 300);
	assert_int_equal(v.v[2], 900);
	inoset_free(&v);
	assert_int_equal(procfd_sockets(dir, 56, &v), -ESRCH);
	assert_int_equal(procfd_sockets(dir, 57, &v), -ESRCH);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_sockets),
		cmocka_unit_test(childs_socket),
		cmocka_unit_test(made_tree),
		cmocka_unit_test(sockets_of_one_process),
		cmocka_unit_test(sockets_made_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
