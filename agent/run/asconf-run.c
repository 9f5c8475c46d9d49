// SPDX-License-Identifier: GPL-2.0-or-later
/* asconf-run: runs an unmodified program with libasconf-preload.so, which
 * hands its SCTP sockets to asconfd.  A C program rather than a script:
 * the library's place is fixed at build time (ASCONF_PRELOAD_LIB), the
 * build tree's found relative to this binary's real location, and the
 * command and its arguments reach exec untouched by any shell quoting. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../daemon/agent.h"
#include "../proto/ctlmsg.h"

/* Where make install put the shim (PRELOAD_LIB in the Makefile, from
 * LIBDIR): absolute, or relative to the directory asconf-run is in. */
#ifndef ASCONF_PRELOAD_LIB
#define ASCONF_PRELOAD_LIB "../lib/libasconf-preload.so"
#endif
/* The build tree: build/bin/asconf-run next to build/lib. */
#define BUILD_TREE_LIB "../lib/libasconf-preload.so"

/* Like env(1): 125 for our own failures, 126/127 for the command's. */
#define EXIT_OWN 125
/* A usage error: 2, as asconfd's and asconfctl's. */
#define EXIT_USAGE 2

static const char usage[] =
"Usage: asconf-run [--policy NAME] [--control PATH] [--] COMMAND [ARG]...\n"
"Run COMMAND with every SCTP socket it binds to specific addresses handed\n"
"to asconfd, which then adds and removes the host's addresses on it\n"
"(LD_PRELOAD of libasconf-preload.so; see asconf-run(1)).\n"
"\n"
"  -p, --policy NAME    the daemon's policy for these sockets (default: the\n"
"                       daemon's own)\n"
"  -c, --control PATH   the daemon's control socket (default: $" CTLMSG_ENV ",\n"
"                       else " CTLMSG_DEFAULT_PATH ")\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Without asconfd running, COMMAND runs unchanged after one warning.\n"
"Exit status: COMMAND's, or 2 on a usage error (as asconfd and asconfctl),\n"
"125 if asconf-run itself fails, 126 if COMMAND cannot be run, 127 if it is\n"
"not found.\n";

/* path made absolute against asconf-run's own directory. */
static void beside_self(const char *path, char *out, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (path[0] == '/') {
		snprintf(out, len, "%s", path);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n < 0 ? 0 : n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(out, len, "%s/%s", n < 0 ? "." : self, path);
}

/* The shim's path as LD_PRELOAD needs it: absolute, and free of the
 * characters the dynamic loader splits the list on.  The build tree's
 * copy wins when asconf-run runs from the build tree. */
static int preload_path(char *out, size_t len)
{
	char built[PATH_MAX * 2], installed[PATH_MAX * 2];

	beside_self(BUILD_TREE_LIB, built, sizeof(built));
	beside_self(ASCONF_PRELOAD_LIB, installed, sizeof(installed));
	if ((!realpath(built, out) || access(out, R_OK)) &&
	    (!realpath(installed, out) || access(out, R_OK))) {
		fprintf(stderr, "asconf-run: cannot use the preload library %s: %s\n",
			installed, strerror(errno));
		return -1;
	}
	if (strlen(out) >= len || strpbrk(out, " :\t\n")) {
		fprintf(stderr, "asconf-run: the preload library's path %s has a space or "
			"colon, which LD_PRELOAD cannot carry\n", out);
		return -1;
	}
	return 0;
}

/* Ours first, so it sees the calls before any other preloaded library. */
static int set_preload(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	char *v;
	int rc;

	if (!old || !*old)
		return setenv("LD_PRELOAD", lib, 1);
	if (asprintf(&v, "%s:%s", lib, old) < 0)
		return -1;
	rc = setenv("LD_PRELOAD", v, 1);
	free(v);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "control", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *policy = NULL, *control = NULL;
	char lib[PATH_MAX];
	int c;

	/* getopt names the program by argv[0]: the name, not its path. */
	argv[0] = (char *)"asconf-run";
	/* '+': options end at COMMAND, whose own options are its business. */
	while ((c = getopt_long(argc, argv, "+p:c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': policy = optarg; break;
		case 'c': control = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': puts("asconf-run " ASCONF_VERSION); return 0;
		default:
			fprintf(stderr, "Try 'asconf-run --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "asconf-run: no COMMAND given\n"
			"Try 'asconf-run --help' for more information.\n");
		return EXIT_USAGE;
	}
	if (policy && (!*policy || strlen(policy) > 200 || strpbrk(policy, " \t\r\n"))) {
		fprintf(stderr, "asconf-run: bad --policy '%s': a policy name is one word "
			"of at most 200 bytes\n", policy);
		return EXIT_USAGE;
	}
	if (control && !*control) {
		fprintf(stderr, "asconf-run: --control needs a path\n");
		return EXIT_USAGE;
	}
	if (preload_path(lib, sizeof(lib)))
		return EXIT_OWN;
	if (set_preload(lib) || (policy && setenv("ASCONF_POLICY", policy, 1)) ||
	    (control && setenv(CTLMSG_ENV, control, 1))) {
		fprintf(stderr, "asconf-run: cannot set up the environment: %s\n", strerror(errno));
		return EXIT_OWN;
	}
	execvp(argv[optind], argv + optind);
	c = errno;
	fprintf(stderr, "asconf-run: cannot run %s: %s\n", argv[optind], strerror(c));
	return c == ENOENT ? 127 : 126;
}
