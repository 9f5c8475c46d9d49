// SPDX-License-Identifier: GPL-2.0-or-later
/* Prints {"args": [...]} with the status JSON writer, so the cli tier can
 * parse it back with jq and compare. */
#include <stdio.h>

#include "../../agent/daemon/status/json.h"

static void out(void *ctx, const char *line)
{
	(void)ctx;
	puts(line);
}

int main(int argc, char **argv)
{
	struct json j;

	json_init(&j, out, NULL);
	json_object(&j, NULL);
	json_int(&j, "argc", argc - 1);
	json_array(&j, "args");
	for (int i = 1; i < argc; i++)
		json_str(&j, NULL, argv[i]);
	json_end(&j);
	json_end(&j);
	return json_finish(&j) ? 1 : 0;
}
