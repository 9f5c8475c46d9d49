// SPDX-License-Identifier: GPL-2.0-or-later
/* The model behind fakesctp.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "fakesctp.h"

struct fake {
	uint16_t port;
	uint32_t a[FAKESCTP_MAX_ADDRS];
	size_t n;
	bool reuseaddr, reuseport;
	bool identity;                  /* ino and cookie replace the real ones */
	unsigned long long ino;
	uint64_t cookie;
	bool assocs;                    /* the association model answers */
	int asconf[FAKESCTP_MAX_ASSOCS];
	size_t nassoc;
	int ids_err;
	struct fake *next;      /* every model, for fakesctp_reset */
};
static struct fake **fakes;     /* by fd; a dup shares its socket's model */
static struct fake *models;
static int nfakes;
static struct { uint32_t a; int err; } refused[16];
static bool bucket;
struct fakesctp_calls fakesctp_calls;

static struct fake *fake_of(int fd)
{
	return fd >= 0 && fd < nfakes ? fakes[fd] : NULL;
}

static int track(int fd, struct fake *f)
{
	if (fd >= nfakes) {
		int m = fd * 2 + 16;
		struct fake **v = realloc(fakes, (size_t)m * sizeof(*v));

		if (!v)
			return -1;
		memset(v + nfakes, 0, (size_t)(m - nfakes) * sizeof(*v));
		fakes = v;
		nfakes = m;
	}
	fakes[fd] = f;
	return 0;
}

int fakesctp_socket(uint16_t port, const uint32_t *a, size_t n)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct fake *f = calloc(1, sizeof(*f));

	if (fd < 0 || !f || n > FAKESCTP_MAX_ADDRS || track(fd, f)) {
		if (fd >= 0)
			close(fd);
		free(f);
		errno = n > FAKESCTP_MAX_ADDRS ? EINVAL : ENOMEM;
		return -1;
	}
	*f = (struct fake){ .port = port, .n = n, .next = models };
	memcpy(f->a, a, n * sizeof(*a));
	models = f;
	return fd;
}

int fakesctp_dup(int fd)
{
	struct fake *f = fake_of(fd);
	int d = f ? dup(fd) : -1;

	if (d >= 0 && track(d, f)) {
		close(d);
		return -1;
	}
	return d;
}

size_t fakesctp_bound(int fd, uint32_t *out)
{
	struct fake *f = fake_of(fd);

	if (!f)
		return 0;
	memcpy(out, f->a, f->n * sizeof(*out));
	return f->n;
}

void fakesctp_refuse(uint32_t a, int err)
{
	size_t i, free_slot = sizeof(refused) / sizeof(refused[0]);

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (refused[i].err && refused[i].a == a) {
			refused[i].err = err;
			return;
		}
		if (!refused[i].err && free_slot == sizeof(refused) / sizeof(refused[0]))
			free_slot = i;
	}
	if (err && free_slot < sizeof(refused) / sizeof(refused[0]))
		refused[free_slot] = (typeof(refused[0])){ a, err };
}

void fakesctp_reset(void)
{
	while (models) {
		struct fake *f = models;

		models = f->next;
		free(f);
	}
	free(fakes);
	fakes = NULL;
	nfakes = 0;
	memset(refused, 0, sizeof(refused));
	bucket = false;
	memset(&fakesctp_calls, 0, sizeof(fakesctp_calls));
}

static int refusal(uint32_t a)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (refused[i].err && refused[i].a == a)
			return refused[i].err;
	return 0;
}

static ssize_t find(const struct fake *f, uint32_t a)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->a[i] == a)
			return (ssize_t)i;
	return -1;
}

void fakesctp_identity(int fd, unsigned long long ino, uint64_t cookie)
{
	struct fake *f = fake_of(fd);

	if (f) {
		f->identity = true;
		f->ino = ino;
		f->cookie = cookie;
	}
}

void fakesctp_assocs(int fd, const int *asconf, size_t n, int ids_err)
{
	struct fake *f = fake_of(fd);

	if (!f || n > FAKESCTP_MAX_ASSOCS)
		abort();
	f->assocs = true;
	if (n)
		memcpy(f->asconf, asconf, n * sizeof(*asconf));
	f->nassoc = n;
	f->ids_err = ids_err;
}

/* SCTP_GET_ASSOC_NUMBER, SCTP_GET_ASSOC_ID_LIST, SCTP_ASCONF_SUPPORTED
 * of the association model: 1 when answered (0 or -1 with errno in *rc). */
static int assoc_opt(const struct fake *f, int name, void *val, socklen_t *len, int *rc)
{
	struct sctp_assoc_ids *ids = val;
	struct sctp_assoc_value *av = val;
	int err = 0;

	if (name == SCTP_GET_ASSOC_NUMBER) {
		if (*len < sizeof(uint32_t))
			err = EINVAL;
		else
			*(uint32_t *)val = (uint32_t)f->nassoc;
	} else if (name == SCTP_GET_ASSOC_ID_LIST) {
		if (f->ids_err)
			err = f->ids_err;
		else if (*len < sizeof(*ids) + f->nassoc * sizeof(sctp_assoc_t))
			err = EINVAL;
		else {
			ids->gaids_number_of_ids = (uint32_t)f->nassoc;
			for (size_t i = 0; i < f->nassoc; i++)
				ids->gaids_assoc_id[i] = (sctp_assoc_t)(i + 1);
		}
	} else if (name == SCTP_ASCONF_SUPPORTED) {
		if (*len < sizeof(*av) || av->assoc_id < 1 || (size_t)av->assoc_id > f->nassoc)
			err = EINVAL;
		else if (f->asconf[av->assoc_id - 1] < 0)
			err = -f->asconf[av->assoc_id - 1];
		else
			av->assoc_value = (uint32_t)f->asconf[av->assoc_id - 1];
	} else {
		return 0;
	}
	errno = err;
	*rc = err ? -1 : 0;
	return 1;
}

