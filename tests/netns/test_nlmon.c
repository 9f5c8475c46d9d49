// SPDX-License-Identifier: GPL-2.0-or-later
/* The netns tier: the address monitor against real rtnetlink.
 *
 * The program moves itself into a private network namespace first, so every
 * veth, address and rename below happens there and the host's interfaces are
 * never touched.  Changes are made with libnl-route-3 (the "driver"), never
 * with our own netlink code, so a bug there cannot hide itself; what is under
 * test is nlmon_open/nlmon_read keeping the addrtab equal to the kernel, and
 * the policy functions reading that table.
 *
 * Our records are struct host_addr / host_link; "struct nl_addr" here is
 * always libnl's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <sys/socket.h>
#include <netlink/route/route.h>

#include "../../netlink/addrtab.h"
#include <linux/if.h>      /* IFF_LOWER_UP: after net/if.h (addrtab.h) */
#include "../../netlink/nlmon.h"
#include "../../sctp/msock.h"
#include "../../sctp/policy.h"
#include "../../sctp/sknetns.h"

#define WAIT_MS     3000        /* events normally arrive in microseconds */
#define WAIT_DAD_MS 5000        /* IPv6 DAD: up to 1 s delay + 1 s probe */
#define MAX_VETHS   8

/* The driver: a plain libnl socket in the private namespace. */
static struct nl_sock *drv;

/* ---------------------------------------------------------------- fixture */

struct rec {                    /* one addrtab callback, copied */
	enum addrtab_event ev;
	struct host_addr a;
	struct host_link l;
};

struct fx {
	struct addrtab *tab;
	struct nlmon *m;
	struct policy *p, *p2;
	struct rec *ev;
	size_t nev, cev;
	int made[MAX_VETHS];        /* ifindexes to delete in teardown */
	int nmade;
	pid_t churn;                /* child changing addresses, or 0 */
};

static void record(enum addrtab_event ev, const struct host_addr *a,
		   const struct host_link *l, void *ctx)
{
	struct fx *f = ctx;
	struct rec *r;

	if (f->nev == f->cev) {
		f->cev = f->cev ? f->cev * 2 : 256;
		f->ev = realloc(f->ev, f->cev * sizeof(*f->ev));
		assert_non_null(f->ev);
	}
	r = &f->ev[f->nev++];
	memset(r, 0, sizeof(*r));
	r->ev = ev;
	if (a)
		r->a = *a;
	if (l)
		r->l = *l;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->tab = addrtab_new(record, f);
	if (!f->tab) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static void link_del_index(int ifindex);

/* Runs after a failed test too, so a leftover veth cannot break the next. */
static int teardown(void **state)
{
	struct fx *f = *state;

	if (f->churn > 0) {
		kill(f->churn, SIGKILL);
		waitpid(f->churn, NULL, 0);
	}
	nlmon_close(f->m);
	addrtab_free(f->tab);
	policy_free(f->p);
	policy_free(f->p2);
	for (int i = 0; i < f->nmade; i++)
		link_del_index(f->made[i]);     /* the peer may be gone already */
	free(f->ev);
	free(f);
	return 0;
}

static void fx_open(struct fx *f, const struct nlmon_opts *o)
{
	f->m = nlmon_open(f->tab, o);
	if (!f->m)
		fail_msg("nlmon_open: %s", strerror(errno));
}

/* ------------------------------------------------------------------ time */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits for the monitor's socket and reads what came.  False when nothing
 * came before the deadline. */
static bool pump(struct fx *f, long long deadline)
{
	struct pollfd pfd = { .fd = nlmon_fd(f->m), .events = POLLIN };
	long long left = deadline - now_ms();
	int n, err;

	if (left <= 0)
		return false;
	n = poll(&pfd, 1, (int)left);
	if (n < 0 && errno == EINTR)
		return true;
	if (n < 0)
		fail_msg("poll: %s", strerror(errno));
	if (n == 0)
		return false;
	err = nlmon_read(f->m);
	if (err)
		fail_msg("nlmon_read: %s", strerror(-err));
	return true;
}

/* Reads events until cond holds; fails the test if it does not within ms. */
#define WAIT_UNTIL(f, ms, cond)                                               \
	do {                                                                  \
		long long dl_ = now_ms() + (ms);                              \
		while (!(cond))                                               \
			if (!pump((f), dl_))                                  \
				fail_msg("%s:%d: not seen within %d ms: %s",  \
					 __FILE__, __LINE__, (int)(ms), #cond); \
	} while (0)

/* Reads until the socket stays quiet for quiet_ms. */
static void drain(struct fx *f, int quiet_ms)
{
	while (pump(f, now_ms() + quiet_ms))
		;
}

/* --------------------------------------------------------------- driver */

static void nlcheck(int err, const char *what)
{
	if (err < 0)
		fail_msg("libnl: %s: %s", what, nl_geterror(err));
}

static int ifx(const char *name)
{
	int i = (int)if_nametoindex(name);

	if (!i)
		fail_msg("no interface %s", name);
	return i;
}

/* Creates a veth pair in this namespace; teardown deletes it. */
static void veth_add(struct fx *f, const char *a, const char *b)
{
	char what[64];

	snprintf(what, sizeof(what), "veth add %s/%s", a, b);
	nlcheck(rtnl_link_veth_add(drv, a, b, getpid()), what);
	assert_true(f->nmade + 2 <= MAX_VETHS);
	f->made[f->nmade++] = ifx(a);
	f->made[f->nmade++] = ifx(b);
}

/* Applies one change (flags and/or name) to the link called name. */
static void link_change(const char *name, int up, const char *newname)
{
	struct rtnl_link *orig, *chg = rtnl_link_alloc();
	char what[64];

	assert_non_null(chg);
	snprintf(what, sizeof(what), "get link %s", name);
	nlcheck(rtnl_link_get_kernel(drv, 0, name, &orig), what);
	if (up > 0)
		rtnl_link_set_flags(chg, IFF_UP);
	else if (up == 0)
		rtnl_link_unset_flags(chg, IFF_UP);
	if (newname)
		rtnl_link_set_name(chg, newname);
	snprintf(what, sizeof(what), "change link %s", name);
	nlcheck(rtnl_link_change(drv, orig, chg, 0), what);
	rtnl_link_put(orig);
	rtnl_link_put(chg);
}

static void link_up(const char *name)   { link_change(name, 1, NULL); }
static void link_down(const char *name) { link_change(name, 0, NULL); }

static void link_rename(const char *name, const char *newname)
{
	link_change(name, -1, newname);
}

static int link_try_del(int ifindex)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int err;

	assert_non_null(l);
	rtnl_link_set_ifindex(l, ifindex);
	err = rtnl_link_delete(drv, l);
	rtnl_link_put(l);
	return err;
}

static void link_del_index(int ifindex)
{
	(void)link_try_del(ifindex);
}

static void link_del(const char *name)
{
	nlcheck(link_try_del(ifx(name)), name);
}

/* Adds or deletes "192.0.2.1/24" or "2001:db8::1/64" on ifindex. */
static int addr_change(int ifindex, const char *cidr, bool add)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local;
	int err;

	assert_non_null(ra);
	nlcheck(nl_addr_parse(cidr, AF_UNSPEC, &local), cidr);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, nl_addr_get_family(local));
	nlcheck(rtnl_addr_set_local(ra, local), cidr);
	rtnl_addr_set_prefixlen(ra, nl_addr_get_prefixlen(local));
	err = add ? rtnl_addr_add(drv, ra, 0) : rtnl_addr_delete(drv, ra, 0);
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return err;
}

