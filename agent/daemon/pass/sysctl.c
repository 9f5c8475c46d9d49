// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "../agent.h"

/* Read anew each pass and each status: the operator may flip it any time. */
int sysctl_read_int(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}
