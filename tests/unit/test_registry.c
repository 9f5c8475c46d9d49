// SPDX-License-Identifier: GPL-2.0-or-later
/* The registry against a plain model: random hand-overs and removals (by
 * owner, by pid, by inode, by owner and inode) keep the hand-over order,
 * the index by inode finds exactly the managed sockets, and the index by
 * port chains exactly the sockets of each port.  Half the sockets share
 * a few inodes, as sockfs's 32-bit counter gives after it wrapped: each
 * is still itself, told apart by its cookie.  The host has
 * no SCTP: msock_open is given UDP sockets and the SCTP answers it asks
 * for come from the model in tests/fake/fakesctp.c. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "../../sctp/msock.h"
#include "../../sctp/registry.h"
#include "../fake/fakesctp.h"

/* Most sockets share one of a few ports, the others have one each. */
enum { NPORTS = 4 };
static const uint16_t ports[NPORTS] = { 5000, 5001, 5002, 5003 };
static uint16_t next_own_port = 6000;

/* ino 0: the socket's own inode and cookie. */
static struct msock *new_sock_id(uint16_t port, unsigned long long ino, uint64_t cookie)
{
	int fd = fakesctp_socket(port, (const uint32_t[]){ 0x7f000001u }, 1);
	struct msock *s = NULL;
	char why[256];

	assert_true(fd >= 0);
	if (ino)
		fakesctp_identity(fd, ino, cookie);
	assert_int_equal(msock_open(fd, &s, why, sizeof(why)), 0);
	if (ino) {
		assert_int_equal(msock_inode(s), ino);
		assert_int_equal(msock_cookie(s), cookie);
	}
	return s;
}

static struct msock *new_sock_on(uint16_t port)
{
	return new_sock_id(port, 0, 0);
}

/* Fake cookies far above the host's own, which count from 1 at boot. */
static uint64_t next_cookie = 1ull << 40;

struct model {
	ino_t ino;
	uint64_t cookie;
	int owner;
	pid_t pid;
	unsigned int id;
};

static void check(struct registry *r, const struct model *m, size_t n)
{
	assert_int_equal(registry_count(r), n);
	for (size_t i = 0; i < n; i++) {
		struct reg_entry *e = registry_at(r, i);

		assert_non_null(e);
		assert_int_equal(msock_inode(e->sock), m[i].ino);
		assert_int_equal(e->id, m[i].id);
		assert_int_equal(e->owner, m[i].owner);
		assert_int_equal(e->pid, m[i].pid);
		assert_int_equal(msock_cookie(e->sock), m[i].cookie);
		assert_ptr_equal(registry_find(r, m[i].ino, m[i].cookie), e);
	}
	assert_null(registry_at(r, n));
	/* Each port's chain: exactly the entries of that port, once each. */
	for (int p = 0; p < NPORTS; p++) {
		size_t want = 0, got = 0;

		for (size_t i = 0; i < n; i++)
			want += msock_port(registry_at(r, i)->sock) == ports[p];
		for (struct reg_entry *e = registry_port_first(r, ports[p]); e;
		     e = registry_port_next(r, e)) {
			assert_int_equal(msock_port(e->sock), ports[p]);
			assert_true(++got <= want);
		}
		assert_int_equal(got, want);
	}
	for (size_t i = 0; i < n; i++) {
		struct reg_entry *e = registry_at(r, i);
		uint16_t port = msock_port(e->sock);
		struct reg_entry *f = registry_port_first(r, port);

		if (port < 6000)
			continue;
		assert_ptr_equal(f, e);
		assert_null(registry_port_next(r, f));
	}
}

