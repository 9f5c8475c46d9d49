// SPDX-License-Identifier: GPL-2.0-or-later
/* sctp_forker: a program that never heard of asconfd (no libasconf, no
 * libsctp), run under asconf-run to test the shim's process handling.
 *   sctp_forker BIND PORT PEER PEER_PORT
 * The parent binds a one-to-one SCTP socket to BIND:PORT and connects it to
 * PEER:PEER_PORT, then closes every descriptor from 3 up but its socket, as
 * a daemonizing program does ("CLOSED_ALL"), then forks.  The child closes
 * its copy of the parent's socket, binds BIND:PORT+1 and connects to the same peer ("CHILD_UP pid=N"); both then
 * wait for a signal.  Lines on stdout:
 *   PARENT_UP pid=N | CLOSED_ALL closed=N | CHILD_UP pid=N | FAILED what: error
 * where closed= counts the closes that did not fail with EBADF. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

static int up(const char *bind_addr, int port, const char *peer, int peer_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in p = { .sin_family = AF_INET, .sin_port = htons((uint16_t)peer_port) };
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (fd < 0 || inet_pton(AF_INET, bind_addr, &a.sin_addr) != 1 ||
	    inet_pton(AF_INET, peer, &p.sin_addr) != 1) {
		printf("FAILED socket: %s\n", strerror(errno));
		exit(1);
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		printf("FAILED bind: %s\n", strerror(errno));
		exit(1);
	}
	if (connect(fd, (struct sockaddr *)&p, sizeof(p))) {
		printf("FAILED connect: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	int fd, port, peer_port, bad = 0;
	pid_t child;

	if (argc != 5) {
		fprintf(stderr, "usage: sctp_forker BIND PORT PEER PEER_PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	port = atoi(argv[2]);
	peer_port = atoi(argv[4]);
	fd = up(argv[1], port, argv[3], peer_port);
	printf("PARENT_UP pid=%d\n", (int)getpid());
	/* Started with only stdin, stdout and stderr, the program has nothing
	 * else open: asconf-run's connection must not show. */
	for (int i = 3; i < 1024; i++) {
		if (i == fd)
			continue;
		errno = 0;
		if (close(i) == 0 || errno != EBADF)
			bad++;
	}
	printf("CLOSED_ALL closed=%d\n", bad);
	child = fork();
	if (child < 0) {
		printf("FAILED fork: %s\n", strerror(errno));
		return 1;
	}
	if (child == 0) {
		/* The parent's socket is the parent's business. */
		close(fd);
		up(argv[1], port + 1, argv[3], peer_port);
		printf("CHILD_UP pid=%d\n", (int)getpid());
	}
	for (;;)
		pause();
}
