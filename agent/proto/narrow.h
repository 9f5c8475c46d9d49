/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A wildcard bind narrowed to a policy's addresses: the part asconf-run's
 * shim and libasconf's asconf_bind share.  Pure decisions (tested in
 * tests/unit/test_narrow.c) and the binds themselves; the request and its
 * reply are the ADDRS of ctlmsg.h.
 *
 * Called from inside the shim, these use the plain socket functions: the
 * shim's own wrappers pass its calls straight to the real ones. */
#ifndef ASCONF_AGENT_NARROW_H
#define ASCONF_AGENT_NARROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* The calls that bind an SCTP socket, explicitly or (the kernel's autobind
 * to the wildcard with an ephemeral port) implicitly. */
enum narrow_call {
	NARROW_BIND,            /* bind(2) */
	NARROW_BINDX,           /* sctp_bindx(SCTP_BINDX_ADD_ADDR) */
	NARROW_CONNECT,         /* connect, sctp_connectx */
	NARROW_LISTEN,          /* listen */
	NARROW_SENDMSG,         /* sendmsg/sendto with a destination */
};

/* How the socket is bound before the call. */
enum narrow_bound { NARROW_UNBOUND, NARROW_BOUND_ANY, NARROW_BOUND_SPECIFIC };

/* INADDR_ANY, in6addr_any or ::ffff:0.0.0.0. */
bool narrow_is_any(const struct sockaddr *sa);

/* Is this call on a socket of this family a wildcard bind to narrow?
 * addrs, len: what bind got (one sockaddr) or sctp_bindx (packed ones);
 * unused for the implicit binds.  Narrowed: a bind or bindx of exactly one
 * wildcard address of the socket's family (or IPv4's on a dual-stack
 * AF_INET6 socket) on an unbound socket, with its port; an implicit bind
 * of an unbound socket, with port 0 (ephemeral).  Never: a bound socket,
 * a specific address, a list mixing the wildcard with others (the kernel
 * decides those), a family the socket cannot bind.  *port: host order. */
bool narrow_decide(enum narrow_call call, int sock_family, enum narrow_bound bound,
		   const void *addrs, size_t len, uint16_t *port);

/* "ADDRS [POLICY] inet|inet6[ v6only]" (ctlmsg.h) into buf. */
void narrow_request(char *buf, size_t len, const char *policy, int family, bool v6only);

/* The daemon's answer for one socket. */
struct narrow_set {
	bool narrow;            /* the policy's narrow-wildcard */
	bool empty_wildcard;    /* narrow-empty = wildcard (else fail) */
	size_t n;
	struct sockaddr_storage *a;     /* malloc'd; the port is still 0 */
};

/* Parses an ADDRS reply ("OK ..." then one address a line) for a socket of
 * family (v6only): the addresses it can bind, IPv4 v4-mapped on a
 * dual-stack AF_INET6 socket, each once.  0, -EPROTO for a reply not
 * understood, the error of an "ERR" reply, or -ENOMEM.  narrow_free after. */
int narrow_parse(const char *reply, int family, bool v6only, struct narrow_set *out);
void narrow_free(struct narrow_set *s);

/* Binds the unbound socket fd to s's addresses on port: one sctp_bindx ADD
 * of them all when port is set; with port 0, bind(2) of the first (the
 * kernel picks the port), then one ADD of the rest on that port.  A failed
 * ADD after the first bind leaves the socket on its first address (the
 * daemon adds the others).  0 or a negative errno (the socket unbound). */
int narrow_bind(int fd, const struct narrow_set *s, uint16_t port);

/* The socket's family and IPV6_V6ONLY; 0 or a negative errno. */
int narrow_sock_family(int fd, int *family, bool *v6only);

#endif
