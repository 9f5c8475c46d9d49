// SPDX-License-Identifier: GPL-2.0-or-later
/* The index that maps address changes to the sockets they concern, over
 * random event sequences: every socket a full pass would change (an ADD
 * or a REM planned) must be among those the index selects, the way the
 * pass selects them (agent/daemon/pass/pass.c: a policy's desired set computed again
 * only when affect_policy says so, then affect_concerns).  And the index
 * must skip some: one that selects everything would pass trivially. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <cmocka.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "../../sctp/affect.h"
#include "../../sctp/policy.h"
#include "../../sctp/recon.h"

#define NLINK 6         /* eth0..eth5 */
#define NPOOL 24        /* candidate addresses: 16 IPv4, 8 IPv6 */
#define NPOL 3
#define NSOCK 60
#define MAXB (NPOOL + 4)

struct sock {
	int pol;
	int family;             /* AF_INET, or AF_INET6 taking IPv4 too */
	struct saddr bound[MAXB];
	size_t nb;
	struct saddr own[2];
	size_t no;
};

struct world {
	struct addrtab *t;
	struct affect *aff;
	struct policy *pol[NPOL];
	struct sock s[NSOCK];
	/* The last full pass's desired sets, by policy and family. */
	struct saddr *memo[NPOL][2];
	int nmemo[NPOL][2];
	unsigned int seed;
};

static unsigned int rnd(struct world *w, unsigned int n)
{
	w->seed = w->seed * 1103515245u + 12345u;
	return (w->seed >> 16) % n;
}

/* As asconfd's table callback feeds the index. */
static void on_change(enum addrtab_event ev, const struct host_addr *a,
		      const struct host_link *l, void *ctx)
{
	struct world *w = ctx;
	const struct host_link *al;

	if (ev == ADDRTAB_ADDR_BINDABLE)
		return;
	if (!a) {
		(void)l;
		affect_everything(w->aff);
		return;
	}
	al = addrtab_link_find(w->t, a->ifindex);
	affect_addr(w->aff, a, al ? al->name : NULL);
}

static struct host_addr pool_addr(int i, int ifindex)
{
	struct host_addr a = { .ifindex = ifindex };

	if (i < 16) {
		a.family = AF_INET;
		a.prefixlen = 24;
		a.a.v4.s_addr = htonl(0x0a000001u + (uint32_t)i);
	} else {
		a.family = AF_INET6;
		a.prefixlen = 64;
		inet_pton(AF_INET6, "2001:db8::", &a.a.v6);
		a.a.raw[15] = (uint8_t)i;
	}
	return a;
}

static struct saddr to_saddr(const struct host_addr *h)
{
	struct saddr s = { .family = h->family, .port = 5000 };

	memcpy(s.addr, h->a.raw, h->family == AF_INET ? 4 : 16);
	return s;
}

static void put_link(struct world *w, int i, bool up)
{
	struct host_link l = { .ifindex = 1 + i, .flags = up ? IFF_UP | IFF_RUNNING | IFF_LOWER_UP : IFF_UP };

	snprintf(l.name, sizeof(l.name), "eth%d", i);
	assert_true(addrtab_link_put(w->t, &l) >= 0);
}

/* One random change of the host: an address added, removed, or its flags
 * changed (tentative, dadfailed, deprecated), rarely a link going down or
 * up. */
static void random_event(struct world *w)
{
	static const uint32_t flags[] = { 0, 0, 0, IFA_F_TENTATIVE, IFA_F_DADFAILED,
					  IFA_F_DEPRECATED };
	unsigned int what = rnd(w, 100);
	struct host_addr a = pool_addr((int)rnd(w, NPOOL), 1 + (int)rnd(w, NLINK));

	if (what < 3) {
		put_link(w, (int)rnd(w, NLINK), rnd(w, 2));
		return;
	}
	if (what < 45) {
		assert_true(addrtab_addr_del(w->t, &a) >= 0);
		return;
	}
	a.flags = flags[rnd(w, sizeof(flags) / sizeof(flags[0]))];
	assert_true(addrtab_addr_put(w->t, &a) >= 0);
}

static int kind(const struct sock *s)
{
	return s->family == AF_INET ? 0 : 1;
}

