# SPDX-License-Identifier: GPL-2.0-or-later
# The one-to-one server again, with both accepted sockets handed to asconfd
# before their listener.  See one_to_one_server in lib.sh.
. /extra/lib.sh
trap topo_down EXIT
one_to_one_server 0 accepted-first
finish
