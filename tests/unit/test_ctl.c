// SPDX-License-Identifier: GPL-2.0-or-later
/* The control socket end to end in one process: libasconf against the
 * daemon's ctl layer with fake operations, including what a broken or
 * hostile client sends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <dirent.h>
#include <cmocka.h>
#include <valgrind/valgrind.h>

#include "../../agent/lib/asconf.h"
#include "../../agent/daemon/control/ctl.h"
#include "../../agent/proto/ctlmsg.h"
#include "../../agent/daemon/owners/orphan.h"

static char path[64];
static struct ctl *ctl;
static _Atomic int managed, gone_calls, last_fd_open;
static _Atomic int stop_server;
static pthread_t server;
/* Held by the server thread while it handles events: a test that fills
 * the descriptor table holds it so that no descriptor is closed (a client
 * of an earlier test hanging up) or opened behind its back. */
static pthread_mutex_t serving = PTHREAD_MUTEX_INITIALIZER;
static bool serving_held;

static void hold_server(bool on)
{
	serving_held = on;
	(on ? pthread_mutex_lock : pthread_mutex_unlock)(&serving);
}

/* After a test that held it, failed or not. */
static int let_server_go(void **state)
{
	(void)state;
	if (serving_held)
		hold_server(false);
	return 0;
}

static _Atomic int last_pid, last_appfd;
static _Atomic int seen_appfd[16], nseen;

static int fake_manage(void *ctx, int client, pid_t pid, int fd, int appfd,
		       const char *policy, unsigned int *id, char *why, size_t len)
{
	(void)ctx; (void)client;
	last_pid = pid;
	last_appfd = appfd;
	if (nseen < 16)
		seen_appfd[nseen++] = appfd;
	if (policy && strcmp(policy, "default") && strcmp(policy, "lo")) {
		snprintf(why, len, "unknown policy '%s'", policy);
		close(fd);
		return -ENOENT;
	}
	managed++;
	*id = (unsigned int)managed;
	last_fd_open = fcntl(fd, F_GETFD) >= 0;
	close(fd);
	return 0;
}

static int fake_release(void *ctx, int client, pid_t pid, int fd, char *why, size_t len)
{
	(void)pid;
	(void)ctx; (void)client; (void)fd;
	if (!managed) {
		snprintf(why, len, "socket is not managed");
		return -ENOENT;
	}
	managed--;
	return 0;
}

static volatile int last_format = -1;
static _Atomic int status_lines = 2000;

static void fake_status(void *ctx, struct ctl *c, int format)
{
	(void)ctx;
	last_format = format;
	/* Enough lines to need several reply messages. */
	for (int i = 0; i < status_lines; i++)
		ctl_printf(c, "socket %d bound: 10.0.0.1 10.0.0.2 2001:db8::1", i);
}

static void fake_gone(void *ctx, int client)
{
	(void)ctx; (void)client;
	gone_calls++;
}

static char by_pid_seen[128];

static int fake_manage_pid(void *ctx, uid_t uid, pid_t pid, int fd, const char *policy,
			   unsigned int *id, char *why, size_t len)
{
	(void)ctx;
	snprintf(by_pid_seen, sizeof(by_pid_seen), "manage uid %d pid %d fd %d policy %s",
		 (int)uid, (int)pid, fd, policy ? policy : "(none)");
	if (pid == 999) {
		snprintf(why, len, "no process 999");
		return -ESRCH;
	}
	*id = 77;
	return 0;
}

static int fake_release_pid(void *ctx, uid_t uid, pid_t pid, int fd, char *why, size_t len)
{
	(void)ctx; (void)why; (void)len;
	snprintf(by_pid_seen, sizeof(by_pid_seen), "release uid %d pid %d fd %d",
		 (int)uid, (int)pid, fd);
	return 0;
}

static _Atomic int reload_fails;

static int fake_reload(void *ctx, char *why, size_t len)
{
	(void)ctx;
	if (reload_fails) {
		snprintf(why, len, "/etc/asconfd.conf:3: unknown key 'x'");
		return -EINVAL;
	}
	return 0;
}

static char addrs_seen[128];
static _Atomic unsigned int narrowed_id;

static int fake_addrs(void *ctx, pid_t pid, const char *policy, int family, bool v6only,
		      char *out, size_t len, char *why, size_t wlen)
{
	(void)ctx; (void)pid;
	snprintf(addrs_seen, sizeof(addrs_seen), "policy %s family %d v6only %d",
		 policy ? policy : "(none)", family, v6only);
	if (policy && !strcmp(policy, "nope")) {
		snprintf(why, wlen, "unknown policy 'nope'");
		return -ENOENT;
	}
	/* For asconf_bind on a UDP socket (no SCTP here): one address. */
	if (policy && !strcmp(policy, "lo"))
		snprintf(out, len, "OK narrow-wildcard=yes narrow-empty=fail\n127.0.0.1");
	else if (policy && !strcmp(policy, "wide"))
		snprintf(out, len, "OK narrow-wildcard=no narrow-empty=fail");
	else if (policy && !strcmp(policy, "none"))
		snprintf(out, len, "OK narrow-wildcard=yes narrow-empty=fail");
	else if (policy && !strcmp(policy, "none-wild"))
		snprintf(out, len, "OK narrow-wildcard=yes narrow-empty=wildcard");
	else
		snprintf(out, len, "OK narrow-wildcard=yes narrow-empty=fail\n10.1.0.1\nfe80::1%%3");
	return 0;
}

static void fake_narrowed(void *ctx, unsigned int id)
{
	(void)ctx;
	narrowed_id = id;
}

static const struct ctl_ops ops = {
	fake_manage, fake_release, fake_status, fake_gone, fake_manage_pid, fake_release_pid,
	fake_reload, fake_addrs, fake_narrowed,
};

static void *serve(void *arg)
{
	struct pollfd p[16];
	int n = 1;

	(void)arg;
	p[0].fd = ctl_listen_fd(ctl);
	p[0].events = POLLIN;
	while (!stop_server) {
		if (poll(p, (nfds_t)n, 20) <= 0)
			continue;
		pthread_mutex_lock(&serving);
		if (p[0].revents & POLLIN) {
			int c = ctl_accept(ctl);

			if (c >= 0 && n < 16) {
				p[n].fd = c;
				p[n].revents = 0;
				p[n++].events = POLLIN;
			}
		}
		for (int i = 1; i < n; i++) {
			bool was = ctl_pending(ctl, p[i].fd);
			int err;

			if (!(p[i].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)))
				continue;
			err = was ? ctl_flush(ctl, p[i].fd) : ctl_serve(ctl, p[i].fd);
			p[i].events = err == CTL_PENDING ? POLLOUT : POLLIN;
			if (err < 0) {
				ctl_drop(ctl, p[i].fd);
				p[i--] = p[--n];
			}
		}
		pthread_mutex_unlock(&serving);
	}
	for (int i = 1; i < n; i++)
		ctl_drop(ctl, p[i].fd);
	return NULL;
}

