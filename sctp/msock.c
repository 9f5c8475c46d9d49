// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/stat.h>

#include "../common/fdclose.h"
#include "../common/log.h"
#include "msock.h"
#include "sknetns.h"

struct msock {
	int fd;
	unsigned int id;
	int family, type;
	bool v6only;
	uint16_t port;
	ino_t ino;
	uid_t uid;
	uint64_t cookie;
	struct msock_issue *issues;
	size_t nissues;
	struct asked {
		int id;
		struct saddr addr;
	} *asked;
	size_t nasked;
	struct saddr *told;             /* addresses whose failure was logged */
	size_t ntold;
	struct saddr *own;              /* the application's own addresses */
	size_t nown;
	bool own_known;
	int own_reuseaddr, own_reuseport;       /* the application's, while shared */
	bool shared, reuseport_set;
	bool steer_pending;
	struct msock_change last;
	bool changed;
	struct saddr *bound;            /* as last read, and changed by our bindx since */
	size_t nbound, cbound;
	bool bound_known;
	bool unsettled;                 /* a read disagreed with the known set */
};

static int sockopt_int(int fd, int level, int name, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(fd, level, name, val, &len) ? -errno : 0;
}

/* Is the endpoint bound to the wildcard?  getsockname only tells until an
 * association routes (the kernel then stores the path's source address
 * there) and sctp_getladdrs expands the wildcard.  The kernel accepts
 * SCTP_AUTO_ASCONF=1 only on a bound-all endpoint, so asking is the test;
 * what was asked is undone at once.  Kernels before 3.2 lack the option:
 * getsockname has to do. */
static bool bound_to_all(int fd)
{
	int on = 1, was = 0;
	socklen_t len = sizeof(was);

	if (getsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &was, &len))
		return false;
	if (was)
		return true;    /* only possible when bound to all */
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &on, sizeof(on)))
		return false;   /* EINVAL: specific addresses */
	setsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &was, sizeof(was));
	return true;
}

static int netns_check(int fd, char *err, size_t errlen)
{
	static bool said;
	const char *how;
	int r = sknetns_same(fd, &how);

	if (r == 0) {
		snprintf(err, errlen, "socket belongs to another network namespace than "
			 "asconfd's (%s); asconfd follows its own namespace's addresses "
			 "only: run an asconfd there (--netns NAME)", how);
		return -EXDEV;
	}
	/* Out of descriptors is no answer about the kernel: accepting the
	 * socket unchecked would be a guess, refusing it says why. */
	if (r == -EMFILE || r == -ENFILE) {
		snprintf(err, errlen, "daemon out of file descriptors: cannot check the "
			 "socket's network namespace (%s)", how);
		return r;
	}
	if (r < 0 && !said) {
		said = true;
		log_info("cannot tell which network namespace sockets belong to (%s: %s; "
			 "needs Linux 5.14, or 4.9 with CAP_NET_ADMIN): accepting them unchecked",
			 how, strerror(-r));
	}
	return 0;
}

int msock_open(int fd, struct msock **out, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	struct saddr first;
	struct msock *s;
	struct stat st;
	int proto, v6only = 0, rc;

	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "not a socket");
		return -ENOTSOCK;
	}
	/* First, whatever the socket: the addresses asconfd follows are its
	 * own namespace's, and would be wrong for every other. */
	if ((rc = netns_check(fd, err, errlen)))
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->ino = st.st_ino;
	s->uid = st.st_uid;
	s->cookie = msock_fd_cookie(fd);
	if ((rc = sockopt_int(fd, SOL_SOCKET, SO_PROTOCOL, &proto)) ||
	    (rc = sockopt_int(fd, SOL_SOCKET, SO_DOMAIN, &s->family)) ||
	    (rc = sockopt_int(fd, SOL_SOCKET, SO_TYPE, &s->type))) {
		snprintf(err, errlen, "cannot inspect socket: %s", strerror(-rc));
		goto refuse;
	}
	if (proto != IPPROTO_SCTP) {
		snprintf(err, errlen, "not an SCTP socket");
		rc = -EPROTONOSUPPORT;
		goto refuse;
	}
	if (s->family != AF_INET && s->family != AF_INET6) {
		snprintf(err, errlen, "not an IPv4 or IPv6 socket");
		rc = -EAFNOSUPPORT;
		goto refuse;
	}
	if (s->family == AF_INET6 &&
	    (rc = sockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only))) {
		snprintf(err, errlen, "cannot read IPV6_V6ONLY: %s", strerror(-rc));
		goto refuse;
	}
	s->v6only = v6only;
	/* getsockname gives the first bind address as bound (0.0.0.0 or :: for
	 * the wildcard); sctp_getladdrs would expand the wildcard instead. */
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) ||
	    saddr_from_sockaddr(&first, (struct sockaddr *)&ss) || !first.port) {
		snprintf(err, errlen, "socket is not bound; bind it to a specific address first");
		rc = -EINVAL;
		goto refuse;
	}
	if (saddr_is_any(&first) || bound_to_all(fd)) {
		snprintf(err, errlen, "socket is bound to the wildcard address, where the kernel "
			 "already uses every address (see net.sctp.default_auto_asconf); "
			 "bind it to specific addresses to have them managed");
		rc = -EINVAL;
		goto refuse;
	}
	s->port = first.port;
	*out = s;
	return 0;
