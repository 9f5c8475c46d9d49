/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The control protocol's framing, shared by the daemon and its clients.
 *
 * A Unix SOCK_SEQPACKET connection; every message is one line of text, at
 * most CTLMSG_MAX bytes, and may carry one file descriptor (SCM_RIGHTS).
 *   MANAGE [POLICY] [fd=N] + fd -> "OK <id>" | "ERR <errno> <reason>"
 *                     (N: the sender's number for the socket, kept so that
 *                     a restarted daemon can take it again)
 *   RELEASE           + fd  -> "OK" | "ERR <errno> <reason>"
 *   MANAGE-PID PID FD [POLICY] -> "OK <id>" | "ERR <errno> <reason>"
 *   RELEASE-PID PID FD         -> "OK" | "ERR <errno> <reason>"
 *                     (a running program's descriptor; root or PID's user)
 *   STATUS [JSON|METRICS|CHECK]
 *                           -> zero or more messages of status lines, then "OK"
 *      (text for people; JSON, docs/status-json.md; Prometheus text
 *      exposition; one monitoring-plugin line "ASCONFD OK|WARNING - ...")
 *   RELOAD                  -> "OK" | "ERR <errno> <FILE:LINE: reason>"
 *   ADDRS [POLICY] inet|inet6 [v6only]
 *                           -> one message: "OK narrow-wildcard=yes|no
 *                              narrow-empty=fail|wildcard", then one line per
 *                              address the policy finds usable now for such
 *                              a socket ("192.0.2.1", "2001:db8::1",
 *                              "fe80::1%3" with the ifindex as scope id),
 *                              none with narrow-wildcard=no; or ERR
 *      (for a wildcard bind to narrow: agent/proto/narrow.h; the host's
 *      own addresses, filtered by the policy)
 *   MANAGE ... from=wildcard   the socket was narrowed from the wildcard
 *                              (shown in status)
 * Anything else gets "ERR <errno> <reason>" and the connection stays up. */
#ifndef ASCONF_AGENT_CTLMSG_H
#define ASCONF_AGENT_CTLMSG_H

#include <stddef.h>
#include <sys/types.h>

#define CTLMSG_MAX 1024           /* a request */
#define CTLMSG_REPLY_MAX 32768    /* a reply: status lines are packed */
#define CTLMSG_DEFAULT_PATH "/run/asconfd/control.sock"
#define CTLMSG_ENV "ASCONF_CONTROL"
/* With monitor-group: the read-only socket, next to the control socket. */
#define CTLMSG_MONITOR_NAME "monitor.sock"

/* fd < 0: no descriptor.  Returns 0 or a negative errno. */
int ctlmsg_send(int sock, const char *text, int fd);

/* Receives one message into buf (NUL-terminated, trailing newline cut).
 * *fd gets a passed descriptor or -1; extra descriptors are closed.
 * Returns the text length, 0 on orderly close, or a negative errno
 * (-EMSGSIZE for an oversized message or more than CTLMSG_MAX_FDS
 * descriptors, -EMFILE when a passed descriptor could not be received for
 * lack of descriptors; the message is consumed in both cases). */
#define CTLMSG_MAX_FDS 8
/* What one message can carry at most (the kernel's SCM_MAX_FD): all are
 * received, so that none is dropped by the kernel in the receiver. */
#define CTLMSG_RECV_FDS 253
ssize_t ctlmsg_recv(int sock, char *buf, size_t len, int *fd);
/* The same, and *pid gets the sender's pid when the socket has SO_PASSCRED
 * (the kernel stamps every message with it), else 0. */
ssize_t ctlmsg_recv_from(int sock, char *buf, size_t len, int *fd, pid_t *pid);
/* How ctlmsg_recv drops the descriptors it does not return (close by
 * default).  The daemon's close of a descriptor a client passed can be the
 * last and block (SO_LINGER): it sets fdclose_foreign here. */
void ctlmsg_set_discard(void (*discard)(int fd));
/* Closes a connection whose peer may have sent descriptors not read yet:
 * closing with them queued makes the kernel drop them in the closer, and
 * the last drop of a lingering socket blocks.  The peer is shut out
 * first, then what is queued is read and its descriptors discarded. */
void ctlmsg_close(int sock);

/* The control socket path: $ASCONF_CONTROL, else the default (always the
 * default in a secure-execution program: set-user-ID and the like). */
const char *ctlmsg_path(void);

/* Connects a client; returns the socket or a negative errno. */
int ctlmsg_connect(const char *path);

#endif
