// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affect.h"
#include "policy.h"

struct affect {
	bool all;
	struct saddr *addr;             /* changed addresses, sorted when sorted */
	size_t naddr, caddr;
	bool sorted;
	char (*ifname)[IFNAMSIZ];       /* the interfaces they were on, each once */
	size_t nif, cif;
};

struct affect *affect_new(void)
{
	struct affect *a = calloc(1, sizeof(*a));

	if (a)
		a->all = true;
	return a;
}

void affect_free(struct affect *a)
{
	if (!a)
		return;
	free(a->addr);
	free(a->ifname);
	free(a);
}

void affect_everything(struct affect *a)
{
	a->all = true;
}

bool affect_is_everything(const struct affect *a)
{
	return a->all;
}

void affect_reset(struct affect *a)
{
	a->all = false;
	a->naddr = a->nif = 0;
	a->sorted = true;
}

/* Doubling growth; false (and everything concerned) without memory. */
static bool room(struct affect *a, void **v, size_t n, size_t *cap, size_t elem)
{
	void *w;

	if (n < *cap)
		return true;
	w = reallocarray(*v, *cap ? 2 * *cap : 16, elem);
	if (!w) {
		a->all = true;
		return false;
	}
	*v = w;
	*cap = *cap ? 2 * *cap : 16;
	return true;
}

void affect_addr(struct affect *a, const struct host_addr *h, const char *ifname)
{
	struct saddr s = { .family = h->family };
	size_t i;

	if (a->all)
		return;
	if (!ifname || !*ifname) {
		a->all = true;
		return;
	}
	for (i = 0; i < a->nif && strcmp(a->ifname[i], ifname); i++)
		;
	if (i == a->nif) {
		if (!room(a, (void **)&a->ifname, a->nif, &a->cif, sizeof(*a->ifname)))
			return;
		snprintf(a->ifname[a->nif++], IFNAMSIZ, "%s", ifname);
	}
	/* The form a socket reports: link-local IPv6 with its scope id. */
	memcpy(s.addr, h->a.raw, h->family == AF_INET ? 4 : 16);
	if (h->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&h->a.v6))
		s.scope_id = (uint32_t)h->ifindex;
	if (!room(a, (void **)&a->addr, a->naddr, &a->caddr, sizeof(*a->addr)))
		return;
	a->addr[a->naddr++] = s;
	a->sorted = false;
}

bool affect_policy(struct affect *a, const struct policy *p)
{
	if (a->all)
		return true;
	for (size_t i = 0; i < a->nif; i++)
		if (policy_iface_selected(p, a->ifname[i]))
			return true;
	return false;
}

static int qcmp(const void *x, const void *y)
{
	return saddr_cmp(x, y);
}

bool affect_holds(struct affect *a, const struct saddr *v, size_t n)
{
	if (a->all)
		return true;
	if (!a->naddr)
		return false;
	if (!a->sorted) {
		qsort(a->addr, a->naddr, sizeof(*a->addr), qcmp);
		a->sorted = true;
	}
	for (size_t i = 0; i < n; i++)
		if (bsearch(&v[i], a->addr, a->naddr, sizeof(*a->addr), qcmp))
			return true;
	return false;
}

bool affect_concerns(struct affect *a, bool want_changed, const struct saddr *bound,
		     size_t nb, const struct saddr *own, size_t no)
{
	return a->all || want_changed || affect_holds(a, bound, nb) || affect_holds(a, own, no);
}
