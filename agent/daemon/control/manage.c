// SPDX-License-Identifier: GPL-2.0-or-later
/* The control socket's requests: manage, release, a client gone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../../../common/fdclose.h"
#include "../../../common/log.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../../../sctp/saddr.h"
#include "../agent.h"
#include "../config/config.h"
#include "ctl.h"

const struct policy *agent_policy(struct agent *ag, const char *name)
{
	return config_policy_find(ag->cfg, name);
}

/* max-sockets-per-client, -per-user (not for root and the daemon's
 * user) and max-sockets, for a socket not managed yet.  A socket handed
 * over on a connection counts for that connection's uid; those taken by
 * pid or adoption have none. */
static int check_limits(struct agent *ag, int client, pid_t pid, char *why, size_t len)
{
	size_t mine = 0, theirs = 0, total = registry_count(ag->reg);
	unsigned int per_client = ag->cfg->max_sockets_per_client;
	unsigned int per_user = ag->cfg->max_sockets_per_user;
	bool privileged = true, one;
	uid_t uid = 0, u;
	const char *what;
	unsigned int max;

	if (client >= 0 && !ctl_client_uid(ag->ctl, client, &uid, &privileged))
		privileged = true;
	/* Counted only when the total could reach a limit: a scan of every
	 * socket per hand-over is quadratic in a burst. */
	for (size_t i = 0; client >= 0 && i < total &&
	     (total >= per_client || (!privileged && total >= per_user)); i++) {
		int owner = registry_at(ag->reg, i)->owner;

		mine += owner == client;
		if (!privileged && owner >= 0 && ctl_client_uid(ag->ctl, owner, &u, &one) &&
		    u == uid)
			theirs++;
	}
	if (mine >= per_client) {
		what = "for this client (max-sockets-per-client";
		max = per_client;
	} else if (!privileged && theirs >= per_user) {
		what = "for this user (max-sockets-per-user";
		max = per_user;
	} else if (total >= ag->cfg->max_sockets) {
		what = "in total (max-sockets";
		max = ag->cfg->max_sockets;
	} else {
		return 0;
	}
	snprintf(why, len, "too many sockets %s = %u)", what, max);
	if (!privileged && theirs >= per_user)
		log_warn("refused a socket from pid %d of uid %u: %s", (int)pid,
			 (unsigned int)uid, why);
	else
		log_warn("refused a socket from pid %d: %s", (int)pid, why);
	return total >= ag->cfg->max_sockets && mine < per_client &&
	       (privileged || theirs < per_user) ? -ENFILE : -EMFILE;
}

/* A socket managed already, handed over again by another process (it
 * received it from the first one) or on another connection (a library
 * that reconnected after a restart): the sender owns it now. */
static int take_over(struct agent *ag, struct reg_entry *e, int client, pid_t pid,
		     int appfd, const struct policy *p, bool adopted, char *why, size_t len)
{
	bool moved = e->pid != pid;

	if (e->owner == client && e->pid == pid && (appfd < 0 || e->appfd == appfd)) {
		snprintf(why, len, "socket is already managed");
		return -EALREADY;
	}
	if (moved)
		log_info("socket %u: now owned by pid %d (was pid %d)", e->id, (int)pid,
			 (int)e->pid);
	/* Bound for its old policy: the next full pass must look at it even
	 * if nothing else changed. */
	if (e->policy != p)
		msock_settle(e->sock, false);
	e->owner = client;
	e->pid = pid;
	e->appfd = appfd;
	e->policy = p;
	e->adopted = adopted;
	/* Only a new owner may leave the old one unwatched. */
	if (moved)
		agent_registry_changed(ag);
	else
		agent_registry_added(ag, pid);
	return 0;
}

int agent_manage_fd(struct agent *ag, int client, pid_t pid, int fd, int appfd,
		    const char *policy, bool adopted, unsigned int *id, char *why, size_t len)
{
	const struct policy *p = agent_policy(ag, policy);
	char names[256];
	struct reg_entry *e;
	struct msock *s;
	uint64_t cookie;
	ino_t ino;
	int err;

	if (!p) {
		config_policy_names(ag->cfg, names, sizeof(names));
		snprintf(why, len, "unknown policy '%.64s' (this daemon has: %s)", policy, names);
		fdclose_foreign(fd);
		return -ENOENT;
	}
	err = msock_open(fd, &s, why, len);
	if (err) {
		fdclose_foreign(fd);
		log_warn("refused a socket from pid %d: %s", (int)pid, why);
		return err;
	}
	ino = msock_inode(s);
	/* Kept: s is freed by the time of the last lookup if its owner has gone. */
	cookie = msock_cookie(s);
	e = registry_find(ag->reg, ino, cookie);
	if (e) {
		msock_free(s);          /* our first copy stays */
		*id = e->id;
		return take_over(ag, e, client, pid, appfd, p, adopted, why, len);
	}
	err = check_limits(ag, client, pid, why, len);
	if (err) {
		msock_free(s);
		return err;
	}
	err = registry_add(ag->reg, s, client, pid, p, id);
	if (err) {
		snprintf(why, len, "out of memory");
		msock_free(s);
		return err;
	}
	e = registry_find(ag->reg, ino, cookie);
	e->appfd = appfd;
	/* Before the state file is written: a restart keeps it. */
	e->adopted = adopted;
	log_info("socket %u: managed for pid %d (inode %lu, port %u, policy %s)", *id, (int)pid,
		 (unsigned long)ino, msock_port(s), policy_name(p));
	agent_registry_added(ag, pid);
	e = registry_find(ag->reg, ino, cookie);
	if (!e)
		return 0;       /* its owner has exited already */
	agent_reconcile(ag, e);
	if (msock_retry_due(s))
		agent_schedule_retry(ag, false);
	return 0;
}

