// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "portplan.h"

static int by_port(const void *a, const void *b, void *ctx)
{
	const uint16_t *port = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (port[x] != port[y])
		return port[x] < port[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

void portplan_by_port(const uint16_t *port, size_t n, size_t *order)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_port, (void *)port);
}

size_t portplan_run(const uint16_t *port, const size_t *order, size_t n, size_t i)
{
	size_t k = 1;

	while (i + k < n && port[order[i + k]] == port[order[i]])
		k++;
	return k;
}

void portplan_listeners_last(size_t *run, size_t k, const bool *listening)
{
	size_t w = 0, held = 0;
	size_t small[16], *l = k <= 16 ? small : malloc(k * sizeof(*l));

	if (!l)
		return;         /* the order only matters on old kernels */
	for (size_t i = 0; i < k; i++) {
		if (listening[run[i]])
			l[held++] = run[i];
		else
			run[w++] = run[i];
	}
	memcpy(run + w, l, held * sizeof(*l));
	if (l != small)
		free(l);
}
