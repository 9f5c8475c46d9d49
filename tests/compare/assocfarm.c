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
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "asconf.h"
#include "addrlist.h"

static const char usage[] =
"usage: assocfarm --count N --bind ADDR --port BASE --connect PEER --peer-port Q\n"
"                 [--auto-asconf] [--manage]\n";

/* Every association is up: each socket counts one. */
static int all_up(const int *fd, int n)
{
	for (int tries = 0, i = 0; i < n; tries++) {
		int k = 0;
		socklen_t len = sizeof(k);

		if (!getsockopt(fd[i], IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &k, &len) && k > 0) {
			i++;
			continue;
		}
		if (tries > 6000)
			return -1;
		usleep(10000);
	}
	return 0;
}

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
	struct rlimit rl;
	sigset_t set;

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
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fd = calloc((size_t)n, sizeof(*fd));
	if (!fd)
		return 1;
	for (int i = 0; i < n; i++) {
		if (addrlist_parse(bind_addr, base + i, &a, 1, &fam) != 1) {
			fputs(usage, stderr);
			return 2;
		}
		fd[i] = socket(fam, SOCK_SEQPACKET, IPPROTO_SCTP);
		if (fd[i] < 0 || sctp_bindx(fd[i], (struct sockaddr *)&a, 1, SCTP_BINDX_ADD_ADDR)) {
			perror("assocfarm: socket/bind");
			return 1;
		}
		if (autoa && setsockopt(fd[i], IPPROTO_SCTP, SCTP_AUTO_ASCONF, &autoa, sizeof(autoa))) {
			perror("assocfarm: SCTP_AUTO_ASCONF");
			return 1;
		}
		if (sctp_connectx(fd[i], (struct sockaddr *)&p, 1, NULL)) {
			perror("assocfarm: connect");
			return 1;
		}
	}
	if (all_up(fd, n)) {
		fprintf(stderr, "assocfarm: not every association came up\n");
		return 1;
	}
	printf("CONNECTED n=%d\n", n);
	for (int i = 0; manage && i < n; i++)
		if (asconf_manage(fd[i], NULL)) {
			printf("MANAGE_FAILED i=%d %s\n", i, asconf_strerror());
			return 1;
		}
	printf("READY n=%d\n", n);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &c);
	free(fd);
	return 0;
}
