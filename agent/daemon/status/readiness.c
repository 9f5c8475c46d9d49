// SPDX-License-Identifier: GPL-2.0-or-later
/* What the service manager is told (agent/daemon/status/notify.c carries it): READY=1
 * once the first dump is applied and the control socket accepts, a STATUS=
 * line when the counts change (at most every 200 ms), RELOADING=1 around a reload, and WATCHDOG=1
 * from a timer that exists only when a watchdog is asked for. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>

#include "../../../common/log.h"
#include "../../../netlink/addrtab.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../config/config.h"
#include "notify.h"

/* No system call per socket, but a walk of every socket and address. */
static void status_line(struct agent *ag, char *buf, size_t len)
{
	size_t followed = 0, failed = 0;
	const struct msock_issue *iss;

	for (size_t i = 0; i < addrtab_naddrs(ag->tab); i++) {
		const struct host_addr *a = addrtab_addr(ag->tab, i);
		const struct host_link *l = addrtab_link_find(ag->tab, a->ifindex);

		bool usable = false;

		for (size_t k = 0; l && !usable && k < config_policy_count(ag->cfg); k++) {
			const struct policy *p = config_policy_at(ag->cfg, k);

			usable = policy_iface_selected(p, l->name) && policy_addr_usable(p, a, l);
		}
		followed += usable;
	}
	for (size_t i = 0; i < registry_count(ag->reg); i++)
		failed += msock_issues(registry_at(ag->reg, i)->sock, &iss);
	snprintf(buf, len, "STATUS=%zu socket(s) managed, %zu address(es) followed, "
		 "%zu failed address(es)", registry_count(ag->reg), followed, failed);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void send_status(struct agent *ag)
{
	char line[sizeof(ag->notified)];

	ag->status_ms = mono_ms();
	status_line(ag, line, sizeof(line));
	if (!strcmp(line, ag->notified))
		return;
	if (!notify_send(line))
		memcpy(ag->notified, line, sizeof(line));
}

/* The line costs O(sockets + addresses): made on every turn of the loop,
 * a burst of N hand-overs cost O(N^2).  So at most one per
 * STATUS_INTERVAL_MS: a turn within it leaves the line to the status
 * timer, which runs only while a line waits (an idle daemon does not wake
 * up for it). */
#define STATUS_INTERVAL_MS 200

void agent_notify_status(struct agent *ag)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	uint64_t now;

	if (!notify_enabled() || ag->status_armed)
		return;
	now = mono_ms();
	if (ag->status_fd >= 0 && ag->status_ms && now - ag->status_ms < STATUS_INTERVAL_MS) {
		its.it_value.tv_nsec = (long)(STATUS_INTERVAL_MS - (now - ag->status_ms)) * 1000000L;
		if (!timerfd_settime(ag->status_fd, 0, &its, NULL)) {
			ag->status_armed = true;
			return;
		}
	}
	send_status(ag);
}

/* The line itself is made by agent_notify_status at the end of this turn
 * of the loop: made here, that call would arm the timer again, and an
 * idle daemon would wake up every 200 ms. */
void agent_status_timer(struct agent *ag)
{
	uint64_t ticks;

	if (read(ag->status_fd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return;
	ag->status_armed = false;
	ag->status_ms = 0;
}

int agent_notify_open(struct agent *ag)
{
	ag->status_fd = -1;
	if (!notify_enabled())
		return 0;
	ag->status_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	return ag->status_fd < 0 ? -errno : 0;
}

void agent_ready(struct agent *ag)
{
	char msg[sizeof(ag->notified) + 16];

	if (!notify_enabled())
		return;
	ag->status_ms = mono_ms();
	status_line(ag, ag->notified, sizeof(ag->notified));
	snprintf(msg, sizeof(msg), "READY=1\n%s", ag->notified);
	notify_send(msg);
}

/* MONOTONIC_USEC lets systemd 253+ (Type=notify-reload) tell this reload
 * from an earlier one; older versions ignore it. */
void agent_reload_begin(struct agent *ag)
{
	struct timespec now;
	char msg[96];

	(void)ag;
	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%" PRIu64 "\nSTATUS=reloading",
		 (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u);
	notify_send(msg);
}

void agent_reload_end(struct agent *ag)
{
	ag->notified[0] = '\0';
	agent_ready(ag);
}

int agent_watchdog_open(struct agent *ag)
{
	uint64_t half = notify_watchdog_usec() / 2;
	struct itimerspec its;

	ag->watchdog_fd = -1;
	if (!half || !notify_enabled())
		return 0;
	ag->watchdog_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ag->watchdog_fd < 0)
		return -errno;
	its.it_value.tv_sec = (time_t)(half / 1000000u);
	its.it_value.tv_nsec = (long)(half % 1000000u) * 1000;
	its.it_interval = its.it_value;
	if (timerfd_settime(ag->watchdog_fd, 0, &its, NULL))
		return -errno;
	log_info("watchdog: notifying every %" PRIu64 " ms", half / 1000);
	return 0;
}

void agent_watchdog_kick(struct agent *ag)
{
	uint64_t ticks;

	if (read(ag->watchdog_fd, &ticks, sizeof(ticks)) == sizeof(ticks))
		notify_send("WATCHDOG=1");
}
