/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "10.0.0.1,10.0.1.1" -> packed sockaddrs for sctp_bindx/sctp_connectx.
 * Header-only: shared by the two test programs and nothing else. */
#ifndef ASCONF_TESTS_ADDRLIST_H
#define ASCONF_TESTS_ADDRLIST_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Returns the count, or -1.  *family is AF_INET6 if any address is IPv6.
 * Addresses are packed by their own length, as sctp_bindx wants. */
static inline int addrlist_parse(const char *list, int port, struct sockaddr_storage *out,
				 int max, int *family)
{
	char *copy, *tok, *save = NULL;
	char *p = (char *)out;
	int n = 0;

	if (!list || !*list)
		return -1;
	*family = AF_INET;
	copy = strdup(list);
	for (tok = strtok_r(copy, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save), n++) {
		struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(port) };
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
		char *pct = strchr(tok, '%');

		if (pct) {
			*pct = '\0';
			s6.sin6_scope_id = (uint32_t)atoi(pct + 1);
		}
		if (inet_pton(AF_INET, tok, &s4.sin_addr) == 1) {
			memcpy(p, &s4, sizeof(s4));
			p += sizeof(s4);
		} else if (inet_pton(AF_INET6, tok, &s6.sin6_addr) == 1) {
			memcpy(p, &s6, sizeof(s6));
			p += sizeof(s6);
			*family = AF_INET6;
		} else {
			free(copy);
			return -1;
		}
	}
	free(copy);
	return n;
}

#endif
