// SPDX-License-Identifier: LGPL-2.1-or-later
/* libasconf-preload: the LD_PRELOAD shim under asconf-run(1).  It hands each
 * SCTP socket of an unmodified program to asconfd once the socket has
 * specific local addresses, and takes it back before the program closes it.
 *
 * It runs inside someone else's program, so it must never change what the
 * program sees: every wrapper returns what the real call returned, with the
 * errno the real call left, and the shim's own descriptor lives out of the
 * program's way (high, close-on-exec, invisible to close()).  Anything that
 * goes wrong on the asconfd side is at most one line on stderr. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "../proto/ctlmsg.h"
#include "../proto/narrow.h"

#define EXPORT __attribute__((visibility("default")))

/* The environment asconf-run sets up for the shim. */
#define ENV_POLICY "ASCONF_POLICY"
#define ENV_DEBUG "ASCONF_RUN_DEBUG"

/* A reply slower than this means a stuck daemon: the program's bind() must
 * not hang on it. */
#define REPLY_TIMEOUT_S 2
/* An absent daemon is asked again at most this often (an accept loop
 * must not pay a failed connect per socket). */
#define RETRY_NS 1000000000LL

/* What the shim knows of a descriptor.  SLOT_LEFT: SCTP, but not ours to
 * hand over (bound to the wildcard, or managed by someone else). */
enum { SLOT_NONE, SLOT_MANAGED, SLOT_LEFT };

struct slot {
	unsigned char state;
	bool shared;            /* dup'ed: another slot may name the same socket */
	bool narrowed;          /* bound to the policy's addresses for a wildcard */
	dev_t dev;
	ino_t ino;
};

static int (*real_bind)(int, __CONST_SOCKADDR_ARG, socklen_t);
static int (*real_connect)(int, __CONST_SOCKADDR_ARG, socklen_t);
static int (*real_listen)(int, int);
static int (*real_accept)(int, __SOCKADDR_ARG, socklen_t *);
static int (*real_accept4)(int, __SOCKADDR_ARG, socklen_t *, int);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_getsockopt)(int, int, int, void *, socklen_t *);
static int (*real_close)(int);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);
static int (*real_fcntl)(int, int, ...);
static int (*real_fcntl64)(int, int, ...);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int, __CONST_SOCKADDR_ARG, socklen_t);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Set while this thread is inside the shim: the shim's own socket calls
 * (and a signal handler's, mid-way) go straight to the real functions. */
static __thread int busy;

/* Under lock. */
static struct slot *slots;
static int nslots;
static int conn = -1;
static dev_t conn_dev;
static ino_t conn_ino;
static bool conn_lost;          /* had a connection: re-manage on reconnect */
static struct timespec last_fail;
static bool warned_absent, warned_refused, warned_narrow, client_lib;
static char reason[256];

/* Read without the lock on the fast paths. */
static atomic_int tracked;      /* slots not SLOT_NONE */
static atomic_int public_conn = -1;
static atomic_int owner;        /* the process the state belongs to */
static char policy_buf[201], path_buf[4096];
static const char *policy;
static bool debug;

static void resolve(void)
{
#define R(name) (real_##name = (__typeof__(real_##name))dlsym(RTLD_NEXT, #name))
	R(bind); R(connect); R(listen); R(accept); R(accept4);
	R(setsockopt); R(getsockopt); R(close);
	R(dup); R(dup2); R(dup3); R(fcntl); R(fcntl64); R(sendmsg); R(sendto);
#undef R
	if (!real_fcntl64)
		real_fcntl64 = real_fcntl;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "asconf-run[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	/* stderr may be closed or a pipe nobody reads: never block, never care. */
	if (write(2, buf, (size_t)n) < 0)
		return;
}

#define DEBUG(...) do { if (debug) say(__VA_ARGS__); } while (0)

/* --- the descriptor table ------------------------------------------------ */

static struct slot *slot_at(int fd, bool grow)
{
	if (fd < 0)
		return NULL;
	if (fd >= nslots) {
		int n = nslots ? nslots : 64;
		struct slot *s;

		if (!grow)
			return NULL;
		while (n <= fd)
			n *= 2;
		s = realloc(slots, (size_t)n * sizeof(*s));
		if (!s)
			return NULL;
		memset(s + nslots, 0, (size_t)(n - nslots) * sizeof(*s));
		slots = s;
		nslots = n;
	}
	return &slots[fd];
}

static void slot_set(int fd, int state, const struct stat *st)
{
	struct slot *s = slot_at(fd, state != SLOT_NONE);

	if (!s)
		return;
	if (s->state == SLOT_NONE && state != SLOT_NONE)
		atomic_fetch_add(&tracked, 1);
	else if (s->state != SLOT_NONE && state == SLOT_NONE)
		atomic_fetch_sub(&tracked, 1);
	s->state = (unsigned char)state;
	s->shared = false;
	s->narrowed = false;
	s->dev = st ? st->st_dev : 0;
	s->ino = st ? st->st_ino : 0;
}

/* The slot's state if it still describes the socket at fd: descriptors
 * can be closed behind the shim's back (closefrom, fclose, raw syscalls),
 * and their numbers reused. */
static int slot_state(int fd)
{
	struct slot *s = slot_at(fd, false);
	struct stat st;

	if (!s || s->state == SLOT_NONE)
		return SLOT_NONE;
	if (fstat(fd, &st) || st.st_dev != s->dev || st.st_ino != s->ino) {
		slot_set(fd, SLOT_NONE, NULL);
		return SLOT_NONE;
	}
	return s->state;
}

/* --- what kind of socket ------------------------------------------------- */

static bool is_sctp(int fd)
{
	int proto = 0;
	socklen_t len = sizeof(proto);
	struct sctp_initmsg im;

	if (!real_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len))
		return proto == IPPROTO_SCTP;
	if (errno != ENOPROTOOPT)
		return false;
	/* Before 2.6.32 there is no SO_PROTOCOL: only SCTP answers SCTP options. */
	len = sizeof(im);
	return !real_getsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, &len);
}

