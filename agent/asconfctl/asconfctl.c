// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl: asks a running asconfd what it manages, and has it manage or
 * release a socket of a running program. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../daemon/agent.h"
#include "../proto/ctlmsg.h"

static const char usage[] =
"Usage: asconfctl [OPTION]... COMMAND [ARG]...\n"
"       asconfctl help [COMMAND]\n"
"Talk to asconfd over its control socket ($" CTLMSG_ENV ", else\n"
CTLMSG_DEFAULT_PATH ").\n"
"\n"
"Commands:\n"
"  status          the managed sockets with the addresses the kernel has bound\n"
"                  to each, whether their peers are told, each association,\n"
"                  per-address problems, and each association's peer paths\n"
"                  with their state and the primary, for people\n"
"  status -j, status --json\n"
"                  the same and more (counters, links, path timings) as one\n"
"                  JSON document, for machines (layout: status-json.md, see\n"
"                  asconfctl(8))\n"
"  check           one line for a monitoring plugin; exit 0 OK, 1 WARNING (a\n"
"                  socket has an address whose bindx failed, or a peer that is\n"
"                  not told of address changes), 2 CRITICAL (asconfd cannot be\n"
"                  reached or is out of file descriptors), 3 UNKNOWN (its\n"
"                  answer is not understood)\n"
"  metrics         counters and per-socket gauges in the Prometheus text\n"
"                  format, e.g. for node_exporter's textfile collector\n"
"  manage [--policy NAME] PID FD\n"
"                  manage descriptor FD of running process PID, a program that\n"
"                  does not use libasconf (the daemon takes a copy with\n"
"                  pidfd_getfd: it needs CAP_SYS_PTRACE over PID); the socket\n"
"                  is released when PID exits.  Only root, or a user whose\n"
"                  uids are all PID's (real, effective, saved, fs) while PID\n"
"                  is dumpable, may ask\n"
"  release PID FD  stop managing descriptor FD of process PID\n"
"  reload          make asconfd re-read its configuration file (as SIGHUP\n"
"                  does); on an error in the file, print it (FILE:LINE:\n"
"                  reason) and exit 1: the daemon keeps its configuration\n"
"  help [COMMAND]  this help, or COMMAND's (as COMMAND --help)\n"
"\n"
"  -c, --control PATH   the daemon's control socket\n"
"  -j, --json           status as JSON (as status --json)\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status (but see check): 0 on success, 1 when the daemon cannot be\n"
"reached or refuses, 2 on a usage error.\n";

/* Each command's synopsis; its description is its paragraph of usage. */
static const struct {
	const char *name, *synopsis;
} commands[] = {
	{ "status", "status [-j|--json]" },
	{ "check", "check" },
	{ "metrics", "metrics" },
	{ "manage", "manage [--policy NAME] PID FD" },
	{ "release", "release PID FD" },
	{ "reload", "reload" },
	{ "help", "help [COMMAND]" },
};

/* asconfctl help COMMAND, asconfctl COMMAND --help: the synopsis, then
 * the lines of usage that describe COMMAND (those that start with its
 * name, and the indented lines that follow them). */
static int command_help(const char *cmd)
{
	const char *line = usage, *next;
	size_t len = strlen(cmd);
	bool in = false;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, cmd))
			continue;
		printf("Usage: asconfctl [--control PATH] %s\n", commands[i].synopsis);
		for (; *line; line = next) {
			next = strchr(line, '\n');
			next = next ? next + 1 : line + strlen(line);
			if (!strncmp(line, "  ", 2) && line[2] != ' ' && line[2] != '-')
				in = !strncmp(line + 2, cmd, len) &&
				     (line[2 + len] == ' ' || line[2 + len] == '\n');
			else if (strncmp(line, "    ", 4))
				in = false;
			if (in)
				fwrite(line, 1, (size_t)(next - line), stdout);
		}
		fputs("\nSee asconfctl --help for the options, asconfctl(8) for more.\n", stdout);
		return 0;
	}
	fprintf(stderr, "asconfctl: unknown command '%s'\nTry 'asconfctl help'.\n", cmd);
	return 2;
}

