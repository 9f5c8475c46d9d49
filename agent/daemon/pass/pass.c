// SPDX-License-Identifier: GPL-2.0-or-later
/* A pass: make each managed socket hold what its policy wants, then decide
 * whether a retry is due.  Runs once per batch of address events. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include "../../../common/log.h"
#include "../../../common/procfd.h"
#include "../../../netlink/addrtab.h"
#include "../../../netlink/nlmon.h"
#include "../../../sctp/affect.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/portowner.h"
#include "../../../sctp/portplan.h"
#include "../../../sctp/recon.h"
#include "../../../sctp/registry.h"
#include "../agent.h"
#include "../config/config.h"
#include "hold.h"
#include "../owners/orphan.h"

/* The managed sockets of one port, which the kernel keeps in one bind
 * bucket: while asconfd ADDs an address to them, each lets the others share
 * it (docs/design.md, "Sockets that share a port").  Opened at the first
 * ADD, closed when the port's sockets are done.  A full pass's lease is the
 * port's run of its plan (v); a hand-over's is the registry's port index
 * (reg), walked only when it opens: a hand-over without an ADD costs
 * nothing per socket of its port. */
struct lease {
	struct msock **v;
	size_t n;
	bool open;
	bool added;                     /* an ADD asked for it */
	struct registry *reg;
	uint16_t port;
	struct reg_owner owner;         /* whose sockets share it */
	int owners;                     /* on the port: 0 not counted yet, 1, 2 (several) */
};

static void lease_share(struct msock *s)
{
	int err = msock_share_port(s);

	if (err)
		log_warn("socket %u: cannot let its port %u be shared for the ADD: %s",
			 msock_id(s), msock_port(s), strerror(-err));
}

/* Of the port's managed sockets, only the lease owner's share it. */
static bool lease_member(const struct lease *l, const struct reg_entry *e)
{
	struct reg_owner o = registry_owner(e);

	return registry_same_owner(&o, &l->owner);
}

static void lease_open(struct lease *l)
{
	struct reg_entry *e;
	size_t members = 0;

	l->added = true;
	if (l->open)
		return;
	if (l->reg) {
		for (e = registry_port_first(l->reg, l->port); e && members < 2;
		     e = registry_port_next(l->reg, e))
			members += lease_member(l, e);
		if (members < 2)
			return;         /* alone on its port */
		for (e = registry_port_first(l->reg, l->port); e; e = registry_port_next(l->reg, e))
			if (lease_member(l, e))
				lease_share(e->sock);
	} else {
		if (l->n < 2)
			return;
		for (size_t i = 0; i < l->n; i++)
			lease_share(l->v[i]);
	}
	l->open = true;
}

/* Every managed socket of the port is let go: unsharing one that was not
 * shared does nothing. */
static void lease_close(struct lease *l)
{
	if (!l->open)
		return;
	if (l->reg)
		for (struct reg_entry *e = registry_port_first(l->reg, l->port); e;
		     e = registry_port_next(l->reg, e))
			msock_unshare_port(e->sock);
	else
		for (size_t i = 0; i < l->n; i++)
			msock_unshare_port(l->v[i]);
	l->open = false;
}

/* A burst of hand-overs on one port (a one-to-one server's accepted
 * sockets handed over together, each to get an address its listener
 * already holds) would open and close the port's lease once per socket:
 * four system calls per socket of the port each time, quadratic in the
 * burst (3,001 sockets took 142 s in the VM).  So a hand-over's lease
 * lingers: LEASE_LINGER_MS after the last ADD that used it, and never
 * across a full pass or a hand-over on another port.  A socket handed
 * over meanwhile joins it before anything else, ADD or not: it may hold
 * an address the next one adds.  The application's sockets carry
 * SO_REUSEADDR and SO_REUSEPORT that much longer, so a lease ends
 * LEASE_MAX_MS after it opened at the latest, or ten times what the
 * opening pass took when that is longer (opening grows with the port's
 * sockets): reopening then takes at most a tenth of a long burst. */
#define LEASE_LINGER_MS 50
#define LEASE_MAX_MS 1000

void agent_lease_end(struct agent *ag)
{
	struct lease l = { .reg = ag->reg, .port = ag->lease_port, .open = true,
			   .owner = ag->lease_owner };

	if (!ag->lease_due_ms)
		return;
	lease_close(&l);
	ag->lease_due_ms = 0;
}

struct policy_ctx {
	const struct policy *p;
	const struct policy *prev;      /* its form before a reload, or NULL */
	const struct addrtab *t;
	struct lease *lease;
	struct registry *reg;
	const struct msock *s;
	const struct reg_entry *e;
};

/* The application's own addresses go while unusable and come back when
 * usable; other undesired ones by the policy's rule.  Right after a
 * reload, what the old form of the policy followed is ours too: an
 * interface dropped from it takes its addresses along. */
static bool removable(const struct saddr *a, void *ctx)
{
	struct policy_ctx *pc = ctx;

	if (msock_is_own(pc->s, a))
		return !policy_app_usable(pc->p, pc->t, a);
	return policy_may_remove(pc->p, pc->t, a) ||
	       (pc->prev && policy_may_remove(pc->prev, pc->t, a));
}

