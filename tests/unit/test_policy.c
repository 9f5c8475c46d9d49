// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy over a hand-built address table: which addresses a socket wants,
 * which it may lose. */
#include <errno.h>
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

#include "../../sctp/policy.h"

/* What the kernel reports for a link up with carrier. */
#define UPRUN (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)

static void put_link_mode(struct addrtab *t, int idx, const char *name, unsigned int flags,
			  uint8_t linkmode)
{
	struct host_link l = { .ifindex = idx, .flags = flags, .linkmode = linkmode };

	snprintf(l.name, sizeof(l.name), "%s", name);
	assert_true(addrtab_link_put(t, &l) >= 0);
}

static void put_link(struct addrtab *t, int idx, const char *name, unsigned int flags)
{
	put_link_mode(t, idx, name, flags, IF_LINK_MODE_DEFAULT);
}

static void put_addr(struct addrtab *t, int idx, const char *s, int scope, uint32_t flags)
{
	struct host_addr a = { .ifindex = idx, .scope = (uint8_t)scope, .flags = flags };

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	a.prefixlen = a.family == AF_INET ? 24 : 64;
	assert_int_equal(inet_pton(a.family, s, a.a.raw), 1);
	assert_true(addrtab_addr_put(t, &a) >= 0);
}

static struct saddr sa(const char *s, uint32_t scope)
{
	struct saddr a = { .scope_id = scope, .port = 5000 };

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, a.addr), 1);
	return a;
}

struct fixture {
	struct addrtab *t;
	struct policy *p;
};

