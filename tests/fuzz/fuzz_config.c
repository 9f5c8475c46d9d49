// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: the configuration loader with the command-line
 * overlay, as asconfd's main() calls it.  Input: a first byte N (N % 5
 * command-line options), then N lines "<option byte><value>\n", the
 * option byte choosing one of asconfd's options; the rest is the file,
 * read from memory (fmemopen).  A loaded config must hold what the daemon
 * relies on: "default" first, every policy found by its name, and every
 * name short enough for the state file to keep whole. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/daemon/config/config.h"
#include "../../agent/daemon/owners/state.h"
#include "../../sctp/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* asconfd's command-line options (agent/daemon/asconfd.c), one config key each. */
static const struct { const char *option; bool policy; const char *key; bool append; } opts[] = {
	{ "--control", false, "control", false },
	{ "--rcvbuf", false, "netlink-rcvbuf", false },
	{ "--verbose", false, "log-level", false },
	{ "--interface", true, "interfaces", true },
	{ "--exclude-interface", true, "exclude", true },
	{ "--prefer", true, "prefer", true },
	{ "--deprecated", true, "deprecated", false },
	{ "--no-temporary", true, "temporary", false },
	{ "--link-local", true, "link-local", false },
	{ "--keep-down-links", true, "keep-down-links", false },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_cli cli = { 0 };
	struct config *cfg = NULL;
	const uint8_t *p = data, *end = data + size, *nl;
	char why[512], value[256], names[256];
	size_t n;
	FILE *f;

	if (!size)
		return 0;
	n = *p++ % 5;
	for (size_t i = 0; i < n && p < end; i++) {
		size_t o = *p++ % NOPTS, len;

		nl = memchr(p, '\n', (size_t)(end - p));
		len = (size_t)((nl ? nl : end) - p);
		if (len >= sizeof(value))
			len = sizeof(value) - 1;
		memcpy(value, p, len);
		value[len] = '\0';
		p = nl ? nl + 1 : end;
		if (config_cli_set(&cli, opts[o].option, opts[o].policy, opts[o].key, value,
				   opts[o].append))
			abort();
	}
	/* fmemopen of 0 bytes fails on older glibc: a one-byte blank file. */
	f = fmemopen(p < end ? (void *)p : (void *)"\n", p < end ? (size_t)(end - p) : 1, "r");
	if (!f)
		abort();
	if (!config_load_stream(f, "fuzz.conf", &cli, &cfg, why, sizeof(why))) {
		if (strcmp(policy_name(config_policy_at(cfg, 0)), CONFIG_DEFAULT_POLICY) ||
		    !cfg->control || cfg->control[0] != '/')
			abort();
		for (size_t i = 0; i < config_policy_count(cfg); i++) {
			struct policy *q = config_policy_at(cfg, i);

			if (config_policy_find(cfg, policy_name(q)) != q ||
			    strlen(policy_name(q)) >= STATE_POLICY_MAX)
				abort();
		}
		config_policy_names(cfg, names, sizeof(names));
		config_free(cfg);
	} else if (cfg || !why[0]) {
		abort();        /* a failure always says why, and yields nothing */
	}
	fclose(f);
	config_cli_free(&cli);
	return 0;
}
