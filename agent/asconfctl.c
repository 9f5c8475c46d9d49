// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl: asks a running asconfd what it manages. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "ctlmsg.h"

static const char usage[] =
"Usage: asconfctl [--control PATH] COMMAND [ARG]\n"
"Talk to asconfd over its control socket ($" CTLMSG_ENV ", else\n"
CTLMSG_DEFAULT_PATH ").\n"
"\n"
"Commands:\n"
"  status          the managed sockets with the addresses the kernel has bound\n"
"                  to each, whether their peers are told, each association and\n"
"                  per-address problems, for people\n"
"  status --json   the same and more (counters, links, peer paths and their\n"
"                  state) as one JSON document, for machines (layout: see\n"
"                  asconfctl(8))\n"
"  check           one line for a monitoring plugin; exit 0 OK, 1 WARNING (a\n"
"                  socket has an address whose bindx failed, or a peer that is\n"
"                  not told of address changes), 2 CRITICAL (asconfd cannot be\n"
"                  reached), 3 UNKNOWN (asconfd's answer is not understood)\n"
"  metrics         counters and per-socket gauges in the Prometheus text\n"
"                  format, e.g. for node_exporter's textfile collector\n"
"\n"
"  -c, --control PATH   the daemon's control socket\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status (but see check): 0 on success, 1 when the daemon cannot be\n"
"reached or refuses, 2 on a usage error.\n";

/* Plugin exit codes. */
enum { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

/* Sends req and copies the reply's lines to out until "OK".  0, or 1 with
 * the reason on stderr (or in why, for check). */
static int request(int s, const char *req, FILE *out, char *why, size_t len)
{
	char buf[CTLMSG_REPLY_MAX + 1];
	ssize_t n;
	int fd, err;

	err = ctlmsg_send(s, req, -1);
	if (err) {
		snprintf(why, len, "cannot send to asconfd: %s", strerror(-err));
		return 1;
	}
	for (;;) {
		n = ctlmsg_recv(s, buf, sizeof(buf), &fd);
		if (fd >= 0)
			close(fd);
		if (n <= 0) {
			snprintf(why, len, "asconfd closed the connection: %s",
				 n ? strerror((int)-n) : "no reply");
			return 1;
		}
		if (!strcmp(buf, "OK"))
			return 0;
		if (!strncmp(buf, "ERR ", 4)) {
			snprintf(why, len, "asconfd: %.1000s", buf + 4);
			return 1;
		}
		fputs(buf, out);
		fputc('\n', out);
	}
}

/* The daemon says OK or WARNING; anything else is UNKNOWN. */
static int check(const char *path)
{
	char why[CTLMSG_REPLY_MAX], *line = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&line, &size);
	int s, ret;

	s = ctlmsg_connect(path);
	if (s < 0) {
		printf("ASCONFD CRITICAL - cannot reach asconfd at %s: %s\n", path, strerror(-s));
		if (mem)
			fclose(mem);
		free(line);
		return CHECK_CRITICAL;
	}
	if (!mem) {
		close(s);
		printf("ASCONFD UNKNOWN - out of memory\n");
		return CHECK_UNKNOWN;
	}
	ret = request(s, "STATUS CHECK", mem, why, sizeof(why));
	close(s);
	fclose(mem);
	if (ret) {
		/* A daemon that accepted but then failed is not serving. */
		printf("ASCONFD %s - %s\n", strstr(why, "closed") ? "CRITICAL" : "UNKNOWN", why);
		ret = strstr(why, "closed") ? CHECK_CRITICAL : CHECK_UNKNOWN;
	} else if (!strncmp(line, "ASCONFD OK ", 11)) {
		fputs(line, stdout);
		ret = CHECK_OK;
	} else if (!strncmp(line, "ASCONFD WARNING ", 16)) {
		fputs(line, stdout);
		ret = CHECK_WARNING;
	} else {
		printf("ASCONFD UNKNOWN - unexpected answer: %.200s\n", line);
		ret = CHECK_UNKNOWN;
	}
	free(line);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "control", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *path = ctlmsg_path(), *cmd, *req = NULL;
	char why[CTLMSG_REPLY_MAX];
	int c, s, ret, nargs;

	while ((c = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			puts("asconfctl " ASCONF_VERSION);
			return 0;
		default:
			fputs("Try 'asconfctl --help'.\n", stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs("asconfctl: missing command\nTry 'asconfctl --help'.\n", stderr);
		return 2;
	}
	cmd = argv[optind];
	nargs = argc - optind - 1;
	if (!strcmp(cmd, "status") && nargs == 0)
		req = "STATUS";
	else if (!strcmp(cmd, "status") && nargs == 1 && !strcmp(argv[optind + 1], "--json"))
		req = "STATUS JSON";
	else if (!strcmp(cmd, "metrics") && nargs == 0)
		req = "STATUS METRICS";
	else if (!strcmp(cmd, "check") && nargs == 0)
		return check(path);
	if (!req) {
		int known = !strcmp(cmd, "status") || !strcmp(cmd, "metrics") ||
			    !strcmp(cmd, "check");

		fprintf(stderr, "asconfctl: %s '%s'\nTry 'asconfctl --help'.\n",
			!known ? "unknown command" :
			nargs ? "unexpected argument" : "missing argument",
			!known ? cmd : argv[optind + 1]);
		return 2;
	}
	s = ctlmsg_connect(path);
	if (s < 0) {
		fprintf(stderr, "asconfctl: cannot reach asconfd at %s: %s\n", path,
			strerror(-s));
		return 1;
	}
	ret = request(s, req, stdout, why, sizeof(why));
	close(s);
	if (ret)
		fprintf(stderr, "asconfctl: %s\n", why);
	return ret;
}
