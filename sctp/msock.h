/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A managed SCTP socket: the daemon's duplicate of an application's fd and
 * what the kernel says about it. */
#ifndef ASCONF_SCTP_MSOCK_H
#define ASCONF_SCTP_MSOCK_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "saddr.h"

struct msock;

/* On success the msock owns fd; on refusal fd stays the caller's.  Refuses
 * (negative errno, reason in err) what the daemon must not manage: a socket
 * of another network namespace (-EXDEV, checked first, for any socket), not
 * SCTP, not IPv4/IPv6, not bound, or bound to the wildcard address. */
int msock_open(int fd, struct msock **out, char *err, size_t errlen);
void msock_free(struct msock *s);

int msock_fd(const struct msock *s);
/* The registry's number for it, used in every log line about it. */
unsigned int msock_id(const struct msock *s);
void msock_set_id(struct msock *s, unsigned int id);
int msock_family(const struct msock *s);
int msock_type(const struct msock *s);       /* SOCK_STREAM / SOCK_SEQPACKET */
bool msock_v6only(const struct msock *s);
uint16_t msock_port(const struct msock *s);
ino_t msock_inode(const struct msock *s);
/* The socket's owner: the uid that created it (its inode's, which is what
 * the kernel's own port checks compare, sk_uid).  Nobody but root can
 * change it, so a user cannot pass its socket off as another's. */
uid_t msock_uid(const struct msock *s);

/* A socket's identity is its inode and its cookie.  The inode alone can
 * name two sockets over time: sockfs numbers them from a 32-bit counter
 * that wraps, so a socket created later may get a managed one's number.
 * The cookie (SO_COOKIE, Linux 4.12) is a 64-bit number the kernel gives
 * each socket once and never again until reboot.  0: the kernel has none,
 * and the inode alone has to do. */
uint64_t msock_cookie(const struct msock *s);
/* The cookie of the socket fd, 0 when the kernel has none. */
uint64_t msock_fd_cookie(int fd);
/* Can (ino, cookie) and (ino2, cookie2) be the same socket: same inode and,
 * where both cookies are known, the same cookie. */
static inline bool msock_same_id(ino_t ino, uint64_t cookie, ino_t ino2, uint64_t cookie2)
{
	return ino == ino2 && (!cookie || !cookie2 || cookie == cookie2);
}

/* The kernel's view of the endpoint's addresses, canonical form.  Returns
 * the count (into *out, caller frees) or a negative errno. */
int msock_bound(struct msock *s, struct saddr **out);

/* The application's own addresses (see policy_app_owned), kept from the
 * hand-over on.  msock_set_own copies them; 0 or -ENOMEM. */
int msock_set_own(struct msock *s, const struct saddr *own, size_t n);
size_t msock_own(const struct msock *s, const struct saddr **v);
bool msock_own_known(const struct msock *s);
bool msock_is_own(const struct msock *s, const struct saddr *a);

/* Is it a listening socket (SO_ACCEPTCONN)?  Asked when it matters. */
bool msock_listening(const struct msock *s);

/* While asconfd ADDs an address to several managed sockets of one port,
 * each must let the others share it: SO_REUSEADDR and SO_REUSEPORT on,
 * the application's own values kept and put back by msock_unshare_port
 * (also on msock_free).  0 or a negative errno (nothing changed then). */
int msock_share_port(struct msock *s);
void msock_unshare_port(struct msock *s);

/* Both also keep what they read as the socket's known bound set: the
 * reconciler plans from it and reads again only after it changed
 * something.  This one returns just the count or a negative errno. */
int msock_read_bound(struct msock *s);
/* The known bound set: as last read, with the effect of every bindx that
 * worked since.  False when it was never read. */
bool msock_known_bound(const struct msock *s, const struct saddr **v, size_t *n);

/* Must the next pass look at it whatever changed: never read, a read that
 * disagreed with the known set since msock_settle, an issue or a steering
 * request pending, its own addresses not learnt yet? */
