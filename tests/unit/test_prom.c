// SPDX-License-Identifier: GPL-2.0-or-later
/* The Prometheus text writer behind asconfctl metrics: HELP and TYPE before
 * the samples, label values and help text escaped, values exact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../agent/daemon/status/prom.h"

struct sink {
	char text[8192];
	size_t len;
};

static void collect(void *ctx, const char *line)
{
	struct sink *s = ctx;
	size_t n = strlen(line);

	assert_true(s->len + n + 1 < sizeof(s->text));
	memcpy(s->text + s->len, line, n);
	s->len += n;
	s->text[s->len++] = '\n';
	s->text[s->len] = '\0';
}

static void families_and_labels(void **state)
{
	struct sink s = { .len = 0 };
	struct prom p = { collect, &s, 0 };
	const char *const l1[] = { "op", "add", "result", "ok", NULL };
	const char *const l2[] = { "command", "a\"b\\c\nd", NULL };

	(void)state;
	prom_family(&p, "x_total", "counter", "Things\\done\nhere.");
	prom_sample(&p, "x_total", NULL, 0);
	prom_sample(&p, "x_total", l1, UINT64_MAX);
	prom_family(&p, "g", "gauge", "A gauge.");
	prom_sample(&p, "g", l2, 7);
	assert_int_equal(p.failed, 0);
	assert_string_equal(s.text,
		"# HELP x_total Things\\\\done\\nhere.\n"
		"# TYPE x_total counter\n"
		"x_total 0\n"
		"x_total{op=\"add\",result=\"ok\"} 18446744073709551615\n"
		"# HELP g A gauge.\n"
		"# TYPE g gauge\n"
		"g{command=\"a\\\"b\\\\c\\nd\"} 7\n");
}

/* A process may name itself anything but NUL (prctl PR_SET_NAME): the
 * label stays one line of valid UTF-8, quotes closed, whatever it is. */
static void hostile_command_names(void **state)
{
	static const struct {
		const char *comm, *want;
	} cases[] = {
		{ "a|b=1;2", "a|b=1;2" },
		{ "\"x\\y", "\\\"x\\\\y" },
		{ "a\nb", "a\\nb" },
		{ "\xff\xc3", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc3\xa9t\xc3", "\xc3\xa9t\xef\xbf\xbd" },        /* é kept, a cut one not */
		{ "\x1b[2J\r\t\x7f", "\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* a surrogate */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sink s = { .len = 0 };
		struct prom p = { collect, &s, 0 };
		const char *const l[] = { "command", cases[i].comm, "port", "5000", NULL };
		char want[256];

		prom_sample(&p, "g", l, 1);
		assert_int_equal(p.failed, 0);
		snprintf(want, sizeof(want), "g{command=\"%s\",port=\"5000\"} 1\n", cases[i].want);
		assert_string_equal(s.text, want);
	}
}

static void overlong_line_fails(void **state)
{
	struct sink s = { .len = 0 };
	struct prom p = { collect, &s, 0 };
	char big[4096];
	const char *const l[] = { "v", big, NULL };

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	prom_sample(&p, "m", l, 1);
	assert_int_equal(p.failed, 1);
	assert_int_equal(s.len, 0);
}

/* A summary's _sum in seconds, from ns, exactly (no float rounding). */
static void seconds_from_ns(void **state)
{
	struct sink s = { .len = 0 };
	struct prom p = { collect, &s, 0 };
	const char *const l[] = { "a", "b", NULL };

	(void)state;
	prom_family(&p, "d_seconds", "summary", "Durations.");
	prom_sample_ns(&p, "d_seconds_sum", NULL, 0);
	prom_sample_ns(&p, "d_seconds_sum", l, 1000250000);
	prom_sample_ns(&p, "d_seconds_sum", NULL, 999);
	prom_sample(&p, "d_seconds_count", NULL, 3);
	prom_sample_ns(&p, "d_seconds_sum", NULL, UINT64_MAX);
	assert_int_equal(p.failed, 0);
	assert_string_equal(s.text,
		"# HELP d_seconds Durations.\n"
		"# TYPE d_seconds summary\n"
		"d_seconds_sum 0.000000000\n"
		"d_seconds_sum{a=\"b\"} 1.000250000\n"
		"d_seconds_sum 0.000000999\n"
		"d_seconds_count 3\n"
		"d_seconds_sum 18446744073.709551615\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(families_and_labels),
		cmocka_unit_test(hostile_command_names),
		cmocka_unit_test(overlong_line_fails),
		cmocka_unit_test(seconds_from_ns),
	};

	return cmocka_run_group_tests_name("prom", tests, NULL, NULL);
}
