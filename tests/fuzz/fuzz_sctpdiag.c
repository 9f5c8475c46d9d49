// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: any bytes as a sock_diag reply datagram for SCTP
 * endpoints, through the path a real dump takes; every reported address is
 * read back.  The input is copied to an exact-size buffer so ASan sees any
 * over-read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/log.h"
#include "../../netlink/sctpdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(const struct sctpdiag_ep *ep, void *ctx)
{
	struct sockaddr_storage ss;
	unsigned long *sum = ctx;

	if (ep->family != AF_INET && ep->family != AF_INET6)
		abort();
	for (size_t i = 0; i < ep->nlocal; i++) {
		if (sctpdiag_local(ep, i, &ss))
			abort();
		*sum += ss.ss_family;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long bad = 0, sum = 0;
	void *buf;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	/* Sequence 1, as the first request of a dump uses. */
	sctpdiag_datagram(buf, size, 1, touch, &sum, &bad);
	free(buf);
	return 0;
}
