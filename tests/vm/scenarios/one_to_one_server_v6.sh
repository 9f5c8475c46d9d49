# SPDX-License-Identifier: GPL-2.0-or-later
# The one-to-one server over IPv6 (fd02::1 replaced by fd02::11).  See
# one_to_one_server in lib.sh.
. /extra/lib.sh
trap topo_down EXIT
one_to_one_server 1 listener-first
finish
