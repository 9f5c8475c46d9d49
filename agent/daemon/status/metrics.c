// SPDX-License-Identifier: GPL-2.0-or-later
/* STATUS METRICS: the counters and per-socket gauges in Prometheus text
 * format, for node_exporter's textfile collector (asconfctl metrics). */
#include <stdio.h>
#include <stdlib.h>

#include "../../../netlink/addrtab.h"
#include "../../../netlink/nlmon.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../control/ctl.h"
#include "prom.h"
#include "sockview.h"

static void emit(void *ctx, const char *line)
{
	ctl_printf(ctx, "%s", line);
}

static void counter(struct prom *p, const char *name, const char *help, uint64_t v)
{
	prom_family(p, name, "counter", help);
	prom_sample(p, name, NULL, v);
}

static void gauge(struct prom *p, const char *name, const char *help, uint64_t v)
{
	prom_family(p, name, "gauge", help);
	prom_sample(p, name, NULL, v);
}

static void counters(struct prom *p, struct agent *ag)
{
	const struct agent_counters *k = &ag->cnt;
	const char *const add_ok[] = { "op", "add", "result", "ok", NULL };
	const char *const add_bad[] = { "op", "add", "result", "failed", NULL };
	const char *const rem_ok[] = { "op", "remove", "result", "ok", NULL };
	const char *const rem_bad[] = { "op", "remove", "result", "failed", NULL };
	const char *const build[] = { "version", ASCONF_VERSION, NULL };
	struct nlmon_stats st;

	nlmon_get_stats(ag->mon, &st);
	/* asconfctl metrics writes "asconfd_up 0" itself when the daemon does
	 * not answer. */
	gauge(p, "asconfd_up", "Whether asconfd answered.", 1);
	prom_family(p, "asconfd_build_info", "gauge", "asconfd's version, as a label.");
	prom_sample(p, "asconfd_build_info", build, 1);
	gauge(p, "asconfd_start_time_seconds", "When asconfd started, seconds since the epoch.",
	      (uint64_t)ag->started_wall);
	counter(p, "asconfd_netlink_messages_total", "Kernel rtnetlink messages applied.",
		st.messages);
	counter(p, "asconfd_netlink_malformed_total",
		"Netlink messages dropped as truncated or malformed.", st.malformed);
	counter(p, "asconfd_netlink_foreign_total",
		"Netlink messages dropped as not sent by the kernel.", st.foreign);
	counter(p, "asconfd_netlink_overruns_total",
		"Netlink receive buffer overruns (ENOBUFS).", st.overruns);
	counter(p, "asconfd_resyncs_total", "Fresh address dumps after lost events.",
		st.resyncs);
	counter(p, "asconfd_passes_total", "Reconcile passes over the managed sockets.",
		k->passes);
	prom_family(p, "asconfd_pass_duration_seconds", "summary",
		    "Time reconcile passes took (wall clock, seconds).");
	prom_sample_ns(p, "asconfd_pass_duration_seconds_sum", NULL, k->pass_ns);
	prom_sample(p, "asconfd_pass_duration_seconds_count", NULL, k->passes);
	counter(p, "asconfd_passes_cut_total",
		"Passes stopped early because newer address events were waiting.",
		k->passes_cut);
	prom_family(p, "asconfd_bindx_total", "counter",
		    "Addresses sctp_bindx added or removed, by operation and result.");
	prom_sample(p, "asconfd_bindx_total", add_ok, k->bindx_add);
	prom_sample(p, "asconfd_bindx_total", add_bad, k->bindx_add_failed);
	prom_sample(p, "asconfd_bindx_total", rem_ok, k->bindx_rem);
	prom_sample(p, "asconfd_bindx_total", rem_bad, k->bindx_rem_failed);
	counter(p, "asconfd_retries_total", "Passes run by the retry timer.", k->retries);
	counter(p, "asconfd_orphans_released_total",
		"Sockets released because their owner no longer held them.",
		k->orphans_released);
	counter(p, "asconfd_clients_total", "Control connections accepted.", k->clients);
	counter(p, "asconfd_clients_refused_total",
		"Control connections refused for lack of file descriptors.",
		k->clients_refused);
	gauge(p, "asconfd_clients_connected", "Control connections open.", k->clients_now);
	gauge(p, "asconfd_sockets", "Managed sockets.", registry_count(ag->reg));
	gauge(p, "asconfd_sockets_untaken",
	      "Sockets of the state file not taken again after a restart whose owner "
	      "still holds them.", agent_untaken(ag));
	gauge(p, "asconfd_orphans",
	      "Sockets found held only by asconfd by this scrape (released now).",
	      ag->orphans_last);
	gauge(p, "asconfd_host_addresses", "Addresses the host has (all links).",
	      addrtab_naddrs(ag->tab));
}

