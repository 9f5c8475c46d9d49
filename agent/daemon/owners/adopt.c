// SPDX-License-Identifier: GPL-2.0-or-later
/* Adoption.  sock_diag lists the host's SCTP sockets with their inode and
 * port but not their process; one walk of /proc finds the processes of the
 * few that a rule's port could match, their comm settles the rule, and
 * pidfd_getfd takes the daemon's copy.  Sockets that can never be managed
 * (bound to the wildcard: the kernel's auto_asconf serves them) are
 * remembered by inode, so a scan does not take them again and again; an
 * inode leaves that set when its socket is gone. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>

#include "../../../common/fdclose.h"
#include "../../../common/log.h"
#include "../../../netlink/sctpdiag.h"
#include "../../../sctp/msock.h"
#include "../../../sctp/policy.h"
#include "../../../sctp/registry.h"
#include "adopt.h"
#include "../agent.h"
#include "../config/config.h"
#include "../../../common/inoset.h"
#include "../../../common/procfd.h"

#define CAP_SYS_PTRACE_BIT 19

struct cand {
	ino_t ino;              /* first: sorted with inoset_cmp */
	uint16_t port;
};

struct adopt {
	bool checked;           /* the privilege was looked at */
	bool off;               /* adoption impossible: said once */
	bool said_unreadable;   /* some /proc/PID/fd could not be read */
	int list_err;           /* the last listing error logged */
	struct inoset refused;  /* sorted */
};

/* What one listing gathers. */
struct scan {
	struct agent *ag;
	struct inoset managed;  /* sorted */
	struct inoset refused;  /* the refused inodes still there */
	struct cand *c;
	size_t n, cap;
	size_t listed;
	int err;
};

/* The policies in file order (the first whose rule matches wins). */
static size_t policy_count(const struct agent *ag)
{
	return ag->cfg ? config_policy_count(ag->cfg) : 0;
}

static const struct policy *policy_at(const struct agent *ag, size_t i)
{
	return config_policy_at(ag->cfg, i);
}

static bool any_adopts(const struct agent *ag, uint16_t port, bool any_port)
{
	for (size_t i = 0; i < policy_count(ag); i++) {
		const struct policy *p = policy_at(ag, i);

		if (any_port ? policy_adopts(p) : policy_adopts_port(p, port))
			return true;
	}
	return false;
}

/* CapEff of /proc/self/status: can we take other processes' descriptors?
 * Without CAP_SYS_PTRACE only those of our own uid, and with Yama's
 * ptrace_scope only our children: in practice none. */
static bool can_ptrace(void)
{
	char line[256];
	unsigned long long caps = 0;
	bool found = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return true;    /* cannot tell: let pidfd_getfd decide */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			found = true;
			break;
		}
	fclose(f);
	return !found || (caps >> CAP_SYS_PTRACE_BIT) & 1;
}

static bool wildcard(const struct sctpdiag_ep *ep)
{
	struct sockaddr_storage ss;

	for (size_t i = 0; i < ep->nlocal; i++) {
		if (sctpdiag_local(ep, i, &ss))
			break;
		if (ss.ss_family == AF_INET &&
		    ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY))
			return true;
		if (ss.ss_family == AF_INET6 &&
		    IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr))
			return true;
	}
	return false;
}

static int on_socket(const struct sctpdiag_ep *ep, void *ctx)
{
	struct scan *sc = ctx;
	struct adopt *ad = sc->ag->adopt;

	sc->listed++;
	if (inoset_has(&sc->managed, ep->inode))
		return 0;
	if (inoset_has(&ad->refused, ep->inode))
		return inoset_add(&sc->refused, ep->inode) ? -ENOMEM : 0;
	if (!any_adopts(sc->ag, ep->port, false))
		return 0;
	if (wildcard(ep)) {
		log_debug("adoption: socket inode %lu port %u is bound to the wildcard "
			  "address: left to the kernel", (unsigned long)ep->inode, ep->port);
		return inoset_add(&sc->refused, ep->inode) ? -ENOMEM : 0;
	}
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 16;
		struct cand *v = reallocarray(sc->c, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		sc->c = v;
		sc->cap = cap;
	}
	sc->c[sc->n++] = (struct cand){ .ino = ep->inode, .port = ep->port };
	return 0;
}

static const struct policy *rule_for(const struct agent *ag, uint16_t port, const char *comm)
{
	for (size_t i = 0; i < policy_count(ag); i++) {
		const struct policy *p = policy_at(ag, i);

		if (policy_adopt_match(p, port, comm))
			return p;
	}
	return NULL;
}

/* Take and manage one socket; refusals of the socket itself go to the
 * refused set. */
