/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's state, shared by the files of agent/daemon/ that make up
 * asconfd: pass.c (reconcile the managed sockets), manage.c (the control
 * requests), status.c (the status report) and asconfd.c (start-up and the
 * event loop). */
#ifndef ASCONF_AGENT_AGENT_H
#define ASCONF_AGENT_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>
#include <time.h>
#include <stddef.h>

#include "config/config.h"
#include "../../sctp/registry.h"

#ifndef ASCONF_VERSION
#define ASCONF_VERSION "0.1.0"
#endif

struct addrtab;
struct host_addr;
struct nlmon;
struct registry;
struct policy;
struct ctl;
struct reg_entry;
struct owners;
struct hold;
struct adopt;
struct affect;
struct pass_memo;
struct state_entry;

/* Since start, for the status, the metrics and the check.  The netlink
 * counters live in nlmon (nlmon_get_stats). */
struct agent_counters {
	uint64_t passes;                /* reconcile passes over the sockets */
	uint64_t passes_cut;            /* ... stopped early for newer events */
	uint64_t bindx_add, bindx_add_failed;
	uint64_t bindx_rem, bindx_rem_failed;
	uint64_t retries;               /* passes run by the retry timer */
	uint64_t orphans_released;      /* owner closed without releasing */
	uint64_t pass_ns;               /* time in passes, for the pass-duration summary */
	uint64_t clients;               /* control connections accepted */
	uint64_t clients_refused;       /* ... answered EMFILE and closed */
	uint64_t clients_now;           /* control connections open */
};

struct agent {
	struct addrtab *tab;
	struct nlmon *mon;
	struct registry *reg;
	struct config *cfg;             /* the file with the command line over it */
	const char *config_path;
	bool config_required;           /* given with -C: must exist */
	struct config_cli cli;          /* kept to lay over every reload */
	struct config *prev_cfg;        /* during a reload's pass: the one before */
	struct hold *hold;              /* when recent addresses became usable */
	bool dump_done;                 /* the first dump is in: later addresses are new */
	struct ctl *ctl;
	struct owners *owners;          /* owner processes of managed sockets */
	struct adopt *adopt;            /* adoption's state (adopt.c) */
	struct affect *aff;             /* what changed since the last full pass */
	struct pass_memo *memo;         /* the last full pass's desired sets (pass.c) */
	char *state_path;               /* the state file, NULL: none */
	struct state_entry *untaken;    /* its sockets not taken again at start,
					 * until re-handed or their owner exits */
	size_t nuntaken;
	size_t orphans_last;            /* released by the last orphan check */
	int state_err;                  /* the last save's, logged once */
	int state_fd;                   /* timerfd, armed only while a write waits */
	bool state_due, state_armed;    /* a write is due; the timer runs for it */
	uint64_t state_written_ms;      /* CLOCK_MONOTONIC of the last write */
	unsigned int state_interval_ms; /* ... and the least time to the next */
	int epfd;
	int retry_fd;                   /* timerfd, armed only while retries are due */
	bool retry_armed, hold_armed;   /* the two timers may be running: a pass
					 * disarms them with no system call when not */
	uint64_t orphan_due_ms;         /* the orphan check after a pass, 0: none */
	uint64_t lease_due_ms;          /* a hand-over's port lease ends, 0: none */
	uint64_t lease_opened_ms;       /* ... opened then (pass.c) */
	uint64_t lease_max_ms;          /* ... ends this long after at the latest */
	uint16_t lease_port;            /* ... on this port */
	struct reg_owner lease_owner;   /* ... among this owner's sockets */
	unsigned int retry_ms;          /* next backoff; 0: timer not running */
	bool add_retry_due;             /* an ADD waits for its address to be bindable */
	unsigned int route_wait;        /* IPv4 addresses new since the last pass, whose
					 * local route (ADDRTAB_ADDR_BINDABLE) the pass
					 * waits for */
	uint64_t route_deadline_ms;     /* ... until then (hold_now_ms) */
	int hold_fd;                    /* timerfd, armed only while an address is held */
	bool dirty;                     /* the table changed since the last pass */
	bool pass_cut;                  /* the last pass stopped for newer events */
	bool quit;
	const char *netns;
	const char *control;            /* the control socket's path */
	struct agent_counters cnt;
	int watchdog_fd;                /* timerfd, only with a watchdog */
	char notified[128];             /* the last STATUS= sent */
	int status_fd;                  /* timerfd: a STATUS= line waits, see readiness.c */
	bool status_armed;
	uint64_t status_ms;             /* CLOCK_MONOTONIC of the last STATUS= look */
	bool listen_paused;             /* out of descriptors, see ctl_accept */
	uint64_t paused_clients;        /* ... resumed when fewer than these */
	size_t paused_sockets;
	struct timespec started;        /* CLOCK_MONOTONIC */
	time_t started_wall;            /* CLOCK_REALTIME */
};

/* pass.c: one pass over the managed sockets (only: just that one, or all
 * with NULL), and the pass after a batch of events with its retry timer. */
void agent_reconcile(struct agent *ag, struct reg_entry *only);
void agent_reconcile_all(struct agent *ag, bool table_changed);
void agent_pass_free(struct agent *ag);
void agent_release_orphans(struct agent *ag);
/* Ends a hand-over's port lease now: the application's own SO_REUSEADDR
 * and SO_REUSEPORT back on every socket of the port. */
void agent_lease_end(struct agent *ag);
/* Is a one of some managed socket's own addresses (bound by the
 * application at the hand-over, on a link not followed)? */
