// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: the daemon's control request path.  The input, but
 * its first byte, is sent as one SEQPACKET message over a socketpair and
 * served by ctl_serve (agent/daemon/control/ctl.c with agent/proto/ctlmsg.c) with fake
 * ctl_ops; the first byte's bits: pass a descriptor along, make the ops
 * fail, SO_PASSCRED on the daemon's end, a status too large for the
 * socket (the CTL_PENDING path).  Every reply must be "OK...", "ERR
 * <errno> ..." or status lines, and no descriptor may leak. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "../../agent/daemon/control/ctl.h"
#include "../../agent/proto/ctlmsg.h"
#include "../../common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { F_FD = 1, F_FAIL = 2, F_CRED = 4, F_BIG = 8 };
static unsigned int flags;

static int fake_manage(void *ctx, int client, pid_t pid, int fd, int appfd,
		       const char *policy, unsigned int *id, char *why, size_t len)
{
	(void)ctx, (void)client, (void)pid, (void)appfd;
	close(fd);      /* manage takes fd in every case */
	if (flags & F_FAIL) {
		snprintf(why, len, "no policy named '%.64s'", policy ? policy : "");
		return -ENOENT;
	}
	*id = 7;
	return 0;
}

static int fake_release(void *ctx, int client, pid_t pid, int fd, char *why, size_t len)
{
	(void)ctx, (void)client, (void)pid, (void)fd;      /* ctl.c closes fd */
	if (flags & F_FAIL) {
		snprintf(why, len, "not managed");
		return -ENOENT;
	}
	return 0;
}

static void fake_status(void *ctx, struct ctl *c, int format)
{
	(void)ctx;
	ctl_printf(c, "asconfd fuzz format %d", format);
	for (int i = 0; (flags & F_BIG) && i < 8000; i++)
		ctl_printf(c, "socket %d pid 1 policy default addresses 10.0.0.1 10.0.0.2", i);
	if (flags & F_FAIL)
		ctl_fail(c);
}

static void fake_gone(void *ctx, int client)
{
	(void)ctx, (void)client;
}

static int fake_pid(void *ctx, uid_t uid, pid_t pid, int fd, const char *policy,
		    unsigned int *id, char *why, size_t len)
{
	(void)ctx, (void)uid, (void)pid, (void)fd, (void)policy;
	if (flags & F_FAIL) {
		snprintf(why, len, "no such process");
		return -ESRCH;
	}
	*id = 8;
	return 0;
}

static int fake_release_pid(void *ctx, uid_t uid, pid_t pid, int fd, char *why, size_t len)
{
	return fake_pid(ctx, uid, pid, fd, NULL, &(unsigned int){ 0 }, why, len);
}

static int fake_reload(void *ctx, char *why, size_t len)
{
	(void)ctx;
	if (flags & F_FAIL) {
		snprintf(why, len, "/etc/asconfd.conf:1: bad");
		return -EINVAL;
	}
	return 0;
}

static const struct ctl_ops ops = {
	.manage = fake_manage, .release = fake_release, .status = fake_status,
	.gone = fake_gone, .manage_pid = fake_pid, .release_pid = fake_release_pid,
	.reload = fake_reload,
};

/* The lowest free descriptor number: the same after each input, or one
 * leaked. */
static int lowest_free(void)
{
	int fd = fcntl(0, F_DUPFD, 0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static struct ctl *ctl;
static char dir[] = "/tmp/fuzz_ctl.XXXXXX";

static void cleanup(void)
{
	ctl_close(ctl);
	rmdir(dir);
}

/* Everything the daemon sent: well-formed replies only. */
static void drain(int s)
{
	char buf[CTLMSG_REPLY_MAX + 1];
	ssize_t n;

	while ((n = recv(s, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		if (!strncmp(buf, "ERR ", 4) && (buf[4] < '1' || buf[4] > '9'))
			abort();
		if (strncmp(buf, "OK", 2) && strncmp(buf, "ERR ", 4) && strncmp(buf, "asconfd ", 8) &&
		    strncmp(buf, "socket ", 7))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], why[256];
	int sv[2], fd = -1, err, rounds = 0, lowest;

	if (!ctl) {
		log_open("fuzz", false, LOG_ERR);
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/c.sock", dir);
		ctl = ctl_open(path, &ops, NULL, why, sizeof(why));
		if (!ctl)
			abort();
		atexit(cleanup);
	}
	if (!size)
		return 0;
	flags = data[0];
	data++, size--;
	lowest = lowest_free();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	if (flags & F_CRED)
		setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
	if (flags & F_FD)
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* The message may hold NULs and be longer than CTLMSG_MAX: as a
	 * client could send it. */
	{
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { (void *)data, size };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		if (fd >= 0) {
			struct cmsghdr *cm;

			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		}
		if (sendmsg(sv[1], &mh, MSG_NOSIGNAL) < 0) {
			/* Too large for the socket: nothing to serve. */
			close(sv[0]);
			close(sv[1]);
			if (fd >= 0)
				close(fd);
			return 0;
		}
	}
	if (fd >= 0)
		close(fd);      /* the copy in flight is the daemon's */
	err = ctl_serve(ctl, sv[0]);
	while (err == CTL_PENDING && rounds++ < 1000) {
		drain(sv[1]);
		err = ctl_flush(ctl, sv[0]);
	}
	if (err == CTL_PENDING)
		abort();
	drain(sv[1]);
	ctl_drop(ctl, sv[0]);
	close(sv[1]);
	if (lowest_free() != lowest)
		abort();
	return 0;
}
