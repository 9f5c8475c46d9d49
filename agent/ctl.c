// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <fcntl.h>
#include <limits.h>

#include "../common/fdclose.h"
#include "../common/log.h"
#include "ctl.h"
#include "ctlmsg.h"

struct ctl {
	int fd;
	char *path;
	const struct ctl_ops *ops;
	void *ctx;
	char *out;              /* status being built */
	size_t nout, cout;
	bool out_failed;
	int spare;              /* reserved descriptor, see ctl_accept */
	struct log_limit refusals;
	mode_t mode;
	unsigned int nclients, max_clients;
	unsigned char *over;    /* by fd: accepted beyond max_clients */
	size_t nover;
	struct pending *pend;   /* by fd: the rest of a reply, see ctl_flush */
	size_t npend;
	size_t pending_bytes;   /* over every client */
};

/* A reply the client's socket had no room for yet: the built status (taken
 * over, not copied), how far it went, and whether "OK" is still to go. */
struct pending {
	char *buf;
	size_t len, off;
	bool ok_due;
};

/* All clients' unsent replies together: a status of 10,000 sockets is
 * some 16 MiB of JSON; beyond this a new STATUS is refused until readers
 * catch up. */
#define CTL_PENDING_MAX (256u << 20)
/* Freeing a reply at least this big gives the heap back (malloc_trim). */
#define CTL_TRIM_BYTES (1u << 20)

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
	/* Descriptors passed along that the daemon drops may be the last
	 * reference: their close must not block the daemon. */
	ctlmsg_set_discard(fdclose_foreign);
	c->refusals.interval = 10;
	c->spare = -1;
	spare_reopen(c);
	c->mode = access->mode;
	c->max_clients = UINT_MAX;
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

void ctl_set_max_clients(struct ctl *c, unsigned int max)
{
	c->max_clients = max;
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
	free(c->out);
	free(c->over);
	for (size_t i = 0; i < c->npend; i++)
		free(c->pend[i].buf);
	free(c->pend);
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

/* Out of descriptors, a pending connection would stay in the backlog and
 * the listener readable: polling it would spin.  The spare descriptor is
 * given up for a moment to take the connection, tell the client why, and
 * close it; the spare is then taken back. */
static int refuse(struct ctl *c, int err)
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
	fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	again = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		snprintf(msg, sizeof(msg), "ERR %d daemon out of file descriptors (%s)",
			 -err, strerror(-err));
		ctlmsg_send(fd, msg, -1);
		/* Closing with a request unread would make the client's recv
		 * fail with ECONNRESET before it reads the answer: drop it
		 * (a descriptor passed along cannot be installed; the kernel
		 * drops it with the message).  A client that has gone already
		 * reads as 0 for ever, and one that keeps sending must not
		 * hold the daemon here: a few messages at most. */
		for (int i = 0; i < 8 && recv(fd, msg, sizeof(msg), MSG_DONTWAIT | MSG_TRUNC) > 0; i++)
			;
		close(fd);
	}
	spare_reopen(c);
	if (log_limit_ok(&c->refusals, &held))
		log_warn("control: out of file descriptors (%s): refused %lu client(s) "
			 "since the last line", strerror(-err), held + 1);
	if (c->spare < 0)
		return -EBUSY;
	return fd < 0 ? again : err;
}