static void addr_add(int ifindex, const char *cidr)
{
	nlcheck(addr_change(ifindex, cidr, true), cidr);
}

static void addr_del(int ifindex, const char *cidr)
{
	nlcheck(addr_change(ifindex, cidr, false), cidr);
}

/* The namespace's defaults are usually right; say so rather than assume. */
static void sysctl_ipv6(const char *ifname, const char *key, const char *val)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		fail_msg("write %s: %s", path, strerror(errno));
	close(fd);
}

/* ------------------------------------------------------- table queries */

/* Our struct host_addr for "addr/prefix" on ifindex, as the parser builds it. */
static struct host_addr mk(int ifindex, const char *cidr)
{
	struct host_addr a;
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(cidr, '/');

	assert_non_null(slash);
	assert_true((size_t)(slash - cidr) < sizeof(buf));
	memcpy(buf, cidr, (size_t)(slash - cidr));
	buf[slash - cidr] = 0;
	memset(&a, 0, sizeof(a));
	a.ifindex = ifindex;
	a.family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, buf, a.a.raw), 1);
	a.prefixlen = (uint8_t)atoi(slash + 1);
	return a;
}

static const struct host_addr *tab_addr(const struct fx *f, int ifindex,
				      const char *cidr)
{
	struct host_addr want = mk(ifindex, cidr);

	for (size_t i = 0; i < addrtab_naddrs(f->tab); i++)
		if (host_addr_same(addrtab_addr(f->tab, i), &want))
			return addrtab_addr(f->tab, i);
	return NULL;
}

static size_t tab_naddrs_on(const struct fx *f, int ifindex)
{
	size_t n = 0;

	for (size_t i = 0; i < addrtab_naddrs(f->tab); i++)
		n += addrtab_addr(f->tab, i)->ifindex == ifindex;
	return n;
}

static const struct host_link *tab_link(const struct fx *f, int ifindex)
{
	return addrtab_link_find(f->tab, ifindex);
}

static bool link_running(const struct fx *f, int ifindex)
{
	const struct host_link *l = tab_link(f, ifindex);

	return l && (l->flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
}

static bool link_has_carrier(const struct fx *f, int ifindex)
{
	const struct host_link *l = tab_link(f, ifindex);

	return l && (l->flags & IFF_LOWER_UP);
}

static bool link_is_up(const struct fx *f, int ifindex)
{
	const struct host_link *l = tab_link(f, ifindex);

	return l && (l->flags & IFF_UP);
}

/* Is the address in the table and usable under policy p right now? */
static bool usable(const struct fx *f, const struct policy *p, int ifindex,
		   const char *cidr)
{
	const struct host_addr *a = tab_addr(f, ifindex, cidr);

	return a && policy_addr_usable(p, a, tab_link(f, ifindex));
}

static bool has_flag(const struct fx *f, int ifindex, const char *cidr,
		     uint32_t flag)
{
	const struct host_addr *a = tab_addr(f, ifindex, cidr);

	return a && (a->flags & flag);
}

/* The first recorded event of kind ev for this address, or NULL. */
static const struct rec *first_event(const struct fx *f, enum addrtab_event ev,
				     int ifindex, const char *cidr)
{
	struct host_addr want = mk(ifindex, cidr);

	for (size_t i = 0; i < f->nev; i++)
		if (f->ev[i].ev == ev && host_addr_same(&f->ev[i].a, &want))
			return &f->ev[i];
	return NULL;
}

static size_t count_addr_events(const struct fx *f, enum addrtab_event ev,
				int ifindex, const char *cidr)
{
	struct host_addr want = mk(ifindex, cidr);
	size_t n = 0;

	for (size_t i = 0; i < f->nev; i++)
		n += f->ev[i].ev == ev && host_addr_same(&f->ev[i].a, &want);
	return n;
}

/* Events of kind ev about ifindex (its addresses, or the link itself). */
static size_t count_events(const struct fx *f, enum addrtab_event ev, int ifindex)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nev; i++) {
		int ix = ev >= ADDRTAB_LINK_NEW ? f->ev[i].l.ifindex : f->ev[i].a.ifindex;

		n += f->ev[i].ev == ev && ix == ifindex;
	}
	return n;
}

