// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asconf.h"
#include "ctlmsg.h"

#define EXPORT __attribute__((visibility("default")))

/* The Makefile passes VERSION's parts: the installed header must not claim
 * another version than the library it comes with. */
#ifdef ASCONF_BUILD_MAJOR
_Static_assert(ASCONF_VERSION_MAJOR == ASCONF_BUILD_MAJOR &&
	       ASCONF_VERSION_MINOR == ASCONF_BUILD_MINOR &&
	       ASCONF_VERSION_PATCH == ASCONF_BUILD_PATCH,
	       "agent/asconf.h's ASCONF_VERSION_* differ from the VERSION file");
#endif

/* One connection per process: the daemon releases a client's sockets when
 * its connection closes, so the connection must live as long as they do. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int conn = -1;
static __thread char reason[256];

static int fail(int err, const char *why)
{
	snprintf(reason, sizeof(reason), "%s", why);
	return err;
}

/* The reply is "OK ..." or "ERR <errno> <reason>". */
static int parse_reply(const char *r)
{
	char *end;
	long e;

	if (!strncmp(r, "OK", 2) && (r[2] == '\0' || r[2] == ' '))
		return 0;
	if (strncmp(r, "ERR ", 4))
		return fail(-EPROTO, "asconfd sent a reply this library does not understand");
	e = strtol(r + 4, &end, 10);
	if (end == r + 4 || e <= 0 || e > 4095)
		return fail(-EPROTO, "asconfd sent a malformed error reply");
	while (*end == ' ')
		end++;
	return fail((int)-e, end);
}

static int request(const char *text, int fd)
{
	char buf[CTLMSG_REPLY_MAX + 1];
	int err, rfd;
	ssize_t n;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn < 0) {
			conn = ctlmsg_connect(ctlmsg_path());
			if (conn < 0) {
				err = conn;
				conn = -1;
				snprintf(reason, sizeof(reason), "cannot reach asconfd at %s: %s",
					 ctlmsg_path(), strerror(-err));
				return err;
			}
		}
		err = ctlmsg_send(conn, text, fd);
		if (!err) {
			n = ctlmsg_recv(conn, buf, sizeof(buf), &rfd);
			if (rfd >= 0)
				close(rfd);
			if (n > 0)
				return parse_reply(buf);
			err = n ? (int)n : -ECONNRESET;
		}
		/* The daemon went away (restart): reconnect once. */
		close(conn);
		conn = -1;
		if (err != -EPIPE && err != -ECONNRESET && err != -ENOTCONN)
			break;
	}
	snprintf(reason, sizeof(reason), "lost the connection to asconfd: %s", strerror(-err));
	return err;
}

EXPORT int asconf_manage(int fd, const char *policy)
{
	char text[CTLMSG_MAX];
	int err;

	reason[0] = '\0';
	if (fd < 0)
		return fail(-EBADF, "bad file descriptor");
	if (policy && (strlen(policy) > 200 || strpbrk(policy, " \t\r\n")))
		return fail(-EINVAL, "policy name must be a single word of at most 200 bytes");
	snprintf(text, sizeof(text), "MANAGE%s%s", policy ? " " : "", policy ? policy : "");
	pthread_mutex_lock(&lock);
	err = request(text, fd);
	pthread_mutex_unlock(&lock);
	return err;
}

EXPORT int asconf_release(int fd)
{
	int err;

	reason[0] = '\0';
	if (fd < 0)
		return fail(-EBADF, "bad file descriptor");
	pthread_mutex_lock(&lock);
	err = conn < 0 ? fail(-ENOENT, "socket is not managed") : request("RELEASE", fd);
	pthread_mutex_unlock(&lock);
	return err;
}

EXPORT const char *asconf_strerror(void)
{
	return reason;
}
