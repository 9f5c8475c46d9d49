#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/stat.h>

#include "msock.h"

struct msock {
	int fd;
	unsigned int id;
	int family, type;
	bool v6only;
	uint16_t port;
	ino_t ino;
	struct msock_issue *issues;
	size_t nissues;
};

static int sockopt_int(int fd, int level, int name, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(fd, level, name, val, &len) ? -errno : 0;
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
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->ino = st.st_ino;
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
	if (saddr_is_any(&first)) {
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
	close(s->fd);
	free(s->issues);
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

int msock_bound(const struct msock *s, struct saddr **out)
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

int msock_bindx(struct msock *s, const struct saddr *a, bool add)
{
	struct sockaddr_storage ss;
	struct saddr b = *a;

	b.port = s->port;
	saddr_to_sockaddr(&b, &ss);
	if (sctp_bindx(s->fd, (struct sockaddr *)&ss, 1,
		       add ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR))
		return -errno;
	return 0;
}

static struct msock_issue *issue_find(const struct msock *s, const struct saddr *a,
				      bool add)
{
	for (size_t i = 0; i < s->nissues; i++)
		if (s->issues[i].add == add && saddr_equal(&s->issues[i].addr, a))
			return &s->issues[i];
	return NULL;
}

void msock_issue_set(struct msock *s, const struct saddr *a, bool add, int err)
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

bool msock_retry_due(const struct msock *s)
{
	for (size_t i = 0; i < s->nissues; i++)
		if (s->issues[i].add && s->issues[i].err == -EADDRNOTAVAIL)
			return true;
	return false;
}

static int assoc_asconf(int fd, sctp_assoc_t id)
{
	struct sctp_assoc_value v = { .assoc_id = id };
	socklen_t len = sizeof(v);

	if (getsockopt(fd, IPPROTO_SCTP, SCTP_ASCONF_SUPPORTED, &v, &len))
		return -errno;
	return v.assoc_value ? 1 : 0;
}

int msock_asconf_supported(const struct msock *s, unsigned int *nassoc)
{
	struct sctp_assoc_ids *ids;
	struct sctp_status st;
	socklen_t len;
	int all = 1, r;
	uint32_t n;

	*nassoc = 0;
	if (s->type == SOCK_STREAM) {
		/* One-to-one: the association, if any, answers for id 0. */
		memset(&st, 0, sizeof(st));
		len = sizeof(st);
		if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len))
			return 1;       /* no association: nothing to tell */
		*nassoc = 1;
		return assoc_asconf(s->fd, 0);
	}
	len = sizeof(n);
	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n, &len))
		return -errno;
	if (!n)
		return 1;
	len = sizeof(*ids) + (n + 8) * sizeof(sctp_assoc_t);
	ids = calloc(1, len);
	if (!ids)
		return -ENOMEM;
	if (getsockopt(s->fd, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, ids, &len)) {
		r = -errno;
		free(ids);
		return r;
	}
	for (uint32_t i = 0; i < ids->gaids_number_of_ids; i++) {
		r = assoc_asconf(s->fd, ids->gaids_assoc_id[i]);
		if (r == 0)
			all = 0;
		if (r >= 0)
			(*nassoc)++;
	}
	free(ids);
	return all;
}
