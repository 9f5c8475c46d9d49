// SPDX-License-Identifier: GPL-2.0-or-later
/* The address table reports real differences only: repeats are silent,
 * flag changes are reported, a deleted link takes its addresses, and a
 * mark-and-sweep resync emits just what changed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <cmocka.h>
#include <linux/if_addr.h>

#include "../../netlink/addrtab.h"

struct rec {
	int n[ADDRTAB_LINK_GONE + 1];
};

static void cb(enum addrtab_event ev, const struct host_addr *a, const struct host_link *l,
	       void *ctx)
{
	struct rec *r = ctx;

	(void)a;
	(void)l;
	r->n[ev]++;
}

static struct host_addr v4(int idx, int last, uint32_t flags)
{
	struct host_addr a = { .ifindex = idx, .family = AF_INET, .prefixlen = 24, .flags = flags };

	a.a.raw[0] = 10;
	a.a.raw[3] = (uint8_t)last;
	return a;
}

static struct host_link link_(int idx, const char *name, unsigned int flags)
{
	struct host_link l = { .ifindex = idx, .flags = flags };

	snprintf(l.name, sizeof(l.name), "%s", name);
	return l;
}

static void differences_only(void **state)
{
	struct rec r = { 0 };
	struct addrtab *t = addrtab_new(cb, &r);
	struct host_addr a = v4(2, 1, 0), b = a;
	struct host_link l = link_(2, "eth0", IFF_UP);

	(void)state;
	assert_int_equal(addrtab_link_put(t, &l), 1);
	assert_int_equal(addrtab_link_put(t, &l), 0);
	assert_int_equal(addrtab_addr_put(t, &a), 1);
	assert_int_equal(addrtab_addr_put(t, &a), 0);          /* repeat: silent */
	b.flags = IFA_F_DEPRECATED;
	assert_int_equal(addrtab_addr_put(t, &b), 1);          /* flags: reported */
	assert_int_equal(addrtab_addr(t, 0)->flags, IFA_F_DEPRECATED);
	b.prefixlen = 16;                                       /* another identity */
	assert_int_equal(addrtab_addr_put(t, &b), 1);
	assert_int_equal(addrtab_naddrs(t), 2);
	assert_int_equal(addrtab_addr_del(t, &b), 1);
	assert_int_equal(addrtab_addr_del(t, &b), 0);
	l = link_(2, "wan0", IFF_UP);                           /* rename */
	assert_int_equal(addrtab_link_put(t, &l), 1);
	assert_string_equal(addrtab_link_find(t, 2)->name, "wan0");
	assert_int_equal(r.n[ADDRTAB_ADDR_NEW], 2);
	assert_int_equal(r.n[ADDRTAB_ADDR_CHANGED], 1);
	assert_int_equal(r.n[ADDRTAB_ADDR_GONE], 1);
	assert_int_equal(r.n[ADDRTAB_LINK_NEW], 1);
	assert_int_equal(r.n[ADDRTAB_LINK_CHANGED], 1);
	addrtab_free(t);
}

static void link_delete_takes_addresses(void **state)
{
	struct rec r = { 0 };
	struct addrtab *t = addrtab_new(cb, &r);
	struct host_link l2 = link_(2, "eth0", IFF_UP), l3 = link_(3, "eth1", IFF_UP);

	(void)state;
	addrtab_link_put(t, &l2);
	addrtab_link_put(t, &l3);
	for (int i = 1; i <= 5; i++) {
		struct host_addr a = v4(2, i, 0), b = v4(3, i, 0);

		addrtab_addr_put(t, &a);
		addrtab_addr_put(t, &b);
	}
	assert_int_equal(addrtab_link_del(t, 2), 1);
	assert_int_equal(addrtab_naddrs(t), 5);
	for (size_t i = 0; i < addrtab_naddrs(t); i++)
		assert_int_equal(addrtab_addr(t, i)->ifindex, 3);
	assert_null(addrtab_link_find(t, 2));
	assert_int_equal(r.n[ADDRTAB_ADDR_GONE], 5);
	assert_int_equal(r.n[ADDRTAB_LINK_GONE], 1);
	/* ifindex reuse: a new link 2 starts empty. */
	l2 = link_(2, "veth9", IFF_UP);
	assert_int_equal(addrtab_link_put(t, &l2), 1);
	assert_int_equal(addrtab_naddrs(t), 5);
	addrtab_free(t);
}

