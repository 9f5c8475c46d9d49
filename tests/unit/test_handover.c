// SPDX-License-Identifier: GPL-2.0-or-later
/* A burst of hand-overs on one port, the daemon's own pass (agent_reconcile
 * with the new socket) against the model of the kernel's sockets with its
 * bind bucket (tests/fake/fakesctp.c): a one-to-one server's accepted
 * sockets, handed over together, each to get the followed address the
 * ones before it already hold.  Each ADD needs the port's sockets to share
 * it; the port's lease must be opened once for the burst, not once per
 * socket (which is quadratic), and the application's own SO_REUSEADDR and
 * SO_REUSEPORT must come back when it ends. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "../../common/log.h"
#include "../../netlink/addrtab.h"
#include "../../sctp/affect.h"
#include "../../sctp/msock.h"
#include "../../sctp/registry.h"
#include "../../agent/daemon/agent.h"
#include "../../agent/daemon/config/config.h"
#include "../fake/fakeagent.h"
#include "../fake/fakesctp.h"

#define PORT 6000
#define OWN 0x0a010001u         /* 10.1.0.1 on c1, not followed: the listener's */
#define NEW 0x0a020001u         /* 10.2.0.1 on eth1, followed */
#define BURST 200

struct fixture {
	struct fakeagent fa;
	int fd[BURST + 1];
	size_t n;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char why[256];

	assert_non_null(f);
	log_open("test_handover", false, LOG_ERR);
	if (fakeagent_open(&f->fa, "eth1", why, sizeof(why)))
		fail_msg("agent: %s", why);
	fakeagent_link(&f->fa, 2, "c1");
	fakeagent_link(&f->fa, 3, "eth1");
	fakeagent_v4(&f->fa, 2, OWN);
	fakeagent_v4(&f->fa, 3, NEW);
	fakesctp_reset();
	fakesctp_bucket();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fakeagent_close(&f->fa);        /* each socket's own options back */
	for (size_t i = 0; i < f->n; i++)
		close(f->fd[i]);
	fakesctp_reset();
	free(f);
	return 0;
}

/* A socket of the port bound to 10.1.0.1, with the application's own
 * SO_REUSEADDR (reuse), handed over: the manage request's pass. */
static void hand_over(struct fixture *f, int reuse)
{
	uint32_t own = OWN;
	struct reg_entry *e;
	struct msock *s;
	char why[256];
	int fd = fakesctp_socket(PORT, &own, 1);

	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse)), 0);
	f->fd[f->n++] = fd;
	assert_int_equal(msock_open(fd, &s, why, sizeof(why)), 0);
	assert_int_equal(registry_add(f->fa.ag.reg, s, -1, 0, config_policy_find(f->fa.ag.cfg, NULL),
				      NULL), 0);
	e = registry_find(f->fa.ag.reg, msock_inode(s), msock_cookie(s));
	assert_non_null(e);
	agent_reconcile(&f->fa.ag, e);
}

static bool holds(int fd, uint32_t a)
{
	uint32_t v[FAKESCTP_MAX_ADDRS];
	size_t n = fakesctp_bound(fd, v);

	for (size_t i = 0; i < n; i++)
		if (v[i] == a)
			return true;
	return false;
}

static int opt(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, SOL_SOCKET, name, &v, &len), 0);
	return v;
}

/* The loop's turn after the lease's deadline. */
static void after_linger(struct fixture *f)
{
	int t = agent_loop_timeout(&f->fa.ag);

	assert_true(t >= 0 && t <= 1000);
	usleep((useconds_t)(t + 2) * 1000);
	agent_loop_due(&f->fa.ag);
	assert_int_equal(agent_loop_timeout(&f->fa.ag), -1);
}