static int setup(void **state)
{
	char why[256];

	(void)state;
	snprintf(path, sizeof(path), "/tmp/asconf-test-%d/ctl.sock", (int)getpid());
	ctl = ctl_open(path, &ops, NULL, why, sizeof(why));
	if (!ctl) {
		fprintf(stderr, "ctl_open: %s\n", why);
		return -1;
	}
	setenv(CTLMSG_ENV, path, 1);
	stop_server = 0;
	return pthread_create(&server, NULL, serve, NULL);
}

static int teardown(void **state)
{
	char dir[128];

	(void)state;
	stop_server = 1;
	pthread_join(server, NULL);
	ctl_close(ctl);
	snprintf(dir, sizeof(dir), "/tmp/asconf-test-%d", (int)getpid());
	rmdir(dir);
	return 0;
}

static int sctpish_socket(void)
{
	/* Any socket will do for the fake daemon. */
	return socket(AF_INET, SOCK_DGRAM, 0);
}

static void manage_and_release(void **state)
{
	int fd = sctpish_socket();

	(void)state;
	assert_int_equal(asconf_manage(fd, NULL), 0);
	assert_int_equal(managed, 1);
	assert_true(last_fd_open);
	assert_int_equal(asconf_manage(fd, "default"), 0);
	assert_int_equal(asconf_release(fd), 0);
	assert_int_equal(asconf_release(fd), 0);
	assert_int_equal(asconf_release(fd), -ENOENT);
	assert_string_equal(asconf_strerror(), "socket is not managed");
	close(fd);
}

static void errors_carry_the_reason(void **state)
{
	int fd = sctpish_socket();

	(void)state;
	assert_int_equal(asconf_manage(fd, "gold"), -ENOENT);
	assert_string_equal(asconf_strerror(), "unknown policy 'gold'");
	assert_int_equal(asconf_manage(fd, "two words"), -EINVAL);
	assert_int_equal(asconf_manage(-1, NULL), -EBADF);
	close(fd);
}

static void raw_request(int s, const char *text, int fd, char *reply, size_t len)
{
	int rfd;

	assert_int_equal(ctlmsg_send(s, text, fd), 0);
	assert_true(ctlmsg_recv(s, reply, len, &rfd) > 0);
	assert_int_equal(rfd, -1);
}

/* The sender of each message owns what it hands over, and its number for
 * the descriptor goes along; a forked child over the inherited connection
 * is itself. */
static void sender_pid_and_fd_number(void **state)
{
	int fd = sctpish_socket(), st;
	pid_t child;

	(void)state;
	assert_int_equal(asconf_manage(fd, NULL), 0);
	assert_int_equal(last_pid, getpid());
	assert_int_equal(last_appfd, fd);
	child = fork();
	if (!child)
		_exit(asconf_manage(fd, NULL) ? 1 : 0);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_int_equal(st, 0);
	assert_int_equal(last_pid, child);
	assert_int_equal(asconf_release(fd), 0);
	assert_int_equal(asconf_release(fd), 0);
	close(fd);
}

/* A daemon that restarted could not take the sockets back itself: the
 * library hands over again what this process manages and still holds (not
 * what it closed without asconf_release), by itself within a few hundred
 * milliseconds of the daemon's return, and at the latest at its next call. */
static void handed_over_again_after_restart(void **state)
{
	int fd1 = sctpish_socket(), fd3 = sctpish_socket(), fd4;

	assert_int_equal(asconf_manage(fd1, NULL), 0);
	assert_int_equal(asconf_manage(fd3, NULL), 0);
	close(fd3);
	fd4 = sctpish_socket();         /* likely fd3's number, another socket */
	nseen = 0;
	assert_int_equal(teardown(state), 0);
	usleep(300000);                 /* the daemon is away a while */
	assert_int_equal(setup(state), 0);
	for (int i = 0; i < 300 && !nseen; i++)
		usleep(10000);
	assert_int_equal(nseen, 1);
	assert_int_equal(seen_appfd[0], fd1);
	assert_int_equal(asconf_manage(fd4, NULL), 0);
	assert_int_equal(nseen, 2);
	assert_int_equal(seen_appfd[1], fd4);
	assert_int_equal(asconf_release(fd4), 0);
	assert_int_equal(nseen, 2);     /* handed over once only */
	assert_int_equal(asconf_release(fd1), 0);
	close(fd1);
	close(fd4);
}

/* Many sockets (the library indexes them by descriptor): what is
 * released or closed is not handed over again, what is managed twice is
 * handed over once, the rest is, after the daemon restarted. */
#define MANY 200
static void many_sockets_handed_over_again(void **state)
{
	int fd[MANY], again = 0, was;

	for (int i = 0; i < MANY; i++) {
		fd[i] = sctpish_socket();
		assert_true(fd[i] >= 0);
		assert_int_equal(asconf_manage(fd[i], NULL), 0);
	}
	for (int i = 0; i < MANY; i += 2)
		assert_int_equal(asconf_release(fd[i]), 0);
	assert_int_equal(asconf_manage(fd[1], NULL), 0);        /* twice */
	for (int i = 3; i < MANY; i += 4) {
		close(fd[i]);                   /* without asconf_release */
		fd[i] = sctpish_socket();       /* its number, another socket */
	}
	for (int i = 1; i < MANY; i += 4)
		again++;
	assert_int_equal(teardown(state), 0);
	managed = 0;
	usleep(300000);
	assert_int_equal(setup(state), 0);
	for (int i = 0; i < 300 && managed < again; i++)
		usleep(10000);
	was = managed;
	usleep(100000);
	assert_int_equal(was, again);
	assert_int_equal(managed, again);
	for (int i = 1; i < MANY; i += 4)
		assert_int_equal(asconf_release(fd[i]), 0);
	for (int i = 0; i < MANY; i++)
		close(fd[i]);
}

