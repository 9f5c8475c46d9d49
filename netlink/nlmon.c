#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
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
	struct addrtab *tab;
	struct nlapply apply;
	struct nlmon_opts opts;
	struct nlmon_stats st;
	bool resync_due;
	bool dump_intr;
	unsigned int seq;
};

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlmon *m = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		m->dump_intr = true;
	return nlapply_msg(&m->apply, nlh) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int dump_one(struct nlmon *m, int type)
{
	char buf[NLMON_BUFSIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	unsigned int portid = mnl_socket_get_portid(m->dump);
	unsigned int seq = ++m->seq;
	ssize_t n;
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(m->dump, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(m->dump, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, seq, portid, msg_cb, m);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

int nlmon_resync(struct nlmon *m)
{
	int err = 0;

	for (int i = 0; i < DUMP_TRIES; i++) {
		m->dump_intr = false;
		addrtab_mark(m->tab);
		err = dump_one(m, RTM_GETLINK);
		if (!err)
			err = dump_one(m, RTM_GETADDR);
		if (err)
			break;
		if (!m->dump_intr) {
			addrtab_sweep(m->tab);
			m->st.resyncs++;
			m->resync_due = false;
			return 0;
		}
	}
	if (!err)
		err = -EAGAIN;
	/* Without a complete dump, sweeping could delete live addresses: keep
	 * what we have and try again on the next read. */
	m->resync_due = true;
	log_err("netlink: address dump failed: %s", strerror(-err));
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

struct nlmon *nlmon_open(struct addrtab *t, const struct nlmon_opts *o)
{
	struct nlmon *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return NULL;
	m->tab = t;
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
	err = nlmon_resync(m);
	if (err) {
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
				m->resync_due = !m->opts.no_resync;
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
			m->resync_due = !m->opts.no_resync;
			continue;
		}
		if (nlapply_datagram(&m->apply, buf, (size_t)n))
			m->resync_due = true;   /* out of memory: the table is short */
	}
	if (m->resync_due)
		return nlmon_resync(m);
	return 0;
}

bool nlmon_resync_pending(const struct nlmon *m)
{
	return m->resync_due;
}

void nlmon_get_stats(const struct nlmon *m, struct nlmon_stats *s)
{
	*s = m->st;
	s->messages = m->apply.applied;
	s->malformed += m->apply.malformed;
}
