// SPDX-License-Identifier: GPL-2.0-or-later
/* sctp_client: the managed end of a test association.  Binds to specific
 * addresses, connects (or listens), hands the socket to asconfd with
 * libasconf, optionally streams numbered messages, and prints:
 *   CONNECTED assoc=ID | LISTENING
 *   MANAGED | MANAGE_FAILED err=-E reason
 *   EXTRA_MANAGED i=I | EXTRA_MANAGE_FAILED i=I err=-E reason
 *                      (--extra N: N more listening sockets on PORT+1..N,
 *                       handed over on the same connection, after the first)
 *   SENT n=N   (on exit)
 *   IDLE_CHILD pid=N   (--fork-idle: a child that keeps only the library's
 *                       connection to the daemon, not the socket)
 *   CHILD_MANAGED pid=N | CHILD_MANAGE_FAILED err=-E reason
 *                      (--fork-manage PORT: a child that closes the socket,
 *                       opens its own on PORT, connects it to the first peer
 *                       list and manages it over the inherited library state;
 *                       --fork-takeover: a child that manages the inherited
 *                       socket itself)
 *   BOUND ret=R name=ADDR:PORT reason=WHY | BIND_FAILED err=-E reason
 *                      (--asconf-bind: asconf_bind(fd, --port, --policy)
 *                       instead of sctp_bindx of --bind; R 0 is narrowed and
 *                       managed, 1 the wildcard; ADDR:PORT is getsockname)
 * Runs until SIGTERM/SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "asconf.h"
#include "addrlist.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char usage[] =
"usage: sctp_client (--bind A[,B..] | --asconf-bind) --port P (--connect PEER[,PEER2..] --peer-port Q)...\n"
"                   [--listen] [--stream] [--inet6] [--v6only]\n"
"                   [--manage [--policy NAME]] [--send-every MS]\n"
"                   [--auto-asconf] [--drop-after MS] [--fork-idle] [--as UID:GID]\n"
"                   [--fork-manage PORT | --fork-takeover] [--foreign-release] [--extra N]\n"
"                   [--bindx-fifo PATH] [--linger SECS] [--fill]\n";

/* --asconf-bind: the library picks the addresses; prints what it did and
 * getsockname's answer.  Returns asconf_bind's answer (0: managed). */
static int library_bind(int fd, int port, const char *policy)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int ret = asconf_bind(fd, (unsigned short)port, policy), p = 0;

	if (ret < 0) {
		printf("BIND_FAILED err=%d %s\n", ret, asconf_strerror());
		return ret;
	}
	if (!getsockname(fd, (struct sockaddr *)&ss, &len)) {
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *sin = (void *)&ss;

			inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
			p = ntohs(sin->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *sin6 = (void *)&ss;

			inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
			p = ntohs(sin6->sin6_port);
		}
	}
	printf("BOUND ret=%d name=%s:%d reason=%s\n", ret, host, p,
	       ret ? asconf_strerror() : "");
	return ret;
}

/* RELEASE of our managed socket by another process (a child, on its own
 * control connection), which did not hand it over: prints the answer. */
static void foreign_release(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, reply[1024];
	char req[] = "RELEASE";
	struct iovec iov = { req, sizeof(req) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	const char *path = getenv("ASCONF_CONTROL");
	pid_t child = fork();
	ssize_t n;
	int s;

	if (child) {
		if (child > 0)
			waitpid(child, NULL, 0);
		return;
	}
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path ? path : "");
	if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)) || sendmsg(s, &mh, 0) < 0 ||
	    (n = recv(s, reply, sizeof(reply) - 1, 0)) <= 0) {
		printf("FOREIGN_RELEASE failed: %s\n", strerror(errno));
	} else {
		reply[n] = '\0';
		printf("FOREIGN_RELEASE %s\n", reply);
	}
	fflush(stdout);
	_exit(0);
}


static sctp_assoc_t first_assoc;

