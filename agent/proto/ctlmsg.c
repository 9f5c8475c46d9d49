// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ctlmsg.h"

static void (*discard)(int fd);

void ctlmsg_set_discard(void (*fn)(int fd))
{
	discard = fn;
}

static void drop(int fd)
{
	if (discard)
		discard(fd);
	else
		close(fd);
}

int ctlmsg_send(int sock, const char *text, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { (void *)text, strlen(text) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (iov.iov_len > CTLMSG_REPLY_MAX)
		return -EMSGSIZE;
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

ssize_t ctlmsg_recv(int sock, char *buf, size_t len, int *fd)
{
	return ctlmsg_recv_from(sock, buf, len, fd, NULL);
}

ssize_t ctlmsg_recv_from(int sock, char *buf, size_t len, int *fd, pid_t *pid)
{
	union {
		/* Room for as many as a message can carry (SCM_MAX_FD): what
		 * the kernel cannot hand over it drops, and the last drop of
		 * a lingering socket blocks whoever drops it: here, us. */
		char buf[CMSG_SPACE(sizeof(int) * CTLMSG_RECV_FDS) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { buf, len - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	size_t got = 0;
	ssize_t n;

	*fd = -1;
	if (pid)
		*pid = 0;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* Take every passed descriptor, keep at most one: a client must not be
	 * able to leak descriptors into the daemon. */
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred)) && pid) {
			struct ucred cr;

			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			*pid = cr.pid;
		}
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		for (size_t i = 0; i < nfd; i++) {
			int f;

			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			got++;
			if (*fd < 0)
				*fd = f;
			else
				drop(f);
		}
	}
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || got > CTLMSG_MAX_FDS) {
		if (*fd >= 0)
			drop(*fd);
		*fd = -1;
		/* MSG_CTRUNC with room to spare: the kernel could not install
		 * a passed descriptor (our descriptor table is full), which
		 * is no fault of the message. */
		if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) == MSG_CTRUNC &&
		    got < CTLMSG_RECV_FDS)
			return -EMFILE;
		return -EMSGSIZE;
	}
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

void ctlmsg_close(int sock)
{
	char buf[64];
	ssize_t n;
	int fd;

	/* The peer can send no more from here on (EPIPE). */
	shutdown(sock, SHUT_RD);
	fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK);
	do {
		n = ctlmsg_recv_from(sock, buf, sizeof(buf), &fd, NULL);
		if (fd >= 0)
			drop(fd);
	} while (n > 0 || n == -EMSGSIZE || n == -EMFILE || n == -EINTR);
	close(sock);
}

/* secure_getenv: in a set-user-ID or set-group-ID program (or one with
 * file capabilities) the user's environment must not choose the daemon it
 * hands its sockets to, or it could be a socket of the user's that takes
 * the program's descriptors. */
const char *ctlmsg_path(void)
{
	const char *p = secure_getenv(CTLMSG_ENV);

	return p && *p ? p : CTLMSG_DEFAULT_PATH;
}

int ctlmsg_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
		err = -errno;
		close(s);
		return err;
	}
	return s;
}
