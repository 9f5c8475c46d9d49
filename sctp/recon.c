// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "msock.h"
#include "recon.h"

static bool contains(const struct saddr *v, size_t n, const struct saddr *a)
{
	for (size_t i = 0; i < n; i++)
		if (saddr_equal(&v[i], a))
			return true;
	return false;
}

size_t recon_plan_adds(const struct saddr *desired, size_t nd,
		       const struct saddr *bound, size_t nb, struct saddr *out)
{
	size_t k = 0;

	for (size_t i = 0; i < nd; i++)
		if (!contains(bound, nb, &desired[i]))
			out[k++] = desired[i];
	return k;
}

size_t recon_plan_rems(const struct saddr *desired, size_t nd,
		       const struct saddr *bound, size_t nb,
		       const bool *removable, struct saddr *out)
{
	size_t k = 0;

	for (size_t i = 0; i < nb; i++)
		if (removable[i] && !contains(desired, nd, &bound[i]))
			out[k++] = bound[i];
	/* Make before break: keep the first until something replaces it. */
	if (k && k == nb) {
		memmove(out, out + 1, (k - 1) * sizeof(*out));
		k--;
	}
	return k;
}

/* Permanent refusals are not retried while the address stays desired;
 * EADDRNOTAVAIL (tentative IPv6, say) is, on the next table change. */
static bool permanent(int err)
{
	return err == -EINVAL || err == -EADDRINUSE || err == -EACCES ||
	       err == -EPERM || err == -EAFNOSUPPORT;
}

/* Every failure is said once at the default level, with the socket, the
 * address and the errno: a permanent one as a warning (again only if the
 * reason changes), a passing one (EADDRNOTAVAIL: the local route or DAD
 * is not there yet) as info the first time for that address, and its
 * retries at debug. */
static void report(struct msock *s, const struct saddr *a, bool add, int err,
		   const char *known, const struct recon_ops *ops)
{
	const struct msock_issue *old = msock_issue_find(s, a, add);
	bool again = old && old->err == err, first;
	char buf[SADDR_STRLEN], holder[sizeof(old->holder)] = "";

	if (known) {
		again = again && !strcmp(old->holder, known);
		snprintf(holder, sizeof(holder), "%s", known);
	} else if (again) {
		memcpy(holder, old->holder, sizeof(holder));
	} else if (err == -EADDRINUSE && ops->holder) {
		/* Looked up once per episode: it reads /proc. */
		ops->holder(s, a, holder, sizeof(holder), ops->ctx);
	}
	msock_issue_set(s, a, add, err, holder);
	first = msock_tell_once(s, a);
	if (permanent(err) && again)
		return;
	log_msg(permanent(err) ? LOG_WARNING : first ? LOG_INFO : LOG_DEBUG,
		"socket %u: bindx %s %s failed: %s (%s%s%s)",
		 msock_id(s), add ? "ADD" : "REM",
		 saddr_str(a, buf, sizeof(buf)), strerror(-err),
		 holder, *holder ? "; " : "",
		 permanent(err) ? "not retried while the address stays" : "retried");
}

static void count(struct recon_stats *st, bool add, bool ok)
{
	if (ok && add)
		st->added++;
	else if (ok)
		st->removed++;
	else if (add)
		st->add_failed++;
	else
		st->rem_failed++;
	st->failed += !ok;
}

static void done(struct msock *s, const struct saddr *a, bool add, struct recon_stats *st)
{
	char buf[SADDR_STRLEN];

	msock_issue_clear(s, a);
	log_debug("socket %u: bindx %s %s", msock_id(s), add ? "ADD" : "REM",
		  saddr_str(a, buf, sizeof(buf)));
	count(st, add, true);
}

/* The addresses of one kind in as few bindx calls as the kernel takes:
 * each call is one ASCONF per association, so a burst of changes costs a
 * socket one round trip, not one per address.  The kernel binds a call's
 * addresses all or none; when a call fails, its addresses are tried one at
 * a time, so each refusal is known and the others still go.  The outcome
 * goes to the log, the socket's issues and the stats. */
static void apply(struct msock *s, const struct saddr *a, size_t n, bool add,
		  const struct recon_ops *ops, struct recon_stats *st)
{
	for (size_t i = 0; i < n; i += MSOCK_BINDX_MAX) {
		size_t k = n - i < MSOCK_BINDX_MAX ? n - i : MSOCK_BINDX_MAX;
		int err;

		if (k > 1 && !msock_bindx(s, a + i, k, add)) {
			for (size_t j = i; j < i + k; j++)
				done(s, &a[j], add, st);
			continue;
		}
		for (size_t j = i; j < i + k; j++) {
			if ((err = msock_bindx(s, &a[j], 1, add))) {
				report(s, &a[j], add, err, NULL, ops);
				count(st, add, false);
			} else {
				done(s, &a[j], add, st);
			}
		}
	}
}