/* eth0 (not followed), eth1 and eth2 followed, eth3 down, lo. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->t = addrtab_new(NULL, NULL);
	f->p = policy_new("default");
	policy_allow(f->p, "eth[1-3]");
	put_link(f->t, 1, "lo", UPRUN | IFF_LOOPBACK);
	put_link(f->t, 2, "eth0", UPRUN);
	put_link(f->t, 3, "eth1", UPRUN);
	put_link(f->t, 4, "eth2", UPRUN);
	put_link(f->t, 5, "eth3", IFF_UP);     /* no carrier */
	put_addr(f->t, 1, "127.0.0.1", RT_SCOPE_HOST, IFA_F_PERMANENT);
	put_addr(f->t, 2, "10.0.0.1", RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	put_addr(f->t, 3, "10.1.0.1", RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	put_addr(f->t, 3, "10.1.0.9", RT_SCOPE_UNIVERSE, IFA_F_SECONDARY);
	put_addr(f->t, 3, "2001:db8:1::1", RT_SCOPE_UNIVERSE, 0);
	put_addr(f->t, 3, "2001:db8:1::2", RT_SCOPE_UNIVERSE, IFA_F_TENTATIVE);
	put_addr(f->t, 3, "2001:db8:1::3", RT_SCOPE_UNIVERSE, IFA_F_DADFAILED);
	put_addr(f->t, 3, "2001:db8:1::4", RT_SCOPE_UNIVERSE, IFA_F_DEPRECATED);
	put_addr(f->t, 3, "2001:db8:1::5", RT_SCOPE_UNIVERSE, IFA_F_TEMPORARY);
	put_addr(f->t, 3, "2001:db8:1::6", RT_SCOPE_UNIVERSE, IFA_F_TENTATIVE | IFA_F_OPTIMISTIC);
	put_addr(f->t, 3, "fe80::1", RT_SCOPE_LINK, IFA_F_PERMANENT);
	put_addr(f->t, 4, "10.2.0.1", RT_SCOPE_UNIVERSE, 0);
	put_addr(f->t, 5, "10.3.0.1", RT_SCOPE_UNIVERSE, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	policy_free(f->p);
	addrtab_free(f->t);
	free(f);
	return 0;
}

static bool has(const struct saddr *v, int n, struct saddr a)
{
	for (int i = 0; i < n; i++)
		if (saddr_equal(&v[i], &a))
			return v[i].port == 5000;
	return false;
}

static void inet_socket_gets_ipv4_of_followed_running_links(void **state)
{
	struct fixture *f = *state;
	struct saddr *v;
	int n = policy_desired(f->p, f->t, AF_INET, false, 5000, &v);

	assert_int_equal(n, 3);
	assert_true(has(v, n, sa("10.1.0.1", 0)));
	assert_true(has(v, n, sa("10.1.0.9", 0)));     /* IPv4 secondary is real */
	assert_true(has(v, n, sa("10.2.0.1", 0)));
	free(v);
}

static void inet6_socket_gets_both_unless_v6only(void **state)
{
	struct fixture *f = *state;
	struct saddr *v;
	int n = policy_desired(f->p, f->t, AF_INET6, false, 5000, &v);

	/* 3 IPv4 + ::1, ::5 (temporary), ::6 (optimistic). */
	assert_int_equal(n, 6);
	assert_true(has(v, n, sa("10.2.0.1", 0)));
	assert_true(has(v, n, sa("2001:db8:1::1", 0)));
	assert_true(has(v, n, sa("2001:db8:1::5", 0)));
	assert_true(has(v, n, sa("2001:db8:1::6", 0)));
	assert_false(has(v, n, sa("2001:db8:1::2", 0)));       /* tentative */
	assert_false(has(v, n, sa("2001:db8:1::3", 0)));       /* dadfailed */
	assert_false(has(v, n, sa("2001:db8:1::4", 0)));       /* deprecated */
	assert_false(has(v, n, sa("fe80::1", 3)));             /* link-local */
	free(v);
	n = policy_desired(f->p, f->t, AF_INET6, true, 5000, &v);
	assert_int_equal(n, 3);
	assert_false(has(v, n, sa("10.2.0.1", 0)));
	free(v);
}

static void knobs(void **state)
{
	struct fixture *f = *state;
	struct saddr *v;
	int n;

	policy_set_deprecated(f->p, true);
	policy_set_temporary(f->p, false);
	policy_set_link_local(f->p, true);
	policy_set_down_links(f->p, true);
	n = policy_desired(f->p, f->t, AF_INET6, true, 5000, &v);
	assert_true(has(v, n, sa("2001:db8:1::4", 0)));
	assert_false(has(v, n, sa("2001:db8:1::5", 0)));
	/* Link-local carries the interface as its scope. */
	assert_true(has(v, n, sa("fe80::1", 3)));
	free(v);
	n = policy_desired(f->p, f->t, AF_INET, false, 5000, &v);
	assert_true(has(v, n, sa("10.3.0.1", 0)));
	free(v);
}

static void globs_and_deny(void **state)
{
	struct fixture *f = *state;

	assert_true(policy_iface_selected(f->p, "eth1"));
	assert_false(policy_iface_selected(f->p, "eth0"));
	assert_false(policy_iface_selected(f->p, "eth10"));
	assert_false(policy_iface_selected(f->p, ""));
	policy_deny(f->p, "eth2");
	assert_false(policy_iface_selected(f->p, "eth2"));
	assert_true(policy_iface_selected(f->p, "eth1"));
	/* An empty policy follows nothing. */
	struct policy *none = policy_new("none");
	assert_false(policy_iface_selected(none, "eth1"));
	policy_free(none);
}

static void may_remove(void **state)
{
	struct fixture *f = *state;

	struct saddr app = sa("10.0.0.1", 0), ours = sa("10.1.0.1", 0),
		     gone = sa("10.9.9.9", 0), down = sa("10.3.0.1", 0);
	/* The application's own address outside the policy: never. */
	assert_false(policy_may_remove(f->p, f->t, &app));
	/* On a followed link: ours to manage (e.g. now unusable). */
	assert_true(policy_may_remove(f->p, f->t, &ours));
	assert_true(policy_may_remove(f->p, f->t, &down));
	/* Gone from the host: dead weight, may go. */
	assert_true(policy_may_remove(f->p, f->t, &gone));
}

/* The application's own addresses: those of the hand-over not on a
 * followed interface (eth0's, or not on the host at all); usable while
 * present on a running link and not tentative, whatever their interface. */
static void app_owned(void **state)
{
	struct fixture *f = *state;
	struct saddr bound[] = {
		sa("10.0.0.1", 0),      /* eth0: not followed */
		sa("10.1.0.1", 0),      /* eth1: followed */
		sa("10.9.9.9", 0),      /* not on the host */
		sa("10.3.0.1", 0),      /* eth3: followed, no carrier */
		sa("2001:db8:1::2", 0), /* eth1, tentative: followed */
	};
	struct saddr own[5];
	size_t k = policy_app_owned(f->p, f->t, bound, 5, own);

	assert_int_equal(k, 2);
	assert_true(saddr_equal(&own[0], &bound[0]));
	assert_true(saddr_equal(&own[1], &bound[2]));
	assert_true(policy_app_usable(f->p, f->t, &own[0]));
	assert_false(policy_app_usable(f->p, f->t, &own[1]));
	/* eth0 down: unusable, so removable; up again: usable, so bound. */
	put_link(f->t, 2, "eth0", IFF_UP);
	assert_false(policy_app_usable(f->p, f->t, &own[0]));
	policy_set_down_links(f->p, true);
	assert_true(policy_app_usable(f->p, f->t, &own[0]));
	policy_set_down_links(f->p, false);
	put_link(f->t, 2, "eth0", UPRUN);
	assert_true(policy_app_usable(f->p, f->t, &own[0]));
	/* Back on the host, on any interface, it is usable again. */
	put_addr(f->t, 2, "10.9.9.9", RT_SCOPE_UNIVERSE, 0);
	assert_true(policy_app_usable(f->p, f->t, &own[1]));
	/* A tentative IPv6 address is not usable until DAD ends. */
	assert_false(policy_app_usable(f->p, f->t, &bound[4]));
	/* A policy that follows nothing owns nothing. */
	assert_int_equal(policy_app_owned(f->p, f->t, bound, 0, own), 0);
}

/* A link carries addresses from the moment it is up with carrier: the
 * kernel sets IFF_LOWER_UP at once, IFF_RUNNING only when linkwatch next
 * runs (up to a second later, e.g. right after the link went down). */
static void link_running_from_carrier(void **state)
{
	struct fixture *f = *state;
	struct host_addr a = { .ifindex = 4, .family = AF_INET, .prefixlen = 24,
			       .scope = RT_SCOPE_UNIVERSE };
	const struct {
		unsigned int flags;
		uint8_t mode;
		bool usable;
	} c[] = {
		{ UPRUN, IF_LINK_MODE_DEFAULT, true },
		/* Carrier back, linkwatch not run yet. */
		{ IFF_UP | IFF_LOWER_UP, IF_LINK_MODE_DEFAULT, true },
		/* Carrier lost, linkwatch not run yet. */
		{ IFF_UP | IFF_RUNNING, IF_LINK_MODE_DEFAULT, false },
		{ IFF_UP, IF_LINK_MODE_DEFAULT, false },
		{ IFF_LOWER_UP | IFF_RUNNING, IF_LINK_MODE_DEFAULT, false },
		{ UPRUN | IFF_DORMANT, IF_LINK_MODE_DEFAULT, false },
		/* User space drives the operational state (802.1X): wait for it. */
		{ IFF_UP | IFF_LOWER_UP, IF_LINK_MODE_DORMANT, false },
		{ UPRUN, IF_LINK_MODE_DORMANT, true },
	};

	assert_int_equal(inet_pton(AF_INET, "10.2.0.1", a.a.raw), 1);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		put_link_mode(f->t, 4, "eth2", c[i].flags, c[i].mode);
		assert_true(host_link_running(addrtab_link_find(f->t, 4)) == c[i].usable);
		assert_true(policy_addr_usable(f->p, &a, addrtab_link_find(f->t, 4)) == c[i].usable);
		assert_true(policy_app_usable(f->p, f->t, &(struct saddr){ .family = AF_INET,
			.addr = { 10, 2, 0, 1 } }) == c[i].usable);
	}
}

/* Adoption: the port list and the command globs, each optional, both
 * required to match when given; neither means no adoption at all. */
static void adopt_rules(void **state)
{
	struct fixture *f = *state;
	struct policy *q = policy_new("cmds"), *r = policy_new("both");

	assert_false(policy_adopts(f->p));
	assert_false(policy_adopts_port(f->p, 3868));
	assert_false(policy_adopt_match(f->p, 3868, "diameterd"));

	assert_int_equal(policy_adopt_port(f->p, 3868), 0);
	assert_int_equal(policy_adopt_port(f->p, 5868), 0);
	assert_int_equal(policy_adopt_port(f->p, 3868), -EEXIST);
	assert_int_equal(policy_adopt_port(f->p, 0), -EINVAL);
	assert_true(policy_adopts(f->p));
	assert_true(policy_adopts_port(f->p, 5868));
	assert_false(policy_adopts_port(f->p, 2905));
	/* Ports only: any owner. */
	assert_true(policy_adopt_match(f->p, 3868, "anything"));
	assert_true(policy_adopt_match(f->p, 3868, ""));
	assert_false(policy_adopt_match(f->p, 2905, "anything"));

	/* Commands only: any port. */
	assert_int_equal(policy_adopt_command(q, "freeDiameterd"), 0);
	assert_int_equal(policy_adopt_command(q, "diameter-*"), 0);
	assert_int_equal(policy_adopt_command(q, ""), -EINVAL);
	assert_true(policy_adopts(q));
	assert_true(policy_adopts_port(q, 1));
	assert_true(policy_adopt_match(q, 2905, "freeDiameterd"));
	assert_true(policy_adopt_match(q, 2905, "diameter-relay"));
	assert_false(policy_adopt_match(q, 2905, "freeDiameter"));
	assert_false(policy_adopt_match(q, 2905, "m3uad"));

	/* Both: the port and the command. */
	assert_int_equal(policy_adopt_port(r, 2905), 0);
	assert_int_equal(policy_adopt_command(r, "m3ua?"), 0);
	assert_true(policy_adopt_match(r, 2905, "m3uad"));
	assert_false(policy_adopt_match(r, 2905, "m3ua"));
	assert_false(policy_adopt_match(r, 3868, "m3uad"));
	policy_free(q);
	policy_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(inet_socket_gets_ipv4_of_followed_running_links, setup, teardown),
		cmocka_unit_test_setup_teardown(inet6_socket_gets_both_unless_v6only, setup, teardown),
		cmocka_unit_test_setup_teardown(knobs, setup, teardown),
		cmocka_unit_test_setup_teardown(globs_and_deny, setup, teardown),
		cmocka_unit_test_setup_teardown(may_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(app_owned, setup, teardown),
		cmocka_unit_test_setup_teardown(adopt_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(link_running_from_carrier, setup, teardown),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
