// SPDX-License-Identifier: GPL-2.0-or-later
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
#include <linux/if_addr.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/resource.h>

#include "../../common/log.h"
#include "../../netlink/addrtab.h"
#include "../../netlink/nlmon.h"
#include "../../sctp/affect.h"
#include "../../sctp/msock.h"
#include "../../sctp/policy.h"
#include "../../sctp/recon.h"
#include "../../sctp/registry.h"
#include "control/ctl.h"
#include "../proto/ctlmsg.h"
#include "owners/adopt.h"
#include "agent.h"
#include "owners/owner.h"
#include "status/notify.h"
#include "config/config.h"
#include "pass/hold.h"
#include "config/safedir.h"

static const char usage[] =
"Usage: asconfd [OPTION]...\n"
"Follow the host's addresses on chosen interfaces and bind them to the SCTP\n"
"sockets handed over with libasconf, so live associations learn about them\n"
"(sctp_bindx, RFC 5061 ASCONF).\n"
"\n"
"  -C, --config FILE        configuration file (default " CONFIG_DEFAULT_PATH ";\n"
"                           a missing default file means built-in defaults),\n"
"                           then FILE.d/*.conf in name order.  The options\n"
"                           below win over its [asconfd] and [policy default]\n"
"                           sections; see asconfd.conf(5).\n"
"      --check-config       check the configuration (and the options) and\n"
"                           exit: 0 when it is good, 1 with FILE:LINE: reason;\n"
"                           no daemon is started, nothing is opened but the\n"
"                           files, so any user who can read them may run it\n"
"  -i, --interface GLOB     follow addresses on interfaces matching GLOB\n"
"                           (shell glob, e.g. eth1, 'ens[0-9]*'); repeatable.\n"
"                           With none, no interface is followed.\n"
"  -x, --exclude-interface GLOB\n"
"                           never follow interfaces matching GLOB; wins over -i\n"
"  -c, --control PATH       control socket (default " CTLMSG_DEFAULT_PATH "),\n"
"                           created with control-group and control-mode set\n"
"      --state PATH         where the managed sockets are recorded, to be taken\n"
"                           again after a restart (default: 'state' next to the\n"
"                           control socket; '' for none)\n"
"  -f, --foreground         stay in the foreground and log to stderr, with\n"
"                           <N> priority prefixes under systemd (otherwise:\n"
"                           daemonize and log to syslog)\n"
"  -p, --prefer GLOB        steer peers to an address on interfaces matching\n"
"                           GLOB (SCTP_SET_PEER_PRIMARY_ADDR); repeat in order\n"
"                           of preference.  Without it the peer chooses.\n"
"      --netns NAME         run in network namespace NAME (/run/netns/NAME)\n"
"      --rcvbuf BYTES       netlink receive buffer (default 4194304)\n"
"      --deprecated         treat deprecated IPv6 addresses as usable\n"
"      --no-temporary       do not use IPv6 temporary (privacy) addresses\n"
"      --link-local         use IPv6 link-local addresses (with scope id)\n"
"      --keep-down-links    keep using addresses of links that are not running\n"
"  -v, --verbose            log level debug: also each bindx call, every\n"
"                           address event and every control request with\n"
"                           its uid and pid (by default: address events on\n"
"                           followed links and one line per pass)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"SIGHUP (or 'asconfctl reload') re-reads the configuration file; a file with\n"
"an error changes nothing.\n"
"\n"
"Exit status: 0 after SIGTERM/SIGINT, 1 on a start-up error (bad\n"
"configuration, no SCTP in the kernel, control socket in use),\n"
"2 on a usage error (bad option or argument), 3 on a fatal runtime error.\n";

/* Hold-down learns here when each address appeared and became usable;
 * addresses of the first dump are old (never held). */
