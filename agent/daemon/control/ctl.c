// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <fcntl.h>
#include <time.h>

#include "../../../common/fdclose.h"
#include "../../../common/log.h"
#include "ctl.h"
#include "../../proto/ctlmsg.h"

/* A reply the client's socket had no room for yet: the built status (taken
 * over, not copied), how far it went, and whether "OK" is still to go. */
struct pending {
	char *buf;
	size_t len, off;
	bool ok_due;
};

/* What the daemon knows of one accepted connection, by its fd. */
struct client {
	bool open;
	bool spoke;             /* sent a request: no longer idle */
	bool privileged;        /* root or the daemon's user: never refused */
	bool readonly;          /* came in on the monitor socket: STATUS only */
	uid_t uid;              /* SO_PEERCRED at accept */
	uint64_t since_ms;      /* accepted, or its pending reply last moved */
	struct pending p;
};

/* One uid's share, for the per-user limits; gone with its last client. */
struct user {
	uid_t uid;
	unsigned int clients;
	size_t pending_bytes;
};

struct ctl {
	int fd;
	char *path;
	int ro_fd;              /* the monitor socket, -1: none */
	char *ro_path;
	bool has_monitor;       /* monitor-group given */
	gid_t monitor_gid;
	const struct ctl_ops *ops;
	void *ctx;
	char *out;              /* status being built */
	size_t nout, cout;
	bool out_failed;
	int spare;              /* reserved descriptor, see ctl_accept */
	struct log_limit refusals, over, timeouts;
	mode_t mode;
	uid_t self;             /* the daemon's euid: its own user is served */
	struct ctl_limits lim;
	unsigned int nclients;  /* unprivileged ones, against lim.max_clients */
	struct client *cl;      /* by fd */
	size_t ncl;
	struct user *users;
	size_t nusers, cusers;
	size_t pending_bytes;   /* over every client */
	uint64_t next_due_ms;   /* no client's time runs out before; 0: none */
};

/* All clients' unsent replies together: a status of 10,000 sockets is
 * some 16 MiB of JSON; beyond this a new STATUS is refused until readers
 * catch up.  With the per-uid share below it bounds what the daemon holds
 * for replies, whoever asks (MemoryMax= in the unit counts on it). */
#define CTL_PENDING_MAX (64u << 20)
/* One uid's unsent replies (root's and the daemon's user's: only the
 * total): two JSON statuses of 10,000 sockets. */
#define CTL_PENDING_USER_MAX (32u << 20)
/* Freeing a reply at least this big gives the heap back (malloc_trim). */
#define CTL_TRIM_BYTES (1u << 20)
/* An accepted client's send buffer (the kernel doubles it): one whole
 * reply message and its overhead.  A client that does not read pins at
 * most that much kernel memory; the rest of a big reply waits in the
 * daemon, counted against its uid (CTL_PENDING). */
#define CTL_SNDBUF (CTLMSG_REPLY_MAX + 4096)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void client_forget(struct ctl *c, int client);

static void spare_reopen(struct ctl *c)
{
	if (c->spare < 0)
		c->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* A stale socket file from a crashed daemon is removed; a live one is not. */
static int claim_path(const char *path, char *why, size_t len)
{
	struct stat st;
	int s;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(why, len, "%s exists and is not a socket", path);
		return -EEXIST;
	}
	s = ctlmsg_connect(path);
	if (s >= 0) {
		close(s);
		snprintf(why, len, "another asconfd is already listening on %s", path);
		return -EADDRINUSE;
	}
	return unlink(path) ? -errno : 0;
}

static int make_parent(const char *path)
{
	char *dir = strdup(path), *slash;
	int err = 0;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			err = -errno;
	}
	free(dir);
	return err;
}

/* Binds fd at path with access already applied: bound inside a fresh
 * 0700 directory next to path, where nobody else can reach or swap the
 * file, given its group and mode there, then renamed into place. */
