// SPDX-License-Identifier: GPL-2.0-or-later
/* Prints CLOCK_MONOTONIC in microseconds: the clock sctp_peer stamps its
 * events with, so a script can time "ip addr add" -> peer's ADDR_ADDED. */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%llu\n", (unsigned long long)ts.tv_sec * 1000000ULL +
	       (unsigned long long)ts.tv_nsec / 1000);
	return 0;
}
