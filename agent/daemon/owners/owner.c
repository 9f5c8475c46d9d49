// SPDX-License-Identifier: GPL-2.0-or-later
/* Owner processes: a pidfd each in the epoll set, readable once the
 * process has exited, so an idle daemon never wakes up to look.  Without
 * pidfd_open (Linux < 5.3) a 250 ms timer reads /proc/PID/stat, and only
 * while some owner is watched. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include "../../../common/log.h"
#include "owner.h"
#include "pidfd.h"

#define POLL_MS 250

struct owner {
	pid_t pid;
	int pidfd;                      /* -1 in timer mode */
	unsigned long long start;       /* timer mode: start time, against reuse */
	bool mark;
};

struct owners {
	int epfd;
	int timerfd;                    /* timer mode only, else -1 */
	bool armed;
	struct owner *v;
	size_t n, cap;
};

/* Field 22 of /proc/PID/stat, 0 if the process is gone or a zombie. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;               /* unreadable: alive as far as we know */
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 1;
	if (p[2] == 'Z' || p[2] == 'X')
		return 0;
	p += 2;
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llu", &t) != 1 || !t)
		return 1;
	return t;
}

struct owners *owners_new(int epfd, bool force_timer)
{
	struct owners *o = calloc(1, sizeof(*o));
	struct epoll_event ev = { .events = EPOLLIN };
	int probe;

	if (!o)
		return NULL;
	o->epfd = epfd;
	o->timerfd = -1;
	probe = force_timer ? -1 : sys_pidfd_open(getpid());
	if (probe >= 0) {
		close(probe);
		return o;
	}
	if (!force_timer)
		log_warn("pidfd_open: %m (Linux 5.3+): owners are checked every %d ms "
			 "while sockets are managed", POLL_MS);
	o->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	ev.data.fd = o->timerfd;
	if (o->timerfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, o->timerfd, &ev)) {
		log_err("cannot set up the owner timer: %m");
		if (o->timerfd >= 0)
			close(o->timerfd);
		free(o);
		return NULL;
	}
	return o;
}

static void forget(struct owners *o, size_t i)
{
	if (o->v[i].pidfd >= 0) {
		epoll_ctl(o->epfd, EPOLL_CTL_DEL, o->v[i].pidfd, NULL);
		close(o->v[i].pidfd);
	}
	o->v[i] = o->v[--o->n];
}

void owners_free(struct owners *o)
{
	if (!o)
		return;
	while (o->n)
		forget(o, o->n - 1);
	if (o->timerfd >= 0)
		close(o->timerfd);
	free(o->v);
	free(o);
}

bool owners_polling(const struct owners *o)
{
	return o->timerfd >= 0;
}

static struct owner *find(struct owners *o, pid_t pid)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].pid == pid)
			return &o->v[i];
	return NULL;
}

/* 0, -ESRCH if pid is gone already, or another negative errno. */
static int watch(struct owners *o, pid_t pid)
{
	struct owner w = { .pid = pid, .pidfd = -1, .mark = true };
	struct epoll_event ev = { .events = EPOLLIN };

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		struct owner *v = reallocarray(o->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	if (o->timerfd >= 0) {
		w.start = start_time(pid);
		if (!w.start)
			return -ESRCH;
	} else {
		w.pidfd = sys_pidfd_open(pid);
		if (w.pidfd < 0)
			return -errno;
		ev.data.fd = w.pidfd;
		if (epoll_ctl(o->epfd, EPOLL_CTL_ADD, w.pidfd, &ev)) {
			int err = -errno;

			close(w.pidfd);
			return err;
		}
	}
	o->v[o->n++] = w;
	return 0;
}

static void arm(struct owners *o)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	bool want = o->n > 0;

	if (o->timerfd < 0 || want == o->armed)
		return;
	if (want)
		its.it_interval.tv_nsec = its.it_value.tv_nsec = POLL_MS * 1000000L;
	if (timerfd_settime(o->timerfd, 0, &its, NULL))
		log_err("cannot arm the owner timer: %m");
	else
		o->armed = want;
}

static bool exited(const struct owner *w)
{
	unsigned long long t = start_time(w->pid);

	/* 1: unreadable, which is "unknown", never "gone". */
	return t == 0 || (t != 1 && t != w->start);
}

int owners_sync(struct owners *o, const pid_t *pids, size_t n,
		void (*gone)(pid_t pid, void *ctx), void *ctx)
{
	struct owner *w;
	int err = 0, e;

	for (size_t i = 0; i < o->n; i++)
		o->v[i].mark = false;
	for (size_t i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		w = find(o, pids[i]);
		if (w) {
			w->mark = true;
			continue;
		}
		e = watch(o, pids[i]);
		if (e && e != -ESRCH) {
			log_err("cannot watch owner pid %d: %s", (int)pids[i], strerror(-e));
			if (!err)
				err = e;
		}
	}
	for (size_t i = 0; i < o->n;)
		if (!o->v[i].mark)
			forget(o, i);
		else
			i++;
	arm(o);
	/* Already gone: no pidfd can be had, so no event will say it. */
	for (size_t i = 0; i < n; i++)
		if (pids[i] > 0 && !find(o, pids[i]) &&
		    (o->timerfd >= 0 ? start_time(pids[i]) == 0
				     : kill(pids[i], 0) && errno == ESRCH))
			gone(pids[i], ctx);
	return err;
}

int owners_add(struct owners *o, pid_t pid, void (*gone)(pid_t pid, void *ctx), void *ctx)
{
	int err;

	if (pid <= 0 || find(o, pid))
		return 0;
	err = watch(o, pid);
	arm(o);
	/* Already gone: no pidfd can be had, so no event will say it. */
	if (err == -ESRCH) {
		gone(pid, ctx);
		return 0;
	}
	if (err)
		log_err("cannot watch owner pid %d: %s", (int)pid, strerror(-err));
	return err;
}

bool owners_handle(struct owners *o, int fd, void (*gone)(pid_t pid, void *ctx), void *ctx)
{
	pid_t *dead;
	size_t k = 0;

	if (fd < 0)
		return false;
	if (fd == o->timerfd) {
		uint64_t ticks;

		if (read(fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
			log_err("owner timer: %m");
		dead = calloc(o->n ? o->n : 1, sizeof(*dead));
		if (!dead)
			return true;    /* the next tick tries again */
		for (size_t i = 0; i < o->n; i++)
			if (exited(&o->v[i]))
				dead[k++] = o->v[i].pid;
		for (size_t i = 0; i < k; i++) {
			forget(o, (size_t)(find(o, dead[i]) - o->v));
			gone(dead[i], ctx);
		}
		free(dead);
		arm(o);
		return true;
	}
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].pidfd == fd) {
			pid_t pid = o->v[i].pid;

			forget(o, i);
			gone(pid, ctx);
			return true;
		}
	return false;
}
