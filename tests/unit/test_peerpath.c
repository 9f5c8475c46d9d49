// SPDX-License-Identifier: GPL-2.0-or-later
/* Path states named by the running kernel's enum: SCTP_PF (Linux 3.6)
 * shifted ACTIVE and UNCONFIRMED up by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <cmocka.h>

#include "../../sctp/peerpath.h"

static void names_by_kernel(void **state)
{
	(void)state;
	/* 3.6 on: the header's own values. */
	assert_string_equal(peerpath_state_name_for(SCTP_INACTIVE, PEERPATH_ENUM_PF), "inactive");
	assert_string_equal(peerpath_state_name_for(SCTP_PF, PEERPATH_ENUM_PF),
			    "potentially-failed");
	assert_string_equal(peerpath_state_name_for(SCTP_ACTIVE, PEERPATH_ENUM_PF), "active");
	assert_string_equal(peerpath_state_name_for(SCTP_UNCONFIRMED, PEERPATH_ENUM_PF),
			    "unconfirmed");
	assert_string_equal(peerpath_state_name_for(0xffff, PEERPATH_ENUM_PF), "unknown");
	/* Before 3.6: 1 is ACTIVE, 2 UNCONFIRMED, 3 does not exist. */
	assert_string_equal(peerpath_state_name_for(0, PEERPATH_ENUM_OLD), "inactive");
	assert_string_equal(peerpath_state_name_for(1, PEERPATH_ENUM_OLD), "active");
	assert_string_equal(peerpath_state_name_for(2, PEERPATH_ENUM_OLD), "unconfirmed");
	assert_string_equal(peerpath_state_name_for(3, PEERPATH_ENUM_OLD), "unknown");
	/* Cannot tell which kernel: never a guess. */
	for (int s = 0; s < 4; s++)
		assert_string_equal(peerpath_state_name_for(s, PEERPATH_ENUM_UNKNOWN), "unknown");
	/* The set enum is the one used. */
	peerpath_set_kernel_enum(PEERPATH_ENUM_OLD);
	assert_string_equal(peerpath_state_name(1), "active");
	peerpath_set_kernel_enum(PEERPATH_ENUM_PF);
	assert_string_equal(peerpath_state_name(1), "potentially-failed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_by_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