static int bind_private(int fd, const char *path, const struct ctl_access *a,
			char *why, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *slash = strrchr(path, '/');
	int plen = slash ? (int)(slash - path) : 1, err = 0, n;
	char dir[sizeof(sun.sun_path)];
	struct stat st;
	mode_t old;

	n = snprintf(dir, sizeof(dir), "%.*s/.asconfd-XXXXXX", plen, slash ? path : ".");
	if (n < 0 || (size_t)n + 3 > sizeof(sun.sun_path)) {
		snprintf(why, len, "control socket directory path is too long (max %zu bytes)",
			 sizeof(sun.sun_path) - 19);
		return -ENAMETOOLONG;
	}
	if (!mkdtemp(dir))
		return -errno;
	memcpy(sun.sun_path, dir, (size_t)n);
	memcpy(sun.sun_path + n, "/s", 3);
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
		err = -errno;
	umask(old);
	/* No chown when the group is ours already: a service may not be
	 * allowed the call at all (systemd's ~@privileged). */
	if (!err && a->has_group && !fstatat(AT_FDCWD, sun.sun_path, &st, AT_SYMLINK_NOFOLLOW) &&
	    st.st_gid != a->group &&
	    fchownat(AT_FDCWD, sun.sun_path, (uid_t)-1, a->group, AT_SYMLINK_NOFOLLOW)) {
		err = -errno;
		snprintf(why, len, "cannot give the control socket group %u: %s",
			 (unsigned int)a->group, strerror(errno));
	}
	if (!err && (fchmodat(AT_FDCWD, sun.sun_path, a->mode, 0) ||
		     rename(sun.sun_path, path)))
		err = -errno;
	if (err)
		unlink(sun.sun_path);
	rmdir(dir);
	return err;
}

struct ctl *ctl_open_access(const char *path, const struct ctl_access *access,
			    const struct ctl_ops *ops, void *ctx, char *why, size_t len)
{
	struct sockaddr_un sun;
	struct ctl *c;
	int err;

	snprintf(why, len, "%s", "");
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(why, len, "control socket path is too long (max %zu bytes)",
			 sizeof(sun.sun_path) - 1);
		errno = ENAMETOOLONG;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	c->ops = ops;
	c->ctx = ctx;
	c->fd = -1;
	c->ro_fd = -1;
	/* Descriptors passed along that the daemon drops may be the last
	 * reference: their close must not block the daemon. */
	ctlmsg_set_discard(fdclose_foreign);
	c->refusals.interval = 10;
	c->over.interval = 10;
	c->timeouts.interval = 10;
	c->spare = -1;
	spare_reopen(c);
	c->mode = access->mode;
	c->self = geteuid();
	if ((err = make_parent(path)) || (err = claim_path(path, why, len)))
		goto fail;
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	/* Accepted connections then pass credentials from their first message. */
	if (c->fd >= 0)
		setsockopt(c->fd, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
	if (c->fd < 0) {
		err = -errno;
		goto fail;
	}
	if ((err = bind_private(c->fd, path, access, why, len)))
		goto fail;
	if (listen(c->fd, 64)) {
		err = -errno;
		unlink(path);
		goto fail;
	}
	return c;
fail:
	if (!*why)
		snprintf(why, len, "cannot listen on %s: %s", path, strerror(-err));
	if (c->fd >= 0)
		close(c->fd);
	if (c->spare >= 0)
		close(c->spare);
	free(c->path);
	free(c);
	errno = -err;
	return NULL;
}

struct ctl *ctl_open(const char *path, const struct ctl_ops *ops, void *ctx,
		     char *why, size_t len)
{
	struct ctl_access a = { .mode = 0660 };

	return ctl_open_access(path, &a, ops, ctx, why, len);
}

int ctl_open_monitor(struct ctl *c, const char *path, gid_t gid, char *why, size_t len)
{
	/* Anyone may connect; who may stay is decided at accept by the
	 * peer's groups (SO_PEERGROUPS), so no chown to a group the daemon's
	 * user is not in is needed (the unit forbids the call). */
	struct ctl_access a = { .mode = 0666 };
	int fd = -1, err;

	snprintf(why, len, "%s", "");
	if (!(c->ro_path = strdup(path)))
		return -ENOMEM;
	if ((err = claim_path(path, why, len)))
		goto fail;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
	if ((err = bind_private(fd, path, &a, why, len)))
		goto fail;
	if (listen(fd, 64)) {
		err = -errno;
		unlink(path);
		goto fail;
	}
	c->ro_fd = fd;
	c->has_monitor = true;
	c->monitor_gid = gid;
	return 0;
fail:
	if (!*why)
		snprintf(why, len, "cannot listen on %s: %s", path, strerror(-err));
	if (fd >= 0)
		close(fd);
	free(c->ro_path);
	c->ro_path = NULL;
	return err;
}

int ctl_monitor_fd(const struct ctl *c)
{
	return c->ro_fd;
}

void ctl_set_monitor(struct ctl *c, bool has_group, gid_t gid)
{
	c->has_monitor = has_group;
	c->monitor_gid = gid;
}

/* Is the peer of fd in group gid (its gid or a supplementary group, as
 * they were when it connected)? */
static bool peer_in_group(int fd, gid_t gid, gid_t pgid)
{
	gid_t buf[64], *g = buf;
	socklen_t len = sizeof(buf);
	bool in = pgid == gid;

	if (in)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len)) {
		if (errno != ERANGE || !(g = malloc(len)) ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len)) {
			if (g != buf)
				free(g);
			return false;
		}
	}
	for (size_t i = 0; i < len / sizeof(*g); i++)
		in |= g[i] == gid;
	if (g != buf)
		free(g);
	return in;
}

