// SPDX-License-Identifier: GPL-2.0-or-later
/* What follows every change of the set of managed sockets: the owner
 * processes watched are exactly the owners of the managed sockets. */
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>

#include "../common/log.h"
#include "../sctp/registry.h"
#include "agent.h"
#include "owner.h"

static void owner_gone(pid_t pid, void *ctx)
{
	struct agent *ag = ctx;
	size_t n = registry_remove_pid(ag->reg, pid);

	if (n)
		log_info("owner pid %d exited: released %zu socket(s)", (int)pid, n);
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