int __real_fstat(int fd, struct stat *st);
int __wrap_fstat(int fd, struct stat *st)
{
	struct fake *f = fake_of(fd);
	int rc = __real_fstat(fd, st);

	if (!rc && f && f->identity)
		st->st_ino = (ino_t)f->ino;
	return rc;
}

int __real_getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int __wrap_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct fake *f = fake_of(fd);
	int rc;

	if (!f)
		return __real_getsockopt(fd, level, name, val, len);
	if (f->identity && level == SOL_SOCKET && name == SO_COOKIE) {
		if (!f->cookie || *len < sizeof(uint64_t)) {
			errno = f->cookie ? EINVAL : ENOPROTOOPT;
			return -1;
		}
		memcpy(val, &f->cookie, sizeof(uint64_t));
		*len = sizeof(uint64_t);
		return 0;
	}
	if (level == SOL_SOCKET && (name == SO_PROTOCOL || name == SO_DOMAIN || name == SO_TYPE)) {
		*(int *)val = name == SO_PROTOCOL ? IPPROTO_SCTP : name == SO_DOMAIN ? AF_INET
										 : SOCK_SEQPACKET;
		return 0;
	}
	if (level == IPPROTO_SCTP && name == SCTP_AUTO_ASCONF) {
		*(int *)val = 0;
		return 0;
	}
	if (level == IPPROTO_SCTP && f->assocs && assoc_opt(f, name, val, len, &rc))
		return rc;
	return __real_getsockopt(fd, level, name, val, len);
}

void fakesctp_bucket(void)
{
	bucket = true;
}

int __real_setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct fake *f = fake_of(fd);

	if (f && level == IPPROTO_SCTP && name == SCTP_AUTO_ASCONF) {
		errno = EINVAL;         /* specific addresses: not bound to all */
		return -1;
	}
	/* The UDP socket keeps the value for getsockopt; the model mirrors it. */
	if (f && level == SOL_SOCKET && (name == SO_REUSEADDR || name == SO_REUSEPORT)) {
		fakesctp_calls.reuse_set++;
		if (len == sizeof(int))
			*(name == SO_REUSEADDR ? &f->reuseaddr : &f->reuseport) = *(const int *)val;
	}
	return __real_setsockopt(fd, level, name, val, len);
}

/* Another socket of f's port holds a, and they may not share it. */
static bool in_use(const struct fake *f, uint32_t a)
{
	for (const struct fake *o = models; bucket && o; o = o->next)
		if (o != f && o->port == f->port && find(o, a) >= 0 &&
		    !(f->reuseaddr && o->reuseaddr) && !(f->reuseport && o->reuseport))
			return true;
	return false;
}

static struct sockaddr_in sin_of(const struct fake *f, uint32_t a)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(f->port),
				     .sin_addr.s_addr = htonl(a) };
}

int __real_getsockname(int fd, struct sockaddr *sa, socklen_t *len);
int __wrap_getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	struct fake *f = fake_of(fd);
	struct sockaddr_in s;

	if (!f)
		return __real_getsockname(fd, sa, len);
	s = sin_of(f, f->n ? f->a[0] : 0);
	memcpy(sa, &s, sizeof(s));
	*len = sizeof(s);
	return 0;
}

int __wrap_sctp_getladdrs(int fd, sctp_assoc_t id, struct sockaddr **out)
{
	struct fake *f = fake_of(fd);
	struct sockaddr_in *v;

	(void)id;
	fakesctp_calls.getladdrs++;
	if (!f) {
		errno = EBADF;
		return -1;
	}
	v = calloc(f->n + 1, sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < f->n; i++)
		v[i] = sin_of(f, f->a[i]);
	*out = (struct sockaddr *)v;
	return (int)f->n;
}

void __wrap_sctp_freeladdrs(struct sockaddr *addrs)
{
	free(addrs);
}

/* As sctp_bindx_add/sctp_bindx_rem: every address checked first, then all
 * applied (the kernel undoes a partial call). */
int __wrap_sctp_bindx(int fd, struct sockaddr *addrs, int n, int flags)
{
	struct fake *f = fake_of(fd);
	struct sockaddr_in *v = (struct sockaddr_in *)addrs;
	struct fake next;
	int err = 0;

	fakesctp_calls.bindx++;
	fakesctp_calls.last_bindx_n = n;
	if (!f) {
		errno = EBADF;
		goto fail;
	}
	next = *f;
	for (int i = 0; i < n && !err; i++) {
		uint32_t a = ntohl(v[i].sin_addr.s_addr);
		ssize_t at = find(&next, a);

		if (v[i].sin_family != AF_INET)
			err = EINVAL;
		else if ((err = refusal(a)))
			;
		else if (flags == SCTP_BINDX_ADD_ADDR)
			err = at >= 0 ? EINVAL : next.n == FAKESCTP_MAX_ADDRS ? ENOMEM :
			      in_use(f, a) ? EADDRINUSE : 0;
		else
			err = at < 0 ? EINVAL : next.n == 1 ? EBUSY : 0;
		if (err)
			break;
		if (flags == SCTP_BINDX_ADD_ADDR)
			next.a[next.n++] = a;
		else
			next.a[at] = next.a[--next.n];
	}
	if (!err) {
		*f = next;
		return 0;
	}
	errno = err;
fail:
	fakesctp_calls.bindx_failed++;
	return -1;
}