static void track_hold(struct agent *ag, enum addrtab_event ev, const struct host_addr *a)
{
	bool usable = !(a->flags & IFA_F_DADFAILED) &&
		      (!(a->flags & IFA_F_TENTATIVE) || (a->flags & IFA_F_OPTIMISTIC));

	if (ev == ADDRTAB_ADDR_GONE)
		hold_gone_addr(ag->hold, a->family, a->a.raw);
	else if (!ag->dump_done || !config_max_hold_down(ag->cfg))
		return;
	else if (ev == ADDRTAB_ADDR_NEW)
		hold_new_addr(ag->hold, a->family, a->a.raw, usable, hold_now_ms());
	else
		hold_changed_addr(ag->hold, a->family, a->a.raw, usable, hold_now_ms());
}

static void table_changed(enum addrtab_event ev, const struct host_addr *a,
			  const struct host_link *l, void *ctx)
{
	struct agent *ag = ctx;
	const struct host_link *al;
	char buf[INET6_ADDRSTRLEN], fbuf[HOST_ADDR_FLAGS_STRLEN];
	bool followed;

	/* Only what can change some socket's desired or removable set: an
	 * address on a followed link, any address leaving the host (it may be
	 * one an application bound), an application's own address coming
	 * back, any link change (up/down, rename). */
	if (ev == ADDRTAB_ADDR_BINDABLE) {
		/* Worth a pass only for an ADD that is waiting for it: one that
		 * failed, or an address whose pass waits (agent_wait_route). */
		al = addrtab_link_find(ag->tab, a->ifindex);
		if (ag->add_retry_due ||
		    (ag->route_wait && (!al || agent_iface_followed(ag, al->name) ||
					agent_app_addr(ag, a))))
			ag->dirty = true;
		return;
	}
	if (!a) {
		/* Up/down and renames change what many policies select. */
		affect_everything(ag->aff);
		ag->dirty = true;
		if (agent_iface_followed(ag, l->name))
			log_info("link %s: %s%s", l->name,
				 ev == ADDRTAB_LINK_GONE ? "gone" :
				 ev == ADDRTAB_LINK_NEW ? "new" : "changed",
				 ev == ADDRTAB_LINK_GONE ? "" :
				 host_link_running(l) ?
				 ", running" : ", not running");
		return;
	}
	al = addrtab_link_find(ag->tab, a->ifindex);
	affect_addr(ag->aff, a, al ? al->name : NULL);
	followed = al && agent_iface_followed(ag, al->name);
	track_hold(ag, ev, a);
	/* A new IPv4 address cannot be bound before its local route is in,
	 * which the kernel announces just after RTM_NEWADDR: a pass now would
	 * fail its ADD and need a second one.  The pass waits for the route's
	 * event when those are followed (not in the first dump: its addresses
	 * have their routes). */
	if ((ev == ADDRTAB_ADDR_GONE || !al || followed || agent_app_addr(ag, a))) {
		if (ev == ADDRTAB_ADDR_NEW && a->family == AF_INET && ag->dump_done &&
		    nlmon_route_events(ag->mon))
			agent_wait_route(ag);
		else
			ag->dirty = true;
	}
	/* The cause of what the next pass does, said once per address. */
	log_msg(followed ? LOG_INFO : LOG_DEBUG, "address %s/%u %s on %s (%s)",
		host_addr_str(a, buf, sizeof(buf)), a->prefixlen,
		ev == ADDRTAB_ADDR_GONE ? "gone" : ev == ADDRTAB_ADDR_NEW ? "new" : "changed",
		al ? al->name : "?", host_addr_flags_str(a, fbuf, sizeof(fbuf)));
}

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

/* name in the control socket's directory (malloc'd, NULL: no memory). */
static char *sibling_path(const char *control, const char *name)
{
	const char *slash = strrchr(control, '/');
	char *p;

	if (!slash)
		return strdup(name);
	if (asprintf(&p, "%.*s/%s", (int)(slash - control), control, name) < 0)
		return NULL;
	return p;
}

