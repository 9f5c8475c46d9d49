// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: any bytes as an rtnetlink datagram, through the same
 * path kernel events take (parse, then apply to the address table).  The
 * input is copied to an exact-size buffer so ASan sees any over-read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../common/log.h"
#include "../../netlink/nlapply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct nlapply a = { .lim.interval = 3600 };
	void *buf;

	if (!quiet++)
		log_open("fuzz", false, LOG_ERR);
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	a.tab = addrtab_new(NULL, NULL);
	if (a.tab) {
		nlapply_datagram(&a, buf, size);
		/* The table holds only what parsed as a real address. */
		for (size_t i = 0; i < addrtab_naddrs(a.tab); i++) {
			const struct host_addr *x = addrtab_addr(a.tab, i);

			if ((x->family != AF_INET && x->family != AF_INET6) || x->ifindex <= 0 ||
			    x->prefixlen > (x->family == AF_INET ? 32 : 128))
				abort();
		}
		addrtab_free(a.tab);
	}
	free(buf);
	return 0;
}
