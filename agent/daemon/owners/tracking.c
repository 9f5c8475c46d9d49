// SPDX-License-Identifier: GPL-2.0-or-later
/* What follows every change of the set of managed sockets: the owner
 * processes watched are exactly the owners of the managed sockets, and the
 * state file says what a restarted daemon should take again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <sys/types.h>

#include "../../../common/log.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../pass/hold.h"
#include "owner.h"
#include "state.h"

static void owner_gone(pid_t pid, void *ctx)
{
	struct agent *ag = ctx;
	size_t n = registry_remove_pid(ag->reg, pid);

	if (n)
		log_info("owner pid %d exited: released %zu socket(s)", (int)pid, n);
}

/* Sockets whose owner's descriptor number is unknown (an older libasconf)
 * cannot be taken again and are left out. */
static void save_state(struct agent *ag)
{
	size_t n = registry_count(ag->reg), k = 0;
	struct state_entry *v;
	int err;

	if (!ag->state_path)
		return;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct reg_entry *e = registry_at(ag->reg, i);

		if (e->pid <= 0 || e->appfd < 0)
			continue;
		v[k].pid = e->pid;
		v[k].fd = e->appfd;
		v[k].ino = (unsigned long long)msock_inode(e->sock);
		v[k].cookie = (unsigned long long)msock_cookie(e->sock);
		snprintf(v[k].policy, sizeof(v[k].policy), "%s", policy_name(e->policy));
		v[k].adopted = e->adopted;
		k++;
	}
	err = state_write(ag->state_path, v, k);
	free(v);
out:
	if (err && err != ag->state_err)
		log_err("cannot write the state file %s: %s (a restarted daemon will "
			"wait for the applications to hand their sockets over again)",
			ag->state_path, strerror(-err));
	else if (!err && ag->state_err)
		log_info("state file %s written again", ag->state_path);
	ag->state_err = err;
}

/* The state file is rewritten whole, O(sockets): once per hand-over made
 * a burst of N hand-overs cost O(N^2) (40 ms a socket at 1,000 under
 * TCG).  So at most one write per interval: a change after a quiet spell
 * is written at once (a crash right after a hand-over still finds it),
 * later ones when the state timer fires.  The interval is 100 ms, or ten
 * times what the last write took (state_interval_ms): with a fixed 100
 * ms, 3,000 one-to-one hand-overs in the VM took 29.5 s against 25.6 s
 * without a state file, and a write grows with the sockets.  The timer
 * runs only while a write is due, so an idle daemon does not wake up. */
void agent_state_flush(struct agent *ag)
{
	if (!ag->state_due)
		return;
	ag->state_due = false;
	ag->state_written_ms = hold_now_ms();
	save_state(ag);
	ag->state_interval_ms = state_interval_ms((unsigned int)(hold_now_ms() - ag->state_written_ms));
}

static void state_changed(struct agent *ag)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	uint64_t now, wait;

	if (!ag->state_path)
		return;
	ag->state_due = true;
	if (ag->state_armed)
		return;
	now = hold_now_ms();
	if (ag->state_fd < 0 || !ag->state_written_ms ||
	    now - ag->state_written_ms >= ag->state_interval_ms) {
		agent_state_flush(ag);
		return;
	}
	wait = ag->state_interval_ms - (now - ag->state_written_ms);
	its.it_value.tv_sec = (time_t)(wait / 1000);
	its.it_value.tv_nsec = (long)(wait % 1000) * 1000000L;
	if (timerfd_settime(ag->state_fd, 0, &its, NULL)) {
		agent_state_flush(ag);
		return;
	}
	ag->state_armed = true;
}

void agent_state_timer(struct agent *ag)
{
	uint64_t ticks;

	if (read(ag->state_fd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;
	ag->state_armed = false;
	agent_state_flush(ag);
}

void agent_registry_changed(struct agent *ag)
{
	size_t n;
	pid_t *pids;

	if (!ag->owners)
		return;
	/* owner_gone() may shrink the registry: sync again until stable. */
	do {
		n = registry_count(ag->reg);
		pids = calloc(n ? n : 1, sizeof(*pids));
		if (!pids) {
			log_err("out of memory watching owners");
			return;
		}
		for (size_t i = 0; i < n; i++)
			pids[i] = registry_at(ag->reg, i)->pid;
		owners_sync(ag->owners, pids, n, owner_gone, ag);
		free(pids);
	} while (registry_count(ag->reg) != n);
	state_changed(ag);
}

void agent_registry_added(struct agent *ag, pid_t pid)
{
	size_t n = registry_count(ag->reg);

	if (!ag->owners)
		return;
	owners_add(ag->owners, pid, owner_gone, ag);
	/* Its owner had exited already: its sockets went with it. */
	if (registry_count(ag->reg) != n)
		agent_registry_changed(ag);
	else
		state_changed(ag);
}

bool agent_owner_event(struct agent *ag, int fd)
{
	size_t n = registry_count(ag->reg);

	if (!ag->owners || !owners_handle(ag->owners, fd, owner_gone, ag))
		return false;
	if (registry_count(ag->reg) != n)
		agent_registry_changed(ag);
	return true;
}
