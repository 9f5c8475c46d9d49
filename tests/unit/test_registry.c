// SPDX-License-Identifier: GPL-2.0-or-later
/* The registry against a plain model: random hand-overs and removals (by
 * owner, by pid, by inode, by owner and inode) keep the hand-over order,
 * the index by inode finds exactly the managed sockets, and the index by
 * port chains exactly the sockets of each port.  The host has
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

static struct msock *new_sock_on(uint16_t port)
{
	int fd = fakesctp_socket(port, (const uint32_t[]){ 0x7f000001u }, 1);
	struct msock *s = NULL;
	char why[256];

	assert_true(fd >= 0);
	assert_int_equal(msock_open(fd, &s, why, sizeof(why)), 0);
	return s;
}

struct model {
	ino_t ino;
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
		assert_ptr_equal(registry_find(r, m[i].ino), e);
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
			struct msock *s = new_sock_on((seed >> 12) % 8 ? ports[(seed >> 20) % NPORTS]
								     : next_own_port++);
			int owner = (int)((seed >> 8) % 7);
			pid_t pid = (pid_t)(100 + (seed >> 4) % 5);
			unsigned int id;

			assert_int_equal(registry_add(r, s, owner, pid, NULL, &id), 0);
			assert_int_equal(id, ++next_id);
			m[n++] = (struct model){ msock_inode(s), owner, pid, id };
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

			if (what < 91) {
				/* By the wrong owner: nothing; by the right one: gone. */
				assert_int_equal(registry_remove(r, m[i].owner + 1, ino), -ENOENT);
				assert_int_equal(registry_remove(r, m[i].owner, ino), 0);
			} else {
				assert_int_equal(registry_remove_inode(r, ino), 0);
			}
			assert_int_equal(registry_remove_inode(r, ino), -ENOENT);
			assert_null(registry_find(r, ino));
			memmove(&m[i], &m[i + 1], (n - i - 1) * sizeof(*m));
			n--;
		}
		check(r, m, n);
	}
	registry_free(r);
	fakesctp_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_against_model),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
