/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's side of the control socket: accepts clients and turns their
 * requests into calls on the agent; knows nothing about SCTP itself. */
#ifndef ASCONF_AGENT_CTL_H
#define ASCONF_AGENT_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ctl;

/* What a STATUS request asks for: STATUS, STATUS JSON, STATUS METRICS,
 * STATUS CHECK. */
enum ctl_format { CTL_TEXT, CTL_JSON, CTL_METRICS, CTL_CHECK };

struct ctl_ops {
	/* Takes fd in every case (closes it when refused).  0 or -errno + why. */
	/* pid: the sender; appfd: its number for the socket, or -1. */
	int (*manage)(void *ctx, int client, pid_t pid, int fd, int appfd,
		      const char *policy, unsigned int *id, char *why, size_t len);
	int (*release)(void *ctx, int client, pid_t pid, int fd, char *why, size_t len);
	/* Append status lines with ctl_printf(), in an enum ctl_format. */
	void (*status)(void *ctx, struct ctl *c, int format);
	/* The client's connection closed: release what it handed over. */
	void (*gone)(void *ctx, int client);
	/* asconfctl manage|release PID FD, asked by a process of user uid:
	 * the socket is PID's descriptor FD.  0 or -errno + why. */
	int (*manage_pid)(void *ctx, uid_t uid, pid_t pid, int fd, const char *policy,
			  unsigned int *id, char *why, size_t len);
	int (*release_pid)(void *ctx, uid_t uid, pid_t pid, int fd, char *why, size_t len);
	/* Re-read the configuration: 0, or -errno and why ("FILE:LINE: ..."). */
	int (*reload)(void *ctx, char *why, size_t len);
	/* ADDRS: the whole reply for a wildcard of a socket of family
	 * (v6only) under policy (NULL: default), "OK ..." and one address a
	 * line, into out.  0 or -errno + why.  pid: who asks (for the log). */
	int (*addrs)(void *ctx, pid_t pid, const char *policy, int family, bool v6only,
		     char *out, size_t len, char *why, size_t wlen);
	/* The socket just managed as id was narrowed from a wildcard bind
	 * (MANAGE ... from=wildcard). */
	void (*narrowed)(void *ctx, unsigned int id);
};

/* Who may connect: the socket file's group (has_group: else the daemon's)
 * and mode. */
struct ctl_access {
	bool has_group;
	gid_t group;
	mode_t mode;
};

/* Listens on path, refusing to take over a live daemon's socket.  The
 * socket file appears with its group and mode already set (it is made in
 * a private directory and renamed into place), so it is never reachable
 * by more than access allows.  Returns NULL with errno set and a reason
 * in why. */
struct ctl *ctl_open_access(const char *path, const struct ctl_access *access,
			    const struct ctl_ops *ops, void *ctx, char *why, size_t len);
/* The same with mode 0660 and the daemon's group. */
struct ctl *ctl_open(const char *path, const struct ctl_ops *ops, void *ctx,
		     char *why, size_t len);
/* monitor-group: a second socket at path (mode 0666) on which only root,
 * the daemon's user and members of group gid (SO_PEERGROUPS at accept)
 * stay connected, and only STATUS is served (any other request: ERR 1,
 * EPERM).  0 or -errno and why. */
int ctl_open_monitor(struct ctl *c, const char *path, gid_t gid, char *why, size_t len);
/* Its listening descriptor, -1: none; its group changed (reload), or none
 * (only root and the daemon's user then). */
int ctl_monitor_fd(const struct ctl *c);
void ctl_set_monitor(struct ctl *c, bool has_group, gid_t gid);
/* Accepts one client on the monitor socket: as ctl_accept, and -EACCES
 * when it was not allowed (answered and closed). */
int ctl_accept_monitor(struct ctl *c);
/* Changes group and mode of the live socket file, never wider on the way. */
int ctl_set_access(struct ctl *c, bool has_group, gid_t group, mode_t mode,
		   char *why, size_t len);
/* Who may hold how many connections, and for how long.  Root and the
 * daemon's own user are never refused (they are the operator and the
 * monitoring); every other uid gets at most max_per_user connections and
 * all of them together max_clients, so one user in the control group
 * cannot lock out another.  A connection over a limit is answered
 * "ERR 87 <reason>" (EUSERS) and closed at once: it holds nothing. */
struct ctl_limits {
	unsigned int max_clients;       /* 0: no limit */
	unsigned int max_per_user;      /* 0: no limit */
	unsigned int idle_ms;           /* no request this long after connecting: dropped; 0: never */
	unsigned int reply_ms;          /* a pending reply not read for this long: dropped; 0: never */
	size_t reply_bytes_per_user;    /* unsent replies of one uid; 0: the built-in 32 MiB */
};
void ctl_set_limits(struct ctl *c, const struct ctl_limits *lim);
/* The uid of an accepted client (SO_PEERCRED), and whether the per-user
 * limits apply to it; false for a descriptor ctl_accept did not return. */
bool ctl_client_uid(const struct ctl *c, int client, uid_t *uid, bool *privileged);
void ctl_close(struct ctl *c);          /* also unlinks the path */

int ctl_listen_fd(const struct ctl *c);

/* Accepts one client; returns its fd (to poll) or a negative errno:
 * -EUSERS when it was over a limit (answered and closed).  Out of descriptors (-EMFILE, -ENFILE) the pending client was answered
 * "ERR 24 daemon out of file descriptors" and closed, using a descriptor
 * kept in reserve.  -EBUSY: not even that was possible; stop polling the
 * listener (it would stay readable) until ctl_can_accept() says yes, once
 * some descriptor was closed. */
int ctl_accept(struct ctl *c);
bool ctl_can_accept(struct ctl *c);

/* Milliseconds until the next client's time (ctl_limits) runs out, for the
 * event loop's timeout; -1: no client waits on a deadline. */
int ctl_next_timeout(struct ctl *c);
/* A client whose time ran out (logged, told why if it has room), for the
 * caller to ctl_drop; -1 when there is none.  Call until -1. */
int ctl_expired(struct ctl *c);

/* Serves one request from client.  Returns 0, or a negative errno when the
 * client is gone or misbehaving; the caller then calls ctl_drop().
 * CTL_PENDING: the reply did not fit in the client's socket; the caller
 * waits until it is writable (and reads no more requests from it: they
 * would be answered out of order), then calls ctl_flush(), until it
 * returns 0 (then wait for requests again) or a negative errno (drop). */
#define CTL_PENDING 1
int ctl_serve(struct ctl *c, int client);
int ctl_flush(struct ctl *c, int client);
bool ctl_pending(struct ctl *c, int client);    /* a reply waits for room */
void ctl_drop(struct ctl *c, int client);

/* For the status callback: one line of output. */
void ctl_printf(struct ctl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The status could not be built whole (no memory): the client gets an ERR. */
void ctl_fail(struct ctl *c);

#endif