int ctl_set_access(struct ctl *c, bool has_group, gid_t group, mode_t mode,
		   char *why, size_t len)
{
	gid_t gid = has_group ? group : getegid();

	struct stat st;

	/* Narrow to what both allow, change the group, then widen. */
	if (fchmodat(AT_FDCWD, c->path, c->mode & mode, AT_SYMLINK_NOFOLLOW) ||
	    fstatat(AT_FDCWD, c->path, &st, AT_SYMLINK_NOFOLLOW) ||
	    (st.st_gid != gid &&
	     fchownat(AT_FDCWD, c->path, (uid_t)-1, gid, AT_SYMLINK_NOFOLLOW)) ||
	    fchmodat(AT_FDCWD, c->path, mode, AT_SYMLINK_NOFOLLOW)) {
		snprintf(why, len, "cannot set group %u and mode %04o on %s: %s",
			 (unsigned int)gid, (unsigned int)mode, c->path, strerror(errno));
		return -errno;
	}
	c->mode = mode;
	return 0;
}

static uint64_t deadline(const struct ctl *c, const struct client *k);

static void due_at(struct ctl *c, uint64_t ms)
{
	if (!c->next_due_ms || ms < c->next_due_ms)
		c->next_due_ms = ms;
}

/* The soonest deadline, counted again over every client. */
static void due_recount(struct ctl *c)
{
	uint64_t due;

	c->next_due_ms = 0;
	for (size_t i = 0; i < c->ncl; i++)
		if (c->cl[i].open && (due = deadline(c, &c->cl[i])))
			due_at(c, due);
}

/* A client whose deadline goes away (it spoke, its reply went, it left):
 * if it was the soonest, the loop must not wake for it, or an idle daemon
 * wakes once per status asked (client-idle-timeout after it). */
static void due_gone(struct ctl *c, uint64_t was)
{
	if (was && was == c->next_due_ms)
		due_recount(c);
}

void ctl_set_limits(struct ctl *c, const struct ctl_limits *lim)
{
	c->lim = *lim;
	/* The clients' deadlines moved with the timeouts. */
	due_recount(c);
}

static struct client *client_of(const struct ctl *c, int client)
{
	return client >= 0 && (size_t)client < c->ncl && c->cl[client].open ?
	       &c->cl[client] : NULL;
}

bool ctl_client_uid(const struct ctl *c, int client, uid_t *uid, bool *privileged)
{
	const struct client *k = client_of(c, client);

	if (!k)
		return false;
	*uid = k->uid;
	*privileged = k->privileged;
	return true;
}

static struct user *user_of(struct ctl *c, uid_t uid)
{
	for (size_t i = 0; i < c->nusers; i++)
		if (c->users[i].uid == uid)
			return &c->users[i];
	return NULL;
}

static struct user *user_add(struct ctl *c, uid_t uid)
{
	struct user *u = user_of(c, uid);

	if (u)
		return u;
	if (c->nusers == c->cusers) {
		size_t n = c->cusers ? c->cusers * 2 : 8;

		u = reallocarray(c->users, n, sizeof(*u));
		if (!u)
			return NULL;
		c->users = u;
		c->cusers = n;
	}
	u = &c->users[c->nusers++];
	*u = (struct user){ .uid = uid };
	return u;
}

static void user_put(struct ctl *c, struct user *u)
{
	if (u->clients || u->pending_bytes)
		return;
	*u = c->users[--c->nusers];
}

void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	close(c->fd);
	if (c->spare >= 0)
		close(c->spare);
	unlink(c->path);
	free(c->path);
	if (c->ro_fd >= 0) {
		close(c->ro_fd);
		unlink(c->ro_path);
	}
	free(c->ro_path);
	free(c->out);
	for (size_t i = 0; i < c->ncl; i++)
		free(c->cl[i].p.buf);
	free(c->cl);
	free(c->users);
	free(c);
}

bool ctl_can_accept(struct ctl *c)
{
	spare_reopen(c);
	return c->spare >= 0;
}

int ctl_listen_fd(const struct ctl *c)
{
	return c->fd;
}

/* A refused client is told why, then closed.  Closing with a request
 * unread would make the client's recv fail with ECONNRESET before it reads
 * the answer, and drop the descriptors it carries in the daemon: the
 * requests are read and their descriptors discarded (ctlmsg_close), and
 * one that keeps sending is shut out first. */
static void tell_and_close(int fd, const char *msg)
{
	ctlmsg_send(fd, msg, -1);
	ctlmsg_close(fd);
}

/* Out of descriptors, a pending connection would stay in the backlog and
 * the listener readable: polling it would spin.  The spare descriptor is
 * given up for a moment to take the connection, tell the client why, and
 * close it; the spare is then taken back. */
