// SPDX-License-Identifier: GPL-2.0-or-later
/* laddrs: the vm-old tier's probe (tests/oldkernel/scenario.sh).  Opens a
 * one-to-many IPv4 SCTP socket bound to ADDR:PORT, listening, says what the
 * running kernel's SCTP offers, optionally hands the socket to asconfd
 * (libasconf), then prints the socket's own bound addresses as
 * sctp_getladdrs() returns them whenever they change (every 20 ms):
 *   KERNEL auto_asconf=yes|no (errno)    (setsockopt SCTP_AUTO_ASCONF, 3.1+)
 *   MANAGED | MANAGE_FAILED err=-E reason
 *   LADDRS a b c                          (sorted; on start and on change)
 * Runs until SIGTERM/SIGINT. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>

#include "asconf.h"

/* The option number is the uapi's; old lksctp-tools headers lack the name. */
#ifndef SCTP_AUTO_ASCONF
#define SCTP_AUTO_ASCONF 30
#endif

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "LADDRS a b c" for fd's bound addresses (sorted), or "LADDRS_ERROR ...". */
static void describe(int fd, char *line, size_t len)
{
	struct sockaddr *addrs = NULL;
	char buf[64][INET6_ADDRSTRLEN], *sorted[64];
	char *p;
	size_t off;
	int n, i;

	n = sctp_getladdrs(fd, 0, &addrs);
	if (n < 0) {
		snprintf(line, len, "LADDRS_ERROR %s", strerror(errno));
		return;
	}
	p = (char *)addrs;
	for (i = 0; i < n && i < 64; i++) {
		struct sockaddr *sa = (struct sockaddr *)p;

		if (sa->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)p)->sin_addr, buf[i], sizeof(buf[i]));
			p += sizeof(struct sockaddr_in);
		} else {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)p)->sin6_addr, buf[i], sizeof(buf[i]));
			p += sizeof(struct sockaddr_in6);
		}
		sorted[i] = buf[i];
	}
	if (n > 0)
		sctp_freeladdrs(addrs);
	qsort(sorted, (size_t)i, sizeof(sorted[0]), cmp_str);
	off = (size_t)snprintf(line, len, "LADDRS");
	for (n = 0; n < i && off < len; n++)
		off += (size_t)snprintf(line + off, len - off, " %s", sorted[n]);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	char line[2048], last[2048] = "";
	int fd, on = 1, manage = 0;

	if (argc == 4 && !strcmp(argv[3], "--manage"))
		manage = 1;
	else if (argc != 3) {
		fprintf(stderr, "usage: laddrs ADDR PORT [--manage]\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "laddrs: not an IPv4 address: %s\n", argv[1]);
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0) {
		perror("laddrs: socket");
		return 1;
	}
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &on, sizeof(on)) == 0) {
		printf("KERNEL auto_asconf=yes\n");
		on = 0;
		setsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &on, sizeof(on));
	} else {
		printf("KERNEL auto_asconf=no (%s)\n", strerror(errno));
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 16) < 0) {
		perror("laddrs: bind/listen");
		return 1;
	}
	if (manage) {
		int err = asconf_manage(fd, NULL);

		if (err)
			printf("MANAGE_FAILED err=%d %s\n", err, asconf_strerror());
		else
			printf("MANAGED\n");
	}
	while (!stop) {
		describe(fd, line, sizeof(line));
		if (strcmp(line, last)) {
			printf("%s\n", line);
			memcpy(last, line, sizeof(last));
		}
		nanosleep(&tick, NULL);
	}
	if (manage)
		asconf_release(fd);
	close(fd);
	return 0;
}
