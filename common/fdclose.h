/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Closing a descriptor another process gave us.  close() can block: a
 * socket with SO_LINGER whose close is the last waits up to the linger
 * time for its unsent data (sctp_close, tcp_close), and a file on FUSE or
 * NFS flushes.  The daemon serves everyone from one thread, so such a
 * close must never run there.  What provably cannot block (an IPv4 or
 * IPv6 socket without SO_LINGER) is closed at once; anything else on a
 * helper thread that does nothing but that close. */
#ifndef ASCONF_COMMON_FDCLOSE_H
#define ASCONF_COMMON_FDCLOSE_H

#include <stdbool.h>

/* Closes fd now or hands it to a closer thread; never blocks the caller
 * on the descriptor.  The descriptor number is gone for the caller either
 * way. */
void fdclose_foreign(int fd);

/* Could closing fd here block?  Anything but an IPv4 or IPv6 socket
 * without SO_LINGER may (a Unix socket drops the descriptors queued in
 * it when closed). */
bool fdclose_may_block(int fd);

/* Descriptors handed to closer threads and not closed yet (for tests and
 * the status). */
unsigned int fdclose_pending(void);

#endif
