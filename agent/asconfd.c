/* asconfd: follows the host's addresses on chosen interfaces and binds them
 * to (or unbinds them from) the SCTP sockets handed to it, so the kernel
 * sends ASCONF and the peers of live associations learn about them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <net/if.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "../common/log.h"
#include "../netlink/addrtab.h"
#include "../netlink/nlmon.h"
#include "../sctp/msock.h"
#include "../sctp/policy.h"
#include "../sctp/recon.h"
#include "../sctp/registry.h"
#include "ctl.h"
#include "ctlmsg.h"
#include "orphan.h"

#ifndef ASCONF_VERSION
#define ASCONF_VERSION "0.1.0"
#endif

struct agent {
	struct addrtab *tab;
	struct nlmon *mon;
	struct registry *reg;
	struct policy *policy;          /* "default": the command line's */
	struct ctl *ctl;
	int epfd;
	int retry_fd;                   /* timerfd, armed only while retries are due */
	unsigned int retry_ms;          /* current backoff */
	bool dirty;                     /* the table changed since the last pass */
	bool quit;
	const char *netns;
};

static const char usage[] =
"Usage: asconfd [OPTION]...\n"
"Follow the host's addresses on chosen interfaces and bind them to the SCTP\n"
"sockets handed over with libasconf, so live associations learn about them\n"
"(sctp_bindx, RFC 5061 ASCONF).\n"
"\n"
"  -i, --interface GLOB     follow addresses on interfaces matching GLOB\n"
"                           (shell glob, e.g. eth1, 'ens[0-9]*'); repeatable.\n"
"                           With none, no interface is followed.\n"
"  -x, --exclude-interface GLOB\n"
"                           never follow interfaces matching GLOB; wins over -i\n"
"  -c, --control PATH       control socket (default " CTLMSG_DEFAULT_PATH ")\n"
"  -f, --foreground         stay in the foreground and log to stderr\n"
"                           (otherwise: daemonize and log to syslog)\n"
"  -p, --prefer GLOB        steer peers to an address on interfaces matching\n"
"                           GLOB (SCTP_SET_PEER_PRIMARY_ADDR); repeat in order\n"
"                           of preference.  Without it the peer chooses.\n"
"      --netns NAME         run in network namespace NAME (/run/netns/NAME)\n"
"      --rcvbuf BYTES       netlink receive buffer (default 4194304)\n"
"      --deprecated         treat deprecated IPv6 addresses as usable\n"
"      --no-temporary       do not use IPv6 temporary (privacy) addresses\n"
"      --link-local         use IPv6 link-local addresses (with scope id)\n"
"      --keep-down-links    keep using addresses of links that are not running\n"
"  -v, --verbose            also log each bindx call and every address event\n"
"                           (by default: address events on followed links\n"
"                           and one line per pass)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Exit status: 0 after SIGTERM/SIGINT, 1 on a start-up error (bad option, no\n"
"SCTP in the kernel, control socket in use), 2 on a fatal runtime error.\n";

static void table_changed(enum addrtab_event ev, const struct host_addr *a,
			  const struct host_link *l, void *ctx)
{
	struct agent *ag = ctx;
	const struct host_link *al;
	char buf[INET6_ADDRSTRLEN];
	bool followed;

	/* Only what can change some socket's desired or removable set: an
	 * address on a followed link, any address leaving the host (it may be
	 * one an application bound), any link change (up/down, rename). */
	if (!a) {
		ag->dirty = true;
		if (policy_iface_selected(ag->policy, l->name))
			log_info("link %s: %s%s", l->name,
				 ev == ADDRTAB_LINK_GONE ? "gone" :
				 ev == ADDRTAB_LINK_NEW ? "new" : "changed",
				 ev == ADDRTAB_LINK_GONE ? "" :
				 (l->flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING) ?
				 ", running" : ", not running");
		return;
	}
	al = addrtab_link_find(ag->tab, a->ifindex);
	followed = al && policy_iface_selected(ag->policy, al->name);
	if (ev == ADDRTAB_ADDR_GONE || !al || followed)
		ag->dirty = true;
	/* The cause of what the next pass does, said once per address. */
	log_msg(followed ? LOG_INFO : LOG_DEBUG, "address %s/%u %s on %s (flags 0x%x, scope %u)",
		host_addr_str(a, buf, sizeof(buf)), a->prefixlen,
		ev == ADDRTAB_ADDR_GONE ? "gone" : ev == ADDRTAB_ADDR_NEW ? "new" : "changed",
		al ? al->name : "?", a->flags, a->scope);
}