enum { BOUND_NOT, BOUND_ANY, BOUND_SPECIFIC };

/* Before an association exists, getsockname is the first bind address
 * (the wildcard shows as such; port 0 means not bound). */
static int bound(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return BOUND_NOT;
	if (ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_port)
		return narrow_is_any((struct sockaddr *)&ss) ? BOUND_ANY : BOUND_SPECIFIC;
	if (ss.ss_family == AF_INET6 && ((struct sockaddr_in6 *)&ss)->sin6_port)
		return narrow_is_any((struct sockaddr *)&ss) ? BOUND_ANY : BOUND_SPECIFIC;
	return BOUND_NOT;
}

/* --- the connection to asconfd ------------------------------------------- */

/* Out of the program's range: a program that numbers its descriptors
 * itself (dup2 onto a fixed fd, FD_SETSIZE arrays) starts at the bottom. */
static int high_fd(void)
{
	struct rlimit rl;
	rlim_t lim = 1024;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < lim)
		lim = rl.rlim_cur;
	return lim > 128 ? (int)lim - 64 : (int)lim / 2;
}

static int move_high(int fd)
{
	int hi = real_fcntl(fd, F_DUPFD_CLOEXEC, high_fd());

	if (hi < 0)
		return fd;      /* no room up there: the low one still works */
	real_close(fd);
	return hi;
}

static void conn_drop(bool ours)
{
	if (conn >= 0 && ours)
		real_close(conn);
	conn = -1;
	atomic_store(&public_conn, -1);
}

/* Is our descriptor still our connection?  The program may have closed it
 * (closefrom) and reused the number. */
static bool conn_alive(void)
{
	struct stat st;

	return !fstat(conn, &st) && st.st_dev == conn_dev && st.st_ino == conn_ino;
}

static int parse_reply(const char *r)
{
	char *end;
	long e;

	if (!strncmp(r, "OK", 2) && (r[2] == '\0' || r[2] == ' ')) {
		reason[0] = '\0';
		return 0;
	}
	if (strncmp(r, "ERR ", 4))
		goto bad;
	e = strtol(r + 4, &end, 10);
	if (end == r + 4 || e <= 0 || e > 4095)
		goto bad;
	while (*end == ' ')
		end++;
	snprintf(reason, sizeof(reason), "%s", end);
	return (int)-e;
bad:
	snprintf(reason, sizeof(reason), "asconfd sent a reply this shim does not understand");
	return -EPROTO;
}

/* One request and its reply.  A broken or stuck connection is dropped
 * (a late reply would answer the next request). */
static int exchange_into(const char *text, int fd, char *buf, size_t len)
{
	int err, rfd;
	ssize_t n;

	err = ctlmsg_send(conn, text, fd);
	if (!err) {
		n = ctlmsg_recv(conn, buf, len, &rfd);
		if (rfd >= 0)
			real_close(rfd);
		if (n > 0)
			return parse_reply(buf);
		err = n ? (int)n : -ECONNRESET;
	}
	snprintf(reason, sizeof(reason), "lost the connection to asconfd: %s", strerror(-err));
	conn_drop(true);
	conn_lost = true;
	return -ENOTCONN;
}

static int exchange(const char *text, int fd)
{
	char buf[CTLMSG_REPLY_MAX + 1];

	return exchange_into(text, fd, buf, sizeof(buf));
}

/* fd=N: a restarted daemon takes the socket again by its number here;
 * from=wildcard: the shim narrowed its wildcard bind (status shows it). */