/* Does policy_desired() for family list the address "ip" (no prefix)? */
static bool desired_has(const struct fx *f, const struct policy *p, int family,
			const char *ip)
{
	struct saddr *v;
	uint8_t raw[16] = { 0 };
	int n = policy_desired(p, f->tab, family, false, 5000, &v);
	bool found = false;
	int fam = strchr(ip, ':') ? AF_INET6 : AF_INET;

	assert_true(n >= 0);
	assert_int_equal(inet_pton(fam, ip, raw), 1);
	for (int i = 0; i < n && !found; i++)
		found = v[i].family == fam && v[i].port == 5000 &&
			!memcmp(v[i].addr, raw, fam == AF_INET ? 4 : 16);
	free(v);
	return found;
}

/* ------------------------------------------------------------ scenarios */

/* 1: an address added or deleted shows up in the table, once, as it is. */
static void test_add_del(void **state)
{
	struct fx *f = *state;
	const struct host_addr *a;
	const struct rec *r;
	int ix;

	fx_open(f, NULL);
	veth_add(f, "va1", "va1p");
	ix = ifx("va1");
	WAIT_UNTIL(f, WAIT_MS, tab_link(f, ix));
	assert_string_equal(tab_link(f, ix)->name, "va1");

	addr_add(ix, "10.1.0.1/24");
	addr_add(ix, "2001:db8:1::1/64");
	WAIT_UNTIL(f, WAIT_MS, tab_addr(f, ix, "10.1.0.1/24") &&
			       tab_addr(f, ix, "2001:db8:1::1/64"));

	a = tab_addr(f, ix, "10.1.0.1/24");
	assert_int_equal(a->family, AF_INET);
	assert_int_equal(a->ifindex, ix);
	assert_int_equal(a->prefixlen, 24);
	assert_int_equal(a->scope, RT_SCOPE_UNIVERSE);
	a = tab_addr(f, ix, "2001:db8:1::1/64");
	assert_int_equal(a->family, AF_INET6);
	assert_int_equal(a->ifindex, ix);
	assert_int_equal(a->prefixlen, 64);
	/* A prefix is part of the identity: a /25 is another address. */
	assert_null(tab_addr(f, ix, "10.1.0.1/25"));

	/* Each appearance reported once, as NEW. */
	r = first_event(f, ADDRTAB_ADDR_NEW, ix, "10.1.0.1/24");
	assert_non_null(r);
	assert_int_equal(r->a.prefixlen, 24);
	assert_non_null(first_event(f, ADDRTAB_ADDR_NEW, ix, "2001:db8:1::1/64"));
	assert_int_equal(count_events(f, ADDRTAB_ADDR_NEW, ix), 2);

	addr_del(ix, "10.1.0.1/24");
	addr_del(ix, "2001:db8:1::1/64");
	WAIT_UNTIL(f, WAIT_MS, !tab_addr(f, ix, "10.1.0.1/24") &&
			       !tab_addr(f, ix, "2001:db8:1::1/64"));
	assert_non_null(first_event(f, ADDRTAB_ADDR_GONE, ix, "10.1.0.1/24"));
	assert_non_null(first_event(f, ADDRTAB_ADDR_GONE, ix, "2001:db8:1::1/64"));
	assert_int_equal(count_events(f, ADDRTAB_ADDR_GONE, ix), 2);
	assert_int_equal(tab_naddrs_on(f, ix), 0);
}

/* Both ends up so the links are RUNNING and their addresses usable. */
static void veth_up(struct fx *f, const char *a, const char *b)
{
	veth_add(f, a, b);
	link_up(a);
	link_up(b);
	WAIT_UNTIL(f, WAIT_MS, link_running(f, ifx(a)) && link_running(f, ifx(b)));
}

/* 2a: only allowlisted interfaces' addresses are desired. */
static void test_allowlist(void **state)
{
	struct fx *f = *state;
	int ia, ib;

	fx_open(f, NULL);
	veth_up(f, "va2", "va2p");
	veth_up(f, "vb2", "vb2p");
	ia = ifx("va2");
	ib = ifx("vb2");
	addr_add(ia, "10.2.0.1/24");
	addr_add(ib, "10.2.1.1/24");
	WAIT_UNTIL(f, WAIT_MS, tab_addr(f, ia, "10.2.0.1/24") &&
			       tab_addr(f, ib, "10.2.1.1/24"));

	f->p = policy_new("t");
	assert_non_null(f->p);
	/* An empty allowlist selects nothing. */
	assert_false(desired_has(f, f->p, AF_INET, "10.2.0.1"));
	assert_int_equal(policy_allow(f->p, "va*"), 0);
	assert_true(desired_has(f, f->p, AF_INET, "10.2.0.1"));
	assert_false(desired_has(f, f->p, AF_INET, "10.2.1.1"));
	/* The address itself is fine: it is the interface that is not chosen. */
	assert_true(usable(f, f->p, ib, "10.2.1.1/24"));
}

/* 2b: a globbed allowlist, and a denylist that wins over it. */
static void test_glob_deny(void **state)
{
	struct fx *f = *state;
	int ix, iy, iz;

	fx_open(f, NULL);
	veth_up(f, "vx1", "px1");
	veth_up(f, "vy1", "py1");
	veth_up(f, "vz1", "pz1");
	ix = ifx("vx1");
	iy = ifx("vy1");
	iz = ifx("vz1");
	addr_add(ix, "10.3.1.1/24");
	addr_add(iy, "10.3.2.1/24");
	addr_add(iz, "10.3.3.1/24");
	WAIT_UNTIL(f, WAIT_MS, tab_addr(f, ix, "10.3.1.1/24") &&
			       tab_addr(f, iy, "10.3.2.1/24") &&
			       tab_addr(f, iz, "10.3.3.1/24"));

	f->p = policy_new("glob");
	assert_non_null(f->p);
	assert_int_equal(policy_allow(f->p, "v[xy][0-9]*"), 0);
	assert_true(desired_has(f, f->p, AF_INET, "10.3.1.1"));
	assert_true(desired_has(f, f->p, AF_INET, "10.3.2.1"));
	assert_false(desired_has(f, f->p, AF_INET, "10.3.3.1"));

	assert_int_equal(policy_deny(f->p, "vy*"), 0);
	assert_true(desired_has(f, f->p, AF_INET, "10.3.1.1"));
	assert_false(desired_has(f, f->p, AF_INET, "10.3.2.1"));
	assert_false(desired_has(f, f->p, AF_INET, "10.3.3.1"));
	/* The peers ("p*") are never selected. */
	assert_false(policy_iface_selected(f->p, tab_link(f, ifx("px1"))->name));
}

