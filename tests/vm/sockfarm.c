// SPDX-License-Identifier: GPL-2.0-or-later
/* sockfarm: many managed sockets, for the per-socket overhead benchmark.
 * Creates N one-to-many SCTP sockets bound to ADDR[,ADDR2..], ports
 * BASE..BASE+N-1, listening; with --accept N instead one one-to-one
 * listener on ADDR:BASE that accepts N associations (the sockets are then
 * the N accepted ones and the listener, last).  Then, in this order:
 *   --connect P --peer-port Q [--peers M]
 *               every socket starts an association to P:Q, P:Q+1, ..
 *               P:Q+M-1 (M per socket, 1 by default), all established
 *               before going on: "CONNECTED n=N assocs=A"
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
 * every socket instead (with --accept, on the listener only: an accepted
 * socket takes the namespace's net.sctp.default_auto_asconf, not its
 * listener's option), for the side-by-side with asconfd.
 *   --wait      (without --manage) prints "WAITING n=N" and waits for
 *               SIGTERM: sockets asconfd never heard of, for adoption.
 *   --notify    the far end of many associations: while waiting, prints
 *               what the kernel tells every socket, as sctp_peer does
 *               (peerlog.h: ASSOC_DOWN, ADDR_ADDED, ADDR_REMOVED ..).
 * While waiting, SIGUSR1 prints what the kernel holds: every socket's bound
 * addresses (sctp_getladdrs, sorted, comma-joined), one line per distinct
 * set, "LADDRS count=C set=S", then "LADDRS_END n=N sets=K reuse=R"
 * (R: sockets with SO_REUSEADDR or SO_REUSEPORT on). */
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

#include "farm.h"
#include "peerlog.h"

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

/* ADD (or REM) addr on every socket, port BASE+i, or BASE on every one
 * when SHARED (accepted sockets have their listener's port). */
static long long bindx_all(const int *fd, int n, const char *addr, int base, int shared, int flags,
			   long long *cpu)
{
	struct sockaddr_storage a;
	long long t0, c0;
	int fam = AF_INET;

	t0 = now_us();
	c0 = clock_us(CLOCK_PROCESS_CPUTIME_ID);
	for (int i = 0; i < n; i++) {
		addrlist_parse(addr, shared ? base : base + i, &a, 1, &fam);
		if (sctp_bindx(fd[i], (struct sockaddr *)&a, 1, flags)) {
			perror("sockfarm: sctp_bindx");
			exit(1);
		}
	}
	*cpu = clock_us(CLOCK_PROCESS_CPUTIME_ID) - c0;
	return now_us() - t0;
}

enum { CONNECT_BATCH = 200 };

/* Until every association ID[i] of FD[i / M], i < N, is established (up
 * to 120 s).  Not farm_wait_up: SCTP_GET_ASSOC_NUMBER counts an
 * association still in COOKIE_WAIT, as a non-blocking connect leaves it. */