/* One-to-many: wait for COMM_UP of each association we started. */
static int wait_up(int fd, int want)
{
	char buf[4096];
	int up = 0;

	while (up < want && !stop) {
		struct sctp_sndrcvinfo sri;
		int flags = 0;
		ssize_t r = sctp_recvmsg(fd, buf, sizeof(buf), NULL, NULL, &sri, &flags);
		const union sctp_notification *n = (const void *)buf;

		if (r < 0)
			return errno == EINTR ? -1 : -1;
		if ((flags & MSG_NOTIFICATION) && n->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
			if (n->sn_assoc_change.sac_state != SCTP_COMM_UP)
				return -1;
			printf("CONNECTED assoc=%d\n", n->sn_assoc_change.sac_assoc_id);
			if (!up++)
				first_assoc = n->sn_assoc_change.sac_assoc_id;
		}
	}
	return up == want ? 0 : -1;
}

/* One more socket of the same process, kept open until exit: the daemon's
 * per-client limit counts what one connection handed over. */
static void manage_extra(const char *bind_list, int port, int family, const char *policy, int i)
{
	struct sockaddr_storage addrs[8];
	int fam, n = addrlist_parse(bind_list, port, addrs, 8, &fam);
	int fd = socket(family, SOCK_SEQPACKET, IPPROTO_SCTP), err;

	if (fd < 0 || n <= 0 || sctp_bindx(fd, (struct sockaddr *)addrs, n, SCTP_BINDX_ADD_ADDR) ||
	    listen(fd, 4)) {
		printf("EXTRA_MANAGE_FAILED i=%d err=%d socket/bind/listen\n", i, -errno);
		return;
	}
	err = asconf_manage(fd, policy);
	if (err)
		printf("EXTRA_MANAGE_FAILED i=%d err=%d %s\n", i, err, asconf_strerror());
	else
		printf("EXTRA_MANAGED i=%d\n", i);
}

/* The bare floor: each line of the FIFO one sctp_bindx, stamped just
 * before the call, as addr_timed stamps its netlink request. */
