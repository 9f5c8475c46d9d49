// SPDX-License-Identifier: GPL-2.0-or-later
/* asconfctl: asks a running asconfd what it manages, and has it manage or
 * release a socket of a running program. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "../daemon/agent.h"
#include "../proto/ctlmsg.h"
#include "plugin.h"

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
"  check [-t SECONDS] [--min-sockets N] [-w RANGE] [-c RANGE]\n"
"                  one line for a monitoring plugin; exit 0 OK, 1 WARNING (a\n"
"                  failed address, a peer not told, a socket not taken back\n"
"                  after a restart or held only by asconfd), 2 CRITICAL\n"
"                  (asconfd is not running or out of file descriptors, fewer\n"
"                  sockets than --min-sockets, a count outside -c), 3 UNKNOWN\n"
"                  (no answer within -t, default 10 s; no permission; an\n"
"                  answer not understood).  -w/-c: ranges for each problem\n"
"                  count (default -w 0)\n"
"  metrics [--textfile FILE]\n"
"                  counters and per-socket gauges in the Prometheus text\n"
"                  format; when asconfd does not answer: asconfd_up 0 and\n"
"                  exit 1.  --textfile: into FILE (temporary file + rename),\n"
"                  for node_exporter's textfile collector; exit 2 when FILE\n"
"                  cannot be written\n"
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

/* For STATUS: the control socket, or when its permissions keep us out
 * (EACCES: not in control-group), the read-only monitor socket next to it
 * (monitor-group).  A descriptor, or the control socket's -errno. */
static int connect_read(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *mon = NULL;
	int s = ctlmsg_connect(path), m;

	if (s != -EACCES || !slash ||
	    asprintf(&mon, "%.*s/%s", (int)(slash - path), path, CTLMSG_MONITOR_NAME) < 0)
		return s;
	m = ctlmsg_connect(mon);
	free(mon);
	return m >= 0 ? m : s;
}

/* Plugin exit codes. */
enum { CHECK_OK = PLUGIN_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

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

/* -t: a daemon that does not answer in time (stopped, hung, its backlog
 * full) is UNKNOWN, said from the signal handler: the message is made
 * before the alarm is set. */
static char timeout_msg[160];
static size_t timeout_len;
static int timeout_exit;

static void timed_out(int sig)
{
	(void)sig;
	if (write(STDOUT_FILENO, timeout_msg, timeout_len) < 0)
		_exit(timeout_exit);
	_exit(timeout_exit);
}

static void set_timeout(unsigned int seconds, int code, const char *msg)
{
	struct sigaction sa = { .sa_handler = timed_out };

	snprintf(timeout_msg, sizeof(timeout_msg), "%s", msg);
	timeout_len = strlen(timeout_msg);
	timeout_exit = code;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* A connect error: the daemon is not running (CRITICAL), or something the
 * plugin cannot tell about the daemon (UNKNOWN: no permission...). */
static bool not_running(int err)
{
	return err == -ENOENT || err == -ECONNREFUSED;
}

/* The daemon's counts against the operator's thresholds. */
static int check(const char *path, const struct plugin_opts *o, unsigned int timeout)
{
	char why[CTLMSG_REPLY_MAX], text[CTLMSG_REPLY_MAX], reason[512], perf[512];
	char *line = NULL, msg[160];
	struct plugin_counts counts;
	size_t size = 0;
	FILE *mem = open_memstream(&line, &size);
	int s, ret, code = 0;

	snprintf(msg, sizeof(msg), "ASCONFD UNKNOWN - no answer from asconfd within %u s "
		 "(-t)\n", timeout);
	set_timeout(timeout, CHECK_UNKNOWN, msg);
	s = connect_read(path);
	if (s < 0) {
		printf("ASCONFD %s - cannot reach asconfd at %s: %s%s\n",
		       not_running(s) ? "CRITICAL" : "UNKNOWN", path, strerror(-s),
		       s == -EACCES ? " (not in its control-group or monitor-group?)" : "");
		if (mem)
			fclose(mem);
		free(line);
		return not_running(s) ? CHECK_CRITICAL : CHECK_UNKNOWN;
	}
	if (!mem) {
		close(s);
		printf("ASCONFD UNKNOWN - out of memory\n");
		return CHECK_UNKNOWN;
	}
	ret = request(s, "STATUS CHECK", mem, &code, why, sizeof(why));
	close(s);
	fclose(mem);
	alarm(0);
	if (ret) {
		/* Out of descriptors: not serving clients.  Anything else (no
		 * permission, an old daemon without STATUS CHECK, gone
		 * mid-way): the plugin cannot tell, UNKNOWN. */
		bool down = code == EMFILE || code == ENFILE;

		printf("ASCONFD %s - %s\n", down ? "CRITICAL" : "UNKNOWN", why);
		ret = down ? CHECK_CRITICAL : CHECK_UNKNOWN;
	} else if (!line || plugin_parse(line, text, sizeof(text), &counts)) {
		printf("ASCONFD UNKNOWN - unexpected answer: %.200s\n", line ? line : "");
		ret = CHECK_UNKNOWN;
	} else {
		static const char *const words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

		ret = plugin_eval(&counts, o, reason, sizeof(reason));
		plugin_perfdata(&counts, o, perf, sizeof(perf));
		printf("ASCONFD %s - %s%s%s | %s\n", words[ret], *reason ? reason : "",
		       *reason ? "; " : "", text, perf);
	}
	free(line);
	return ret;
}

/* check [-t SECONDS] [--min-sockets N] [-w RANGE] [-c RANGE]. */
static int check_args(const char *path, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "min-sockets", required_argument, NULL, 'm' },
		{ "warning", required_argument, NULL, 'w' },
		{ "critical", required_argument, NULL, 'c' },
		{ 0 }
	};
	struct plugin_opts o = { 0 };
	long timeout = 10, v;
	int c;