static void random_against_model(void **state)
{
	enum { MAX = 300 };
	struct registry *r = registry_new();
	struct model m[MAX];
	size_t n = 0;
	unsigned int seed = 7, next_id = 0;

	(void)state;
	assert_non_null(r);
	for (int step = 0; step < 4000; step++) {
		unsigned int what;

		seed = seed * 1103515245u + 12345u;
		what = (seed >> 16) % 100;
		if (what < 55 && n < MAX) {
			uint16_t port = (seed >> 12) % 8 ? ports[(seed >> 20) % NPORTS]
							  : next_own_port++;
			struct msock *s = (seed >> 24) % 2 ? new_sock_on(port)
				: new_sock_id(port, 4000000000ull + (seed >> 25) % 4, next_cookie++);
			int owner = (int)((seed >> 8) % 7);
			pid_t pid = (pid_t)(100 + (seed >> 4) % 5);
			unsigned int id;

			assert_int_equal(registry_add(r, s, owner, pid, NULL, &id), 0);
			assert_int_equal(id, ++next_id);
			m[n++] = (struct model){ msock_inode(s), msock_cookie(s), owner, pid, id };
		} else if (what < 65 && n) {
			/* The same socket again: refused, the registry unchanged. */
			struct reg_entry *e = registry_at(r, (seed >> 4) % n);
			int fd = fakesctp_dup(msock_fd(e->sock));
			struct msock *s;
			char why[256];

			assert_int_equal(msock_open(fd, &s, why, sizeof(why)), 0);
			assert_int_equal(registry_add(r, s, 0, 1, NULL, NULL), -EALREADY);
			msock_free(s);
		} else if (what < 75) {
			int owner = (int)((seed >> 8) % 7);
			size_t k = 0, gone = 0;

			for (size_t i = 0; i < n; i++)
				if (m[i].owner == owner)
					gone++;
				else
					m[k++] = m[i];
			assert_int_equal(registry_remove_owner(r, owner), gone);
			n = k;
		} else if (what < 82) {
			pid_t pid = (pid_t)(100 + (seed >> 4) % 5);
			size_t k = 0, gone = 0;

			for (size_t i = 0; i < n; i++)
				if (m[i].pid == pid)
					gone++;
				else
					m[k++] = m[i];
			assert_int_equal(registry_remove_pid(r, pid), gone);
			n = k;
		} else if (n) {
			size_t i = (seed >> 4) % n;
			ino_t ino = m[i].ino;
			uint64_t cookie = m[i].cookie;

			/* Another socket's cookie: not this one, whatever its inode
			 * (a host without SO_COOKIE has the inode alone). */
			if (cookie)
				assert_int_equal(registry_remove_inode(r, ino, next_cookie + 1), -ENOENT);
			if (what < 91) {
				/* By the wrong owner: nothing; by the right one: gone. */
				assert_int_equal(registry_remove(r, m[i].owner + 1, ino, cookie), -ENOENT);
				assert_int_equal(registry_remove(r, m[i].owner, ino, cookie), 0);
			} else {
				assert_int_equal(registry_remove_inode(r, ino, cookie), 0);
			}
			assert_int_equal(registry_remove_inode(r, ino, cookie), -ENOENT);
			assert_null(registry_find(r, ino, cookie));
			memmove(&m[i], &m[i + 1], (n - i - 1) * sizeof(*m));
			n--;
		}
		check(r, m, n);
	}
	registry_free(r);
	fakesctp_reset();
}

/* Two sockets, one inode (a wrapped counter): two entries, each found,
 * handed over again and removed as itself, never the other. */