static void do_adds(struct msock *s, struct saddr *add, size_t n,
		    const struct recon_ops *ops, struct recon_stats *st)
{
	size_t k = 0;

	/* Addresses the kernel refused for good are left out, and those the
	 * caller refuses are reported as the kernel's refusals are. */
	for (size_t i = 0; i < n; i++) {
		const struct msock_issue *old = msock_issue_find(s, &add[i], true);
		char why[sizeof(old->holder)] = "";
		int err;

		if (old && permanent(old->err))
			continue;
		if (ops->may_add && (err = ops->may_add(s, &add[i], why, sizeof(why), ops->ctx))) {
			report(s, &add[i], true, err, why, ops);
			count(st, true, false);
			continue;
		}
		add[k++] = add[i];
	}
	if (!k)
		return;
	if (ops->before_add)
		ops->before_add(ops->ctx);
	apply(s, add, k, true, ops, st);
}

/* Issues about addresses that no longer matter are dropped, so a permanent
 * refusal is retried once the address comes back. */
static void forget_issues(struct msock *s, const struct saddr *desired, size_t nd,
			  const struct saddr *bound, size_t nb)
{
	const struct msock_issue *v;
	const struct saddr *t;
	size_t n = msock_told(s, &t);

	for (size_t i = 0; i < n;) {
		struct saddr a = t[i];

		if (contains(desired, nd, &a) || contains(bound, nb, &a)) {
			i++;
			continue;
		}
		msock_told_forget(s, &a);
		n = msock_told(s, &t);
	}
	n = msock_issues(s, &v);

	for (size_t i = 0; i < n;) {
		struct saddr a = v[i].addr;

		if (contains(desired, nd, &a) || contains(bound, nb, &a)) {
			i++;
			continue;
		}
		msock_issue_clear(s, &a);
		n = msock_issues(s, &v);
	}
}

int recon_pick_primary(const struct saddr *desired, size_t nd,
		       const struct saddr *bound, size_t nb, const int *rank)
{
	int best = -1;

	for (size_t i = 0; i < nb; i++) {
		if (rank[i] < 0 || !contains(desired, nd, &bound[i]))
			continue;
		if (best < 0 || rank[i] < rank[best])
			best = (int)i;
	}
	return best;
}

/* The peer is asked once per change of the preferred address; an ASCONF
 * SET PRIMARY can only name an address the association already has, which
 * it gets when the peer acknowledges the ADD, so EADDRNOTAVAIL is retried. */
static void steer(struct msock *s, const struct saddr *bound, size_t nb,
		  const struct saddr *desired, size_t nd, const struct recon_ops *ops,
		  struct recon_stats *st)
{
	char buf[SADDR_STRLEN];
	int *rank, *ids = NULL, n, best, err;

	msock_steer_pending(s, false);
	rank = calloc(nb + 1, sizeof(*rank));
	if (!rank)
		return;
	for (size_t i = 0; i < nb; i++)
		rank[i] = ops->rank(&bound[i], ops->ctx);
	best = recon_pick_primary(desired, nd, bound, nb, rank);
	free(rank);
	n = msock_assocs(s, &ids);
	if (n < 0) {
		/* Not skipped silently: without SCTP_GET_ASSOC_ID_LIST (or
		 * another refusal) no peer is asked; said once a process. */
		static bool said;

		if (!said)
			log_warn("socket %u: peer-primary steering unavailable: cannot list the "
				 "associations: %s%s", msock_id(s), strerror(-n),
				 msock_errno_missing(n) ? " (this kernel has no "
				 "SCTP_GET_ASSOC_ID_LIST); said once" : "; said once");
		said = true;
		return;
	}
	msock_primary_forget(s, ids, (size_t)n);
	for (int i = 0; best >= 0 && i < n; i++) {
		const struct saddr *asked = msock_primary_asked(s, ids[i]);

		if (asked && saddr_equal(asked, &bound[best]))
			continue;
		err = msock_set_peer_primary(s, ids[i], &bound[best]);
		saddr_str(&bound[best], buf, sizeof(buf));
		if (!err) {
			log_info("socket %u: asked the peer of association %d to use %s as primary",
				 msock_id(s), ids[i], buf);
			st->steered++;
		} else if (err == -EADDRNOTAVAIL) {
			msock_steer_pending(s, true);
		} else {
			log_warn("socket %u: cannot ask the peer of association %d to use %s: %s",
				 msock_id(s), ids[i], buf, strerror(-err));
		}
	}
	free(ids);
}

