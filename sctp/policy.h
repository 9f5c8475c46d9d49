/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy: which of the host's addresses a managed socket should have.
 * Pure functions of the address table, so the decision is testable without
 * a kernel. */
#ifndef ASCONF_SCTP_POLICY_H
#define ASCONF_SCTP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../netlink/addrtab.h"
#include "saddr.h"

struct policy;

struct policy *policy_new(const char *name);
void policy_free(struct policy *p);
const char *policy_name(const struct policy *p);

/* Interface selection by name with shell globs (fnmatch); deny wins. */
int policy_allow(struct policy *p, const char *glob);
int policy_deny(struct policy *p, const char *glob);

/* Usability knobs; the defaults are the safe ones. */
void policy_set_deprecated(struct policy *p, bool usable);   /* default no */
void policy_set_temporary(struct policy *p, bool usable);    /* default yes */
void policy_set_link_local(struct policy *p, bool usable);   /* default no */
void policy_set_down_links(struct policy *p, bool usable);   /* default no */
/* Address families to follow; default both. */
void policy_set_families(struct policy *p, bool ipv4, bool ipv6);
/* ms an address must have been usable before it is announced (default 0):
 * a flapping address then never reaches a socket.  The policy only stores
 * it; the agent knows when each address appeared. */
void policy_set_hold_down(struct policy *p, unsigned int ms);
unsigned int policy_hold_down(const struct policy *p);

/* A wildcard bind under asconf-run or asconf_bind(3): narrowed to the
 * policy's usable addresses (default yes), and what to do when it has none
 * at bind time (default: fail, EADDRNOTAVAIL; else keep the wildcard). */
enum policy_empty { POLICY_EMPTY_FAIL, POLICY_EMPTY_WILDCARD };
void policy_set_narrow(struct policy *p, bool narrow);
bool policy_narrow(const struct policy *p);
void policy_set_narrow_empty(struct policy *p, enum policy_empty e);
enum policy_empty policy_narrow_empty(const struct policy *p);

/* Peer primary steering: interfaces in order of preference (globs).  With
 * none, the peer's choice of primary is left alone. */
int policy_prefer(struct policy *p, const char *glob);
bool policy_steers(const struct policy *p);

/* Has it any interface glob at all? */
bool policy_follows_any(const struct policy *p);
bool policy_iface_selected(const struct policy *p, const char *ifname);

/* Usable = fit for a bindx ADD now: not tentative (unless optimistic), not
 * dadfailed, global or site scope (link scope only if allowed), not
 * loopback, on a link that is running (unless allowed). */
bool policy_addr_usable(const struct policy *p, const struct host_addr *a,
			const struct host_link *l);

/* The addresses a socket of this family should hold, with its port, in
 * *out (malloc'd, caller frees), sorted by saddr_cmp, each once.  Returns
 * the count or -ENOMEM. */
int policy_desired(const struct policy *p, const struct addrtab *t,
		   int family, bool v6only, uint16_t port, struct saddr **out);

/* May a bound address that is not desired be removed?  Yes if the host no
 * longer has it, or has it on an interface this policy selects (so it is
 * ours and unusable); no for what the application bound elsewhere. */
bool policy_may_remove(const struct policy *p, const struct addrtab *t,
		       const struct saddr *a);

/* The application's own addresses: of the addresses a socket has when it
 * is handed over (bound[], nb), those not on an interface this policy
 * selects (or not on the host at all), into out (room for nb).  They stay
 * the socket's: removed while unusable, bound again when usable. */
size_t policy_app_owned(const struct policy *p, const struct addrtab *t,
			const struct saddr *bound, size_t nb, struct saddr *out);

/* Is the application's address a usable on the host now: present, its link
 * up and running (unless the policy keeps down links), not tentative (unless
 * optimistic), not dadfailed?  Its scope and interface are the
 * application's choice, not the policy's. */
bool policy_app_usable(const struct policy *p, const struct addrtab *t,
		       const struct saddr *a);

/* Adoption: the daemon takes over, unasked, the sockets of the host whose
 * bound port is in the port list (when there is one) and whose owner's
 * command name (/proc/PID/comm) matches one of the globs (when there are
 * some).  A policy with neither adopts nothing.  policy_adopt_port: 0,
 * -EINVAL for port 0, -EEXIST when listed already, -ENOMEM;
 * policy_adopt_command: 0, -EINVAL (empty or too long), -ENOMEM. */
int policy_adopt_port(struct policy *p, uint16_t port);
int policy_adopt_command(struct policy *p, const char *glob);
bool policy_adopts(const struct policy *p);
/* Does it name the programs it adopts (adopt-commands)? */
bool policy_adopts_commands(const struct policy *p);
/* Could a socket on this port be adopted (its owner not known yet)? */
bool policy_adopts_port(const struct policy *p, uint16_t port);
bool policy_adopt_match(const struct policy *p, uint16_t port, const char *comm);

/* Is host address h the socket address a (any port)? */
bool policy_is_host_addr(const struct host_addr *h, const struct saddr *a);

/* Preference rank of the interface holding a: 0 is the most preferred, -1
 * not preferred at all (or not on the host). */
int policy_rank(const struct policy *p, const struct addrtab *t, const struct saddr *a);

#endif
