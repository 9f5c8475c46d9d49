/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The socket setup of the programs that hold many SCTP sockets in one
 * process: sockfarm (the per-socket benchmarks, adoption) and assocfarm
 * (make compare's rows with N associations).  Header-only, like
 * addrlist.h: shared by those two test programs and nothing else. */
#ifndef ASCONF_TESTS_FARM_H
#define ASCONF_TESTS_FARM_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "asconf.h"
#include "addrlist.h"

/* N sockets here and N duplicates in the daemon: the soft limit (often
 * 1024) would stop a farm of a thousand. */
static inline void farm_raise_nofile(int n)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A socket of TYPE (SOCK_SEQPACKET: one-to-many, SOCK_STREAM: one-to-one)
 * bound to every address of the list ADDRS ("A[,B..]") at port, with the
 * kernel's auto_asconf on it when asked (the side-by-side rows; only a
 * wildcard-bound socket accepts it).  -1 when something fails, said on
 * stderr after prog. */
static inline int farm_socket_type(const char *prog, const char *addrs, int port, int auto_asconf,
				   int type)
{
	struct sockaddr_storage a[8];
	int fam, fd, n;

	n = addrlist_parse(addrs, port, a, 8, &fam);
	if (n <= 0) {
		fprintf(stderr, "%s: bad address list '%s'\n", prog, addrs);
		return -1;
	}
	fd = socket(fam, type, IPPROTO_SCTP);
	if (fd < 0 || sctp_bindx(fd, (struct sockaddr *)a, n, SCTP_BINDX_ADD_ADDR)) {
		fprintf(stderr, "%s: socket/bind: %s\n", prog, strerror(errno));
		goto fail;
	}
	if (auto_asconf && setsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &auto_asconf,
				      sizeof(auto_asconf))) {
		fprintf(stderr, "%s: SCTP_AUTO_ASCONF: %s\n", prog, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static inline int farm_socket(const char *prog, const char *addrs, int port, int auto_asconf)
{
	return farm_socket_type(prog, addrs, port, auto_asconf, SOCK_SEQPACKET);
}

/* Until every socket has an association, polling every 10 ms at most
 * polls times; -1 if some still has none then. */
static inline int farm_wait_up(const int *fd, int n, int polls)
{
	for (int i = 0; i < n;) {
		int k = 0;
		socklen_t len = sizeof(k);

		if (!getsockopt(fd[i], IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &k, &len) && k > 0) {
			i++;
			continue;
		}
		if (polls-- <= 0)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* Every socket to asconfd; at the first refusal "MANAGE_FAILED i=I why"
 * on stdout and -1. */
static inline int farm_manage_all(const int *fd, int n)
{
	for (int i = 0; i < n; i++)
		if (asconf_manage(fd[i], NULL)) {
			printf("MANAGE_FAILED i=%d %s\n", i, asconf_strerror());
			return -1;
		}
	return 0;
}

/* Holds the sockets until SIGTERM or SIGINT. */
static inline void farm_wait_signal(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
}

#endif
