// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addrtab.h"

struct addr_ent {
	struct host_addr a;
	bool stale;
};

struct link_ent {
	struct host_link l;
	bool stale;
};

/* Addresses are found through an open-addressing index (linear probing,
 * backward-shift deletion) so that a flood of events on a host with many
 * addresses costs O(1) per event, not a scan of the table. */
struct addrtab {
	struct addr_ent *addrs;
	size_t naddrs, caddrs;
	size_t *slot;           /* index + 1 into addrs, 0 = empty */
	size_t *aslot;          /* the same by address alone (any link or prefix),
				 * duplicates allowed: what the policy asks */
	size_t nslot;           /* power of two, at least 2 * naddrs, both */
	struct link_ent *links;
	size_t nlinks, clinks;
	addrtab_cb cb;
	void *ctx;
};

struct addrtab *addrtab_new(addrtab_cb cb, void *ctx)
{
	struct addrtab *t = calloc(1, sizeof(*t));

	if (t) {
		t->cb = cb;
		t->ctx = ctx;
	}
	return t;
}

void addrtab_free(struct addrtab *t)
{
	if (!t)
		return;
	free(t->addrs);
	free(t->slot);
	free(t->aslot);
	free(t->links);
	free(t);
}

static void notify(struct addrtab *t, enum addrtab_event ev,
		   const struct host_addr *a, const struct host_link *l)
{
	if (t->cb)
		t->cb(ev, a, l, t->ctx);
}

void addrtab_addr_bindable(struct addrtab *t, const struct host_addr *a)
{
	notify(t, ADDRTAB_ADDR_BINDABLE, a, NULL);
}

/* Grow by doubling so a flood of events costs amortised O(1) memory work. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = reallocarray(*arr, ncap, elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static size_t addr_hash(const struct host_addr *a)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	h = (h ^ (uint32_t)a->ifindex) * 1099511628211ULL;
	h = (h ^ (uint32_t)a->family) * 1099511628211ULL;
	h = (h ^ a->prefixlen) * 1099511628211ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ a->a.raw[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static size_t bare_hash(int family, const uint8_t *raw)
{
	size_t len = family == AF_INET ? 4 : 16;
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	h = (h ^ (uint32_t)family) * 1099511628211ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ raw[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static bool bare_same(const struct host_addr *x, int family, const uint8_t *raw)
{
	return x->family == family && !memcmp(x->a.raw, raw, family == AF_INET ? 4 : 16);
}

/* The first empty slot of the address index from a's home. */
static size_t aslot_free(const struct addrtab *t, const struct host_addr *a)
{
	size_t mask = t->nslot - 1, i = bare_hash(a->family, a->a.raw) & mask;

	while (t->aslot[i])
		i = (i + 1) & mask;
	return i;
}

/* The slot of the address index that holds entry k (index + 1 == k + 1). */
static size_t aslot_of(const struct addrtab *t, size_t k)
{
	const struct host_addr *a = &t->addrs[k].a;
	size_t mask = t->nslot - 1, i = bare_hash(a->family, a->a.raw) & mask;

	while (t->aslot[i] != k + 1)
		i = (i + 1) & mask;
	return i;
}

/* Empties slot i of the address index, keeping its probe chains whole. */
static void aslot_clear(struct addrtab *t, size_t i)
{
	size_t mask = t->nslot - 1, j = i, home;

	for (;;) {
		const struct host_addr *a;

		j = (j + 1) & mask;
		if (!t->aslot[j])
			break;
		a = &t->addrs[t->aslot[j] - 1].a;
		home = bare_hash(a->family, a->a.raw) & mask;
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			t->aslot[i] = t->aslot[j];
			i = j;
		}
	}
	t->aslot[i] = 0;
}

/* The slot holding address a, or the empty slot where it would go. */
static size_t slot_of(const struct addrtab *t, const struct host_addr *a)
{
	size_t mask = t->nslot - 1, i = addr_hash(a) & mask;

	while (t->slot[i] && !host_addr_same(&t->addrs[t->slot[i] - 1].a, a))
		i = (i + 1) & mask;
	return i;
}

static int reindex(struct addrtab *t, size_t nslot)
{
	size_t *v = calloc(nslot, sizeof(*v)), *w = calloc(nslot, sizeof(*w));

	if (!v || !w) {
		free(v);
		free(w);
		return -ENOMEM;
	}
	free(t->slot);
	free(t->aslot);
	t->slot = v;
	t->aslot = w;
	t->nslot = nslot;
	for (size_t k = 0; k < t->naddrs; k++) {
		t->slot[slot_of(t, &t->addrs[k].a)] = k + 1;
		t->aslot[aslot_free(t, &t->addrs[k].a)] = k + 1;
	}
	return 0;
}

static struct addr_ent *addr_find(const struct addrtab *t, const struct host_addr *a)
{
	size_t i;

	if (!t->nslot)
		return NULL;
	i = slot_of(t, a);
	return t->slot[i] ? &t->addrs[t->slot[i] - 1] : NULL;
}