/* While the table may lack addresses the host has, nothing is removed. */
static bool never(const struct saddr *a, void *ctx)
{
	(void)a;
	(void)ctx;
	return false;
}

static void before_add(void *ctx)
{
	struct policy_ctx *pc = ctx;

	if (pc->lease)
		lease_open(pc->lease);
}

/* The holder of a taken address: a managed socket (the mechanism could not
 * let them share: a kernel before 5.0, or another uid), or a process. */
static void holder(const struct msock *s, const struct saddr *a, char *buf, size_t len,
		   void *ctx)
{
	struct policy_ctx *pc = ctx;
	char comm[32];
	ino_t ino;
	pid_t pid;

	if (!portowner_inodes(a, msock_port(s), msock_inode(s), &ino, 1)) {
		snprintf(buf, len, "holder unknown");
		return;
	}
	if (registry_find(pc->reg, ino, 0)) {
		snprintf(buf, len, "held by managed socket %u", registry_find(pc->reg, ino, 0)->id);
		return;
	}
	if (!portowner_pid(ino, &pid, comm, sizeof(comm)))
		snprintf(buf, len, "held by socket inode %lu of pid %d (%s)",
			 (unsigned long)ino, (int)pid, comm);
	else
		snprintf(buf, len, "held by socket inode %lu", (unsigned long)ino);
}