/* 3: an IPv6 address is tentative until DAD is done, then usable. */
static void test_dad(void **state)
{
	struct fx *f = *state;
	const char *cidr = "2001:db8:3::1/64";
	const struct rec *r;
	int ix;

	fx_open(f, NULL);
	f->p = policy_new("t");
	assert_non_null(f->p);
	veth_add(f, "vd3", "vd3p");
	sysctl_ipv6("vd3", "accept_dad", "1");
	sysctl_ipv6("vd3", "optimistic_dad", "0");
	link_up("vd3");
	link_up("vd3p");
	ix = ifx("vd3");
	/* RUNNING first, so "not usable" below can only mean "tentative". */
	WAIT_UNTIL(f, WAIT_MS, link_running(f, ix));

	addr_add(ix, cidr);
	WAIT_UNTIL(f, WAIT_MS, tab_addr(f, ix, cidr));
	r = first_event(f, ADDRTAB_ADDR_NEW, ix, cidr);
	assert_non_null(r);
	if (!(r->a.flags & IFA_F_TENTATIVE))
		fail_msg("first seen with flags %#x, not tentative", r->a.flags);
	assert_false(policy_addr_usable(f->p, &r->a, tab_link(f, ix)));

	WAIT_UNTIL(f, WAIT_DAD_MS, usable(f, f->p, ix, cidr));
	assert_false(has_flag(f, ix, cidr, IFA_F_TENTATIVE | IFA_F_DADFAILED));
	/* The end of DAD came as a change of the same address. */
	r = first_event(f, ADDRTAB_ADDR_CHANGED, ix, cidr);
	assert_non_null(r);
	assert_int_equal(count_addr_events(f, ADDRTAB_ADDR_NEW, ix, cidr), 1);
	assert_int_equal(count_addr_events(f, ADDRTAB_ADDR_GONE, ix, cidr), 0);
}

/* 4: the same IPv6 address on both ends: the second one fails DAD. */
static void test_dadfailed(void **state)
{
	struct fx *f = *state;
	const char *cidr = "2001:db8:4::1/64";
	int ia, ib;

	fx_open(f, NULL);
	f->p = policy_new("t");
	assert_non_null(f->p);
	veth_add(f, "vf4", "vf4p");
	sysctl_ipv6("vf4", "accept_dad", "1");
	sysctl_ipv6("vf4p", "accept_dad", "1");
	link_up("vf4");
	link_up("vf4p");
	ia = ifx("vf4");
	ib = ifx("vf4p");
	WAIT_UNTIL(f, WAIT_MS, link_running(f, ia) && link_running(f, ib));

	/* One after the other, so the outcome is certain: the first owns the
	 * address and answers the second one's probe. */
	addr_add(ia, cidr);
	WAIT_UNTIL(f, WAIT_DAD_MS, usable(f, f->p, ia, cidr));
	addr_add(ib, cidr);
	WAIT_UNTIL(f, WAIT_DAD_MS, has_flag(f, ib, cidr, IFA_F_DADFAILED));
	assert_false(usable(f, f->p, ib, cidr));
	assert_true(usable(f, f->p, ia, cidr));
}

/* 5: a rename reaches the table, and interface selection follows it. */
static void test_rename(void **state)
{
	struct fx *f = *state;
	int ix;

	fx_open(f, NULL);
	veth_up(f, "vr5", "vr5p");
	ix = ifx("vr5");
	f->p = policy_new("old");
	f->p2 = policy_new("new");
	assert_non_null(f->p);
	assert_non_null(f->p2);
	assert_int_equal(policy_allow(f->p, "vr5"), 0);
	assert_int_equal(policy_allow(f->p2, "vn5"), 0);
	addr_add(ix, "10.5.0.1/24");
	WAIT_UNTIL(f, WAIT_MS, usable(f, f->p, ix, "10.5.0.1/24"));
	assert_true(policy_iface_selected(f->p, tab_link(f, ix)->name));
	assert_true(desired_has(f, f->p, AF_INET, "10.5.0.1"));

	/* The kernel refuses to rename a link that is up. */
	link_down("vr5");
	link_rename("vr5", "vn5");
	link_up("vn5");
	WAIT_UNTIL(f, WAIT_MS, tab_link(f, ix) &&
			       !strcmp(tab_link(f, ix)->name, "vn5") &&
			       link_running(f, ix));
	assert_int_equal(ifx("vn5"), ix);
	assert_false(policy_iface_selected(f->p, tab_link(f, ix)->name));
	assert_true(policy_iface_selected(f->p2, tab_link(f, ix)->name));
	assert_false(desired_has(f, f->p, AF_INET, "10.5.0.1"));
	assert_true(desired_has(f, f->p2, AF_INET, "10.5.0.1"));
	assert_true(count_events(f, ADDRTAB_LINK_CHANGED, ix) >= 1);
}