int ctl_accept(struct ctl *c)
{
	int fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int buf = 1 << 20, one = 1;

	if (fd < 0)
		return errno == EMFILE || errno == ENFILE ? refuse(c, -errno) : -errno;
	/* Every message carries its sender's pid: the owner of a socket is
	 * the process that sent it, not the one that opened the connection
	 * (a forked child shares its parent's connection). */
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)))
		log_warn("SO_PASSCRED: %m: sockets are recorded under the pid that connected");
	if (c->nclients >= c->max_clients) {
		/* Kept until its first request, which it is told the reason. */
		if ((size_t)fd >= c->nover) {
			size_t n = (size_t)fd + 64;
			unsigned char *v = realloc(c->over, n);

			if (!v) {
				close(fd);
				return -ENOMEM;
			}
			memset(v + c->nover, 0, n - c->nover);
			c->over = v;
			c->nover = n;
		}
		c->over[fd] = 1;
		return fd;
	}
	c->nclients++;
	/* Room for the status of many sockets in one go; what does not fit
	 * waits for the client to read (CTL_PENDING). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	return fd;
}

static bool over_limit(const struct ctl *c, int client)
{
	return (size_t)client < c->nover && c->over[client];
}

static struct pending *pending_of(struct ctl *c, int client)
{
	return (size_t)client < c->npend && c->pend[client].buf ? &c->pend[client] : NULL;
}

static void pending_free(struct ctl *c, struct pending *p)
{
	size_t len = p->len;

	c->pending_bytes -= p->len;
	free(p->buf);
	*p = (struct pending){ 0 };
	if (len >= CTL_TRIM_BYTES)
		malloc_trim(0);
}

bool ctl_pending(struct ctl *c, int client)
{
	return pending_of(c, client) != NULL;
}

void ctl_drop(struct ctl *c, int client)
{
	struct pending *p = pending_of(c, client);

	if (p)
		pending_free(c, p);
	if (over_limit(c, client))
		c->over[client] = 0;
	else if (c->nclients)
		c->nclients--;
	c->ops->gone(c->ctx, client);
	close(client);
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
	struct pending *p;
	int err;

	if ((size_t)client >= c->npend) {
		size_t n = (size_t)client + 64;

		p = reallocarray(c->pend, n, sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + c->npend, 0, (n - c->npend) * sizeof(*p));
		c->pend = p;
		c->npend = n;
	}
	p = &c->pend[client];
	*p = (struct pending){ c->out ? c->out : strdup(""), c->nout, 0, true };
	c->out = NULL;
	c->nout = c->cout = 0;
	if (!p->buf)
		return -ENOMEM;
	c->pending_bytes += p->len;
	err = send_pending(p, client);
	if (err != CTL_PENDING)
		pending_free(c, p);
	return err;
}

int ctl_flush(struct ctl *c, int client)
{
	struct pending *p = pending_of(c, client);
	int err;

	if (!p)
		return 0;
	err = send_pending(p, client);
	if (err != CTL_PENDING)
		pending_free(c, p);
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
static int manage_args(char *args, const char **policy, int *appfd, char *why, size_t len)
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

static int serve(struct ctl *c, int client, char *req, int fd, pid_t pid)
{
	struct ucred cr = peer_cred(client);
	char why[512] = "", ok[64], shown[72];
	unsigned int id = 0;
	int err;

	snprintf(shown, sizeof(shown), "%.64s", req);
	printable(shown);
	log_debug("request '%s' from uid %u pid %d%s", shown, (unsigned int)cr.uid,
		  (int)(pid > 0 ? pid : cr.pid), fd >= 0 ? " with a socket" : "");
	if (over_limit(c, client)) {
		if (fd >= 0)
			fdclose_foreign(fd);
		snprintf(why, sizeof(why), "too many clients (max-clients = %u)", c->max_clients);
		log_warn("refused pid %d: %s", (int)cr.pid, why);
		reply_err(client, -EUSERS, why);
		return -EUSERS;
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
		int appfd = -1;

		if (fd < 0)
			return reply_err(client, -EBADF, "MANAGE needs the socket passed along (SCM_RIGHTS)");
		err = manage_args(req[6] ? req + 7 : NULL, &policy, &appfd, why, sizeof(why));
		if (err) {
			fdclose_foreign(fd);
			return reply_err(client, err, why);
		}
		err = c->ops->manage(c->ctx, client, pid > 0 ? pid : cr.pid, fd,
				     appfd, policy, &id, why, sizeof(why));
		if (err)
			return reply_err(client, err, why);
		snprintf(ok, sizeof(ok), "OK %u", id);
		return ctlmsg_send(client, ok, -1);
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
	snprintf(why, sizeof(why), "unknown request '%.64s' (want MANAGE, RELEASE, MANAGE-PID, RELEASE-PID, STATUS or RELOAD)", req);
	return reply_err(client, -EINVAL, why);
}

int ctl_serve(struct ctl *c, int client)
{
	char req[CTLMSG_MAX + 1];
	ssize_t n;
	int fd;

	pid_t pid;

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
	return serve(c, client, req, fd, pid);
}
