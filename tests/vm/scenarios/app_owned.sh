# SPDX-License-Identifier: GPL-2.0-or-later
# The application's own address on a link asconfd does not follow: the
# client binds 10.1.0.1 (c1) and 10.3.0.1 (c3), asconfd follows c2 only.
# c3 going down makes 10.3.0.1 unusable: asconfd removes it (the peer hears
# ADDR_REMOVED); c3 coming back makes it usable: asconfd binds it again and
# the peer hears ADDR_ADDED.  The application's binding is never lost for
# good, and the followed link keeps working alongside.
. /extra/lib.sh
trap topo_down EXIT
topo_up
ip link add c3 netns cli type veth peer name s3 netns srv
ip -n cli addr add 10.3.0.1/24 dev c3
ip -n srv addr add 10.3.0.2/24 dev s3
ip -n cli link set c3 up
ip -n srv link set s3 up

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer listens on 10.1.0.2 and 10.3.0.2" start_peer 5000 10.1.0.2,10.3.0.2
check "client on 10.1.0.1 and 10.3.0.1 connects and is managed" \
	start_client --bind 10.1.0.1,10.3.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "asconfd names the application's own addresses" \
	wait_line "$WORK/asconfd.log" "socket 1: the application's own address\(es\), kept whenever usable: 10\.1\.0\.1 10\.3\.0\.1$" 5
check "status: both bound" wait_status '^  bound: 10\.1\.0\.1 10\.3\.0\.1$' 5

ip -n cli link set c3 down
check "c3 down: 10.3.0.1 is removed from the socket" wait_status '^  bound: 10\.1\.0\.1$' 5
check "the peer hears ADDR_REMOVED 10.3.0.1" wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.3\.0\.1 ' 5

ip -n cli link set c3 up
check "c3 up: 10.3.0.1 is bound again" wait_status '^  bound: 10\.1\.0\.1 10\.3\.0\.1$' 5
check "the peer hears ADDR_ADDED 10.3.0.1" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.3\.0\.1 ' 5

ip -n cli addr add 10.2.0.1/24 dev c2
check "the followed link still works: ADDR_ADDED 10.2.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
# Deleting the address for good (not just the link) is the same story.
ip -n cli addr del 10.3.0.1/24 dev c3
check "deleted from the host: removed from the socket" \
	wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.1$' 5
ip -n cli addr add 10.3.0.1/24 dev c3
check "back on the host: bound again" \
	wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.1 10\.3\.0\.1$' 5
check "no ASSOC_DOWN" bash -c "! grep -q '^ASSOC_DOWN' '$WORK/peer.log'"

dump_if_failed peer client
finish
