// SPDX-License-Identifier: GPL-2.0-or-later
/* oldkernel.so: a test-only LD_PRELOAD interposer that makes the running
 * kernel look like Linux 3.1 to asconfd, so `make compare` can show its
 * fallback paths at work on a real kernel.  Never installed.  It hides:
 *   SCTP_AUTO_ASCONF (3.2)        get/setsockopt -> ENOPROTOOPT
 *   SO_NETNS_COOKIE (5.14)        getsockopt -> ENOPROTOOPT
 *   SO_COOKIE (4.12)              getsockopt -> ENOPROTOOPT
 *   SCTP_ASCONF_SUPPORTED (5.4)   getsockopt -> ENOPROTOOPT (whether a
 *                                 peer takes ASCONF: unknown)
 *   SCTP_PF (3.6)                 SCTP_GET_PEER_ADDR_INFO's state in the
 *                                 enum before it (ACTIVE 1, UNCONFIRMED 2;
 *                                 a PF path ACTIVE), and the pf_retrans
 *                                 sysctl added with it (access -> ENOENT)
 *   SIOCGSKNS (4.9)               ioctl -> ENOTTY
 *   pidfd_open (5.3), pidfd_getfd (5.6)   syscall() and the glibc
 *                                 wrappers -> ENOSYS
 *   kcmp (3.5)                    syscall() -> ENOSYS
 *   IFA_FLAGS (3.14)              in rtnetlink address messages received,
 *                                 the attribute's type is changed to one no
 *                                 kernel sends, so parsers skip it
 * Each hidden feature is counted once in a line on stderr ("oldkernel: hid
 * X"), so a run shows the daemon really asked. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif
#ifndef SCTP_ASCONF_SUPPORTED
#define SCTP_ASCONF_SUPPORTED 128
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
/* Below NLA_TYPE_MASK and far above any IFA_* a kernel defines. */
#define HIDDEN_ATTR 0x3ffe

enum { H_AUTO_ASCONF, H_COOKIE, H_SKNS, H_PIDFD_OPEN, H_PIDFD_GETFD, H_IFA_FLAGS, H_KCMP,
       H_SOCOOKIE, H_ASCONF_SUPPORTED, H_PF, H_N };
static const char *const hname[H_N] = {
	"SCTP_AUTO_ASCONF", "SO_NETNS_COOKIE", "SIOCGSKNS", "pidfd_open", "pidfd_getfd", "IFA_FLAGS",
	"kcmp", "SO_COOKIE", "SCTP_ASCONF_SUPPORTED", "SCTP_PF",
};
static int said[H_N];

static void hid(int what)
{
	char line[64];
	int n;

	if (said[what])
		return;
	said[what] = 1;
	n = snprintf(line, sizeof(line), "oldkernel: hid %s\n", hname[what]);
	if (write(2, line, (size_t)n) < 0)
		return;
}

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (!real_##name) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	REAL(getsockopt);
	if (level == IPPROTO_SCTP && name == SCTP_AUTO_ASCONF) {
		hid(H_AUTO_ASCONF);
		errno = ENOPROTOOPT;
		return -1;
	}
	if (level == IPPROTO_SCTP && name == SCTP_ASCONF_SUPPORTED) {
		hid(H_ASCONF_SUPPORTED);
		errno = ENOPROTOOPT;
		return -1;
	}
	if (level == SOL_SOCKET && name == SO_NETNS_COOKIE) {
		hid(H_COOKIE);
		errno = ENOPROTOOPT;
		return -1;
	}
	if (level == SOL_SOCKET && name == SO_COOKIE) {
		hid(H_SOCOOKIE);
		errno = ENOPROTOOPT;
		return -1;
	}
	if (level == IPPROTO_SCTP && name == SCTP_GET_PEER_ADDR_INFO) {
		struct sctp_paddrinfo *pi = val;
		int rc = real_getsockopt(fd, level, name, val, len);

		/* 6.x: INACTIVE 0, PF 1, ACTIVE 2, UNCONFIRMED 3; 3.1 had no PF. */
		if (!rc && *len >= sizeof(*pi) && pi->spinfo_state != SCTP_UNKNOWN) {
			hid(H_PF);
			pi->spinfo_state = pi->spinfo_state == SCTP_INACTIVE ? 0 :
					   pi->spinfo_state == SCTP_UNCONFIRMED ? 2 : 1;
		}
		return rc;
	}
	return real_getsockopt(fd, level, name, val, len);
}

