// SPDX-License-Identifier: GPL-2.0-or-later
/* Whether peers are told, on kernels that can and cannot say: the fake
 * kernel (tests/fake/fakesctp.c) answers SCTP_ASCONF_SUPPORTED per
 * association, or refuses it with ENOPROTOOPT as every kernel before
 * Linux 5.4 does.  The status (JSON), the check and the metrics read the
 * same sockview; an association the kernel cannot say of is "unknown",
 * never "yes" and never "not told". */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../sctp/msock.h"
#include "../../sctp/registry.h"
#include "../../agent/daemon/status/sockview.h"
#include "../fake/fakesctp.h"

struct sock {
	int fd;
	struct msock *s;
	struct reg_entry e;
};

static void sock_open(struct sock *k, const int *asconf, size_t n, int ids_err)
{
	char why[256];

	memset(k, 0, sizeof(*k));
	k->fd = fakesctp_socket(5000, (const uint32_t[]){ 0x7f000001u }, 1);
	assert_true(k->fd >= 0);
	fakesctp_assocs(k->fd, asconf, n, ids_err);
	assert_int_equal(msock_open(k->fd, &k->s, why, sizeof(why)), 0);
	k->e.sock = k->s;
	k->e.pid = getpid();
}

static void sock_close(struct sock *k)
{
	msock_free(k->s);
	fakesctp_reset();
}

/* addip, the peers' answers, and what each view says. */
static void told(int addip, const int *asconf, size_t n, int ids_err, const char *json,
		 unsigned int untold, unsigned int unknown, int supported)
{
	struct sock k;
	struct sockview v;
	unsigned int nassoc;

	sock_open(&k, asconf, n, ids_err);
	assert_int_equal(sockview_get(&v, &k.e, addip), 0);
	assert_string_equal(sockview_peers_told(&v, addip), json);
	assert_int_equal(v.untold, untold);
	assert_int_equal(v.unknown, unknown);
	sockview_free(&v);
	assert_int_equal(msock_asconf_supported(k.s, &nassoc), supported);
	sock_close(&k);
}

static void kernel_says(void **state)
{
	(void)state;
	told(1, (const int[]){ 1, 1 }, 2, 0, "yes", 0, 0, 1);
	told(1, (const int[]){ 1, 0 }, 2, 0, "no", 1, 0, 0);
	told(1, NULL, 0, 0, "no-association", 0, 0, 1);
	/* addip off: every peer untold, whatever the kernel says. */
	told(0, (const int[]){ 1, 1 }, 2, 0, "addip-disabled", 2, 0, 1);
}

/* Before Linux 5.4: no SCTP_ASCONF_SUPPORTED.  Not "yes" by guess. */
static void kernel_cannot_say(void **state)
{
	(void)state;
	told(1, (const int[]){ -ENOPROTOOPT, -ENOPROTOOPT }, 2, 0, "unknown", 0, 2,
	     -ENOPROTOOPT);
	told(1, (const int[]){ -EINVAL }, 1, 0, "unknown", 0, 1, -EINVAL);
	/* One known "no" decides: that peer is not told. */
	told(1, (const int[]){ -ENOPROTOOPT, 0 }, 2, 0, "no", 1, 1, 0);
	/* addip off: not told, and not unknown (the pass does not ask). */
	told(0, (const int[]){ -ENOPROTOOPT }, 1, 0, "addip-disabled", 1, 0, -ENOPROTOOPT);
}

/* No SCTP_GET_ASSOC_ID_LIST: the associations cannot be listed. */
static void cannot_list(void **state)
{
	struct sock k;
	struct sockview v;
	unsigned int nassoc;

	(void)state;
	sock_open(&k, (const int[]){ 1 }, 1, ENOPROTOOPT);
	assert_int_equal(sockview_get(&v, &k.e, 1), 0);
	assert_int_equal(v.nassoc, -ENOPROTOOPT);
	assert_string_equal(sockview_peers_told(&v, 1), "unknown");
	sockview_free(&v);
	assert_int_equal(msock_asconf_supported(k.s, &nassoc), -ENOPROTOOPT);
	sock_close(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_says),
		cmocka_unit_test(kernel_cannot_say),
		cmocka_unit_test(cannot_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