static bool holds(struct msock *s, const struct saddr *a)
{
	const struct saddr *v;
	size_t n;

	if (!msock_known_bound(s, &v, &n) &&
	    (msock_read_bound(s) < 0 || !msock_known_bound(s, &v, &n)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (saddr_equal(&v[i], a))
			return true;
	return false;
}

/* Are there managed sockets of another owner than o on the port? */
static bool port_mixed(struct registry *reg, uint16_t port, const struct reg_owner *o)
{
	for (struct reg_entry *e = registry_port_first(reg, port); e; e = registry_port_next(reg, e)) {
		struct reg_owner eo = registry_owner(e);

		if (!registry_same_owner(&eo, o))
			return true;
	}
	return false;
}

/* Another owner's managed socket holds a on this port: the ADD is refused
 * whatever the kernel would say.  With its own SO_REUSEADDR (or a lease)
 * on both, the kernel lets a socket take an address:port another user's
 * non-listening socket holds, and the new associations to it would go to
 * whichever listens: never through asconfd. */
static int may_add(const struct msock *s, const struct saddr *a, char *buf, size_t len,
		   void *ctx)
{
	struct policy_ctx *pc = ctx;
	struct reg_owner mine = registry_owner(pc->e);
	struct lease *l = pc->lease;
	char comm[32];

	/* Counted once per lease: a port of one owner costs one walk. */
	if (l && !l->owners)
		l->owners = port_mixed(pc->reg, msock_port(s), &mine) ? 2 : 1;
	if (l ? l->owners == 1 : !port_mixed(pc->reg, msock_port(s), &mine))
		return 0;
	for (struct reg_entry *e = registry_port_first(pc->reg, msock_port(s)); e;
	     e = registry_port_next(pc->reg, e)) {
		struct reg_owner o = registry_owner(e);

		if (e == pc->e || registry_same_owner(&o, &mine) || !holds(e->sock, a))
			continue;
		procfd_comm(e->pid, comm, sizeof(comm));
		snprintf(buf, len, "held by socket %u of uid %lu, pid %d (%s); not shared "
			 "with this socket of uid %lu, pid %d", e->id, (unsigned long)o.uid,
			 (int)e->pid, comm, (unsigned long)mine.uid, (int)pc->e->pid);
		return -EADDRINUSE;
	}
	return 0;
}

static int rank(const struct saddr *a, void *ctx)
{
	struct policy_ctx *pc = ctx;

	return policy_rank(pc->p, pc->t, a);
}

/* What one pass computes once rather than per socket: the desired set of
 * each policy by socket kind (hold-down applied), and the addip sysctl. */
struct want {
	const struct policy *policy;
	int kind;                       /* inet, inet6, inet6 v6only */
	struct saddr *v;
	int n;
	bool changed;                   /* differs from the last full pass's */
};

/* The desired sets of the last full pass, kept across passes: a policy
 * whose interfaces saw no change reuses its set, and one whose set came
 * out the same concerns none of its sockets. */
struct pass_memo {
	struct want *v;
	size_t n;
};

/* A changed socket whose read-back waits for the end of the pass. */
struct later {
	struct reg_entry *e;
	const struct saddr *want;       /* its desired set: the pass's, or mine */
	struct saddr *mine;             /* owned: the set with its own addresses */
	size_t n;
	struct policy_ctx pc;
	bool changed;                   /* an ADD or a REM worked */
};

struct pass {
	struct want *want;
	size_t nwant;
	struct later *later;
	size_t nlater, clater;
	bool full;                      /* over every socket: the memo applies */
	int addip;                      /* -1 until read */
	uint64_t now_ms;
	uint64_t hold_next_ms;          /* soonest end of a hold, 0 = none */
	struct recon_stats total;
	struct timespec cpu0;           /* the thread's CPU clock at the first */
	bool cpu;                       /* ... of several sockets looked at */
};

static int pass_kind(const struct msock *s)
{
	if (msock_family(s) == AF_INET)
		return 0;
	return msock_v6only(s) ? 2 : 1;
}

static void pass_free(struct pass *p)
{
	for (size_t i = 0; i < p->nwant; i++)
		free(p->want[i].v);
	free(p->want);
	for (size_t i = 0; i < p->nlater; i++)
		free(p->later[i].mine);
	free(p->later);
}

/* Keeps what recon_verify needs once every socket had its bindx calls;
 * false (verify now) without memory for it.  The set is not copied: it is
 * the pass's desired set, alive until pass_free, or mine, taken over (a
 * copy per socket made a flood's pass over 10,000 sockets allocate
 * megabytes that the heap then kept). */
static bool later_push(struct pass *p, struct reg_entry *e, const struct saddr *want,
		       size_t n, struct saddr *mine, const struct policy_ctx *pc, bool changed)
{
	struct later *l;

	if (p->nlater == p->clater) {
		size_t cap = p->clater ? 2 * p->clater : 64;

		l = reallocarray(p->later, cap, sizeof(*l));
		if (!l)
			return false;
		p->later = l;
		p->clater = cap;
	}
	l = &p->later[p->nlater];
	l->want = mine ? mine : want;
	l->mine = mine;
	l->e = e;
	l->n = n;
	l->pc = *pc;
	l->pc.lease = NULL;     /* no ADD from here on */
	l->changed = changed;
	p->nlater++;
	return true;
}

/* Drops the addresses still in their hold-down window. */
static void apply_hold(struct agent *ag, struct pass *p, struct want *w)
{
	unsigned int window = policy_hold_down(w->policy);
	int k = 0;

	if (!window || !w->n)
		return;
	for (int i = 0; i < w->n; i++) {
		uint64_t left = hold_remaining(ag->hold, &w->v[i], window, p->now_ms);

		if (!left) {
			w->v[k++] = w->v[i];
			continue;
		}
		if (!p->hold_next_ms || left < p->hold_next_ms)
			p->hold_next_ms = left;
	}
	w->n = k;
}

static void memo_clear(struct pass_memo *m)
{
	for (size_t i = 0; m && i < m->n; i++)
		free(m->v[i].v);
	if (m)
		m->n = 0;
}

void agent_pass_free(struct agent *ag)
{
	if (!ag->memo)
		return;
	memo_clear(ag->memo);
	free(ag->memo->v);
	free(ag->memo);
	ag->memo = NULL;
}

static struct want *memo_find(struct pass_memo *m, const struct policy *p, int kind)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (m->v[i].policy == p && m->v[i].kind == kind)
			return &m->v[i];
	return NULL;
}

static struct saddr *copy_set(const struct saddr *v, int n)
{
	struct saddr *c = calloc(n > 0 ? (size_t)n : 1, sizeof(*c));

	if (c && n > 0)
		memcpy(c, v, (size_t)n * sizeof(*c));
	return c;
}

/* Remembers w as its policy's set of this full pass.  Without memory the
 * memo is dropped: the next pass then looks at every socket. */
static void memo_store(struct agent *ag, const struct want *w)
{
	struct want *m;
	struct saddr *c = copy_set(w->v, w->n);

	if (!ag->memo && !(ag->memo = calloc(1, sizeof(*ag->memo))))
		goto fail;
	if (!c)
		goto fail;
	m = memo_find(ag->memo, w->policy, w->kind);
	if (!m) {
		m = reallocarray(ag->memo->v, ag->memo->n + 1, sizeof(*m));
		if (!m)
			goto fail;
		ag->memo->v = m;
		m = &m[ag->memo->n++];
	} else {
		free(m->v);
	}
	*m = *w;
	m->v = c;
	return;
fail:
	free(c);
	memo_clear(ag->memo);
	affect_everything(ag->aff);
}

static bool same_want(const struct want *a, const struct want *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (saddr_cmp(&a->v[i], &b->v[i]))
			return false;
	return true;
}

static struct want *pass_want(struct agent *ag, struct pass *p, const struct reg_entry *e)
{
	int kind = pass_kind(e->sock);
	struct want *w, *m;

	for (size_t i = 0; i < p->nwant; i++)
		if (p->want[i].policy == e->policy && p->want[i].kind == kind)
			return &p->want[i];
	w = reallocarray(p->want, p->nwant + 1, sizeof(*w));
	if (!w)
		return NULL;
	p->want = w;
	w = &w[p->nwant++];
	w->policy = e->policy;
	w->kind = kind;
	w->v = NULL;
	w->changed = true;
	m = p->full ? memo_find(ag->memo, e->policy, kind) : NULL;
	/* No change on its interfaces: the last full pass's set holds (a
	 * hold-down window depends on the time: computed again). */
	if (m && m->n >= 0 && !policy_hold_down(e->policy) && !affect_policy(ag->aff, e->policy)) {
		w->v = copy_set(m->v, m->n);
		w->n = w->v ? m->n : -ENOMEM;
		w->changed = false;
		return w;
	}
	w->n = policy_desired(e->policy, ag->tab, msock_family(e->sock),
			      msock_v6only(e->sock), 0, &w->v);
	if (w->n > 0)
		apply_hold(ag, p, w);
	if (p->full && w->n >= 0) {
		w->changed = !m || !same_want(m, w);
		memo_store(ag, w);
	}
	return w;
}

bool agent_app_addr(struct agent *ag, const struct host_addr *a)
{
	for (size_t i = 0; i < registry_count(ag->reg); i++) {
		const struct saddr *own;
		size_t n = msock_own(registry_at(ag->reg, i)->sock, &own);

		for (size_t j = 0; j < n; j++)
			if (policy_is_host_addr(a, &own[j]))
				return true;
	}
	return false;
}

/* At the hand-over: which of the socket's addresses are the application's
 * own (not on an interface the policy follows). */
static void learn_own(struct agent *ag, struct reg_entry *e)
{
	struct saddr *bound = NULL, *own;
	char line[256], buf[SADDR_STRLEN];
	size_t k, off = 0;
	int n = msock_bound(e->sock, &bound);

	if (n < 0)
		return;         /* asked again at the next pass */
	own = calloc((size_t)n + 1, sizeof(*own));
	if (!own) {
		free(bound);
		return;
	}
	k = policy_app_owned(e->policy, ag->tab, bound, (size_t)n, own);
	if (!msock_set_own(e->sock, own, k) && k) {
		line[0] = '\0';
		for (size_t i = 0; i < k && off < sizeof(line) - SADDR_STRLEN - 2; i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s",
						saddr_str(&own[i], buf, sizeof(buf)));
		log_info("socket %u: the application's own address(es), kept whenever usable:%s",
			 e->id, line);
	}
	free(own);
	free(bound);
}

static int saddr_qcmp(const void *x, const void *y)
{
	return saddr_cmp(x, y);
}

/* The shared desired set plus the socket's own usable addresses, into
 * *out (malloc'd) when it has any; else *out stays NULL. */
static int with_own(struct agent *ag, struct reg_entry *e, const struct saddr *want,
		    size_t nw, struct saddr **out)
{
	const struct saddr *own;
	size_t no = msock_own(e->sock, &own), k = nw;
	struct saddr *v;

	*out = NULL;
	if (!no)
		return (int)nw;
	v = calloc(nw + no, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, want, nw * sizeof(*v));
	/* want is sorted (policy_desired): a binary search per own address. */
	for (size_t i = 0; i < no; i++)
		if (!bsearch(&own[i], want, nw, sizeof(*want), saddr_qcmp) &&
		    policy_app_usable(e->policy, ag->tab, &own[i]))
			v[k++] = own[i];
	*out = v;
	return (int)k;
}

static struct recon_ops ops_for(struct agent *ag, struct reg_entry *e, struct policy_ctx *pc)
{
	/* A socket handed over between an overrun and the resync that
	 * repairs the table gets ADDs only, like every other pass. */
	struct recon_ops ops = {
		.removable = nlmon_may_miss(ag->mon) ? never : removable,
		.rank = policy_steers(e->policy) ? rank : NULL,
		.before_add = before_add,
		.holder = holder,
		.may_add = may_add,
		.ctx = pc,
		.defer_verify = true,
	};

	return ops;
}

/* The kernel cannot say whether peers take ASCONF: said once per
 * process for a kernel without SCTP_ASCONF_SUPPORTED (before Linux 5.4:
 * every socket would say the same), once per socket otherwise. */
static void unknown_once(const struct reg_entry *e, int err)
{
	static bool said;

	if (msock_errno_missing(err)) {
		if (!said)
			log_info("socket %u: bound addresses changed; whether peers are told is "
				 "unknown: this kernel cannot say (SCTP_ASCONF_SUPPORTED needs "
				 "Linux 5.4)", e->id);
		said = true;
	} else {
		log_info("socket %u: bound addresses changed; whether peers are told is "
			 "unknown: %s", e->id, strerror(-err));
	}
}

/* Checked at the first change of each socket only: three getsockopts per
 * socket per pass would double a pass's cost; the status reports every
 * association at any time. */
static void announce_check(struct pass *p, struct reg_entry *e)
{
	unsigned int nassoc;
	int ok;

	if (e->announce_checked)
		return;
	e->announce_checked = true;
	/* Read when first needed: most passes never need it. */
	if (p->addip < 0)
		p->addip = sysctl_read_int("/proc/sys/net/sctp/addip_enable") != 0;
	/* With addip off here every association reports no ASCONF: blame the
	 * sysctl, not the peer. */
	ok = p->addip ? msock_asconf_supported(e->sock, &nassoc) : 0;
	if (!p->addip || ok == 0)
		log_warn("socket %u: bound addresses changed, but %s", e->id,
			 !p->addip ? "net.sctp.addip_enable=0: peers are not told"
				   : "a peer does not support ASCONF and is not told");
	else if (ok < 0)
		unknown_once(e, ok);
}

/* The read-back (and the announce check) of every socket the pass
 * changed, after all of them had their bindx calls. */
static void verify_later(struct agent *ag, struct pass *p)
{
	for (size_t i = 0; i < p->nlater; i++) {
		struct later *l = &p->later[i];
		struct recon_ops ops = ops_for(ag, l->e, &l->pc);
		struct recon_stats st = { 0 };
		int err = recon_verify(l->e->sock, l->want, l->n, &ops, &st);

		if (err) {
			log_err("socket %u: cannot read its addresses back: %s", l->e->id,
				strerror(-err));
			msock_settle(l->e->sock, false);
		}
		if (l->changed)
			announce_check(p, l->e);
	}
}

static void reconcile_one(struct agent *ag, struct reg_entry *e, struct pass *p,
			  struct lease *lease)
{
	struct policy_ctx pc = {
		e->policy,
		ag->prev_cfg ? config_policy_find(ag->prev_cfg, policy_name(e->policy)) : NULL,
		ag->tab, lease, ag->reg, e->sock, e,
	};
	struct saddr *mine = NULL;
	int nmine;
	struct recon_ops ops = ops_for(ag, e, &pc);
	struct recon_stats st;
	struct want *w = pass_want(ag, p, e);
	bool pushed = false;
	int err;

	if (!w || w->n < 0) {
		log_err("socket %u: %s", e->id, strerror(w ? -w->n : ENOMEM));
		msock_settle(e->sock, false);
		return;
	}
	if (!msock_own_known(e->sock))
		learn_own(ag, e);
	nmine = with_own(ag, e, w->v, (size_t)w->n, &mine);
	if (nmine < 0) {
		log_err("socket %u: %s", e->id, strerror(-nmine));
		msock_settle(e->sock, false);
		return;
	}
	err = recon_run(e->sock, mine ? mine : w->v, (size_t)nmine, &ops, &st);
	if (!err && st.verify_due) {
		pushed = later_push(p, e, w->v, (size_t)nmine, mine, &pc,
				    st.added || st.removed);
		if (!pushed)
			err = recon_verify(e->sock, mine ? mine : w->v, (size_t)nmine, &ops, &st);
	}
	if (!pushed)
		free(mine);
	if (err) {
		log_err("socket %u: cannot reconcile: %s", e->id, strerror(-err));
		msock_settle(e->sock, false);
		return;
	}
	p->total.added += st.added;
	p->total.removed += st.removed;
	p->total.failed += st.failed;
	ag->cnt.bindx_add += st.added;
	ag->cnt.bindx_rem += st.removed;
	ag->cnt.bindx_add_failed += st.add_failed;
	ag->cnt.bindx_rem_failed += st.rem_failed;
	/* Pushed: checked after the pass's last bindx. */
	if ((st.added || st.removed) && !pushed)
		announce_check(p, e);
}

/* A newly handed-over socket alone, with the managed sockets of its port
 * as its lease (see LEASE_LINGER_MS). */
static size_t reconcile_new(struct agent *ag, struct reg_entry *only, struct pass *p)
{
	uint16_t port = msock_port(only->sock);
	struct lease l = { .reg = ag->reg, .port = port, .owner = registry_owner(only) };
	uint64_t t0, now;

	if (ag->lease_due_ms &&
	    (ag->lease_port != port || !registry_same_owner(&ag->lease_owner, &l.owner)))
		agent_lease_end(ag);
	if (ag->lease_due_ms) {
		lease_share(only->sock);
		l.open = true;
	}
	t0 = hold_now_ms();
	reconcile_one(ag, only, p, &l);
	if (!l.open)
		return 1;
	now = hold_now_ms();
	if (!ag->lease_due_ms) {
		ag->lease_port = port;
		ag->lease_owner = l.owner;
		ag->lease_opened_ms = now;
		ag->lease_max_ms = now - t0 > LEASE_MAX_MS / 10 ? (now - t0) * 10 : LEASE_MAX_MS;
	}
	if (l.added)
		ag->lease_due_ms = now + LEASE_LINGER_MS;
	if (ag->lease_due_ms > ag->lease_opened_ms + ag->lease_max_ms)
		agent_lease_end(ag);
	return 1;
}

/* Must a full pass look at this socket: its policy's desired set changed,
 * it holds (bound or as its own) an address that changed, or it is
 * unsettled (never reconciled, an issue pending, a read that disagreed).
 * Everything else is skipped without a system call. */
static bool concerned(struct agent *ag, struct pass *p, struct reg_entry *e)
{
	const struct saddr *bound, *own;
	struct want *w;
	size_t nb, no;

	if (affect_is_everything(ag->aff) || msock_unsettled(e->sock))
		return true;
	w = pass_want(ag, p, e);
	if (!w || w->n < 0 || !msock_known_bound(e->sock, &bound, &nb))
		return true;
	no = msock_own(e->sock, &own);
	return affect_concerns(ag->aff, w->changed, bound, nb, own, no);
}

/* A pass plans from the table as it was when the pass began.  While a long
 * pass makes its bindx calls (a millisecond or more each under load), a
 * burst of events may be overtaking it: what it still has to do is then
 * stale, and a socket whose address came and went would get both changes.
 * After CUT_AFTER_MS of work the pass stops at the next socket boundary
 * if events are waiting; the loop reads them and the next pass carries on
 * from the newer table.  What the cut pass did not reach stays concerned
 * (the changes are kept, the memo of desired sets dropped), and what it
 * did costs no system call again.  The minimum keeps a single change's
 * pass whole and guarantees progress under a steady stream of events. */
#define CUT_AFTER_MS 20

static bool cut_now(struct agent *ag, const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000 >=
	       CUT_AFTER_MS && nlmon_pending(ag->mon);
}

/* The run's sockets grouped by owner (registry_same_owner), each group in
 * the run's order, the first owner's first; tmp has room for k.  Returns
 * the number of groups.  Nearly always one: a walk of the run. */
static size_t by_owner(struct registry *reg, size_t *run, size_t k, size_t *tmp)
{
	size_t done = 0, groups = 0;

	while (done < k) {
		struct reg_owner o = registry_owner(registry_at(reg, run[done]));
		size_t rest = 0, start = done;

		for (size_t j = start; j < k; j++) {
			struct reg_owner x = registry_owner(registry_at(reg, run[j]));

			if (registry_same_owner(&x, &o))
				run[done++] = run[j];
			else
				tmp[rest++] = run[j];
		}
		memcpy(run + done, tmp, rest * sizeof(*run));
		groups++;
	}
	return groups;
}

/* Every socket, a port at a time; within a port, the listening sockets
 * last (see docs/design.md for why the order matters on older kernels).
 * Only the concerned sockets are reconciled; a port none of whose
 * sockets is concerned costs nothing. */
static size_t reconcile_every(struct agent *ag, struct pass *p)
{
	size_t n = registry_count(ag->reg), looked = 0;
	struct timespec t0;
	uint16_t *port = calloc(n ? n : 1, sizeof(*port));
	size_t *order = calloc(n ? n : 1, sizeof(*order));
	bool *listening = calloc(n ? n : 1, sizeof(*listening));
	bool *want = calloc(n ? n : 1, sizeof(*want));
	struct msock **v = calloc(n ? n : 1, sizeof(*v));
	size_t *scratch = calloc(n ? n : 1, sizeof(*scratch));

	/* The port runs below open their own leases. */
	agent_lease_end(ag);
	if (!port || !order || !listening || !want || !v || !scratch) {
		/* No plan: one socket at a time, each its own port. */
		log_err("pass: out of memory for the port plan; sockets that share a "
			"port may fail their ADDs");
		for (size_t i = 0; i < n; i++)
			reconcile_one(ag, registry_at(ag->reg, i), p, NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		port[i] = msock_port(registry_at(ag->reg, i)->sock);
		want[i] = concerned(ag, p, registry_at(ag->reg, i));
		looked += want[i];
	}
	/* The pass's CPU time, set against a bare bindx loop's by the
	 * benchmarks: not read for a one-socket pass, where the system call
	 * would come before its bindx. */
	if (looked > 1)
		p->cpu = !clock_gettime(CLOCK_THREAD_CPUTIME_ID, &p->cpu0);
	portplan_by_port(port, n, order);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < n && !ag->pass_cut;) {
		size_t k = portplan_run(port, order, n, i), groups;
		bool any = false;

		for (size_t j = i; j < i + k && !any; j++)
			any = want[order[j]];
		if (!any) {
			i += k;
			continue;
		}
		groups = by_owner(ag->reg, order + i, k, scratch);
		/* A lease per owner: its sockets share the port, nobody else's. */
		for (size_t g = i; g < i + k && !ag->pass_cut;) {
			struct reg_owner o = registry_owner(registry_at(ag->reg, order[g]));
			size_t gk = 1;
			struct lease l = { .v = v, .owner = o, .owners = groups > 1 ? 2 : 1 };

			while (g + gk < i + k) {
				struct reg_owner next = registry_owner(registry_at(ag->reg, order[g + gk]));

				if (!registry_same_owner(&next, &o))
					break;
				gk++;
			}
			l.n = gk;
			if (gk > 1) {
				for (size_t j = g; j < g + gk; j++)
					listening[order[j]] =
						msock_listening(registry_at(ag->reg, order[j])->sock);
				portplan_listeners_last(order + g, gk, listening);
			}
			for (size_t j = 0; j < gk; j++)
				v[j] = registry_at(ag->reg, order[g + j])->sock;
			for (size_t j = 0; j < gk && !ag->pass_cut; j++) {
				unsigned int before = p->total.added + p->total.removed + p->total.failed;

				if (!want[order[g + j]])
					continue;
				reconcile_one(ag, registry_at(ag->reg, order[g + j]), p, &l);
				if (p->total.added + p->total.removed + p->total.failed != before &&
				    cut_now(ag, &t0))
					ag->pass_cut = true;
			}
			lease_close(&l);
			g += gk;
		}
		i += k;
	}
	if (ag->pass_cut)
		log_debug("pass: cut short for newer events");
	log_debug("pass: %zu of %zu socket(s) concerned", looked, n);
out:
	free(port);
	free(order);
	free(listening);
	free(want);
	free(v);
	free(scratch);
	return n;
}

static void set_timer(int fd, uint64_t ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L },
	};

	if (timerfd_settime(fd, 0, &its, NULL))
		log_err("cannot arm a timer: %m");
}

