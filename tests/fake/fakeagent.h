/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An agent put together as asconfd's start-up does (config, address table
 * with asconfd's table callback, registry, hold-downs, affected set), for
 * tests and benchmarks that run the daemon's own pass over the sockets of
 * tests/fake/fakesctp.c.  No epoll, timers or control socket; the netlink
 * monitor is a real one on a table of its own (the pass asks it
 * nlmon_may_miss), so rtnetlink must open. */
#ifndef ASCONF_TESTS_FAKEAGENT_H
#define ASCONF_TESTS_FAKEAGENT_H

#include <stddef.h>
#include <stdint.h>

#include "../../agent/daemon/agent.h"

struct fakeagent {
	struct agent ag;
	struct addrtab *scratch;        /* the monitor's own table */
};

/* The agent following INTERFACES (as --interface gives them): 0, or -1
 * with why set. */
int fakeagent_open(struct fakeagent *fa, const char *interfaces, char *why, size_t len);

/* Frees the pass, the registry (each socket's options back), the rest. */
void fakeagent_close(struct fakeagent *fa);

/* A link that is up with carrier. */
void fakeagent_link(struct fakeagent *fa, int ifindex, const char *name);

/* An IPv4 address (host order) with a /24 on the link. */
void fakeagent_v4(struct fakeagent *fa, int ifindex, uint32_t host);

#endif
