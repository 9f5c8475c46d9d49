/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether the directory of a file the daemon trusts (the state file, the
 * control socket) can be changed by someone else, as sshd's StrictModes
 * asks of a home directory.  The rule, for the file's directory and every
 * directory above it, both as the path names them and after symbolic
 * links are resolved:
 *   - owned by root or the daemon's effective uid;
 *   - writable by neither group nor others, except a directory above the
 *     file's own that is root's and sticky (/tmp, mode 1777): there, no
 *     one else can rename or remove what root made.
 * A directory that does not exist yet (the daemon makes the control
 * socket's) is judged by the first one above it that does. */
#ifndef ASCONF_AGENT_SAFEDIR_H
#define ASCONF_AGENT_SAFEDIR_H

#include <stddef.h>
#include <sys/types.h>

/* path: the file (it need not exist); what: "state file", for messages.
 * 0, or -EPERM with "WHAT's directory DIR: owned by uid U (...), mode M"
 * in why, or another negative errno (a directory that cannot be looked at,
 * -ENOMEM). */
int safedir_check(const char *path, uid_t euid, const char *what, char *why, size_t len);

#endif