static int sysctl_int(const char *path);

struct policy_ctx {
	const struct policy *p;
	const struct addrtab *t;
};

static bool removable(const struct saddr *a, void *ctx)
{
	struct policy_ctx *pc = ctx;

	return policy_may_remove(pc->p, pc->t, a);
}

static int rank(const struct saddr *a, void *ctx)
{
	struct policy_ctx *pc = ctx;

	return policy_rank(pc->p, pc->t, a);
}

/* What one pass computes once rather than per socket: the desired sets
 * of the (single, for now) policy by socket kind, and the addip sysctl. */
struct pass {
	struct saddr *want[3];          /* inet, inet6, inet6 v6only */
	int nwant[3];
	bool have[3];
	int addip;
	struct recon_stats total;
};

static int pass_kind(const struct msock *s)
{
	if (msock_family(s) == AF_INET)
		return 0;
	return msock_v6only(s) ? 2 : 1;
}

static void pass_free(struct pass *p)
{
	for (int i = 0; i < 3; i++)
		free(p->want[i]);
}

static void reconcile_one(struct agent *ag, struct reg_entry *e, struct pass *p)
{
	struct policy_ctx pc = { e->policy, ag->tab };
	struct recon_ops ops = {
		removable, policy_steers(e->policy) ? rank : NULL, &pc,
	};
	struct recon_stats st;
	int k = pass_kind(e->sock), err, ok;
	unsigned int nassoc;

	if (!p->have[k]) {
		p->nwant[k] = policy_desired(e->policy, ag->tab, msock_family(e->sock),
					     msock_v6only(e->sock), 0, &p->want[k]);
		p->have[k] = true;
	}
	if (p->nwant[k] < 0) {
		log_err("socket %u: %s", e->id, strerror(-p->nwant[k]));
		return;
	}
	err = recon_run(e->sock, p->want[k], (size_t)p->nwant[k], &ops, &st);
	if (err) {
		log_err("socket %u: cannot reconcile: %s", e->id, strerror(-err));
		return;
	}
	p->total.added += st.added;
	p->total.removed += st.removed;
	p->total.failed += st.failed;
	/* Checked at the first change of each socket only: three getsockopts
	 * per socket per pass would double a pass's cost; the status reports
	 * every association at any time. */
	if (!(st.added || st.removed) || e->announce_checked)
		return;
	e->announce_checked = true;
	/* With addip off here every association reports no ASCONF: blame the
	 * sysctl, not the peer. */
	ok = p->addip ? msock_asconf_supported(e->sock, &nassoc) : 0;
	if (!p->addip || ok == 0)
		log_warn("socket %u: bound addresses changed, but %s", e->id,
			 !p->addip ? "net.sctp.addip_enable=0: peers are not told"
				   : "a peer does not support ASCONF and is not told");
}

static void reconcile_sockets(struct agent *ag, struct reg_entry *only)
{
	struct pass p = { .addip = sysctl_int("/proc/sys/net/sctp/addip_enable") != 0 };
	struct timespec t0, t1;
	size_t n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < registry_count(ag->reg); i++) {
		struct reg_entry *e = registry_at(ag->reg, i);

		if (!only || e == only) {
			reconcile_one(ag, e, &p);
			n++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pass_free(&p);
	if (p.total.added || p.total.removed || p.total.failed)
		log_info("pass over %zu socket(s) in %ld us: %u added, %u removed, %u failed",
			  n, (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000,
			  p.total.added, p.total.removed, p.total.failed);
}

/* The kernel sends RTM_NEWADDR before it installs the local route that
 * bind checks, so an ADD right after the event can fail with EADDRNOTAVAIL
 * (and IPv6 stays unbindable until DAD ends).  Retry with a backoff from
 * RETRY_MIN_MS, doubling up to RETRY_MAX_MS; after that, only a table
 * change retries.  No timer runs while nothing is pending. */
#define RETRY_MIN_MS 1
#define RETRY_MAX_MS 2000

static void arm_retry(struct agent *ag, unsigned int ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L },
	};

	if (timerfd_settime(ag->retry_fd, 0, &its, NULL))
		log_err("cannot arm the retry timer: %m");
}

