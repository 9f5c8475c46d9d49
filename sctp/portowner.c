// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/procfd.h"
#include "portowner.h"

#define MAXTOK 64

static size_t split(char *line, char **tok)
{
	size_t n = 0;

	for (char *save = NULL, *t = strtok_r(line, " \t\n", &save); t && n < MAXTOK;
	     t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	return n;
}

/* "10.0.0.1", "*10.0.0.1" (the primary), or the kernel's uncompressed
 * IPv6 form; v4-mapped compares as IPv4 like everywhere else. */
static bool is_addr(const char *t, const struct saddr *a)
{
	struct saddr b = { 0 };
	unsigned char raw[16];

	if (*t == '*')
		t++;
	if (inet_pton(AF_INET, t, raw) == 1) {
		b.family = AF_INET;
		memcpy(b.addr, raw, 4);
	} else if (inet_pton(AF_INET6, t, raw) == 1) {
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };

		memcpy(&s6.sin6_addr, raw, 16);
		if (saddr_from_sockaddr(&b, (struct sockaddr *)&s6))
			return false;
	} else {
		return false;
	}
	/* Link-local scope is not in the table: the address decides. */
	b.scope_id = a->scope_id;
	return saddr_equal(&b, a);
}

/* One table: the inode and the port at these columns, local addresses
 * from column laddr up to "<->" or the end. */
static size_t parse(const char *text, const struct saddr *a, uint16_t port, ino_t self,
		    ino_t *out, size_t max, size_t col_ino, size_t col_port, size_t laddr)
{
	char *copy = strdup(text), *save = NULL, *tok[MAXTOK];
	size_t k = 0;

	if (!copy)
		return 0;
	for (char *line = strtok_r(copy, "\n", &save); line && k < max;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = split(line, tok);
		char *end;
		unsigned long ino, p;

		if (n <= laddr)
			continue;       /* a short line; the header fails below */
		ino = strtoul(tok[col_ino], &end, 10);
		if (*end || !ino)
			continue;
		p = strtoul(tok[col_port], &end, 10);
		if (*end || p != port || (ino_t)ino == self)
			continue;
		for (size_t i = laddr; i < n && strcmp(tok[i], "<->"); i++)
			if (is_addr(tok[i], a)) {
				bool dup = false;

				for (size_t j = 0; j < k; j++)
					dup |= out[j] == (ino_t)ino;
				if (!dup)
					out[k++] = (ino_t)ino;
				break;
			}
	}
	free(copy);
	return k;
}

/* " ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS" */
size_t portowner_parse_eps(const char *text, const struct saddr *a, uint16_t port,
			   ino_t self, ino_t *out, size_t max)
{
	return parse(text, a, port, self, out, max, 7, 5, 8);
}

/* " ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT
 * RPORT LADDRS <-> RADDRS ..." */
size_t portowner_parse_assocs(const char *text, const struct saddr *a, uint16_t port,
			      ino_t self, ino_t *out, size_t max)
{
	return parse(text, a, port, self, out, max, 10, 11, 13);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

size_t portowner_inodes(const struct saddr *a, uint16_t port, ino_t self,
			ino_t *out, size_t max)
{
	char *eps = slurp("/proc/net/sctp/eps"), *assocs = slurp("/proc/net/sctp/assocs");
	size_t k = 0;

	if (eps)
		k = portowner_parse_eps(eps, a, port, self, out, max);
	if (assocs && k < max) {
		size_t more = portowner_parse_assocs(assocs, a, port, self, out + k, max - k);

		/* A listener with associations is in both tables. */
		for (size_t i = k; i < k + more; i++) {
			bool dup = false;

			for (size_t j = 0; j < k && !dup; j++)
				dup = out[j] == out[i];
			if (!dup)
				out[k++] = out[i];
		}
	}
	free(eps);
	free(assocs);
	return k;
}

int portowner_pid(ino_t ino, pid_t *pid, char *comm, size_t len)
{
	/* The daemon holds a copy of every managed socket: not the holder. */
	struct procfd_hit h = { .ino = ino };
	int n = procfd_find("/proc", getpid(), &h, 1, NULL);

	if (n < 0)
		return n;
	if (!n)
		return -ENOENT;
	*pid = h.pid;
	procfd_comm(h.pid, comm, len);
	return 0;
}
