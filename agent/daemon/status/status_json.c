// SPDX-License-Identifier: GPL-2.0-or-later
/* STATUS JSON: the status for machines.  The layout is documented in
 * docs/status-json.md and only grows: members are added, never renamed or
 * removed, without a new "schema" number. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "../../../common/log.h"
#include "../../../netlink/addrtab.h"
#include "../../../netlink/nlmon.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/peerpath.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../control/ctl.h"
#include "json.h"
#include "sockview.h"

#define STATUS_SCHEMA 1

static void emit(void *ctx, const char *line)
{
	ctl_printf(ctx, "%s", line);
}

static void iso_time(const struct timespec *t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t->tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void json_saddr(struct json *j, const char *key, const struct saddr *a)
{
	char buf[SADDR_STRLEN];

	json_str(j, key, saddr_str(a, buf, sizeof(buf)));
}

static void json_errno(struct json *j, int err)
{
	json_int(j, "errno", -err);
	json_str(j, "error", strerror(-err));
}

static void daemon_part(struct json *j, struct agent *ag, int addip)
{
	struct timespec t = { .tv_sec = ag->started_wall };
	char when[32];

	iso_time(&t, when, sizeof(when));
	json_object(j, "daemon");
	json_str(j, "version", ASCONF_VERSION);
	json_int(j, "pid", getpid());
	json_str(j, "started", when);
	json_uint(j, "uptime_s", agent_uptime_s(ag));
	json_str(j, "netns", ag->netns);
	json_str(j, "control", ag->control);
	json_int(j, "addip_enable", addip);
	json_end(j);
}

static void counters_part(struct json *j, struct agent *ag)
{
	const struct agent_counters *k = &ag->cnt;
	struct nlmon_stats st;

	nlmon_get_stats(ag->mon, &st);
	json_object(j, "counters");
	json_uint(j, "netlink_messages", st.messages);
	json_uint(j, "netlink_malformed", st.malformed);
	json_uint(j, "netlink_foreign", st.foreign);
	json_uint(j, "netlink_overruns", st.overruns);
	json_uint(j, "resyncs", st.resyncs);
	json_uint(j, "passes", k->passes);
	json_uint(j, "passes_cut", k->passes_cut);
	json_uint(j, "bindx_add", k->bindx_add);
	json_uint(j, "bindx_add_failed", k->bindx_add_failed);
	json_uint(j, "bindx_rem", k->bindx_rem);
	json_uint(j, "bindx_rem_failed", k->bindx_rem_failed);
	json_uint(j, "retries", k->retries);
	json_uint(j, "orphans_released", k->orphans_released);
	json_uint(j, "clients", k->clients);
	json_uint(j, "clients_refused", k->clients_refused);
	json_uint(j, "clients_connected", k->clients_now);
	json_end(j);
}

/* Usable by a policy that follows its link; on a link none follows, by
 * the default policy's rules. */
static bool addr_usable(const struct agent *ag, const struct host_addr *a,
			const struct host_link *l)
{
	bool followed = false;

	for (size_t k = 0; k < config_policy_count(ag->cfg); k++) {
		const struct policy *p = config_policy_at(ag->cfg, k);

		if (!policy_iface_selected(p, l->name))
			continue;
		followed = true;
		if (policy_addr_usable(p, a, l))
			return true;
	}
	return !followed && policy_addr_usable(config_policy_at(ag->cfg, 0), a, l);
}

static void links_part(struct json *j, struct agent *ag)
{
	char buf[INET6_ADDRSTRLEN];

	json_array(j, "links");
	for (size_t i = 0; i < addrtab_nlinks(ag->tab); i++) {
		const struct host_link *l = addrtab_link(ag->tab, i);

		json_object(j, NULL);
		json_str(j, "name", l->name);
		json_int(j, "ifindex", l->ifindex);
		json_bool(j, "up", l->flags & IFF_UP);
		json_bool(j, "running", host_link_running(l));
		json_bool(j, "followed", agent_iface_followed(ag, l->name));
		json_array(j, "addresses");
		for (size_t k = 0; k < addrtab_naddrs(ag->tab); k++) {
			const struct host_addr *a = addrtab_addr(ag->tab, k);

			if (a->ifindex != l->ifindex)
				continue;
			json_object(j, NULL);
			json_str(j, "address", host_addr_str(a, buf, sizeof(buf)));
			json_int(j, "prefixlen", a->prefixlen);
			json_str(j, "family", a->family == AF_INET ? "inet" : "inet6");
			json_bool(j, "usable", addr_usable(ag, a, l));
			json_end(j);
		}
		json_end(j);
		json_end(j);
	}
	json_end(j);
}

static void policies_part(struct json *j, struct agent *ag)
{
	json_array(j, "policies");
	for (size_t k = 0; k < config_policy_count(ag->cfg); k++) {
		const struct policy *p = config_policy_at(ag->cfg, k);
		size_t n = 0;

		for (size_t i = 0; i < registry_count(ag->reg); i++)
			n += registry_at(ag->reg, i)->policy == p;
		json_object(j, NULL);
		json_str(j, "name", policy_name(p));
		json_bool(j, "steers", policy_steers(p));
		json_uint(j, "hold_down_ms", policy_hold_down(p));
		json_uint(j, "sockets", n);
		json_end(j);
	}
	json_end(j);
}