/* Owners that closed a socket without asconf_release (and kept their
 * control connection) must not have the association kept alive by our
 * duplicate.  Checked on every pass and status: no timer of its own. */
static void release_orphans(struct agent *ag)
{
	struct orphan_scan *scan = orphan_scan_new();

	for (size_t i = 0; i < registry_count(ag->reg);) {
		struct reg_entry *e = registry_at(ag->reg, i);

		if (orphan_held(scan, e->pid, msock_inode(e->sock))) {
			i++;
			continue;
		}
		log_info("socket %u: released: pid %d no longer holds it", e->id, (int)e->pid);
		registry_remove(ag->reg, e->owner, msock_inode(e->sock));
	}
	orphan_scan_free(scan);
}

static void reconcile_all(struct agent *ag, bool table_changed)
{
	bool due = false;

	/* After an overrun whose resync failed the table may miss addresses
	 * the host has; acting on it could remove a live one.  Wait. */
	if (nlmon_may_miss(ag->mon)) {
		arm_retry(ag, 100);
		return;
	}
	release_orphans(ag);
	reconcile_sockets(ag, NULL);
	for (size_t i = 0; i < registry_count(ag->reg); i++)
		due |= msock_retry_due(registry_at(ag->reg, i)->sock);
	ag->dirty = false;
	if (table_changed)
		ag->retry_ms = RETRY_MIN_MS;
	/* An interrupted dump is retried on the same backoff. */
	due |= nlmon_resync_pending(ag->mon);
	if (!due) {
		ag->retry_ms = RETRY_MIN_MS;
		arm_retry(ag, 0);       /* disarm */
	} else if (ag->retry_ms <= RETRY_MAX_MS) {
		arm_retry(ag, ag->retry_ms);
		ag->retry_ms *= 2;
	}
}

static int ctl_manage(void *ctx, int client, pid_t pid, int fd, const char *policy,
		      unsigned int *id, char *why, size_t len)
{
	struct agent *ag = ctx;
	struct msock *s;
	int err;

	if (policy && strcmp(policy, policy_name(ag->policy))) {
		snprintf(why, len, "unknown policy '%.64s' (this daemon has: %s)",
			 policy, policy_name(ag->policy));
		close(fd);
		return -ENOENT;
	}
	err = msock_open(fd, &s, why, len);
	if (err) {
		close(fd);
		log_warn("refused a socket from pid %d: %s", (int)pid, why);
		return err;
	}
	err = registry_add(ag->reg, s, client, pid, ag->policy, id);
	if (err) {
		snprintf(why, len, err == -EALREADY ? "socket is already managed"
						    : "out of memory");
		msock_free(s);
		return err;
	}
	log_info("socket %u: managed for pid %d (inode %lu, port %u)", *id, (int)pid,
		 (unsigned long)msock_inode(s), msock_port(s));
	reconcile_sockets(ag, registry_at(ag->reg, registry_count(ag->reg) - 1));
	if (msock_retry_due(s)) {
		ag->retry_ms = RETRY_MIN_MS;
		arm_retry(ag, ag->retry_ms);
	}
	return 0;
}

static int ctl_release(void *ctx, int client, int fd, char *why, size_t len)
{
	struct agent *ag = ctx;
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(why, len, "cannot inspect the socket: %s", strerror(errno));
		return -EBADF;
	}
	if (registry_remove(ag->reg, client, st.st_ino)) {
		snprintf(why, len, "socket is not managed for this connection");
		return -ENOENT;
	}
	log_info("socket with inode %lu released", (unsigned long)st.st_ino);
	return 0;
}