/* 6: deleting a link takes its addresses out of the table, and the link. */
static void test_link_delete(void **state)
{
	struct fx *f = *state;
	int ia, ib;

	fx_open(f, NULL);
	veth_add(f, "vl6", "vl6p");
	ia = ifx("vl6");
	ib = ifx("vl6p");
	addr_add(ia, "10.6.0.1/24");
	addr_add(ia, "10.6.1.1/24");
	addr_add(ia, "2001:db8:6::1/64");
	addr_add(ib, "10.6.0.2/24");
	WAIT_UNTIL(f, WAIT_MS, tab_naddrs_on(f, ia) == 3 && tab_naddrs_on(f, ib) == 1);

	link_del("vl6");        /* a veth takes its peer with it */
	WAIT_UNTIL(f, WAIT_MS, !tab_link(f, ia) && !tab_link(f, ib));
	assert_int_equal(tab_naddrs_on(f, ia), 0);
	assert_int_equal(tab_naddrs_on(f, ib), 0);
	assert_int_equal(count_events(f, ADDRTAB_ADDR_GONE, ia), 3);
	assert_int_equal(count_events(f, ADDRTAB_ADDR_GONE, ib), 1);
	assert_int_equal(count_events(f, ADDRTAB_LINK_GONE, ia), 1);
	assert_int_equal(count_events(f, ADDRTAB_LINK_GONE, ib), 1);
}

/* 7: a link that is down, or has no carrier, makes its addresses unusable. */
static void test_link_down_up(void **state)
{
	struct fx *f = *state;
	const char *v4 = "10.7.0.1/24", *v6 = "2001:db8:7::1/64";
	int ix;

	fx_open(f, NULL);
	f->p = policy_new("default");
	assert_non_null(f->p);
	veth_up(f, "vu7", "vu7p");
	ix = ifx("vu7");
	addr_add(ix, v4);
	addr_add(ix, v6);
	WAIT_UNTIL(f, WAIT_DAD_MS, usable(f, f->p, ix, v4) && usable(f, f->p, ix, v6));

	link_down("vu7");
	WAIT_UNTIL(f, WAIT_MS, !link_is_up(f, ix));
	/* IPv4 stays, unusable; the kernel may flush IPv6 on down. */
	assert_non_null(tab_addr(f, ix, v4));
	assert_false(usable(f, f->p, ix, v4));
	assert_false(usable(f, f->p, ix, v6));

	link_up("vu7");
	WAIT_UNTIL(f, WAIT_MS, usable(f, f->p, ix, v4));

	/* Up but no carrier (peer down): unusable too.  Waited for as the
	 * carrier the kernel reports, not IFF_RUNNING: linkwatch may not have
	 * set RUNNING from the link_up above yet, and a wait on it would end
	 * before the carrier's loss is read. */
	link_down("vu7p");
	WAIT_UNTIL(f, WAIT_MS, !link_has_carrier(f, ix) && !link_running(f, ix));
	assert_true(link_is_up(f, ix));
	assert_false(usable(f, f->p, ix, v4));
	/* ...unless the policy allows down links. */
	policy_set_down_links(f->p, true);
	assert_true(usable(f, f->p, ix, v4));
	policy_set_down_links(f->p, false);

	link_up("vu7p");
	WAIT_UNTIL(f, WAIT_MS, usable(f, f->p, ix, v4));
}

/* ------------------------------------------------------------- overrun */

/* Is the table exactly the kernel's address and link set?  If not, says
 * what the first difference is in why. */
static bool table_is_kernel(const struct fx *f, char *why, size_t len)
{
	struct nl_cache *ac, *lc;
	struct nl_object *o;
	size_t nk = 0, nl = 0;
	bool same = true;

	nlcheck(rtnl_addr_alloc_cache(drv, &ac), "address dump");
	nlcheck(rtnl_link_alloc_cache(drv, AF_UNSPEC, &lc), "link dump");
	snprintf(why, len, "same");
	for (o = nl_cache_get_first(ac); o && same; o = nl_cache_get_next(o)) {
		struct rtnl_addr *ra = (struct rtnl_addr *)o;
		struct nl_addr *ka = rtnl_addr_get_local(ra);
		struct host_addr k;
		char s[INET6_ADDRSTRLEN];
		bool found = false;

		if (!ka)
			ka = rtnl_addr_get_peer(ra);
		assert_non_null(ka);
		memset(&k, 0, sizeof(k));
		k.ifindex = rtnl_addr_get_ifindex(ra);
		k.family = rtnl_addr_get_family(ra);
		k.prefixlen = (uint8_t)rtnl_addr_get_prefixlen(ra);
		assert_true(nl_addr_get_len(ka) <= sizeof(k.a.raw));
		memcpy(k.a.raw, nl_addr_get_binary_addr(ka), nl_addr_get_len(ka));
		nk++;
		for (size_t i = 0; i < addrtab_naddrs(f->tab) && !found; i++)
			found = host_addr_same(addrtab_addr(f->tab, i), &k);
		if (!found) {
			snprintf(why, len, "kernel has %s/%u on %d, the table not",
				 host_addr_str(&k, s, sizeof(s)), k.prefixlen, k.ifindex);
			same = false;
		}
	}
	if (same && nk != addrtab_naddrs(f->tab)) {
		snprintf(why, len, "kernel has %zu addresses, the table %zu",
			 nk, addrtab_naddrs(f->tab));
		same = false;
	}
	for (o = nl_cache_get_first(lc); o && same; o = nl_cache_get_next(o)) {
		struct rtnl_link *rl = (struct rtnl_link *)o;
		const struct host_link *l = addrtab_link_find(f->tab, rtnl_link_get_ifindex(rl));

		nl++;
		if (!l || strcmp(l->name, rtnl_link_get_name(rl))) {
			snprintf(why, len, "link %d (%s): table has %s",
				 rtnl_link_get_ifindex(rl), rtnl_link_get_name(rl),
				 l ? l->name : "nothing");
			same = false;
		}
	}
	if (same && nl != addrtab_nlinks(f->tab)) {
		snprintf(why, len, "kernel has %zu links, the table %zu",
			 nl, addrtab_nlinks(f->tab));
		same = false;
	}
	nl_cache_free(ac);
	nl_cache_free(lc);
	return same;
}

#define N_ADD_A 5000            /* on vo8; then half of them deleted */
#define N_ADD_B 2500            /* on vp8 */

