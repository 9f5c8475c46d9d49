/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A socket address in one canonical form: IPv4 is always AF_INET, also when
 * the kernel reports it v4-mapped on an AF_INET6 socket, so comparing two
 * addresses is comparing bytes. */
#ifndef ASCONF_SCTP_SADDR_H
#define ASCONF_SCTP_SADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

struct saddr {
	int family;             /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint32_t scope_id;      /* IPv6 link-local only */
	uint16_t port;          /* host order */
};

/* Returns 0, or -EAFNOSUPPORT for anything but IPv4/IPv6. */
int saddr_from_sockaddr(struct saddr *out, const struct sockaddr *sa);
/* Fills *ss as bindx wants it; returns its length. */
socklen_t saddr_to_sockaddr(const struct saddr *a, struct sockaddr_storage *ss);
bool saddr_equal(const struct saddr *x, const struct saddr *y);  /* port ignored */
/* A total order agreeing with saddr_equal (0 exactly when equal), for
 * sorting and binary search. */
int saddr_cmp(const struct saddr *x, const struct saddr *y);
bool saddr_is_any(const struct saddr *a);
/* "192.0.2.1" or "fe80::1%3"; buf of SADDR_STRLEN. */
#define SADDR_STRLEN 64
const char *saddr_str(const struct saddr *a, char *buf, size_t len);

#endif
