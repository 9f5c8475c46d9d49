/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A streaming JSON writer: one member or element per line, indented, handed
 * out a line at a time, so a large document never sits in memory whole and
 * every line stays short enough for one control message.  Strings are
 * escaped; bytes that are not UTF-8 become U+FFFD, so the output is always
 * valid JSON whatever a process name or interface name holds. */
#ifndef ASCONF_AGENT_JSON_H
#define ASCONF_AGENT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*json_line_fn)(void *ctx, const char *line);

#define JSON_MAX_DEPTH 16

/* The fields are the writer's own. */
struct json {
	json_line_fn emit;
	void *ctx;
	char *buf;
	size_t len, cap;
	int depth;
	uint32_t arrays;        /* bit d: the container at depth d is an array */
	bool comma;             /* a value precedes at this depth */
	bool failed;            /* out of memory or nesting too deep */
};

void json_init(struct json *j, json_line_fn emit, void *ctx);

/* key is the member's name inside an object, NULL inside an array or for
 * the top-level value. */
void json_object(struct json *j, const char *key);
void json_array(struct json *j, const char *key);
void json_end(struct json *j);          /* closes the innermost object/array */

void json_str(struct json *j, const char *key, const char *val);   /* NULL: null */
void json_int(struct json *j, const char *key, int64_t val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/* Flushes the last line and frees the buffer.  0, or when the output is
 * incomplete: -ENOMEM (out of memory, or nested deeper than JSON_MAX_DEPTH)
 * or -E2BIG (a container left open). */
int json_finish(struct json *j);

#endif
