// SPDX-License-Identifier: GPL-2.0-or-later
/* ctl_flood: one user opens many control connections to asconfd and never
 * sends a request, as the flood of issue 20 did.  Prints:
 *   CONNECTED total=N refused=R open=O failed=F
 *                      (half a second after the last connect: R answered
 *                       with an ERR and closed, O still open, F whose
 *                       connect failed)
 *   REFUSED_REASON text  (the first refusal's ERR line, if any)
 *   DROPPED d of O after_ms=MS   (the open ones the daemon closed within
 *                       --hold seconds, MS after CONNECTED for the last)
 *   DROP_REASON text   (the first ERR a dropped one was sent, if any)
 * Usage: ctl_flood [--as UID:GID] [-n N] [--hold SECS] [--request TEXT];
 * the control socket is $ASCONF_CONTROL.  --request: each connection sends
 * TEXT (e.g. "STATUS JSON") right after connecting and never reads its
 * reply (its first message, an ERR refusal, is still reported). */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_one(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (s >= 0 && connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
		close(s);
		return -1;
	}
	return s;
}

/* What the daemon said on s, if anything: 1 a message (in buf), 0 closed
 * without one, -1 nothing yet. */
static int heard(int s, char *buf, size_t len)
{
	ssize_t n = recv(s, buf, len - 1, MSG_DONTWAIT);

	/* A reset is reported before what was sent ahead of it. */
	if (n < 0 && errno == ECONNRESET)
		n = recv(s, buf, len - 1, MSG_DONTWAIT);
	if (n > 0) {
		buf[n] = '\0';
		return 1;
	}
	return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "hold", required_argument, NULL, 'h' },
		{ "request", required_argument, NULL, 'r' },
		{ 0 }
	};
	const char *path = getenv("ASCONF_CONTROL"), *req = NULL;
	int n = 100, hold = 0, c, refused = 0, open = 0, failed = 0, dropped = 0;
	char buf[1024], reason[1024] = "", dreason[1024] = "";
	unsigned int uid, gid;
	long t0, last = 0;
	struct pollfd *p;
	int *s;

	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (sscanf(optarg, "%u:%u", &uid, &gid) != 2 || setgroups(0, NULL) ||
			    setgid(gid) || setuid(uid)) {
				perror("ctl_flood: --as");
				return 1;
			}
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'h':
			hold = atoi(optarg);
			break;
		case 'r':
			req = optarg;
			break;
		default:
			return 2;
		}
	}
	if (!path || n <= 0 || !(s = calloc((size_t)n, sizeof(*s))) ||
	    !(p = calloc((size_t)n, sizeof(*p)))) {
		fprintf(stderr, "ctl_flood: want ASCONF_CONTROL and -n N > 0\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		if ((s[i] = connect_one(path)) < 0)
			failed++;
		else if (req)
			send(s[i], req, strlen(req), MSG_NOSIGNAL);
	usleep(500 * 1000);
	for (int i = 0; i < n; i++) {
		if (s[i] < 0)
			continue;
		switch (req ? -1 : heard(s[i], buf, sizeof(buf))) {
		case 1:
			if (!*reason)
				snprintf(reason, sizeof(reason), "%s", buf);
			/* fall through */
		case 0:
			refused++;
			close(s[i]);
			s[i] = -1;
			break;
		default:
			open++;
		}
	}
	printf("CONNECTED total=%d refused=%d open=%d failed=%d\n", n, refused, open, failed);
	if (*reason)
		printf("REFUSED_REASON %s\n", reason);
	fflush(stdout);
	t0 = now_ms();
	while (dropped < open && now_ms() - t0 < hold * 1000L) {
		int np = 0;

		for (int i = 0; i < n; i++)
			if (s[i] >= 0)
				p[np++] = (struct pollfd){ .fd = s[i], .events = POLLIN };
		if (poll(p, (nfds_t)np, 100) <= 0)
			continue;
		for (int i = 0; i < np; i++) {
			int r;

			if (!p[i].revents || (r = heard(p[i].fd, buf, sizeof(buf))) < 0)
				continue;
			if (r > 0 && !*dreason)
				snprintf(dreason, sizeof(dreason), "%s", buf);
			for (int j = 0; j < n; j++)
				if (s[j] == p[i].fd)
					s[j] = -1;
			close(p[i].fd);
			dropped++;
			last = now_ms() - t0;
		}
	}
	printf("DROPPED %d of %d after_ms=%ld\n", dropped, open, last);
	if (*dreason)
		printf("DROP_REASON %s\n", dreason);
	return 0;
}
