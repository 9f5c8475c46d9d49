// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fnmatch.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "policy.h"

struct globs {
	char **v;
	size_t n;
};

struct policy {
	char *name;
	struct globs allow, deny, prefer;
	bool deprecated, temporary, link_local, down_links;
	bool ipv4, ipv6;
	unsigned int hold_down_ms;
	bool no_narrow;                 /* narrow-wildcard = no */
	enum policy_empty narrow_empty;
	/* Adoption: sockets found on the host whose port and owner match. */
	uint16_t *adopt_ports;
	size_t nadopt_ports;
	struct globs adopt_comm;
};

struct policy *policy_new(const char *name)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->name = strdup(name);
	if (!p->name) {
		free(p);
		return NULL;
	}
	p->temporary = true;
	p->ipv4 = p->ipv6 = true;
	return p;
}

static void globs_free(struct globs *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i]);
	free(g->v);
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	globs_free(&p->allow);
	globs_free(&p->deny);
	globs_free(&p->prefer);
	globs_free(&p->adopt_comm);
	free(p->adopt_ports);
	free(p->name);
	free(p);
}

const char *policy_name(const struct policy *p)
{
	return p->name;
}

static int globs_add(struct globs *g, const char *glob)
{
	char **v;

	if (!*glob || strlen(glob) >= IFNAMSIZ * 4)
		return -EINVAL;
	v = reallocarray(g->v, g->n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	g->v = v;
	g->v[g->n] = strdup(glob);
	if (!g->v[g->n])
		return -ENOMEM;
	g->n++;
	return 0;
}

int policy_allow(struct policy *p, const char *glob)
{
	return globs_add(&p->allow, glob);
}

int policy_deny(struct policy *p, const char *glob)
{
	return globs_add(&p->deny, glob);
}

int policy_prefer(struct policy *p, const char *glob)
{
	return globs_add(&p->prefer, glob);
}

bool policy_steers(const struct policy *p)
{
	return p->prefer.n > 0;
}

void policy_set_deprecated(struct policy *p, bool usable) { p->deprecated = usable; }
void policy_set_temporary(struct policy *p, bool usable) { p->temporary = usable; }
void policy_set_link_local(struct policy *p, bool usable) { p->link_local = usable; }
void policy_set_down_links(struct policy *p, bool usable) { p->down_links = usable; }
void policy_set_hold_down(struct policy *p, unsigned int ms) { p->hold_down_ms = ms; }
unsigned int policy_hold_down(const struct policy *p) { return p->hold_down_ms; }

void policy_set_narrow(struct policy *p, bool narrow) { p->no_narrow = !narrow; }
bool policy_narrow(const struct policy *p) { return !p->no_narrow; }
void policy_set_narrow_empty(struct policy *p, enum policy_empty e) { p->narrow_empty = e; }
enum policy_empty policy_narrow_empty(const struct policy *p) { return p->narrow_empty; }

void policy_set_families(struct policy *p, bool ipv4, bool ipv6)
{
	p->ipv4 = ipv4;
	p->ipv6 = ipv6;
}

/* Index of the first glob matching name, or -1. */
static int globs_rank(const struct globs *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!fnmatch(g->v[i], name, 0))
			return (int)i;
	return -1;
}

static bool globs_match(const struct globs *g, const char *name)
{
	return globs_rank(g, name) >= 0;
}

bool policy_follows_any(const struct policy *p)
{
	return p->allow.n > 0;
}

bool policy_iface_selected(const struct policy *p, const char *ifname)
{
	return ifname && *ifname && globs_match(&p->allow, ifname) &&
	       !globs_match(&p->deny, ifname);
}

static bool is_loopback_addr(const struct host_addr *a)
{
	if (a->family == AF_INET)
		return a->a.raw[0] == 127;
	return IN6_IS_ADDR_LOOPBACK(&a->a.v6);
}