static int refuse(struct ctl *c, int lfd, int err)
{
	char msg[96];
	unsigned long held;
	int fd, again;

	if (c->spare < 0)
		spare_reopen(c);
	if (c->spare < 0)
		return -EBUSY;
	close(c->spare);
	c->spare = -1;
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	again = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		snprintf(msg, sizeof(msg), "ERR %d daemon out of file descriptors (%s)",
			 -err, strerror(-err));
		tell_and_close(fd, msg);
	}
	spare_reopen(c);
	if (log_limit_ok(&c->refusals, &held))
		log_warn("control: out of file descriptors (%s): refused %lu client(s) "
			 "since the last line", strerror(-err), held + 1);
	if (c->spare < 0)
		return -EBUSY;
	return fd < 0 ? again : err;
}

/* Over a limit: the reason, for the client and the log; NULL when not. */
static const char *over_limit(const struct ctl *c, const struct user *u, char *why,
			      size_t len)
{
	if (c->lim.max_per_user && u && u->clients >= c->lim.max_per_user)
		snprintf(why, len, "too many clients of uid %u (max-clients-per-user = %u)",
			 (unsigned int)u->uid, c->lim.max_per_user);
	else if (c->lim.max_clients && c->nclients >= c->lim.max_clients)
		snprintf(why, len, "too many clients (max-clients = %u)", c->lim.max_clients);
	else
		return NULL;
	return why;
}

static int accept_on(struct ctl *c, int lfd, bool readonly)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int buf = CTL_SNDBUF, one = 1;
	struct ucred cr = { .uid = (uid_t)-1 };
	socklen_t crlen = sizeof(cr);
	char why[128], msg[160];
	struct user *u = NULL;
	struct client *k;
	unsigned long held;

	if (fd < 0)
		return errno == EMFILE || errno == ENFILE ? refuse(c, lfd, -errno) : -errno;
	if ((size_t)fd >= c->ncl) {
		size_t n = (size_t)fd + 64;

		k = reallocarray(c->cl, n, sizeof(*k));
		if (!k) {
			close(fd);
			return -ENOMEM;
		}
		memset(k + c->ncl, 0, (n - c->ncl) * sizeof(*k));
		c->cl = k;
		c->ncl = n;
	}
	/* A number the caller closed without ctl_drop: forget the old one. */
	if (c->cl[fd].open)
		client_forget(c, fd);
	/* Who it is decides its limits, before it can hold anything. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen))
		log_debug("control client: no credentials (%m): limited as uid %u",
			  (unsigned int)cr.uid);
	k = &c->cl[fd];
	*k = (struct client){ .open = true, .uid = cr.uid, .since_ms = now_ms(),
			      .privileged = cr.uid == 0 || cr.uid == c->self,
			      .readonly = readonly };
	/* The monitor socket is open to all: only root, the daemon's user
	 * and members of monitor-group stay, holding nothing before. */
	if (readonly && !k->privileged &&
	    (!c->has_monitor || !peer_in_group(fd, c->monitor_gid, cr.gid))) {
		k->open = false;
		if (log_limit_ok(&c->over, &held))
			log_warn("control: refused a client of uid %u on the monitor socket: "
				 "not in monitor-group (%lu more refused since the last line)",
				 (unsigned int)cr.uid, held);
		snprintf(msg, sizeof(msg), "ERR %d uid %u is not in monitor-group", EACCES,
			 (unsigned int)cr.uid);
		tell_and_close(fd, msg);
		return -EACCES;
	}
	if (!k->privileged) {
		u = user_add(c, cr.uid);
		if (!u || over_limit(c, u, why, sizeof(why))) {
			if (!u)
				snprintf(why, sizeof(why), "daemon out of memory");
			k->open = false;
			if (log_limit_ok(&c->over, &held))
				log_warn("control: refused a client of uid %u: %s (%lu more "
					 "refused since the last line)", (unsigned int)cr.uid, why, held);
			snprintf(msg, sizeof(msg), "ERR %d %s", u ? EUSERS : ENOMEM, why);
			tell_and_close(fd, msg);
			if (u)
				user_put(c, u);
			return u ? -EUSERS : -ENOMEM;
		}
		u->clients++;
		c->nclients++;
	}
	if (c->lim.idle_ms)
		due_at(c, k->since_ms + c->lim.idle_ms);
	/* Every message carries its sender's pid: the owner of a socket is
	 * the process that sent it, not the one that opened the connection
	 * (a forked child shares its parent's connection). */
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)))
		log_warn("SO_PASSCRED: %m: sockets are recorded under the pid that connected");
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf)))
		log_debug("control client: SO_SNDBUF: %m");
	return fd;
}

