// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/timerfd.h>

#include "../../netlink/addrtab.h"
#include "../../netlink/nlmon.h"
#include "../../sctp/affect.h"
#include "../../sctp/registry.h"
#include "../../agent/daemon/config/config.h"
#include "../../agent/daemon/pass/hold.h"
#include "fakeagent.h"
#include <linux/if.h>       /* IFF_LOWER_UP: after net/if.h */

/* As asconfd's table callback does it. */
static void on_change(enum addrtab_event ev, const struct host_addr *a,
		      const struct host_link *l, void *ctx)
{
	struct agent *ag = ctx;
	const struct host_link *al;

	(void)l;
	if (ev == ADDRTAB_ADDR_BINDABLE)
		return;
	if (!a) {
		affect_everything(ag->aff);
		return;
	}
	al = addrtab_link_find(ag->tab, a->ifindex);
	affect_addr(ag->aff, a, al ? al->name : NULL);
}

int fakeagent_open(struct fakeagent *fa, const char *interfaces, char *why, size_t len)
{
	struct agent *ag = &fa->ag;
	struct config_cli cli = { 0 };
	struct nlmon_opts mo = { 0 };
	int err;

	memset(fa, 0, sizeof(*fa));
	*ag = (struct agent){ .epfd = -1, .retry_fd = -1, .watchdog_fd = -1, .state_fd = -1,
			      .hold_fd = -1 };
	err = config_cli_set(&cli, "--interface", true, "interfaces", interfaces, true) ||
	      config_load("/nonexistent/asconfd.conf", false, &cli, &ag->cfg, why, len);
	config_cli_free(&cli);
	if (err)
		return -1;
	ag->tab = addrtab_new(on_change, ag);
	ag->reg = registry_new();
	ag->hold = hold_new();
	ag->aff = affect_new();
	fa->scratch = addrtab_new(NULL, NULL);
	ag->mon = fa->scratch ? nlmon_open(fa->scratch, &mo) : NULL;
	ag->hold_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (!ag->tab || !ag->reg || !ag->hold || !ag->aff || !ag->mon || ag->hold_fd < 0) {
		snprintf(why, len, "set-up failed (rtnetlink needed)");
		fakeagent_close(fa);
		return -1;
	}
	return 0;
}

void fakeagent_close(struct fakeagent *fa)
{
	struct agent *ag = &fa->ag;

	agent_pass_free(ag);
	registry_free(ag->reg);
	nlmon_close(ag->mon);
	addrtab_free(fa->scratch);
	addrtab_free(ag->tab);
	hold_free(ag->hold);
	affect_free(ag->aff);
	config_free(ag->cfg);
	if (ag->hold_fd >= 0)
		close(ag->hold_fd);
	memset(fa, 0, sizeof(*fa));
}

void fakeagent_link(struct fakeagent *fa, int ifindex, const char *name)
{
	struct host_link l = { .ifindex = ifindex, .flags = IFF_UP | IFF_RUNNING | IFF_LOWER_UP };

	snprintf(l.name, sizeof(l.name), "%s", name);
	addrtab_link_put(fa->ag.tab, &l);
}

void fakeagent_v4(struct fakeagent *fa, int ifindex, uint32_t host)
{
	struct host_addr a = { .ifindex = ifindex, .family = AF_INET, .prefixlen = 24 };

	a.a.v4.s_addr = htonl(host);
	addrtab_addr_put(fa->ag.tab, &a);
}