static const char *manage_text(char *buf, size_t len, int fd, bool narrowed)
{
	snprintf(buf, len, "MANAGE%s%s fd=%d%s", policy ? " " : "", policy ? policy : "", fd,
		 narrowed ? " from=wildcard" : "");
	return buf;
}

/* After a reconnect the daemon has let go of everything the old
 * connection held, or (restarted) has taken it again under our pid:
 * hand it over again either way. */
static void remanage(void)
{
	char text[CTLMSG_MAX];

	for (int fd = 0; fd < nslots && conn >= 0; fd++) {
		int err;

		if (slots[fd].state != SLOT_MANAGED || slot_state(fd) != SLOT_MANAGED)
			continue;
		err = exchange(manage_text(text, sizeof(text), fd, slots[fd].narrowed), fd);
		DEBUG("fd %d managed again after a reconnect: %s", fd,
		      err && err != -EALREADY ? reason : "ok");
		if (err && err != -EALREADY)
			slot_set(fd, SLOT_NONE, NULL);
	}
}

static bool too_soon(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((last_fail.tv_sec || last_fail.tv_nsec) &&
	    (now.tv_sec - last_fail.tv_sec) * 1000000000LL + now.tv_nsec - last_fail.tv_nsec < RETRY_NS)
		return true;
	last_fail = now;
	return false;
}

/* ctlmsg_connect's, but never blocking: a daemon that is stopped or has a
 * full backlog must not hang the program (a Unix connect either succeeds
 * at once or fails with EAGAIN when non-blocking). */
static int conn_open(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int s, err;

	if (strlen(path_buf) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path_buf);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -errno;
	if (real_connect(s, (struct sockaddr *)&sun, sizeof(sun)) ||
	    real_fcntl(s, F_SETFL, 0) ||
	    real_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    real_setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv))) {
		err = -errno;
		real_close(s);
		return err;
	}
	return move_high(s);
}

static int conn_get(void)
{
	struct stat st;
	int s;

	if (conn >= 0 && conn_alive())
		return 0;
	if (conn >= 0) {
		conn_drop(false);       /* the number is not ours any more */
		conn_lost = true;
	}
	if (too_soon())
		return -EAGAIN;
	s = conn_open();
	if (s < 0) {
		if (!warned_absent) {
			warned_absent = true;
			say("cannot reach asconfd at %s (%s): %s runs without address management",
			    path_buf, strerror(-s), program_invocation_short_name);
		}
		return s;
	}
	if (fstat(s, &st)) {
		real_close(s);
		return -EBADF;
	}
	conn = s;
	conn_dev = st.st_dev;
	conn_ino = st.st_ino;
	atomic_store(&public_conn, s);
	last_fail.tv_sec = last_fail.tv_nsec = 0;
	DEBUG("connected to asconfd at %s (fd %d)", path_buf, s);
	if (conn_lost) {
		conn_lost = false;
		remanage();
	}
	return conn >= 0 ? 0 : -ENOTCONN;
}

/* --- the decisions -------------------------------------------------------- */

/* Is this process the one the state belongs to?  A vfork child shares
 * the parent's memory: it must not touch the parent's state. */
static bool ours(void)
{
	return getpid() == atomic_load(&owner);
}

/* Hand fd over, under lock.  The daemon's refusals of a wildcard-bound
 * socket or one it already has are normal: the socket is left alone. */
static void manage_locked(int fd, bool narrowed)
{
	char text[CTLMSG_MAX];
	struct stat st;
	int err;

	if (client_lib || fstat(fd, &st) || slot_state(fd) != SLOT_NONE)
		return;
	/* A program built on libasconf hands its sockets over itself: a
	 * second hand-over would make its own asconf_manage fail. */
	if (dlsym(RTLD_DEFAULT, "asconf_manage")) {
		client_lib = true;
		DEBUG("%s uses libasconf itself: the shim stays out of its way",
		      program_invocation_short_name);
		return;
	}
	/* A daemon restarted since the last request shows as a dead
	 * connection: reconnect once. */
	for (int attempt = 0;; attempt++) {
		if (conn_get())
			return;
		err = exchange(manage_text(text, sizeof(text), fd, narrowed), fd);
		if (err != -ENOTCONN || attempt)
			break;
	}
	if (!err) {
		slot_set(fd, SLOT_MANAGED, &st);
		slot_at(fd, false)->narrowed = narrowed;
		DEBUG("fd %d managed%s", fd, narrowed ? " (narrowed from the wildcard)" : "");
	} else if ((err == -EINVAL && strstr(reason, "wildcard")) || err == -EALREADY) {
		slot_set(fd, SLOT_LEFT, &st);
		DEBUG("fd %d left alone: %s", fd, reason);
	} else if (err != -ENOTCONN) {
		if (!warned_refused) {
			warned_refused = true;
			say("asconfd refused a socket of %s: %s", program_invocation_short_name,
			    reason);
		}
		slot_set(fd, SLOT_LEFT, &st);
	}
}