static void nth_addr(char *buf, size_t len, int net, int i)
{
	snprintf(buf, len, "10.%d.%d.%d/32", net, i / 250, i % 250 + 1);
}

/* 10,000 address changes while nobody reads a small receive buffer: 5,000
 * adds on one veth, 2,500 on another, then every other one of the first
 * 5,000 deleted.  /32s, so each is primary and deleting one takes no
 * secondaries with it. */
static void flood(int ia, int ib)
{
	char cidr[32];
	long long t0 = now_ms();

	for (int i = 0; i < N_ADD_A; i++) {
		nth_addr(cidr, sizeof(cidr), 8, i);
		addr_add(ia, cidr);
	}
	for (int i = 0; i < N_ADD_B; i++) {
		nth_addr(cidr, sizeof(cidr), 9, i);
		addr_add(ib, cidr);
	}
	for (int i = 0; i < N_ADD_A; i += 2) {
		nth_addr(cidr, sizeof(cidr), 8, i);
		addr_del(ia, cidr);
	}
	print_message("flood: %d changes in %lld ms\n",
		      N_ADD_A + N_ADD_B + N_ADD_A / 2, now_ms() - t0);
}

static void overrun_run(struct fx *f, bool no_resync, struct nlmon_stats *st)
{
	struct nlmon_opts o = { .rcvbuf = 4096, .no_resync = no_resync };
	int ia, ib;

	veth_add(f, "vo8", "vo8p");
	veth_add(f, "vp8", "vp8p");
	ia = ifx("vo8");
	ib = ifx("vp8");
	fx_open(f, &o);         /* after the veths: the dump has them */
	assert_non_null(tab_link(f, ia));
	assert_non_null(tab_link(f, ib));

	flood(ia, ib);
	nlmon_read(f->m);       /* resume: first read, then until quiet */
	drain(f, 300);
	nlmon_get_stats(f->m, st);
	print_message("overrun: %" PRIu64 " messages, %" PRIu64 " overruns, %"
		      PRIu64 " resyncs, table %zu addresses\n", st->messages,
		      st->overruns, st->resyncs, addrtab_naddrs(f->tab));
	assert_true(st->overruns > 0);
	assert_int_equal(st->foreign, 0);
	assert_int_equal(st->malformed, 0);
}

/* 8a: after an overrun the resync makes the table right again. */
/* The same comparison against what iproute2 prints (ip -j addr), a second
 * and independent reader of the kernel's addresses.  The JSON is read by
 * keys in document order: each address object has "family", "local" and
 * then "prefixlen", inside an interface object that began with "ifindex". */
static bool table_is_ip_json(const struct fx *f, char *why, size_t len)
{
	FILE *p = popen("ip -j addr show", "r");
	char *out = NULL, *c;
	size_t cap = 0, n = 0, r;
	int ifindex = 0, family = 0, prefix;
	char local[INET6_ADDRSTRLEN + 1] = "";
	size_t seen = 0;

	assert_non_null(p);
	do {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			out = realloc(out, cap + 1);
			assert_non_null(out);
		}
		r = fread(out + n, 1, 65536, p);
		n += r;
	} while (r > 0);
	assert_int_equal(pclose(p), 0);
	out[n] = '\0';
	snprintf(why, len, "same");
	for (c = out; *c; c++) {
#define AT(key) (!strncmp(c, key, sizeof(key) - 1))
		if (AT("\"ifindex\":")) {
			ifindex = atoi(c + 10);
		} else if (AT("\"family\":\"inet\"")) {
			family = AF_INET;
		} else if (AT("\"family\":\"inet6\"")) {
			family = AF_INET6;
		} else if (AT("\"local\":\"")) {
			sscanf(c + 9, "%46[^\"]", local);
		} else if (AT("\"prefixlen\":") && *local) {
			struct host_addr k = { .ifindex = ifindex, .family = family };
			bool found = false;

			prefix = atoi(c + 12);
			k.prefixlen = (uint8_t)prefix;
			assert_int_equal(inet_pton(family, local, k.a.raw), 1);
			for (size_t i = 0; i < addrtab_naddrs(f->tab) && !found; i++)
				found = host_addr_same(addrtab_addr(f->tab, i), &k);
			if (!found) {
				snprintf(why, len, "ip -j addr has %s/%d on %d, the table not",
					 local, prefix, ifindex);
				free(out);
				return false;
			}
			seen++;
			local[0] = '\0';
		}
	}
#undef AT
	free(out);
	if (seen != addrtab_naddrs(f->tab)) {
		snprintf(why, len, "ip -j addr has %zu addresses, the table %zu", seen,
			 addrtab_naddrs(f->tab));
		return false;
	}
	return true;
}

static void test_overrun_resync(void **state)
{
	struct fx *f = *state;
	struct nlmon_stats st;
	char why[160];

	overrun_run(f, false, &st);
	assert_true(st.resyncs > 0);
	if (!table_is_kernel(f, why, sizeof(why)))
		fail_msg("table differs from the kernel after resync: %s", why);
	if (!table_is_ip_json(f, why, sizeof(why)))
		fail_msg("table differs from ip -j addr after resync: %s", why);
	assert_int_equal(tab_naddrs_on(f, ifx("vo8")), N_ADD_A / 2);
	assert_int_equal(tab_naddrs_on(f, ifx("vp8")), N_ADD_B);
}

/* 8b: the same without resync leaves the table wrong, so 8a would catch a
 * resync that did nothing; an explicit resync then repairs it. */
static void test_overrun_no_resync(void **state)
{
	struct fx *f = *state;
	struct nlmon_stats st;
	char why[160];

	overrun_run(f, true, &st);
	assert_int_equal(st.resyncs, 0);
	if (table_is_kernel(f, why, sizeof(why)))
		fail_msg("table equals the kernel although events were dropped "
			 "and not resynced: the overrun test proves nothing");
	print_message("no resync: %s\n", why);
	if (table_is_ip_json(f, why, sizeof(why)))
		fail_msg("table equals ip -j addr although events were dropped");

	assert_int_equal(nlmon_resync(f->m), 0);
	if (!table_is_kernel(f, why, sizeof(why)))
		fail_msg("table differs from the kernel after nlmon_resync: %s", why);
	if (!table_is_ip_json(f, why, sizeof(why)))
		fail_msg("table differs from ip -j addr after nlmon_resync: %s", why);
}