refuse:
	free(s);
	return rc;
}

void msock_free(struct msock *s)
{
	if (!s)
		return;
	msock_unshare_port(s);
	fdclose_foreign(s->fd);
	free(s->issues);
	free(s->bound);
	free(s->asked);
	free(s->told);
	free(s->own);
	free(s);
}

int msock_fd(const struct msock *s) { return s->fd; }
unsigned int msock_id(const struct msock *s) { return s->id; }
void msock_set_id(struct msock *s, unsigned int id) { s->id = id; }
int msock_family(const struct msock *s) { return s->family; }
int msock_type(const struct msock *s) { return s->type; }
bool msock_v6only(const struct msock *s) { return s->v6only; }
uint16_t msock_port(const struct msock *s) { return s->port; }
ino_t msock_inode(const struct msock *s) { return s->ino; }
uid_t msock_uid(const struct msock *s) { return s->uid; }
uint64_t msock_cookie(const struct msock *s) { return s->cookie; }

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

uint64_t msock_fd_cookie(int fd)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);

	/* ENOPROTOOPT before Linux 4.12: the inode alone, as before. */
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) || len != sizeof(cookie))
		return 0;
	return cookie;
}

static int qcmp(const void *x, const void *y)
{
	return saddr_cmp(x, y);
}

/* Do the known set and a fresh read hold the same addresses (any order)? */
static bool same_set(const struct saddr *x, size_t nx, const struct saddr *y, size_t ny)
{
	struct saddr *a, *b;
	bool same = true;

	if (nx != ny)
		return false;
	if (!nx)
		return true;
	a = malloc(nx * sizeof(*a));
	b = malloc(nx * sizeof(*b));
	if (!a || !b) {
		same = false;
	} else {
		memcpy(a, x, nx * sizeof(*a));
		memcpy(b, y, nx * sizeof(*b));
		qsort(a, nx, sizeof(*a), qcmp);
		qsort(b, nx, sizeof(*b), qcmp);
		for (size_t i = 0; i < nx && same; i++)
			same = !saddr_cmp(&a[i], &b[i]);
	}
	free(a);
	free(b);
	return same;
}

/* Every read of the kernel's list is the truth: keep a copy as the known
 * bound set.  A read that disagrees with it (the application bound or
 * removed an address itself) leaves the socket unsettled: the next pass
 * looks at it whatever changed. */
static int known_set(struct msock *s, const struct saddr *v, size_t n)
{
	struct saddr *c = calloc(n + 1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	memcpy(c, v, n * sizeof(*v));
	if (!s->bound_known || !same_set(s->bound, s->nbound, v, n))
		s->unsettled = true;
	free(s->bound);
	s->bound = c;
	s->nbound = s->cbound = n;
	s->bound_known = true;
	return 0;
}

/* The kernel's list, canonical form, into *out (malloc'd). */
static int read_bound(const struct msock *s, struct saddr **out)
{
	struct sockaddr *addrs = NULL;
	struct saddr *v;
	const char *p;
	int n, k = 0;

	n = sctp_getladdrs(s->fd, 0, &addrs);
	if (n < 0)
		return -errno;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		if (n)
			sctp_freeladdrs(addrs);
		return -ENOMEM;
	}
	/* The kernel packs the addresses by their own length. */
	p = (const char *)addrs;
	for (int i = 0; i < n; i++) {
		const struct sockaddr *sa = (const void *)p;

		if (!saddr_from_sockaddr(&v[k], sa))
			k++;
		p += sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
					      : sizeof(struct sockaddr_in6);
	}
	if (n)
		sctp_freeladdrs(addrs);
	*out = v;
	return k;
}

