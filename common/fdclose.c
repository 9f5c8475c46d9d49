// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "fdclose.h"

/* One blocked close must not hold up the next one (another client's
 * lingering socket would then keep its association that much longer):
 * up to CLOSERS threads close in parallel, beyond that they queue.  A
 * thread with nothing to close ends at once, so an idle daemon has none. */
#define CLOSERS 16
#define CLOSER_STACK (64 * 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int *queue;
static size_t nqueue, cqueue;
static unsigned int running, pending;

bool fdclose_may_block(int fd)
{
	struct linger lg = { 0 };
	socklen_t len = sizeof(lg), dlen = sizeof(int);
	struct stat st;
	int domain;

	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode))
		return true;
	/* A Unix socket may hold descriptors in flight, dropped (and their
	 * lingering closes run) by whoever closes it last. */
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) ||
	    (domain != AF_INET && domain != AF_INET6))
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len))
		return true;
	/* l_onoff with l_linger 0 aborts at once: no wait either. */
	return lg.l_onoff && lg.l_linger;
}

static void *closer(void *arg)
{
	int fd = (int)(long)arg;

	for (;;) {
		close(fd);
		pthread_mutex_lock(&lock);
		pending--;
		if (!nqueue) {
			running--;
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		fd = queue[--nqueue];
		pthread_mutex_unlock(&lock);
	}
}

static bool spawn(int fd)
{
	pthread_attr_t attr;
	pthread_t t;
	bool ok;

	if (pthread_attr_init(&attr))
		return false;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, CLOSER_STACK);
	ok = !pthread_create(&t, &attr, closer, (void *)(long)fd);
	pthread_attr_destroy(&attr);
	return ok;
}

void fdclose_foreign(int fd)
{
	if (fd < 0)
		return;
	if (!fdclose_may_block(fd)) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&lock);
	pending++;
	if (running < CLOSERS && spawn(fd)) {
		running++;
		pthread_mutex_unlock(&lock);
		return;
	}
	if (nqueue == cqueue) {
		size_t cap = cqueue ? 2 * cqueue : 16;
		int *q = realloc(queue, cap * sizeof(*q));

		if (!q) {
			/* No thread, no memory: keeping the descriptor open
			 * for ever is worse than one blocking close. */
			pending--;
			pthread_mutex_unlock(&lock);
			close(fd);
			return;
		}
		queue = q;
		cqueue = cap;
	}
	/* With no thread running (spawn failed), nobody would take it: the
	 * next fdclose_foreign that can start a thread does. */
	queue[nqueue++] = fd;
	pthread_mutex_unlock(&lock);
}

unsigned int fdclose_pending(void)
{
	unsigned int n;

	pthread_mutex_lock(&lock);
	n = pending;
	pthread_mutex_unlock(&lock);
	return n;
}
