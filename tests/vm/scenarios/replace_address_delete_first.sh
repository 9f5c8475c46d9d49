# SPDX-License-Identifier: GPL-2.0-or-later
# Break before make: the ONLY address of a managed socket is deleted from
# the host before a replacement exists.  asconfd must keep it bound (a
# socket cannot lose its last address; the peer hears nothing), and once a
# replacement appears on c2 it binds the new address first and only then
# unbinds the old one (log order, status).
#
# Kernel limit (Linux 6.1), shown here but not counted: the peer is never
# told.  An ASCONF must leave from an address the association already has,
# and its only one is gone from the host, so the ADD stays queued (cli's
# /proc/net/sctp/assocs lists both addresses, nothing reaches srv).  Only
# the kernel's own auto_asconf path may use a new source
# (src_out_of_asoc_ok); sctp_bindx cannot.
. /extra/lib.sh
trap topo_down EXIT
topo_up
ip -n cli addr add 10.2.0.1/24 dev c2

check "asconfd starts with --interface c2" start_asconfd --interface c2 --verbose
check "peer listens on 10.2.0.2" start_peer 5000 10.2.0.2
check "client on 10.2.0.1 only connects and is managed" \
	start_client --bind 10.2.0.1 --port 6000 --connect 10.2.0.2 --peer-port 5000 --manage
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "peer saw the association" wait_line "$WORK/peer.log" '^ASSOC_UP' 5

ip -n cli addr del 10.2.0.1/24 dev c2
check "the peer is not told to remove the last address" \
	no_line "$WORK/peer.log" '^ADDR_REMOVED' 2
check "status still shows 10.2.0.1 bound" status_has '^  bound: 10\.2\.0\.1$'
check "asconfd did not try to unbind it" bash -c "! grep -q 'REM 10\.2\.0\.1' '$WORK/asconfd.log'"

ip -n cli addr add 10.2.0.11/24 dev c2
check "the replacement is bound, then the old address unbound" \
	wait_line "$WORK/asconfd.log" 'bindx REM 10\.2\.0\.1$' 5
check "ADD 10.2.0.11 came before REM 10.2.0.1 in asconfd's log" \
	before "$WORK/asconfd.log" 'bindx ADD 10\.2\.0\.11$' 'bindx REM 10\.2\.0\.1$'
check "status shows only 10.2.0.11 bound" wait_status '^  bound: 10\.2\.0\.11$' 3
check "the association took the new address (kernel assoc list)" \
	bash -c "ip netns exec cli cat /proc/net/sctp/assocs | grep -q ' 10\.2\.0\.11 '"
check "asconfd had no REM failure" bash -c "! grep -q 'bindx REM .* failed' '$WORK/asconfd.log'"

# The kernel limit above, reported but not counted.
if wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.11 ' 3; then
	echo "NOTE: the peer did hear ADDR_ADDED 10.2.0.11 (the kernel limit is gone)"
else
	echo "NOTE: as expected on Linux 6.1 the peer was not told (no source address left for the ASCONF)"
fi

dump_if_failed peer client
finish