static void bindx_fifo(int fd, const char *path, int port)
{
	char line[128], op[8], addr[64];
	FILE *f = fopen(path, "r+");    /* r+: no EOF when a writer leaves */
	struct sigaction sa = { .sa_handler = on_signal };      /* no SA_RESTART */

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (!f) {
		printf("BINDX_FIFO_FAILED err=%d\n", -errno);
		return;
	}
	while (!stop && fgets(line, sizeof(line), f)) {
		struct sockaddr_storage a[1];
		struct timespec ts;
		int fam, err;

		if (sscanf(line, "%7s %63s", op, addr) != 2 || (strcmp(op, "add") && strcmp(op, "rem")) ||
		    addrlist_parse(addr, port, a, 1, &fam) != 1) {
			printf("BINDX_BAD line=%s", line);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		err = sctp_bindx(fd, (struct sockaddr *)a, 1,
				 op[0] == 'a' ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR) ? -errno : 0;
		printf("BINDX %s %s t_us=%lld err=%d\n", op, addr,
		       (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000, err);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "connect", required_argument, NULL, 'c' },
		{ "peer-port", required_argument, NULL, 'q' },
		{ "listen", no_argument, NULL, 'l' },
		{ "stream", no_argument, NULL, 's' },
		{ "inet6", no_argument, NULL, '6' },
		{ "v6only", no_argument, NULL, 'o' },
		{ "manage", no_argument, NULL, 'm' },
		{ "policy", required_argument, NULL, 'P' },
		{ "send-every", required_argument, NULL, 'e' },
		{ "auto-asconf", no_argument, NULL, 'a' },
		{ "drop-after", required_argument, NULL, 'd' },
		{ "fork-idle", no_argument, NULL, 'F' },
		{ "fork-manage", required_argument, NULL, 'M' },
		{ "fork-takeover", no_argument, NULL, 'O' },
		{ "as", required_argument, NULL, 'u' },
		{ "foreign-release", no_argument, NULL, 'r' },
		{ "extra", required_argument, NULL, 'x' },
		{ "bindx-fifo", required_argument, NULL, 'X' },
		{ "linger", required_argument, NULL, 'L' },
		{ "fill", no_argument, NULL, 'f' },
		{ "asconf-bind", no_argument, NULL, 'B' },
		{ 0 }
	};
	struct sctp_event_subscribe ev = { .sctp_association_event = 1 };
	struct sockaddr_storage addrs[8], peer[8];
	const char *bind_list = NULL, *connects[8], *policy = NULL, *fifo = NULL;
	int nconn = 0, port = 0, peer_port = 0, family, fam2, n, fd, c, err;
	int listening = 0, stream = 0, inet6 = 0, v6only = 0, manage = 0, every = 0;
	int auto_asconf = 0, drop_after = -1, fork_idle = 0, fork_port = 0, takeover = 0;
	int foreign = 0, extra = 0, linger = -1, fill = 0, lib_bind = 0, bind_managed = 0;
	unsigned long sent = 0;
	unsigned int uid, gid;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bind_list = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'c': if (nconn < 8) connects[nconn++] = optarg; break;
		case 'q': peer_port = atoi(optarg); break;
		case 'l': listening = 1; break;
		case 's': stream = 1; break;
		case '6': inet6 = 1; break;
		case 'o': v6only = 1; break;
		case 'm': manage = 1; break;
		case 'P': policy = optarg; break;
		case 'e': every = atoi(optarg); break;
		case 'a': auto_asconf = 1; break;
		case 'd': drop_after = atoi(optarg); break;
		case 'F': fork_idle = 1; break;
		case 'M': fork_port = atoi(optarg); break;
		case 'O': takeover = 1; break;
		case 'r': foreign = 1; break;
		case 'x': extra = atoi(optarg); break;
		case 'X': fifo = optarg; break;
		case 'L': linger = atoi(optarg); break;
		case 'f': fill = 1; break;
		case 'B': lib_bind = 1; break;
		case 'u':
			/* An application with its own user: no root from here on. */
			if (sscanf(optarg, "%u:%u", &uid, &gid) != 2 || setgroups(0, NULL) ||
			    setgid(gid) || setuid(uid)) {
				perror("sctp_client: --as");
				return 1;
			}
			break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (lib_bind && !bind_list) {
		n = 1;
		family = AF_INET;
	} else {
		n = addrlist_parse(bind_list, port, addrs, 8, &family);
	}
	if (n <= 0 || (lib_bind && (bind_list || manage || extra || fork_port)) || (!listening && !nconn) || (stream && nconn > 1)) {
		fputs(usage, stderr);
		return 2;
	}
	if (inet6)
		family = AF_INET6;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fd = socket(family, stream ? SOCK_STREAM : SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0 || (v6only && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only))) ||
	    setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof(ev)) ||
	    (!lib_bind && sctp_bindx(fd, (struct sockaddr *)addrs, n, SCTP_BINDX_ADD_ADDR))) {
		perror("sctp_client: socket/bind");
		return 1;
	}
	if (lib_bind) {
		err = library_bind(fd, port, policy);
		if (err < 0)
			return 1;
		bind_managed = !err;
	}
	/* The kernel's own mechanism, for comparison (wildcard sockets only). */
	if (auto_asconf &&
	    setsockopt(fd, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &auto_asconf, sizeof(auto_asconf))) {
		perror("sctp_client: SCTP_AUTO_ASCONF");
		return 1;
	}
	if (listening) {
		if (listen(fd, 16)) {
			perror("sctp_client: listen");
			return 1;
		}
		printf("LISTENING\n");
	}
	for (int i = 0; i < nconn; i++) {
		int np = addrlist_parse(connects[i], peer_port, peer, 8, &fam2);

		if (np <= 0 || sctp_connectx(fd, (struct sockaddr *)peer, np, NULL)) {
			perror("sctp_client: connect");
			return 1;
		}
		if (stream)
			printf("CONNECTED assoc=0\n");
	}
	if (!stream && nconn && wait_up(fd, nconn)) {
		fprintf(stderr, "sctp_client: association did not come up\n");
		return 1;
	}
	if (manage) {
		err = asconf_manage(fd, policy);
		if (err)
			printf("MANAGE_FAILED err=%d %s\n", err, asconf_strerror());
		else
			printf("MANAGED\n");
		if (!err && foreign)
			foreign_release(fd);
		for (int i = 1; i <= extra; i++)
			manage_extra(bind_list, port + i, family, policy, i);
	}
	/* A child that inherits the connection to the daemon but not the
	 * socket: the connection outlives this process, the socket must not. */
	if (fork_idle) {
		pid_t child = fork();

		if (child < 0) {
			perror("sctp_client: fork");
			return 1;
		}
		if (!child) {
			close(fd);
			while (!stop)
				pause();
			_exit(0);
		}
		printf("IDLE_CHILD pid=%d\n", (int)child);
	}
	/* A pre-forked worker: its requests go over the parent's connection,
	 * and what it hands over is its own, not its parent's. */
	if (fork_port || takeover) {
		pid_t child = fork();

		if (child < 0) {
			perror("sctp_client: fork");
			return 1;
		}
		if (!child) {
			int cfd = fd;

			if (fork_port) {
				int np, nb = addrlist_parse(bind_list, fork_port, addrs, 8, &fam2);

				close(fd);
				np = addrlist_parse(connects[0], peer_port, peer, 8, &fam2);
				cfd = socket(family, stream ? SOCK_STREAM : SOCK_SEQPACKET, IPPROTO_SCTP);
				if (cfd < 0 || nb <= 0 || np <= 0 ||
				    sctp_bindx(cfd, (struct sockaddr *)addrs, nb, SCTP_BINDX_ADD_ADDR) ||
				    sctp_connectx(cfd, (struct sockaddr *)peer, np, NULL)) {
					printf("CHILD_MANAGE_FAILED err=%d socket/bind/connect\n", -errno);
					_exit(1);
				}
			}
			err = asconf_manage(cfd, policy);
			if (err)
				printf("CHILD_MANAGE_FAILED err=%d %s\n", err, asconf_strerror());
			else
				printf("CHILD_MANAGED pid=%d\n", (int)getpid());
			while (!stop)
				pause();
			_exit(0);
		}
	}
	/* An application that closes its socket but not its connection to the
	 * daemon (no asconf_release): the daemon must let the socket go. */
	if (drop_after >= 0) {
		usleep((useconds_t)drop_after * 1000);
		close(fd);
		fd = -1;
		printf("DROPPED\n");
	}
	if (fifo && fd >= 0)
		bindx_fifo(fd, fifo, port);
	if (linger >= 0 && fd >= 0) {
		struct linger lg = { .l_onoff = 1, .l_linger = linger };

		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
			perror("sctp_client: SO_LINGER");
	}
	if (fill && fd >= 0 && nconn) {
		static char chunk[1024];
		unsigned long bytes = 0;
		struct sctp_sndrcvinfo si = { .sinfo_assoc_id = first_assoc };

		while (sctp_send(fd, chunk, sizeof(chunk), &si, MSG_DONTWAIT) > 0)
			bytes += sizeof(chunk);
		printf("FILLED bytes=%lu\n", bytes);
	}
	while (!stop) {
		if (every && nconn && fd >= 0) {
			struct sctp_sndrcvinfo si = { .sinfo_assoc_id = first_assoc };
			char msg[64];
			int len = snprintf(msg, sizeof(msg), "seq %lu", sent);

			/* One-to-many with several peers: the first association. */
			if (sctp_send(fd, msg, (size_t)len + 1, &si, 0) < 0) {
				if (errno != EINTR)
					printf("SEND_FAILED seq=%lu err=%d\n", sent, errno);
			} else {
				sent++;
			}
			usleep((useconds_t)every * 1000);
		} else {
			pause();
		}
	}
	printf("SENT n=%lu\n", sent);
	if (fd >= 0) {
		if (manage || bind_managed)
			asconf_release(fd);
		close(fd);
	}
	return 0;
}
