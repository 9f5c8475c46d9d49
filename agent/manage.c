// SPDX-License-Identifier: GPL-2.0-or-later
/* The control socket's requests: manage, release, a client gone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../common/log.h"
#include "../sctp/msock.h"
#include "../sctp/policy.h"
#include "../sctp/registry.h"
#include "agent.h"
#include "ctl.h"

static int ctl_manage(void *ctx, int client, pid_t pid, int fd, const char *policy,
		      unsigned int *id, char *why, size_t len)
{
	struct agent *ag = ctx;
	struct reg_entry *e;
	struct msock *s;
	ino_t ino;
	int err;

	if (policy && strcmp(policy, policy_name(ag->policy))) {
		snprintf(why, len, "unknown policy '%.64s' (this daemon has: %s)",
			 policy, policy_name(ag->policy));
		close(fd);
		return -ENOENT;
	}
	err = msock_open(fd, &s, why, len);
	if (err) {
		close(fd);
		log_warn("refused a socket from pid %d: %s", (int)pid, why);
		return err;
	}
	err = registry_add(ag->reg, s, client, pid, ag->policy, id);
	if (err) {
		snprintf(why, len, err == -EALREADY ? "socket is already managed"
						    : "out of memory");
		msock_free(s);
		return err;
	}
	log_info("socket %u: managed for pid %d (inode %lu, port %u)", *id, (int)pid,
		 (unsigned long)msock_inode(s), msock_port(s));
	ino = msock_inode(s);
	agent_registry_changed(ag);
	e = registry_find(ag->reg, ino);
	if (!e)
		return 0;       /* its owner has exited already */
	agent_reconcile(ag, e);
	if (msock_retry_due(s))
		agent_schedule_retry(ag, false);
	return 0;
}

static int ctl_release(void *ctx, int client, int fd, char *why, size_t len)
{
	struct agent *ag = ctx;
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(why, len, "cannot inspect the socket: %s", strerror(errno));
		return -EBADF;
	}
	if (registry_remove(ag->reg, client, st.st_ino)) {
		snprintf(why, len, "socket is not managed for this connection");
		return -ENOENT;
	}
	log_info("socket with inode %lu released", (unsigned long)st.st_ino);
	agent_registry_changed(ag);
	return 0;
}

static void ctl_gone(void *ctx, int client)
{
	struct agent *ag = ctx;
	size_t n = registry_remove_owner(ag->reg, client);

	if (n) {
		log_info("client closed its connection: released %zu socket(s)", n);
		agent_registry_changed(ag);
	}
}

const struct ctl_ops agent_ctl_ops = {
	.manage = ctl_manage,
	.release = ctl_release,
	.status = agent_status,
	.gone = ctl_gone,
};