static void left_locked(int fd, const char *why)
{
	struct stat st;

	if (!fstat(fd, &st))
		slot_set(fd, SLOT_LEFT, &st);
	DEBUG("fd %d left alone: %s", fd, why);
}

/* A socket that has just been bound, or has just got more addresses. */
static void on_bound(int fd, int how)
{
	pthread_mutex_lock(&lock);
	if (ours() && slot_state(fd) == SLOT_NONE) {
		if (how == BOUND_SPECIFIC)
			manage_locked(fd, false);
		else if (how == BOUND_ANY)
			left_locked(fd, "bound to the wildcard address");
	}
	pthread_mutex_unlock(&lock);
}

/* --- narrowing a wildcard bind ------------------------------------------ */

/* Is the argument of bind or bindx one whole wildcard address?  Copied
 * first: a bindx buffer need not be aligned, and is read only as far as
 * its length (an AF_INET6 family on 16 bytes is not a sockaddr_in6). */
static bool wildcard_arg(const void *p, socklen_t len)
{
	struct sockaddr_storage ss;

	if (!p || len < sizeof(struct sockaddr_in))
		return false;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, p, len < sizeof(ss) ? len : sizeof(ss));
	if (ss.ss_family == AF_INET6 && len < sizeof(struct sockaddr_in6))
		return false;
	return narrow_is_any((struct sockaddr *)&ss);
}

static void warn_narrow(const char *what)
{
	if (!warned_narrow) {
		warned_narrow = true;
		say("%s: %s", program_invocation_short_name, what);
	}
}

/* A wildcard bind of an SCTP socket, explicit (bind, sctp_bindx) or the
 * kernel's implicit one (connect, sctp_connectx, sendmsg, listen on an
 * unbound socket), made a bind of the policy's usable addresses, which
 * asconfd sends (ADDRS), and the socket handed over.  0: not narrowed, the
 * real call goes on (not a wildcard, not SCTP, no daemon, narrow-wildcard
 * = no, narrow-empty = wildcard with no address, a daemon that cannot
 * tell); 1: narrowed, bound and handed over; -1: failed, *err is the
 * program's errno (EADDRNOTAVAIL: no usable address, narrow-empty = fail;
 * or the bind's own), the socket still unbound. */
static int try_narrow(int fd, enum narrow_call call, const void *addrs, size_t len, int *err)
{
	char text[CTLMSG_MAX], why[CTLMSG_MAX + 64], *reply;
	struct narrow_set set = { 0 };
	int family, how, e = 0, rc = 0;
	uint16_t port;
	bool v6only;

	if (!ours() || !is_sctp(fd) || narrow_sock_family(fd, &family, &v6only))
		return 0;
	how = bound(fd);
	if (!narrow_decide(call, family, how == BOUND_NOT ? NARROW_UNBOUND :
			   how == BOUND_ANY ? NARROW_BOUND_ANY : NARROW_BOUND_SPECIFIC,
			   addrs, len, &port))
		return 0;
	reply = malloc(CTLMSG_REPLY_MAX + 1);
	if (!reply)
		return 0;
	pthread_mutex_lock(&lock);
	if (!ours() || client_lib || slot_state(fd) != SLOT_NONE)
		goto out;
	if (dlsym(RTLD_DEFAULT, "asconf_manage")) {
		client_lib = true;      /* as manage_locked: the program's business */
		goto out;
	}
	narrow_request(text, sizeof(text), policy, family, v6only);
	for (int attempt = 0;; attempt++) {
		if (conn_get())
			goto out;       /* no daemon: the wildcard, after one warning */
		e = exchange_into(text, -1, reply, CTLMSG_REPLY_MAX + 1);
		if (e != -ENOTCONN || attempt)
			break;
	}
	if (!e)
		e = narrow_parse(reply, family, v6only, &set);
	if (e) {
		if (e != -ENOTCONN) {
			snprintf(why, sizeof(why), "asconfd did not list the policy's addresses "
				 "(%s): a wildcard bind stays the wildcard", *reason ? reason :
				 strerror(-e));
			warn_narrow(why);
		}
		goto out;
	}
	if (!set.narrow) {
		DEBUG("fd %d: the wildcard stays (narrow-wildcard = no)", fd);
		goto out;
	}
	if (!set.n) {
		snprintf(why, sizeof(why), "policy %s has no usable address: a wildcard bind %s",
			 policy ? policy : "default", set.empty_wildcard ?
			 "stays the wildcard (narrow-empty = wildcard)" :
			 "fails with EADDRNOTAVAIL (narrow-empty = fail)");
		warn_narrow(why);
		if (!set.empty_wildcard) {
			*err = EADDRNOTAVAIL;
			rc = -1;
		}
		goto out;
	}
	e = narrow_bind(fd, &set, port);
	if (e) {
		DEBUG("fd %d: binding the policy's %zu address(es) failed: %s", fd, set.n,
		      strerror(-e));
		*err = -e;
		rc = -1;
		goto out;
	}
	DEBUG("fd %d: a wildcard narrowed to %zu address(es)", fd, set.n);
	manage_locked(fd, true);
	rc = 1;
out:
	pthread_mutex_unlock(&lock);
	narrow_free(&set);
	free(reply);
	return rc;
}