/* A positive int, or -1. */
static long number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || !*s || *end || v < 0 || v > 0x7fffffff ? -1 : v;
}

/* manage|release PID FD: one request, one reply. */
static int by_pid(const char *path, const char *cmd, const char *policy, char **args, int nargs)
{
	char req[CTLMSG_MAX], buf[CTLMSG_REPLY_MAX + 1];
	long pid, fd;
	ssize_t n;
	int s, err, rfd;

	if (nargs != 2) {
		fprintf(stderr, "asconfctl: %s wants PID FD\nTry 'asconfctl --help'.\n", cmd);
		return 2;
	}
	pid = number(args[0]);
	fd = number(args[1]);
	if (pid <= 0 || fd < 0) {
		fprintf(stderr, "asconfctl: bad %s '%s' (want a number)\n", pid <= 0 ? "PID" : "FD",
			pid <= 0 ? args[0] : args[1]);
		return 2;
	}
	if (policy && (!*policy || strlen(policy) > 200 || strpbrk(policy, " \t\r\n"))) {
		fprintf(stderr, "asconfctl: bad policy name '%.200s' (one word)\n", policy);
		return 2;
	}
	snprintf(req, sizeof(req), "%s %ld %ld%s%s", strcmp(cmd, "manage") ? "RELEASE-PID"
		 : "MANAGE-PID", pid, fd, policy ? " " : "", policy ? policy : "");
	s = ctlmsg_connect(path);
	if (s < 0) {
		fprintf(stderr, "asconfctl: cannot reach asconfd at %s: %s\n", path, strerror(-s));
		return 1;
	}
	err = ctlmsg_send(s, req, -1);
	n = err ? err : ctlmsg_recv(s, buf, sizeof(buf), &rfd);
	close(s);
	if (!err && rfd >= 0)
		close(rfd);
	if (n <= 0) {
		fprintf(stderr, "asconfctl: no answer from asconfd: %s\n",
			n ? strerror((int)-n) : "connection closed");
		return 1;
	}
	if (!strncmp(buf, "ERR ", 4)) {
		char *why = strchr(buf + 4, ' ');

		fprintf(stderr, "asconfctl: %s\n", why ? why + 1 : buf + 4);
		return 1;
	}
	if (strncmp(buf, "OK", 2)) {
		fprintf(stderr, "asconfctl: unexpected answer from asconfd: %.200s\n", buf);
		return 1;
	}
	if (!strcmp(cmd, "manage"))
		printf("socket%s managed: pid %ld fd %ld\n", buf + 2, pid, fd);
	else
		printf("released: pid %ld fd %ld\n", pid, fd);
	return 0;
}

