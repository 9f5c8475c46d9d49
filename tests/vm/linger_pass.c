// SPDX-License-Identifier: GPL-2.0-or-later
/* linger_pass: a client that hands the daemon a descriptor whose close
 * blocks.  It makes a TCP connection on loopback to itself whose reader
 * never reads, fills the writer's buffers, sets SO_LINGER on it (SECS),
 * sends "STATUS" with the writer passed along (SCM_RIGHTS), closes its own
 * copy, so the daemon's is the last, and prints:
 *   PASSED            (the request went out)
 *   REPLY ms=N LINE   (the first line of the answer, after N ms)
 *   NO_REPLY ms=N     (none within 5 s)
 * It then keeps the reader open (the data unsent) until SIGTERM.
 * usage: linger_pass SECS */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sin);
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, req[] = "STATUS", reply[4096], chunk[65536] = { 0 };
	struct iovec iov = { req, sizeof(req) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	const char *path = getenv("ASCONF_CONTROL");
	int small = 4096, l, w, r, c;
	struct linger lg = { .l_onoff = 1 };
	struct pollfd pfd;
	long long t0;
	ssize_t n;

	if (argc != 2 || !path) {
		fputs("usage: ASCONF_CONTROL=PATH linger_pass SECS\n", stderr);
		return 2;
	}
	lg.l_linger = atoi(argv[1]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	l = socket(AF_INET, SOCK_STREAM, 0);
	w = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || w < 0 ||
	    setsockopt(l, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) ||
	    bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(l, (struct sockaddr *)&sin, &len) || listen(l, 1) ||
	    setsockopt(w, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)) ||
	    connect(w, (struct sockaddr *)&sin, sizeof(sin)) || (r = accept(l, NULL, NULL)) < 0) {
		perror("linger_pass: tcp");
		return 1;
	}
	fcntl(w, F_SETFL, O_NONBLOCK);
	while (send(w, chunk, sizeof(chunk), 0) > 0)
		;
	fcntl(w, F_SETFL, 0);
	if (setsockopt(w, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg))) {
		perror("linger_pass: SO_LINGER");
		return 1;
	}
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (c < 0 || connect(c, (struct sockaddr *)&sun, sizeof(sun))) {
		perror("linger_pass: control socket");
		return 1;
	}
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &w, sizeof(int));
	if (sendmsg(c, &mh, 0) < 0) {
		perror("linger_pass: sendmsg");
		return 1;
	}
	close(w);
	printf("PASSED\n");
	t0 = now_ms();
	pfd = (struct pollfd){ .fd = c, .events = POLLIN };
	if (poll(&pfd, 1, 5000) == 1 && (n = recv(c, reply, sizeof(reply) - 1, 0)) > 0) {
		reply[n] = '\0';
		reply[strcspn(reply, "\n")] = '\0';
		printf("REPLY ms=%lld %s\n", now_ms() - t0, reply);
	} else {
		printf("NO_REPLY ms=%lld\n", now_ms() - t0);
	}
	pause();
	return 0;
}
