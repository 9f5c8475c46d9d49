// SPDX-License-Identifier: GPL-2.0-or-later
/* diaglist [--full]: prints the SCTP endpoints sock_diag reports
 * (netlink/sctpdiag), one line each, for the VM tier to compare with
 * /proc/net/sctp/eps:
 *   EP inode=N port=P uid=U state=S family=inet|inet6 local=A[,B...]
 * --full: IPv6 as eight groups of four hex digits, as the kernel's %pI6.
 * Exit status 0, or 1 with the error on stderr. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "../../netlink/sctpdiag.h"

static int print(const struct sctpdiag_ep *ep, void *ctx)
{
	const int *full = ctx;

	printf("EP inode=%lu port=%u uid=%u state=%u family=%s local=",
	       (unsigned long)ep->inode, ep->port, (unsigned)ep->uid, ep->state,
	       ep->family == AF_INET ? "inet" : "inet6");
	for (size_t i = 0; i < ep->nlocal; i++) {
		struct sockaddr_storage ss;
		char a[INET6_ADDRSTRLEN] = "?";

		sctpdiag_local(ep, i, &ss);
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, a, sizeof(a));
		else if (ss.ss_family == AF_INET6 && !*full)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a, sizeof(a));
		else if (ss.ss_family == AF_INET6) {
			const uint8_t *b = ((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr;

			size_t o = 0;

			for (int k = 0; k < 8; k++)
				o += (size_t)snprintf(a + o, sizeof(a) - o, "%s%02x%02x",
						      k ? ":" : "", b[2 * k], b[2 * k + 1]);
		}
		printf("%s%s", i ? "," : "", a);
	}
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	int full = argc > 1 && !strcmp(argv[1], "--full");
	int err = sctpdiag_list(print, &full);

	if (err) {
		fprintf(stderr, "diaglist: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