/* The first send of a socket (by number) with a destination: later ones
 * need no look (the socket is bound by then).  Cleared when the number is
 * closed or replaced; numbers beyond the map are always looked at. */
#define SENT_MAX 65536
static atomic_uchar sent_map[SENT_MAX / 8];

static bool sent_before(int fd)
{
	return fd >= 0 && fd < SENT_MAX && (atomic_load(&sent_map[fd / 8]) & (1u << (fd % 8)));
}

static void sent_mark(int fd, bool on)
{
	if (fd < 0 || fd >= SENT_MAX)
		return;
	if (on)
		atomic_fetch_or(&sent_map[fd / 8], (unsigned char)(1u << (fd % 8)));
	else if (atomic_load(&sent_map[fd / 8]) & (1u << (fd % 8)))
		atomic_fetch_and(&sent_map[fd / 8], (unsigned char)~(1u << (fd % 8)));
}

/* Before connect, connectx, listen or a send with a destination: how was
 * the socket bound, if it is an SCTP socket the shim has not decided about
 * yet?  -1: not of interest.  An unbound one is narrowed first (then
 * BOUND_SPECIFIC); -2: narrowing failed, *err for the program. */
static int before_implicit_bind(int fd, enum narrow_call call, int *err)
{
	int st, how;

	pthread_mutex_lock(&lock);
	st = ours() ? slot_state(fd) : SLOT_LEFT;
	pthread_mutex_unlock(&lock);
	if (st != SLOT_NONE || !is_sctp(fd))
		return -1;
	how = bound(fd);
	if (how != BOUND_NOT)
		return how;
	switch (try_narrow(fd, call, NULL, 0, err)) {
	case 1:
		return BOUND_SPECIFIC;
	case -1:
		return -2;
	default:
		return BOUND_NOT;
	}
}


/* After it succeeded: an unbound socket was bound to the wildcard by the
 * kernel (autobind); a bound one the shim had not seen (inherited, or
 * bound before the shim was loaded) is handed over now. */
static void after_implicit_bind(int fd, int was)
{
	if (was < 0)
		return;
	on_bound(fd, was == BOUND_SPECIFIC ? BOUND_SPECIFIC : BOUND_ANY);
}

/* A new socket from a listener (accept) or a one-to-many socket (peeloff):
 * it has its parent's addresses. */
static void on_child(int parent, int fd)
{
	int st, how;

	pthread_mutex_lock(&lock);
	st = ours() ? slot_state(parent) : SLOT_NONE;
	/* A narrowed listener's accepted sockets have its addresses. */
	if (st == SLOT_MANAGED)
		manage_locked(fd, slot_at(parent, false)->narrowed);
	else if (st == SLOT_LEFT)
		left_locked(fd, "its listener is left alone");
	pthread_mutex_unlock(&lock);
	if (st != SLOT_NONE || !ours() || !is_sctp(fd))
		return;
	/* A parent the shim never saw bound. */
	how = bound(fd);
	on_bound(fd, how == BOUND_NOT ? BOUND_ANY : how);
}

/* fd is about to be closed (or replaced by dup2): release it unless
 * another descriptor of this process still holds the same socket. */
static void before_close(int fd)
{
	char text[CTLMSG_MAX];
	struct slot *s;
	int err;

	pthread_mutex_lock(&lock);
	if (!ours())
		goto out;
	s = slot_at(fd, false);
	if (!s || s->state == SLOT_NONE || slot_state(fd) == SLOT_NONE)
		goto out;
	if (s->state != SLOT_MANAGED)
		goto forget;
	if (s->shared) {
		for (int i = 0; i < nslots; i++)
			if (i != fd && slots[i].state == SLOT_MANAGED && slots[i].ino == s->ino &&
			    slots[i].dev == s->dev && slot_state(i) == SLOT_MANAGED) {
				/* Still held: the daemon learns its number now. */
				slots[i].shared = true;
				if (conn >= 0 && conn_alive())
					exchange(manage_text(text, sizeof(text), i,
							     slots[i].narrowed), i);
				goto forget;
			}
	}
	/* Forgotten first: a reconnect below must not hand it over again. */
	slot_set(fd, SLOT_NONE, NULL);
	if (conn < 0 && !conn_lost)
		goto out;       /* never connected: nothing to release */
	for (int attempt = 0;; attempt++) {
		if (conn_get())
			goto out;
		err = exchange("RELEASE", fd);
		/* A restarted daemon may hold the socket under our pid. */
		if (err != -ENOTCONN || attempt)
			break;
	}
	DEBUG("fd %d released: %s", fd, err ? reason : "ok");
	goto out;
forget:
	slot_set(fd, SLOT_NONE, NULL);
out:
	pthread_mutex_unlock(&lock);
}

