// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../../common/utf8.h"
#include "prom.h"

#define PROM_LINE_MAX 2048

struct line {
	char buf[PROM_LINE_MAX];
	size_t len;
	bool over;
};

static void add(struct line *l, const char *s, size_t n)
{
	if (l->len + n >= sizeof(l->buf)) {
		l->over = true;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void adds(struct line *l, const char *s)
{
	add(l, s, strlen(s));
}

/* HELP text escapes \ and newline; label values also escape ".  Both must
 * be UTF-8: node_exporter's textfile collector drops the whole file for one
 * invalid byte, and a process's name may hold any byte but NUL.  So each
 * byte of an invalid sequence and each other control character becomes
 * U+FFFD. */
static void add_escaped(struct line *l, const char *str, bool quote)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(s + i, n - i);

		if (s[i] == '\\')
			add(l, "\\\\", 2);
		else if (s[i] == '\n')
			add(l, "\\n", 2);
		else if (s[i] == '"' && quote)
			add(l, "\\\"", 2);
		else if (!k || s[i] < 0x20 || s[i] == 0x7f)
			adds(l, UTF8_REPLACEMENT);
		else
			add(l, str + i, k);
		i += k ? k : 1;
	}
}

static void done(struct prom *p, struct line *l)
{
	if (l->over)
		p->failed = 1;
	else
		p->emit(p->ctx, l->buf);
}

void prom_family(struct prom *p, const char *name, const char *type, const char *help)
{
	struct line l = { .len = 0 };

	adds(&l, "# HELP ");
	adds(&l, name);
	adds(&l, " ");
	add_escaped(&l, help, false);
	done(p, &l);
	l.len = 0;
	adds(&l, "# TYPE ");
	adds(&l, name);
	adds(&l, " ");
	adds(&l, type);
	done(p, &l);
}

static void sample(struct prom *p, const char *name, const char *const *labels,
		   const char *num)
{
	struct line l = { .len = 0 };

	adds(&l, name);
	for (size_t i = 0; labels && labels[i] && labels[i + 1]; i += 2) {
		adds(&l, i ? "," : "{");
		adds(&l, labels[i]);
		adds(&l, "=\"");
		add_escaped(&l, labels[i + 1], true);
		adds(&l, "\"");
	}
	if (labels && labels[0])
		adds(&l, "}");
	adds(&l, num);
	done(p, &l);
}

void prom_sample(struct prom *p, const char *name, const char *const *labels,
		 uint64_t value)
{
	char num[32];

	snprintf(num, sizeof(num), " %" PRIu64, value);
	sample(p, name, labels, num);
}

void prom_sample_ns(struct prom *p, const char *name, const char *const *labels,
		    uint64_t ns)
{
	char num[48];

	snprintf(num, sizeof(num), " %" PRIu64 ".%09" PRIu64, ns / 1000000000u,
		 ns % 1000000000u);
	sample(p, name, labels, num);
}
