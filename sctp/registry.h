/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The managed sockets, with who handed each one over and under which policy. */
#ifndef ASCONF_SCTP_REGISTRY_H
#define ASCONF_SCTP_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct msock;
struct policy;
struct registry;

struct reg_entry {
	unsigned int id;
	int owner;                      /* control connection, or -1 */
	pid_t pid;                      /* owner process: released when it exits */
	int appfd;                      /* the owner's fd number, -1 if unknown */
	struct msock *sock;
	const struct policy *policy;
	bool announce_checked;          /* asked once whether peers are told */
	bool adopted;                   /* found on the host by its policy's adopt-* rules */
	bool narrowed;                  /* bound to its policy's addresses instead of the wildcard */
};

struct registry *registry_new(void);
void registry_free(struct registry *r);

/* Sockets are told apart by inode and cookie (msock_same_id): two sockets
 * with one inode, the counter having wrapped, are two entries.  A cookie
 * of 0 (the kernel has none, or the caller knows only the inode) matches
 * any entry of the inode. */

/* Takes ownership of s on success.  -EALREADY if its socket is managed. */
int registry_add(struct registry *r, struct msock *s, int owner, pid_t pid,
		 const struct policy *p, unsigned int *id);
/* Removes the owner's socket with this identity: 0 or -ENOENT. */
int registry_remove(struct registry *r, int owner, ino_t ino, uint64_t cookie);
/* Removes all the owner's sockets; returns how many. */
size_t registry_remove_owner(struct registry *r, int owner);

/* Removes every socket owned by pid; returns how many. */
size_t registry_remove_pid(struct registry *r, pid_t pid);
/* The entry for a socket, or NULL. */
struct reg_entry *registry_find(struct registry *r, ino_t ino, uint64_t cookie);
/* Removes the entry for a socket, whoever owns it: 0 or -ENOENT. */
int registry_remove_inode(struct registry *r, ino_t ino, uint64_t cookie);

/* Who a socket is managed for, as far as sharing its port goes: sockets
 * of one port share it while asconfd ADDs an address (the lease,
 * agent/daemon/pass/pass.c), and sharing lets one take an address:port the other
 * holds.  So only one owner's sockets do: the same socket uid, and an
 * adopted socket only with the same process's or, when its policy names
 * commands (adopt-commands), with sockets that policy adopted too.
 * Another owner's socket could otherwise receive associations meant for
 * a root-owned address:port. */
struct reg_owner {
	uid_t uid;
	pid_t pid;
	bool adopted, by_commands;
	const void *policy;             /* compared, never followed */
};
struct reg_owner registry_owner(const struct reg_entry *e);
bool registry_same_owner(const struct reg_owner *a, const struct reg_owner *b);

size_t registry_count(const struct registry *r);
struct reg_entry *registry_at(struct registry *r, size_t i);
/* The managed sockets bound to a port, in no particular order, each in
 * O(1): the first (NULL: none), then the one after e, until NULL.  A
 * change of the registry ends the walk. */
struct reg_entry *registry_port_first(struct registry *r, uint16_t port);
struct reg_entry *registry_port_next(struct registry *r, const struct reg_entry *e);

#endif