/* newfd now names the same socket as oldfd. */
static void on_dup(int oldfd, int newfd)
{
	struct slot *s;
	int st;

	pthread_mutex_lock(&lock);
	st = ours() ? slot_state(oldfd) : SLOT_NONE;
	if (st != SLOT_NONE) {
		s = slot_at(oldfd, false);
		struct stat sb = { .st_dev = s->dev, .st_ino = s->ino };

		bool narrowed = s->narrowed;

		slot_set(newfd, st, &sb);
		s = slot_at(oldfd, false);      /* slot_set may have moved the table */
		s->shared = true;
		if (slot_at(newfd, false))
			slot_at(newfd, false)->narrowed = narrowed;
		if ((s = slot_at(newfd, false)))
			s->shared = true;
	}
	pthread_mutex_unlock(&lock);
}

/* The program wants our descriptor's number (dup2 onto it): move away. */
static void conn_step_aside(int fd)
{
	pthread_mutex_lock(&lock);
	if (conn == fd && ours()) {
		int s = real_fcntl(conn, F_DUPFD_CLOEXEC, fd + 1);

		if (s >= 0) {
			real_close(conn);
			conn = s;
			atomic_store(&public_conn, s);
		} else {
			conn_drop(true);
			conn_lost = true;
		}
	}
	pthread_mutex_unlock(&lock);
}

/* --- process life --------------------------------------------------------- */

static void fork_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

/* The child is a process of its own: it gets its own connection when it
 * hands over a socket, and the parent's sockets stay the parent's. */
static void fork_child(void)
{
	if (conn >= 0)
		real_close(conn);
	conn = -1;
	atomic_store(&public_conn, -1);
	conn_lost = false;
	if (slots)
		memset(slots, 0, (size_t)nslots * sizeof(*slots));
	atomic_store(&tracked, 0);
	atomic_store(&owner, getpid());
	pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void preload_init(void)
{
	/* As for the control socket's path (ctlmsg_path): a user's
	 * environment chooses nothing for a set-user-ID program. */
	const char *p = secure_getenv(ENV_POLICY), *d = secure_getenv(ENV_DEBUG);

	pthread_once(&once, resolve);
	debug = d && *d && strcmp(d, "0");
	/* Copied now: the program may change or clear its environment. */
	snprintf(path_buf, sizeof(path_buf), "%s", ctlmsg_path());
	if (p && *p) {
		if (strlen(p) < sizeof(policy_buf) && !strpbrk(p, " \t\r\n")) {
			snprintf(policy_buf, sizeof(policy_buf), "%s", p);
			policy = policy_buf;
		} else {
			say("ignoring %s: a policy name is one word of at most %zu bytes",
			    ENV_POLICY, sizeof(policy_buf) - 1);
		}
	}
	atomic_store(&owner, getpid());
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

/* --- the wrappers --------------------------------------------------------- */

/* Around the shim's own work in a wrapper: the program's errno comes back
 * as it was, and a thread cancelled mid-request (recvmsg is a cancellation
 * point) cannot leave the lock held. */
struct guard {
	int err, cancel;
};

static void enter(struct guard *g)
{
	g->err = errno;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &g->cancel);
	busy = 1;
}

static void leave(const struct guard *g)
{
	int ignored;

	busy = 0;
	pthread_setcancelstate(g->cancel, &ignored);
	errno = g->err;
}

static bool inet(const struct sockaddr *sa)
{
	return sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6);
}

EXPORT int bind(int fd, __CONST_SOCKADDR_ARG addr, socklen_t len)
{
	const struct sockaddr *sa = addr.__sockaddr__;
	struct guard g;
	int rc, err = 0;

	pthread_once(&once, resolve);
	/* The wildcard: the policy's addresses instead, if asconfd says so. */
	if (!busy && inet(sa) && wildcard_arg(sa, len)) {
		enter(&g);
		rc = try_narrow(fd, NARROW_BIND, sa, len, &err);
		leave(&g);
		if (rc) {
			if (rc < 0)
				errno = err;
			return rc > 0 ? 0 : -1;
		}
	}
	rc = real_bind(fd, addr, len);
	if (rc || busy || !inet(sa) || len < sizeof(struct sockaddr_in))
		return rc;
	enter(&g);
	if (is_sctp(fd))
		on_bound(fd, narrow_is_any(sa) ? BOUND_ANY : BOUND_SPECIFIC);
	leave(&g);
	return rc;
}