bool agent_app_addr(struct agent *ag, const struct host_addr *a);
/* The kernel sends RTM_NEWADDR before the address can be bound: retries
 * start at this many ms and double. */
#define AGENT_RETRY_MIN_MS 1
void agent_arm_retry(struct agent *ag, unsigned int ms);
/* An IPv4 address appeared that the next pass would ADD: the pass waits for
 * its local route, at most until a deadline. */
void agent_wait_route(struct agent *ag);
/* The event loop's epoll timeout for what waits on a deadline rather than
 * a timer (a local route, the orphan check after a pass, the end of a
 * hand-over's port lease), -1: none; and
 * what is due at the end of a turn. */
int agent_loop_timeout(const struct agent *ag);
void agent_loop_due(struct agent *ag);
/* Arms (or disarms) the retry timer for what the sockets still wait for;
 * restart: a table change, so the backoff starts again. */
void agent_schedule_retry(struct agent *ag, bool restart);

/* tracking.c: after any change of the managed set, watch exactly the
 * owners of the managed sockets and rewrite the state file.  agent_owner_event: an epoll event on fd
 * was the owner watch's (an owner exited: its sockets were released). */
void agent_registry_changed(struct agent *ag);
/* The same after one hand-over to pid: only that owner is looked at. */
void agent_registry_added(struct agent *ag, pid_t pid);
/* The state file: written now if a write is due (at exit), and when the
 * state timer (state_fd) fires. */
void agent_state_flush(struct agent *ag);
void agent_state_timer(struct agent *ag);
/* restore.c: take again the sockets of the state file a previous daemon
 * left (pidfd_getfd), keeping only those whose inode still matches. */
void agent_restore(struct agent *ag);
/* The state file's sockets still not managed again whose owners live on
 * (forgets the others); agent_untaken_free at exit. */
size_t agent_untaken(struct agent *ag);
void agent_untaken_free(struct agent *ag);
bool agent_owner_event(struct agent *ag, int fd);

/* asconfd.c: the control socket's limits from the configuration. */
void agent_ctl_limits(struct agent *ag);

/* reload.c: re-read the configuration and re-evaluate every socket.  On
 * any error nothing changes: -errno and "FILE:LINE: reason" in why. */
int agent_reload(struct agent *ag, char *why, size_t len);
/* Does any policy follow the interface? */
bool agent_iface_followed(const struct agent *ag, const char *ifname);

/* manage.c: the control socket's requests; the policy of that name
 * (NULL: the default), or NULL if there is none. */
const struct policy *agent_policy(struct agent *ag, const char *name);
/* Manage fd (taken in every case) for pid, whose number for it is appfd
 * (-1: unknown), on control connection client (-1: none); adopted when
 * the daemon found it itself (adopt.c), not handed over. */
int agent_manage_fd(struct agent *ag, int client, pid_t pid, int fd, int appfd,
		    const char *policy, bool adopted, unsigned int *id, char *why, size_t len);
/* bypid.c: asconfctl manage|release PID FD; agent_take_fd: the daemon's
 * copy of descriptor fd of process pid (pidfd_getfd), or a negative errno
 * and why. */
int agent_take_fd(pid_t pid, int fd, char *why, size_t len);
/* What the kernel's ptrace check looks at, read from /proc/PID: the four
 * uids (real, effective, saved, filesystem) and the owner of /proc/PID,
 * which the kernel makes root while the process is not dumpable (a
 * set-user-ID program, or PR_SET_DUMPABLE 0). */
struct bypid_creds {
	unsigned long uid[4];
	uid_t dir_owner;
};
/* May asker (its effective uid, SO_PEERCRED) act on pid's descriptors?
 * Root may; anyone else only when all four uids of pid are the asker's
 * and pid is dumpable.  0, or -EPERM and why. */
int bypid_may_act(uid_t asker, pid_t pid, const struct bypid_creds *c, char *why, size_t len);
int agent_manage_pid(void *ctx, uid_t uid, pid_t pid, int fd, const char *policy,
		     unsigned int *id, char *why, size_t len);
int agent_release_pid(void *ctx, uid_t uid, pid_t pid, int fd, char *why, size_t len);
extern const struct ctl_ops agent_ctl_ops;

/* status.c: the report behind STATUS in each format (enum ctl_format). */
void agent_status(void *ctx, struct ctl *c, int format);
void agent_status_json(struct agent *ag, struct ctl *c);      /* status_json.c */
void agent_metrics(struct agent *ag, struct ctl *c);          /* metrics.c */
void agent_check(struct agent *ag, struct ctl *c);            /* check.c */
uint64_t agent_uptime_s(const struct agent *ag);

/* readiness.c: the service manager's view (agent/daemon/status/notify.c). */
void agent_ready(struct agent *ag);
void agent_notify_status(struct agent *ag);     /* when the counts changed */
int agent_notify_open(struct agent *ag);        /* the status timer: 0, or -errno */
void agent_status_timer(struct agent *ag);      /* it fired */
/* A reload (SIGHUP, asconfctl reload) is wrapped in these. */
void agent_reload_begin(struct agent *ag);
void agent_reload_end(struct agent *ag);
int agent_watchdog_open(struct agent *ag);      /* 0, or -errno */
void agent_watchdog_kick(struct agent *ag);

/* sysctl.c: an integer sysctl (path under /proc/sys), or -1. */
int sysctl_read_int(const char *path);

#endif
