// SPDX-License-Identifier: GPL-2.0-or-later
/* notify_listen PATH: stands in for the service manager's notification
 * socket.  Binds an AF_UNIX datagram socket at PATH ('@' first: abstract
 * namespace) and prints every line of every datagram as it arrives:
 *   LISTENING
 *   MSG <line>
 * Runs until killed. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096];
	socklen_t len;
	ssize_t n;
	int s;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: notify_listen PATH|@NAME\n");
		return 2;
	}
	memcpy(sun.sun_path, argv[1], strlen(argv[1]));
	if (argv[1][0] == '@')
		sun.sun_path[0] = '\0';
	else
		unlink(argv[1]);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(argv[1]));
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sun, len)) {
		perror("notify_listen");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("LISTENING");
	while ((n = recv(s, buf, sizeof(buf) - 1, 0)) >= 0) {
		buf[n] = '\0';
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			printf("MSG %s\n", line);
	}
	perror("notify_listen: recv");
	return 1;
}