/* Before a call that binds an unbound socket implicitly: -1 with errno
 * set when narrowing its wildcard failed (the call must not go on). */
static int implicit(int fd, enum narrow_call call, int *was)
{
	struct guard g;
	int err = 0;

	enter(&g);
	*was = before_implicit_bind(fd, call, &err);
	leave(&g);
	if (*was == -2) {
		*was = -1;
		errno = err;
		return -1;
	}
	return 0;
}

EXPORT int connect(int fd, __CONST_SOCKADDR_ARG addr, socklen_t len)
{
	struct guard g;
	int rc, was = -1;

	pthread_once(&once, resolve);
	if (busy || !inet(addr.__sockaddr__))
		return real_connect(fd, addr, len);
	if (implicit(fd, NARROW_CONNECT, &was))
		return -1;
	rc = real_connect(fd, addr, len);
	if (was < 0 || (rc && errno != EINPROGRESS))
		return rc;
	enter(&g);
	after_implicit_bind(fd, was);
	leave(&g);
	return rc;
}

EXPORT int listen(int fd, int backlog)
{
	struct guard g;
	int rc, was;

	pthread_once(&once, resolve);
	if (busy)
		return real_listen(fd, backlog);
	if (implicit(fd, NARROW_LISTEN, &was))
		return -1;
	rc = real_listen(fd, backlog);
	if (rc || was < 0)
		return rc;
	enter(&g);
	after_implicit_bind(fd, was);
	leave(&g);
	return rc;
}

static int after_accept(int parent, int fd)
{
	struct guard g;

	if (fd < 0 || busy)
		return fd;
	enter(&g);
	on_child(parent, fd);
	leave(&g);
	return fd;
}

EXPORT int accept(int fd, __SOCKADDR_ARG addr, socklen_t *len)
{
	pthread_once(&once, resolve);
	return after_accept(fd, real_accept(fd, addr, len));
}

EXPORT int accept4(int fd, __SOCKADDR_ARG addr, socklen_t *len, int flags)
{
	pthread_once(&once, resolve);
	if (!real_accept4) {
		errno = ENOSYS;
		return -1;
	}
	return after_accept(fd, real_accept4(fd, addr, len, flags));
}

static bool sctp_connectx_opt(int level, int name)
{
	return level == IPPROTO_SCTP &&
	       (name == SCTP_SOCKOPT_CONNECTX_OLD || name == SCTP_SOCKOPT_CONNECTX ||
		name == SCTP_SOCKOPT_CONNECTX3);
}

/* libsctp's sctp_bindx and sctp_connectx are these socket options. */
EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct guard g;
	int rc, was = -1, err = 0;

	pthread_once(&once, resolve);
	if (busy || level != IPPROTO_SCTP)
		return real_setsockopt(fd, level, name, val, len);
	if (sctp_connectx_opt(level, name) && implicit(fd, NARROW_CONNECT, &was))
		return -1;
	/* sctp_bindx of the wildcard alone: the policy's addresses instead. */
	if (name == SCTP_SOCKOPT_BINDX_ADD && len <= sizeof(struct sockaddr_in6) &&
	    wildcard_arg(val, len)) {
		enter(&g);
		rc = try_narrow(fd, NARROW_BINDX, val, len, &err);
		leave(&g);
		if (rc) {
			if (rc < 0)
				errno = err;
			return rc > 0 ? 0 : -1;
		}
	}
	rc = real_setsockopt(fd, level, name, val, len);
	if (rc < 0 && !(was >= 0 && errno == EINPROGRESS))
		return rc;
	enter(&g);
	if (name == SCTP_SOCKOPT_BINDX_ADD)
		on_bound(fd, bound(fd));
	else
		after_implicit_bind(fd, was);
	leave(&g);
	return rc;
}

/* sctp_connectx returning the association id, and sctp_peeloff. */
EXPORT int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct guard g;
	int rc, was = -1, child = -1;

	pthread_once(&once, resolve);
	if (busy || level != IPPROTO_SCTP)
		return real_getsockopt(fd, level, name, val, len);
	if (sctp_connectx_opt(level, name) && implicit(fd, NARROW_CONNECT, &was))
		return -1;
	rc = real_getsockopt(fd, level, name, val, len);
	if (rc < 0 && !(was >= 0 && errno == EINPROGRESS))
		return rc;
	enter(&g);
	if (name == SCTP_SOCKOPT_PEELOFF && val && *len >= sizeof(sctp_peeloff_arg_t))
		child = ((sctp_peeloff_arg_t *)val)->sd;
	else if (name == SCTP_SOCKOPT_PEELOFF_FLAGS && val &&
		 *len >= sizeof(sctp_peeloff_flags_arg_t))
		child = ((sctp_peeloff_flags_arg_t *)val)->p_arg.sd;
	if (child >= 0)
		on_child(fd, child);
	else
		after_implicit_bind(fd, was);
	leave(&g);
	return rc;
}

