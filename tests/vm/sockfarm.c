// SPDX-License-Identifier: GPL-2.0-or-later
/* sockfarm: many managed sockets, for the per-socket overhead benchmark.
 * Creates N one-to-many SCTP sockets bound to ADDR, ports BASE..BASE+N-1,
 * listening.  Then, in this order:
 *   --bare X    times a plain loop of sctp_bindx ADD X on every socket, then
 *               REM X (X must be on the host): the floor asconfd is held to;
 *               wall and CPU time (CLOCK_PROCESS_CPUTIME_ID), prints
 *               "BARE add_us=T rem_us=T getladdrs_us=T n=N add_cpu_us=T
 *               rem_cpu_us=T" (medians over the rounds);
 *   --bare-rounds R  that many times, each "BARE_ROUND r=I add_us=T ..."
 *   --bare-pause MS  sleep between the loops, so the REMs find the ADDs'
 *               ASCONFs acknowledged, as asconfd's passes do (without it a
 *               REM only queues its ASCONF behind the outstanding ADD's)
 *   --bare-host "X/P dev DEV"  delete X from the host (ip addr del) before each
 *               REM loop and add it back after, untimed: asconfd's REMs
 *               come after the address left the host, and so do these"
 *   --manage    hands every socket to asconfd, prints "MANAGED n=N", and
 *               waits for SIGTERM.
 * --auto-asconf (with --bind 0.0.0.0): the kernel's own auto_asconf on
 * every socket instead, for the side-by-side with asconfd.
 *   --wait      (without --manage) prints "WAITING n=N" and waits for
 *               SIGTERM: sockets asconfd never heard of, for adoption.
 * While waiting, SIGUSR1 prints what the kernel holds: every socket's bound
 * addresses (sctp_getladdrs, sorted, comma-joined), one line per distinct
 * set, "LADDRS count=C set=S", then "LADDRS_END n=N sets=K". */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

#include "farm.h"

static long long clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long long now_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long median(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), ll_cmp);
	return v[(n - 1) / 2];
}

static long long bindx_all(const int *fd, int n, const char *addr, int base, int flags,
			   long long *cpu)
{
	struct sockaddr_storage a;
	long long t0, c0;
	int fam = AF_INET;

	t0 = now_us();
	c0 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
	for (int i = 0; i < n; i++) {
		addrlist_parse(addr, base + i, &a, 1, &fam);
		if (sctp_bindx(fd[i], (struct sockaddr *)&a, 1, flags)) {
			perror("sockfarm: sctp_bindx");
			exit(1);
		}
	}
	*cpu = clock_us(CLOCK_PROCESS_CPUTIME_ID) - c0;
	return now_us() - t0;
}

enum { CONNECT_BATCH = 200 };

/* Until every association ID[i] of FD[i], i < N, is established (up to
 * 120 s).  Not farm_wait_up: SCTP_GET_ASSOC_NUMBER counts an association
 * still in COOKIE_WAIT, as a non-blocking connect leaves it. */
static int wait_established(const int *fd, const sctp_assoc_t *id, int n)
{
	for (int i = 0, tries = 0; i < n; ) {
		struct sctp_status st = { .sstat_assoc_id = id[i] };
		socklen_t len = sizeof(st);

		if (!getsockopt(fd[i], IPPROTO_SCTP, SCTP_STATUS, &st, &len) &&
		    st.sstat_state == SCTP_ESTABLISHED) {
			i++;
			continue;
		}
		if (++tries > 12000)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* Non-blocking, in batches: one blocking connect at a time costs a round
 * trip each (minutes for 10,000 under TCG), all at once would overflow the
 * peer's backlog and wait for INIT retransmissions. */
static int connect_all(const int *fd, int n, const struct sockaddr_storage *p)
{
	sctp_assoc_t *id = calloc((size_t)n, sizeof(*id));
	int err = id ? 0 : -1;

	for (int b = 0; !err && b < n; b += CONNECT_BATCH) {
		int e = b + CONNECT_BATCH < n ? b + CONNECT_BATCH : n;

		for (int i = b; !err && i < e; i++) {
			int fl = fcntl(fd[i], F_GETFL);

			fcntl(fd[i], F_SETFL, fl | O_NONBLOCK);
			if (sctp_connectx(fd[i], (struct sockaddr *)p, 1, &id[i]) && errno != EINPROGRESS) {
				perror("sockfarm: connect");
				err = -1;
			}
			fcntl(fd[i], F_SETFL, fl);
		}
		if (!err && wait_established(fd + b, id + b, e - b))
			err = -1;
	}
	free(id);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One socket's bound addresses as sorted "A,B,..." (malloc'ed). */
static char *laddr_set(int fd)
{
	struct sockaddr *addrs;
	char *txt[64], *out;
	size_t len = 1;
	int n = sctp_getladdrs(fd, 0, &addrs), k = 0;
	const char *p = (const char *)addrs;

	for (int i = 0; i < n && k < 64; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)p;
		char buf[INET6_ADDRSTRLEN] = "?";

		if (sa->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof(buf));
			p += sizeof(struct sockaddr_in);
		} else {
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof(buf));
			p += sizeof(struct sockaddr_in6);
		}
		txt[k] = strdup(buf);
		len += strlen(buf) + 1;
		k++;
	}
	if (n > 0)
		sctp_freeladdrs(addrs);
	qsort(txt, (size_t)k, sizeof(*txt), cmp_str);
	out = calloc(1, len);
	for (int i = 0; i < k; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, txt[i]);
		free(txt[i]);
	}
	return out;
}