int ctl_accept(struct ctl *c)
{
	return accept_on(c, c->fd, false);
}

int ctl_accept_monitor(struct ctl *c)
{
	return c->ro_fd >= 0 ? accept_on(c, c->ro_fd, true) : -EBADF;
}

static struct pending *pending_of(struct ctl *c, int client)
{
	struct client *k = client_of(c, client);

	return k && k->p.buf ? &k->p : NULL;
}

static void pending_free(struct ctl *c, struct client *k)
{
	struct user *u = k->open && !k->privileged ? user_of(c, k->uid) : NULL;
	size_t len = k->p.len;

	c->pending_bytes -= len;
	if (u)
		u->pending_bytes -= len;
	free(k->p.buf);
	k->p = (struct pending){ 0 };
	if (len >= CTL_TRIM_BYTES)
		malloc_trim(0);
}

bool ctl_pending(struct ctl *c, int client)
{
	return pending_of(c, client) != NULL;
}

/* Its share given back; the descriptor is the caller's. */
static void client_forget(struct ctl *c, int client)
{
	struct client *k = client_of(c, client);
	uint64_t was;
	struct user *u;

	if (!k)
		return;
	was = deadline(c, k);
	if (k->p.buf)
		pending_free(c, k);
	if (!k->privileged && (u = user_of(c, k->uid))) {
		u->clients--;
		c->nclients--;
		user_put(c, u);
	}
	k->open = false;
	due_gone(c, was);
}

void ctl_drop(struct ctl *c, int client)
{
	client_forget(c, client);
	c->ops->gone(c->ctx, client);
	ctlmsg_close(client);
}

/* A client's deadline: the first request of one that never spoke, or the
 * next move of a reply that waits for its reader; 0: none. */
static uint64_t deadline(const struct ctl *c, const struct client *k)
{
	if (k->p.buf)
		return c->lim.reply_ms ? k->since_ms + c->lim.reply_ms : 0;
	if (!k->spoke)
		return c->lim.idle_ms ? k->since_ms + c->lim.idle_ms : 0;
	return 0;
}

int ctl_next_timeout(struct ctl *c)
{
	uint64_t now;

	if (!c->next_due_ms)
		return -1;
	now = now_ms();
	if (c->next_due_ms <= now)
		return 0;
	return c->next_due_ms - now > INT_MAX ? INT_MAX : (int)(c->next_due_ms - now);
}

int ctl_expired(struct ctl *c)
{
	uint64_t now, due, next = 0;
	unsigned long held;
	char msg[128], b;

	if (!c->next_due_ms || c->next_due_ms > (now = now_ms()))
		return -1;
	for (size_t i = 0; i < c->ncl; i++) {
		struct client *k = &c->cl[i];

		if (!k->open || !(due = deadline(c, k)))
			continue;
		/* A request that came in meanwhile is served, not timed out
		 * (a daemon busy with a long pass read nothing for a while). */
		if (due <= now && !k->p.buf &&
		    recv((int)i, &b, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
			k->spoke = true;
			continue;
		}
		if (due > now) {
			next = !next || due < next ? due : next;
			continue;
		}
		if (log_limit_ok(&c->timeouts, &held))
			log_warn("control: dropped a client of uid %u: %s (%lu more since the "
				 "last line)", (unsigned int)k->uid, k->p.buf ?
				 "its reply was not read for client-reply-timeout" :
				 "no request within client-idle-timeout", held);
		if (!k->p.buf) {
			snprintf(msg, sizeof(msg), "ERR %d no request within %u ms "
				 "(client-idle-timeout)", ETIMEDOUT, c->lim.idle_ms);
			ctlmsg_send((int)i, msg, -1);
		}
		/* The rest is looked at on the next call. */
		c->next_due_ms = now;
		return (int)i;
	}
	c->next_due_ms = next;
	return -1;
}

void ctl_printf(struct ctl *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	/* A line dropped would corrupt a JSON or metrics document: fail the
	 * whole reply instead. */
	if (n < 0 || n >= CTLMSG_REPLY_MAX) {
		c->out_failed = true;
		return;
	}
	if (c->nout + (size_t)n + 2 > c->cout) {
		size_t cap = c->cout ? c->cout : 4096;
		char *p;

		while (c->nout + (size_t)n + 2 > cap)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p) {
			c->out_failed = true;
			return;
		}
		c->out = p;
		c->cout = cap;
	}
	va_start(ap, fmt);
	vsnprintf(c->out + c->nout, (size_t)n + 1, fmt, ap);
	va_end(ap);
	c->nout += (size_t)n;
	c->out[c->nout++] = '\n';
	c->out[c->nout] = '\0';
}

void ctl_fail(struct ctl *c)
{
	c->out_failed = true;
}