int addrtab_addr_put(struct addrtab *t, const struct host_addr *a)
{
	struct addr_ent *e = addr_find(t, a);

	if (e) {
		e->stale = false;
		if (e->a.flags == a->flags && e->a.scope == a->scope)
			return 0;
		e->a = *a;
		notify(t, ADDRTAB_ADDR_CHANGED, &e->a, NULL);
		return 1;
	}
	if (grow((void **)&t->addrs, &t->caddrs, t->naddrs, sizeof(*t->addrs)))
		return -ENOMEM;
	/* Keep the index at most half full. */
	if (2 * (t->naddrs + 1) > t->nslot && reindex(t, t->nslot ? 2 * t->nslot : 32))
		return -ENOMEM;
	e = &t->addrs[t->naddrs++];
	e->a = *a;
	e->stale = false;
	t->slot[slot_of(t, a)] = t->naddrs;
	t->aslot[aslot_free(t, a)] = t->naddrs;
	notify(t, ADDRTAB_ADDR_NEW, &e->a, NULL);
	return 1;
}

/* Empties slot i without breaking the probe chains that run through it. */
static void slot_clear(struct addrtab *t, size_t i)
{
	size_t mask = t->nslot - 1, j = i, home;

	for (;;) {
		j = (j + 1) & mask;
		if (!t->slot[j])
			break;
		home = addr_hash(&t->addrs[t->slot[j] - 1].a) & mask;
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i] = 0;
}

static void addr_remove(struct addrtab *t, struct addr_ent *e)
{
	struct host_addr gone = e->a;
	size_t k = (size_t)(e - t->addrs), last = t->naddrs - 1;

	slot_clear(t, slot_of(t, &gone));
	aslot_clear(t, aslot_of(t, k));
	if (k != last) {
		/* The last entry moves into the hole: repoint its slots. */
		t->aslot[aslot_of(t, last)] = k + 1;
		t->addrs[k] = t->addrs[last];
		t->slot[slot_of(t, &t->addrs[k].a)] = k + 1;
	}
	t->naddrs--;
	notify(t, ADDRTAB_ADDR_GONE, &gone, NULL);
}

int addrtab_addr_del(struct addrtab *t, const struct host_addr *a)
{
	struct addr_ent *e = addr_find(t, a);

	if (!e)
		return 0;
	addr_remove(t, e);
	return 1;
}

static struct link_ent *link_find(const struct addrtab *t, int ifindex)
{
	for (size_t i = 0; i < t->nlinks; i++)
		if (t->links[i].l.ifindex == ifindex)
			return &t->links[i];
	return NULL;
}

int addrtab_link_put(struct addrtab *t, const struct host_link *l)
{
	struct link_ent *e = link_find(t, l->ifindex);

	if (e) {
		e->stale = false;
		if (e->l.flags == l->flags && e->l.linkmode == l->linkmode && !strcmp(e->l.name, l->name))
			return 0;
		e->l = *l;
		notify(t, ADDRTAB_LINK_CHANGED, NULL, &e->l);
		return 1;
	}
	if (grow((void **)&t->links, &t->clinks, t->nlinks, sizeof(*t->links)))
		return -ENOMEM;
	e = &t->links[t->nlinks++];
	e->l = *l;
	e->stale = false;
	notify(t, ADDRTAB_LINK_NEW, NULL, &e->l);
	return 1;
}

static void addrs_of_link_remove(struct addrtab *t, int ifindex)
{
	for (size_t i = 0; i < t->naddrs;)
		if (t->addrs[i].a.ifindex == ifindex)
			addr_remove(t, &t->addrs[i]);
		else
			i++;
}

int addrtab_link_del(struct addrtab *t, int ifindex)
{
	struct link_ent *e = link_find(t, ifindex);
	struct host_link gone;

	addrs_of_link_remove(t, ifindex);
	if (!e)
		return 0;
	gone = e->l;
	*e = t->links[--t->nlinks];
	notify(t, ADDRTAB_LINK_GONE, NULL, &gone);
	return 1;
}

void addrtab_mark(struct addrtab *t)
{
	for (size_t i = 0; i < t->naddrs; i++)
		t->addrs[i].stale = true;
	for (size_t i = 0; i < t->nlinks; i++)
		t->links[i].stale = true;
}

int addrtab_sweep(struct addrtab *t)
{
	int n = 0;

	for (size_t i = 0; i < t->naddrs;)
		if (t->addrs[i].stale) {
			addr_remove(t, &t->addrs[i]);
			n++;
		} else {
			i++;
		}
	for (size_t i = 0; i < t->nlinks;)
		if (t->links[i].stale) {
			n += addrtab_link_del(t, t->links[i].l.ifindex);
		} else {
			i++;
		}
	return n;
}

size_t addrtab_naddrs(const struct addrtab *t)
{
	return t->naddrs;
}

const struct host_addr *addrtab_addr(const struct addrtab *t, size_t i)
{
	return i < t->naddrs ? &t->addrs[i].a : NULL;
}

const struct host_addr *addrtab_addr_next(const struct addrtab *t, int family,
					  const void *raw, size_t *cursor)
{
	size_t mask, i;

	if (!t->nslot)
		return NULL;
	mask = t->nslot - 1;
	i = *cursor ? *cursor - 1 : bare_hash(family, raw) & mask;
	for (; t->aslot[i]; i = (i + 1) & mask) {
		const struct host_addr *a = &t->addrs[t->aslot[i] - 1].a;

		if (bare_same(a, family, raw)) {
			*cursor = ((i + 1) & mask) + 1;
			return a;
		}
	}
	return NULL;
}

size_t addrtab_nlinks(const struct addrtab *t)
{
	return t->nlinks;
}

const struct host_link *addrtab_link(const struct addrtab *t, size_t i)
{
	return i < t->nlinks ? &t->links[i].l : NULL;
}

const struct host_link *addrtab_link_find(const struct addrtab *t, int ifindex)
{
	struct link_ent *e = link_find(t, ifindex);

	return e ? &e->l : NULL;
}