int access(const char *path, int mode)
{
	REAL(access);
	if (!strcmp(path, "/proc/sys/net/sctp/pf_retrans")) {
		hid(H_PF);
		errno = ENOENT;
		return -1;
	}
	return real_access(path, mode);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	REAL(setsockopt);
	if (level == IPPROTO_SCTP && name == SCTP_AUTO_ASCONF) {
		hid(H_AUTO_ASCONF);
		errno = ENOPROTOOPT;
		return -1;
	}
	return real_setsockopt(fd, level, name, val, len);
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == SIOCGSKNS) {
		hid(H_SKNS);
		errno = ENOTTY;
		return -1;
	}
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	return real(fd, req, arg);
}

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;

	if (nr == SYS_pidfd_open || nr == SYS_pidfd_getfd || nr == SYS_kcmp) {
		hid(nr == SYS_pidfd_open ? H_PIDFD_OPEN : nr == SYS_pidfd_getfd ? H_PIDFD_GETFD : H_KCMP);
		errno = ENOSYS;
		return -1;
	}
	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* glibc 2.36+ wrappers, in case the daemon is built against them. */
int pidfd_open(pid_t pid, unsigned int flags)
{
	(void)pid;
	(void)flags;
	hid(H_PIDFD_OPEN);
	errno = ENOSYS;
	return -1;
}

int pidfd_getfd(int pidfd, int fd, unsigned int flags)
{
	(void)pidfd;
	(void)fd;
	(void)flags;
	hid(H_PIDFD_GETFD);
	errno = ENOSYS;
	return -1;
}

static int is_rtnetlink(int fd)
{
	int dom = 0, proto = 0;
	socklen_t l1 = sizeof(dom), l2 = sizeof(proto);

	REAL(getsockopt);
	return !real_getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l1) && dom == AF_NETLINK &&
	       !real_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l2) && proto == NETLINK_ROUTE;
}

/* Renames every IFA_FLAGS attribute of the address messages in BUF. */
static void strip(void *buf, size_t len)
{
	char *p = buf, *end = p + len;

	while ((size_t)(end - p) >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr *nh = (struct nlmsghdr *)p;
		size_t mlen = nh->nlmsg_len;
		char *a, *aend;

		if (mlen < sizeof(*nh) || mlen > (size_t)(end - p))
			return;
		if ((nh->nlmsg_type == RTM_NEWADDR || nh->nlmsg_type == RTM_DELADDR) &&
		    mlen >= NLMSG_LENGTH(sizeof(struct ifaddrmsg))) {
			a = p + NLMSG_SPACE(sizeof(struct ifaddrmsg));
			aend = p + mlen;
			while (aend - a >= (long)sizeof(struct rtattr)) {
				struct rtattr *rta = (struct rtattr *)a;

				if (rta->rta_len < sizeof(*rta) || rta->rta_len > aend - a)
					break;
				if ((rta->rta_type & NLA_TYPE_MASK) == IFA_FLAGS) {
					rta->rta_type = HIDDEN_ATTR;
					hid(H_IFA_FLAGS);
				}
				a += RTA_ALIGN(rta->rta_len);
			}
		}
		p += NLMSG_ALIGN(mlen);
	}
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	ssize_t n;

	REAL(recv);
	n = real_recv(fd, buf, len, flags);
	if (n > 0 && !(flags & MSG_TRUNC) && is_rtnetlink(fd))
		strip(buf, (size_t)n);
	return n;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fl)
{
	ssize_t n;

	REAL(recvfrom);
	n = real_recvfrom(fd, buf, len, flags, from, fl);
	if (n > 0 && !(flags & MSG_TRUNC) && is_rtnetlink(fd))
		strip(buf, (size_t)n);
	return n;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	ssize_t n;

	REAL(recvmsg);
	n = real_recvmsg(fd, msg, flags);
	/* The daemon receives netlink into a single buffer. */
	if (n > 0 && msg->msg_iovlen == 1 && (size_t)n <= msg->msg_iov[0].iov_len &&
	    is_rtnetlink(fd))
		strip(msg->msg_iov[0].iov_base, (size_t)n);
	return n;
}
