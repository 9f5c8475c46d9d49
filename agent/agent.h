/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's state, shared by the files of agent/ that make up asconfd:
 * pass.c (reconcile the managed sockets), manage.c (the control requests),
 * status.c (the status report) and asconfd.c (start-up and the event loop). */
#ifndef ASCONF_AGENT_AGENT_H
#define ASCONF_AGENT_AGENT_H

#include <stdbool.h>

#ifndef ASCONF_VERSION
#define ASCONF_VERSION "0.1.0"
#endif

struct addrtab;
struct nlmon;
struct registry;
struct policy;
struct ctl;
struct reg_entry;

struct agent {
	struct addrtab *tab;
	struct nlmon *mon;
	struct registry *reg;
	struct policy *policy;          /* "default": the command line's */
	struct ctl *ctl;
	int epfd;
	int retry_fd;                   /* timerfd, armed only while retries are due */
	unsigned int retry_ms;          /* current backoff */
	bool dirty;                     /* the table changed since the last pass */
	bool quit;
	const char *netns;
};

/* pass.c: one pass over the managed sockets (only: just that one, or all
 * with NULL), and the pass after a batch of events with its retry timer. */
void agent_reconcile(struct agent *ag, struct reg_entry *only);
void agent_reconcile_all(struct agent *ag, bool table_changed);
void agent_release_orphans(struct agent *ag);
/* The kernel sends RTM_NEWADDR before the address can be bound: retries
 * start at this many ms and double. */
#define AGENT_RETRY_MIN_MS 1
void agent_arm_retry(struct agent *ag, unsigned int ms);

/* manage.c: the control socket's requests. */
extern const struct ctl_ops agent_ctl_ops;

/* status.c: the report behind STATUS. */
void agent_status(void *ctx, struct ctl *c);

/* sysctl.c: an integer sysctl (path under /proc/sys), or -1. */
int sysctl_read_int(const char *path);

#endif
