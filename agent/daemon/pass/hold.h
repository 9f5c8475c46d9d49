/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hold-down: when each recently appeared address became usable, so a
 * policy can keep it from sockets until it has stayed for its window.  Fed
 * by the address table's events; only young addresses have an entry (no
 * entry means "usable for longer than any window"), so the table stays as
 * small as the churn of the last window. */
#ifndef ASCONF_AGENT_HOLD_H
#define ASCONF_AGENT_HOLD_H

#include <stdbool.h>
#include <stdint.h>

struct hold;
struct saddr;

struct hold *hold_new(void);
void hold_free(struct hold *h);

/* The address (4 or 16 bytes by family) appeared; usable: not tentative.
 * An address that appears unusable starts its window when it turns usable. */
void hold_new_addr(struct hold *h, int family, const void *addr, bool usable, uint64_t now_ms);
/* It changed: starts the window of one that was waiting to be usable. */
void hold_changed_addr(struct hold *h, int family, const void *addr, bool usable,
		       uint64_t now_ms);
void hold_gone_addr(struct hold *h, int family, const void *addr);

/* ms a must still wait under a window of window_ms; 0 when it may be used. */
uint64_t hold_remaining(const struct hold *h, const struct saddr *a, unsigned int window_ms,
			uint64_t now_ms);
/* Forgets entries older than max_ms (the largest window). */
void hold_prune(struct hold *h, unsigned int max_ms, uint64_t now_ms);
size_t hold_count(const struct hold *h);

/* CLOCK_MONOTONIC in ms. */
uint64_t hold_now_ms(void);

#endif
