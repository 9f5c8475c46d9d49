// SPDX-License-Identifier: GPL-2.0-or-later
/* The status JSON writer: structure, escaping, invalid UTF-8, and the
 * line-at-a-time output the control protocol relies on.  (The cli tier
 * parses the writer's output back with jq.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "../../agent/daemon/status/json.h"

struct sink {
	char text[4096];
	size_t len;
	int lines;
};

static void collect(void *ctx, const char *line)
{
	struct sink *s = ctx;
	size_t n = strlen(line);

	assert_true(s->len + n + 1 < sizeof(s->text));
	assert_null(strchr(line, '\n'));
	memcpy(s->text + s->len, line, n);
	s->len += n;
	s->text[s->len++] = '\n';
	s->text[s->len] = '\0';
	s->lines++;
}

static void structure(void **state)
{
	struct sink s = { .len = 0 };
	struct json j;

	(void)state;
	json_init(&j, collect, &s);
	json_object(&j, NULL);
	json_int(&j, "schema", 1);
	json_array(&j, "empty");
	json_end(&j);
	json_object(&j, "o");
	json_uint(&j, "big", UINT64_MAX);
	json_int(&j, "neg", -5);
	json_bool(&j, "t", true);
	json_null(&j, "n");
	json_str(&j, "s", NULL);
	json_end(&j);
	json_array(&j, "a");
	json_str(&j, NULL, "x");
	json_object(&j, NULL);
	json_end(&j);
	json_end(&j);
	json_end(&j);
	assert_int_equal(json_finish(&j), 0);
	assert_string_equal(s.text,
		"{\n"
		"  \"schema\": 1,\n"
		"  \"empty\": [],\n"
		"  \"o\": {\n"
		"    \"big\": 18446744073709551615,\n"
		"    \"neg\": -5,\n"
		"    \"t\": true,\n"
		"    \"n\": null,\n"
		"    \"s\": null\n"
		"  },\n"
		"  \"a\": [\n"
		"    \"x\",\n"
		"    {}\n"
		"  ]\n"
		"}\n");
}

static void escapes(void **state)
{
	struct sink s = { .len = 0 };
	struct json j;

	(void)state;
	json_init(&j, collect, &s);
	json_object(&j, NULL);
	json_str(&j, "q\"k", "a\"b\\c\n\t\r\x01\x1f/\x7f");
	/* Valid UTF-8 passes; a lone continuation byte, a truncated sequence,
	 * an overlong form and a surrogate become U+FFFD. */
	json_str(&j, "u", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	json_str(&j, "bad", "\x80|\xc3|\xc0\xaf|\xed\xa0\x80|\xff");
	json_end(&j);
	assert_int_equal(json_finish(&j), 0);
	assert_string_equal(s.text,
		"{\n"
		"  \"q\\\"k\": \"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f/\x7f\",\n"
		"  \"u\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\n"
		"  \"bad\": \"\\ufffd|\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\"\n"
		"}\n");
}

static void unbalanced_and_too_deep(void **state)
{
	struct sink s = { .len = 0 };
	struct json j;

	(void)state;
	json_init(&j, collect, &s);
	json_object(&j, NULL);
	json_array(&j, "open");
	assert_int_equal(json_finish(&j), -E2BIG);

	json_init(&j, collect, &s);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array(&j, NULL);
	assert_int_equal(json_finish(&j), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(structure),
		cmocka_unit_test(escapes),
		cmocka_unit_test(unbalanced_and_too_deep),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