static void adopt_one(struct agent *ag, struct scan *sc, const struct cand *c,
		      const struct procfd_hit *h)
{
	char comm[64], why[256];
	const struct policy *p;
	struct msock *probe;
	unsigned int id;
	int copy, dupfd, err;

	if (h->pid == getpid() || registry_find(ag->reg, c->ino, 0))
		return;
	procfd_comm(h->pid, comm, sizeof(comm));
	p = rule_for(ag, c->port, comm);
	if (!p)
		return;
	copy = agent_take_fd(h->pid, h->fd, why, sizeof(why));
	if (copy < 0) {
		/* Gone meanwhile (ESRCH, EBADF): nothing to remember. */
		if (copy == -EPERM || copy == -ENOSYS) {
			log_warn("adoption: socket inode %lu of pid %d (%s): %s",
				 (unsigned long)c->ino, (int)h->pid, comm, why);
			inoset_add(&sc->refused, c->ino);
		}
		return;
	}
	/* What msock_open would refuse (the wildcard, seen only now for a
	 * connected socket) is refused silently: not the operator's concern,
	 * whereas agent_manage_fd would warn. */
	dupfd = fcntl(copy, F_DUPFD_CLOEXEC, 0);
	err = dupfd < 0 ? -errno : msock_open(dupfd, &probe, why, sizeof(why));
	if (err) {
		log_debug("adoption: socket inode %lu of pid %d (%s) left alone: %s",
			  (unsigned long)c->ino, (int)h->pid, comm,
			  dupfd < 0 ? strerror(-err) : why);
		if (dupfd >= 0)
			fdclose_foreign(dupfd);
		fdclose_foreign(copy);
		inoset_add(&sc->refused, c->ino);
		return;
	}
	msock_free(probe);
	err = agent_manage_fd(ag, -1, h->pid, copy, h->fd, policy_name(p), true, &id, why,
			      sizeof(why));
	if (err) {
		log_warn("adoption: socket inode %lu of pid %d (%s): %s", (unsigned long)c->ino,
			 (int)h->pid, comm, why);
		inoset_add(&sc->refused, c->ino);
		return;
	}
	log_info("socket %u: adopted by policy %s (pid %d %s, descriptor %d, port %u)", id,
		 policy_name(p), (int)h->pid, comm, h->fd, c->port);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* May adoption run at all?  Says once why not. */
static bool usable(struct agent *ag)
{
	struct adopt *ad = ag->adopt;

	if (!ad->checked) {
		ad->checked = true;
		if (!can_ptrace()) {
			log_warn("adoption (adopt-ports, adopt-commands) needs CAP_SYS_PTRACE "
				 "to take other processes' sockets (pidfd_getfd): running "
				 "without adoption");
			ad->off = true;
		}
	}
	return !ad->off;
}

static void list_failed(struct agent *ag, int err)
{
	struct adopt *ad = ag->adopt;

	if (err == -ENOENT) {
		log_warn("adoption: the kernel cannot list SCTP sockets (no sctp_diag: "
			 "modprobe sctp_diag, Linux 4.7+): running without adoption");
		ad->off = true;
	} else if (err != ad->list_err) {
		log_warn("adoption: cannot list the SCTP sockets: %s", strerror(-err));
	}
	ad->list_err = err;
}

void adopt_scan(struct agent *ag)
{
	struct scan sc = { .ag = ag };
	struct procfd_hit *hits = NULL;
	struct timespec t0;
	double t_list, t_proc = 0;
	size_t unreadable = 0;
	int found = 0, err;

	if (!any_adopts(ag, 0, true))
		return;
	if (!ag->adopt && !(ag->adopt = calloc(1, sizeof(*ag->adopt)))) {
		log_err("adoption: out of memory");
		return;
	}
	if (!usable(ag))
		return;
	for (size_t i = 0; i < registry_count(ag->reg); i++)
		if (inoset_add(&sc.managed, msock_inode(registry_at(ag->reg, i)->sock)))
			goto out;
	inoset_sort(&sc.managed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = sctpdiag_list(on_socket, &sc);
	t_list = ms_since(&t0);
	if (err) {
		if (err == -ENOMEM)
			log_err("adoption: out of memory");
		else
			list_failed(ag, err);
		goto out;
	}
	ag->adopt->list_err = 0;
	if (sc.n) {
		/* A listener with associations is listed twice. */
		size_t k = 0;

		qsort(sc.c, sc.n, sizeof(*sc.c), inoset_cmp);
		for (size_t i = 0; i < sc.n; i++)
			if (!k || sc.c[k - 1].ino != sc.c[i].ino)
				sc.c[k++] = sc.c[i];
		sc.n = k;
		hits = calloc(sc.n, sizeof(*hits));
		if (!hits)
			goto out;
		for (size_t i = 0; i < sc.n; i++)
			hits[i].ino = sc.c[i].ino;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		found = procfd_find("/proc", 0, hits, sc.n, &unreadable);
		t_proc = ms_since(&t0);
		if (found < 0) {
			log_warn("adoption: cannot read /proc: %s", strerror(-found));
			goto out;
		}
		if (unreadable && (size_t)found < sc.n && !ag->adopt->said_unreadable) {
			ag->adopt->said_unreadable = true;
			log_warn("adoption: %zu process(es) whose descriptors cannot be read "
				 "(needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE): their "
				 "sockets are not adopted", unreadable);
		}
		/* procfd_find sorted the hits by inode, as the candidates are. */
		for (size_t i = 0; i < sc.n; i++)
			if (hits[i].pid)
				adopt_one(ag, &sc, &sc.c[i], &hits[i]);
	}
	log_debug("adoption scan: %zu socket(s) listed in %.2f ms, %zu candidate(s), "
		  "%d owner(s) found in %.2f ms%s", sc.listed, t_list, sc.n, found, t_proc,
		  unreadable ? " (some processes unreadable)" : "");
	/* Forget refused inodes that are gone: an inode number can come back. */
	inoset_sort(&sc.refused);
	inoset_free(&ag->adopt->refused);
	ag->adopt->refused = sc.refused;
	sc.refused = (struct inoset){ 0 };
out:
	free(hits);
	free(sc.c);
	inoset_free(&sc.managed);
	inoset_free(&sc.refused);
}

void adopt_free(struct agent *ag)
{
	if (!ag->adopt)
		return;
	inoset_free(&ag->adopt->refused);
	free(ag->adopt);
	ag->adopt = NULL;
}
