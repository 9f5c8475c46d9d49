// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>

#include "../common/log.h"
#include "nlmon.h"
#include "nlapply.h"

/* A dump that the kernel flags as interrupted (NLM_F_DUMP_INTR) is redone;
 * give up after this many tries rather than spin on a busy host. */
#define DUMP_TRIES 8

/* Large enough for any datagram the kernel builds (libmnl 1.0.5 calls this
 * MNL_SOCKET_DUMP_SIZE; Debian 12 ships 1.0.4). */
#define NLMON_BUFSIZE 32768

struct nlmon {
	struct mnl_socket *ev;          /* multicast events, non-blocking */
	struct mnl_socket *dump;        /* request/response, blocking */
	struct nlapply apply;           /* holds the table */
	struct nlmon_opts opts;
	struct nlmon_stats st;
	bool resync_due;        /* a fresh dump is needed */
	bool may_miss;          /* overrun since the last full dump */
	bool dump_intr;
	bool routes;            /* subscribed to the filtered route group */
	unsigned int seq;
};

static int dump_one(struct nlmon *m, int type)
{
	char buf[NLMON_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	uint32_t seq = ++m->seq;
	ssize_t n;
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(m->dump, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	/* Read to NLMSG_DONE even when the dump is interrupted, so no reply is
	 * left behind to confuse the next dump. */
	do {
		n = recv(mnl_socket_get_fd(m->dump), buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		ret = nlapply_dump(&m->apply, buf, (size_t)n, seq, &m->dump_intr);
	} while (ret == 0);
	return ret < 0 ? ret : 0;
}

int nlmon_resync(struct nlmon *m)
{
	int err = 0;

	for (int i = 0; i < DUMP_TRIES; i++) {
		m->dump_intr = false;
		addrtab_mark(m->apply.tab);
		err = dump_one(m, RTM_GETLINK);
		if (!err)
			err = dump_one(m, RTM_GETADDR);
		if (err)
			break;
		/* A whole dump was read: what it reported is real, even if
		 * the kernel's list moved meanwhile; changes since then are
		 * queued on the event socket. */
		m->may_miss = false;
		if (!m->dump_intr) {
			addrtab_sweep(m->apply.tab);
			m->st.resyncs++;
			m->resync_due = false;
			return 0;
		}
	}
	if (!err)
		err = -EAGAIN;
	/* No consistent dump: an interrupted one may have skipped live entries,
	 * so nothing is swept (the table may hold extra, never fewer, entries)
	 * and the caller tries again later. */
	m->resync_due = true;
	log_warn("netlink: no consistent address dump yet (%s); will retry", strerror(-err));
	return err;
}

static int subscribe(struct mnl_socket *nl, int group)
{
	return mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &group,
				     sizeof(group));
}

static int set_rcvbuf(int fd, int bytes)
{
	/* FORCE goes past rmem_max when we have CAP_NET_ADMIN. */
	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

/* The route group brings every route change of the host (a full BGP table
 * on some); only the local routes of new IPv4 addresses matter here.  A
 * socket filter drops the rest in the kernel, so they neither wake the
 * daemon nor fill its receive buffer.  Multicast notifications carry one
 * message each, so the filter sees the nlmsghdr at offset 0. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TYPE_LO 4
#define TYPE_HI 5
#else
#define TYPE_LO 5
#define TYPE_HI 4
#endif
#define RTM_OFF(f) (NLMSG_HDRLEN + offsetof(struct rtmsg, f))

static int attach_route_filter(int fd)
{
	struct sock_filter code[] = {
		/* 0: types >= 256 are not routes: keep */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, TYPE_HI),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 8),
		/* 2: below RTM_NEWROUTE (links, addresses) or from RTM_NEWNEIGH on: keep */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, TYPE_LO),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, RTM_NEWROUTE, 0, 6),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, RTM_NEWNEIGH, 5, 0),
		/* 5: a route: only RTM_NEWROUTE, table local, type local */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTM_NEWROUTE, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, RTM_OFF(rtm_table)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RT_TABLE_LOCAL, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, RTM_OFF(rtm_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTN_LOCAL, 0, 1),
		/* 10 */ BPF_STMT(BPF_RET | BPF_K, 0xffffffff),       /* keep */
		/* 11 */ BPF_STMT(BPF_RET | BPF_K, 0),                /* drop */
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ? -errno : 0;
}

