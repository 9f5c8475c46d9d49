/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pidfd_open (Linux 5.3), pidfd_getfd (5.6) and pidfd_send_signal (5.1)
 * through syscall(): glibc before 2.36 has no wrappers.  They fail with
 * ENOSYS on older kernels. */
#ifndef ASCONF_AGENT_PIDFD_H
#define ASCONF_AGENT_PIDFD_H

#include <unistd.h>
#include <sys/syscall.h>
#include <sys/types.h>

/* The same number on every architecture but alpha. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static inline int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The new descriptor is close-on-exec. */
static inline int sys_pidfd_getfd(int pidfd, int fd)
{
	return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
}

/* Is the process still the one the pidfd names (pidfd_send_signal with
 * signal 0, Linux 5.1)?  0, or -1 with errno (ESRCH: it exited, even if
 * its pid was reused since). */
static inline int sys_pidfd_alive(int pidfd)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0);
}

#endif