bool policy_addr_usable(const struct policy *p, const struct host_addr *a,
			const struct host_link *l)
{
	uint32_t f = a->flags;

	if (!l || (l->flags & IFF_LOOPBACK) || is_loopback_addr(a))
		return false;
	if (!p->down_links && !host_link_running(l))
		return false;
	if (f & IFA_F_DADFAILED)
		return false;
	/* Optimistic DAD lets the kernel use the address while tentative. */
	if ((f & IFA_F_TENTATIVE) && !(f & IFA_F_OPTIMISTIC))
		return false;
	if ((f & IFA_F_DEPRECATED) && !p->deprecated)
		return false;
	/* IPv4 uses the same bit for "secondary", which is a real address. */
	if (a->family == AF_INET6 && (f & IFA_F_TEMPORARY) && !p->temporary)
		return false;
	if (a->scope == RT_SCOPE_UNIVERSE || a->scope == RT_SCOPE_SITE)
		return true;
	return a->scope == RT_SCOPE_LINK && a->family == AF_INET6 && p->link_local;
}

static void addr_to_saddr(const struct host_addr *a, uint16_t port, struct saddr *s)
{
	memset(s, 0, sizeof(*s));
	s->family = a->family;
	memcpy(s->addr, a->a.raw, a->family == AF_INET ? 4 : 16);
	if (a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->a.v6))
		s->scope_id = (uint32_t)a->ifindex;
	s->port = port;
}

static bool family_fits(int sock_family, bool v6only, int addr_family)
{
	if (sock_family == AF_INET)
		return addr_family == AF_INET;
	return addr_family == AF_INET6 || !v6only;
}

/* The links the policy selects, by ifindex, for a binary search: a glob
 * match per link rather than per address. */
struct sel_link {
	int ifindex;
	const struct host_link *l;
};

static int sel_cmp(const void *x, const void *y)
{
	int a = ((const struct sel_link *)x)->ifindex, b = ((const struct sel_link *)y)->ifindex;

	return a < b ? -1 : a > b;
}

static int saddr_qcmp(const void *x, const void *y)
{
	return saddr_cmp(x, y);
}

/* Sorted by saddr_cmp, each address once (the same address may sit on two
 * links; bind it once).  With 10,000 host addresses a pass used to spend
 * a glob match per address and a quadratic duplicate check here. */
int policy_desired(const struct policy *p, const struct addrtab *t,
		   int family, bool v6only, uint16_t port, struct saddr **out)
{
	size_t n = addrtab_naddrs(t), nl = addrtab_nlinks(t), k = 0, ns = 0;
	struct saddr *v = calloc(n ? n : 1, sizeof(*v));
	struct sel_link *sel = calloc(nl ? nl : 1, sizeof(*sel));

	if (!v || !sel) {
		free(v);
		free(sel);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nl; i++) {
		const struct host_link *l = addrtab_link(t, i);

		if (policy_iface_selected(p, l->name))
			sel[ns++] = (struct sel_link){ l->ifindex, l };
	}
	qsort(sel, ns, sizeof(*sel), sel_cmp);
	for (size_t i = 0; ns && i < n; i++) {
		const struct host_addr *a = addrtab_addr(t, i);
		struct sel_link key = { a->ifindex, NULL }, *hit;

		if (!family_fits(family, v6only, a->family) ||
		    !(a->family == AF_INET ? p->ipv4 : p->ipv6) ||
		    !(hit = bsearch(&key, sel, ns, sizeof(*sel), sel_cmp)) ||
		    !policy_addr_usable(p, a, hit->l))
			continue;
		addr_to_saddr(a, port, &v[k++]);
	}
	free(sel);
	if (k > 1) {
		size_t u = 1;

		qsort(v, k, sizeof(*v), saddr_qcmp);
		for (size_t i = 1; i < k; i++)
			if (saddr_cmp(&v[i], &v[u - 1]))
				v[u++] = v[i];
		k = u;
	}
	*out = v;
	return (int)k;
}

/* Is host address h the socket address a (any port)? */
bool policy_is_host_addr(const struct host_addr *h, const struct saddr *a)
{
	struct saddr s;

	if (h->family != a->family)
		return false;
	addr_to_saddr(h, a->port, &s);
	return saddr_equal(&s, a);
}

