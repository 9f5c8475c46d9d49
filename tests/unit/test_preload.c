// SPDX-License-Identifier: GPL-2.0-or-later
/* asconf-run's shim must be invisible to a program's non-SCTP sockets:
 * the shim is loaded here with dlopen and its wrappers called on TCP and
 * Unix sockets (this host has no SCTP).  Each call must give the real
 * call's result and errno, never change errno on success, open no
 * descriptor, print nothing, and never contact the daemon, which is
 * played by a listening socket that must see no connection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <cmocka.h>

#ifndef PRELOAD_SO
#error "PRELOAD_SO: the path of libasconf-preload.so"
#endif

#define SENTINEL 4242   /* an errno no call sets */

static void *h;
static int (*s_bind)(int, const struct sockaddr *, socklen_t);
static int (*s_connect)(int, const struct sockaddr *, socklen_t);
static int (*s_listen)(int, int);
static int (*s_accept)(int, struct sockaddr *, socklen_t *);
static int (*s_accept4)(int, struct sockaddr *, socklen_t *, int);
static int (*s_setsockopt)(int, int, int, const void *, socklen_t);
static int (*s_getsockopt)(int, int, int, void *, socklen_t *);
static int (*s_close)(int);
static int (*s_dup)(int);
static int (*s_dup2)(int, int);
static int (*s_dup3)(int, int, int);
static int (*s_fcntl)(int, int, ...);
static ssize_t (*s_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*s_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);

static char dir[64], ctl_path[96];
static int fake_daemon = -1, saved_stderr = -1, err_file = -1;

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;   /* the directory's own descriptor */
}

