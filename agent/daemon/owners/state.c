// SPDX-License-Identifier: GPL-2.0-or-later
/* The state file's format, written atomically and read defensively: it
 * may be stale (pids gone or reused), truncated or not ours at all. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../config/config.h"
#include "state.h"

_Static_assert(STATE_POLICY_MAX == CONFIG_POLICY_NAME_MAX + 1,
	       "the state file must keep every name the configuration accepts");

#define HEADER "asconfd-state 1"
#define MAX_SIZE (16 << 20)

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int state_write(const char *path, const struct state_entry *v, size_t n)
{
	char *tmp, *buf;
	size_t cap = 64 + n * (84 + STATE_POLICY_MAX), off;
	int fd, err;

	buf = malloc(cap);
	if (!buf || asprintf(&tmp, "%s.tmp", path) < 0) {
		free(buf);
		return -ENOMEM;
	}
	off = (size_t)snprintf(buf, cap, HEADER "\n");
	for (size_t i = 0; i < n; i++) {
		char cookie[32] = "";

		if (v[i].cookie)
			snprintf(cookie, sizeof(cookie), " cookie=%llu", v[i].cookie);
		off += (size_t)snprintf(buf + off, cap - off, "%d %d %llu %s%s%s\n",
					(int)v[i].pid, v[i].fd, v[i].ino, v[i].policy,
					v[i].adopted ? " adopted" : "", cookie);
	}
	/* A stale temporary file (a crash mid-write) or anything planted in
	 * its place (a FIFO would block the open, a link redirect the
	 * write) is removed, and the file made new: O_EXCL. */
	if (unlink(tmp) && errno != ENOENT) {
		err = -errno;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	/* No fsync: the file lives in /run (tmpfs, gone at reboot) and only
	 * a restarted daemon reads it; the rename alone makes the switch
	 * atomic for that reader.  An fsync per write cost a disk flush per
	 * hand-over where /run is not tmpfs. */
	err = write_all(fd, buf, off);
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
out:
	free(tmp);
	free(buf);
	return err;
}

unsigned int state_interval_ms(unsigned int write_ms)
{
	if (write_ms > UINT_MAX / 10)
		return UINT_MAX;
	return write_ms * 10 > STATE_MIN_INTERVAL_MS ? write_ms * 10 : STATE_MIN_INTERVAL_MS;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool policy_word(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= STATE_POLICY_MAX)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && !strchr("._-", *s))
			return false;
	return true;
}

/* A positive decimal number, nothing around it. */
static bool parse_ull(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return !errno && !*end && *out && s[0] >= '0' && s[0] <= '9';
}

/* The flags after the policy: each at most once, in any order. */
static bool parse_flags(char *const *f, int nf, struct state_entry *e, char *why, size_t wlen)
{
	e->adopted = false;
	e->cookie = 0;
	for (int i = 0; i < nf; i++) {
		if (!strcmp(f[i], "adopted") && !e->adopted) {
			e->adopted = true;
		} else if (!strncmp(f[i], "cookie=", 7) && !e->cookie) {
			if (!parse_ull(f[i] + 7, &e->cookie)) {
				snprintf(why, wlen, "bad cookie '%.32s'", f[i]);
				return false;
			}
		} else {
			snprintf(why, wlen, "unknown or repeated flag '%.32s' (want 'adopted' or "
				 "'cookie=N')", f[i]);
			return false;
		}
	}
	return true;
}