EXPORT int close(int fd)
{
	struct guard g;

	pthread_once(&once, resolve);
	if (busy)
		return real_close(fd);
	/* Our connection is not the program's: to it, that number is free. */
	if (fd >= 0 && fd == atomic_load(&public_conn) && getpid() == atomic_load(&owner)) {
		errno = EBADF;
		return -1;
	}
	sent_mark(fd, false);
	if (atomic_load(&tracked)) {
		enter(&g);
		before_close(fd);
		leave(&g);
	}
	return real_close(fd);
}

/* dup2/dup3 onto a managed descriptor close it first. */
static void before_dup_onto(int oldfd, int newfd)
{
	sent_mark(newfd, false);
	if (newfd == atomic_load(&public_conn))
		conn_step_aside(newfd);
	if (oldfd != newfd && atomic_load(&tracked) && real_fcntl(oldfd, F_GETFD) >= 0)
		before_close(newfd);
}

static int after_dup(int oldfd, int rc)
{
	struct guard g;

	if (rc < 0 || rc == oldfd || busy)
		return rc;
	enter(&g);
	/* The number may have held a socket closed behind the shim's back. */
	if (atomic_load(&tracked)) {
		pthread_mutex_lock(&lock);
		if (ours())
			slot_set(rc, SLOT_NONE, NULL);
		pthread_mutex_unlock(&lock);
		on_dup(oldfd, rc);
	}
	leave(&g);
	return rc;
}

EXPORT int dup(int fd)
{
	pthread_once(&once, resolve);
	return after_dup(fd, real_dup(fd));
}

EXPORT int dup2(int oldfd, int newfd)
{
	struct guard g;

	pthread_once(&once, resolve);
	if (!busy) {
		enter(&g);
		before_dup_onto(oldfd, newfd);
		leave(&g);
	}
	return after_dup(oldfd, real_dup2(oldfd, newfd));
}

EXPORT int dup3(int oldfd, int newfd, int flags)
{
	struct guard g;

	pthread_once(&once, resolve);
	if (!busy && oldfd != newfd) {
		enter(&g);
		before_dup_onto(oldfd, newfd);
		leave(&g);
	}
	return after_dup(oldfd, real_dup3(oldfd, newfd, flags));
}

/* Only F_DUPFD and F_DUPFD_CLOEXEC matter here; every fcntl argument is
 * an int or a pointer, passed on as glibc itself does. */
static int fcntl_common(int (*real)(int, int, ...), int fd, int cmd, va_list ap)
{
	void *arg = va_arg(ap, void *);

	if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)
		return real(fd, cmd, arg);
	return after_dup(fd, real(fd, cmd, arg));
}

EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int rc;

	pthread_once(&once, resolve);
	va_start(ap, cmd);
	rc = fcntl_common(real_fcntl, fd, cmd, ap);
	va_end(ap);
	return rc;
}

EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	int rc;

	pthread_once(&once, resolve);
	va_start(ap, cmd);
	rc = fcntl_common(real_fcntl64, fd, cmd, ap);
	va_end(ap);
	return rc;
}

/* A one-to-many socket never bound nor connected is bound (to the
 * wildcard, by the kernel) by its first send to a destination: narrowed
 * first, as connect.  Only a socket's first such send is looked at. */
static int before_send(int fd, const struct sockaddr *to, socklen_t tolen, int *was)
{
	*was = -1;
	if (busy || !to || tolen < sizeof(struct sockaddr_in) || !inet(to) || sent_before(fd))
		return 0;
	if (implicit(fd, NARROW_SENDMSG, was))
		return -1;
	sent_mark(fd, true);
	return 0;
}

static void after_send(int fd, int was)
{
	struct guard g;

	if (was < 0)
		return;
	enter(&g);
	after_implicit_bind(fd, was);
	leave(&g);
}

EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	ssize_t rc;
	int was;

	pthread_once(&once, resolve);
	if (msg && before_send(fd, msg->msg_name, msg->msg_namelen, &was))
		return -1;
	rc = real_sendmsg(fd, msg, flags);
	if (rc >= 0 && msg)
		after_send(fd, was);
	return rc;
}

EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, __CONST_SOCKADDR_ARG to,
		      socklen_t tolen)
{
	ssize_t rc;
	int was;

	pthread_once(&once, resolve);
	if (before_send(fd, to.__sockaddr__, tolen, &was))
		return -1;
	rc = real_sendto(fd, buf, n, flags, to, tolen);
	if (rc >= 0)
		after_send(fd, was);
	return rc;
}