/* Plugin exit codes. */
enum { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

/* Sends req and copies the reply's lines to out until "OK".  0, or with
 * the reason in why: REQ_LOST (no answer), REQ_REFUSED (an ERR, whose
 * errno goes to *code and its text to why). */
enum { REQ_LOST = 1, REQ_REFUSED };

static int refused(const char *reply, int *code, char *why, size_t len)
{
	char *end;

	*code = (int)strtol(reply, &end, 10);
	snprintf(why, len, "%.1000s", end + (*end == ' '));
	return REQ_REFUSED;
}

static int request(int s, const char *req, FILE *out, int *code, char *why, size_t len)
{
	char buf[CTLMSG_REPLY_MAX + 1];
	ssize_t n;
	int fd, err;

	err = ctlmsg_send(s, req, -1);
	/* Refused (out of descriptors), the daemon said why, then closed. */
	if (err == -EPIPE || err == -ECONNRESET) {
		n = ctlmsg_recv(s, buf, sizeof(buf), &fd);
		if (fd >= 0)
			close(fd);
		if (n > 0 && !strncmp(buf, "ERR ", 4))
			return refused(buf + 4, code, why, len);
	}
	if (err) {
		snprintf(why, len, "cannot send to asconfd: %s", strerror(-err));
		return REQ_LOST;
	}
	for (;;) {
		n = ctlmsg_recv(s, buf, sizeof(buf), &fd);
		/* The reset is reported before what the daemon sent ahead of
		 * it (a refusal): read on once. */
		if (n == -ECONNRESET)
			n = ctlmsg_recv(s, buf, sizeof(buf), &fd);
		if (fd >= 0)
			close(fd);
		if (n <= 0) {
			snprintf(why, len, "asconfd closed the connection: %s",
				 n ? strerror((int)-n) : "no reply");
			return REQ_LOST;
		}
		if (!strcmp(buf, "OK"))
			return 0;
		if (!strncmp(buf, "ERR ", 4))
			return refused(buf + 4, code, why, len);
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
	int s, ret, code = 0;

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
	ret = request(s, "STATUS CHECK", mem, &code, why, sizeof(why));
	close(s);
	fclose(mem);
	if (ret) {
		/* Gone mid-way, or out of descriptors: not serving clients.
		 * Another refusal (an old daemon without STATUS CHECK): unknown. */
		bool down = ret == REQ_LOST || code == EMFILE || code == ENFILE;

		printf("ASCONFD %s - %s\n", down ? "CRITICAL" : "UNKNOWN", why);
		ret = down ? CHECK_CRITICAL : CHECK_UNKNOWN;
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
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *path = ctlmsg_path(), *cmd, *req = NULL;
	char why[CTLMSG_REPLY_MAX];
	int c, s, ret, nargs, code = 0;
	bool json = false;

	/* getopt names the program by argv[0]: the name, not its path. */
	argv[0] = (char *)"asconfctl";
	while ((c = getopt_long(argc, argv, "+c:jhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'j':
			json = true;
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
	if (!strcmp(cmd, "help") && nargs <= 1) {
		if (!nargs) {
			fputs(usage, stdout);
			return 0;
		}
		return command_help(argv[optind + 1]);
	}
	if (nargs == 1 && (!strcmp(argv[optind + 1], "--help") || !strcmp(argv[optind + 1], "-h")))
		return command_help(cmd);
	if (json && strcmp(cmd, "status")) {
		fprintf(stderr, "asconfctl: --json is for status only\nTry 'asconfctl --help'.\n");
		return 2;
	}
	if (!strcmp(cmd, "status") && nargs == 0)
		req = json ? "STATUS JSON" : "STATUS";
	else if (!strcmp(cmd, "status") && nargs == 1 &&
		 (!strcmp(argv[optind + 1], "--json") || !strcmp(argv[optind + 1], "-j")))
		req = "STATUS JSON";
	else if (!strcmp(cmd, "metrics") && nargs == 0)
		req = "STATUS METRICS";
	else if (!strcmp(cmd, "check") && nargs == 0)
		return check(path);
	else if (!strcmp(cmd, "manage") && nargs >= 2 && !strcmp(argv[optind + 1], "--policy"))
		return by_pid(path, cmd, argv[optind + 2], argv + optind + 3, nargs - 2);
	else if (!strcmp(cmd, "manage") && nargs >= 1 && !strncmp(argv[optind + 1], "--policy=", 9))
		return by_pid(path, cmd, argv[optind + 1] + 9, argv + optind + 2, nargs - 1);
	else if (!strcmp(cmd, "manage") || !strcmp(cmd, "release"))
		return by_pid(path, cmd, NULL, argv + optind + 1, nargs);
	else if (!strcmp(cmd, "reload") && nargs == 0)
		req = "RELOAD";
	if (!req) {
		int known = !strcmp(cmd, "status") || !strcmp(cmd, "metrics") ||
			    !strcmp(cmd, "check") || !strcmp(cmd, "reload") ||
			    !strcmp(cmd, "help");

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
	ret = request(s, req, stdout, &code, why, sizeof(why));
	close(s);
	if (ret == REQ_REFUSED && !strcmp(req, "RELOAD")) {
		/* The reason is what the operator fixes. */
		fprintf(stderr, "asconfctl: reload failed: %s\n", why);
	} else if (ret) {
		fprintf(stderr, "asconfctl: %s\n", why);
	}
	return ret ? 1 : 0;
}