/* One gauge family per per-socket quantity: Prometheus wants a family's
 * samples together, after its HELP and TYPE. */
enum { G_BOUND, G_FAILED, G_ASSOC, G_UNTOLD, G_UNKNOWN, NGAUGES };

static const struct {
	const char *name, *help;
} socket_gauges[NGAUGES] = {
	[G_BOUND] = { "asconfd_socket_bound_addresses",
		      "Local addresses the kernel has bound to the socket." },
	[G_FAILED] = { "asconfd_socket_failed_addresses",
		       "Addresses whose last bindx on the socket failed." },
	[G_ASSOC] = { "asconfd_socket_associations", "Associations of the socket." },
	[G_UNTOLD] = { "asconfd_socket_untold_associations",
		       "Associations whose peer is not told of address changes." },
	[G_UNKNOWN] = { "asconfd_socket_unknown_associations",
			"Associations whose peer the kernel cannot say is told "
			"(no SCTP_ASCONF_SUPPORTED before Linux 5.4); never in untold." },
};

static uint64_t socket_value(const struct sockview *v, int g)
{
	switch (g) {
	case G_BOUND:
		return v->nbound > 0 ? (uint64_t)v->nbound : 0;
	case G_FAILED:
		return v->nissues;
	case G_ASSOC:
		return v->nassoc > 0 ? (uint64_t)v->nassoc : 0;
	case G_UNTOLD:
		return v->untold;
	default:
		return v->unknown;
	}
}

static void sockets(struct prom *p, struct agent *ag, struct ctl *c)
{
	int addip = sysctl_read_int("/proc/sys/net/sctp/addip_enable");
	size_t n = registry_count(ag->reg);
	struct sockview *v = calloc(n ? n : 1, sizeof(*v));

	if (!v) {
		ctl_fail(c);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (sockview_get(&v[i], registry_at(ag->reg, i), addip)) {
			ctl_fail(c);
			n = i;
			break;
		}
	}
	for (int g = 0; g < NGAUGES && n; g++) {
		prom_family(p, socket_gauges[g].name, "gauge", socket_gauges[g].help);
		for (size_t i = 0; i < n; i++) {
			char id[16], pid[16], port[8];
			const char *const labels[] = {
				"socket", id, "pid", pid, "command", v[i].comm,
				"port", port, "policy", policy_name(v[i].e->policy), NULL,
			};

			snprintf(id, sizeof(id), "%u", v[i].e->id);
			snprintf(pid, sizeof(pid), "%d", (int)v[i].e->pid);
			snprintf(port, sizeof(port), "%u", msock_port(v[i].e->sock));
			prom_sample(p, socket_gauges[g].name, labels, socket_value(&v[i], g));
		}
	}
	for (size_t i = 0; i < n; i++)
		sockview_free(&v[i]);
	free(v);
}

void agent_metrics(struct agent *ag, struct ctl *c)
{
	struct prom p = { emit, c, 0 };

	counters(&p, ag);
	sockets(&p, ag, c);
	if (p.failed)
		ctl_fail(c);
}