/* What the pass plans for a socket (agent/daemon/pass/pass.c with recon_run): the
 * desired set plus its own usable addresses; REM what is bound, not
 * desired and removable (its own: while unusable; others: by the
 * policy's rule), never the last address.  Returns whether anything is
 * planned, and applies the plan as bindx would have. */
static bool full_pass_one(struct world *w, struct sock *s)
{
	const struct policy *p = w->pol[s->pol];
	struct saddr *want, mine[NPOOL + 4], add[NPOOL + 4], rem[MAXB];
	bool rm[MAXB];
	int nw = policy_desired(p, w->t, s->family, false, 5000, &want);
	size_t nm, na, nr;

	assert_true(nw >= 0);
	memcpy(mine, want, (size_t)nw * sizeof(*mine));
	nm = (size_t)nw;
	for (size_t i = 0; i < s->no; i++) {
		bool dup = false;

		for (size_t j = 0; j < (size_t)nw; j++)
			dup |= saddr_equal(&want[j], &s->own[i]);
		if (!dup && policy_app_usable(p, w->t, &s->own[i]))
			mine[nm++] = s->own[i];
	}
	free(want);
	na = recon_plan_adds(mine, nm, s->bound, s->nb, add);
	for (size_t i = 0; i < na; i++)
		s->bound[s->nb++] = add[i];
	for (size_t i = 0; i < s->nb; i++) {
		bool own = false;

		for (size_t j = 0; j < s->no; j++)
			own |= saddr_equal(&s->own[j], &s->bound[i]);
		rm[i] = own ? !policy_app_usable(p, w->t, &s->bound[i])
			    : policy_may_remove(p, w->t, &s->bound[i]);
	}
	nr = recon_plan_rems(mine, nm, s->bound, s->nb, rm, rem);
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < s->nb; j++)
			if (saddr_equal(&s->bound[j], &rem[i])) {
				s->bound[j] = s->bound[--s->nb];
				break;
			}
	return na || nr;
}

/* The pass's selection: the memo of the last full pass is reused unless
 * the policy's interfaces saw a change; a set computed again concerns the
 * policy's sockets only if it differs. */
static bool want_changed(struct world *w, int pol, int k, bool *computed, bool *changed)
{
	struct saddr *v;
	int n;

	if (computed[pol * 2 + k])
		return changed[pol * 2 + k];
	computed[pol * 2 + k] = true;
	if (w->memo[pol][k] && !affect_policy(w->aff, w->pol[pol]))
		return changed[pol * 2 + k] = false;
	n = policy_desired(w->pol[pol], w->t, k ? AF_INET6 : AF_INET, false, 0, &v);
	assert_true(n >= 0);
	changed[pol * 2 + k] = !w->memo[pol][k] || n != w->nmemo[pol][k] ||
			       memcmp(v, w->memo[pol][k], (size_t)n * sizeof(*v));
	free(w->memo[pol][k]);
	w->memo[pol][k] = v;
	w->nmemo[pol][k] = n;
	return changed[pol * 2 + k];
}

static void world_init(struct world *w, unsigned int seed)
{
	static const char *const follows[NPOL] = { "eth0 eth1", "eth2", "eth1 eth3 eth4" };

	memset(w, 0, sizeof(*w));
	w->seed = seed;
	w->t = addrtab_new(on_change, w);
	w->aff = affect_new();
	assert_non_null(w->t);
	assert_non_null(w->aff);
	for (int i = 0; i < NPOL; i++) {
		char buf[64], *save = NULL;

		w->pol[i] = policy_new(i ? "other" : "default");
		assert_non_null(w->pol[i]);
		snprintf(buf, sizeof(buf), "%s", follows[i]);
		for (char *g = strtok_r(buf, " ", &save); g; g = strtok_r(NULL, " ", &save))
			assert_int_equal(policy_allow(w->pol[i], g), 0);
	}
	policy_set_families(w->pol[2], true, false);
	for (int i = 0; i < NLINK; i++)
		put_link(w, i, true);
	for (int i = 0; i < 40; i++)
		random_event(w);
	for (int i = 0; i < NSOCK; i++) {
		struct sock *s = &w->s[i];
		struct host_addr h = pool_addr((int)rnd(w, 16), 6);

		s->pol = (int)rnd(w, NPOL);
		s->family = rnd(w, 2) ? AF_INET : AF_INET6;
		/* Bound by the application to one address of eth5, which no
		 * policy follows: its own. */
		s->own[0] = to_saddr(&h);
		s->no = 1;
		s->bound[0] = s->own[0];
		s->nb = 1;
	}
}

