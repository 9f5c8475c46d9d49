/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A model of the kernel's SCTP sockets for tests on a host without SCTP:
 * UDP sockets stand in, and the SCTP calls msock makes are replaced at link
 * time (-Wl,--wrap, FAKESCTP_WRAP in the Makefile) by a model of each
 * socket's bound IPv4 addresses.  Its sctp_bindx acts as the kernel's does:
 * a call's addresses are bound (or removed) all or none, an address the
 * test refuses fails the whole call, the last address cannot go. */
#ifndef ASCONF_TESTS_FAKESCTP_H
#define ASCONF_TESTS_FAKESCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKESCTP_MAX_ADDRS 32

/* A UDP socket modelled as an SCTP socket bound to PORT and the N IPv4
 * addresses a[] (host order).  Returns the fd, or -1 with errno set. */
int fakesctp_socket(uint16_t port, const uint32_t *a, size_t n);

/* dup(FD), the copy modelled as the same socket. */
int fakesctp_dup(int fd);

/* The socket's bound addresses (host order) into out (room for
 * FAKESCTP_MAX_ADDRS); returns the count. */
size_t fakesctp_bound(int fd, uint32_t *out);

/* From now on the socket's inode (fstat) is INO and its SO_COOKIE is
 * COOKIE (0: the kernel has none, ENOPROTOOPT, as before Linux 4.12):
 * two sockets with one inode are what sockfs's wrapped counter gives. */
void fakesctp_identity(int fd, unsigned long long ino, uint64_t cookie);

/* From now on the socket (one-to-many) has N associations, ids 1..N,
 * whose peers answer SCTP_ASCONF_SUPPORTED with ASCONF[i] (1 or 0), or a
 * negative errno for the kernel's refusal (-ENOPROTOOPT: before Linux
 * 5.4).  ids_err: SCTP_GET_ASSOC_ID_LIST fails with it (ENOPROTOOPT:
 * hidden, as the old-kernel profile does); 0: answered. */
#define FAKESCTP_MAX_ASSOCS 8
void fakesctp_assocs(int fd, const int *asconf, size_t n, int ids_err);

/* Every later bindx that names address A fails with ERR (0: no longer). */
void fakesctp_refuse(uint32_t a, int err);

/* From now on an ADD fails with EADDRINUSE, as in the kernel's bind bucket
 * (sctp_get_port_local), when another socket of the port holds the
 * address, unless both have SO_REUSEADDR or both SO_REUSEPORT on (the
 * models know no listeners).  Off after fakesctp_reset. */
void fakesctp_bucket(void);

/* Forgets every socket and refusal (does not close the fds). */
void fakesctp_reset(void);

/* Calls made so far, and the address count of the last bindx. */
struct fakesctp_calls {
	unsigned long bindx, bindx_failed, getladdrs;
	unsigned long reuse_set;        /* setsockopt SO_REUSEADDR or SO_REUSEPORT */
	int last_bindx_n;
};
extern struct fakesctp_calls fakesctp_calls;

#endif
