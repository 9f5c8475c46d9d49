// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include "../common/log.h"
#include "nlwalk.h"
#include "sctpdiag.h"

#define SCTPDIAG_BUFSIZE 32768

int sctpdiag_local(const struct sctpdiag_ep *ep, size_t i, struct sockaddr_storage *out)
{
	if (i >= ep->nlocal)
		return -ERANGE;
	/* Attribute data is only 4-byte aligned: copy, never cast. */
	memcpy(out, (const char *)ep->local + i * sizeof(*out), sizeof(*out));
	return 0;
}

size_t sctpdiag_request(void *buf, size_t len, int family, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *r;

	if (len < NLMSG_SPACE(sizeof(*r)))
		return 0;
	memset(buf, 0, NLMSG_SPACE(sizeof(*r)));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = (uint8_t)family;
	r->sdiag_protocol = IPPROTO_SCTP;
	/* LISTEN selects the dump of the endpoint table, which holds only
	 * listening sockets; the other states select the walk over the
	 * associations, which reports each socket that has one (once, before
	 * its associations).  Together: every socket with a listener or an
	 * association; a bound socket with neither is not reported. */
	r->idiag_states = ~0u;
	return nlh->nlmsg_len;
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, INET_DIAG_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

int sctpdiag_parse(const struct nlmsghdr *nlh, struct sctpdiag_ep *out)
{
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { 0 };
	const struct inet_diag_msg *r;
	size_t off = NLMSG_HDRLEN + MNL_ALIGN(sizeof(*r)), n;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*r)))
		return -EBADMSG;
	r = mnl_nlmsg_get_payload(nlh);
	if (r->idiag_family != AF_INET && r->idiag_family != AF_INET6)
		return -EBADMSG;
	/* Attributes within nlmsg_len exactly (mnl_attr_parse rounds up). */
	if (nlh->nlmsg_len > off &&
	    mnl_attr_parse_payload((const char *)nlh + off, nlh->nlmsg_len - off,
				   attr_cb, tb) != MNL_CB_OK)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->inode = r->idiag_inode;
	out->uid = r->idiag_uid;
	out->family = r->idiag_family;
	out->port = ntohs(r->id.idiag_sport);
	out->state = r->idiag_state;
	/* Only association records carry the peer's addresses. */
	out->assoc = tb[INET_DIAG_PEERS] != NULL;
	if (tb[INET_DIAG_LOCALS]) {
		n = mnl_attr_get_payload_len(tb[INET_DIAG_LOCALS]);
		if (n % sizeof(struct sockaddr_storage))
			return -EBADMSG;
		out->nlocal = n / sizeof(struct sockaddr_storage);
		out->local = mnl_attr_get_payload(tb[INET_DIAG_LOCALS]);
	}
	return 0;
}

int sctpdiag_datagram(const void *buf, size_t len, uint32_t seq,
		      sctpdiag_cb cb, void *ctx, unsigned long *bad)
{
	const struct nlmsghdr *nlh;
	struct sctpdiag_ep ep;
	size_t off = 0;
	int ret;

	while ((nlh = nlwalk_next(buf, len, &off))) {
		if (nlh->nlmsg_seq != seq)
			continue;
		if ((ret = nlwalk_control(nlh)))
			return ret;
		if (sctpdiag_parse(nlh, &ep)) {
			(*bad)++;
			continue;
		}
		if (ep.assoc)
			continue;       /* its socket came just before it */
		if ((ret = cb(&ep, ctx)))
			return ret;
	}
	if (off < len)
		(*bad)++;
	return 0;
}

static int dump_family(int s, int family, uint32_t seq, sctpdiag_cb cb, void *ctx,
		       unsigned long *bad)
{
	char buf[SCTPDIAG_BUFSIZE] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t len = sctpdiag_request(buf, sizeof(buf), family, seq);
	ssize_t n;
	int ret;

	if (sendto(s, buf, len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	do {
		n = recv(s, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		ret = sctpdiag_datagram(buf, (size_t)n, seq, cb, ctx, bad);
	} while (ret == 0);
	/* Stopped by the callback: the rest of the reply dies with the socket. */
	return ret == 1 ? 0 : ret;
}

int sctpdiag_list(sctpdiag_cb cb, void *ctx)
{
	static const int families[] = { AF_INET, AF_INET6 };
	unsigned long bad = 0;
	int s, ret = 0;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s < 0)
		return -errno;
	for (size_t i = 0; i < 2 && !ret; i++)
		ret = dump_family(s, families[i], (uint32_t)i + 1, cb, ctx, &bad);
	close(s);
	if (bad)
		log_warn("sock_diag: dropped %lu malformed SCTP endpoint message(s)", bad);
	return ret;
}
