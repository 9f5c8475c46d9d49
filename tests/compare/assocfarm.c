// SPDX-License-Identifier: GPL-2.0-or-later
/* assocfarm: N one-to-many SCTP sockets, each with one association to the
 * same peer, for `make compare`'s "time to the last peer told" rows.
 *   --bind ADDR       bind each socket to ADDR, port BASE+i (0.0.0.0: the
 *                     wildcard)
 *   --auto-asconf     set SCTP_AUTO_ASCONF (the kernel's own mechanism;
 *                     wildcard only)
 *   --manage          hand every socket to asconfd (libasconf)
 * Prints "CONNECTED n=N" once every association is up, then "READY n=N",
 * and waits for SIGTERM. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

#include "farm.h"

static const char usage[] =
"usage: assocfarm --count N --bind ADDR --port BASE --connect PEER --peer-port Q\n"
"                 [--auto-asconf] [--manage]\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "connect", required_argument, NULL, 'c' },
		{ "peer-port", required_argument, NULL, 'q' },
		{ "auto-asconf", no_argument, NULL, 'a' },
		{ "manage", no_argument, NULL, 'm' },
		{ 0 }
	};
	const char *bind_addr = NULL, *peer = NULL;
	int n = 0, base = 0, peer_port = 0, autoa = 0, manage = 0, c, fam, pf, *fd;
	struct sockaddr_storage a, p;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': n = atoi(optarg); break;
		case 'b': bind_addr = optarg; break;
		case 'p': base = atoi(optarg); break;
		case 'c': peer = optarg; break;
		case 'q': peer_port = atoi(optarg); break;
		case 'a': autoa = 1; break;
		case 'm': manage = 1; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (n <= 0 || !bind_addr || !peer || base <= 0 || peer_port <= 0 ||
	    addrlist_parse(peer, peer_port, &p, 1, &pf) != 1) {
		fputs(usage, stderr);
		return 2;
	}
	if (addrlist_parse(bind_addr, base, &a, 1, &fam) != 1) {
		fputs(usage, stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	farm_raise_nofile(n);
	fd = calloc((size_t)n, sizeof(*fd));
	if (!fd)
		return 1;
	for (int i = 0; i < n; i++) {
		fd[i] = farm_socket("assocfarm", bind_addr, base + i, autoa);
		if (fd[i] < 0)
			return 1;
		if (sctp_connectx(fd[i], (struct sockaddr *)&p, 1, NULL)) {
			perror("assocfarm: connect");
			return 1;
		}
	}
	if (farm_wait_up(fd, n, 6000)) {
		fprintf(stderr, "assocfarm: not every association came up\n");
		return 1;
	}
	printf("CONNECTED n=%d\n", n);
	if (manage && farm_manage_all(fd, n))
		return 1;
	printf("READY n=%d\n", n);
	farm_wait_signal();
	free(fd);
	return 0;
}
