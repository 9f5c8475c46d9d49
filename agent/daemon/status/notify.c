// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../../../common/log.h"
#include "notify.h"

static int sock = -1;
static struct sockaddr_un addr;
static socklen_t addrlen;
static uint64_t watchdog_usec;
static bool send_failed;

static uint64_t parse_u64(const char *s, bool *ok)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	*ok = s[0] >= '0' && s[0] <= '9' && !*end && !errno;
	return v;
}

static void read_watchdog(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	bool ok = true;
	uint64_t v;

	watchdog_usec = 0;
	if (!usec)
		return;
	/* WATCHDOG_PID names the process the watchdog is meant for. */
	if (pid && (parse_u64(pid, &ok) != (uint64_t)getpid() || !ok))
		return;
	v = parse_u64(usec, &ok);
	if (!ok || !v) {
		log_warn("WATCHDOG_USEC='%.32s' is not a positive number: no watchdog", usec);
		return;
	}
	watchdog_usec = v;
}

int notify_open(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t len;
	int err;

	read_watchdog();
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (!path || !*path) {
		unsetenv("NOTIFY_SOCKET");
		return 0;
	}
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(addr.sun_path)) {
		log_warn("NOTIFY_SOCKET='%.64s' is not an absolute path or @abstract name: "
			 "the service manager will not be notified", path);
		unsetenv("NOTIFY_SOCKET");
		return -EINVAL;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, len);
	if (path[0] == '@')
		addr.sun_path[0] = '\0';
	addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	unsetenv("NOTIFY_SOCKET");
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		err = -errno;
		log_err("cannot create the notification socket: %s", strerror(-err));
		return err;
	}
	return 0;
}

void notify_close(void)
{
	if (sock >= 0)
		close(sock);
	sock = -1;
}

bool notify_enabled(void)
{
	return sock >= 0;
}

int notify_send(const char *msg)
{
	int err;

	if (sock < 0)
		return 0;
	if (sendto(sock, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&addr,
		   addrlen) >= 0) {
		send_failed = false;
		return 0;
	}
	err = -errno;
	if (!send_failed)
		log_warn("cannot notify the service manager: %s", strerror(-err));
	send_failed = true;
	return err;
}

uint64_t notify_watchdog_usec(void)
{
	return watchdog_usec;
}