static void world_free(struct world *w)
{
	for (int i = 0; i < NPOL; i++) {
		policy_free(w->pol[i]);
		free(w->memo[i][0]);
		free(w->memo[i][1]);
	}
	affect_free(w->aff);
	addrtab_free(w->t);
}

/* A full pass over everything (the first one, or after a link change):
 * every socket reaches its policy's state, the memo is refreshed. */
static void settle(struct world *w)
{
	bool computed[NPOL * 2] = { false }, changed[NPOL * 2];

	affect_everything(w->aff);
	for (int i = 0; i < NPOL; i++)
		for (int k = 0; k < 2; k++) {
			free(w->memo[i][k]);
			w->memo[i][k] = NULL;
			want_changed(w, i, k, computed, changed);
		}
	for (int i = 0; i < NSOCK; i++)
		full_pass_one(w, &w->s[i]);
	affect_reset(w->aff);
}

static void random_sequences(void **state)
{
	unsigned long selected = 0, skipped = 0, needed = 0;

	(void)state;
	for (unsigned int seed = 1; seed <= 40; seed++) {
		struct world w;

		world_init(&w, seed);
		settle(&w);
		for (int round = 0; round < 60; round++) {
			bool computed[NPOL * 2] = { false }, changed[NPOL * 2];
			int events = 1 + (int)rnd(&w, 4);

			for (int e = 0; e < events; e++)
				random_event(&w);
			if (affect_is_everything(w.aff)) {
				settle(&w);
				continue;
			}
			for (int i = 0; i < NSOCK; i++) {
				struct sock *s = &w.s[i];
				bool sel = affect_concerns(w.aff,
							   want_changed(&w, s->pol, kind(s), computed,
									changed),
							   s->bound, s->nb, s->own, s->no);
				bool need = full_pass_one(&w, s);

				if (need && !sel)
					fail_msg("seed %u round %d: socket %d (policy %d, %s) has "
						 "changes planned but was not selected", seed, round,
						 i, s->pol, s->family == AF_INET ? "inet" : "inet6");
				selected += sel;
				skipped += !sel;
				needed += need;
			}
			affect_reset(w.aff);
		}
		world_free(&w);
	}
	print_message("selected %lu, skipped %lu, changes planned in %lu\n", selected, skipped,
		      needed);
	/* The index prunes: most batches concern few sockets. */
	assert_true(skipped > selected);
	assert_true(needed > 0);
}

/* The index's own answers, by hand. */
static void basics(void **state)
{
	struct affect *a = affect_new();
	struct policy *p = policy_new("default");
	struct host_addr h = pool_addr(3, 2);
	struct saddr in = to_saddr(&h), out = to_saddr(&(struct host_addr){ 0 });

	(void)state;
	assert_int_equal(policy_allow(p, "eth1"), 0);
	out.family = AF_INET;
	out.addr[0] = 192;
	assert_true(affect_is_everything(a));
	assert_true(affect_policy(a, p));
	affect_reset(a);
	assert_false(affect_policy(a, p));
	assert_false(affect_holds(a, &in, 1));
	affect_addr(a, &h, "eth9");
	assert_false(affect_policy(a, p));
	assert_true(affect_holds(a, &in, 1));
	assert_false(affect_holds(a, &out, 1));
	assert_false(affect_concerns(a, false, &out, 1, NULL, 0));
	assert_true(affect_concerns(a, true, &out, 1, NULL, 0));
	assert_true(affect_concerns(a, false, &out, 1, &in, 1));
	affect_addr(a, &h, "eth1");
	assert_true(affect_policy(a, p));
	/* An address whose interface is unknown: everything. */
	affect_reset(a);
	affect_addr(a, &h, NULL);
	assert_true(affect_is_everything(a));
	affect_free(a);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(basics),
		cmocka_unit_test(random_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