static void ctl_gone(void *ctx, int client)
{
	struct agent *ag = ctx;
	size_t n = registry_remove_owner(ag->reg, client);

	if (n)
		log_info("client closed its connection: released %zu socket(s)", n);
}

/* Read anew each pass and each status: the operator may flip it any time. */
static int sysctl_int(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static const char *family_name(int f)
{
	return f == AF_INET ? "inet" : "inet6";
}

/* Whether peers are told, then each association: one getsockopt per
 * association serves both. */
static void status_peers(struct ctl *c, struct reg_entry *e, int addip)
{
	char buf[SADDR_STRLEN];
	int *ids = NULL, *ok, n = msock_assocs(e->sock, &ids), all = 1;
	unsigned int nassoc = 0;

	ok = calloc(n > 0 ? (size_t)n : 1, sizeof(*ok));
	for (int i = 0; ok && i < n; i++) {
		ok[i] = msock_assoc_asconf(e->sock, ids[i]);
		all &= ok[i] != 0;
		nassoc += ok[i] >= 0;
	}
	if (addip == 0)
		ctl_printf(c, "  peers told: no (net.sctp.addip_enable=0)");
	else if (n < 0 || !ok)
		ctl_printf(c, "  peers told: unknown (%s)", strerror(n < 0 ? -n : ENOMEM));
	else if (!nassoc)
		ctl_printf(c, "  peers told: no association yet");
	else
		ctl_printf(c, "  peers told: %s (%u association(s)%s)",
			   all ? "yes" : "no", nassoc,
			   all ? "" : ", a peer does not support ASCONF");
	for (int i = 0; ok && i < n; i++) {
		const struct saddr *asked = msock_primary_asked(e->sock, ids[i]);

		ctl_printf(c, "  association %d: peer takes ASCONF: %s%s%s", ids[i],
			   ok[i] > 0 ? "yes" : ok[i] == 0 ? "no" : "unknown",
			   asked ? ", asked to use primary " : "",
			   asked ? saddr_str(asked, buf, sizeof(buf)) : "");
	}
	free(ok);
	free(ids);
}

static void status_socket(struct ctl *c, struct reg_entry *e, int addip)
{
	const struct msock_issue *iss;
	struct saddr *bound = NULL;
	char line[CTLMSG_MAX], buf[SADDR_STRLEN];
	size_t off = 0;
	int n;

	ctl_printf(c, "socket %u pid %d inode %lu %s %s port %u policy %s", e->id,
		   (int)e->pid, (unsigned long)msock_inode(e->sock),
		   family_name(msock_family(e->sock)),
		   msock_type(e->sock) == SOCK_STREAM ? "one-to-one" : "one-to-many",
		   msock_port(e->sock), policy_name(e->policy));
	n = msock_bound(e->sock, &bound);
	if (n < 0) {
		ctl_printf(c, "  bound: unknown (%s)", strerror(-n));
	} else {
		line[0] = '\0';
		for (int i = 0; i < n && off < sizeof(line) - SADDR_STRLEN - 2; i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s",
						saddr_str(&bound[i], buf, sizeof(buf)));
		ctl_printf(c, "  bound:%s", line);
	}
	free(bound);
	status_peers(c, e, addip);
	for (size_t i = 0, k = msock_issues(e->sock, &iss); i < k; i++)
		ctl_printf(c, "  issue: bindx %s %s: %s", iss[i].add ? "ADD" : "REM",
			   saddr_str(&iss[i].addr, buf, sizeof(buf)), strerror(-iss[i].err));
}

static void ctl_status(void *ctx, struct ctl *c)
{
	struct agent *ag = ctx;
	struct nlmon_stats st;
	int addip = sysctl_int("/proc/sys/net/sctp/addip_enable");

	release_orphans(ag);
	nlmon_get_stats(ag->mon, &st);
	ctl_printf(c, "asconfd %s netns %s addip_enable %d sockets %zu addresses %zu",
		   ASCONF_VERSION, ag->netns ? ag->netns : "(own)", addip,
		   registry_count(ag->reg), addrtab_naddrs(ag->tab));
	ctl_printf(c, "netlink: messages %lu malformed %lu foreign %lu overruns %lu resyncs %lu",
		   (unsigned long)st.messages, (unsigned long)st.malformed,
		   (unsigned long)st.foreign, (unsigned long)st.overruns,
		   (unsigned long)st.resyncs);
	for (size_t i = 0; i < registry_count(ag->reg); i++)
		status_socket(c, registry_at(ag->reg, i), addip);
}

static const struct ctl_ops ctl_ops = {
	.manage = ctl_manage,
	.release = ctl_release,
	.status = ctl_status,
	.gone = ctl_gone,
};

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, err = 0;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET))
		err = -errno;
	close(fd);
	return err;
}

