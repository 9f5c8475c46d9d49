# SPDX-License-Identifier: GPL-2.0-or-later
# A real conflict next to a one-to-one server: an unmanaged listener holds
# 10.2.0.5:7000 when 10.2.0.5 comes up on c2.  The server's three managed
# sockets of port 7000 (listener and two accepted) share the port among
# themselves, but not with that socket: each reports the conflict once, at
# the default level, with the errno and the holder (its inode, pid and
# command), each shows it in status, nobody retries it in a loop, and the
# next address still reaches every socket and both peers.
. /extra/lib.sh
trap topo_down EXIT
topo_up
ip -n cli addr add 10.2.0.1/24 dev c2
ip -n cli addr add 10.2.0.5/24 dev c2
check "blocker takes 10.2.0.5:7000 (unmanaged)" \
	start_client_as blocker --listen --bind 10.2.0.5 --port 7000

# asconfd runs at the default log level: what it says below is what an
# operator sees.
check "asconfd starts with --interface c2" start_asconfd --interface c2
in_cli sctp_server --bind 10.2.0.1 --port 7000 --accept 2 >"$WORK/server.log" 2>&1 &
PIDS[server]=$!
check "one-to-one server listens on 10.2.0.1:7000" wait_line "$WORK/server.log" '^LISTENING' 10
for i in 1 2; do
	check "peer p$i connects" \
		start_peer_as "p$i" $((5000 + i)) 10.2.0.2 --connect 10.2.0.1 --peer-port 7000
done
check "listener and both accepted sockets are managed" wait_line "$WORK/server.log" '^READY' 10
for s in 1 2 3; do
	check "socket $s: the conflict is logged with errno and holder" \
		wait_line "$WORK/asconfd.log" "socket $s: bindx ADD 10\\.2\\.0\\.5 failed: Address already in use \\(held by socket inode [0-9]+ of pid [0-9]+ \\(sctp_client\\); not retried" 5
done
check "status shows it for each of the three sockets" \
	bash -c "[ \$(asconfctl status | grep -cE '^  issue: bindx ADD 10\\.2\\.0\\.5: Address already in use \\(held by socket inode [0-9]+ of pid [0-9]+ \\(sctp_client\\)\\)$') = 3 ]"

ip -n cli addr add 10.2.0.6/24 dev c2
check "the next address reaches all three sockets" wait_bound_with '10\.2\.0\.6' 3 5
for i in 1 2; do
	check "p$i hears ADDR_ADDED 10.2.0.6" wait_line "$WORK/p$i.log" '^ADDR_ADDED 10\.2\.0\.6 ' 5
done
for i in 7 8; do ip -n cli addr add 10.2.0.$i/24 dev c2; done
check "more passes ran" wait_bound_with '10\.2\.0\.8' 3 5
check "the conflict was logged once per socket, not in a loop" \
	test "$(grep -c 'bindx ADD 10\.2\.0\.5 failed' "$WORK/asconfd.log")" -eq 3
check "no socket holds 10.2.0.5" [ "$(bound_with '10\.2\.0\.5')" -eq 0 ]
check "no ASSOC_DOWN at the peers" bash -c "! grep -q '^ASSOC_DOWN' '$WORK/p1.log' '$WORK/p2.log'"

dump_if_failed server p1 p2 blocker
finish
