/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The order of a pass over sockets that share ports.  The kernel keeps all
 * SCTP sockets of one port in one bind bucket (a listener and its accepted
 * one-to-one sockets always do), and sctp_get_port_local checks every bindx
 * ADD against the others of that bucket; see docs/design.md.  Pure
 * functions, so the plan is testable without a kernel. */
#ifndef ASCONF_SCTP_PORTPLAN_H
#define ASCONF_SCTP_PORTPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* order[0..n) gets 0..n-1 sorted by port, registration order within a
 * port, so the sockets of a port are one run. */
void portplan_by_port(const uint16_t *port, size_t n, size_t *order);

/* Length of the run that starts at order[i]: how many sockets share the
 * port of socket order[i] from there on. */
size_t portplan_run(const uint16_t *port, const size_t *order, size_t n, size_t i);

/* Within one run: listening sockets after the others, each side in its
 * order (stable).  listening[] is indexed like port[], by socket. */
void portplan_listeners_last(size_t *run, size_t k, const bool *listening);

#endif