int msock_bound(struct msock *s, struct saddr **out)
{
	int n = read_bound(s, out), err;

	if (n >= 0 && (err = known_set(s, *out, (size_t)n))) {
		free(*out);
		*out = NULL;
		return err;
	}
	return n;
}

int msock_read_bound(struct msock *s)
{
	struct saddr *v = NULL;
	int n = msock_bound(s, &v);

	free(v);
	return n;
}

bool msock_known_bound(const struct msock *s, const struct saddr **v, size_t *n)
{
	*v = s->bound;
	*n = s->nbound;
	return s->bound_known;
}

/* A bindx that worked changes the known set the way it changed the
 * kernel's; without memory for it the set is read again next time. */
static void known_update(struct msock *s, const struct saddr *a, bool add)
{
	struct saddr *v;
	size_t i;

	if (!s->bound_known)
		return;
	for (i = 0; i < s->nbound && !saddr_equal(&s->bound[i], a); i++)
		;
	if (!add) {
		if (i < s->nbound)
			s->bound[i] = s->bound[--s->nbound];
		return;
	}
	if (i < s->nbound)
		return;
	if (s->nbound == s->cbound) {
		v = reallocarray(s->bound, s->cbound + 4, sizeof(*v));
		if (!v) {
			s->bound_known = false;
			return;
		}
		s->bound = v;
		s->cbound += 4;
	}
	s->bound[s->nbound] = *a;
	s->bound[s->nbound++].port = s->port;
}

bool msock_unsettled(const struct msock *s)
{
	return !s->bound_known || s->unsettled || s->nissues || s->steer_pending ||
	       !s->own_known;
}

void msock_settle(struct msock *s, bool settled)
{
	s->unsettled = !settled;
}

int msock_bindx(struct msock *s, const struct saddr *a, size_t n, bool add)
{
	/* sctp_bindx takes the addresses packed, each its own length. */
	unsigned char buf[MSOCK_BINDX_MAX * sizeof(struct sockaddr_in6)];
	struct sockaddr_storage ss;
	size_t off = 0;

	if (!n || n > MSOCK_BINDX_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		struct saddr b = a[i];
		socklen_t len;

		b.port = s->port;
		len = saddr_to_sockaddr(&b, &ss);
		memcpy(buf + off, &ss, len);
		off += len;
	}
	if (sctp_bindx(s->fd, (struct sockaddr *)buf, (int)n,
		       add ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR))
		return -errno;
	for (size_t i = 0; i < n; i++)
		known_update(s, &a[i], add);
	s->last.addr = a[n - 1];
	s->last.add = add;
	clock_gettime(CLOCK_REALTIME, &s->last.when);
	s->changed = true;
	return 0;
}

bool msock_last_change(const struct msock *s, struct msock_change *out)
{
	if (s->changed)
		*out = s->last;
	return s->changed;
}

int msock_set_own(struct msock *s, const struct saddr *own, size_t n)
{
	struct saddr *v = n ? malloc(n * sizeof(*v)) : NULL;

	if (n && !v)
		return -ENOMEM;
	if (n)
		memcpy(v, own, n * sizeof(*v));
	free(s->own);
	s->own = v;
	s->nown = n;
	s->own_known = true;
	return 0;
}

size_t msock_own(const struct msock *s, const struct saddr **v)
{
	*v = s->own;
	return s->nown;
}

bool msock_own_known(const struct msock *s)
{
	return s->own_known;
}

bool msock_is_own(const struct msock *s, const struct saddr *a)
{
	for (size_t i = 0; i < s->nown; i++)
		if (saddr_equal(&s->own[i], a))
			return true;
	return false;
}

