// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>

#include "msock.h"
#include "registry.h"

struct registry {
	struct reg_entry *v;
	size_t n, cap;
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
	free(r);
}

int registry_add(struct registry *r, struct msock *s, int owner, pid_t pid,
		 const struct policy *p, unsigned int *id)
{
	struct reg_entry *v;

	for (size_t i = 0; i < r->n; i++)
		if (msock_inode(r->v[i].sock) == msock_inode(s))
			return -EALREADY;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		v = reallocarray(r->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
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
	if (id)
		*id = v->id;
	return 0;
}

static void drop(struct registry *r, size_t i)
{
	msock_free(r->v[i].sock);
	/* Keep the order: the status lists sockets as they were handed over. */
	for (; i + 1 < r->n; i++)
		r->v[i] = r->v[i + 1];
	r->n--;
}

int registry_remove(struct registry *r, int owner, ino_t ino)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].owner == owner && msock_inode(r->v[i].sock) == ino) {
			drop(r, i);
			return 0;
		}
	return -ENOENT;
}

size_t registry_remove_owner(struct registry *r, int owner)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n;)
		if (r->v[i].owner == owner) {
			drop(r, i);
			k++;
		} else {
			i++;
		}
	return k;
}

size_t registry_remove_pid(struct registry *r, pid_t pid)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n;)
		if (r->v[i].pid == pid) {
			drop(r, i);
			k++;
		} else {
			i++;
		}
	return k;
}

struct reg_entry *registry_find(struct registry *r, ino_t ino)
{
	for (size_t i = 0; i < r->n; i++)
		if (msock_inode(r->v[i].sock) == ino)
			return &r->v[i];
	return NULL;
}

int registry_remove_inode(struct registry *r, ino_t ino)
{
	for (size_t i = 0; i < r->n; i++)
		if (msock_inode(r->v[i].sock) == ino) {
			drop(r, i);
			return 0;
		}
	return -ENOENT;
}

size_t registry_count(const struct registry *r)
{
	return r->n;
}

struct reg_entry *registry_at(struct registry *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}
