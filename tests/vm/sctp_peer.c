// SPDX-License-Identifier: GPL-2.0-or-later
/* sctp_peer: the far end of a test association.  Listens on a one-to-many
 * SCTP socket and prints, one line each, what the kernel tells it:
 *   LISTENING
 *   ASSOC_UP assoc=ID
 *   ASSOC_DOWN assoc=ID state=S t_us=T
 *   PADDRS assoc=ID A [B..]   (with --paddrs: the association's peer
 *                             addresses, sctp_getpaddrs, right after ASSOC_UP)
 *   ADDR_ADDED|ADDR_REMOVED|ADDR_MADE_PRIM|ADDR_AVAILABLE|ADDR_UNREACHABLE ADDR assoc=ID t_us=T
 *   DATA seq=N            (every --every messages)
 *   DATA_GAP expected=N got=M
 * and on exit "DATA_SUMMARY received=N gaps=G last=M".
 * T is CLOCK_MONOTONIC in microseconds, comparable across processes.
 * With --connect PEER[,PEER2] --peer-port Q it also starts an association
 * to PEER:Q from the listening socket (the peer initiates). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>

#include "addrlist.h"
#include "peerlog.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int show_paddrs;

/* "PADDRS assoc=ID A B ..": what the association knows of its peer. */
static void print_paddrs(int fd, sctp_assoc_t id)
{
	struct sockaddr *addrs = NULL;
	char buf[INET6_ADDRSTRLEN];
	const char *p;
	int n = sctp_getpaddrs(fd, id, &addrs);

	printf("PADDRS assoc=%d", id);
	p = (const char *)addrs;
	for (int i = 0; i < n; i++) {
		const struct sockaddr *sa = (const void *)p;

		printf(" %s", peerlog_sa_str(sa, buf, sizeof(buf)));
		p += sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
					      : sizeof(struct sockaddr_in6);
	}
	printf("\n");
	if (n > 0)
		sctp_freepaddrs(addrs);
}

static void notification(int fd, const union sctp_notification *n)
{
	if (n->sn_header.sn_type == SCTP_ASSOC_CHANGE && n->sn_assoc_change.sac_state == SCTP_COMM_UP) {
		printf("ASSOC_UP assoc=%d\n", n->sn_assoc_change.sac_assoc_id);
		if (show_paddrs)
			print_paddrs(fd, n->sn_assoc_change.sac_assoc_id);
		return;
	}
	peerlog_notification(n);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "every", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ "paddrs", no_argument, NULL, 'A' },
		{ "connect", required_argument, NULL, 'c' },
		{ "peer-port", required_argument, NULL, 'q' },
		{ 0 }
	};
	struct sctp_event_subscribe ev = {
		.sctp_data_io_event = 1, .sctp_association_event = 1,
		.sctp_address_event = 1,
	};
	struct sockaddr_storage addrs[8];
	struct sockaddr_storage peer[8];
	const char *bind_list = NULL, *connect_list = NULL;
	int peer_port = 0, fam2;
	unsigned long received = 0, gaps = 0, expected = 0, every = 0, last = 0;
	int port = 0, timeout = 0, family, n, fd, c, on = 1;
	struct sigaction sa = { .sa_handler = on_signal };
	char buf[65536];

	while ((c = getopt_long(argc, argv, "b:p:e:t:Ac:q:", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bind_list = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'e': every = strtoul(optarg, NULL, 10); break;
		case 't': timeout = atoi(optarg); break;
		case 'A': show_paddrs = 1; break;
		case 'c': connect_list = optarg; break;
		case 'q': peer_port = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: sctp_peer --bind A[,B..] --port P [--every N] [--timeout S]\n"
				"                 [--paddrs] [--connect PEER[,PEER2..] --peer-port Q]\n");
			return 2;
		}
	}
	n = addrlist_parse(bind_list, port, addrs, 8, &family);
	if (n <= 0) {
		fprintf(stderr, "sctp_peer: bad --bind list\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* No SA_RESTART (signal() sets it): the signal must interrupt
	 * recvmsg, or the peer would only stop on its next message. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	if (timeout)
		alarm((unsigned)timeout);
	fd = socket(family, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    sctp_bindx(fd, (struct sockaddr *)addrs, n, SCTP_BINDX_ADD_ADDR) ||
	    setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof(ev)) || listen(fd, 16)) {
		perror("sctp_peer");
		return 1;
	}
	printf("LISTENING\n");
	if (connect_list) {
		int np = addrlist_parse(connect_list, peer_port, peer, 8, &fam2);

		if (np <= 0 || sctp_connectx(fd, (struct sockaddr *)peer, np, NULL)) {
			perror("sctp_peer: connect");
			return 1;
		}
	}
	while (!stop) {
		struct sctp_sndrcvinfo sri;
		int flags = 0;
		ssize_t r = sctp_recvmsg(fd, buf, sizeof(buf) - 1, NULL, NULL, &sri, &flags);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("sctp_peer: recvmsg");
			return 1;
		}
		if (flags & MSG_NOTIFICATION) {
			notification(fd, (const void *)buf);
			continue;
		}
		buf[r] = '\0';
		/* Data is "seq N": gaps show lost messages. */
		if (sscanf(buf, "seq %lu", &last) == 1) {
			if (received && last != expected) {
				gaps++;
				printf("DATA_GAP expected=%lu got=%lu\n", expected, last);
			}
			expected = last + 1;
			received++;
			if (every && received % every == 0)
				printf("DATA seq=%lu\n", last);
		}
	}
	printf("DATA_SUMMARY received=%lu gaps=%lu last=%lu\n", received, gaps, last);
	return 0;
}