/* Sends what the client's socket takes of p, in messages that end on line
 * boundaries, then "OK": 0 when all went, CTL_PENDING when the socket is
 * full, or a negative errno. */
static int send_pending(struct pending *p, int client)
{
	int err = 0;

	while (p->off < p->len) {
		size_t n = p->len - p->off;
		char save;

		if (n > CTLMSG_REPLY_MAX) {
			n = CTLMSG_REPLY_MAX;
			while (n && p->buf[p->off + n - 1] != '\n')
				n--;
		}
		save = p->buf[p->off + n];
		p->buf[p->off + n] = '\0';
		err = ctlmsg_send(client, p->buf + p->off, -1);
		p->buf[p->off + n] = save;
		if (err)
			return err == -EAGAIN ? CTL_PENDING : err;
		p->off += n;
	}
	if (p->ok_due) {
		err = ctlmsg_send(client, "OK", -1);
		if (err)
			return err == -EAGAIN ? CTL_PENDING : err;
		p->ok_due = false;
	}
	return 0;
}

/* The built status goes to the client as far as its socket takes it; the
 * rest waits for ctl_flush.  The buffer is the client's from here on: a
 * slow reader holds its own reply, and the next status starts small. */
static int send_out(struct ctl *c, int client)
{
	struct client *k = client_of(c, client), none = { 0 };
	struct user *u;
	int err;

	/* A descriptor ctl_accept did not return (a test's socketpair): its
	 * reply goes as far as it goes, nothing is kept for it. */
	if (!k)
		k = &none;
	k->p = (struct pending){ c->out ? c->out : strdup(""), c->nout, 0, true };
	c->out = NULL;
	c->nout = c->cout = 0;
	if (!k->p.buf)
		return -ENOMEM;
	c->pending_bytes += k->p.len;
	if (k != &none && !k->privileged && (u = user_of(c, k->uid)))
		u->pending_bytes += k->p.len;
	err = send_pending(&k->p, client);
	if (err != CTL_PENDING || k == &none) {
		pending_free(c, k);
		return err == CTL_PENDING ? -ENOBUFS : err;
	}
	k->since_ms = now_ms();
	if (c->lim.reply_ms)
		due_at(c, k->since_ms + c->lim.reply_ms);
	return err;
}

int ctl_flush(struct ctl *c, int client)
{
	struct client *k = client_of(c, client);
	size_t off;
	int err;

	if (!k || !k->p.buf)
		return 0;
	off = k->p.off;
	err = send_pending(&k->p, client);
	if (err != CTL_PENDING) {
		uint64_t was = deadline(c, k);

		pending_free(c, k);
		due_gone(c, was);
	} else if (k->p.off != off) {
		/* It reads: its time starts again. */
		k->since_ms = now_ms();
		if (c->lim.reply_ms)
			due_at(c, k->since_ms + c->lim.reply_ms);
	}
	return err;
}

static int reply_err(int client, int err, const char *why)
{
	char msg[CTLMSG_MAX];

	snprintf(msg, sizeof(msg), "ERR %d %s", -err, *why ? why : strerror(-err));
	return ctlmsg_send(client, msg, -1);
}