/* The hold timer runs only while an address is held: the pass that ends
 * the soonest hold re-arms it for the next.  A pass over one socket only
 * brings the timer forward, never back or off. */
static void arm_hold(struct agent *ag, uint64_t next_ms, bool all)
{
	struct itimerspec cur;
	uint64_t left;

	if (!next_ms) {
		if (all && ag->hold_armed)
			set_timer(ag->hold_fd, 0);
		ag->hold_armed &= !all;
		return;
	}
	if (!all && !timerfd_gettime(ag->hold_fd, &cur)) {
		left = (uint64_t)cur.it_value.tv_sec * 1000u +
		       (uint64_t)cur.it_value.tv_nsec / 1000000u;
		if ((cur.it_value.tv_sec || cur.it_value.tv_nsec) && left <= next_ms)
			return;
	}
	set_timer(ag->hold_fd, next_ms);
	ag->hold_armed = true;
}

#define PASS_TRIM_SOCKETS 256

void agent_reconcile(struct agent *ag, struct reg_entry *only)
{
	struct pass p = { .addip = -1 };
	struct timespec t0, t1, c1;
	char cpu[48] = "";
	size_t n;

	p.now_ms = hold_now_ms();
	hold_prune(ag->hold, config_max_hold_down(ag->cfg), p.now_ms);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ag->cnt.passes++;
	p.full = !only;
	ag->pass_cut = false;
	/* Everything concerned (a reload, a link change...): policies may be
	 * new or gone, so nothing of the memo is trusted. */
	if (p.full && affect_is_everything(ag->aff))
		memo_clear(ag->memo);
	n = only ? reconcile_new(ag, only, &p) : reconcile_every(ag, &p);
	verify_later(ag, &p);
	/* Reconciled against the table of now, not against the last full
	 * pass's sets the next full pass compares with: it looks again. */
	if (only)
		msock_settle(only->sock, false);
	if (p.full && ag->pass_cut) {
		ag->cnt.passes_cut++;
		memo_clear(ag->memo);
	} else if (p.full) {
		affect_reset(ag->aff);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ag->cnt.pass_ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000LL +
				      (t1.tv_nsec - t0.tv_nsec));
	if (p.cpu && !clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1))
		snprintf(cpu, sizeof(cpu), "; %ld us of CPU",
			 (c1.tv_sec - p.cpu0.tv_sec) * 1000000L +
			 (c1.tv_nsec - p.cpu0.tv_nsec) / 1000);
	pass_free(&p);
	/* A pass that changed many sockets allocated and freed a set per
	 * socket, interleaved with the sockets' own growing bound sets: glibc
	 * gives back only the top of the heap, so after a flood the RSS stayed
	 * at the pass's peak (4x at 10,000 sockets).  malloc_trim returns the
	 * free pages inside the heap too; it walks the free chunks, a small
	 * cost next to such a pass. */
	if (p.nlater >= PASS_TRIM_SOCKETS)
		malloc_trim(0);
	arm_hold(ag, p.hold_next_ms, !only);
	if (p.total.added || p.total.removed || p.total.failed)
		log_info("pass over %zu socket(s) in %ld us: %u added, %u removed, %u failed%s",
			  n, (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000,
			  p.total.added, p.total.removed, p.total.failed, cpu);
}