static void resync_emits_only_differences(void **state)
{
	struct rec r = { 0 };
	struct addrtab *t = addrtab_new(cb, &r);
	struct host_link l = link_(2, "eth0", IFF_UP);

	(void)state;
	addrtab_link_put(t, &l);
	for (int i = 1; i <= 100; i++) {
		struct host_addr a = v4(2, i, 0);

		addrtab_addr_put(t, &a);
	}
	memset(&r, 0, sizeof(r));
	/* The "dump": the same link, addresses 51..150. */
	addrtab_mark(t);
	addrtab_link_put(t, &l);
	for (int i = 51; i <= 150; i++) {
		struct host_addr a = v4(2, i, 0);

		addrtab_addr_put(t, &a);
	}
	assert_int_equal(addrtab_sweep(t), 50);
	assert_int_equal(addrtab_naddrs(t), 100);
	assert_int_equal(r.n[ADDRTAB_ADDR_NEW], 50);
	assert_int_equal(r.n[ADDRTAB_ADDR_GONE], 50);
	assert_int_equal(r.n[ADDRTAB_ADDR_CHANGED], 0);
	assert_int_equal(r.n[ADDRTAB_LINK_CHANGED] + r.n[ADDRTAB_LINK_NEW] +
			 r.n[ADDRTAB_LINK_GONE], 0);
	/* A link missing from the dump goes, with its addresses. */
	addrtab_mark(t);
	assert_int_equal(addrtab_sweep(t), 101);
	assert_int_equal(addrtab_naddrs(t), 0);
	assert_int_equal(addrtab_nlinks(t), 0);
	addrtab_free(t);
}

/* The index against a plain model: 200,000 random puts and deletes over a
 * small universe (so chains, collisions and resizes all happen), checking
 * after each that the table holds exactly the model's addresses. */
static void random_against_model(void **state)
{
	enum { U = 512 };
	struct addrtab *t = addrtab_new(NULL, NULL);
	bool in[U] = { 0 };
	size_t count = 0;
	unsigned int seed = 12345;

	(void)state;
	for (int step = 0; step < 200000; step++) {
		int k, r;
		struct host_addr a;

		seed = seed * 1103515245u + 12345u;
		k = (int)((seed >> 8) % U);
		a = v4(2 + k % 3, k % 250 + 1, 0);
		a.prefixlen = (uint8_t)(k / 250 + 8);   /* same address, other prefix */
		if ((seed >> 20) & 1) {
			r = addrtab_addr_put(t, &a);
			assert_int_equal(r, in[k] ? 0 : 1);
			count += !in[k];
			in[k] = true;
		} else {
			r = addrtab_addr_del(t, &a);
			assert_int_equal(r, in[k] ? 1 : 0);
			count -= in[k];
			in[k] = false;
		}
		assert_int_equal(addrtab_naddrs(t), count);
		/* The index by address alone finds every entry of it, on any
		 * link and with any prefix, and nothing else. */
		if (step % 331 == 0)
			for (int x = 1; x <= 250; x++) {
				struct host_addr b = v4(2, x, 0);
				const struct host_addr *h;
				size_t cur = 0, want = 0, got = 0;

				for (int j = 0; j < U; j++)
					want += in[j] && j % 250 + 1 == x;
				while ((h = addrtab_addr_next(t, AF_INET, b.a.raw, &cur))) {
					assert_int_equal(h->a.raw[3], b.a.raw[3]);
					assert_memory_equal(h->a.raw, b.a.raw, 4);
					got++;
				}
				assert_int_equal(got, want);
			}
		if (step % 997 == 0)
			for (int j = 0; j < U; j++) {
				struct host_addr b = v4(2 + j % 3, j % 250 + 1, 0);

				b.prefixlen = (uint8_t)(j / 250 + 8);
				/* put of a present address changes nothing */
				if (in[j])
					assert_int_equal(addrtab_addr_put(t, &b), 0);
			}
	}
	addrtab_free(t);
}

/* The log names flags and scope as ip addr does. */
static void flags_by_name(void **state)
{
	char buf[HOST_ADDR_FLAGS_STRLEN];
	struct host_addr a = v4(1, 1, IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE);

	(void)state;
	assert_string_equal(host_addr_flags_str(&a, buf, sizeof(buf)),
			    "scope global permanent noprefixroute");
	a.flags = IFA_F_SECONDARY;
	a.scope = 254;          /* RT_SCOPE_HOST */
	assert_string_equal(host_addr_flags_str(&a, buf, sizeof(buf)),
			    "scope host dynamic secondary");
	a.family = AF_INET6;
	a.scope = 253;          /* RT_SCOPE_LINK */
	a.flags = IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_SECONDARY;
	assert_string_equal(host_addr_flags_str(&a, buf, sizeof(buf)),
			    "scope link temporary dadfailed tentative permanent");
	a.flags = IFA_F_DEPRECATED | 0x80000000u;
	a.scope = 77;
	assert_string_equal(host_addr_flags_str(&a, buf, sizeof(buf)),
			    "scope 77 dynamic deprecated flags 0x80000000");
	/* Cut short, still a string. */
	assert_string_equal(host_addr_flags_str(&a, buf, 8), "scope 7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_by_name),
		cmocka_unit_test(differences_only),
		cmocka_unit_test(link_delete_takes_addresses),
		cmocka_unit_test(resync_emits_only_differences),
		cmocka_unit_test(random_against_model),
	};

	return cmocka_run_group_tests_name("addrtab", tests, NULL, NULL);
}
