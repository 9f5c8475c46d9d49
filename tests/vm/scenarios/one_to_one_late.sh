# SPDX-License-Identifier: GPL-2.0-or-later
# Sockets accepted before an address came, handed over after their listener
# got it: the listener holds 10.2.0.11 while LISTENING, which the
# kernel counts as a conflict for any other socket of the port unless both
# have SO_REUSEPORT (Linux 5.0+).  See one_to_one_server in lib.sh.
. /extra/lib.sh
trap topo_down EXIT
one_to_one_server 0 hold
finish
