# SPDX-License-Identifier: GPL-2.0-or-later
# A descriptor whose close blocks must never freeze the daemon.  A
# handed-over one-to-one SCTP socket with SO_LINGER 120 s and unsent data
# (its peer listens but never accepts, so never reads): its owner is
# killed, the daemon's copy is the last and closing it would wait 120 s.
# Right then an address comes up on c2 and a status is asked: the other
# association's peer hears ADDR_ADDED and the status answers within 1 s,
# and SIGTERM ends the daemon at once.  The same with a TCP socket with
# SO_LINGER and unsent data passed along with STATUS (linger_pass).
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2 -v
managed_assoc
in_srv sctp_client --listen --stream --bind 10.1.0.2 --port 5100 >"$WORK/sink.log" 2>&1 &
PIDS[sink]=$!
check "a peer that never reads listens on 10.1.0.2:5100" wait_line "$WORK/sink.log" '^LISTENING' 5
check "a one-to-one client with SO_LINGER 120 s is managed" \
	start_client_as lingerer --stream --bind 10.1.0.1 --port 6100 --connect 10.1.0.2 \
	--peer-port 5100 --manage --linger 120 --fill
check "  ... its send buffer is full (data unsent)" \
	wait_line "$WORK/lingerer.log" '^FILLED bytes=[1-9]' 5
check "  ... two sockets managed" wait_status ' sockets 2 ' 5

kill -KILL "$(real_pid "${PIDS[lingerer]}")"
check "its owner killed: the daemon lets its socket go" \
	wait_line "$WORK/asconfd.log" 'released [0-9]+ socket|released: pid' 5
ip -n cli addr add 10.2.0.1/24 dev c2
check "an address on c2 reaches the other peer within 1 s" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 1
check "status answers within 1 s" timeout 1 asconfctl status
check "  ... with one socket left" status_has ' sockets 1 '

# A TCP socket, SO_LINGER 120 s, unsent data, passed with STATUS and
# closed by the client: the daemon's close of it is the last.
in_cli env ASCONF_CONTROL="$ASCONF_CONTROL" linger_pass 120 >"$WORK/pass.log" 2>&1 &
PIDS[pass]=$!
check "a client passes a lingering TCP socket with STATUS" wait_line "$WORK/pass.log" '^PASSED' 5
check "  ... and is answered within 1 s" wait_line "$WORK/pass.log" '^REPLY ms=([0-9]{1,3}) ' 2
ip -n cli addr add 10.2.0.3/24 dev c2
check "the next address reaches the peer within 1 s" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.3 ' 1
check "status still answers within 1 s" timeout 1 asconfctl status

dpid=$(daemon_pid)
kill -TERM "$dpid"
for ((i = 0; i < 40; i++)); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.05; done
check "SIGTERM ends the daemon within 2 s" bash -c "! kill -0 $dpid 2>/dev/null"
check "  ... it said so" wait_line "$WORK/asconfd.log" 'signal 15: exiting' 2

dump_if_failed peer lingerer sink pass
finish
