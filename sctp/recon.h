/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reconciler: makes a managed socket hold the addresses its policy wants.
 * The decision is a pure function (recon_plan_*); recon_run applies it with
 * bindx and reads the result back from the kernel. */
#ifndef ASCONF_SCTP_RECON_H
#define ASCONF_SCTP_RECON_H

#include <stdbool.h>
#include <stddef.h>
#include "saddr.h"

struct msock;

/* desired - bound, into out (room for nd).  Returns the count. */
size_t recon_plan_adds(const struct saddr *desired, size_t nd,
		       const struct saddr *bound, size_t nb, struct saddr *out);

/* bound - desired, only where removable[i], into out (room for nb).  Never
 * every bound address: the endpoint must keep one (the kernel refuses the
 * last REM), so when all would go the first stays until a replacement is
 * bound.  Returns the count. */
size_t recon_plan_rems(const struct saddr *desired, size_t nd,
		       const struct saddr *bound, size_t nb,
		       const bool *removable, struct saddr *out);

/* What the reconciler asks the policy about bound addresses. */
struct recon_ops {
	/* May this bound, undesired address go? */
	bool (*removable)(const struct saddr *a, void *ctx);
	/* Preference rank for peer primary steering (0 best, -1 none); NULL
	 * when the policy does not steer. */
	int (*rank)(const struct saddr *a, void *ctx);
	/* Called once before the first ADD of a run (may be NULL): the
	 * caller lets the socket share its port with its managed siblings. */
	void (*before_add)(void *ctx);
	/* Who holds an address whose ADD found it taken (EADDRINUSE), as
	 * text for the log and the status (may be NULL). */
	void (*holder)(const struct msock *s, const struct saddr *a, char *buf,
		       size_t len, void *ctx);
	/* May the socket have address a at all (may be NULL)?  0, or a
	 * negative errno and who holds it in buf: the ADD is not made, and
	 * is reported like the kernel's refusal. */
	int (*may_add)(const struct msock *s, const struct saddr *a, char *buf,
		       size_t len, void *ctx);
	void *ctx;
	/* Leave the read-back of a changed socket to recon_verify, which the
	 * caller runs once every socket of the pass has had its bindx calls:
	 * the last peer is told that much sooner. */
	bool defer_verify;
};

struct recon_stats {
	unsigned int added, removed, failed, steered;
	unsigned int add_failed, rem_failed;    /* failed, split by kind */
	bool verify_due;                        /* defer_verify: call recon_verify */
};

/* Index in bound[] of the address to steer peers to: the best-ranked one
 * that is also desired; -1 if none.  Pure. */
int recon_pick_primary(const struct saddr *desired, size_t nd,
		       const struct saddr *bound, size_t nb, const int *rank);

/* ADD what is missing, read back, REM what is surplus and removable, read
 * back, then steer each association's peer to the preferred address if the
 * policy has a preference.  Errors are per address and recorded on the
 * socket; the return is 0 or a negative errno only when the socket itself is
 * unusable. */
int recon_run(struct msock *s, const struct saddr *desired, size_t nd,
	      const struct recon_ops *ops, struct recon_stats *st);

/* The rest of a recon_run that left verify_due: read the kernel's list
 * back, drop the failures it contradicts, forget what no longer matters,
 * steer.  Same desired set and ops as the recon_run.  0 or a negative errno. */
int recon_verify(struct msock *s, const struct saddr *desired, size_t nd,
		 const struct recon_ops *ops, struct recon_stats *st);

#endif