static int wait_established(const int *fd, int m, const sctp_assoc_t *id, int n)
{
	for (int i = 0, tries = 0; i < n; ) {
		struct sctp_status st = { .sstat_assoc_id = id[i] };
		socklen_t len = sizeof(st);

		if (!getsockopt(fd[i / m], IPPROTO_SCTP, SCTP_STATUS, &st, &len) &&
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

/* M associations from every socket, to P's ports Q..Q+M-1.
 * Non-blocking, in batches: one blocking connect at a time costs a round
 * trip each (minutes for 10,000 under TCG), all at once would overflow the
 * peer's backlog and wait for INIT retransmissions. */
static int connect_all(const int *fd, int n, int m, const char *peer, int q)
{
	sctp_assoc_t *id = calloc((size_t)n * (size_t)m, sizeof(*id));
	int err = id ? 0 : -1, total = n * m, batch = CONNECT_BATCH / m ? CONNECT_BATCH / m * m : m;

	for (int b = 0; !err && b < total; b += batch) {
		int e = b + batch < total ? b + batch : total;

		for (int i = b; !err && i < e; i++) {
			int f = fd[i / m], fl = fcntl(f, F_GETFL), pf;
			struct sockaddr_storage p;

			if (addrlist_parse(peer, q + i % m, &p, 1, &pf) != 1) {
				fprintf(stderr, "sockfarm: bad peer '%s'\n", peer);
				err = -1;
				break;
			}
			fcntl(f, F_SETFL, fl | O_NONBLOCK);
			if (sctp_connectx(f, (struct sockaddr *)&p, 1, &id[i]) && errno != EINPROGRESS) {
				perror("sockfarm: connect");
				err = -1;
			}
			fcntl(f, F_SETFL, fl);
		}
		if (!err && wait_established(fd + b / m, m, id + b, e - b))
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
	int sets = 0, reuse = 0;

	for (int i = 0; i < n; i++)
		set[i] = laddr_set(fd[i]);
	qsort(set, (size_t)n, sizeof(*set), cmp_str);
	for (int i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(set[i], set[j]); j++)
			;
		printf("LADDRS count=%d set=%s\n", j - i, set[i]);
		sets++;
	}
	/* asconfd's port lease sets both for a while and must undo them. */
	for (int i = 0; i < n; i++) {
		int ra = 0, rp = 0;
		socklen_t len = sizeof(int);

		getsockopt(fd[i], SOL_SOCKET, SO_REUSEADDR, &ra, &len);
		len = sizeof(int);
		getsockopt(fd[i], SOL_SOCKET, SO_REUSEPORT, &rp, &len);
		reuse += ra || rp;
	}
	printf("LADDRS_END n=%d sets=%d reuse=%d\n", n, sets, reuse);
	for (int i = 0; i < n; i++)
		free(set[i]);
	free(set);
}

/* Every notification queued on fd, printed (peerlog.h); data is dropped. */
static void drain(int fd)
{
	union {
		union sctp_notification n;
		char buf[8192];
	} u;

	for (;;) {
		struct iovec iov = { .iov_base = u.buf, .iov_len = sizeof(u.buf) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t r = recvmsg(fd, &msg, MSG_DONTWAIT);

		if (r <= 0)
			return;
		if (msg.msg_flags & MSG_NOTIFICATION)
			peerlog_notification(&u.n);
	}
}

/* Holds the sockets until SIGTERM or SIGINT; SIGUSR1 prints their sets.
 * With notify, meanwhile prints what the kernel tells every socket. */
static int wait_signal(const int *fd, int n, int notify)
{
	struct epoll_event ev[64];
	sigset_t set;
	int ep = -1, sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0) {
		perror("sockfarm: signalfd/epoll");
		return -1;
	}
	/* data.u32: the socket's index, n for the signals. */
	ev[0] = (struct epoll_event){ .events = EPOLLIN, .data.u32 = (uint32_t)n };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev[0]))
		return -1;
	for (int i = 0; notify && i < n; i++) {
		ev[0] = (struct epoll_event){ .events = EPOLLIN, .data.u32 = (uint32_t)i };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev[0])) {
			perror("sockfarm: epoll_ctl");
			return -1;
		}
	}
	for (;;) {
		int k = epoll_wait(ep, ev, 64, -1);

		if (k < 0 && errno != EINTR) {
			perror("sockfarm: epoll_wait");
			return -1;
		}
		for (int j = 0; j < k; j++) {
			struct signalfd_siginfo si;

			if (ev[j].data.u32 < (uint32_t)n) {
				drain(fd[ev[j].data.u32]);
				continue;
			}
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo != SIGUSR1) {
				close(ep);
				close(sfd);
				return 0;
			}
			print_laddr_sets(fd, n);
		}
	}
}

/* One one-to-one listener on addr:port, N associations accepted (from a
 * farm started once "LISTENING" is printed): fd[0..n-1] the accepted
 * sockets, fd[n] the listener. */
static int accept_all(int *fd, int n, const char *addr, int port, int aa)
{
	int l = farm_socket_type("sockfarm", addr, port, aa, SOCK_STREAM);

	if (l < 0 || listen(l, n < 4096 ? n : 4096)) {
		perror("sockfarm: listen");
		return -1;
	}
	printf("LISTENING port=%d\n", port);
	for (int i = 0; i < n; i++) {
		fd[i] = accept(l, NULL, NULL);
		if (fd[i] < 0) {
			perror("sockfarm: accept");
			return -1;
		}
	}
	fd[n] = l;
	printf("ACCEPTED n=%d\n", n);
	return 0;
}

/* SO_REUSEADDR on every socket (or off again): the bare loop over
 * accepted sockets and their listener needs it, as asconfd's lease does
 * (docs/design.md, "Sockets that share a port"), or the second socket to
 * take an address gets EADDRINUSE. */