static void paths_part(struct json *j, struct reg_entry *e, int id)
{
	struct peerpath *p = NULL;
	int n = peerpath_list(msock_fd(e->sock), id, &p);

	if (n < 0) {
		json_object(j, "paths_error");
		json_errno(j, n);
		json_end(j);
	}
	json_array(j, "paths");
	for (int i = 0; i < n; i++) {
		json_object(j, NULL);
		json_saddr(j, "address", &p[i].addr);
		json_str(j, "state", p[i].state < 0 ? "unknown" : peerpath_state_name(p[i].state));
		json_bool(j, "primary", p[i].primary);
		if (p[i].state >= 0) {
			json_uint(j, "srtt_ms", p[i].srtt_ms);
			json_uint(j, "rto_ms", p[i].rto_ms);
			json_uint(j, "cwnd", p[i].cwnd);
			json_uint(j, "mtu", p[i].mtu);
		}
		json_end(j);
	}
	json_end(j);
	free(p);
}

static void assocs_part(struct json *j, struct sockview *v)
{
	json_array(j, "associations");
	for (int i = 0; i < v->nassoc; i++) {
		const struct saddr *asked = msock_primary_asked(v->e->sock, v->assoc[i]);

		json_object(j, NULL);
		json_int(j, "id", v->assoc[i]);
		if (v->asconf[i] < 0)
			json_null(j, "asconf");
		else
			json_bool(j, "asconf", v->asconf[i]);
		if (asked)
			json_saddr(j, "primary_asked", asked);
		else
			json_null(j, "primary_asked");
		paths_part(j, v->e, v->assoc[i]);
		json_end(j);
	}
	json_end(j);
}

static void socket_part(struct json *j, struct sockview *v, int addip)
{
	const struct msock_issue *iss;
	struct reg_entry *e = v->e;
	struct msock_change ch;
	char when[32];
	size_t n;

	json_object(j, NULL);
	json_uint(j, "id", e->id);
	json_int(j, "pid", e->pid);
	json_str(j, "command", v->comm[0] ? v->comm : NULL);
	json_uint(j, "inode", (uint64_t)msock_inode(e->sock));
	json_str(j, "family", msock_family(e->sock) == AF_INET ? "inet" : "inet6");
	json_str(j, "style", msock_type(e->sock) == SOCK_STREAM ? "one-to-one" : "one-to-many");
	json_uint(j, "port", msock_port(e->sock));
	json_str(j, "policy", policy_name(e->policy));
	json_str(j, "adopted", e->adopted ? policy_name(e->policy) : NULL);
	json_bool(j, "narrowed", e->narrowed);
	if (v->nbound < 0) {
		json_object(j, "bound_error");
		json_errno(j, v->nbound);
		json_end(j);
	}
	json_array(j, "bound");
	for (int i = 0; i < v->nbound; i++)
		json_saddr(j, NULL, &v->bound[i]);
	json_end(j);
	json_array(j, "errors");
	n = msock_issues(e->sock, &iss);
	for (size_t i = 0; i < n; i++) {
		json_object(j, NULL);
		json_str(j, "op", iss[i].add ? "add" : "remove");
		json_saddr(j, "address", &iss[i].addr);
		json_errno(j, iss[i].err);
		if (*iss[i].holder)
			json_str(j, "holder", iss[i].holder);
		json_end(j);
	}
	json_end(j);
	json_str(j, "peers_told", sockview_peers_told(v, addip));
	if (msock_last_change(e->sock, &ch)) {
		iso_time(&ch.when, when, sizeof(when));
		json_object(j, "last_change");
		json_str(j, "op", ch.add ? "add" : "remove");
		json_saddr(j, "address", &ch.addr);
		json_str(j, "time", when);
		json_end(j);
	} else {
		json_null(j, "last_change");
	}
	if (v->nassoc < 0) {
		json_object(j, "associations_error");
		json_errno(j, v->nassoc);
		json_end(j);
	}
	assocs_part(j, v);
	json_end(j);
}

void agent_status_json(struct agent *ag, struct ctl *c)
{
	int addip = sysctl_read_int("/proc/sys/net/sctp/addip_enable");
	struct sockview v;
	struct json j;
	int err;

	json_init(&j, emit, c);
	json_object(&j, NULL);
	json_int(&j, "schema", STATUS_SCHEMA);
	daemon_part(&j, ag, addip);
	counters_part(&j, ag);
	links_part(&j, ag);
	policies_part(&j, ag);
	json_array(&j, "sockets");
	for (size_t i = 0; i < registry_count(ag->reg); i++) {
		if (sockview_get(&v, registry_at(ag->reg, i), addip)) {
			ctl_fail(c);
			break;
		}
		socket_part(&j, &v, addip);
		sockview_free(&v);
	}
	json_end(&j);
	json_end(&j);
	err = json_finish(&j);
	if (err) {
		log_err("status JSON: %s", strerror(-err));
		ctl_fail(c);
	}
}