bool msock_listening(const struct msock *s)
{
	int on = 0;

	return !sockopt_int(s->fd, SOL_SOCKET, SO_ACCEPTCONN, &on) && on;
}

static int sockopt_set(int fd, int name, int val)
{
	return setsockopt(fd, SOL_SOCKET, name, &val, sizeof(val)) ? -errno : 0;
}

int msock_share_port(struct msock *s)
{
	int err;

	if (s->shared)
		return 0;
	if ((err = sockopt_int(s->fd, SOL_SOCKET, SO_REUSEADDR, &s->own_reuseaddr)) ||
	    (!s->own_reuseaddr && (err = sockopt_set(s->fd, SO_REUSEADDR, 1))))
		return err;
	s->shared = true;
	/* SO_REUSEPORT (3.9) is taken by any inet socket; only 5.0+ SCTP
	 * heeds it in sctp_get_port_local.  Without it REUSEADDR still
	 * covers every case but one (see docs/design.md). */
	s->reuseport_set = !sockopt_int(s->fd, SOL_SOCKET, SO_REUSEPORT, &s->own_reuseport) &&
			   (s->own_reuseport || !sockopt_set(s->fd, SO_REUSEPORT, 1));
	return 0;
}

void msock_unshare_port(struct msock *s)
{
	if (!s->shared)
		return;
	if (s->reuseport_set && !s->own_reuseport)
		sockopt_set(s->fd, SO_REUSEPORT, 0);
	if (!s->own_reuseaddr)
		sockopt_set(s->fd, SO_REUSEADDR, 0);
	s->shared = s->reuseport_set = false;
}

static struct msock_issue *issue_find(const struct msock *s, const struct saddr *a,
				      bool add)
{
	for (size_t i = 0; i < s->nissues; i++)
		if (s->issues[i].add == add && saddr_equal(&s->issues[i].addr, a))
			return &s->issues[i];
	return NULL;
}

void msock_issue_set(struct msock *s, const struct saddr *a, bool add, int err,
		     const char *holder)
{
	struct msock_issue *i = issue_find(s, a, add), *v;

	if (!i) {
		v = reallocarray(s->issues, s->nissues + 1, sizeof(*v));
		if (!v)
			return;         /* status only: losing it is harmless */
		s->issues = v;
		i = &s->issues[s->nissues++];
	}
	i->addr = *a;
	i->add = add;
	i->err = err;
	snprintf(i->holder, sizeof(i->holder), "%s", holder ? holder : "");
}

void msock_issue_clear(struct msock *s, const struct saddr *a)
{
	for (size_t i = 0; i < s->nissues;)
		if (saddr_equal(&s->issues[i].addr, a))
			s->issues[i] = s->issues[--s->nissues];
		else
			i++;
}

const struct msock_issue *msock_issue_find(const struct msock *s,
					   const struct saddr *a, bool add)
{
	return issue_find(s, a, add);
}

size_t msock_issues(const struct msock *s, const struct msock_issue **v)
{
	*v = s->issues;
	return s->nissues;
}

bool msock_tell_once(struct msock *s, const struct saddr *a)
{
	struct saddr *v;

	for (size_t i = 0; i < s->ntold; i++)
		if (saddr_equal(&s->told[i], a))
			return false;
	v = reallocarray(s->told, s->ntold + 1, sizeof(*v));
	if (!v)
		return true;    /* said again later: harmless */
	s->told = v;
	s->told[s->ntold++] = *a;
	return true;
}

size_t msock_told(const struct msock *s, const struct saddr **v)
{
	*v = s->told;
	return s->ntold;
}

void msock_told_forget(struct msock *s, const struct saddr *a)
{
	for (size_t i = 0; i < s->ntold;)
		if (saddr_equal(&s->told[i], a))
			s->told[i] = s->told[--s->ntold];
		else
			i++;
}

void msock_steer_pending(struct msock *s, bool pending)
{
	s->steer_pending = pending;
}

bool msock_add_retry_due(const struct msock *s)
{
	for (size_t i = 0; i < s->nissues; i++)
		if (s->issues[i].add && s->issues[i].err == -EADDRNOTAVAIL)
			return true;
	return false;
}