/* Log what a client sent without letting it write to our log freely. */
static void printable(char *s)
{
	for (; *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

static struct ucred peer_cred(int client)
{
	struct ucred cr = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
	socklen_t len = sizeof(cr);

	if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		log_debug("control client %d: no credentials: %m", client);
	return cr;
}

/* A non-negative int, or -1. */
static long parse_num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || !*s || *end || v < 0 || v > INT_MAX ? -1 : v;
}

/* "[POLICY] [fd=N]": N is the descriptor's number in the owner, which a
 * restarted daemon needs to take the socket again. */
static int manage_args(char *args, const char **policy, int *appfd, bool *narrowed,
		       char *why, size_t len)
{
	char *save = NULL, *end;
	long v;

	for (char *t = args ? strtok_r(args, " ", &save) : NULL; t; t = strtok_r(NULL, " ", &save)) {
		if (!strncmp(t, "fd=", 3)) {
			errno = 0;
			v = strtol(t + 3, &end, 10);
			if (errno || *end || end == t + 3 || v < 0 || v > INT_MAX) {
				printable(t);
				snprintf(why, len, "bad descriptor number '%.32s'", t);
				return -EINVAL;
			}
			*appfd = (int)v;
		} else if (!strcmp(t, "from=wildcard")) {
			*narrowed = true;
		} else if (!*policy) {
			*policy = t;
		} else {
			printable(t);
			snprintf(why, len, "unexpected word '%.32s' after the policy name", t);
			return -EINVAL;
		}
	}
	return 0;
}

/* "[POLICY] inet|inet6 [v6only]": the words are read from the end, so a
 * policy may be called "inet". */
static int serve_addrs(struct ctl *c, int client, char *args, pid_t pid)
{
	char *w[4], *save = NULL, why[256] = "";
	char *out;
	size_t n = 0;
	bool v6only = false;
	int family, err;

	for (char *t = strtok_r(args, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == 3)
			goto bad;
		w[n++] = t;
	}
	if (n && !strcmp(w[n - 1], "v6only")) {
		v6only = true;
		n--;
	}
	if (!n || (strcmp(w[n - 1], "inet") && strcmp(w[n - 1], "inet6")) || n > 2)
		goto bad;
	family = w[n - 1][4] ? AF_INET6 : AF_INET;
	if (v6only && family != AF_INET6)
		goto bad;
	if (!c->ops->addrs)
		return reply_err(client, -EOPNOTSUPP, "this daemon cannot list addresses");
	out = malloc(CTLMSG_REPLY_MAX);
	if (!out)
		return reply_err(client, -ENOMEM, "out of memory");
	err = c->ops->addrs(c->ctx, pid, n == 2 ? w[0] : NULL, family, v6only, out,
			    CTLMSG_REPLY_MAX, why, sizeof(why));
	err = err ? reply_err(client, err, why) : ctlmsg_send(client, out, -1);
	free(out);
	return err;
bad:
	return reply_err(client, -EINVAL, "want ADDRS [POLICY] inet|inet6 [v6only]");
}

static int serve(struct ctl *c, int client, char *req, int fd, pid_t pid)
{
	struct ucred cr = peer_cred(client);
	char why[512] = "", ok[64], shown[72];
	unsigned int id = 0;
	int err;

	struct client *rk = client_of(c, client);

	snprintf(shown, sizeof(shown), "%.64s", req);
	printable(shown);
	log_debug("request '%s' from uid %u pid %d%s%s", shown, (unsigned int)cr.uid,
		  (int)(pid > 0 ? pid : cr.pid), fd >= 0 ? " with a socket" : "",
		  rk && rk->readonly ? " (monitor socket)" : "");
	/* The monitor socket reads: no hand-over, no release, no reload. */
	if (rk && rk->readonly && strcmp(req, "STATUS") && strncmp(req, "STATUS ", 7)) {
		if (fd >= 0)
			fdclose_foreign(fd);
		return reply_err(client, -EPERM, "the monitor socket serves STATUS only "
				 "(monitor-group); hand sockets over on the control socket");
	}
	if (!strcmp(req, "RELOAD")) {
		if (fd >= 0)
			fdclose_foreign(fd);
		/* An operator's request: root or the daemon's own user. */
		if (cr.uid != 0 && cr.uid != geteuid())
			return reply_err(client, -EPERM, "RELOAD is for root or asconfd's user");
		if (!c->ops->reload)
			return reply_err(client, -EOPNOTSUPP, "this daemon cannot reload");
		err = c->ops->reload(c->ctx, why, sizeof(why));
		return err ? reply_err(client, err, why) : ctlmsg_send(client, "OK", -1);
	}
	if (!strcmp(req, "STATUS") || !strncmp(req, "STATUS ", 7)) {
		static const char *const fmts[] = {
			[CTL_TEXT] = "", [CTL_JSON] = "JSON",
			[CTL_METRICS] = "METRICS", [CTL_CHECK] = "CHECK",
		};
		size_t user_max = c->lim.reply_bytes_per_user ? c->lim.reply_bytes_per_user :
				  CTL_PENDING_USER_MAX;
		struct client *k;
		struct user *u;
		int fmt = -1;

		if (fd >= 0)
			fdclose_foreign(fd);
		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
			if (!strcmp(req[6] ? req + 7 : "", fmts[i]))
				fmt = (int)i;
		if (fmt < 0) {
			printable(req);
			snprintf(why, sizeof(why), "unknown status format '%.64s' (want JSON, METRICS or CHECK)",
				 req + 7);
			return reply_err(client, -EINVAL, why);
		}
		if (c->pending_bytes >= CTL_PENDING_MAX)
			return reply_err(client, -ENOBUFS, "too many large replies waiting for "
					 "their readers; try again later");
		if ((k = client_of(c, client)) && !k->privileged &&
		    (u = user_of(c, k->uid)) && u->pending_bytes >= user_max) {
			snprintf(why, sizeof(why), "too many large replies of uid %u waiting "
				 "for their readers (%zu KiB); try again later",
				 (unsigned int)k->uid, user_max >> 10);
			return reply_err(client, -ENOBUFS, why);
		}
		c->nout = 0;
		c->out_failed = false;
		c->ops->status(c->ctx, c, fmt);
		if (c->out_failed) {
			free(c->out);
			c->out = NULL;
			c->nout = c->cout = 0;
			return reply_err(client, -ENOMEM, "the status could not be built (out of memory)");
		}
		return send_out(c, client);
	}
	if (!strcmp(req, "MANAGE") || !strncmp(req, "MANAGE ", 7)) {
		const char *policy = NULL;
		bool narrowed = false;
		int appfd = -1;

		if (fd < 0)
			return reply_err(client, -EBADF, "MANAGE needs the socket passed along (SCM_RIGHTS)");
		err = manage_args(req[6] ? req + 7 : NULL, &policy, &appfd, &narrowed, why,
				  sizeof(why));
		if (err) {
			fdclose_foreign(fd);
			return reply_err(client, err, why);
		}
		err = c->ops->manage(c->ctx, client, pid > 0 ? pid : cr.pid, fd,
				     appfd, policy, &id, why, sizeof(why));
		if (err)
			return reply_err(client, err, why);
		if (narrowed && c->ops->narrowed)
			c->ops->narrowed(c->ctx, id);
		snprintf(ok, sizeof(ok), "OK %u", id);
		return ctlmsg_send(client, ok, -1);
	}
	if (!strncmp(req, "ADDRS ", 6)) {
		if (fd >= 0)
			fdclose_foreign(fd);
		return serve_addrs(c, client, req + 6, pid > 0 ? pid : cr.pid);
	}
	if (!strncmp(req, "MANAGE-PID ", 11) || !strncmp(req, "RELEASE-PID ", 12)) {
		bool manage = req[0] == 'M';
		char *save = NULL, *a = strtok_r(req + (manage ? 11 : 12), " ", &save);
		char *b = a ? strtok_r(NULL, " ", &save) : NULL;
		char *policy = b ? strtok_r(NULL, " ", &save) : NULL;
		long tpid = a ? parse_num(a) : -1, tfd = b ? parse_num(b) : -1;
		struct ucred cr;
		socklen_t crlen = sizeof(cr);

		if (fd >= 0)
			fdclose_foreign(fd);
		if (tpid <= 0 || tfd < 0 || (policy && (!manage || strtok_r(NULL, " ", &save))))
			return reply_err(client, -EINVAL, manage ?
					 "want MANAGE-PID PID FD [POLICY]" : "want RELEASE-PID PID FD");
		if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &cr, &crlen))
			return reply_err(client, -errno, "cannot tell who asks (SO_PEERCRED)");
		if (!manage) {
			err = c->ops->release_pid(c->ctx, cr.uid, (pid_t)tpid, (int)tfd,
						  why, sizeof(why));
			return err ? reply_err(client, err, why) : ctlmsg_send(client, "OK", -1);
		}
		err = c->ops->manage_pid(c->ctx, cr.uid, (pid_t)tpid, (int)tfd, policy, &id,
					 why, sizeof(why));
		if (err)
			return reply_err(client, err, why);
		snprintf(ok, sizeof(ok), "OK %u", id);
		return ctlmsg_send(client, ok, -1);
	}
	if (!strcmp(req, "RELEASE")) {
		if (fd < 0)
			return reply_err(client, -EBADF, "RELEASE needs the socket passed along (SCM_RIGHTS)");
		err = c->ops->release(c->ctx, client, pid > 0 ? pid : cr.pid, fd,
				      why, sizeof(why));
		fdclose_foreign(fd);
		return err ? reply_err(client, err, why) : ctlmsg_send(client, "OK", -1);
	}
	if (fd >= 0)
		fdclose_foreign(fd);
	printable(req);
	snprintf(why, sizeof(why), "unknown request '%.64s' (want MANAGE, RELEASE, MANAGE-PID, RELEASE-PID, ADDRS, STATUS or RELOAD)", req);
	return reply_err(client, -EINVAL, why);
}

int ctl_serve(struct ctl *c, int client)
{
	char req[CTLMSG_MAX + 1];
	struct client *k;
	ssize_t n;
	pid_t pid;
	int fd;

	n = ctlmsg_recv_from(client, req, sizeof(req), &fd, &pid);
	if (n == -EAGAIN)
		return 0;
	if (n == -EMSGSIZE)
		return reply_err(client, -EMSGSIZE, "request too long or too many descriptors passed");
	if (n == -EMFILE)
		return reply_err(client, -EMFILE, "daemon out of file descriptors: "
				 "the socket passed could not be received");
	if (n < 0)
		return (int)n;
	if (n == 0) {
		if (fd >= 0)
			fdclose_foreign(fd);
		return -ECONNRESET;
	}
	if ((k = client_of(c, client)) && !k->spoke) {
		uint64_t was = deadline(c, k);

		k->spoke = true;
		due_gone(c, was);
	}
	return serve(c, client, req, fd, pid);
}
