// SPDX-License-Identifier: GPL-2.0-or-later
/* sockfarm: many managed sockets, for the per-socket overhead benchmark.
 * Creates N one-to-many SCTP sockets bound to ADDR, ports BASE..BASE+N-1,
 * listening.  Then, in this order:
 *   --bare X    times a plain loop of sctp_bindx ADD X on every socket, then
 *               REM X (X must be on the host): the floor asconfd is held to;
 *               prints "BARE add_us=T rem_us=T n=N"
 *   --manage    hands every socket to asconfd, prints "MANAGED n=N", and
 *               waits for SIGTERM.
 * --auto-asconf (with --bind 0.0.0.0): the kernel's own auto_asconf on
 * every socket instead, for the side-by-side with asconfd.
 *   --wait      (without --manage) prints "WAITING n=N" and waits for
 *               SIGTERM: sockets asconfd never heard of, for adoption. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

#include "farm.h"

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long bindx_all(const int *fd, int n, const char *addr, int base, int flags)
{
	struct sockaddr_storage a;
	long long t0;
	int fam = AF_INET;

	t0 = now_us();
	for (int i = 0; i < n; i++) {
		addrlist_parse(addr, base + i, &a, 1, &fam);
		if (sctp_bindx(fd[i], (struct sockaddr *)&a, 1, flags)) {
			perror("sockfarm: sctp_bindx");
			exit(1);
		}
	}
	return now_us() - t0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "bare", required_argument, NULL, 'x' },
		{ "manage", no_argument, NULL, 'm' },
		{ "connect", required_argument, NULL, 'c' },
		{ "peer-port", required_argument, NULL, 'q' },
		{ "auto-asconf", no_argument, NULL, 'a' },
		{ "wait", no_argument, NULL, 'w' },
		{ 0 }
	};
	const char *bind_addr = NULL, *bare = NULL, *peer = NULL;
	int n = 1000, base = 20000, manage = 0, wait = 0, c, *fd, peer_port = 0, aa = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': n = atoi(optarg); break;
		case 'b': bind_addr = optarg; break;
		case 'p': base = atoi(optarg); break;
		case 'x': bare = optarg; break;
		case 'm': manage = 1; break;
		case 'w': wait = 1; break;
		case 'c': peer = optarg; break;
		case 'q': peer_port = atoi(optarg); break;
		case 'a': aa = 1; break;
		default:
			fprintf(stderr, "usage: sockfarm --bind A [--count N] [--port BASE] [--connect P --peer-port Q]\n"
					"                [--auto-asconf] [--bare X] [--manage|--wait]\n");
			return 2;
		}
	}
	if (!bind_addr || n <= 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	farm_raise_nofile(n);
	fd = calloc((size_t)n, sizeof(*fd));
	if (!fd)
		return 1;
	for (int i = 0; i < n; i++) {
		fd[i] = farm_socket("sockfarm", bind_addr, base + i, aa);
		if (fd[i] < 0)
			return 1;
		if (listen(fd[i], 4)) {
			perror("sockfarm: listen");
			return 1;
		}
	}
	printf("CREATED n=%d\n", n);
	/* With --connect every socket gets an association, so each bindx also
	 * sends an ASCONF: the realistic floor. */
	if (peer) {
		struct sockaddr_storage p;
		int pf;

		addrlist_parse(peer, peer_port, &p, 1, &pf);
		for (int i = 0; i < n; i++)
			if (sctp_connectx(fd[i], (struct sockaddr *)&p, 1, NULL)) {
				perror("sockfarm: connect");
				return 1;
			}
		/* After 20 s it goes on with what is up, as it always did. */
		farm_wait_up(fd, n, 2000);
		printf("CONNECTED n=%d\n", n);
	}
	if (bare) {
		long long add = bindx_all(fd, n, bare, base, SCTP_BINDX_ADD_ADDR);
		long long rem = bindx_all(fd, n, bare, base, SCTP_BINDX_REM_ADDR);
		long long t0 = now_us();
		struct sockaddr *addrs;

		/* What one read-back costs, for reading the figures. */
		for (int i = 0; i < n; i++)
			if (sctp_getladdrs(fd[i], 0, &addrs) > 0)
				sctp_freeladdrs(addrs);
		printf("BARE add_us=%lld rem_us=%lld getladdrs_us=%lld n=%d\n", add, rem,
		       now_us() - t0, n);
	}
	if (manage) {
		if (farm_manage_all(fd, n))
			return 1;
		printf("MANAGED n=%d\n", n);
	} else if (wait) {
		printf("WAITING n=%d\n", n);
	}
	if (manage || wait)
		farm_wait_signal();
	free(fd);
	return 0;
}