static void reuse_all(const int *fd, int n, int on)
{
	for (int i = 0; i < n; i++)
		setsockopt(fd[i], SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
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
		{ "peers", required_argument, NULL, 'M' },
		{ "accept", no_argument, NULL, 'A' },
		{ "notify", no_argument, NULL, 'N' },
		{ "bare-rounds", required_argument, NULL, 'r' },
		{ "bare-pause", required_argument, NULL, 'P' },
		{ "bare-host", required_argument, NULL, 'H' },
		{ 0 }
	};
	struct sctp_event_subscribe ev = { .sctp_association_event = 1, .sctp_address_event = 1 };
	const char *bind_addr = NULL, *bare = NULL, *peer = NULL;
	int n = 1000, base = 20000, manage = 0, wait = 0, c, *fd, peer_port = 0, aa = 0;
	int rounds = 1, pause_ms = 0, peers = 1, acc = 0, notify = 0, total;
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
		case 'M': peers = atoi(optarg); break;
		case 'A': acc = 1; break;
		case 'N': notify = 1; break;
		default:
			fprintf(stderr, "usage: sockfarm --bind A[,B..] [--count N] [--port BASE] [--accept]\n"
					"                [--connect P --peer-port Q [--peers M]] [--auto-asconf]\n"
					"                [--bare X [--bare-rounds R] [--bare-pause MS]\n"
					"                [--bare-host 'X/P dev DEV']] [--manage|--wait [--notify]]\n");
			return 2;
		}
	}
	if (!bind_addr || n <= 0 || rounds < 1 || rounds > 100 || pause_ms < 0 || peers <= 0 ||
	    (acc && peer))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	total = n + acc;
	farm_raise_nofile(total);
	fd = calloc((size_t)total, sizeof(*fd));
	if (!fd)
		return 1;
	if (acc && accept_all(fd, n, bind_addr, base, aa))
		return 1;
	for (int i = 0; !acc && i < n; i++) {
		fd[i] = farm_socket("sockfarm", bind_addr, base + i, aa);
		if (fd[i] < 0)
			return 1;
		/* Subscribed before the associations start: each takes the
		 * socket's subscriptions when it is made. */
		if (notify && setsockopt(fd[i], IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof(ev))) {
			perror("sockfarm: SCTP_EVENTS");
			return 1;
		}
		if (listen(fd[i], 4)) {
			perror("sockfarm: listen");
			return 1;
		}
	}
	printf("CREATED n=%d\n", total);
	/* With --connect every socket gets an association, so each bindx also
	 * sends an ASCONF: the realistic floor. */
	if (peer) {
		if (connect_all(fd, n, peers, peer, peer_port)) {
			printf("CONNECT_FAILED n=%d\n", n);
			return 1;
		}
		printf("CONNECTED n=%d assocs=%d\n", n, n * peers);
	}
	if (bare) {
		long long add[100], rem[100], addc[100], remc[100], t0;
		struct sockaddr *addrs;

		for (int r = 0; r < rounds; r++) {
			if (acc)
				reuse_all(fd, total, 1);
			add[r] = bindx_all(fd, total, bare, base, acc, SCTP_BINDX_ADD_ADDR, &addc[r]);
			usleep((useconds_t)pause_ms * 1000);
			if (host) {
				snprintf(cmd, sizeof(cmd), "ip addr del %s", host);
				if (system(cmd))
					return 1;
				usleep((useconds_t)pause_ms * 1000);
			}
			rem[r] = bindx_all(fd, total, bare, base, acc, SCTP_BINDX_REM_ADDR, &remc[r]);
			if (acc)
				reuse_all(fd, total, 0);
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
		for (int i = 0; i < total; i++)
			if (sctp_getladdrs(fd[i], 0, &addrs) > 0)
				sctp_freeladdrs(addrs);
		t0 = now_us() - t0;
		printf("BARE add_us=%lld rem_us=%lld getladdrs_us=%lld n=%d add_cpu_us=%lld "
		       "rem_cpu_us=%lld\n", median(add, rounds), median(rem, rounds), t0, total,
		       median(addc, rounds), median(remc, rounds));
	}
	if (manage) {
		if (farm_manage_all(fd, total))
			return 1;
		printf("MANAGED n=%d\n", total);
	} else if (wait) {
		printf("WAITING n=%d\n", total);
	}
	if ((manage || wait) && wait_signal(fd, total, notify))
		return 1;
	free(fd);
	return 0;
}