/* The host's entries of socket address a (any link): each through the
 * table's index by address, not a scan of every host address. */
#define FOR_HOST_ADDR(h, t, a, cur) \
	for (size_t cur = 0; ((h) = addrtab_addr_next((t), (a)->family, (a)->addr, &cur)); ) \
		if (policy_is_host_addr((h), (a)))

size_t policy_app_owned(const struct policy *p, const struct addrtab *t,
			const struct saddr *bound, size_t nb, struct saddr *out)
{
	const struct host_addr *h;
	size_t k = 0;

	for (size_t i = 0; i < nb; i++) {
		bool ours = false;

		FOR_HOST_ADDR(h, t, &bound[i], cur) {
			const struct host_link *l = addrtab_link_find(t, h->ifindex);

			if (l && policy_iface_selected(p, l->name)) {
				ours = true;
				break;
			}
		}
		if (!ours)
			out[k++] = bound[i];
	}
	return k;
}

bool policy_app_usable(const struct policy *p, const struct addrtab *t,
		       const struct saddr *a)
{
	const struct host_addr *h;

	FOR_HOST_ADDR(h, t, a, cur) {
		const struct host_link *l = addrtab_link_find(t, h->ifindex);

		if (!l)
			continue;
		if (!p->down_links && !host_link_running(l))
			continue;
		if ((h->flags & IFA_F_DADFAILED) ||
		    ((h->flags & IFA_F_TENTATIVE) && !(h->flags & IFA_F_OPTIMISTIC)))
			continue;
		return true;
	}
	return false;
}

int policy_rank(const struct policy *p, const struct addrtab *t, const struct saddr *a)
{
	const struct host_addr *h;
	int best = -1;

	FOR_HOST_ADDR(h, t, a, cur) {
		const struct host_link *l = addrtab_link_find(t, h->ifindex);
		int r;

		if (!l)
			continue;
		r = globs_rank(&p->prefer, l->name);
		if (r >= 0 && (best < 0 || r < best))
			best = r;
	}
	return best;
}

bool policy_may_remove(const struct policy *p, const struct addrtab *t,
		       const struct saddr *a)
{
	const struct host_addr *h;

	FOR_HOST_ADDR(h, t, a, cur) {
		const struct host_link *l = addrtab_link_find(t, h->ifindex);

		if (!l || !policy_iface_selected(p, l->name))
			return false;   /* the application's, outside our policy */
	}
	return true;            /* gone from the host, or ours */
}

int policy_adopt_port(struct policy *p, uint16_t port)
{
	uint16_t *v;

	if (!port)
		return -EINVAL;
	for (size_t i = 0; i < p->nadopt_ports; i++)
		if (p->adopt_ports[i] == port)
			return -EEXIST;
	v = reallocarray(p->adopt_ports, p->nadopt_ports + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->adopt_ports = v;
	v[p->nadopt_ports++] = port;
	return 0;
}

int policy_adopt_command(struct policy *p, const char *glob)
{
	return globs_add(&p->adopt_comm, glob);
}

bool policy_adopts(const struct policy *p)
{
	return p->nadopt_ports || p->adopt_comm.n;
}

bool policy_adopts_commands(const struct policy *p)
{
	return p->adopt_comm.n;
}

bool policy_adopts_port(const struct policy *p, uint16_t port)
{
	if (!policy_adopts(p))
		return false;
	if (!p->nadopt_ports)
		return true;
	for (size_t i = 0; i < p->nadopt_ports; i++)
		if (p->adopt_ports[i] == port)
			return true;
	return false;
}

bool policy_adopt_match(const struct policy *p, uint16_t port, const char *comm)
{
	if (!policy_adopts_port(p, port))
		return false;
	if (!p->adopt_comm.n)
		return true;
	for (size_t i = 0; i < p->adopt_comm.n; i++)
		if (!fnmatch(p->adopt_comm.v[i], comm, 0))
			return true;
	return false;
}