/* The kernel sends RTM_NEWADDR before it installs the local route that
 * bind checks, so an ADD right after the event can fail with EADDRNOTAVAIL
 * (and IPv6 stays unbindable until DAD ends).  Both ends are events: the
 * local route's RTM_NEWROUTE (ADDRTAB_ADDR_BINDABLE) and the RTM_NEWADDR
 * that clears IFA_F_TENTATIVE, so the pass runs the moment the ADD can
 * work.  The timer is a safety net from RETRY_SAFETY_MS, doubling up to
 * RETRY_MAX_MS; it starts at AGENT_RETRY_MIN_MS for what has no event (a
 * peer primary request waiting for the peer's ACK) or when route events
 * are not followed.  No timer runs while nothing is pending. */
#define RETRY_SAFETY_MS 50
#define RETRY_MAX_MS 2000

void agent_arm_retry(struct agent *ag, unsigned int ms)
{
	if (!ms && !ag->retry_armed)
		return;
	set_timer(ag->retry_fd, ms);
	ag->retry_armed = ms != 0;
}

/* The route normally follows within the same system call of whoever added
 * the address; the deadline (the event loop's epoll timeout, no system
 * call of its own on this path) covers a route the daemon never sees (one
 * in a VRF's table, say). */
void agent_wait_route(struct agent *ag)
{
	if (!ag->route_wait++)
		ag->route_deadline_ms = hold_now_ms() + RETRY_SAFETY_MS;
}

