/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The configuration: /etc/asconfd.conf (INI, read with libinih), then the
 * drop-ins /etc/asconfd.conf.d/NAME.conf in name order (a later file's key
 * replaces an earlier one's), with the command line laid over the
 * [asconfd] and [policy default] sections.
 * Loading is all or nothing: a file with any error yields no config and a
 * "FILE:LINE: reason", so a reload can keep the old one. */
#ifndef ASCONF_AGENT_CONFIG_H
#define ASCONF_AGENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define CONFIG_DEFAULT_PATH "/etc/asconfd.conf"
#define CONFIG_DEFAULT_POLICY "default"
/* The longest policy name; the state file keeps names this long whole. */
#define CONFIG_POLICY_NAME_MAX 64

struct policy;

struct config {
	char *control;                  /* control socket path */
	bool has_group;                 /* control-group given */
	gid_t group;
	mode_t mode;                    /* control-mode */
	bool has_monitor;               /* monitor-group given: monitor.sock */
	gid_t monitor_group;
	int rcvbuf;                     /* netlink-rcvbuf, bytes */
	int log_level;                  /* LOG_ERR .. LOG_DEBUG */
	unsigned int max_clients;
	unsigned int max_clients_per_user;
	unsigned int client_idle_timeout;       /* s; 0: never */
	unsigned int client_reply_timeout;      /* s; 0: never */
	unsigned int max_sockets_per_client;
	unsigned int max_sockets;
	unsigned int max_sockets_per_user;
	struct policy **policies;       /* [0] is "default" */
	size_t npolicies;
};

/* Command-line values, each standing for one key of [asconfd] or
 * [policy default]; they win over the file's, which are still checked. */
struct config_cli {
	struct config_arg {
		const char *option;     /* for messages: "--interface" */
		bool policy;            /* [policy default], else [asconfd] */
		const char *key;
		char *value;            /* malloc'd */
	} *v;
	size_t n;
};

/* Adds key=value; with append, a repeated option extends the value (a
 * space-separated list).  0 or -ENOMEM. */
int config_cli_set(struct config_cli *cli, const char *option, bool policy,
		   const char *key, const char *value, bool append);
void config_cli_free(struct config_cli *cli);

/* Reads path (required: a missing file is an error; otherwise it means the
 * built-in defaults) and path.d/NAME.conf, and lays cli over them.  0 and *out, or -errno and a
 * reason ("FILE:LINE: ...") in why. */
int config_load(const char *path, bool required, const struct config_cli *cli,
		struct config **out, char *why, size_t len);
/* The same from an open stream, named name in messages (the fuzzer reads
 * from memory with fmemopen); f stays open. */
int config_load_stream(FILE *f, const char *name, const struct config_cli *cli,
		       struct config **out, char *why, size_t len);
void config_free(struct config *c);

/* The policies, in the order the file names them ("default" first). */
size_t config_policy_count(const struct config *c);
struct policy *config_policy_at(const struct config *c, size_t i);
/* By name; NULL or "" is "default".  NULL when unknown. */
struct policy *config_policy_find(const struct config *c, const char *name);
/* "default, diameter, ..." into buf, for error messages. */
void config_policy_names(const struct config *c, char *buf, size_t len);
/* The largest hold-down of any policy, in ms. */
unsigned int config_max_hold_down(const struct config *c);

/* Name of a syslog level as the log-level key spells it. */
const char *config_level_name(int level);

#endif