/* --state, else "state" in the control socket's directory; "" for none
 * (then NULL, as on out of memory). */
static char *state_path(const char *control, const char *opt)
{
	const char *slash;
	char *p;

	if (opt)
		return *opt ? strdup(opt) : NULL;
	slash = strrchr(control, '/');
	if (!slash)
		return strdup("state");
	if (asprintf(&p, "%.*s/state", (int)(slash - control), control) < 0)
		return NULL;
	return p;
}

/* A start-up error on stderr, after the lines the log still holds
 * (log_buffer): a second instance's fatal line comes last, as it happened. */
#define startup_error(...) (log_flush(), fprintf(stderr, "asconfd: " __VA_ARGS__))

/* The control socket's and the state file's directories: nobody but root
 * and the daemon's user may change them (safedir.h), else whoever can
 * would swap the socket clients trust or write the state that says which
 * processes' descriptors the daemon takes.  Fatal: the operator must fix
 * the directory.  0 or -1, the reason on stderr. */
static int check_dirs(const struct agent *ag)
{
	char why[512] = "";
	int err;

	err = safedir_check(ag->cfg->control, geteuid(), "control socket", why, sizeof(why));
	if (!err && ag->state_path)
		err = safedir_check(ag->state_path, geteuid(), "state file", why, sizeof(why));
	if (!err)
		return 0;
	startup_error("refusing to start: %s\n", *why ? why : strerror(-err));
	return -1;
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
	int addip = sysctl_read_int("/proc/sys/net/sctp/addip_enable");
	int auth = sysctl_read_int("/proc/sys/net/sctp/auth_enable");
	int noauth = sysctl_read_int("/proc/sys/net/sctp/addip_noauth_enable");

	if (addip == 0)
		log_warn("net.sctp.addip_enable=0: address changes will be bound but not "
			 "announced to peers (set it to 1)");
	else if (auth == 0 && noauth == 0)
		log_warn("net.sctp.auth_enable=0 and addip_noauth_enable=0: peers will "
			 "not be sent ASCONF (enable one of them)");
}

/* The listeners, both paused or resumed together. */
static void listeners(struct agent *ag, bool on)
{
	int fds[2] = { ctl_listen_fd(ag->ctl), ctl_monitor_fd(ag->ctl) };

	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0) {
			if (on)
				watch(ag, fds[i]);
			else
				epoll_ctl(ag->epfd, EPOLL_CTL_DEL, fds[i], NULL);
		}
}

static void accept_client(struct agent *ag, bool monitor)
{
	int fd = monitor ? ctl_accept_monitor(ag->ctl) : ctl_accept(ag->ctl);

	if (fd >= 0 && watch(ag, fd)) {
		log_err("cannot watch a control client: %m");
		close(fd);
	} else if (fd >= 0) {
		ag->cnt.clients++;
		ag->cnt.clients_now++;
	} else if (fd == -EMFILE || fd == -ENFILE) {
		ag->cnt.clients_refused++;
	} else if (fd == -EBUSY) {
		/* Level-triggered and still readable: polling it now would spin. */
		listeners(ag, false);
		ag->listen_paused = true;
		ag->paused_clients = ag->cnt.clients_now;
		ag->paused_sockets = registry_count(ag->reg);
		log_warn("control: out of file descriptors: not accepting clients until "
			 "one disconnects or a socket is released");
	}
}

/* Resumes once a descriptor was freed: a client left or a socket went. */
static void maybe_resume_listener(struct agent *ag)
{
	if (!ag->listen_paused || (ag->cnt.clients_now >= ag->paused_clients &&
				   registry_count(ag->reg) >= ag->paused_sockets))
		return;
	if (!ctl_can_accept(ag->ctl)) {
		ag->paused_clients = ag->cnt.clients_now;
		ag->paused_sockets = registry_count(ag->reg);
		return;
	}
	if (watch(ag, ctl_listen_fd(ag->ctl)))
		return;
	if (ctl_monitor_fd(ag->ctl) >= 0)
		watch(ag, ctl_monitor_fd(ag->ctl));
	ag->listen_paused = false;
	log_info("control: accepting clients again");
}