/* After a pass, the orphan check waits this long: it reads every owner's
 * /proc/PID/fd, and right after the bindx calls it kept the CPU from the
 * peers and applications the pass just told (one CPU under TCG). */
#define ORPHAN_DELAY_MS 20

static int until(uint64_t deadline, uint64_t now)
{
	return now >= deadline ? 0 : (int)(deadline - now);
}

/* The soonest of the deadlines kept without a timer, as epoll_wait's
 * timeout: a local route, the orphan check, a hand-over's lease. */
static int sooner(int t, uint64_t deadline, uint64_t now)
{
	if (!deadline)
		return t;
	return t < 0 || until(deadline, now) < t ? until(deadline, now) : t;
}

int agent_loop_timeout(const struct agent *ag)
{
	uint64_t now;
	int t = -1;

	if (!ag->route_wait && !ag->orphan_due_ms && !ag->lease_due_ms)
		return -1;
	now = hold_now_ms();
	t = sooner(t, ag->route_wait ? ag->route_deadline_ms : 0, now);
	t = sooner(t, ag->orphan_due_ms, now);
	return sooner(t, ag->lease_due_ms, now);
}

void agent_loop_due(struct agent *ag)
{
	uint64_t now;

	if (!ag->route_wait && !ag->orphan_due_ms && !ag->lease_due_ms)
		return;
	now = hold_now_ms();
	/* A local route never came (agent_wait_route): pass anyway; an ADD
	 * that fails is retried as any other. */
	if (ag->route_wait && now >= ag->route_deadline_ms)
		ag->dirty = true;
	if (ag->lease_due_ms && now >= ag->lease_due_ms)
		agent_lease_end(ag);
	if (ag->orphan_due_ms && now >= ag->orphan_due_ms) {
		ag->orphan_due_ms = 0;
		agent_release_orphans(ag);
	}
}