static int check_sctp(void)
{
	int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);

	if (s < 0)
		return -errno;
	close(s);
	return 0;
}

static int watch(struct agent *ag, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ag->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static void warn_unannounced(void)
{
	int addip = sysctl_int("/proc/sys/net/sctp/addip_enable");
	int auth = sysctl_int("/proc/sys/net/sctp/auth_enable");
	int noauth = sysctl_int("/proc/sys/net/sctp/addip_noauth_enable");

	if (addip == 0)
		log_warn("net.sctp.addip_enable=0: address changes will be bound but not "
			 "announced to peers (set it to 1)");
	else if (auth == 0 && noauth == 0)
		log_warn("net.sctp.auth_enable=0 and addip_noauth_enable=0: peers will "
			 "not be sent ASCONF (enable one of them)");
}

static int run(struct agent *ag, int sigfd)
{
	struct epoll_event evs[16];
	int n, fd, err;

	while (!ag->quit) {
		n = epoll_wait(ag->epfd, evs, 16, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %m");
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == sigfd) {
				struct signalfd_siginfo si;

				if (read(sigfd, &si, sizeof(si)) == sizeof(si))
					log_info("signal %u: exiting", si.ssi_signo);
				ag->quit = true;
			} else if (fd == nlmon_fd(ag->mon)) {
				err = nlmon_read(ag->mon);
				if (err == -ENOMEM) {
					log_err("out of memory reading netlink");
					return err;
				}
				if (nlmon_resync_pending(ag->mon))
					ag->dirty = true;       /* retried from the timer */
			} else if (fd == ag->retry_fd) {
				uint64_t ticks;

				if (read(fd, &ticks, sizeof(ticks)) != sizeof(ticks))
					continue;
				if (nlmon_resync_pending(ag->mon))
					nlmon_resync(ag->mon);
				reconcile_all(ag, false);
			} else if (fd == ctl_listen_fd(ag->ctl)) {
				fd = ctl_accept(ag->ctl);
				if (fd >= 0 && watch(ag, fd)) {
					log_err("cannot watch a control client: %m");
					close(fd);
				}
			} else if (ctl_serve(ag->ctl, fd) < 0) {
				epoll_ctl(ag->epfd, EPOLL_CTL_DEL, fd, NULL);
				ctl_drop(ag->ctl, fd);
			}
		}
		/* One pass per batch of events, however many arrived. */
		if (ag->dirty)
			reconcile_all(ag, true);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "exclude-interface", required_argument, NULL, 'x' },
		{ "control", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "prefer", required_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, 'N' },
		{ "rcvbuf", required_argument, NULL, 'R' },
		{ "deprecated", no_argument, NULL, 'D' },
		{ "no-temporary", no_argument, NULL, 'T' },
		{ "link-local", no_argument, NULL, 'L' },
		{ "keep-down-links", no_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct agent ag = { .epfd = -1, .retry_fd = -1, .retry_ms = RETRY_MIN_MS };
	struct nlmon_opts mo = { .rcvbuf = 4 << 20 };
	const char *control = CTLMSG_DEFAULT_PATH;
	bool foreground = false;
	int verbose = 0, c, err, sigfd, ret = 1;
	char why[512], *end;
	unsigned long v;
	sigset_t mask;
	size_t nif = 0;

	log_open("asconfd", false, LOG_INFO);
	ag.policy = policy_new("default");
	if (!ag.policy)
		return 1;
	while ((c = getopt_long(argc, argv, "i:x:c:p:fvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
		case 'x':
			err = c == 'i' ? policy_allow(ag.policy, optarg)
				       : policy_deny(ag.policy, optarg);
			if (err) {
				fprintf(stderr, "asconfd: invalid interface pattern '%s'\n", optarg);
				goto out;
			}
			nif += c == 'i';
			break;
		case 'c':
			control = optarg;
			break;
		case 'p':
			if (policy_prefer(ag.policy, optarg)) {
				fprintf(stderr, "asconfd: invalid --prefer pattern '%s'\n", optarg);
				goto out;
			}
			break;
		case 'f':
			foreground = true;
			break;
		case 'N':
			ag.netns = optarg;
			break;
		case 'R':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || v < 4096 || v > INT_MAX) {
				fprintf(stderr, "asconfd: --rcvbuf wants a byte count from 4096 "
					"to %d, not '%s'\n", INT_MAX, optarg);
				goto out;
			}
			mo.rcvbuf = (int)v;
			break;
		case 'D':
			policy_set_deprecated(ag.policy, true);
			break;
		case 'T':
			policy_set_temporary(ag.policy, false);
			break;
		case 'L':
			policy_set_link_local(ag.policy, true);
			break;
		case 'K':
			policy_set_down_links(ag.policy, true);
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			ret = 0;
			goto out;
		case 'V':
			puts("asconfd " ASCONF_VERSION);
			ret = 0;
			goto out;
		default:
			fputs("Try 'asconfd --help'.\n", stderr);
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "asconfd: unexpected argument '%s'\nTry 'asconfd --help'.\n",
			argv[optind]);
		goto out;
	}
	log_open("asconfd", !foreground, verbose ? LOG_DEBUG : LOG_INFO);

	if (ag.netns && (err = enter_netns(ag.netns))) {
		fprintf(stderr, "asconfd: cannot enter network namespace '%s': %s\n",
			ag.netns, strerror(-err));
		goto out;
	}
	err = check_sctp();
	if (err) {
		fprintf(stderr, "asconfd: this kernel has no SCTP support (%s); "
			"load it with 'modprobe sctp'\n", strerror(-err));
		goto out;
	}
	if (!nif)
		log_warn("no --interface given: no address will be followed");

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	ag.tab = addrtab_new(table_changed, &ag);
	ag.reg = registry_new();
	if (!ag.tab || !ag.reg)
		goto out;
	ag.mon = nlmon_open(ag.tab, &mo);
	if (!ag.mon) {
		fprintf(stderr, "asconfd: cannot follow rtnetlink: %s\n", strerror(errno));
		goto out;
	}
	ag.ctl = ctl_open(control, &ctl_ops, &ag, why, sizeof(why));
	if (!ag.ctl) {
		fprintf(stderr, "asconfd: %s\n", why);
		goto out;
	}
	if (!foreground && daemon(0, 0)) {
		fprintf(stderr, "asconfd: cannot daemonize: %s\n", strerror(errno));
		goto out;
	}
	ag.epfd = epoll_create1(EPOLL_CLOEXEC);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	ag.retry_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ag.epfd < 0 || sigfd < 0 || ag.retry_fd < 0 || watch(&ag, sigfd) ||
	    watch(&ag, ag.retry_fd) || watch(&ag, nlmon_fd(ag.mon)) ||
	    watch(&ag, ctl_listen_fd(ag.ctl))) {
		log_err("cannot set up the event loop: %m");
		goto out;
	}
	warn_unannounced();
	log_info("ready: control socket %s, %zu address(es) known", control,
		 addrtab_naddrs(ag.tab));
	ag.dirty = false;
	ret = run(&ag, sigfd) ? 2 : 0;
out:
	ctl_close(ag.ctl);
	registry_free(ag.reg);
	nlmon_close(ag.mon);
	addrtab_free(ag.tab);
	policy_free(ag.policy);
	if (ag.epfd >= 0)
		close(ag.epfd);
	if (ag.retry_fd >= 0)
		close(ag.retry_fd);
	return ret;
}