/* 8c: a dump that the kernel interrupts (NLM_F_DUMP_INTR, because addresses
 * changed while it ran) must be redone, and must not leave the monitor
 * unable to dump again.  A child process adds and deletes one address
 * without pause while the table holds enough addresses for the dump to take
 * several reads; once it stops, a resync must succeed and be right. */
static void test_resync_interrupted(void **state)
{
	struct fx *f = *state;
	int ix, gaveup = 0, bad = 0, first_bad = 0, last;
	char cidr[32], why[160];

	veth_add(f, "vi8", "vi8p");
	ix = ifx("vi8");
	for (int i = 0; i < 3000; i++) {
		nth_addr(cidr, sizeof(cidr), 20, i);
		addr_add(ix, cidr);
	}
	fx_open(f, NULL);

	f->churn = fork();
	assert_true(f->churn >= 0);
	if (f->churn == 0) {
		/* Own socket: the parent's must not see our acks. */
		struct nl_sock *sk = nl_socket_alloc();

		if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0)
			_exit(1);
		drv = sk;
		for (;;) {
			addr_change(ix, "10.21.0.1/32", true);
			addr_change(ix, "10.21.0.1/32", false);
		}
	}
	for (int i = 0; i < 20; i++) {
		int err = nlmon_resync(f->m);

		/* -EAGAIN (still interrupted after every retry) is allowed
		 * while the churn goes on; anything else is noted. */
		if (err == -EAGAIN)
			gaveup++;
		else if (err && !first_bad)
			first_bad = err;
		bad += err && err != -EAGAIN;
	}
	kill(f->churn, SIGKILL);
	waitpid(f->churn, NULL, 0);
	f->churn = 0;
	print_message("resync during churn: %d of 20 gave up, %d failed%s%s\n",
		      gaveup, bad, first_bad ? ", first with " : "",
		      first_bad ? strerror(-first_bad) : "");

	/* Quiet now: one resync must do it, and get it right.  (Not via
	 * nlmon_read: the events queued meanwhile are older than the dump.) */
	last = nlmon_resync(f->m);
	if (bad || last)
		fail_msg("nlmon_resync failed %d of 20 times during the churn "
			 "(first: %s) and %s after it stopped",
			 bad, first_bad ? strerror(-first_bad) : "-",
			 last ? strerror(-last) : "succeeded");
	if (!table_is_kernel(f, why, sizeof(why)))
		fail_msg("table differs from the kernel: %s", why);
}

/* ------------------------------------------------------ foreign senders */

/* An RTM_NEWADDR for 192.0.2.99/32 on lo, as a liar would send it. */
static size_t fake_newaddr(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct in_addr a;

	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_index = (unsigned int)ifx("lo");
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	inet_pton(AF_INET, "192.0.2.99", &a);
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(a), &a);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(a), &a);
	return nlh->nlmsg_len;
}

/* 9: messages from userspace are not the kernel's word: neither one sent
 * straight to the monitor's port id (getsockname on nlmon_fd tells it) nor
 * one multicast to the address group (root may do that). */
static void test_foreign_ignored(void **state)
{
	struct fx *f = *state;
	char buf[256] __attribute__((aligned(4)));
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(me);
	struct nlmon_stats st;
	size_t len;
	int s;

	fx_open(f, NULL);
	assert_int_equal(getsockname(nlmon_fd(f->m), (struct sockaddr *)&me, &sl), 0);
	assert_true(me.nl_pid != 0);
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	assert_true(s >= 0);
	len = fake_newaddr(buf);

	to.nl_pid = me.nl_pid;
	assert_int_equal(sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)len);
	WAIT_UNTIL(f, WAIT_MS, (nlmon_get_stats(f->m, &st), st.foreign >= 1));

	to.nl_pid = 0;
	to.nl_groups = 1u << (RTNLGRP_IPV4_IFADDR - 1);
	if (sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len)
		WAIT_UNTIL(f, WAIT_MS, (nlmon_get_stats(f->m, &st), st.foreign >= 2));
	else
		print_message("multicast from userspace refused (%s): "
			      "only the unicast case ran\n", strerror(errno));
	close(s);

	assert_null(tab_addr(f, ifx("lo"), "192.0.2.99/32"));
	assert_null(first_event(f, ADDRTAB_ADDR_NEW, ifx("lo"), "192.0.2.99/32"));
	nlmon_get_stats(f->m, &st);
	assert_int_equal(st.malformed, 0);
}

/* 10: a bridge port's AF_BRIDGE link messages (RTM_NEWLINK when it joins,
 * RTM_DELLINK when it leaves) are not about the link: the veth and its
 * address stay in the table, usable, through enslave and release. */
static void test_bridge_port(void **state)
{
	struct fx *f = *state;
	const char *v4 = "10.14.0.1/24";
	int ix, br;

	fx_open(f, NULL);
	f->p = policy_new("default");
	assert_non_null(f->p);
	assert_int_equal(policy_allow(f->p, "vb14"), 0);
	veth_up(f, "vb14", "vb14p");
	ix = ifx("vb14");
	addr_add(ix, v4);
	WAIT_UNTIL(f, WAIT_MS, usable(f, f->p, ix, v4));
	nlcheck(rtnl_link_bridge_add(drv, "br14"), "bridge add br14");
	br = ifx("br14");
	f->made[f->nmade++] = br;
	link_up("br14");

	nlcheck(rtnl_link_enslave_ifindex(drv, br, ix), "enslave vb14");
	drain(f, 300);
	assert_non_null(tab_link(f, ix));
	assert_true(usable(f, f->p, ix, v4));
	nlcheck(rtnl_link_release_ifindex(drv, ix), "release vb14");
	drain(f, 300);
	assert_non_null(tab_link(f, ix));
	assert_string_equal(tab_link(f, ix)->name, "vb14");
	assert_true(usable(f, f->p, ix, v4));
	assert_true(desired_has(f, f->p, AF_INET, "10.14.0.1"));
	assert_int_equal(count_events(f, ADDRTAB_LINK_GONE, ix), 0);
	assert_int_equal(count_events(f, ADDRTAB_ADDR_GONE, ix), 0);
}