/* Owners that closed a socket without asconf_release (and kept their
 * control connection) must not have the association kept alive by our
 * duplicate.  Checked after every pass: no timer of its own.
 * A socket whose owner still has it under the number it handed over costs
 * one kcmp; only the others make their owner's /proc/PID/fd read (a
 * readlink per descriptor: 90 ms per 1,000 under TCG, on each pass). */
void agent_release_orphans(struct agent *ag)
{
	struct orphan_scan *scan = orphan_scan_new();
	size_t before = registry_count(ag->reg);

	ag->orphans_last = 0;
	for (size_t i = 0; i < registry_count(ag->reg);) {
		struct reg_entry *e = registry_at(ag->reg, i);

		if (orphan_held_at(scan, e->pid, msock_inode(e->sock), msock_fd(e->sock), e->appfd)) {
			i++;
			continue;
		}
		log_info("socket %u: released: pid %d no longer holds it", e->id, (int)e->pid);
		ag->cnt.orphans_released++;
		ag->orphans_last++;
		registry_remove(ag->reg, e->owner, msock_inode(e->sock), msock_cookie(e->sock));
	}
	orphan_scan_free(scan);
	if (registry_count(ag->reg) != before)
		agent_registry_changed(ag);
}

void agent_schedule_retry(struct agent *ag, bool restart)
{
	bool add = false, steer = false;

	for (size_t i = 0; i < registry_count(ag->reg); i++) {
		const struct msock *m = registry_at(ag->reg, i)->sock;

		add |= msock_add_retry_due(m);
		steer |= msock_steer_due(m);
	}
	ag->add_retry_due = add;
	/* An interrupted dump is retried on the same backoff. */
	if (!add && !steer && !nlmon_resync_pending(ag->mon)) {
		ag->retry_ms = 0;
		agent_arm_retry(ag, 0);       /* disarm */
		return;
	}
	if (restart || !ag->retry_ms)
		ag->retry_ms = steer || !nlmon_route_events(ag->mon) ? AGENT_RETRY_MIN_MS
								     : RETRY_SAFETY_MS;
	if (ag->retry_ms <= RETRY_MAX_MS) {
		agent_arm_retry(ag, ag->retry_ms);
		ag->retry_ms *= 2;
	}
}

void agent_reconcile_all(struct agent *ag, bool table_changed)
{
	/* From here an ADD that fails is retried as any other. */
	ag->route_wait = 0;
	/* After an overrun whose resync failed the table may miss addresses
	 * the host has; acting on it could remove a live one.  Wait. */
	if (nlmon_may_miss(ag->mon)) {
		agent_arm_retry(ag, 100);
		return;
	}
	/* The orphan check reads every owner's /proc/PID/fd (a readlink per
	 * descriptor: 250 ms for 1,000 sockets under TCG); before the pass it
	 * delayed the first peer told by that much, right after it the last
	 * (ORPHAN_DELAY_MS).  A socket released after the pass got at most
	 * the bindx calls of the passes meanwhile, which it no longer needed. */
	agent_reconcile(ag, NULL);
	if (!ag->orphan_due_ms)
		ag->orphan_due_ms = hold_now_ms() + ORPHAN_DELAY_MS;
	/* Cut short: the loop reads the waiting events, then passes again. */
	ag->dirty = ag->pass_cut;
	agent_schedule_retry(ag, table_changed);
}
