// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include "asconf.h"
#include "../proto/ctlmsg.h"
#include "../proto/narrow.h"

#define EXPORT __attribute__((visibility("default")))

/* The Makefile passes VERSION's parts: the installed header must not claim
 * another version than the library it comes with. */
#ifdef ASCONF_BUILD_MAJOR
_Static_assert(ASCONF_VERSION_MAJOR == ASCONF_BUILD_MAJOR &&
	       ASCONF_VERSION_MINOR == ASCONF_BUILD_MINOR &&
	       ASCONF_VERSION_PATCH == ASCONF_BUILD_PATCH,
	       "agent/lib/asconf.h's ASCONF_VERSION_* differ from the VERSION file");
#endif

/* One connection per process: the daemon releases a client's sockets when
 * its connection closes, so the connection must live as long as they do. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int conn = -1;
static __thread char reason[256];

/* What this process (and, after a fork, its parent) handed over, so that a
 * new connection after the daemon restarted can hand it over again. */
struct held {
	int fd;
	ino_t ino;
	pid_t pid;
	char text[CTLMSG_MAX];  /* the MANAGE request */
};
static struct held *held;
static size_t nheld, cheld;
static bool lost;               /* a connection was lost since */

/* slot[fd]: 1 + the index in held of fd's entry, 0: none, for the entries
 * of slot_pid only: a server hands over thousands of sockets, and a scan
 * of held per call made the burst quadratic.  Another process (a child
 * after fork, which inherits its parent's entries) scans. */
static size_t *slot;
static size_t nslot;
static pid_t slot_pid;

static void slot_set(int fd, size_t v)
{
	if ((size_t)fd < nslot)
		slot[fd] = v;
}

static struct held *find_held(int fd, pid_t pid)
{
	if (pid == slot_pid && slot)
		return (size_t)fd < nslot && slot[fd] ? &held[slot[fd] - 1] : NULL;
	for (size_t i = 0; i < nheld; i++)
		if (held[i].fd == fd && held[i].pid == pid)
			return &held[i];
	return NULL;
}

/* Removes held[i]: the last entry takes its place. */
static void drop_held(size_t i)
{
	if (held[i].pid == slot_pid)
		slot_set(held[i].fd, 0);
	held[i] = held[--nheld];
	if (i < nheld && held[i].pid == slot_pid)
		slot_set(held[i].fd, i + 1);
}

static void forget_held(int fd, pid_t pid)
{
	struct held *h = find_held(fd, pid);

	if (h)
		drop_held((size_t)(h - held));
}

/* Room in slot for fd; without memory for it, no index from now on:
 * every lookup scans. */
static void slot_room(int fd)
{
	size_t n = nslot;
	size_t *v;

	if (!slot_pid)
		slot_pid = getpid();    /* the first socket remembered */
	if (slot_pid != getpid() || (size_t)fd < nslot)
		return;                 /* another process's index, or room */
	while (n <= (size_t)fd)
		n = n ? n * 2 : 64;
	v = realloc(slot, n * sizeof(*v));
	if (!v) {
		free(slot);
		slot = NULL;
		nslot = 0;
		slot_pid = -1;          /* scan from now on */
		return;
	}
	memset(v + nslot, 0, (n - nslot) * sizeof(*v));
	slot = v;
	nslot = n;
}

/* Best effort: a socket not remembered is one the daemon is not given
 * again after a restart. */
static void remember(int fd, const char *text)
{
	struct held *h = find_held(fd, getpid());
	struct stat st;

	if (fstat(fd, &st))
		return;
	if (!h) {
		if (nheld == cheld) {
			size_t cap = cheld ? cheld * 2 : 8;
			struct held *v = realloc(held, cap * sizeof(*v));

			if (!v)
				return;
			held = v;
			cheld = cap;
		}
		slot_room(fd);
		h = &held[nheld++];
		h->pid = getpid();
		if (h->pid == slot_pid)
			slot_set(fd, nheld);
	}
	h->fd = fd;
	h->ino = st.st_ino;
	h->pid = getpid();
	snprintf(h->text, sizeof(h->text), "%s", text);
}

/* One request and its reply on the current connection. */
static int exchange(const char *text, int fd, char *buf, size_t len)
{
	int err = ctlmsg_send(conn, text, fd), rfd;
	ssize_t n;

	/* A daemon that had to refuse the connection (out of descriptors)
	 * said why before closing it: that is the answer (1: then closed). */
	if (err == -EPIPE || err == -ECONNRESET) {
		n = ctlmsg_recv(conn, buf, len, &rfd);
		if (rfd >= 0)
			close(rfd);
		return n > 0 && !strncmp(buf, "ERR ", 4) ? 1 : err;
	}
	if (err)
		return err;
	n = ctlmsg_recv(conn, buf, len, &rfd);
	/* The reset is reported before what the daemon sent ahead of it. */
	if (n == -ECONNRESET)
		n = ctlmsg_recv(conn, buf, len, &rfd);
	if (rfd >= 0)
		close(rfd);
	return n > 0 ? 0 : n ? (int)n : -ECONNRESET;
}