static void by_pid_requests(void **state)
{
	char reply[CTLMSG_REPLY_MAX + 1], want[128];
	int s = ctlmsg_connect(path);

	(void)state;
	assert_true(s >= 0);
	raw_request(s, "MANAGE-PID 123 4 gold", -1, reply, sizeof(reply));
	assert_string_equal(reply, "OK 77");
	snprintf(want, sizeof(want), "manage uid %d pid 123 fd 4 policy gold", (int)getuid());
	assert_string_equal(by_pid_seen, want);
	raw_request(s, "MANAGE-PID 123 0", -1, reply, sizeof(reply));
	assert_string_equal(reply, "OK 77");
	raw_request(s, "MANAGE-PID 999 3", -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 3 no process 999");
	raw_request(s, "RELEASE-PID 123 4", -1, reply, sizeof(reply));
	assert_string_equal(reply, "OK");
	snprintf(want, sizeof(want), "release uid %d pid 123 fd 4", (int)getuid());
	assert_string_equal(by_pid_seen, want);
	static const char *const bad[] = {
		"MANAGE-PID ", "MANAGE-PID 0 3", "MANAGE-PID -1 3", "MANAGE-PID 12",
		"MANAGE-PID 12 -3", "MANAGE-PID x 3", "MANAGE-PID 12 3 gold extra",
		"MANAGE-PID 99999999999 3", "RELEASE-PID 12 3 gold", "RELEASE-PID 12",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_request(s, bad[i], -1, reply, sizeof(reply));
		assert_int_equal(strncmp(reply, "ERR 22 want ", 12), 0);
	}
	close(s);
}

static void bad_requests_keep_the_connection(void **state)
{
	char reply[CTLMSG_REPLY_MAX + 1], big[CTLMSG_MAX + 100];
	int s = ctlmsg_connect(path), fd = sctpish_socket();

	(void)state;
	assert_true(s >= 0);
	raw_request(s, "HELLO\x01world", -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 22 unknown request 'HELLO?world' (want MANAGE, RELEASE, MANAGE-PID, RELEASE-PID, ADDRS, STATUS or RELOAD)");
	raw_request(s, "MANAGE", -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 9 MANAGE needs the socket passed along (SCM_RIGHTS)");
	raw_request(s, "RELEASE", -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 9 RELEASE needs the socket passed along (SCM_RIGHTS)");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	raw_request(s, big, -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 90 request too long or too many descriptors passed");
	/* A descriptor sent with a request that takes none is not kept. */
	raw_request(s, "BOGUS", fd, reply, sizeof(reply));
	assert_int_equal(strncmp(reply, "ERR 22 ", 7), 0);
	/* Still serving on the same connection. */
	raw_request(s, "MANAGE", fd, reply, sizeof(reply));
	assert_int_equal(strncmp(reply, "OK ", 3), 0);
	raw_request(s, "RELEASE", fd, reply, sizeof(reply));
	assert_string_equal(reply, "OK");
	close(s);
	close(fd);
}

static void reload_answers_with_the_reason(void **state)
{
	char reply[CTLMSG_REPLY_MAX + 1];
	int s = ctlmsg_connect(path);

	(void)state;
	assert_true(s >= 0);
	raw_request(s, "RELOAD", -1, reply, sizeof(reply));
	assert_string_equal(reply, "OK");
	reload_fails = 1;
	raw_request(s, "RELOAD", -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 22 /etc/asconfd.conf:3: unknown key 'x'");
	reload_fails = 0;
	close(s);
}

/* ADDRS: the policy is whatever is left once family and v6only are read
 * from the end; the reply is the op's, in one message. */
static void addrs_request(void **state)
{
	char reply[CTLMSG_REPLY_MAX + 1];
	int s = ctlmsg_connect(path), fd;

	(void)state;
	assert_true(s >= 0);
	raw_request(s, "ADDRS inet", -1, reply, sizeof(reply));
	assert_string_equal(reply, "OK narrow-wildcard=yes narrow-empty=fail\n10.1.0.1\nfe80::1%3");
	assert_string_equal(addrs_seen, "policy (none) family 2 v6only 0");
	raw_request(s, "ADDRS diameter inet6 v6only", -1, reply, sizeof(reply));
	assert_string_equal(addrs_seen, "policy diameter family 10 v6only 1");
	raw_request(s, "ADDRS inet inet6", -1, reply, sizeof(reply));
	assert_string_equal(addrs_seen, "policy inet family 10 v6only 0");
	raw_request(s, "ADDRS nope inet", -1, reply, sizeof(reply));
	assert_string_equal(reply, "ERR 2 unknown policy 'nope'");
	static const char *const bad[] = {
		"ADDRS ", "ADDRS x", "ADDRS inet v6only", "ADDRS a b inet",
		"ADDRS a inet6 v6only x", "ADDRS v6only",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_request(s, bad[i], -1, reply, sizeof(reply));
		assert_string_equal(reply, "ERR 22 want ADDRS [POLICY] inet|inet6 [v6only]");
	}
	/* MANAGE ... from=wildcard: the op hears of it once managed. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	narrowed_id = 0;
	raw_request(s, "MANAGE fd=3 from=wildcard", fd, reply, sizeof(reply));
	assert_int_equal(strncmp(reply, "OK ", 3), 0);
	assert_int_equal(narrowed_id, (unsigned int)atoi(reply + 3));
	raw_request(s, "RELEASE", fd, reply, sizeof(reply));
	close(fd);
	close(s);
}

/* asconf_bind: what the policy says decides; a UDP socket stands in for
 * SCTP (one address: a plain bind, no bindx). */
static int bound_port(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	if (getsockname(fd, (struct sockaddr *)a, &len))
		return -1;
	return ntohs(a->sin_port);
}

static void asconf_bind_cases(void **state)
{
	struct sockaddr_in a;
	int fd;

	(void)state;
	/* Narrowed: the policy's address, an ephemeral port, managed. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	narrowed_id = 0;
	assert_int_equal(asconf_bind(fd, 0, "lo"), 0);
	assert_true(bound_port(fd, &a) > 0);
	assert_int_equal(a.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_string_equal(addrs_seen, "policy lo family 2 v6only 0");
	assert_true(narrowed_id > 0);
	assert_int_equal(asconf_release(fd), 0);
	close(fd);
	/* narrow-wildcard = no: the wildcard, on the port asked for; 1. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	narrowed_id = 0;
	assert_int_equal(asconf_bind(fd, 0, "wide"), 1);
	assert_non_null(strstr(asconf_strerror(), "narrow-wildcard = no"));
	assert_true(bound_port(fd, &a) > 0);
	assert_int_equal(a.sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(narrowed_id, 0);
	close(fd);
	/* No usable address: EADDRNOTAVAIL, unbound; or the wildcard. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(asconf_bind(fd, 0, "none"), -EADDRNOTAVAIL);
	assert_int_equal(bound_port(fd, &a), 0);
	assert_int_equal(asconf_bind(fd, 0, "none-wild"), 1);
	assert_non_null(strstr(asconf_strerror(), "narrow-empty = wildcard"));
	close(fd);
	/* The daemon's refusal: unbound; bad arguments. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(asconf_bind(fd, 0, "nope"), -ENOENT);
	assert_string_equal(asconf_strerror(), "unknown policy 'nope'");
	assert_int_equal(bound_port(fd, &a), 0);
	assert_int_equal(asconf_bind(fd, 0, "two words"), -EINVAL);
	assert_int_equal(asconf_bind(-1, 0, NULL), -EBADF);
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(asconf_bind(fd, 0, NULL), -EAFNOSUPPORT);
	close(fd);
}

/* Group and mode are on the file when it appears; a client beyond
 * max-clients is told why on its first request, then dropped. */
static int connect_as(const char *p, uid_t uid);

static void access_and_client_limit(void **state)
{
	struct ctl_access a = { .has_group = true, .group = getegid(), .mode = 0600 };
	char p2[80], why[256], reply[CTLMSG_REPLY_MAX + 1];
	struct ctl *c;
	struct stat st;
	int s1, s2, s3, c1, c3, rfd;

	(void)state;
	snprintf(p2, sizeof(p2), "/tmp/asconf-test-%d/second.sock", (int)getpid());
	c = ctl_open_access(p2, &a, &ops, NULL, why, sizeof(why));
	assert_non_null(c);
	assert_int_equal(lstat(p2, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_gid, getegid());
	assert_int_equal(ctl_set_access(c, false, 0, 0640, why, sizeof(why)), 0);
	assert_int_equal(lstat(p2, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	ctl_set_limits(c, &(struct ctl_limits){ .max_clients = 1 });
	/* uid 0 and the daemon's user are never refused: the limit is for
	 * the others. */
	if (geteuid() != 0) {
		ctl_close(c);
		skip();
	}
	assert_int_equal(chmod(p2, 0666), 0);
	s1 = connect_as(p2, 65534);
	s2 = connect_as(p2, 65533);
	c1 = ctl_accept(c);
	/* Over the limit: told why and closed at once, holding nothing. */
	assert_int_equal(ctl_accept(c), -EUSERS);
	assert_int_equal(ctlmsg_send(s2, "STATUS", -1), -EPIPE);
	assert_true(ctlmsg_recv(s2, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "ERR 87 too many clients (max-clients = 1)");
	/* Root is served beside it. */
	s3 = ctlmsg_connect(p2);
	c3 = ctl_accept(c);
	assert_true(c1 >= 0 && c3 >= 0);
	assert_int_equal(ctlmsg_send(s3, "RELOAD", -1), 0);
	assert_int_equal(ctl_serve(c, c3), 0);
	assert_true(ctlmsg_recv(s3, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "OK");
	/* The first one is served. */
	assert_int_equal(ctlmsg_send(s1, "RELOAD", -1), 0);
	assert_int_equal(ctl_serve(c, c1), 0);
	ctl_drop(c, c1);
	ctl_drop(c, c3);
	close(s1);
	close(s2);
	close(s3);
	ctl_close(c);
}

/* uid's connection to path (SO_PEERCRED is the connecting thread's
 * credentials), made by a thread that takes that uid with the raw system
 * calls, which change only the calling thread (glibc's would change them
 * all); a fork would leave valgrind checking a copy of the test for leaks. */
struct as_arg {
	const char *path;
	uid_t uid;
	int s;
};

static void *connect_thread(void *arg)
{
	struct as_arg *a = arg;

	a->s = -1;
	if (!syscall(SYS_setresgid, a->uid, a->uid, a->uid) &&
	    !syscall(SYS_setresuid, a->uid, a->uid, a->uid))
		a->s = ctlmsg_connect(a->path);
	return NULL;
}

static int connect_as(const char *p, uid_t uid)
{
	struct as_arg a = { p, uid, -1 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, connect_thread, &a), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(a.s >= 0);
	return a.s;
}

static struct ctl *open_second(const char *name, char *p2, size_t len)
{
	char why[256];
	struct ctl *c;

	snprintf(p2, len, "/tmp/asconf-test-%d/%s.sock", (int)getpid(), name);
	c = ctl_open(p2, &ops, NULL, why, sizeof(why));
	assert_non_null(c);
	/* Members of the daemon's group connect, not only its own user. */
	assert_int_equal(chmod(p2, 0666), 0);
	return c;
}

/* A connection by a thread with these uid, gid and one supplementary
 * group (raw system calls: only that thread changes). */
struct grp_arg {
	const char *path;
	uid_t uid;
	gid_t gid, group;
	int s;
};

static void *connect_grp_thread(void *arg)
{
	struct grp_arg *a = arg;

	a->s = -1;
	if (!syscall(SYS_setgroups, 1, &a->group) &&
	    !syscall(SYS_setresgid, a->gid, a->gid, a->gid) &&
	    !syscall(SYS_setresuid, a->uid, a->uid, a->uid))
		a->s = ctlmsg_connect(a->path);
	return NULL;
}

static int connect_grp(const char *p, uid_t uid, gid_t gid, gid_t group)
{
	struct grp_arg a = { p, uid, gid, group, -1 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, connect_grp_thread, &a), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(a.s >= 0);
	return a.s;
}

/* One request on an accepted client, its first reply line. */
static void ask(struct ctl *c, int s, int k, const char *req, char *reply, size_t len)
{
	int rfd;

	assert_int_equal(ctlmsg_send(s, req, -1), 0);
	assert_true(ctl_serve(c, k) >= 0);
	assert_true(ctlmsg_recv(s, reply, len, &rfd) > 0);
	if (rfd >= 0)
		close(rfd);
}

/* monitor-group: the monitor socket (mode 0666) keeps members of the group
 * (by gid or a supplementary group) and root, refuses the others at
 * accept, and serves STATUS only: MANAGE-PID, RELEASE-PID, RELOAD and a
 * MANAGE with a socket get EPERM. */
static void monitor_socket_reads_only(void **state)
{
	char p2[80], mon[96], why[256], reply[CTLMSG_REPLY_MAX + 1];
	struct ctl *c;
	struct stat st;
	int s, k, rfd, sv[2];
	const gid_t g = 4242;

	(void)state;
	c = open_second("ro", p2, sizeof(p2));
	snprintf(mon, sizeof(mon), "/tmp/asconf-test-%d/monitor.sock", (int)getpid());
	assert_int_equal(ctl_monitor_fd(c), -1);
	assert_int_equal(ctl_open_monitor(c, mon, g, why, sizeof(why)), 0);
	assert_true(ctl_monitor_fd(c) >= 0);
	assert_int_equal(lstat(mon, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0666);
	if (geteuid() != 0) {
		ctl_close(c);
		skip();
	}
	status_lines = 3;
	/* Not in the group: told why, closed at once. */
	s = connect_grp(mon, 65533, 65533, 65533);
	assert_int_equal(ctl_accept_monitor(c), -EACCES);
	assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "ERR 13 uid 65533 is not in monitor-group");
	close(s);
	/* A member by a supplementary group reads every format... */
	s = connect_grp(mon, 65533, 65533, g);
	k = ctl_accept_monitor(c);
	assert_true(k >= 0);
	ask(c, s, k, "STATUS", reply, sizeof(reply));
	assert_string_equal(reply, "socket 0 bound: 10.0.0.1 10.0.0.2 2001:db8::1\n"
			    "socket 1 bound: 10.0.0.1 10.0.0.2 2001:db8::1\n"
			    "socket 2 bound: 10.0.0.1 10.0.0.2 2001:db8::1");
	assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "OK");
	for (size_t i = 0; i < 3; i++) {
		static const char *const f[] = { "STATUS JSON", "STATUS METRICS", "STATUS CHECK" };

		ask(c, s, k, f[i], reply, sizeof(reply));
		assert_int_equal(last_format, (int)i + 1);
		assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
		assert_string_equal(reply, "OK");
	}
	/* ... and changes nothing. */
	by_pid_seen[0] = '\0';
	ask(c, s, k, "MANAGE-PID 1 3", reply, sizeof(reply));
	assert_non_null(strstr(reply, "ERR 1 the monitor socket serves STATUS only"));
	ask(c, s, k, "RELEASE-PID 1 3", reply, sizeof(reply));
	assert_non_null(strstr(reply, "ERR 1 "));
	assert_string_equal(by_pid_seen, "");
	reload_fails = 0;
	ask(c, s, k, "RELOAD", reply, sizeof(reply));
	assert_non_null(strstr(reply, "ERR 1 "));
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	managed = 0;
	assert_int_equal(ctlmsg_send(s, "MANAGE", sv[0]), 0);
	assert_true(ctl_serve(c, k) >= 0);
	assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
	assert_non_null(strstr(reply, "ERR 1 "));
	assert_int_equal(managed, 0);
	ctl_drop(c, k);
	close(s);
	/* By its gid; and root always. */
	s = connect_grp(mon, 65533, g, 65533);
	k = ctl_accept_monitor(c);
	assert_true(k >= 0);
	ctl_drop(c, k);
	close(s);
	/* The group gone on a reload: members are refused too. */
	ctl_set_monitor(c, false, 0);
	s = connect_grp(mon, 65533, g, g);
	assert_int_equal(ctl_accept_monitor(c), -EACCES);
	close(s);
	s = ctlmsg_connect(mon);
	k = ctl_accept_monitor(c);
	assert_true(k >= 0);
	ask(c, s, k, "RELOAD", reply, sizeof(reply));
	assert_non_null(strstr(reply, "ERR 1 the monitor socket serves STATUS only"));
	ctl_drop(c, k);
	close(s);
	close(sv[0]);
	close(sv[1]);
	status_lines = 2000;
	ctl_close(c);
	/* Gone with the daemon. */
	assert_int_equal(lstat(mon, &st), -1);
}

/* Each uid has its own share of connections: one user at its limit is
 * refused with the reason while another user and root are accepted, and a
 * slot it gives back is its own again. */
static void per_user_client_limit(void **state)
{
	char p2[80], reply[CTLMSG_REPLY_MAX + 1];
	int s[5], k[5], rfd, n = 0;
	struct ctl *c;
	bool priv;
	uid_t uid;

	(void)state;
	if (geteuid() != 0)
		skip();         /* other uids: needs root to take them */
	c = open_second("peruser", p2, sizeof(p2));
	ctl_set_limits(c, &(struct ctl_limits){ .max_clients = 10, .max_per_user = 2 });
	for (; n < 2; n++) {
		s[n] = connect_as(p2, 65534);
		k[n] = ctl_accept(c);
		assert_true(k[n] >= 0);
	}
	assert_true(ctl_client_uid(c, k[0], &uid, &priv));
	assert_int_equal(uid, 65534);
	assert_false(priv);
	s[2] = connect_as(p2, 65534);
	assert_int_equal(ctl_accept(c), -EUSERS);
	assert_true(ctlmsg_recv(s[2], reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "ERR 87 too many clients of uid 65534 (max-clients-per-user = 2)");
	close(s[2]);
	/* Another member, and root, are not locked out. */
	s[2] = connect_as(p2, 65533);
	k[2] = ctl_accept(c);
	assert_true(k[2] >= 0);
	s[3] = ctlmsg_connect(p2);
	k[3] = ctl_accept(c);
	assert_true(k[3] >= 0);
	assert_true(ctl_client_uid(c, k[3], &uid, &priv));
	assert_true(priv);
	assert_false(ctl_client_uid(c, 999, &uid, &priv));
	/* One of the first user's goes: it may connect once more. */
	ctl_drop(c, k[0]);
	close(s[0]);
	s[0] = connect_as(p2, 65534);
	k[0] = ctl_accept(c);
	assert_true(k[0] >= 0);
	s[4] = connect_as(p2, 65534);
	assert_int_equal(ctl_accept(c), -EUSERS);
	close(s[4]);
	for (int i = 0; i < 4; i++) {
		ctl_drop(c, k[i]);
		close(s[i]);
	}
	ctl_close(c);
}

/* A client that never sends a request is dropped after idle_ms, told why;
 * one that spoke is not, nor one whose request waits to be read; with no
 * deadline left the event loop may sleep for ever (-1). */
/* A client that spoke, or left, takes its deadline along: an idle daemon
 * must not wake client-idle-timeout after every status it answered. */
static void spoken_client_leaves_no_deadline(void **state)
{
	char p2[80], reply[CTLMSG_REPLY_MAX + 1];
	struct ctl *c;
	int s1, s2, k1, k2, rfd;

	(void)state;
	c = open_second("due", p2, sizeof(p2));
	ctl_set_limits(c, &(struct ctl_limits){ .idle_ms = 60000 });
	s1 = ctlmsg_connect(p2);
	s2 = ctlmsg_connect(p2);
	assert_true(s1 >= 0 && s2 >= 0);
	k1 = ctl_accept(c);
	k2 = ctl_accept(c);
	assert_true(k1 >= 0 && k2 >= 0);
	assert_true(ctl_next_timeout(c) > 0);
	/* The first speaks: the second's deadline is still there. */
	assert_int_equal(ctlmsg_send(s1, "STATUS", -1), 0);
	assert_true(ctl_serve(c, k1) >= 0);
	assert_true(ctl_next_timeout(c) > 0);
	/* The second leaves without a word: nothing is due any more. */
	ctl_drop(c, k2);
	assert_int_equal(ctl_next_timeout(c), -1);
	ctl_drop(c, k1);
	while (ctlmsg_recv(s1, reply, sizeof(reply), &rfd) > 0)
		;
	close(s1);
	close(s2);
	ctl_close(c);
}

static void idle_client_times_out(void **state)
{
	char p2[80], reply[CTLMSG_REPLY_MAX + 1];
	int quiet, spoke, waiting, kq, ks, kw, rfd, t;
	struct ctl *c;

	(void)state;
	c = open_second("idle", p2, sizeof(p2));
	assert_int_equal(ctl_next_timeout(c), -1);
	ctl_set_limits(c, &(struct ctl_limits){ .idle_ms = 100 });
	quiet = ctlmsg_connect(p2);
	spoke = ctlmsg_connect(p2);
	waiting = ctlmsg_connect(p2);
	kq = ctl_accept(c);
	ks = ctl_accept(c);
	kw = ctl_accept(c);
	assert_true(kq >= 0 && ks >= 0 && kw >= 0);
	t = ctl_next_timeout(c);
	assert_true(t >= 0 && t <= 100);
	assert_int_equal(ctl_expired(c), -1);   /* not yet */
	assert_int_equal(ctlmsg_send(spoke, "RELOAD", -1), 0);
	assert_int_equal(ctl_serve(c, ks), 0);
	usleep(150 * 1000);
	assert_int_equal(ctlmsg_send(waiting, "RELOAD", -1), 0);
	assert_int_equal(ctl_next_timeout(c), 0);
	assert_int_equal(ctl_expired(c), kq);
	ctl_drop(c, kq);
	assert_int_equal(ctl_expired(c), -1);
	assert_true(ctlmsg_recv(quiet, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "ERR 110 no request within 100 ms (client-idle-timeout)");
	assert_int_equal(ctl_next_timeout(c), -1);
	/* The one whose request waited is served as usual. */
	assert_int_equal(ctl_serve(c, kw), 0);
	ctl_drop(c, ks);
	ctl_drop(c, kw);
	close(quiet);
	close(spoke);
	close(waiting);
	ctl_close(c);
}

/* A reply its reader stopped taking is dropped reply_ms after it last
 * moved; one that is read in time is not. */
static void unread_reply_times_out(void **state)
{
	char p2[80], reply[CTLMSG_REPLY_MAX + 1];
	int s, k, rfd, small = 40000, t;
	struct ctl *c;

	(void)state;
	c = open_second("unread", p2, sizeof(p2));
	ctl_set_limits(c, &(struct ctl_limits){ .reply_ms = 200 });
	s = ctlmsg_connect(p2);
	k = ctl_accept(c);
	assert_true(k >= 0);
	assert_int_equal(setsockopt(k, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	status_lines = 20000;
	assert_int_equal(ctlmsg_send(s, "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, k), CTL_PENDING);
	t = ctl_next_timeout(c);
	assert_true(t > 0 && t <= 200);
	/* Read on time: its time starts again with each move. */
	usleep(120 * 1000);
	assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
	assert_int_equal(ctl_flush(c, k), CTL_PENDING);
	usleep(120 * 1000);
	assert_int_equal(ctl_expired(c), -1);
	usleep(120 * 1000);
	assert_int_equal(ctl_expired(c), k);
	ctl_drop(c, k);
	assert_int_equal(ctl_expired(c), -1);
	assert_int_equal(ctl_next_timeout(c), -1);
	status_lines = 2000;
	close(s);
	ctl_close(c);
}

/* One uid's unsent replies are bounded: beyond its share a STATUS is
 * refused with the reason, while another uid is still served. */
static void per_user_reply_bytes(void **state)
{
	char p2[80], reply[CTLMSG_REPLY_MAX + 1];
	int s[3], k[3], rfd, small = 40000;
	struct ctl *c;

	(void)state;
	if (geteuid() != 0)
		skip();
	c = open_second("replies", p2, sizeof(p2));
	ctl_set_limits(c, &(struct ctl_limits){ .reply_bytes_per_user = 100000 });
	for (int i = 0; i < 3; i++) {
		s[i] = connect_as(p2, i < 2 ? 65534 : 65533);
		k[i] = ctl_accept(c);
		assert_true(k[i] >= 0);
		assert_int_equal(setsockopt(k[i], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	}
	status_lines = 20000;   /* about 1 MiB */
	assert_int_equal(ctlmsg_send(s[0], "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, k[0]), CTL_PENDING);
	assert_int_equal(ctlmsg_send(s[1], "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, k[1]), 0);
	assert_true(ctlmsg_recv(s[1], reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "ERR 105 too many large replies of uid 65534 waiting for "
			    "their readers (97 KiB); try again later");
	assert_int_equal(ctlmsg_send(s[2], "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, k[2]), CTL_PENDING);
	/* Its first reader gone, the share is back. */
	ctl_drop(c, k[0]);
	status_lines = 10;
	assert_int_equal(ctlmsg_send(s[1], "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, k[1]), 0);
	assert_true(ctlmsg_recv(s[1], reply, sizeof(reply), &rfd) > 0);
	assert_non_null(strstr(reply, "socket 0 bound"));
	status_lines = 2000;
	ctl_drop(c, k[1]);
	ctl_drop(c, k[2]);
	for (int i = 0; i < 3; i++)
		close(s[i]);
	ctl_close(c);
}

static void extra_descriptors_are_closed(void **state)
{
	int sv[2], fds[4], rfd, held = 0;
	ino_t ino[4];
	char buf[64];
	union {
		char b[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr a;
	} u;
	struct iovec iov = { "MANAGE", 6 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.b, .msg_controllen = sizeof(u.b) };
	struct orphan_scan *scan;
	struct cmsghdr *c;
	struct stat st;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	for (int i = 0; i < 4; i++) {
		fds[i] = sctpish_socket();
		assert_int_equal(fstat(fds[i], &st), 0);
		ino[i] = st.st_ino;
	}
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	assert_int_equal(sendmsg(sv[0], &m, 0), 6);
	/* In flight, the sockets live on without our descriptors. */
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	assert_int_equal(ctlmsg_recv(sv[1], buf, sizeof(buf), &rfd), 6);
	assert_string_equal(buf, "MANAGE");
	assert_true(rfd >= 0);
	/* Exactly one of the four arrived to stay; three were closed. */
	scan = orphan_scan_new();
	for (int i = 0; i < 4; i++)
		held += orphan_held(scan, getpid(), ino[i]);
	orphan_scan_free(scan);
	assert_int_equal(held, 1);
	close(rfd);
	close(sv[0]);
	close(sv[1]);
}

static void status_spans_messages(void **state)
{
	char reply[CTLMSG_REPLY_MAX + 1];
	int s = ctlmsg_connect(path), rfd, lines = 0, msgs = 0;
	ssize_t n;

	(void)state;
	assert_int_equal(ctlmsg_send(s, "STATUS", -1), 0);
	while ((n = ctlmsg_recv(s, reply, sizeof(reply), &rfd)) > 0 && strcmp(reply, "OK")) {
		msgs++;
		for (char *p = reply; (p = strchr(p, '\n')); p++)
			lines++;
		lines++;        /* the last line lost its newline */
	}
	assert_string_equal(reply, "OK");
	assert_int_equal(lines, 2000);
	assert_true(msgs > 1);
	close(s);
}

/* A reply bigger than the client's socket holds: served without waiting
 * for the reader, the rest sent as room appears (ctl_flush), whole and in
 * order, then "OK"; no request is read meanwhile. */
static void status_bigger_than_the_socket(void **state)
{
	char p2[80], why[256], reply[CTLMSG_REPLY_MAX + 1];
	int s, cl, rfd, lines = 0, flushes = 0, err, small = 40000;
	struct ctl *c;
	ssize_t n;

	(void)state;
	snprintf(p2, sizeof(p2), "/tmp/asconf-test-%d/big.sock", (int)getpid());
	c = ctl_open(p2, &ops, NULL, why, sizeof(why));
	assert_non_null(c);
	s = ctlmsg_connect(p2);
	assert_true(s >= 0);
	cl = ctl_accept(c);
	assert_true(cl >= 0);
	/* Room for a message or two, not for 20,000 lines (about 1 MiB). */
	assert_int_equal(setsockopt(cl, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	status_lines = 20000;
	assert_int_equal(ctlmsg_send(s, "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, cl), CTL_PENDING);
	assert_true(ctl_pending(c, cl));
	/* A request sent meanwhile waits for the reply to end. */
	assert_int_equal(ctlmsg_send(s, "RELOAD", -1), 0);
	for (;;) {
		n = ctlmsg_recv(s, reply, sizeof(reply), &rfd);
		assert_true(n > 0);
		if (!strcmp(reply, "OK"))
			break;
		for (char *q = reply; (q = strchr(q, '\n')); q++)
			lines++;
		lines++;
		err = ctl_flush(c, cl);
		assert_true(err == 0 || err == CTL_PENDING);
		flushes++;
	}
	assert_int_equal(lines, 20000);
	assert_true(flushes > 1);
	assert_false(ctl_pending(c, cl));
	assert_int_equal(ctl_serve(c, cl), 0);
	assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "OK");
	/* A reader that goes away with its reply half sent is dropped. */
	assert_int_equal(ctlmsg_send(s, "STATUS", -1), 0);
	assert_int_equal(ctl_serve(c, cl), CTL_PENDING);
	close(s);
	assert_true(ctl_flush(c, cl) < 0);
	ctl_drop(c, cl);
	status_lines = 2000;
	ctl_close(c);
}

/* STATUS takes an optional format word; an unknown one is an error that
 * names it, and the connection stays usable. */
static void status_formats(void **state)
{
	static const struct { const char *req; int fmt; } cases[] = {
		{ "STATUS", CTL_TEXT }, { "STATUS JSON", CTL_JSON },
		{ "STATUS METRICS", CTL_METRICS }, { "STATUS CHECK", CTL_CHECK },
	};
	char reply[CTLMSG_REPLY_MAX + 1];
	int s = ctlmsg_connect(path), rfd;
	ssize_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		last_format = -1;
		assert_int_equal(ctlmsg_send(s, cases[i].req, -1), 0);
		while ((n = ctlmsg_recv(s, reply, sizeof(reply), &rfd)) > 0 && strcmp(reply, "OK"))
			;
		assert_string_equal(reply, "OK");
		assert_int_equal(last_format, cases[i].fmt);
	}
	assert_int_equal(ctlmsg_send(s, "STATUS YAML", -1), 0);
	assert_true(ctlmsg_recv(s, reply, sizeof(reply), &rfd) > 0);
	assert_string_equal(reply, "ERR 22 unknown status format 'YAML' (want JSON, METRICS or CHECK)");
	close(s);
}

/* The highest descriptor open now: a soft limit of one more leaves the
 * process no descriptor to spare. */
static int max_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	struct rlimit rl;
	int max = 2, self = dirfd(d), fd;

	/* Valgrind keeps its own descriptors above the limit it shows. */
	getrlimit(RLIMIT_NOFILE, &rl);
	while ((e = readdir(d))) {
		fd = atoi(e->d_name);
		if (fd > max && fd != self && (rlim_t)fd < rl.rlim_cur)
			max = fd;
	}
	closedir(d);
	return max;
}

/* Leaves the process no free descriptor: the soft limit just above the
 * highest one open, and every hole below it filled.  Undone by
 * fds_restore. */
struct fds_full {
	struct rlimit old;
	int fill[1024];
	int n;
};

static void fds_exhaust(struct fds_full *f)
{
	struct rlimit rl;
	int fd;

	/* Valgrind emulates the limit in its wrappers, not in the kernel:
	 * recvmsg still installs a passed descriptor.  The sanitizer run of
	 * these tests covers the kernel's behaviour; here they are reported
	 * as skipped, not passed. */
	if (RUNNING_ON_VALGRIND)
		skip();

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &f->old), 0);
	rl = f->old;
	rl.rlim_cur = (rlim_t)max_fd() + 1;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	for (f->n = 0; f->n < 1024 && (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
		f->fill[f->n++] = fd;
	assert_int_equal(errno, EMFILE);
}

static void fds_restore(struct fds_full *f)
{
	while (f->n)
		close(f->fill[--f->n]);
	setrlimit(RLIMIT_NOFILE, &f->old);
}

/* A socket passed when the receiver's descriptor table is full is an
 * EMFILE, not a "request too long". */
static void passed_fd_without_room_is_emfile(void **state)
{
	char buf[64];
	int sv[2], rfd;
	struct fds_full full;
	ssize_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(ctlmsg_send(sv[0], "MANAGE", sv[0]), 0);
	if (RUNNING_ON_VALGRIND)
		skip();         /* as fds_exhaust would, before the server is held */
	/* The server thread must not free a slot meanwhile: it once closed
	 * an earlier test's client right then, and the descriptor came in. */
	hold_server(true);
	fds_exhaust(&full);
	n = ctlmsg_recv(sv[1], buf, sizeof(buf), &rfd);
	fds_restore(&full);
	hold_server(false);
	assert_int_equal(n, -EMFILE);
	assert_int_equal(rfd, -1);
	close(sv[0]);
	close(sv[1]);
}

/* Out of descriptors, the daemon answers a new client "ERR 24" with the
 * descriptor it keeps in reserve, instead of leaving it in the backlog
 * (where the listener stays readable and the loop would spin). */
static void accept_without_room_answers_emfile(void **state)
{
	char reply[CTLMSG_REPLY_MAX + 1];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), rfd;
	struct fds_full full;
	ssize_t n;

	(void)state;
	assert_true(s >= 0);
	strcpy(sun.sun_path, path);
	fds_exhaust(&full);
	assert_int_equal(connect(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	/* Broken, the client would wait for ever: give it 5 s. */
	n = poll(&(struct pollfd){ .fd = s, .events = POLLIN }, 1, 5000) == 1 ?
	    ctlmsg_recv(s, reply, sizeof(reply), &rfd) : -ETIMEDOUT;
	fds_restore(&full);
	assert_true(n > 0);
	assert_string_equal(reply, "ERR 24 daemon out of file descriptors (Too many open files)");
	/* Then it closed the connection. */
	assert_int_equal(ctlmsg_recv(s, reply, sizeof(reply), &rfd), 0);
	close(s);
	/* And serves the next client once there is room. */
	s = ctlmsg_connect(path);
	assert_true(s >= 0);
	assert_int_equal(ctlmsg_send(s, "STATUS CHECK", -1), 0);
	while ((n = ctlmsg_recv(s, reply, sizeof(reply), &rfd)) > 0 && strcmp(reply, "OK"))
		;
	assert_string_equal(reply, "OK");
	close(s);
}

/* A client that sent its request and left before the daemon, out of
 * descriptors, got round to refusing it: its connection reads as end of
 * file for ever.  The refusal must still return (it once looped there,
 * and the daemon never served anyone again). */
static void refusal_of_a_client_already_gone_returns(void **state)
{
	char p2[80], why[256];
	struct fds_full full;
	struct ctl *c;
	int s, err;

	(void)state;
	if (RUNNING_ON_VALGRIND)
		skip();         /* before anything is opened: see fds_exhaust */
	snprintf(p2, sizeof(p2), "%s.gone", path);
	c = ctl_open(p2, &ops, NULL, why, sizeof(why));
	assert_non_null(c);
	s = ctlmsg_connect(p2);
	assert_true(s >= 0);
	assert_int_equal(ctlmsg_send(s, "STATUS", -1), 0);
	close(s);
	fds_exhaust(&full);
	err = ctl_accept(c);
	fds_restore(&full);
	assert_int_equal(err, -EMFILE);
	/* The reserve came back: the next one is accepted once there is room. */
	s = ctlmsg_connect(p2);
	assert_true(s >= 0);
	err = ctl_accept(c);
	assert_true(err >= 0);
	close(err);
	close(s);
	ctl_close(c);
}

static void disconnect_releases(void **state)
{
	int s, before;

	(void)state;
	/* Let the drops of earlier tests' connections land first. */
	usleep(200000);
	before = gone_calls;
	s = ctlmsg_connect(path);
	close(s);
	for (int i = 0; i < 100 && gone_calls == before; i++)
		usleep(10000);
	assert_int_equal(gone_calls, before + 1);
}

static void second_daemon_is_refused(void **state)
{
	char why[256];

	(void)state;
	assert_null(ctl_open(path, &ops, NULL, why, sizeof(why)));
	assert_non_null(strstr(why, "another asconfd is already listening"));
}

static void stale_socket_is_reclaimed(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char why[256];
	struct ctl *c;
	int s;

	(void)state;
	/* A socket file nobody listens on, as a crashed daemon leaves it. */
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s.stale", path);
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(s);
	assert_true(ctlmsg_connect(sun.sun_path) < 0);
	c = ctl_open(sun.sun_path, &ops, NULL, why, sizeof(why));
	assert_non_null(c);
	s = ctlmsg_connect(sun.sun_path);
	assert_true(s >= 0);
	close(s);
	ctl_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manage_and_release),
		cmocka_unit_test(errors_carry_the_reason),
		cmocka_unit_test(bad_requests_keep_the_connection),
		cmocka_unit_test(sender_pid_and_fd_number),
		cmocka_unit_test(by_pid_requests),
		cmocka_unit_test(handed_over_again_after_restart),
		cmocka_unit_test(many_sockets_handed_over_again),
		cmocka_unit_test(reload_answers_with_the_reason),
		cmocka_unit_test(addrs_request),
		cmocka_unit_test(asconf_bind_cases),
		cmocka_unit_test(access_and_client_limit),
		cmocka_unit_test(per_user_client_limit),
		cmocka_unit_test(spoken_client_leaves_no_deadline),
		cmocka_unit_test(idle_client_times_out),
		cmocka_unit_test(unread_reply_times_out),
		cmocka_unit_test(per_user_reply_bytes),
		cmocka_unit_test(extra_descriptors_are_closed),
		cmocka_unit_test(status_spans_messages),
		cmocka_unit_test(status_bigger_than_the_socket),
		cmocka_unit_test(status_formats),
		cmocka_unit_test_teardown(passed_fd_without_room_is_emfile, let_server_go),
		cmocka_unit_test(accept_without_room_answers_emfile),
		cmocka_unit_test(refusal_of_a_client_already_gone_returns),
		cmocka_unit_test(disconnect_releases),
		cmocka_unit_test(second_daemon_is_refused),
		cmocka_unit_test(stale_socket_is_reclaimed),
		cmocka_unit_test(monitor_socket_reads_only),
	};

	return cmocka_run_group_tests_name("ctl", tests, setup, teardown);
}