	plugin_range_parse("0", &o.warn);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+t:w:c:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			timeout = number(optarg);
			if (timeout <= 0 || timeout > 86400) {
				printf("ASCONFD UNKNOWN - bad -t '%.64s' (want seconds, 1 to 86400)\n",
				       optarg);
				return CHECK_UNKNOWN;
			}
			break;
		case 'm':
			v = number(optarg);
			if (v < 0) {
				printf("ASCONFD UNKNOWN - bad --min-sockets '%.64s' (want a number)\n",
				       optarg);
				return CHECK_UNKNOWN;
			}
			o.min_sockets = (unsigned long)v;
			break;
		case 'w':
		case 'c':
			if (plugin_range_parse(optarg, c == 'w' ? &o.warn : &o.crit)) {
				printf("ASCONFD UNKNOWN - bad -%c '%.64s' (want a range: N, N:, ~:N, "
				       "N:M or @N:M)\n", c, optarg);
				return CHECK_UNKNOWN;
			}
			break;
		default:
			printf("ASCONFD UNKNOWN - bad argument '%.64s' (check [-t SECONDS] "
			       "[--min-sockets N] [-w RANGE] [-c RANGE])\n", argv[optind - 1]);
			return CHECK_UNKNOWN;
		}
	}
	if (optind < argc) {
		printf("ASCONFD UNKNOWN - unexpected argument '%.64s'\n", argv[optind]);
		return CHECK_UNKNOWN;
	}
	return check(path, &o, (unsigned int)timeout);
}

/* text into path by a temporary file in its directory and a rename, so
 * that a reader (node_exporter's textfile collector) sees the old file or
 * the new one, never half of one.  0, or -1 with the reason on stderr. */
static int write_atomic(const char *path, const char *text)
{
	char *tmp = NULL;
	FILE *f;
	int fd, err = 0;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		fprintf(stderr, "asconfctl: out of memory\n");
		return -1;
	}
	fd = mkstemp(tmp);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "asconfctl: cannot create %s: %s\n", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	/* mkstemp's 0600 would keep node_exporter from reading it. */
	if (fputs(text, f) < 0 || fchmod(fd, 0644) || fflush(f) || fsync(fd))
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		fprintf(stderr, "asconfctl: cannot write %s: %s\n", path, strerror(err));
		unlink(tmp);
	}
	free(tmp);
	return err ? -1 : 0;
}

/* The metrics, whole or not at all: when the daemon cannot be reached or
 * its reply breaks off, asconfd_up 0 (the textfile collector then says the
 * daemon is down rather than keep the last file's numbers) and exit 1.
 * With textfile, written there atomically instead of to stdout (exit 2
 * when it cannot be). */
static int metrics(const char *path, const char *textfile)
{
	static const char down[] = "# HELP asconfd_up Whether asconfd answered.\n"
				   "# TYPE asconfd_up gauge\nasconfd_up 0\n";
	char why[CTLMSG_REPLY_MAX], *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);
	int s, ret = 1, code = 0;

	/* A hung daemon: the file still says it is down (each receive times
	 * out; the alarm only ends a connect that never completes). */
	if (!textfile)
		set_timeout(10, 1, down);
	else
		alarm(30);
	s = connect_read(path);
	if (s >= 0 && textfile) {
		struct timeval tv = { .tv_sec = 10 };

		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (s < 0) {
		fprintf(stderr, "asconfctl: cannot reach asconfd at %s: %s\n", path, strerror(-s));
	} else if (mem) {
		ret = request(s, "STATUS METRICS", mem, &code, why, sizeof(why));
		if (ret)
			fprintf(stderr, "asconfctl: %s\n", why);
	}
	if (s >= 0)
		close(s);
	if (mem)
		fclose(mem);
	alarm(0);
	if (textfile) {
		if (write_atomic(textfile, !ret && text ? text : down))
			ret = 2;
	} else {
		fputs(!ret && text ? text : down, stdout);
	}
	free(text);
	return ret ? (ret == 2 ? 2 : 1) : 0;
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
		return metrics(path, NULL);
	else if (!strcmp(cmd, "metrics") && nargs == 2 && !strcmp(argv[optind + 1], "--textfile"))
		return metrics(path, argv[optind + 2]);
	else if (!strcmp(cmd, "check"))
		return check_args(path, nargs + 1, argv + optind);
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
	s = strncmp(req, "STATUS", 6) ? ctlmsg_connect(path) : connect_read(path);
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