/* After a lost connection: a restarted daemon may not have been able to
 * take this process's sockets itself (no pidfd_getfd, no permission), so
 * they are handed over again; "already managed" answers are fine. */
static void hand_over_again(void)
{
	char buf[CTLMSG_MAX + 1];       /* a MANAGE reply is one line */
	pid_t me = getpid();
	struct stat st;

	for (size_t i = 0; i < nheld;) {
		if (held[i].pid != me) {
			i++;
			continue;
		}
		if (fstat(held[i].fd, &st) || st.st_ino != held[i].ino) {
			drop_held(i);                   /* closed without release */
			continue;
		}
		if (exchange(held[i].text, held[i].fd, buf, sizeof(buf)))
			return;                         /* lost again: next call */
		i++;
	}
	lost = false;
}

static int fail(int err, const char *why)
{
	snprintf(reason, sizeof(reason), "%s", why);
	return err;
}

/* The reply is "OK ..." or "ERR <errno> <reason>". */
static int parse_reply(const char *r)
{
	char *end;
	long e;

	if (!strncmp(r, "OK", 2) && (r[2] == '\0' || r[2] == ' '))
		return 0;
	if (strncmp(r, "ERR ", 4))
		return fail(-EPROTO, "asconfd sent a reply this library does not understand");
	e = strtol(r + 4, &end, 10);
	if (end == r + 4 || e <= 0 || e > 4095)
		return fail(-EPROTO, "asconfd sent a malformed error reply");
	while (*end == ' ')
		end++;
	return fail((int)-e, end);
}

/* The reply is left in buf (len bytes at least CTLMSG_MAX + 1). */
static int request_into(const char *text, int fd, char *buf, size_t len)
{
	int err;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn < 0) {
			conn = ctlmsg_connect(ctlmsg_path());
			if (conn < 0) {
				err = conn;
				conn = -1;
				snprintf(reason, sizeof(reason), "cannot reach asconfd at %s: %s",
					 ctlmsg_path(), strerror(-err));
				return err;
			}
		}
		if (lost)
			hand_over_again();
		err = exchange(text, fd, buf, len);
		if (!err)
			return parse_reply(buf);
		if (err == 1) {
			close(conn);
			conn = -1;
			return parse_reply(buf);
		}
		/* The daemon went away (restart): reconnect once. */
		close(conn);
		conn = -1;
		lost = true;
		if (err != -EPIPE && err != -ECONNRESET && err != -ENOTCONN)
			break;
	}
	snprintf(reason, sizeof(reason), "lost the connection to asconfd: %s", strerror(-err));
	return err;
}

static int request(const char *text, int fd)
{
	char buf[CTLMSG_REPLY_MAX + 1];

	return request_into(text, fd, buf, sizeof(buf));
}

/* A restarted daemon that may not take the sockets back itself (no
 * CAP_SYS_PTRACE, Linux < 5.6) gets them from here: one thread per process
 * waits, with no timeout, for the connection to hang up, then tries to
 * reconnect (after 100 ms, doubling up to 1.6 s) while the daemon is away
 * and hands over again what this process manages.  Started by
 * asconf_manage; it ends when the connection is lost with nothing held. */
#define RECONNECT_MIN_MS 100
#define RECONNECT_MAX_MS 1600
static pid_t watcher_pid;

