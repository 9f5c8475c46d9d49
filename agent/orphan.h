/* Does a process still hold a socket?  The daemon's duplicate descriptor
 * would otherwise keep an association alive after its owner closed it. */
#ifndef ASCONF_AGENT_ORPHAN_H
#define ASCONF_AGENT_ORPHAN_H

#include <stdbool.h>
#include <sys/types.h>

/* False only when /proc/PID/fd is readable and none of its entries is the
 * socket with inode ino (or the process is gone); unknown counts as held. */
bool orphan_held(pid_t pid, ino_t ino);

#endif
