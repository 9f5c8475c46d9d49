/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's address table: every address and link rtnetlink reported, in
 * every interface (policy filters later).  It is the single source of truth
 * downstream layers act on, so it reports only real differences. */
#ifndef ASCONF_NETLINK_ADDRTAB_H
#define ASCONF_NETLINK_ADDRTAB_H

#include <stddef.h>
#include <stdint.h>
#include "addr.h"

struct addrtab;

enum addrtab_event {
	ADDRTAB_ADDR_NEW,       /* address appeared */
	ADDRTAB_ADDR_CHANGED,   /* known address, other flags or scope */
	ADDRTAB_ADDR_GONE,
	ADDRTAB_ADDR_BINDABLE,  /* IPv4: its local route is in, bind() now works */
	ADDRTAB_LINK_NEW,
	ADDRTAB_LINK_CHANGED,   /* renamed, or IFF_* changed */
	ADDRTAB_LINK_GONE,
};

/* Called once per real difference; addr or link is set by kind. */
typedef void (*addrtab_cb)(enum addrtab_event ev, const struct host_addr *addr,
			   const struct host_link *link, void *ctx);

struct addrtab *addrtab_new(addrtab_cb cb, void *ctx);
void addrtab_free(struct addrtab *t);

/* Each returns 1 when the table changed, 0 when it did not, -ENOMEM. */
int addrtab_addr_put(struct addrtab *t, const struct host_addr *a);
int addrtab_addr_del(struct addrtab *t, const struct host_addr *a);
int addrtab_link_put(struct addrtab *t, const struct host_link *l);
/* A deleted link takes its addresses with it (the kernel may not say so). */
int addrtab_link_del(struct addrtab *t, int ifindex);

/* The kernel installed the local route of an IPv4 address (prefixlen 32):
 * tells the callback, stores nothing.  RTM_NEWADDR goes out before that
 * route exists, and bind() checks the route, so this is the moment an ADD
 * that failed with EADDRNOTAVAIL will succeed. */
void addrtab_addr_bindable(struct addrtab *t, const struct host_addr *a);

/* Resync: mark everything stale, put what a fresh dump reports, then sweep
 * what is still stale.  Only differences reach the callback. */
void addrtab_mark(struct addrtab *t);
int addrtab_sweep(struct addrtab *t);

size_t addrtab_naddrs(const struct addrtab *t);
const struct host_addr *addrtab_addr(const struct addrtab *t, size_t i);
/* Every entry of one address (4 or 16 bytes by family), whatever its link
 * or prefix, in O(1) each: start with *cursor = 0, call until NULL.  The
 * table must not change meanwhile. */
const struct host_addr *addrtab_addr_next(const struct addrtab *t, int family,
					  const void *raw, size_t *cursor);
size_t addrtab_nlinks(const struct addrtab *t);
const struct host_link *addrtab_link(const struct addrtab *t, size_t i);
const struct host_link *addrtab_link_find(const struct addrtab *t, int ifindex);

#endif