static void drop_client(struct agent *ag, int fd)
{
	epoll_ctl(ag->epfd, EPOLL_CTL_DEL, fd, NULL);
	ctl_drop(ag->ctl, fd);
	ag->cnt.clients_now--;
}

/* Clients that never spoke, or stopped reading their reply, in time. */
static void expire_clients(struct agent *ag)
{
	int fd;

	while ((fd = ctl_expired(ag->ctl)) >= 0)
		drop_client(ag, fd);
}

/* The pass machinery's timeout, or sooner when a client's time runs out. */
static int loop_timeout(struct agent *ag)
{
	int a = agent_loop_timeout(ag), b = ctl_next_timeout(ag->ctl);

	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

/* A request, or room for the rest of a reply: a client whose reply waits
 * is watched for room only, its next request left in its socket. */
static void serve_client(struct agent *ag, int fd)
{
	struct epoll_event ev = { .data.fd = fd };
	bool was = ctl_pending(ag->ctl, fd);
	int err;

	err = was ? ctl_flush(ag->ctl, fd) : ctl_serve(ag->ctl, fd);
	if (err >= 0 && !was && err == CTL_PENDING) {
		ev.events = EPOLLOUT;
		if (epoll_ctl(ag->epfd, EPOLL_CTL_MOD, fd, &ev))
			err = -errno;
	} else if (err == 0 && was) {
		ev.events = EPOLLIN;
		if (epoll_ctl(ag->epfd, EPOLL_CTL_MOD, fd, &ev))
			err = -errno;
	}
	if (err < 0)
		drop_client(ag, fd);
}

/* The soft descriptor limit (often 1024) is what runs out first with many
 * sockets handed over; the hard limit is what the administrator allows. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		log_warn("cannot raise the descriptor limit to %llu: %m",
			 (unsigned long long)rl.rlim_max);
}

static int run(struct agent *ag, int sigfd)
{
	struct epoll_event evs[16];
	int n, fd, err;

	while (!ag->quit) {
		/* The turn's lines in one write; while a pass waits for a
		 * local route they wait with it: the writer of the address is
		 * still in its system call, and the route comes sooner. */
		if (!ag->route_wait)
			log_flush();
		n = epoll_wait(ag->epfd, evs, 16, loop_timeout(ag));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %m");
			return -errno;
		}
		agent_loop_due(ag);
		for (int i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == sigfd) {
				struct signalfd_siginfo si;
				char why[512];

				if (read(sigfd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo == SIGHUP) {
					log_info("SIGHUP: reloading %s", ag->config_path);
					agent_reload(ag, why, sizeof(why));
					continue;
				}
				log_info("signal %u: exiting", si.ssi_signo);
				ag->quit = true;
			} else if (fd == nlmon_fd(ag->mon)) {
				err = nlmon_read(ag->mon);
				if (err == -ENOMEM) {
					log_err("out of memory reading netlink");
					return err;
				}
				if (nlmon_resync_pending(ag->mon)) {
					ag->dirty = true;       /* retried from the timer */
					affect_everything(ag->aff);
				}
			} else if (fd == ag->hold_fd) {
				uint64_t ticks;

				ag->hold_armed = false; /* it fired */
				/* A hold-down window ended: its address may be used. */
				if (read(fd, &ticks, sizeof(ticks)) == sizeof(ticks)) {
					affect_everything(ag->aff);
					agent_reconcile_all(ag, false);
				}
			} else if (fd == ag->retry_fd) {
				uint64_t ticks;

				if (read(fd, &ticks, sizeof(ticks)) != sizeof(ticks))
					continue;
				ag->retry_armed = false;
				if (nlmon_resync_pending(ag->mon))
					nlmon_resync(ag->mon);
				ag->cnt.retries++;
				agent_reconcile_all(ag, false);
			} else if (fd == ag->state_fd) {
				agent_state_timer(ag);
			} else if (agent_owner_event(ag, fd)) {
				continue;
			} else if (fd == ag->watchdog_fd) {
				agent_watchdog_kick(ag);
			} else if (fd == ag->status_fd) {
				agent_status_timer(ag);
			} else if (fd == ctl_listen_fd(ag->ctl)) {
				accept_client(ag, false);
			} else if (fd == ctl_monitor_fd(ag->ctl)) {
				accept_client(ag, true);
			} else {
				serve_client(ag, fd);
			}
		}
		/* One pass per batch of events, however many arrived; the
		 * sockets bound since the last look are adopted first. */
		if (ag->dirty) {
			adopt_scan(ag);
			agent_reconcile_all(ag, true);
		}
		expire_clients(ag);
		maybe_resume_listener(ag);
		agent_notify_status(ag);
	}
	return 0;
}

