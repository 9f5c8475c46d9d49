# SPDX-License-Identifier: GPL-2.0-or-later
# Diameter/M3UA shape: a one-to-one server, its listener handed to asconfd
# first, then each accepted socket.  The only original address is replaced
# (add new, delete old) while both accepted associations stream data: the
# kernel keeps the three sockets in one port bucket, and asconfd lets them
# share it for the ADDs (docs/design.md).  See one_to_one_server in lib.sh.
. /extra/lib.sh
trap topo_down EXIT
one_to_one_server 0 listener-first
finish