struct nlmon *nlmon_open(struct addrtab *t, const struct nlmon_opts *o)
{
	struct nlmon *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return NULL;
	m->apply.tab = t;
	m->apply.lim.interval = 10;
	if (o)
		m->opts = *o;
	m->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	m->dump = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!m->ev || !m->dump)
		goto fail;
	if (mnl_socket_bind(m->ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(m->dump, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	if (m->opts.rcvbuf > 0 && set_rcvbuf(mnl_socket_get_fd(m->ev), m->opts.rcvbuf))
		goto fail;
	/* Subscribe before the dump: a change racing the dump is then queued on
	 * the event socket and applied after it, never lost. */
	if (subscribe(m->ev, RTNLGRP_LINK) || subscribe(m->ev, RTNLGRP_IPV4_IFADDR) ||
	    subscribe(m->ev, RTNLGRP_IPV6_IFADDR))
		goto fail;
	/* Without the filter the route group could flood us: go without it,
	 * and retry failed IPv4 ADDs on the timer only. */
	if ((err = attach_route_filter(mnl_socket_get_fd(m->ev))))
		log_warn("netlink: cannot filter route events (%s): IPv4 addresses are "
			 "retried on a timer instead", strerror(-err));
	else if (subscribe(m->ev, RTNLGRP_IPV4_ROUTE))
		goto fail;
	else
		m->routes = true;
	err = nlmon_resync(m);
	/* A busy host may interrupt every dump: start with what was read and
	 * let the caller retry (nlmon_resync_pending). */
	if (err && err != -EAGAIN) {
		errno = -err;
		goto fail;
	}
	m->st.resyncs = 0;      /* the first dump is not a resync */
	return m;
fail:
	err = errno;
	nlmon_close(m);
	errno = err;
	return NULL;
}

void nlmon_close(struct nlmon *m)
{
	if (!m)
		return;
	if (m->ev)
		mnl_socket_close(m->ev);
	if (m->dump)
		mnl_socket_close(m->dump);
	free(m);
}

int nlmon_fd(const struct nlmon *m)
{
	return mnl_socket_get_fd(m->ev);
}

bool nlmon_pending(const struct nlmon *m)
{
	struct pollfd p = { .fd = nlmon_fd(m), .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* Whatever lost events (overrun, truncated datagram, no memory to apply
 * them) leaves the table possibly short: needs a dump, and until then
 * nothing is removed on its word. */
static void events_lost(struct nlmon *m)
{
	if (m->opts.no_resync)
		return;
	m->resync_due = true;
	m->may_miss = true;
}

int nlmon_read(struct nlmon *m)
{
	char buf[NLMON_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		msg.msg_namelen = sizeof(from);
		n = recvmsg(nlmon_fd(m), &msg, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			if (errno == ENOBUFS) {
				/* The kernel dropped events for us: the socket
				 * still works, but the table may be wrong. */
				m->st.overruns++;
				events_lost(m);
				continue;
			}
			log_err("netlink: receive failed: %m");
			return -errno;
		}
		if (from.nl_pid != 0) {
			/* Only the kernel speaks for the kernel. */
			m->st.foreign++;
			continue;
		}
		if (msg.msg_flags & MSG_TRUNC) {
			m->st.malformed++;
			events_lost(m);
			continue;
		}
		if (nlapply_datagram(&m->apply, buf, (size_t)n))
			events_lost(m);         /* out of memory: the table is short */
	}
	if (m->resync_due)
		return nlmon_resync(m);
	return 0;
}

bool nlmon_resync_pending(const struct nlmon *m)
{
	return m->resync_due;
}

bool nlmon_route_events(const struct nlmon *m)
{
	return m->routes;
}

bool nlmon_may_miss(const struct nlmon *m)
{
	return m->may_miss;
}

void nlmon_get_stats(const struct nlmon *m, struct nlmon_stats *s)
{
	*s = m->st;
	s->messages = m->apply.applied;
	s->malformed += m->apply.malformed;
}