bool msock_unsettled(const struct msock *s);
/* The reconciler is looking at it now (true), or could not finish (false:
 * the next pass looks again). */
void msock_settle(struct msock *s, bool settled);

/* One bindx call for the N addresses a[] (1 <= N <= MSOCK_BINDX_MAX): 0 or
 * a negative errno.  The kernel binds them all or none, and tells each
 * association's peer in one ASCONF. */
#define MSOCK_BINDX_MAX 16
int msock_bindx(struct msock *s, const struct saddr *a, size_t n, bool add);

/* The last bindx that succeeded on the socket (the daemon cannot see what the
 * peer did; this is what it told the peers last).  False when none yet. */
struct msock_change {
	struct saddr addr;
	bool add;
	struct timespec when;           /* CLOCK_REALTIME */
};
bool msock_last_change(const struct msock *s, struct msock_change *out);

/* Per-address problems, kept for the status until the address stops
 * mattering. */
struct msock_issue {
	struct saddr addr;
	int err;                /* negative errno */
	bool add;
	char holder[160];        /* EADDRINUSE: who holds it, if known, or "" */
};
/* holder may be NULL (no holder known). */
void msock_issue_set(struct msock *s, const struct saddr *a, bool add, int err,
		     const char *holder);
void msock_issue_clear(struct msock *s, const struct saddr *a);
const struct msock_issue *msock_issue_find(const struct msock *s,
					   const struct saddr *a, bool add);
size_t msock_issues(const struct msock *s, const struct msock_issue **v);
/* Has an ADD that failed for a passing reason (EADDRNOTAVAIL: the kernel
 * announces an address before it can be bound) and is worth retrying. */
bool msock_retry_due(const struct msock *s);
/* True the first time it is asked about address a (until forgotten): the
 * first failure of each address is logged at the default level, its
 * retries only at debug. */
bool msock_tell_once(struct msock *s, const struct saddr *a);
size_t msock_told(const struct msock *s, const struct saddr **v);
void msock_told_forget(struct msock *s, const struct saddr *a);
/* An ADD failed with EADDRNOTAVAIL and waits for its address to become
 * bindable (local route, DAD). */
bool msock_add_retry_due(const struct msock *s);
/* A peer primary request waits for the peer's ACK of an ADD. */
bool msock_steer_due(const struct msock *s);
/* A peer primary request that could not be made yet (see recon). */
void msock_steer_pending(struct msock *s, bool pending);

/* The socket's association ids (one-to-one: {0} once established).
 * Returns the count (into *ids, caller frees) or a negative errno. */
int msock_assocs(const struct msock *s, int **ids);

/* Does the peer of association id take ASCONF?  1, 0 or -errno. */
int msock_assoc_asconf(const struct msock *s, int id);

/* 1: every association's peer takes ASCONF, 0: some does not, -errno:
 * no association said no but the kernel could not say for some
 * (-ENOPROTOOPT before Linux 5.4, no SCTP_ASCONF_SUPPORTED) or could not
 * list them.  nassoc: the associations that answered. */
/* Is err (negative) a kernel's answer for a socket option it does not
 * have (ENOPROTOOPT, or EINVAL from some older option switches)? */
static inline int msock_errno_missing(int err)
{
	return err == -ENOPROTOOPT || err == -EINVAL;
}

int msock_asconf_supported(const struct msock *s, unsigned int *nassoc);

/* Ask the peer of association id to send to a (SCTP_SET_PEER_PRIMARY_ADDR,
 * an ASCONF SET PRIMARY).  0 or a negative errno. */
int msock_set_peer_primary(struct msock *s, int id, const struct saddr *a);

/* What the peer of association id was last asked to use, or NULL. */
const struct saddr *msock_primary_asked(const struct msock *s, int id);
void msock_primary_forget(struct msock *s, const int *live, size_t n);

#endif
