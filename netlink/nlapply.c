// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "nlapply.h"
#include "nlparse.h"
#include "nlwalk.h"

static void dropped(struct nlapply *a, unsigned int type, unsigned int len, int err)
{
	unsigned long held;

	a->malformed++;
	if (!log_limit_ok(&a->lim, &held))
		return;
	if (held)
		log_warn("netlink: dropped a malformed message (type %u, length %u: %s); "
			 "%lu more since the last report", type, len, strerror(-err), held);
	else
		log_warn("netlink: dropped a malformed message (type %u, length %u: %s)",
			 type, len, strerror(-err));
}

int nlapply_msg(struct nlapply *a, const struct nlmsghdr *nlh)
{
	struct host_addr ad;
	struct host_link l;
	int err;

	switch (nlh->nlmsg_type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
		err = nlparse_addr(nlh, &ad);
		if (err == -EAFNOSUPPORT)
			return 0;       /* not IP: not ours */
		if (!err)
			err = nlh->nlmsg_type == RTM_NEWADDR ? addrtab_addr_put(a->tab, &ad)
							     : addrtab_addr_del(a->tab, &ad);
		break;
	case RTM_NEWROUTE:
		err = nlparse_local_route(nlh, &ad);
		if (err == -ENOENT)
			return 0;       /* the kernel filter should have dropped it */
		if (!err)
			addrtab_addr_bindable(a->tab, &ad);
		break;
	case RTM_NEWLINK:
	case RTM_DELLINK:
		err = nlparse_link(nlh, &l);
		if (err == -EAFNOSUPPORT)
			return 0;       /* a bridge port's view, not the link's */
		if (!err)
			err = nlh->nlmsg_type == RTM_NEWLINK ? addrtab_link_put(a->tab, &l)
							     : addrtab_link_del(a->tab, l.ifindex);
		break;
	default:
		return 0;
	}
	if (err == -ENOMEM)
		return err;
	if (err < 0)
		dropped(a, nlh->nlmsg_type, nlh->nlmsg_len, err);
	else
		a->applied++;
	return 0;
}

/* libmnl's mnl_cb_run() stops a dump at the first NLM_F_DUMP_INTR without
 * applying it, so datagrams are walked here (nlwalk).
 * dump: NULL for events, else the request's sequence number and flags. */
struct dump_ctx {
	uint32_t seq;
	bool *intr;
	bool done;
};

static int walk(struct nlapply *a, const void *buf, size_t len, struct dump_ctx *dump)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;
	int err;

	while ((nlh = nlwalk_next(buf, len, &off))) {
		if (dump) {
			if (nlh->nlmsg_seq != dump->seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*dump->intr = true;
			err = nlwalk_control(nlh);
			if (err > 0) {
				dump->done = true;
				return 0;
			}
			if (err < 0)
				return err;
		}
		if ((err = nlapply_msg(a, nlh)))
			return err;
	}
	if (off < len)
		dropped(a, 0, (unsigned int)(len - off), -EBADMSG);
	return 0;
}

int nlapply_datagram(struct nlapply *a, const void *buf, size_t len)
{
	return walk(a, buf, len, NULL);
}

int nlapply_dump(struct nlapply *a, const void *buf, size_t len, uint32_t seq,
		 bool *intr)
{
	struct dump_ctx d = { .seq = seq, .intr = intr };
	int err = walk(a, buf, len, &d);

	return err ? err : d.done;
}
