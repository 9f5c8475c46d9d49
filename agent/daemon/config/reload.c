// SPDX-License-Identifier: GPL-2.0-or-later
/* Reload: a new configuration replaces the old one only when it loaded
 * without error; then every socket is reconciled against its policy's new
 * form, so only the differences reach bindx. */
#include <errno.h>
#include <string.h>

#include "../../../common/log.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../../../sctp/affect.h"
#include "../agent.h"
#include "config.h"
#include "../control/ctl.h"

bool agent_iface_followed(const struct agent *ag, const char *ifname)
{
	for (size_t i = 0; i < config_policy_count(ag->cfg); i++)
		if (policy_iface_selected(config_policy_at(ag->cfg, i), ifname))
			return true;
	return false;
}

/* What only a restart can change stays as it runs, said once. */
static void keep_start_only(struct config *nc, struct config *old)
{
	char *swap;

	if (strcmp(nc->control, old->control))
		log_warn("reload: control = %s takes effect at the next start (still %s)",
			 nc->control, old->control);
	swap = nc->control;
	nc->control = old->control;
	old->control = swap;
	if (nc->rcvbuf != old->rcvbuf)
		log_warn("reload: netlink-rcvbuf = %d takes effect at the next start (still %d)",
			 nc->rcvbuf, old->rcvbuf);
	nc->rcvbuf = old->rcvbuf;
}

/* Sockets follow their policy by name; one whose policy is gone keeps
 * what it has bound and is no longer managed. */
static void move_sockets(struct agent *ag, struct config *nc)
{
	size_t released = 0;

	for (size_t i = 0; i < registry_count(ag->reg);) {
		struct reg_entry *e = registry_at(ag->reg, i);
		struct policy *p = config_policy_find(nc, policy_name(e->policy));

		if (p) {
			e->policy = p;
			i++;
			continue;
		}
		log_warn("socket %u: released: its policy '%s' is gone from the configuration "
			 "(its addresses stay bound)", e->id, policy_name(e->policy));
		registry_remove(ag->reg, e->owner, msock_inode(e->sock), msock_cookie(e->sock));
		released++;
	}
	if (released)
		agent_registry_changed(ag);
}

static int reload(struct agent *ag, char *why, size_t len)
{
	struct config *nc, *old = ag->cfg;
	int err;

	err = config_load(ag->config_path, ag->config_required, &ag->cli, &nc, why, len);
	if (err) {
		log_err("reload failed, the running configuration stays: %s", why);
		return err;
	}
	if (nc->has_group != old->has_group || nc->group != old->group || nc->mode != old->mode) {
		err = ctl_set_access(ag->ctl, nc->has_group, nc->group, nc->mode, why, len);
		if (err) {
			log_err("reload failed, the running configuration stays: %s", why);
			config_free(nc);
			return err;
		}
	}
	/* The monitor socket exists from the start or not at all; its group
	 * changes at once (checked at each accept). */
	if (ctl_monitor_fd(ag->ctl) >= 0)
		ctl_set_monitor(ag->ctl, nc->has_monitor, nc->monitor_group);
	else if (nc->has_monitor)
		log_warn("reload: monitor-group takes effect at the next start (no monitor "
			 "socket yet)");
	keep_start_only(nc, old);
	move_sockets(ag, nc);
	ag->cfg = nc;
	ag->control = nc->control;
	log_set_level(nc->log_level);
	agent_ctl_limits(ag);
	log_info("reloaded %s: %zu polic%s", ag->config_path, config_policy_count(nc),
		 config_policy_count(nc) == 1 ? "y" : "ies");
	ag->prev_cfg = old;
	affect_everything(ag->aff);
	agent_reconcile_all(ag, true);
	ag->prev_cfg = NULL;
	config_free(old);
	return 0;
}

/* RELOADING=1 ... READY=1 around it, for the service manager. */
int agent_reload(struct agent *ag, char *why, size_t len)
{
	int err;

	agent_reload_begin(ag);
	err = reload(ag, why, len);
	agent_reload_end(ag);
	return err;
}