static void burst_opens_the_lease_once(void **state)
{
	struct fixture *f = *state;
	unsigned long sets;

	for (int i = 0; i < BURST; i++)
		hand_over(f, i == 7);   /* one application set SO_REUSEADDR itself */
	sets = fakesctp_calls.reuse_set;
	for (size_t i = 0; i < f->n; i++)
		assert_true(holds(f->fd[i], NEW));
	assert_int_equal(fakesctp_calls.bindx_failed, 0);
	/* Per socket: the test's own SO_REUSEADDR, two to share, two to
	 * give back.  Once per hand-over it was BURST^2 / 2 * 4. */
	printf("  %d hand-overs: %lu SO_REUSE* calls\n", BURST, sets);
	assert_true(sets <= 5ul * BURST);
	/* Still shared for the next hand-over, then the application's own. */
	assert_int_equal(opt(f->fd[0], SO_REUSEADDR), 1);
	after_linger(f);
	for (size_t i = 0; i < f->n; i++) {
		assert_int_equal(opt(f->fd[i], SO_REUSEADDR), i == 7);
		assert_int_equal(opt(f->fd[i], SO_REUSEPORT), 0);
	}
}

/* A full pass ends the lease first: its port runs open their own. */
static void full_pass_ends_the_lease(void **state)
{
	struct fixture *f = *state;

	hand_over(f, 0);
	hand_over(f, 0);
	assert_true(holds(f->fd[1], NEW));
	assert_int_equal(opt(f->fd[0], SO_REUSEADDR), 1);
	agent_reconcile(&f->fa.ag, NULL);
	assert_int_equal(opt(f->fd[0], SO_REUSEADDR), 0);
	assert_int_equal(opt(f->fd[1], SO_REUSEPORT), 0);
	assert_int_equal(agent_loop_timeout(&f->fa.ag), -1);
}

/* Nothing to add: no lease at all, no option touched. */
static void nothing_to_add_touches_nothing(void **state)
{
	struct fixture *f = *state;
	uint32_t both[2] = { OWN, NEW };
	unsigned long before;

	hand_over(f, 0);                /* alone on its port: no lease */
	assert_int_equal(agent_loop_timeout(&f->fa.ag), -1);
	before = fakesctp_calls.reuse_set;
	for (int i = 0; i < 20; i++) {
		struct msock *s;
		char why[256];
		int fd = fakesctp_socket(PORT, both, 2);

		assert_true(fd >= 0);
		f->fd[f->n++] = fd;
		assert_int_equal(msock_open(fd, &s, why, sizeof(why)), 0);
		assert_int_equal(registry_add(f->fa.ag.reg, s, -1, 0,
					      config_policy_find(f->fa.ag.cfg, NULL), NULL), 0);
		agent_reconcile(&f->fa.ag, registry_find(f->fa.ag.reg, msock_inode(s), msock_cookie(s)));
	}
	assert_int_equal(fakesctp_calls.reuse_set, before);
	assert_int_equal(agent_loop_timeout(&f->fa.ag), -1);
}

/* A hand-over on another port ends the lease of the first. */
static void another_port_ends_the_lease(void **state)
{
	struct fixture *f = *state;
	uint32_t own = OWN;
	struct msock *s;
	char why[256];
	int fd;

	hand_over(f, 0);
	hand_over(f, 0);
	assert_int_equal(opt(f->fd[0], SO_REUSEADDR), 1);
	fd = fakesctp_socket(PORT + 1, &own, 1);
	assert_true(fd >= 0);
	f->fd[f->n++] = fd;
	assert_int_equal(msock_open(fd, &s, why, sizeof(why)), 0);
	assert_int_equal(registry_add(f->fa.ag.reg, s, -1, 0, config_policy_find(f->fa.ag.cfg, NULL),
				      NULL), 0);
	agent_reconcile(&f->fa.ag, registry_find(f->fa.ag.reg, msock_inode(s), msock_cookie(s)));
	assert_true(holds(fd, NEW));
	assert_int_equal(opt(f->fd[0], SO_REUSEADDR), 0);
	assert_int_equal(opt(f->fd[1], SO_REUSEADDR), 0);
	assert_int_equal(opt(fd, SO_REUSEADDR), 0);     /* alone on its port */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(burst_opens_the_lease_once, setup, teardown),
		cmocka_unit_test_setup_teardown(full_pass_ends_the_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(nothing_to_add_touches_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(another_port_ends_the_lease, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
