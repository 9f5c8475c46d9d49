// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msock.h"
#include "policy.h"
#include "registry.h"

/* Entries stay in hand-over order (the status lists them so).  An
 * open-addressing index by inode (linear probing) makes a hand-over and a
 * lookup O(1): with thousands of sockets a scan per request made handing
 * them over quadratic.  A second one by port heads a chain of the entries
 * of that port, for the same reason: a hand-over looks at the sockets
 * that share its port (its lease, agent/daemon/pass/pass.c).  Removals compact the
 * array and rebuild both once per call, however many entries go. */
struct registry {
	struct reg_entry *v;
	size_t *pnext;                  /* per entry: the next of its port, index + 1 */
	size_t n, cap;
	size_t *slot;                   /* by inode: index + 1 into v, 0 = empty */
	size_t *pslot;                  /* by port: the chain's head, index + 1 */
	size_t nslot;                   /* power of two, at least 2 * n */
	unsigned int next_id;
};

struct registry *registry_new(void)
{
	return calloc(1, sizeof(struct registry));
}

void registry_free(struct registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		msock_free(r->v[i].sock);
	free(r->v);
	free(r->pnext);
	free(r->slot);
	free(r->pslot);
	free(r);
}

static size_t ino_hash(ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h ^ (h >> 32));
}

static bool same(const struct reg_entry *e, ino_t ino, uint64_t cookie)
{
	return msock_same_id(msock_inode(e->sock), msock_cookie(e->sock), ino, cookie);
}

/* The slot holding the socket, or the empty slot where it would go.  The
 * hash is the inode's: sockets sharing one (a wrapped counter) probe on. */
static size_t slot_of(const struct registry *r, ino_t ino, uint64_t cookie)
{
	size_t mask = r->nslot - 1, i = ino_hash(ino) & mask;

	while (r->slot[i] && !same(&r->v[r->slot[i] - 1], ino, cookie))
		i = (i + 1) & mask;
	return i;
}

static size_t port_hash(uint16_t port)
{
	uint32_t h = (uint32_t)port * 0x9e3779b1u;

	return (size_t)(h ^ (h >> 16));
}

/* The slot heading port's chain, or the empty slot where it would go. */
static size_t pslot_of(const struct registry *r, uint16_t port)
{
	size_t mask = r->nslot - 1, i = port_hash(port) & mask;

	while (r->pslot[i] && msock_port(r->v[r->pslot[i] - 1].sock) != port)
		i = (i + 1) & mask;
	return i;
}

/* Entry i joins both indexes, at the head of its port's chain. */
static void index_entry(struct registry *r, size_t i)
{
	size_t p = pslot_of(r, msock_port(r->v[i].sock));

	r->slot[slot_of(r, msock_inode(r->v[i].sock), msock_cookie(r->v[i].sock))] = i + 1;
	r->pnext[i] = r->pslot[p];
	r->pslot[p] = i + 1;
}

static void index_all(struct registry *r)
{
	memset(r->slot, 0, r->nslot * sizeof(*r->slot));
	memset(r->pslot, 0, r->nslot * sizeof(*r->pslot));
	for (size_t i = r->n; i-- > 0;)
		index_entry(r, i);
}

static int reindex(struct registry *r, size_t nslot)
{
	size_t *s = calloc(nslot, sizeof(*s)), *p = calloc(nslot, sizeof(*p));

	if (!s || !p) {
		free(s);
		free(p);
		return -ENOMEM;
	}
	free(r->slot);
	free(r->pslot);
	r->slot = s;
	r->pslot = p;
	r->nslot = nslot;
	index_all(r);
	return 0;
}

static struct reg_entry *find(const struct registry *r, ino_t ino, uint64_t cookie)
{
	size_t i;

	if (!r->nslot)
		return NULL;
	i = slot_of(r, ino, cookie);
	return r->slot[i] ? &r->v[r->slot[i] - 1] : NULL;
}

