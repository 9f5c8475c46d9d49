// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../common/procfd.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/registry.h"
#include "sockview.h"

int sockview_get(struct sockview *v, struct reg_entry *e, int addip)
{
	const struct msock_issue *iss;

	memset(v, 0, sizeof(*v));
	v->e = e;
	v->nbound = msock_bound(e->sock, &v->bound);
	v->nissues = msock_issues(e->sock, &iss);
	procfd_comm(e->pid, v->comm, sizeof(v->comm));
	v->nassoc = msock_assocs(e->sock, &v->assoc);
	if (v->nassoc <= 0)
		return 0;
	v->asconf = calloc((size_t)v->nassoc, sizeof(*v->asconf));
	if (!v->asconf) {
		sockview_free(v);
		return -ENOMEM;
	}
	for (int i = 0; i < v->nassoc; i++) {
		/* With addip off the kernel reports every peer as not taking
		 * ASCONF: ask anyway, count it untold either way. */
		v->asconf[i] = msock_assoc_asconf(e->sock, v->assoc[i]);
		v->untold += !addip || v->asconf[i] == 0;
		v->unknown += addip && v->asconf[i] < 0;
	}
	return 0;
}

const char *sockview_peers_told(const struct sockview *v, int addip)
{
	if (addip == 0)
		return "addip-disabled";
	if (v->nassoc < 0)
		return "unknown";
	if (v->nassoc == 0)
		return "no-association";
	if (v->untold)
		return "no";
	return v->unknown ? "unknown" : "yes";
}

void sockview_free(struct sockview *v)
{
	free(v->bound);
	free(v->assoc);
	free(v->asconf);
	v->bound = NULL;
	v->assoc = v->asconf = NULL;
}
