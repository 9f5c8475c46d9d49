/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The service manager's notification protocol (sd_notify(3)): one datagram
 * of NEWLINE-separated KEY=VALUE lines to the AF_UNIX socket named in
 * $NOTIFY_SOCKET ('@' first: abstract namespace).  Without the variable
 * every call is a no-op, so the daemon needs no libsystemd. */
#ifndef ASCONF_AGENT_NOTIFY_H
#define ASCONF_AGENT_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

/* Reads $NOTIFY_SOCKET and $WATCHDOG_USEC/$WATCHDOG_PID, then unsets them
 * so children do not inherit them.  0, or a negative errno for a variable
 * that is set but unusable (the reason is logged). */
int notify_open(void);
void notify_close(void);
bool notify_enabled(void);

/* Sends msg as one datagram.  0 or a negative errno (logged once). */
int notify_send(const char *msg);

/* The watchdog interval asked of this process, in microseconds; 0: none. */
uint64_t notify_watchdog_usec(void);

#endif
