// SPDX-License-Identifier: GPL-2.0-or-later
/* sctp_server: a one-to-one (SOCK_STREAM) server, the shape of Diameter,
 * M3UA and S1AP servers.  Binds to specific addresses, listens, accepts N
 * associations and hands the listener and every accepted socket to asconfd
 * with libasconf, in the order asked for; optionally streams numbered
 * messages ("seq N") on each accepted socket.  Prints:
 *   LISTENING
 *   ACCEPTED i                 (i = 0..N-1)
 *   MANAGED listener | MANAGED accepted i | MANAGE_FAILED what err=-E reason
 *   READY                      (everything accepted and handed over)
 * With --hold the listener is handed over at once and the accepted sockets
 * only on SIGUSR1 (after "ACCEPTED" and "HOLDING"): sockets accepted before
 * an address came, registered after the listener got it. 
 *   SENT i n=N                 (on exit, per accepted socket)
 *   SOCKOPTS listener|accepted i reuseaddr=0|1 reuseport=0|1   (on exit)
 *   SEND_FAILED i seq=N err=E
 * Runs until SIGTERM/SIGINT, then closes every socket (graceful SHUTDOWN). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>

#include "asconf.h"
#include "addrlist.h"

#define MAXACC 8

static volatile sig_atomic_t stop, go;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static const char usage[] =
"usage: sctp_server --bind A[,B..] --port P --accept N [--inet6]\n"
"                   [--accepted-first | --hold] [--send-every MS] [--no-manage]\n";

static void manage(int fd, const char *what, int i)
{
	char tag[32];
	int err = asconf_manage(fd, NULL);

	if (i >= 0)
		snprintf(tag, sizeof(tag), "%s %d", what, i);
	else
		snprintf(tag, sizeof(tag), "%s", what);
	if (err)
		printf("MANAGE_FAILED %s err=%d %s\n", tag, err, asconf_strerror());
	else
		printf("MANAGED %s\n", tag);
}

static void sockopts(int fd, const char *what, int i)
{
	int ra = -1, rp = -1;
	socklen_t len = sizeof(ra);

	getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &ra, &len);
	len = sizeof(rp);
	getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &rp, &len);
	if (i >= 0)
		printf("SOCKOPTS %s %d reuseaddr=%d reuseport=%d\n", what, i, ra, rp);
	else
		printf("SOCKOPTS %s reuseaddr=%d reuseport=%d\n", what, ra, rp);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "accept", required_argument, NULL, 'n' },
		{ "inet6", no_argument, NULL, '6' },
		{ "accepted-first", no_argument, NULL, 'a' },
		{ "send-every", required_argument, NULL, 'e' },
		{ "no-manage", no_argument, NULL, 'N' },
		{ "hold", no_argument, NULL, 'H' },
		{ 0 }
	};
	struct sockaddr_storage addrs[8];
	const char *bind_list = NULL;
	int port = 0, nacc = 0, inet6 = 0, accepted_first = 0, every = 0, nomanage = 0;
	int hold = 0;
	int family, n, lfd, c, acc[MAXACC];
	unsigned long sent[MAXACC] = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bind_list = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'n': nacc = atoi(optarg); break;
		case '6': inet6 = 1; break;
		case 'a': accepted_first = 1; break;
		case 'e': every = atoi(optarg); break;
		case 'N': nomanage = 1; break;
		case 'H': hold = 1; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	n = addrlist_parse(bind_list, port, addrs, 8, &family);
	if (n <= 0 || !port || nacc < 0 || nacc > MAXACC) {
		fputs(usage, stderr);
		return 2;
	}
	if (inet6)
		family = AF_INET6;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* No SA_RESTART: the signal must end a blocking accept(). */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Deliberately no SO_REUSEADDR: the plain server asconfd must cope with. */
	lfd = socket(family, SOCK_STREAM, IPPROTO_SCTP);
	if (lfd < 0 || sctp_bindx(lfd, (struct sockaddr *)addrs, n, SCTP_BINDX_ADD_ADDR) ||
	    listen(lfd, 16)) {
		perror("sctp_server: socket/bind/listen");
		return 1;
	}
	printf("LISTENING\n");
	if (!nomanage && !accepted_first)
		manage(lfd, "listener", -1);
	for (int i = 0; i < nacc; i++) {
		acc[i] = accept(lfd, NULL, NULL);
		if (acc[i] < 0) {
			perror("sctp_server: accept");
			return 1;
		}
		printf("ACCEPTED %d\n", i);
		if (!nomanage && !accepted_first && !hold)
			manage(acc[i], "accepted", i);
	}
	if (hold) {
		printf("HOLDING\n");
		while (!go && !stop)
			usleep(10000);  /* pause() could miss a signal sent just before */
		for (int i = 0; !nomanage && i < nacc; i++)
			manage(acc[i], "accepted", i);
	}
	if (!nomanage && accepted_first) {
		for (int i = 0; i < nacc; i++)
			manage(acc[i], "accepted", i);
		manage(lfd, "listener", -1);
	}
	printf("READY\n");
	while (!stop) {
		if (!every || !nacc) {
			pause();
			continue;
		}
		for (int i = 0; i < nacc && !stop; i++) {
			char msg[64];
			int len = snprintf(msg, sizeof(msg), "seq %lu", sent[i]);

			if (sctp_sendmsg(acc[i], msg, (size_t)len + 1, NULL, 0, 0, 0, 0, 0, 0) < 0) {
				if (errno != EINTR)
					printf("SEND_FAILED %d seq=%lu err=%d\n", i, sent[i], errno);
			} else {
				sent[i]++;
			}
		}
		usleep((useconds_t)every * 1000);
	}
	sockopts(lfd, "listener", -1);
	for (int i = 0; i < nacc; i++)
		sockopts(acc[i], "accepted", i);
	for (int i = 0; i < nacc; i++) {
		printf("SENT %d n=%lu\n", i, sent[i]);
		if (!nomanage)
			asconf_release(acc[i]);
		close(acc[i]);
	}
	if (!nomanage)
		asconf_release(lfd);
	close(lfd);
	return 0;
}