/* A socket made in another network namespace, and its twin made here. */
static void two_sockets(int *here, int *there)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	assert_true(self >= 0);
	*here = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(*here >= 0);
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	*there = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_int_equal(setns(self, CLONE_NEWNET), 0);
	close(self);
	assert_true(*there >= 0);
}

/* 11: a socket of another namespace is refused at registration, before
 * anything else is looked at, with a reason that says so; one of this
 * namespace passes that check and is refused (being UDP) for what it is.
 * The host has no SCTP: the check runs first for any socket, and the VM
 * tier repeats this with a real SCTP socket. */
static void test_foreign_netns_refused(void **state)
{
	struct msock *s = NULL;
	char why[256];
	int here, there;

	(void)state;
	two_sockets(&here, &there);
	assert_int_equal(sknetns_same(here, NULL), 1);
	assert_int_equal(sknetns_same(there, NULL), 0);
	/* The fallback for kernels before 5.14 gives the same answers. */
	assert_int_equal(sknetns_same_nsfd(here), 1);
	assert_int_equal(sknetns_same_nsfd(there), 0);

	assert_int_equal(msock_open(there, &s, why, sizeof(why)), -EXDEV);
	assert_non_null(strstr(why, "another network namespace"));
	assert_int_equal(msock_open(here, &s, why, sizeof(why)), -EPROTONOSUPPORT);
	assert_string_equal(why, "not an SCTP socket");
	assert_null(s);
	close(here);
	close(there);
}

/* A main-table route to dst (e.g. "10.9.0.0/24") through ifindex. */
static void route_add(int ifindex, const char *dst)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *d;

	assert_non_null(r);
	assert_non_null(nh);
	nlcheck(nl_addr_parse(dst, AF_INET, &d), dst);
	rtnl_route_set_family(r, AF_INET);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_scope(r, RT_SCOPE_LINK);
	nlcheck(rtnl_route_set_dst(r, d), dst);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(r, nh);
	nlcheck(rtnl_route_add(drv, r, NLM_F_CREATE | NLM_F_EXCL), dst);
	nl_addr_put(d);
	rtnl_route_put(r);
}

/* 10: the kernel announces an IPv4 address (RTM_NEWADDR) before it installs
 * the local route that bind() checks; that route's RTM_NEWROUTE reaches the
 * table's callback as ADDRTAB_ADDR_BINDABLE, after the address's NEW.  No
 * other route passes the socket filter: 300 main-table routes added while
 * the monitor does not read (receive buffer at its minimum; without the
 * filter 30 are enough to overrun it) overrun nothing, and bring no event. */
static void test_local_route_event(void **state)
{
	struct fx *f = *state;
	struct nlmon_opts o = { .rcvbuf = 4096 };
	struct nlmon_stats st;
	size_t i_new = SIZE_MAX, i_bind = SIZE_MAX, before;
	uint64_t overruns;
	char dst[32];
	int ia;

	fx_open(f, &o);
	assert_true(nlmon_route_events(f->m));
	veth_up(f, "vr", "vrp");
	ia = ifx("vr");
	addr_add(ia, "10.5.0.1/24");
	WAIT_UNTIL(f, WAIT_MS, first_event(f, ADDRTAB_ADDR_BINDABLE, ia, "10.5.0.1/32"));
	for (size_t i = 0; i < f->nev; i++) {
		struct host_addr n = mk(ia, "10.5.0.1/24"), b = mk(ia, "10.5.0.1/32");

		if (i_new == SIZE_MAX && f->ev[i].ev == ADDRTAB_ADDR_NEW &&
		    host_addr_same(&f->ev[i].a, &n))
			i_new = i;
		if (i_bind == SIZE_MAX && f->ev[i].ev == ADDRTAB_ADDR_BINDABLE &&
		    host_addr_same(&f->ev[i].a, &b))
			i_bind = i;
	}
	assert_true(i_new < i_bind);

	drain(f, 100);
	before = f->nev;
	/* Creating the veth may have overrun the small buffer already. */
	nlmon_get_stats(f->m, &st);
	overruns = st.overruns;
	for (int i = 0; i < 300; i++) {
		snprintf(dst, sizeof(dst), "10.%d.%d.0/24", 100 + i / 200, i % 200);
		route_add(ia, dst);
	}
	drain(f, 200);
	nlmon_get_stats(f->m, &st);
	assert_int_equal(st.overruns, overruns);
	assert_int_equal(f->nev, before);
}

/* ------------------------------------------------------------------ main */

static int group_setup(void **state)
{
	(void)state;
	drv = nl_socket_alloc();
	if (!drv || nl_connect(drv, NETLINK_ROUTE) < 0)
		return -1;
	/* lo's addresses are part of the table like any other's. */
	link_up("lo");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	nl_socket_free(drv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allowlist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glob_deny, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dadfailed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_down_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrun_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrun_no_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resync_interrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bridge_port, setup, teardown),
		cmocka_unit_test(test_foreign_netns_refused),
		cmocka_unit_test_setup_teardown(test_local_route_event, setup, teardown),
	};

	/* Never the host's interfaces: a private namespace, or no test. */
	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "test_nlmon: cannot make a network namespace (%s); "
			"the netns tier needs root (CAP_SYS_ADMIN)\n", strerror(errno));
		return 2;
	}
	return cmocka_run_group_tests_name("netns", tests, group_setup, group_teardown);
}
