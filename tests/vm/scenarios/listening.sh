# SPDX-License-Identifier: GPL-2.0-or-later
# A managed listening socket with no association yet: an address added on c2
# is bound at once (status), so an association the peer starts LATER gets
# it in the INIT-ACK: the peer's sctp_getpaddrs lists 10.2.0.1 right at
# COMM_UP.  Later changes reach that accepted association by ASCONF.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "client listens on 10.1.0.1:6000 and is managed" \
	start_client --listen --bind 10.1.0.1 --port 6000 --manage
check "client got MANAGED" wait_line "$WORK/client.log" '^MANAGED' 3
check "status: no association yet" wait_status '^  peers told: no association yet$' 3

ip -n cli addr add 10.2.0.1/24 dev c2
check "status shows 10.2.0.1 bound on the listener" \
	wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.1$' 5

check "peer in srv connects to 10.1.0.1:6000" \
	start_peer_as peer 5000 10.1.0.2,10.2.0.2 --paddrs --connect 10.1.0.1 --peer-port 6000
check "the association comes up" wait_line "$WORK/peer.log" '^PADDRS ' 5
check "INIT-ACK carried 10.2.0.1: the peer knows it at COMM_UP" \
	grep -Eq '^PADDRS assoc=[0-9]+ (.* )?10\.2\.0\.1( |$)' "$WORK/peer.log"
check "and 10.1.0.1 too" grep -Eq '^PADDRS assoc=[0-9]+ (.* )?10\.1\.0\.1( |$)' "$WORK/peer.log"
check "status: peers told: yes (1 association)" \
	wait_status '^  peers told: yes \(1 association\(s\)\)$' 3

ip -n cli addr add 10.2.0.5/24 dev c2
check "a later address reaches the accepted association: ADDR_ADDED 10.2.0.5" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.5 ' 5

dump_if_failed peer client
finish