static void wrapped_inode(void **state)
{
	struct registry *r = registry_new();
	struct msock *a = new_sock_id(5000, 77, 1001), *b = new_sock_id(5000, 77, 1002), *again;
	struct reg_entry *ea, *eb;
	unsigned int ida, idb;
	char why[256];

	(void)state;
	assert_int_equal(registry_add(r, a, 1, 100, NULL, &ida), 0);
	assert_int_equal(registry_add(r, b, 2, 200, NULL, &idb), 0);
	ea = registry_find(r, 77, 1001);
	eb = registry_find(r, 77, 1002);
	assert_non_null(ea);
	assert_non_null(eb);
	assert_int_equal(ea->id, ida);
	assert_int_equal(eb->id, idb);
	assert_null(registry_find(r, 77, 1003));
	/* The first socket again (a copy of it): it, not the other. */
	assert_int_equal(msock_open(fakesctp_dup(msock_fd(a)), &again, why, sizeof(why)), 0);
	assert_int_equal(registry_add(r, again, 3, 300, NULL, NULL), -EALREADY);
	msock_free(again);
	/* The owner of one cannot remove the other by their shared inode. */
	assert_int_equal(registry_remove(r, 1, 77, 1002), -ENOENT);
	assert_int_equal(registry_remove(r, 2, 77, 1002), 0);
	ea = registry_find(r, 77, 1001);
	assert_non_null(ea);
	assert_int_equal(ea->id, ida);
	assert_null(registry_find(r, 77, 1002));
	assert_int_equal(registry_remove_inode(r, 77, 1002), -ENOENT);
	assert_int_equal(registry_count(r), 1);
	registry_free(r);
	fakesctp_reset();
}

/* A kernel without SO_COOKIE (before 4.12): the inode alone, so a second
 * socket with a managed one's inode is taken for it (refused as managed),
 * never added beside it. */
static void no_cookie_inode_alone(void **state)
{
	struct registry *r = registry_new();
	struct msock *a = new_sock_id(5000, 88, 0), *b = new_sock_id(5000, 88, 0);

	(void)state;
	assert_int_equal(registry_add(r, a, 1, 100, NULL, NULL), 0);
	assert_int_equal(registry_add(r, b, 2, 200, NULL, NULL), -EALREADY);
	msock_free(b);
	assert_non_null(registry_find(r, 88, 0));
	/* A caller that knows a cookie still finds the entry that has none. */
	assert_non_null(registry_find(r, 88, 5));
	registry_free(r);
	fakesctp_reset();
}

/* Who shares a port's lease: one uid's handed-over sockets; adopted ones
 * only with the same process's, or within a policy that names commands. */
static void same_owner_rules(void **state)
{
	int pa, pb;
	struct reg_owner root = { .uid = 0, .pid = 10 }, root2 = { .uid = 0, .pid = 11 };
	struct reg_owner user = { .uid = 1000, .pid = 20 };
	struct reg_owner ad_root = { .uid = 0, .pid = 12, .adopted = true, .policy = &pa };
	struct reg_owner ad_root10 = { .uid = 0, .pid = 10, .adopted = true, .policy = &pa };
	struct reg_owner ad_cmd1 = { .uid = 0, .pid = 30, .adopted = true, .by_commands = true,
				     .policy = &pb };
	struct reg_owner ad_cmd2 = { .uid = 0, .pid = 31, .adopted = true, .by_commands = true,
				     .policy = &pb };
	struct reg_owner ad_user = { .uid = 1000, .pid = 30, .adopted = true, .by_commands = true,
				     .policy = &pb };

	(void)state;
	assert_true(registry_same_owner(&root, &root2));
	assert_false(registry_same_owner(&root, &user));
	assert_false(registry_same_owner(&user, &root));
	/* Adopted: another process of the same uid is another owner... */
	assert_false(registry_same_owner(&root, &ad_root));
	assert_false(registry_same_owner(&ad_root, &root2));
	/* ... unless it is the same process ... */
	assert_true(registry_same_owner(&root, &ad_root10));
	/* ... or its policy names the commands it adopts. */
	assert_true(registry_same_owner(&ad_cmd1, &ad_cmd2));
	assert_false(registry_same_owner(&ad_cmd1, &ad_root));
	/* Never across uids, whatever the rest. */
	assert_false(registry_same_owner(&ad_cmd1, &ad_user));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_owner_rules),
		cmocka_unit_test(wrapped_inode),
		cmocka_unit_test(no_cookie_inode_alone),
		cmocka_unit_test(random_against_model),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
