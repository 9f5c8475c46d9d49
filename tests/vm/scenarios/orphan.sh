# SPDX-License-Identifier: GPL-2.0-or-later
# An application that closes its managed socket without asconf_release,
# while keeping its connection to the daemon, must not have its association
# kept alive by the daemon's duplicate: after the next pass the
# daemon sees the owner no longer holds the socket and lets it go, and the
# peer then sees the association end.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
managed_assoc --drop-after 500
check "client closed its socket (no release)" wait_line "$WORK/client.log" '^DROPPED' 5
# A status only reports: the orphan stays until the next pass, which an
# address event on c2 brings.
check "status does not release it" status_has ' sockets 1 '
ip -n cli addr add 10.2.0.1/24 dev c2
check "status shows the orphan released after the next pass" wait_status ' sockets 0 ' 3
check "the daemon logs why" grep -Eq 'socket 1: released: pid [0-9]+ no longer holds it' "$WORK/asconfd.log"
check "the peer sees the association end" wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5
check "the client process is still connected to the daemon" kill -0 "$CLIENT_PID"

dump_if_failed peer client
finish