static int setup(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char errpath[128];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_preload.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(ctl_path, sizeof(ctl_path), "%s/control.sock", dir);
	fake_daemon = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(fake_daemon >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", ctl_path);
	assert_int_equal(bind(fake_daemon, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fake_daemon, 4), 0);
	/* The shim reads its environment when it is loaded. */
	setenv("ASCONF_CONTROL", ctl_path, 1);
	setenv("ASCONF_RUN_DEBUG", "1", 1);     /* even chatty, it must stay quiet */
	h = dlopen(PRELOAD_SO, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail_msg("dlopen %s: %s", PRELOAD_SO, dlerror());
#define S(name) do { *(void **)&s_##name = dlsym(h, #name); assert_non_null(s_##name); } while (0)
	S(bind); S(connect); S(listen); S(accept); S(accept4); S(setsockopt);
	S(getsockopt); S(close); S(dup); S(dup2); S(dup3); S(fcntl); S(sendmsg); S(sendto);
#undef S
	/* stderr into a file, to be found empty. */
	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	err_file = open(errpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(err_file >= 0);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(err_file, 2), 2);
	return 0;
}

static int teardown(void **state)
{
	char p[128], buf[4096];
	ssize_t n;

	(void)state;
	/* Whatever went to stderr meanwhile (a failed assertion's message
	 * too) is shown now. */
	lseek(err_file, 0, SEEK_SET);
	while ((n = read(err_file, buf, sizeof(buf))) > 0)
		if (write(saved_stderr, buf, (size_t)n) != n)
			break;
	dup2(saved_stderr, 2);
	close(saved_stderr);
	close(err_file);
	close(fake_daemon);
	unlink(ctl_path);
	snprintf(p, sizeof(p), "%s/stderr", dir);
	unlink(p);
	rmdir(dir);
	dlclose(h);
	return 0;
}

/* Nothing reached the fake daemon, nothing went to stderr. */
static void assert_unseen(void)
{
	struct stat st;
	int c = accept(fake_daemon, NULL, NULL);

	if (c >= 0)
		close(c);
	assert_int_equal(c, -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(fstat(err_file, &st), 0);
	assert_int_equal(st.st_size, 0);
}

static void tcp_pair_untouched(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int before = count_fds(), l, c, s, one = 1, v = 0;
	socklen_t vlen = sizeof(v);

	(void)state;
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(l >= 0 && c >= 0);
	errno = SENTINEL;
	assert_int_equal(s_setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(s_bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(errno, SENTINEL);
	assert_int_equal(s_listen(l, 4), 0);
	assert_int_equal(errno, SENTINEL);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	errno = SENTINEL;
	assert_int_equal(s_connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(errno, SENTINEL);
	s = s_accept(l, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(errno, SENTINEL);
	assert_int_equal(s_getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &vlen), 0);
	assert_int_equal(errno, SENTINEL);
	assert_int_equal(write(c, "x", 1), 1);
	assert_int_equal(read(s, &v, 1), 1);
	errno = SENTINEL;
	assert_int_equal(s_close(s), 0);
	assert_int_equal(s_close(c), 0);
	assert_int_equal(s_close(l), 0);
	assert_int_equal(errno, SENTINEL);
	assert_int_equal(count_fds(), before);
	assert_unseen();
}

/* A failing call fails exactly as without the shim. */
static void failures_keep_their_errno(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	int before = count_fds(), t, x = 0, want;
	socklen_t xlen = sizeof(x);

	(void)state;
	errno = 0;
	assert_int_equal(s_bind(-1, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(s_close(-1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(s_listen(12345, 1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(s_accept(12345, NULL, NULL), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(s_accept4(12345, NULL, NULL, 0), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(s_dup2(12345, 40), -1);
	assert_int_equal(errno, EBADF);

	t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t >= 0);
	/* SCTP-level options on a TCP socket: what the kernel says, untouched. */
	assert_int_equal(setsockopt(t, IPPROTO_SCTP, 100 /* BINDX_ADD */, &a, sizeof(a)), -1);
	want = errno;
	errno = 0;
	assert_int_equal(s_setsockopt(t, IPPROTO_SCTP, 100, &a, sizeof(a)), -1);
	assert_int_equal(errno, want);
	assert_int_equal(getsockopt(t, IPPROTO_SCTP, 111 /* CONNECTX3 */, &x, &xlen), -1);
	want = errno;
	errno = 0;
	assert_int_equal(s_getsockopt(t, IPPROTO_SCTP, 111, &x, &xlen), -1);
	assert_int_equal(errno, want);
	/* Port 1 on loopback: nobody listens (ECONNREFUSED). */
	a.sin_port = htons(1);
	assert_int_equal(s_connect(t, (struct sockaddr *)&a, sizeof(a)), -1);
	assert_int_equal(errno, ECONNREFUSED);
	assert_int_equal(s_close(t), 0);
	assert_int_equal(s_close(t), -1);
	assert_int_equal(errno, EBADF);

	t = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(u.sun_path, sizeof(u.sun_path), "%s/nobody-here", dir);
	assert_int_equal(s_connect(t, (struct sockaddr *)&u, sizeof(u)), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(s_close(t), 0);
	assert_int_equal(count_fds(), before);
	assert_unseen();
}

/* The dup family returns the descriptors the real calls would. */
static void dups_untouched(void **state)
{
	int before = count_fds(), t, d, free_fd;

	(void)state;
	t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t >= 0);
	d = s_dup(t);
	assert_true(d > t);
	assert_int_equal(s_close(d), 0);
	free_fd = d;    /* the lowest free number now */
	errno = SENTINEL;
	assert_int_equal(s_fcntl(t, F_DUPFD_CLOEXEC, 0), free_fd);
	assert_int_equal(errno, SENTINEL);
	assert_int_equal(s_fcntl(free_fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(s_dup2(t, free_fd), free_fd);      /* onto an open one */
	assert_int_equal(s_fcntl(free_fd, F_GETFD), 0);
	assert_int_equal(s_dup3(t, free_fd, O_CLOEXEC), free_fd);
	assert_int_equal(s_fcntl(free_fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(s_dup3(t, t, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(s_dup2(t, t), t);
	assert_int_equal(s_close(free_fd), 0);
	assert_int_equal(s_close(t), 0);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(count_fds(), before);
	assert_unseen();
}

/* Wildcard binds and the first sends to a destination are where the shim
 * narrows an SCTP socket: on UDP and TCP sockets it must not even ask. */
static void wildcards_and_sends_untouched(void **state)
{
	struct sockaddr_in any = { .sin_family = AF_INET },
			   lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	socklen_t len = sizeof(lo);
	int before = count_fds(), u, r, t, t6, want;
	struct iovec iov = { .iov_base = "y", .iov_len = 1 };
	struct msghdr m = { .msg_name = &lo, .msg_namelen = sizeof(lo), .msg_iov = &iov,
			    .msg_iovlen = 1 };
	char c;

	(void)state;
	r = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(r >= 0 && u >= 0);
	assert_int_equal(bind(r, (struct sockaddr *)&lo, sizeof(lo)), 0);
	assert_int_equal(getsockname(r, (struct sockaddr *)&lo, &len), 0);
	errno = SENTINEL;
	assert_int_equal(s_bind(u, (struct sockaddr *)&any, sizeof(any)), 0);
	assert_int_equal(errno, SENTINEL);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(s_sendto(u, "x", 1, 0, (struct sockaddr *)&lo, sizeof(lo)), 1);
		assert_int_equal(s_sendmsg(u, &m, 0), 1);
		assert_int_equal(errno, SENTINEL);
	}
	assert_int_equal(read(r, &c, 1), 1);
	assert_int_equal(c, 'x');
	/* Unbound: the kernel binds it at the first send, as without the shim. */
	assert_int_equal(s_close(u), 0);
	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_int_equal(s_sendmsg(u, &m, 0), 1);
	assert_int_equal(errno, SENTINEL);
	/* A failing send keeps the kernel's errno. */
	assert_int_equal(sendto(u, "x", 1, 0, (struct sockaddr *)&lo, 3), -1);
	want = errno;
	errno = 0;
	assert_int_equal(s_sendto(u, "x", 1, 0, (struct sockaddr *)&lo, 3), -1);
	assert_int_equal(errno, want);
	assert_int_equal(s_sendto(-1, "x", 1, 0, (struct sockaddr *)&lo, sizeof(lo)), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(s_sendmsg(-1, &m, 0), -1);
	assert_int_equal(errno, EBADF);
	/* TCP on the wildcard, both families; sctp_bindx's option of the
	 * wildcard on TCP: the kernel's answer. */
	t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	t6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t >= 0 && t6 >= 0);
	assert_int_equal(setsockopt(t, IPPROTO_SCTP, 100 /* BINDX_ADD */, &any, sizeof(any)), -1);
	want = errno;
	errno = SENTINEL;
	assert_int_equal(s_setsockopt(t, IPPROTO_SCTP, 100, &any, sizeof(any)), -1);
	assert_int_equal(errno, want);
	errno = SENTINEL;
	assert_int_equal(s_bind(t, (struct sockaddr *)&any, sizeof(any)), 0);
	assert_int_equal(errno, SENTINEL);
	if (s_bind(t6, (struct sockaddr *)&any6, sizeof(any6)))
		assert_int_equal(errno, EADDRNOTAVAIL);         /* a host without IPv6 */
	else
		assert_int_equal(errno, SENTINEL);
	assert_int_equal(s_close(t), 0);
	assert_int_equal(s_close(t6), 0);
	assert_int_equal(s_close(u), 0);
	assert_int_equal(s_close(r), 0);
	assert_int_equal(count_fds(), before);
	assert_unseen();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_pair_untouched),
		cmocka_unit_test(wildcards_and_sends_untouched),
		cmocka_unit_test(failures_keep_their_errno),
		cmocka_unit_test(dups_untouched),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
