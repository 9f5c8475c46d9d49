# SPDX-License-Identifier: GPL-2.0-or-later
# Make before break with data flowing: a socket bound ONLY to 10.2.0.1 on c2
# streams numbered messages to the peer.  10.2.0.11 is added (the peer gets
# ADDR_ADDED), then 10.2.0.1 is deleted (ADDR_REMOVED).  The association
# survives on the new address: no lost message, the data keeps arriving
# after the removal, and asconfd never had a REM refused.
. /extra/lib.sh
trap topo_down EXIT
topo_up
# Deleting 10.2.0.1 must not take its secondary 10.2.0.11 along.
in_cli sysctl -qw net.ipv4.conf.c2.promote_secondaries=1
ip -n cli addr add 10.2.0.1/24 dev c2

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer listens on 10.2.0.2" start_peer_as peer 5000 10.2.0.2 --every 50
check "client on 10.2.0.1 only connects, streams and is managed" \
	start_client --bind 10.2.0.1 --port 6000 --connect 10.2.0.2 --peer-port 5000 \
		--manage --send-every 5
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "data arrives at the peer" wait_line "$WORK/peer.log" '^DATA seq=' 5

ip -n cli addr add 10.2.0.11/24 dev c2
check "the replacement reaches the peer as ADDR_ADDED 10.2.0.11" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.11 ' 5
ip -n cli addr del 10.2.0.1/24 dev c2
check "the deleted address reaches the peer as ADDR_REMOVED 10.2.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
check "status shows only 10.2.0.11 bound" wait_status '^  bound: 10\.2\.0\.11$' 3
n=$(grep -c '^DATA seq=' "$WORK/peer.log")
sleep 2
check "data keeps arriving after the old address is gone" \
	[ "$(grep -c '^DATA seq=' "$WORK/peer.log")" -ge $((n + 3)) ]
check "no ASSOC_DOWN while streaming" bash -c "! grep -q '^ASSOC_DOWN' '$WORK/peer.log'"

# Stop the client (graceful SHUTDOWN delivers what is queued), then the peer
# once it has read everything up to the end of the association.
stop_pid "$CLIENT_PID"
wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5
stop_pid "${PIDS[peer]}"
sent=$(sed -nE 's/^SENT n=([0-9]+).*/\1/p' "$WORK/client.log")
recv=$(sed -nE 's/^DATA_SUMMARY received=([0-9]+) .*/\1/p' "$WORK/peer.log")
gaps=$(sed -nE 's/^DATA_SUMMARY .* gaps=([0-9]+).*/\1/p' "$WORK/peer.log")
echo "    client sent ${sent:-?}, peer received ${recv:-?} with ${gaps:-?} gap(s)"
check "no gap in the received sequence" [ "${gaps:-x}" = 0 ]
check "a few hundred messages got through" [ "${recv:-0}" -ge 200 ]
check "everything sent was received" [ "${recv:-0}" = "${sent:-none}" ]
check "no send failed" bash -c "! grep -q '^SEND_FAILED' '$WORK/client.log'"
# An ADD refused for now (the local route is not there yet) is logged
# once and retried: not a failure.
check "asconfd had no bindx failure" bash -c "! grep 'bindx .* failed' '$WORK/asconfd.log' |
	grep -qv 'bindx ADD .* Cannot assign requested address (retried)'"

dump_if_failed peer client
finish