/* A glob from the command line, checked before it joins a list. */
static int cli_glob(struct agent *ag, const char *option, const char *key, const char *glob)
{
	if (!*glob || strpbrk(glob, " \t")) {
		fprintf(stderr, "asconfd: invalid interface pattern '%s'\n", glob);
		return -EINVAL;
	}
	return config_cli_set(&ag->cli, option, true, key, glob, true);
}

static int parse_args(struct agent *ag, int argc, char **argv, bool *foreground,
		      const char **state, bool *check_config)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "interface", required_argument, NULL, 'i' },
		{ "exclude-interface", required_argument, NULL, 'x' },
		{ "control", required_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 'S' },
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
	struct config_cli *cli = &ag->cli;
	unsigned long v;
	char *end;
	int c, err = 0;

	/* getopt names the program by argv[0]: the name, not the path it was
	 * started by (build/bin/asconfd: unrecognized option). */
	argv[0] = (char *)"asconfd";
	while (!err && (c = getopt_long(argc, argv, "C:i:x:c:p:fvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
			ag->config_path = optarg;
			ag->config_required = true;
			break;
		case 'k':
			*check_config = true;
			break;
		case 'i':
			err = cli_glob(ag, "--interface", "interfaces", optarg);
			break;
		case 'x':
			err = cli_glob(ag, "--exclude-interface", "exclude", optarg);
			break;
		case 'S':
			*state = optarg;
			break;
		case 'p':
			err = cli_glob(ag, "--prefer", "prefer", optarg);
			break;
		case 'c':
			err = config_cli_set(cli, "--control", false, "control", optarg, false);
			break;
		case 'f':
			*foreground = true;
			break;
		case 'N':
			ag->netns = optarg;
			break;
		case 'R':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || v < 4096 || v > INT_MAX) {
				fprintf(stderr, "asconfd: --rcvbuf wants a byte count from 4096 "
					"to %d, not '%s'\n", INT_MAX, optarg);
				return 2;
			}
			err = config_cli_set(cli, "--rcvbuf", false, "netlink-rcvbuf", optarg, false);
			break;
		case 'D':
			err = config_cli_set(cli, "--deprecated", true, "deprecated", "yes", false);
			break;
		case 'T':
			err = config_cli_set(cli, "--no-temporary", true, "temporary", "no", false);
			break;
		case 'L':
			err = config_cli_set(cli, "--link-local", true, "link-local", "yes", false);
			break;
		case 'K':
			err = config_cli_set(cli, "--keep-down-links", true, "keep-down-links", "yes",
					     false);
			break;
		case 'v':
			err = config_cli_set(cli, "--verbose", false, "log-level", "debug", false);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			puts("asconfd " ASCONF_VERSION);
			return 0;
		default:
			fputs("Try 'asconfd --help'.\n", stderr);
			return 2;
		}
	}
	if (err) {
		if (err == -ENOMEM)
			fprintf(stderr, "asconfd: out of memory\n");
		return err == -ENOMEM ? 1 : 2;
	}
	if (optind < argc) {
		fprintf(stderr, "asconfd: unexpected argument '%s'\nTry 'asconfd --help'.\n",
			argv[optind]);
		return 2;
	}
	return -1;      /* go on */
}

