/* sctp_peer: the far end of a test association.  Listens on a one-to-many
 * SCTP socket and prints, one line each, what the kernel tells it:
 *   LISTENING
 *   ASSOC_UP assoc=ID
 *   ADDR_ADDED|ADDR_REMOVED|ADDR_MADE_PRIM|ADDR_AVAILABLE|ADDR_UNREACHABLE ADDR assoc=ID t_us=T
 *   DATA seq=N            (every --every messages)
 *   DATA_GAP expected=N got=M
 * and on exit "DATA_SUMMARY received=N gaps=G last=M".
 * T is CLOCK_MONOTONIC in microseconds, comparable across processes. */
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

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

static const char *addr_state(int st)
{
	switch (st) {
	case SCTP_ADDR_AVAILABLE: return "ADDR_AVAILABLE";
	case SCTP_ADDR_UNREACHABLE: return "ADDR_UNREACHABLE";
	case SCTP_ADDR_REMOVED: return "ADDR_REMOVED";
	case SCTP_ADDR_ADDED: return "ADDR_ADDED";
	case SCTP_ADDR_MADE_PRIM: return "ADDR_MADE_PRIM";
	case SCTP_ADDR_CONFIRMED: return "ADDR_CONFIRMED";
	default: return "ADDR_OTHER";
	}
}

static void notification(const union sctp_notification *n)
{
	char buf[INET6_ADDRSTRLEN];

	switch (n->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		if (n->sn_assoc_change.sac_state == SCTP_COMM_UP)
			printf("ASSOC_UP assoc=%d\n", n->sn_assoc_change.sac_assoc_id);
		else if (n->sn_assoc_change.sac_state == SCTP_COMM_LOST ||
			 n->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP)
			printf("ASSOC_DOWN assoc=%d state=%u\n", n->sn_assoc_change.sac_assoc_id,
			       n->sn_assoc_change.sac_state);
		break;
	case SCTP_PEER_ADDR_CHANGE: {
		const struct sctp_paddr_change *pc = &n->sn_paddr_change;
		const struct sockaddr *sa = (const void *)&pc->spc_aaddr;
		const void *a = sa->sa_family == AF_INET ?
			(const void *)&((const struct sockaddr_in *)sa)->sin_addr :
			(const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;

		inet_ntop(sa->sa_family, a, buf, sizeof(buf));
		printf("%s %s assoc=%d t_us=%llu\n", addr_state(pc->spc_state), buf,
		       pc->spc_assoc_id, now_us());
		break;
	}
	default:
		break;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "every", required_argument, NULL, 'e' },
		{ "timeout", required_argument, NULL, 't' },
		{ 0 }
	};
	struct sctp_event_subscribe ev = {
		.sctp_data_io_event = 1, .sctp_association_event = 1,
		.sctp_address_event = 1,
	};
	struct sockaddr_storage addrs[8];
	const char *bind_list = NULL;
	unsigned long received = 0, gaps = 0, expected = 0, every = 0, last = 0;
	int port = 0, timeout = 0, family, n, fd, c, on = 1;
	char buf[65536];

	while ((c = getopt_long(argc, argv, "b:p:e:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bind_list = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'e': every = strtoul(optarg, NULL, 10); break;
		case 't': timeout = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: sctp_peer --bind A[,B..] --port P [--every N] [--timeout S]\n");
			return 2;
		}
	}
	n = addrlist_parse(bind_list, port, addrs, 8, &family);
	if (n <= 0) {
		fprintf(stderr, "sctp_peer: bad --bind list\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGALRM, on_signal);
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
			notification((const void *)buf);
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