bool msock_steer_due(const struct msock *s)
{
	return s->steer_pending;
}

bool msock_retry_due(const struct msock *s)
{
	return msock_steer_due(s) || msock_add_retry_due(s);
}

int msock_assoc_asconf(const struct msock *s, int id)
{
	struct sctp_assoc_value v = { .assoc_id = id };
	socklen_t len = sizeof(v);

	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_ASCONF_SUPPORTED, &v, &len))
		return -errno;
	return v.assoc_value ? 1 : 0;
}

int msock_assocs(const struct msock *s, int **out)
{
	struct sctp_assoc_ids *ids;
	struct sctp_status st;
	socklen_t len;
	uint32_t n;
	int *v, err;

	*out = NULL;
	if (s->type == SOCK_STREAM) {
		/* One-to-one: the association, if any, answers for id 0. */
		memset(&st, 0, sizeof(st));
		len = sizeof(st);
		if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) ||
		    (st.sstat_state != SCTP_ESTABLISHED && st.sstat_state != SCTP_SHUTDOWN_PENDING))
			return 0;
		*out = calloc(1, sizeof(int));
		return *out ? 1 : -ENOMEM;
	}
	len = sizeof(n);
	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n, &len))
		return -errno;
	if (!n)
		return 0;
	/* Room for a few that come up between the two calls. */
	len = (socklen_t)(sizeof(*ids) + (n + 16) * sizeof(sctp_assoc_t));
	ids = calloc(1, len);
	if (!ids)
		return -ENOMEM;
	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, ids, &len)) {
		err = -errno;
		free(ids);
		return err;
	}
	n = ids->gaids_number_of_ids;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		free(ids);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++)
		v[i] = ids->gaids_assoc_id[i];
	free(ids);
	*out = v;
	return (int)n;
}

int msock_asconf_supported(const struct msock *s, unsigned int *nassoc)
{
	int *ids, n, all = 1, unknown = 0, r;

	*nassoc = 0;
	n = msock_assocs(s, &ids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		r = msock_assoc_asconf(s, ids[i]);
		if (r == 0)
			all = 0;
		if (r >= 0)
			(*nassoc)++;
		else if (!unknown)
			unknown = r;
	}
	free(ids);
	/* A "no" is known whatever the others say; a "yes" only when every
	 * association answered (before Linux 5.4 none does). */
	return all && unknown ? unknown : all;
}

static struct asked *asked_find(const struct msock *s, int id)
{
	for (size_t i = 0; i < s->nasked; i++)
		if (s->asked[i].id == id)
			return &s->asked[i];
	return NULL;
}

int msock_set_peer_primary(struct msock *s, int id, const struct saddr *a)
{
	struct sctp_setpeerprim pp;
	struct sockaddr_storage ss;
	struct saddr b = *a;
	struct asked *k, *v;

	memset(&pp, 0, sizeof(pp));
	pp.sspp_assoc_id = id;
	b.port = s->port;
	saddr_to_sockaddr(&b, &ss);
	memcpy(&pp.sspp_addr, &ss, sizeof(ss));
	if (setsockopt(s->fd, IPPROTO_SCTP, SCTP_SET_PEER_PRIMARY_ADDR, &pp, sizeof(pp)))
		return -errno;
	k = asked_find(s, id);
	if (!k) {
		v = reallocarray(s->asked, s->nasked + 1, sizeof(*v));
		if (!v)
			return 0;       /* asked anyway; we may ask again */
		s->asked = v;
		k = &s->asked[s->nasked++];
		k->id = id;
	}
	k->addr = *a;
	return 0;
}

const struct saddr *msock_primary_asked(const struct msock *s, int id)
{
	struct asked *k = asked_find(s, id);

	return k ? &k->addr : NULL;
}

void msock_primary_forget(struct msock *s, const int *live, size_t n)
{
	for (size_t i = 0; i < s->nasked;) {
		bool found = false;

		for (size_t j = 0; j < n && !found; j++)
			found = live[j] == s->asked[i].id;
		if (found)
			i++;
		else
			s->asked[i] = s->asked[--s->nasked];
	}
}