static int ctl_manage(void *ctx, int client, pid_t pid, int fd, int appfd,
		      const char *policy, unsigned int *id, char *why, size_t len)
{
	return agent_manage_fd(ctx, client, pid, fd, appfd, policy, false, id, why, len);
}

/* The owner, or any process on the connection that handed it over. */
static int ctl_release(void *ctx, int client, pid_t pid, int fd, char *why, size_t len)
{
	struct agent *ag = ctx;
	struct reg_entry *e;
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(why, len, "cannot inspect the socket: %s", strerror(errno));
		return -EBADF;
	}
	e = registry_find(ag->reg, st.st_ino, msock_fd_cookie(fd));
	if (!e || (e->owner != client && e->pid != pid)) {
		snprintf(why, len, "socket is not managed for this process");
		return -ENOENT;
	}
	log_info("socket with inode %lu released (socket %u, by pid %d)",
		 (unsigned long)st.st_ino, e->id, (int)pid);
	registry_remove_inode(ag->reg, st.st_ino, msock_cookie(e->sock));
	agent_registry_changed(ag);
	return 0;
}

/* The control socket's limits, from the configuration (start, reload). */
void agent_ctl_limits(struct agent *ag)
{
	const struct config *cfg = ag->cfg;
	struct ctl_limits lim = {
		.max_clients = cfg->max_clients,
		.max_per_user = cfg->max_clients_per_user,
		.idle_ms = cfg->client_idle_timeout * 1000,
		.reply_ms = cfg->client_reply_timeout * 1000,
	};

	ctl_set_limits(ag->ctl, &lim);
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

/* ADDRS: the policy's usable addresses now, for a wildcard bind to narrow
 * (asconf-run, asconf_bind).  The host's own addresses filtered by the
 * policy: nothing a member of the control group could not see with ip(8). */
static int ctl_addrs(void *ctx, pid_t pid, const char *name, int family, bool v6only,
		     char *out, size_t len, char *why, size_t wlen)
{
	struct agent *ag = ctx;
	const struct policy *p = agent_policy(ag, name);
	char names[256], buf[SADDR_STRLEN], shown[512];
	size_t off, soff = 0, k = 0;
	struct saddr *v = NULL;
	int n;

	if (!p) {
		config_policy_names(ag->cfg, names, sizeof(names));
		snprintf(why, wlen, "unknown policy '%.64s' (this daemon has: %s)", name, names);
		return -ENOENT;
	}
	off = (size_t)snprintf(out, len, "OK narrow-wildcard=%s narrow-empty=%s",
			       policy_narrow(p) ? "yes" : "no",
			       policy_narrow_empty(p) == POLICY_EMPTY_FAIL ? "fail" : "wildcard");
	if (!policy_narrow(p)) {
		log_info("pid %d binds a wildcard: policy %s does not narrow it "
			 "(narrow-wildcard = no)", (int)pid, policy_name(p));
		return 0;
	}
	n = policy_desired(p, ag->tab, family, v6only, 0, &v);
	if (n < 0) {
		snprintf(why, wlen, "out of memory");
		return n;
	}
	shown[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w;

		saddr_str(&v[i], buf, sizeof(buf));
		w = snprintf(out + off, len - off, "\n%s", buf);
		if (w < 0 || (size_t)w >= len - off) {
			out[off] = '\0';
			break;          /* the first ones; the pass adds the rest */
		}
		off += (size_t)w;
		k++;
		if (soff < sizeof(shown) - 1)
			soff += (size_t)snprintf(shown + soff, sizeof(shown) - soff, " %s", buf);
	}
	free(v);
	if (k)
		log_info("pid %d binds a %s wildcard: narrowed by policy %s to%s%s",
			 (int)pid, family == AF_INET ? "inet" : v6only ? "inet6 (v6only)" :
			 "inet6", policy_name(p), shown, k < (size_t)n ? " (and more)" : "");
	else
		log_warn("pid %d binds a %s wildcard: policy %s has no usable address "
			 "(narrow-empty = %s)", (int)pid, family == AF_INET ? "inet" : "inet6",
			 policy_name(p), policy_narrow_empty(p) == POLICY_EMPTY_FAIL ?
			 "fail: the bind fails" : "wildcard: it stays the wildcard");
	return 0;
}

static void ctl_narrowed(void *ctx, unsigned int id)
{
	struct agent *ag = ctx;

	for (size_t i = 0; i < registry_count(ag->reg); i++)
		if (registry_at(ag->reg, i)->id == id) {
			registry_at(ag->reg, i)->narrowed = true;
			log_info("socket %u: narrowed from the wildcard", id);
			return;
		}
}

static int ctl_reload(void *ctx, char *why, size_t len)
{
	return agent_reload(ctx, why, len);
}

const struct ctl_ops agent_ctl_ops = {
	.manage = ctl_manage,
	.release = ctl_release,
	.status = agent_status,
	.gone = ctl_gone,
	.manage_pid = agent_manage_pid,
	.release_pid = agent_release_pid,
	.reload = ctl_reload,
	.addrs = ctl_addrs,
	.narrowed = ctl_narrowed,
};
