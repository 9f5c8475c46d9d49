// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "nlwalk.h"

const struct nlmsghdr *nlwalk_next(const void *buf, size_t len, size_t *off)
{
	const struct nlmsghdr *nlh;
	size_t n;

	if (*off > len || len - *off < NLMSG_HDRLEN)
		return NULL;
	nlh = (const void *)((const char *)buf + *off);
	n = nlh->nlmsg_len;
	if (n < NLMSG_HDRLEN || n > len - *off)
		return NULL;
	*off += NLMSG_ALIGN(n) < len - *off ? NLMSG_ALIGN(n) : len - *off;
	return nlh;
}

int nlwalk_control(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;

	int done_err;

	/* A dump that failed after it began (sock_diag without the protocol's
	 * module, say) ends with an NLMSG_DONE carrying the negative errno. */
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(done_err)))
			return 1;
		memcpy(&done_err, NLMSG_DATA(nlh), sizeof(done_err));
		return done_err < 0 ? done_err : 1;
	}
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return 0;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EBADMSG;
	e = NLMSG_DATA(nlh);
	return e->error < 0 ? e->error : -EPROTO;
}