static void print_laddr_sets(const int *fd, int n)
{
	char **set = calloc((size_t)n, sizeof(*set));
	int sets = 0;

	for (int i = 0; i < n; i++)
		set[i] = laddr_set(fd[i]);
	qsort(set, (size_t)n, sizeof(*set), cmp_str);
	for (int i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(set[i], set[j]); j++)
			;
		printf("LADDRS count=%d set=%s\n", j - i, set[i]);
		sets++;
	}
	printf("LADDRS_END n=%d sets=%d\n", n, sets);
	for (int i = 0; i < n; i++)
		free(set[i]);
	free(set);
}

/* Holds the sockets until SIGTERM or SIGINT; SIGUSR1 prints their sets. */
static void wait_signal(const int *fd, int n)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (!sigwait(&set, &sig) && sig == SIGUSR1)
		print_laddr_sets(fd, n);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "bare", required_argument, NULL, 'x' },
		{ "manage", no_argument, NULL, 'm' },
		{ "connect", required_argument, NULL, 'c' },
		{ "peer-port", required_argument, NULL, 'q' },
		{ "auto-asconf", no_argument, NULL, 'a' },
		{ "wait", no_argument, NULL, 'w' },
		{ "bare-rounds", required_argument, NULL, 'r' },
		{ "bare-pause", required_argument, NULL, 'P' },
		{ "bare-host", required_argument, NULL, 'H' },
		{ 0 }
	};
	const char *bind_addr = NULL, *bare = NULL, *peer = NULL;
	int n = 1000, base = 20000, manage = 0, wait = 0, c, *fd, peer_port = 0, aa = 0;
	int rounds = 1, pause_ms = 0;
	const char *host = NULL;
	char cmd[160];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': n = atoi(optarg); break;
		case 'b': bind_addr = optarg; break;
		case 'p': base = atoi(optarg); break;
		case 'x': bare = optarg; break;
		case 'm': manage = 1; break;
		case 'w': wait = 1; break;
		case 'c': peer = optarg; break;
		case 'q': peer_port = atoi(optarg); break;
		case 'a': aa = 1; break;
		case 'r': rounds = atoi(optarg); break;
		case 'P': pause_ms = atoi(optarg); break;
		case 'H': host = optarg; break;
		default:
			fprintf(stderr, "usage: sockfarm --bind A [--count N] [--port BASE] [--connect P --peer-port Q]\n"
					"                [--auto-asconf] [--bare X [--bare-rounds R] [--bare-pause MS]\n"
					"                [--bare-host 'X/P dev DEV']] [--manage|--wait]\n");
			return 2;
		}
	}
	if (!bind_addr || n <= 0 || rounds < 1 || rounds > 100 || pause_ms < 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	farm_raise_nofile(n);
	fd = calloc((size_t)n, sizeof(*fd));
	if (!fd)
		return 1;
	for (int i = 0; i < n; i++) {
		fd[i] = farm_socket("sockfarm", bind_addr, base + i, aa);
		if (fd[i] < 0)
			return 1;
		if (listen(fd[i], 4)) {
			perror("sockfarm: listen");
			return 1;
		}
	}
	printf("CREATED n=%d\n", n);
	/* With --connect every socket gets an association, so each bindx also
	 * sends an ASCONF: the realistic floor. */
	if (peer) {
		struct sockaddr_storage p;
		int pf;

		if (addrlist_parse(peer, peer_port, &p, 1, &pf) != 1 || connect_all(fd, n, &p)) {
			printf("CONNECT_FAILED n=%d\n", n);
			return 1;
		}
		printf("CONNECTED n=%d\n", n);
	}
	if (bare) {
		long long add[100], rem[100], addc[100], remc[100], t0;
		struct sockaddr *addrs;

		for (int r = 0; r < rounds; r++) {
			add[r] = bindx_all(fd, n, bare, base, SCTP_BINDX_ADD_ADDR, &addc[r]);
			usleep((useconds_t)pause_ms * 1000);
			if (host) {
				snprintf(cmd, sizeof(cmd), "ip addr del %s", host);
				if (system(cmd))
					return 1;
				usleep((useconds_t)pause_ms * 1000);
			}
			rem[r] = bindx_all(fd, n, bare, base, SCTP_BINDX_REM_ADDR, &remc[r]);
			usleep((useconds_t)pause_ms * 1000);
			if (host) {
				snprintf(cmd, sizeof(cmd), "ip addr add %s", host);
				if (system(cmd))
					return 1;
				usleep((useconds_t)pause_ms * 1000);
			}
			if (rounds > 1)
				printf("BARE_ROUND r=%d add_us=%lld rem_us=%lld add_cpu_us=%lld "
				       "rem_cpu_us=%lld\n", r + 1, add[r], rem[r], addc[r], remc[r]);
		}
		/* What one read-back costs, for reading the figures. */
		t0 = now_us();
		for (int i = 0; i < n; i++)
			if (sctp_getladdrs(fd[i], 0, &addrs) > 0)
				sctp_freeladdrs(addrs);
		t0 = now_us() - t0;
		printf("BARE add_us=%lld rem_us=%lld getladdrs_us=%lld n=%d add_cpu_us=%lld "
		       "rem_cpu_us=%lld\n", median(add, rounds), median(rem, rounds), t0, n,
		       median(addc, rounds), median(remc, rounds));
	}
	if (manage) {
		if (farm_manage_all(fd, n))
			return 1;
		printf("MANAGED n=%d\n", n);
	} else if (wait) {
		printf("WAITING n=%d\n", n);
	}
	if (manage || wait)
		wait_signal(fd, n);
	free(fd);
	return 0;
}