/* After the read-back: a failure the kernel's state contradicts (an ADD of
 * an address that is bound after all, a REM of one that is gone) came from
 * a known set the application had changed behind our back, not from a
 * refusal worth reporting. */
static void drop_contradicted(struct msock *s, const struct saddr *bound, size_t nb)
{
	const struct msock_issue *v;
	size_t n = msock_issues(s, &v);

	for (size_t i = 0; i < n;) {
		struct saddr a = v[i].addr;

		if (v[i].add == contains(bound, nb, &a)) {
			msock_issue_clear(s, &a);
			n = msock_issues(s, &v);
		} else {
			i++;
		}
	}
}

/* A copy of the socket's known bound set, read from the kernel if never
 * read.  Count, or a negative errno. */
static int known(struct msock *s, struct saddr **out)
{
	const struct saddr *v;
	size_t n;
	int err;

	if (!msock_known_bound(s, &v, &n) && (err = msock_read_bound(s)) < 0)
		return err;
	msock_known_bound(s, &v, &n);
	*out = calloc(n + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	memcpy(*out, v, n * sizeof(*v));
	return (int)n;
}

/* After the bindx calls: read back when something changed (the kernel is
 * the truth again), forget what no longer matters, steer.  Without a read,
 * bound/nb (the known set) are used as they are. */
static int finish(struct msock *s, const struct saddr *desired, size_t nd,
		  const struct recon_ops *ops, struct recon_stats *st, bool read,
		  const struct saddr *bound, int nb)
{
	struct saddr *fresh = NULL;

	if (read) {
		if ((nb = msock_read_bound(s)) < 0 || (nb = known(s, &fresh)) < 0)
			return nb;
		bound = fresh;
		drop_contradicted(s, bound, (size_t)nb);
	}
	forget_issues(s, desired, nd, bound, (size_t)nb);
	if (ops->rank)
		steer(s, bound, (size_t)nb, desired, nd, ops, st);
	free(fresh);
	return 0;
}

/* Planned from the known bound set (the last read-back and what worked
 * since), so a socket the change does not concern costs no system call;
 * one read-back after the socket's ADDs and REMs makes the kernel the
 * truth again.  Costs of the old way: three sctp_getladdrs per changed
 * socket, one per unchanged one. */
int recon_run(struct msock *s, const struct saddr *desired, size_t nd,
	      const struct recon_ops *ops, struct recon_stats *st)
{
	struct saddr *bound = NULL, *plan = NULL;
	bool *rm = NULL, changed;
	size_t nplan;
	int nb, err;

	memset(st, 0, sizeof(*st));
	if ((nb = known(s, &bound)) < 0)
		return nb;
	msock_settle(s, true);
	plan = calloc(nd + (size_t)nb + 1, sizeof(*plan));
	if (!plan) {
		err = -ENOMEM;
		goto out;
	}
	nplan = recon_plan_adds(desired, nd, bound, (size_t)nb, plan);
	if (nplan) {
		do_adds(s, plan, nplan, ops, st);
		free(bound);
		if ((nb = known(s, &bound)) < 0) {
			err = nb;
			goto out;
		}
	}

	/* Removals are planned on what is bound now: a failed ADD leaves the
	 * old address alone, and the last-address rule then keeps it.  Only
	 * undesired addresses are asked about. */
	rm = calloc((size_t)nb + 1, sizeof(*rm));
	free(plan);
	plan = calloc((size_t)nb + 1, sizeof(*plan));
	if (!rm || !plan) {
		err = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < nb; i++)
		rm[i] = !contains(desired, nd, &bound[i]) && ops->removable(&bound[i], ops->ctx);
	nplan = recon_plan_rems(desired, nd, bound, (size_t)nb, rm, plan);
	if (nplan)
		apply(s, plan, nplan, false, ops, st);
	changed = st->added || st->removed || st->failed;
	if (changed && ops->defer_verify) {
		st->verify_due = true;
		err = 0;
		goto out;
	}
	err = finish(s, desired, nd, ops, st, changed, bound, nb);
out:
	free(bound);
	free(plan);
	free(rm);
	return err;
}

int recon_verify(struct msock *s, const struct saddr *desired, size_t nd,
		 const struct recon_ops *ops, struct recon_stats *st)
{
	st->verify_due = false;
	return finish(s, desired, nd, ops, st, true, NULL, 0);
}