static void warn_unfollowed(const struct config *cfg)
{
	for (size_t i = 0; i < config_policy_count(cfg); i++) {
		const struct policy *p = config_policy_at(cfg, i);

		if (!policy_follows_any(p))
			log_warn(i ? "policy %s: no interfaces: it follows no address"
				   : "policy %s: no --interface given and no interfaces in the "
				     "configuration: no address will be followed", policy_name(p));
	}
}

int main(int argc, char **argv)
{
	struct agent ag = { .epfd = -1, .retry_fd = -1, .hold_fd = -1, .watchdog_fd = -1,
			    .state_fd = -1, .status_fd = -1,
			    .retry_ms = 0,
			    .config_path = CONFIG_DEFAULT_PATH };
	struct nlmon_opts mo = { 0 };
	struct ctl_access access;
	const char *state = NULL;
	bool foreground = false, check_config = false;
	int err, sigfd = -1, ret;
	char why[512];
	sigset_t mask;

	log_open("asconfd", false, LOG_INFO);
	clock_gettime(CLOCK_MONOTONIC, &ag.started);
	ag.started_wall = time(NULL);
	ret = parse_args(&ag, argc, argv, &foreground, &state, &check_config);
	if (ret >= 0)
		goto out;
	ret = 1;
	if (config_load(ag.config_path, ag.config_required, &ag.cli, &ag.cfg, why, sizeof(why))) {
		fprintf(stderr, "asconfd: %s\n", why);
		goto out;
	}
	/* asconfd -t, as nginx -t and sshd -t: the same loader as a start and
	 * a reload, and nothing else. */
	if (check_config) {
		struct stat st;

		printf("asconfd: configuration OK: %s%s\n", ag.config_path,
		       stat(ag.config_path, &st) ? " (absent: built-in defaults)" : "");
		ret = 0;
		goto out;
	}
	log_open("asconfd", !foreground, ag.cfg->log_level);
	log_buffer();
	raise_fd_limit();

	if (ag.netns && (err = enter_netns(ag.netns))) {
		startup_error("cannot enter network namespace '%s': %s\n",
			ag.netns, strerror(-err));
		goto out;
	}
	err = check_sctp();
	if (err) {
		startup_error("this kernel has no SCTP support (%s); "
			"load it with 'modprobe sctp'\n", strerror(-err));
		goto out;
	}
	warn_unfollowed(ag.cfg);
	notify_open();

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	ag.tab = addrtab_new(table_changed, &ag);
	ag.reg = registry_new();
	ag.hold = hold_new();
	ag.aff = affect_new();
	if (!ag.tab || !ag.reg || !ag.hold || !ag.aff)
		goto out;
	mo.rcvbuf = ag.cfg->rcvbuf;
	ag.mon = nlmon_open(ag.tab, &mo);
	if (!ag.mon) {
		startup_error("cannot follow rtnetlink: %s\n", strerror(errno));
		goto out;
	}
	ag.dump_done = true;
	ag.control = ag.cfg->control;
	ag.state_path = state_path(ag.cfg->control, state);
	if (!ag.state_path && (!state || *state))
		goto out;
	/* Before the socket is made in it; again after, as ctl_open_access
	 * may have made the directory. */
	if (check_dirs(&ag))
		goto out;
	access = (struct ctl_access){ ag.cfg->has_group, ag.cfg->group, ag.cfg->mode };
	ag.ctl = ctl_open_access(ag.cfg->control, &access, &agent_ctl_ops, &ag, why, sizeof(why));
	if (!ag.ctl) {
		startup_error("%s\n", why);
		goto out;
	}
	if (ag.cfg->has_monitor) {
		char *mon = sibling_path(ag.cfg->control, CTLMSG_MONITOR_NAME);

		if (!mon || ctl_open_monitor(ag.ctl, mon, ag.cfg->monitor_group, why,
					     sizeof(why))) {
			fprintf(stderr, "asconfd: monitor-group: %s\n", mon ? why : "out of memory");
			free(mon);
			goto out;
		}
		free(mon);
	}
	if (check_dirs(&ag))
		goto out;
	agent_ctl_limits(&ag);
	if (!foreground && daemon(0, 0)) {
		startup_error("cannot daemonize: %s\n", strerror(errno));
		goto out;
	}
	ag.epfd = epoll_create1(EPOLL_CLOEXEC);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	ag.retry_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	ag.hold_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	ag.state_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ag.epfd < 0 || sigfd < 0 || ag.retry_fd < 0 || ag.hold_fd < 0 || ag.state_fd < 0 ||
	    watch(&ag, sigfd) || watch(&ag, ag.retry_fd) || watch(&ag, ag.hold_fd) ||
	    watch(&ag, ag.state_fd) ||
	    watch(&ag, nlmon_fd(ag.mon)) || watch(&ag, ctl_listen_fd(ag.ctl)) ||
	    (ctl_monitor_fd(ag.ctl) >= 0 && watch(&ag, ctl_monitor_fd(ag.ctl)))) {
		log_err("cannot set up the event loop: %m");
		goto out;
	}
	ag.owners = owners_new(ag.epfd, false);
	if (!ag.owners)
		goto out;
	if ((err = agent_watchdog_open(&ag)) || (ag.watchdog_fd >= 0 && watch(&ag, ag.watchdog_fd))) {
		log_err("cannot set up the watchdog timer: %s", strerror(err ? -err : errno));
		goto out;
	}
	if ((err = agent_notify_open(&ag)) || (ag.status_fd >= 0 && watch(&ag, ag.status_fd))) {
		log_err("cannot set up the status timer: %s", strerror(err ? -err : errno));
		goto out;
	}
	warn_unannounced();
	agent_restore(&ag);
	log_info("ready: control socket %s, %zu address(es) known, %zu polic%s",
		 ag.cfg->control, addrtab_naddrs(ag.tab), config_policy_count(ag.cfg),
		 config_policy_count(ag.cfg) == 1 ? "y" : "ies");
	adopt_scan(&ag);
	if (registry_count(ag.reg))
		agent_reconcile_all(&ag, true);
	log_flush();
	agent_ready(&ag);
	ag.dirty = false;
	ret = run(&ag, sigfd) ? 3 : 0;
	agent_state_flush(&ag);
out:
	ctl_close(ag.ctl);
	adopt_free(&ag);
	owners_free(ag.owners);
	free(ag.state_path);
	registry_free(ag.reg);
	nlmon_close(ag.mon);
	addrtab_free(ag.tab);
	hold_free(ag.hold);
	agent_pass_free(&ag);
	agent_untaken_free(&ag);
	affect_free(ag.aff);
	config_free(ag.cfg);
	config_cli_free(&ag.cli);
	if (ag.epfd >= 0)
		close(ag.epfd);
	if (sigfd >= 0)
		close(sigfd);
	if (ag.retry_fd >= 0)
		close(ag.retry_fd);
	if (ag.watchdog_fd >= 0)
		close(ag.watchdog_fd);
	if (ag.status_fd >= 0)
		close(ag.status_fd);
	notify_close();
	if (ag.hold_fd >= 0)
		close(ag.hold_fd);
	if (ag.state_fd >= 0)
		close(ag.state_fd);
	log_flush();
	return ret;
}