/* One line into e; false with the reason in why. */
static bool parse_line(char *line, struct state_entry *e, char *why, size_t wlen)
{
	char *f[7], *save = NULL;
	unsigned long long ino;
	long pid, fd;
	int nf = 0;

	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		if (nf < 7)
			f[nf++] = t;
		else
			nf = 8;
	if (nf < 4 || nf > 6) {
		snprintf(why, wlen, "want 4 to 6 fields (pid fd inode policy [adopted] "
			 "[cookie=N]), got %s", nf > 6 ? "more" : "fewer");
		return false;
	}
	if (!parse_long(f[0], 1, INT_MAX, &pid)) {
		snprintf(why, wlen, "bad pid '%.32s'", f[0]);
		return false;
	}
	if (!parse_long(f[1], 0, INT_MAX, &fd)) {
		snprintf(why, wlen, "bad descriptor number '%.32s'", f[1]);
		return false;
	}
	if (!parse_ull(f[2], &ino)) {
		snprintf(why, wlen, "bad inode '%.32s'", f[2]);
		return false;
	}
	if (!policy_word(f[3])) {
		snprintf(why, wlen, "bad policy name '%.32s'", f[3]);
		return false;
	}
	if (!parse_flags(f + 4, nf - 4, e, why, wlen))
		return false;
	e->pid = (pid_t)pid;
	e->fd = (int)fd;
	e->ino = ino;
	snprintf(e->policy, sizeof(e->policy), "%s", f[3]);
	return true;
}

int state_parse(const char *text, size_t len, struct state_entry **out, size_t *n,
		size_t *bad, char *why, size_t wlen)
{
	struct state_entry *v = NULL, e;
	size_t cap = 0, lineno = 0;
	char *copy, *line, *next, reason[128];

	*out = NULL;
	*n = *bad = 0;
	if (wlen)
		why[0] = '\0';
	if (memchr(text, '\0', len)) {
		snprintf(why, wlen, "not a text file (NUL byte)");
		return -EINVAL;
	}
	copy = strndup(text, len);
	if (!copy)
		return -ENOMEM;
	for (line = copy; line && *line; line = next) {
		next = strchr(line, '\n');
		if (!next) {
			/* Every line ends with a newline: this one was cut. */
			if (!*bad)
				snprintf(why, wlen, "line %zu: truncated", lineno + 1);
			if (lineno)
				(*bad)++;
			else
				lineno = SIZE_MAX;
			break;
		}
		*next++ = '\0';
		lineno++;
		if (lineno == 1) {
			if (strcmp(line, HEADER)) {
				snprintf(why, wlen, "line 1: not an asconfd state file "
					 "(want '" HEADER "')");
				lineno = SIZE_MAX;
				break;
			}
			continue;
		}
		if (!parse_line(line, &e, reason, sizeof(reason))) {
			if (!*bad)
				snprintf(why, wlen, "line %zu: %s", lineno, reason);
			(*bad)++;
			continue;
		}
		if (*n == cap) {
			struct state_entry *w = reallocarray(v, cap ? cap * 2 : 16, sizeof(*w));

			if (!w) {
				free(v);
				free(copy);
				return -ENOMEM;
			}
			v = w;
			cap = cap ? cap * 2 : 16;
		}
		v[(*n)++] = e;
	}
	free(copy);
	if (lineno == SIZE_MAX || lineno == 0) {
		if (lineno == 0)
			snprintf(why, wlen, "empty file");
		free(v);
		*n = 0;
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int state_read(const char *path, struct state_entry **out, size_t *n,
	       size_t *bad, char *why, size_t wlen)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t off = 0;
	int fd, err;

	*out = NULL;
	*n = *bad = 0;
	if (wlen)
		why[0] = '\0';
	/* O_NONBLOCK: a FIFO at the path must not hold start-up (an open for
	 * reading waits for a writer); nothing but a regular file is read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		err = -errno;
		if (err == -ELOOP)
			snprintf(why, wlen, "a symbolic link (not followed)");
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, wlen, "not a regular file (%s): not read",
			 S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISDIR(st.st_mode) ? "a directory" :
			 S_ISSOCK(st.st_mode) ? "a socket" : S_ISCHR(st.st_mode) ||
			 S_ISBLK(st.st_mode) ? "a device" : "not a file");
		close(fd);
		return -EINVAL;
	}
	/* Whoever wrote it decides which processes' descriptors the daemon
	 * takes: only its own user's (or root's) file counts. */
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, wlen, "owned by uid %u, neither root nor the daemon's uid %u: "
			 "not read", (unsigned int)st.st_uid, (unsigned int)geteuid());
		close(fd);
		return -EPERM;
	}
	if (st.st_size > MAX_SIZE) {
		snprintf(why, wlen, "larger than 16 MiB");
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	err = state_parse(buf, off, out, n, bad, why, wlen);
	free(buf);
	return err;
}
