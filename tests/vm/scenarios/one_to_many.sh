# SPDX-License-Identifier: GPL-2.0-or-later
# One-to-many socket with two associations: one managed socket talks to two
# different peers (same port, disjoint addresses).  An address added on c2
# is announced on BOTH associations; its removal too.
. /extra/lib.sh
trap topo_down EXIT
topo_up
# A second set of peer addresses for peer B.
ip -n srv addr add 10.1.0.3/24 dev s1
ip -n srv addr add 10.2.0.3/24 dev s2

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer A listens on 10.1.0.2,10.2.0.2" start_peer_as peerA 5000 10.1.0.2,10.2.0.2
check "peer B listens on 10.1.0.3,10.2.0.3" start_peer_as peerB 5000 10.1.0.3,10.2.0.3
check "client connects to both peers from one socket and is managed" \
	start_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --connect 10.1.0.3 \
		--peer-port 5000 --manage
check "client had two associations" [ "$(grep -c '^CONNECTED' "$WORK/client.log")" -eq 2 ]
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "status shows 2 associations on the socket" \
	wait_status '^  peers told: yes \(2 association\(s\)\)$' 3

ip -n cli addr add 10.2.0.1/24 dev c2
check "peer A gets ADDR_ADDED 10.2.0.1" wait_line "$WORK/peerA.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "peer B gets ADDR_ADDED 10.2.0.1" wait_line "$WORK/peerB.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5

ip -n cli addr del 10.2.0.1/24 dev c2
check "peer A gets ADDR_REMOVED 10.2.0.1" wait_line "$WORK/peerA.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
check "peer B gets ADDR_REMOVED 10.2.0.1" wait_line "$WORK/peerB.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
check "neither association went down" \
	bash -c "! grep -q '^ASSOC_DOWN' '$WORK/peerA.log' '$WORK/peerB.log'"

dump_if_failed peerA peerB client
finish
