// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: any bytes as a state file's text (state_parse), then
 * a round trip of what parsed: written with state_write, read back with
 * state_read, the same entries must come back with no line skipped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../agent/daemon/owners/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void cleanup(void)
{
	char tmp[80];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(path);
	unlink(tmp);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_entry *v, *w;
	size_t n, m, bad, bad2;
	char why[256], why2[256], *text;
	int err;

	if (!path[0]) {
		char dir[] = "/tmp/fuzz_state.XXXXXX";

		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/state", dir);
		atexit(cleanup);
	}
	/* An exact-size copy: ASan sees any read past the end. */
	text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	err = state_parse(text, size, &v, &n, &bad, why, sizeof(why));
	free(text);
	if (err) {
		if (v || n || !why[0])
			abort();
		return 0;
	}
	if (bad && !why[0])
		abort();
	for (size_t i = 0; i < n; i++)
		if (v[i].pid <= 0 || v[i].fd < 0 || !v[i].ino || !v[i].policy[0] ||
		    strlen(v[i].policy) >= STATE_POLICY_MAX)
			abort();
	if (state_write(path, v, n))
		abort();
	if (state_read(path, &w, &m, &bad2, why2, sizeof(why2)) || m != n || bad2)
		abort();
	for (size_t i = 0; i < n; i++)
		if (w[i].pid != v[i].pid || w[i].fd != v[i].fd || w[i].ino != v[i].ino ||
		    strcmp(w[i].policy, v[i].policy) || w[i].adopted != v[i].adopted)
			abort();
	free(v);
	free(w);
	return 0;
}
