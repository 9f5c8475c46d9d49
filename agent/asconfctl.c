// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl: asks a running asconfd what it manages. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctlmsg.h"

static const char usage[] =
"Usage: asconfctl [--control PATH] COMMAND\n"
"Talk to asconfd over its control socket ($" CTLMSG_ENV ", else\n"
CTLMSG_DEFAULT_PATH ").\n"
"\n"
"Commands:\n"
"  status     list the managed sockets with the addresses the kernel has bound\n"
"             to each, whether their peers are told, and per-address problems\n"
"\n"
"  -c, --control PATH   the daemon's control socket\n"
"  -h, --help           show this help and exit\n"
"\n"
"Exit status: 0 on success, 1 when the daemon cannot be reached or refuses,\n"
"2 on a usage error.\n";

static int status(int s)
{
	char buf[CTLMSG_REPLY_MAX + 1];
	ssize_t n;
	int fd, err;

	err = ctlmsg_send(s, "STATUS", -1);
	if (err) {
		fprintf(stderr, "asconfctl: cannot send to asconfd: %s\n", strerror(-err));
		return 1;
	}
	for (;;) {
		n = ctlmsg_recv(s, buf, sizeof(buf), &fd);
		if (fd >= 0)
			close(fd);
		if (n <= 0) {
			fprintf(stderr, "asconfctl: asconfd closed the connection: %s\n",
				n ? strerror((int)-n) : "no reply");
			return 1;
		}
		if (!strcmp(buf, "OK"))
			return 0;
		if (!strncmp(buf, "ERR ", 4)) {
			fprintf(stderr, "asconfctl: asconfd: %s\n", buf + 4);
			return 1;
		}
		fputs(buf, stdout);
		fputc('\n', stdout);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "control", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *path = ctlmsg_path();
	int c, s, ret;

	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs("Try 'asconfctl --help'.\n", stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || strcmp(argv[optind], "status")) {
		fprintf(stderr, "asconfctl: %s\nTry 'asconfctl --help'.\n",
			optind >= argc ? "missing command" :
			optind < argc - 1 ? "too many arguments" : "unknown command");
		return 2;
	}
	s = ctlmsg_connect(path);
	if (s < 0) {
		fprintf(stderr, "asconfctl: cannot reach asconfd at %s: %s\n", path,
			strerror(-s));
		return 1;
	}
	ret = status(s);
	close(s);
	return ret;
}
