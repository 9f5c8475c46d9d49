// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "../../../sctp/saddr.h"
#include "hold.h"

/* Appeared, not yet usable (tentative): the window has not started. */
#define PENDING UINT64_MAX

struct hold_entry {
	int family;
	unsigned char addr[16];
	uint64_t since_ms;
};

struct hold {
	struct hold_entry *v;
	size_t n, cap;
};

struct hold *hold_new(void)
{
	return calloc(1, sizeof(struct hold));
}

void hold_free(struct hold *h)
{
	if (!h)
		return;
	free(h->v);
	free(h);
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static struct hold_entry *find(const struct hold *h, int family, const void *addr)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].family == family && !memcmp(h->v[i].addr, addr, addr_len(family)))
			return &h->v[i];
	return NULL;
}

void hold_new_addr(struct hold *h, int family, const void *addr, bool usable, uint64_t now_ms)
{
	struct hold_entry *e = find(h, family, addr);

	if (!e) {
		if (h->n == h->cap) {
			size_t cap = h->cap ? h->cap * 2 : 8;
			struct hold_entry *v = reallocarray(h->v, cap, sizeof(*v));

			/* Without memory the address is not held: announcing a
			 * flap beats never announcing a stayer. */
			if (!v)
				return;
			h->v = v;
			h->cap = cap;
		}
		e = &h->v[h->n++];
		memset(e, 0, sizeof(*e));
		e->family = family;
		memcpy(e->addr, addr, addr_len(family));
	}
	e->since_ms = usable ? now_ms : PENDING;
}

void hold_changed_addr(struct hold *h, int family, const void *addr, bool usable,
		       uint64_t now_ms)
{
	struct hold_entry *e = find(h, family, addr);

	if (e && e->since_ms == PENDING && usable)
		e->since_ms = now_ms;
}

void hold_gone_addr(struct hold *h, int family, const void *addr)
{
	struct hold_entry *e = find(h, family, addr);

	if (e)
		*e = h->v[--h->n];
}

uint64_t hold_remaining(const struct hold *h, const struct saddr *a, unsigned int window_ms,
			uint64_t now_ms)
{
	const struct hold_entry *e;

	if (!window_ms || !h->n || !(e = find(h, a->family, a->addr)) || e->since_ms == PENDING)
		return 0;
	return e->since_ms + window_ms > now_ms ? e->since_ms + window_ms - now_ms : 0;
}

void hold_prune(struct hold *h, unsigned int max_ms, uint64_t now_ms)
{
	for (size_t i = 0; i < h->n;) {
		if (h->v[i].since_ms != PENDING && h->v[i].since_ms + max_ms <= now_ms)
			h->v[i] = h->v[--h->n];
		else
			i++;
	}
}

size_t hold_count(const struct hold *h)
{
	return h->n;
}

uint64_t hold_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