int registry_add(struct registry *r, struct msock *s, int owner, pid_t pid,
		 const struct policy *p, unsigned int *id)
{
	struct reg_entry *v;
	size_t *pn;

	if (find(r, msock_inode(s), msock_cookie(s)))
		return -EALREADY;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		v = reallocarray(r->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->v = v;
		pn = reallocarray(r->pnext, cap, sizeof(*pn));
		if (!pn)
			return -ENOMEM;
		r->pnext = pn;
		r->cap = cap;
	}
	/* Keep the index at most half full. */
	if (2 * (r->n + 1) > r->nslot && reindex(r, r->nslot ? 2 * r->nslot : 32))
		return -ENOMEM;
	v = &r->v[r->n++];
	v->id = ++r->next_id;
	msock_set_id(s, v->id);
	v->owner = owner;
	v->pid = pid;
	v->appfd = -1;
	v->sock = s;
	v->policy = p;
	v->announce_checked = false;
	v->adopted = false;
	v->narrowed = false;
	index_entry(r, r->n - 1);
	if (id)
		*id = v->id;
	return 0;
}

enum which { BY_OWNER_INO, BY_OWNER, BY_PID, BY_INO };

struct key {
	int owner;
	pid_t pid;
	ino_t ino;
	uint64_t cookie;
};

static bool matches(const struct reg_entry *e, enum which w, const struct key *k)
{
	switch (w) {
	case BY_OWNER_INO: return e->owner == k->owner && same(e, k->ino, k->cookie);
	case BY_OWNER: return e->owner == k->owner;
	case BY_PID: return e->pid == k->pid;
	case BY_INO: return same(e, k->ino, k->cookie);
	}
	return false;
}

/* Frees the matching entries (at most one when once), keeps the others in
 * order, and rebuilds the index once.  Returns how many went. */
static size_t drop(struct registry *r, enum which w, const struct key *key, bool once)
{
	size_t k = 0, gone = 0;

	for (size_t i = 0; i < r->n; i++) {
		if ((!once || !gone) && matches(&r->v[i], w, key)) {
			msock_free(r->v[i].sock);
			gone++;
			continue;
		}
		r->v[k++] = r->v[i];
	}
	r->n = k;
	/* Fewer entries in the same slots: rebuilt in place, no allocation. */
	if (gone)
		index_all(r);
	return gone;
}

int registry_remove(struct registry *r, int owner, ino_t ino, uint64_t cookie)
{
	struct reg_entry *e = find(r, ino, cookie);

	if (!e || e->owner != owner)
		return -ENOENT;
	/* That entry's own identity: a cookie of 0 must not reach another. */
	drop(r, BY_OWNER_INO,
	     &(struct key){ .owner = owner, .ino = ino, .cookie = msock_cookie(e->sock) }, true);
	return 0;
}

size_t registry_remove_owner(struct registry *r, int owner)
{
	return drop(r, BY_OWNER, &(struct key){ .owner = owner }, false);
}

size_t registry_remove_pid(struct registry *r, pid_t pid)
{
	return drop(r, BY_PID, &(struct key){ .pid = pid }, false);
}

struct reg_entry *registry_find(struct registry *r, ino_t ino, uint64_t cookie)
{
	return find(r, ino, cookie);
}

int registry_remove_inode(struct registry *r, ino_t ino, uint64_t cookie)
{
	struct reg_entry *e = find(r, ino, cookie);

	if (!e)
		return -ENOENT;
	drop(r, BY_INO, &(struct key){ .ino = ino, .cookie = msock_cookie(e->sock) }, true);
	return 0;
}

size_t registry_count(const struct registry *r)
{
	return r->n;
}

struct reg_entry *registry_at(struct registry *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

struct reg_entry *registry_port_first(struct registry *r, uint16_t port)
{
	size_t i;

	if (!r->nslot)
		return NULL;
	i = pslot_of(r, port);
	return r->pslot[i] ? &r->v[r->pslot[i] - 1] : NULL;
}

struct reg_entry *registry_port_next(struct registry *r, const struct reg_entry *e)
{
	size_t next = r->pnext[(size_t)(e - r->v)];

	return next ? &r->v[next - 1] : NULL;
}

struct reg_owner registry_owner(const struct reg_entry *e)
{
	return (struct reg_owner){
		.uid = msock_uid(e->sock), .pid = e->pid, .adopted = e->adopted,
		.by_commands = e->adopted && policy_adopts_commands(e->policy),
		.policy = e->policy,
	};
}

bool registry_same_owner(const struct reg_owner *a, const struct reg_owner *b)
{
	if (a->uid != b->uid)
		return false;
	if (!a->adopted && !b->adopted)
		return true;
	if (a->pid == b->pid)
		return true;
	return a->adopted && b->adopted && a->by_commands && a->policy == b->policy;
}
