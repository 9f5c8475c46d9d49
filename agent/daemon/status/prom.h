/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prometheus text exposition format 0.0.4, a line at a time: a family's
 * HELP and TYPE once, then its samples, label values escaped. */
#ifndef ASCONF_AGENT_PROM_H
#define ASCONF_AGENT_PROM_H

#include <stdint.h>

typedef void (*prom_line_fn)(void *ctx, const char *line);

struct prom {
	prom_line_fn emit;
	void *ctx;
	int failed;             /* a line did not fit */
};

/* type: "counter", "gauge" or "summary".  Names follow [a-zA-Z_:][a-zA-Z0-9_:]*. */
void prom_family(struct prom *p, const char *name, const char *type, const char *help);

/* labels: name, value, name, value, ..., NULL (or NULL alone). */
void prom_sample(struct prom *p, const char *name, const char *const *labels,
		 uint64_t value);
/* The same for a duration given in ns, written in seconds ("1.000250000"),
 * exactly: a summary's _sum. */
void prom_sample_ns(struct prom *p, const char *name, const char *const *labels,
		    uint64_t ns);

#endif