static bool conn_dead(void)
{
	char c;
	ssize_t n = recv(conn, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static bool holds_any(void)
{
	for (size_t i = 0; i < nheld; i++)
		if (held[i].pid == getpid())
			return true;
	return false;
}

static void *watch(void *arg)
{
	struct pollfd p = { .events = 0 };
	unsigned int delay = RECONNECT_MIN_MS;
	bool have = false;
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		pthread_mutex_lock(&lock);
		if (watcher_pid != getpid()) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		if (conn >= 0 && have && conn_dead()) {
			close(conn);
			conn = -1;
			lost = true;
		}
		if (conn < 0 && !holds_any()) {
			watcher_pid = 0;        /* the next asconf_manage starts one */
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		if (conn < 0) {
			int c = ctlmsg_connect(ctlmsg_path());

			if (c >= 0) {
				conn = c;
				hand_over_again();
			}
		}
		p.fd = conn;
		have = conn >= 0;
		pthread_mutex_unlock(&lock);
		if (!have) {
			usleep(delay * 1000);
			delay = delay < RECONNECT_MAX_MS ? delay * 2 : RECONNECT_MAX_MS;
			continue;
		}
		delay = RECONNECT_MIN_MS;
		/* Only a hang-up or an error wakes this: replies are read by
		 * the callers, under the lock. */
		if (poll(&p, 1, -1) < 0)
			usleep(RECONNECT_MIN_MS * 1000);
	}
	return NULL;
}

/* A fork while the watcher holds the lock must not leave it locked in the
 * child. */
static void fork_prepare(void) { pthread_mutex_lock(&lock); }
static void fork_done(void) { pthread_mutex_unlock(&lock); }

static void start_watcher(void)
{
	static bool atfork;
	pthread_attr_t a;
	pthread_t t;

	if (watcher_pid == getpid() || pthread_attr_init(&a))
		return;
	if (!atfork && !pthread_atfork(fork_prepare, fork_done, fork_done))
		atfork = true;
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 64 * 1024);
	if (!pthread_create(&t, &a, watch, NULL))
		watcher_pid = getpid();
	pthread_attr_destroy(&a);
}

static bool bad_policy(const char *policy)
{
	return policy && (strlen(policy) > 200 || strpbrk(policy, " \t\r\n"));
}

/* MANAGE, under lock: handed over, remembered, watched. */
static int manage_locked(int fd, const char *policy, bool narrowed)
{
	char text[CTLMSG_MAX];
	int err;

	snprintf(text, sizeof(text), "MANAGE%s%s fd=%d%s", policy ? " " : "",
		 policy ? policy : "", fd, narrowed ? " from=wildcard" : "");
	err = request(text, fd);
	if (!err) {
		remember(fd, text);
		start_watcher();
	}
	return err;
}

EXPORT int asconf_manage(int fd, const char *policy)
{
	int err;

	reason[0] = '\0';
	if (fd < 0)
		return fail(-EBADF, "bad file descriptor");
	if (bad_policy(policy))
		return fail(-EINVAL, "policy name must be a single word of at most 200 bytes");
	pthread_mutex_lock(&lock);
	err = manage_locked(fd, policy, false);
	pthread_mutex_unlock(&lock);
	return err;
}

/* What a wildcard bind does: 1, with the reason for it. */
static int bind_wildcard(int fd, int family, uint16_t port, const char *why)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	char keep[sizeof(reason)];
	int rc;

	snprintf(keep, sizeof(keep), "%s", why);
	rc = family == AF_INET ? bind(fd, (struct sockaddr *)&s4, sizeof(s4)) :
	     bind(fd, (struct sockaddr *)&s6, sizeof(s6));
	if (rc) {
		snprintf(reason, sizeof(reason), "cannot bind the wildcard: %s", strerror(errno));
		return -errno;
	}
	snprintf(reason, sizeof(reason), "%s", keep);
	return 1;
}

EXPORT int asconf_bind(int fd, unsigned short port, const char *policy)
{
	char text[CTLMSG_MAX], why[sizeof(reason)], *reply;
	struct narrow_set set = { 0 };
	int family, err;
	bool v6only;

	reason[0] = '\0';
	if (fd < 0)
		return fail(-EBADF, "bad file descriptor");
	if (bad_policy(policy))
		return fail(-EINVAL, "policy name must be a single word of at most 200 bytes");
	if ((err = narrow_sock_family(fd, &family, &v6only)))
		return fail(err, "cannot read the socket's family");
	if (family != AF_INET && family != AF_INET6)
		return fail(-EAFNOSUPPORT, "not an IPv4 or IPv6 socket");
	reply = malloc(CTLMSG_REPLY_MAX + 1);
	if (!reply)
		return fail(-ENOMEM, "out of memory");
	narrow_request(text, sizeof(text), policy, family, v6only);
	pthread_mutex_lock(&lock);
	err = request_into(text, -1, reply, CTLMSG_REPLY_MAX + 1);
	if (err && conn < 0 && !strncmp(reason, "cannot reach", 12)) {
		/* No daemon: the program runs as it would. */
		snprintf(why, sizeof(why), "%.200s: bound to the wildcard", reason);
		err = bind_wildcard(fd, family, port, why);
		goto out;
	}
	if (err)
		goto out;                       /* the daemon's reason */
	err = narrow_parse(reply, family, v6only, &set);
	if (err) {
		fail(err, "asconfd sent an address list this library does not understand");
		goto out;
	}
	if (!set.narrow) {
		err = bind_wildcard(fd, family, port, "the policy does not narrow a wildcard "
				    "(narrow-wildcard = no): bound to the wildcard");
		goto out;
	}
	if (!set.n) {
		if (set.empty_wildcard)
			err = bind_wildcard(fd, family, port, "the policy has no usable address "
					    "(narrow-empty = wildcard): bound to the wildcard");
		else
			err = fail(-EADDRNOTAVAIL, "the policy has no usable address "
				   "(narrow-empty = fail)");
		goto out;
	}
	err = narrow_bind(fd, &set, port);
	if (err) {
		snprintf(reason, sizeof(reason), "cannot bind the policy's addresses: %s",
			 strerror(-err));
		goto out;
	}
	err = manage_locked(fd, policy, true);
out:
	pthread_mutex_unlock(&lock);
	narrow_free(&set);
	free(reply);
	return err;
}

EXPORT int asconf_release(int fd)
{
	int err;

	reason[0] = '\0';
	if (fd < 0)
		return fail(-EBADF, "bad file descriptor");
	pthread_mutex_lock(&lock);
	err = conn < 0 && !find_held(fd, getpid()) ? fail(-ENOENT, "socket is not managed")
						   : request("RELEASE", fd);
	forget_held(fd, getpid());
	pthread_mutex_unlock(&lock);
	return err;
}

EXPORT const char *asconf_strerror(void)
{
	return reason;
}
