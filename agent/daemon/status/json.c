// SPDX-License-Identifier: GPL-2.0-or-later
/* Debian's JSON libraries (json-c, jansson, cJSON) build a tree first: one
 * allocation per value for a status of thousands of sockets, and a new
 * run-time dependency of the daemon, for what is here escaping and commas. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../common/utf8.h"
#include "json.h"

void json_init(struct json *j, json_line_fn emit, void *ctx)
{
	memset(j, 0, sizeof(*j));
	j->emit = emit;
	j->ctx = ctx;
}

static bool reserve(struct json *j, size_t more)
{
	char *p;
	size_t cap;

	if (j->failed)
		return false;
	if (j->len + more + 1 <= j->cap)
		return true;
	cap = j->cap ? j->cap : 256;
	while (j->len + more + 1 > cap)
		cap *= 2;
	p = realloc(j->buf, cap);
	if (!p) {
		j->failed = true;
		return false;
	}
	j->buf = p;
	j->cap = cap;
	return true;
}

static void put(struct json *j, const char *s, size_t n)
{
	if (!reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void putf(struct json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct json *j, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(j, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void flush(struct json *j)
{
	if (!j->len || j->failed)
		return;
	j->emit(j->ctx, j->buf);
	j->len = 0;
}

static void put_string(struct json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	put(j, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k;

		switch (c) {
		case '"': put(j, "\\\"", 2); i++; continue;
		case '\\': put(j, "\\\\", 2); i++; continue;
		case '\n': put(j, "\\n", 2); i++; continue;
		case '\r': put(j, "\\r", 2); i++; continue;
		case '\t': put(j, "\\t", 2); i++; continue;
		default:
			break;
		}
		if (c < 0x20) {
			putf(j, "\\u%04x", c);
			i++;
			continue;
		}
		k = utf8_len(s + i, n - i);
		if (!k) {
			put(j, "\\ufffd", 6);
			i++;
			continue;
		}
		put(j, str + i, k);
		i += k;
	}
	put(j, "\"", 1);
}

/* Starts the line of a new value: the comma ending the previous one, the
 * indentation, the member name. */
static void begin_value(struct json *j, const char *key)
{
	if (j->comma)
		put(j, ",", 1);
	flush(j);
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
	if (key) {
		put_string(j, key);
		put(j, ": ", 2);
	}
	j->comma = true;
}

static void open_nested(struct json *j, const char *key, bool array)
{
	begin_value(j, key);
	put(j, array ? "[" : "{", 1);
	if (j->depth >= JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	if (array)
		j->arrays |= 1u << j->depth;
	else
		j->arrays &= ~(1u << j->depth);
	j->depth++;
	j->comma = false;
}

void json_object(struct json *j, const char *key)
{
	open_nested(j, key, false);
}

void json_array(struct json *j, const char *key)
{
	open_nested(j, key, true);
}

/* An empty container closes on its opening line ("[]"); otherwise the
 * closing brace gets a line of its own. */
void json_end(struct json *j)
{
	if (j->failed || !j->depth)
		return;
	j->depth--;
	if (j->comma) {
		flush(j);
		for (int i = 0; i < j->depth; i++)
			put(j, "  ", 2);
	}
	put(j, j->arrays >> j->depth & 1 ? "]" : "}", 1);
	j->comma = true;
}

void json_str(struct json *j, const char *key, const char *val)
{
	begin_value(j, key);
	if (val)
		put_string(j, val);
	else
		put(j, "null", 4);
}

void json_int(struct json *j, const char *key, int64_t val)
{
	begin_value(j, key);
	putf(j, "%" PRId64, val);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	begin_value(j, key);
	putf(j, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	begin_value(j, key);
	put(j, val ? "true" : "false", val ? 4 : 5);
}

void json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	put(j, "null", 4);
}

int json_finish(struct json *j)
{
	int err = j->failed ? -ENOMEM : j->depth ? -E2BIG : 0;

	flush(j);
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
	return err;
}
