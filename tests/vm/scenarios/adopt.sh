# SPDX-License-Identifier: GPL-2.0-or-later
# Adoption (adopt-ports, adopt-commands): programs that never heard of
# asconfd (sctp_client without --manage, sctp_server --no-manage) are found
# with sock_diag and managed.  A client on port 3868 bound to 10.1.0.1 gets
# the address added on c2 (its peer hears ADDR_ADDED); a client on another
# port is left alone; the owner's SIGKILL ends the association; a one-to-one
# listener started later has its accepted sockets adopted at the next
# address event, which then reaches each association; adopt-commands
# matches the owner's comm (adopted at the next pass: a status adopts
# nothing); a wildcard-bound socket is left to the kernel
# and looked at once.  A daemon killed and started again takes the adopted
# sockets back from its state file and still shows them adopted.
. /extra/lib.sh
trap topo_down EXIT
topo_up

js() { asconfctl status --json | jq -e "$@" >/dev/null; }

conf=$WORK/asconfd.conf
cat >"$conf" <<'CONF'
[policy default]
interfaces = c2
adopt-ports = 3868 3869
[policy byname]
interfaces = c2
adopt-commands = sctp_serv*
CONF

check "peer listens on 5000" start_peer 5000 10.1.0.2,10.2.0.2
check "other peer listens on 5001" start_peer_as other 5001 10.1.0.2,10.2.0.2
in_cli sctp_client --bind 10.1.0.1 --port 3868 --connect 10.1.0.2 --peer-port 5000 \
	>"$WORK/a.log" 2>&1 &
PIDS[a]=$!
check "client 10.1.0.1:3868 (no --manage) connects" wait_line "$WORK/a.log" '^CONNECTED' 10
in_cli sctp_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5001 \
	>"$WORK/b.log" 2>&1 &
PIDS[b]=$!
check "client 10.1.0.1:6000 (no --manage) connects" wait_line "$WORK/b.log" '^CONNECTED' 10
in_cli sctp_client --bind 0.0.0.0 --port 3869 --listen >"$WORK/wild.log" 2>&1 &
PIDS[wild]=$!
check "a wildcard listener on 3869" wait_line "$WORK/wild.log" '^LISTENING' 10
apid=$(real_pid "${PIDS[a]}")

check "asconfd starts with adopt-ports = 3868 3869" start_asconfd -C "$conf" -v
check "the 3868 client is adopted at start" \
	wait_line "$WORK/asconfd.log" "adopted by policy default \(pid $apid sctp_client, descriptor [0-9]+, port 3868\)" 5
check "status: adopted under default" status_has "^socket [0-9]+ pid $apid .* port 3868 policy default \(adopted\)$"
check "status --json: \"adopted\": \"default\"" \
	js '.sockets[] | select(.port == 3868) | .adopted == "default"'
check "the 6000 client is not touched" bash -c "! asconfctl status | grep -q 'port 6000'"
check "the wildcard listener is not adopted" bash -c "! asconfctl status | grep -q 'port 3869'"
check "  ... it is left to the kernel, said at debug level" \
	grep -q "port 3869 is bound to the wildcard address: left to the kernel" "$WORK/asconfd.log"
check "  ... once, however many scans" \
	[ "$(grep -c 'port 3869 is bound to the wildcard' "$WORK/asconfd.log")" -eq 1 ]

ip -n cli addr add 10.2.0.1/24 dev c2
check "an address added on c2 reaches the adopted client's peer" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "  ... not the other client's" no_line "$WORK/other.log" '^ADDR_ADDED' 2

kill -KILL "$apid"
check "the owner's SIGKILL ends the association" wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5
check "  ... and releases the socket" \
	wait_line "$WORK/asconfd.log" "owner pid $apid exited: released 1 socket" 5

# A one-to-one server that never hands anything over: its listener and
# accepted sockets are adopted at the next address event, before the pass.
in_cli sctp_server --bind 10.1.0.1 --port 3868 --accept 2 --no-manage \
	>"$WORK/server.log" 2>&1 &
PIDS[server]=$!
check "one-to-one server (--no-manage) listens on 10.1.0.1:3868" \
	wait_line "$WORK/server.log" '^LISTENING' 10
for i in 1 2; do
	check "peer p$i connects to 10.1.0.1:3868" \
		start_peer_as "p$i" $((5100 + i)) 10.1.0.2,10.2.0.2 --connect 10.1.0.1 --peer-port 3868
	check "the server accepts p$i" wait_line "$WORK/server.log" "^ACCEPTED $((i - 1))\$" 10
done
spid=$(real_pid "${PIDS[server]}")
ip -n cli addr add 10.2.0.11/24 dev c2
for i in 1 2; do
	check "the new address reaches accepted association p$i" \
		wait_line "$WORK/p$i.log" '^ADDR_ADDED 10\.2\.0\.11 ' 5
done
check "listener and 2 accepted sockets adopted under default" \
	[ "$(asconfctl status | grep -cE "^socket [0-9]+ pid $spid .* port 3868 policy default \(adopted\)$")" -eq 3 ]

# adopt-commands: a listener of sctp_server on a port no rule lists.
in_cli sctp_server --bind 10.1.0.1 --port 2905 --accept 1 --no-manage \
	>"$WORK/byname.log" 2>&1 &
PIDS[byname]=$!
check "sctp_server listens on 10.1.0.1:2905" wait_line "$WORK/byname.log" '^LISTENING' 10
npid=$(real_pid "${PIDS[byname]}")
# A status only reports: looking adopts nothing, the next pass does.
check "status does not adopt it" bash -c "! asconfctl status | grep -q ' port 2905 '"
check "  ... nor status --json" \
	js '[.sockets[] | select(.port == 2905)] | length == 0'
check "  ... nor check, nor metrics" \
	bash -c "asconfctl check >/dev/null; asconfctl metrics >/dev/null; ! asconfctl status | grep -q ' port 2905 '"
ip -n cli addr add 10.2.0.13/24 dev c2
check "the next address event adopts it by its command name (policy byname)" \
	wait_status "^socket [0-9]+ pid $npid .* port 2905 policy byname \(adopted\)$" 5
check "  ... and holds the addresses of c2" \
	bash -c "asconfctl status | grep -A1 ' port 2905 ' | grep -q '^  bound:.* 10\.2\.0\.11'"
check "the 6000 client (comm sctp_client) is still not touched" \
	bash -c "! asconfctl status | grep -q 'port 6000'"
check "the wildcard listener still looked at once" \
	[ "$(grep -c 'port 3869 is bound to the wildcard' "$WORK/asconfd.log")" -eq 1 ]
check "timing of the scans logged at debug level" \
	grep -q "adoption scan: [0-9]* socket(s) listed in" "$WORK/asconfd.log"

# A restart keeps "adopted": the state file says so, and the sockets taken
# back from it (before any adoption scan) are shown adopted again.
# The state file is written at most every 100 ms: the last adoption came
# from an address event a moment ago, so it may not be in yet.  Each line
# ends with the socket's cookie.
adopted_re='^[0-9]+ [0-9]+ [0-9]+ [a-z]+ adopted cookie=[1-9][0-9]*$'
check "the state file marks the 4 adopted sockets" wait_count "$WORK/state" "$adopted_re" 4 3
check "  ... and no more" [ "$(grep -cE "$adopted_re" "$WORK/state")" -eq 4 ]
kill -KILL "$(daemon_pid)"
wait "$ASCONFD_PID" 2>/dev/null
cat "$WORK/asconfd.log" >"$WORK/asconfd-before.txt"
check "asconfd starts again (SIGKILL before)" start_asconfd -C "$conf" -v
check "the 4 adopted sockets are taken again from the state file, as adopted" \
	[ "$(grep -c "taken again from pid [0-9]* descriptor [0-9]* (inode [0-9]*, policy [a-z]*, adopted)" \
		"$WORK/asconfd.log")" -eq 4 ]
check "status after the restart: listener and 2 accepted sockets still adopted under default" \
	[ "$(asconfctl status | grep -cE "^socket [0-9]+ pid $spid .* port 3868 policy default \(adopted\)$")" -eq 3 ]
check "status after the restart: the 2905 listener still adopted under byname" \
	status_has "^socket [0-9]+ pid $npid .* port 2905 policy byname \(adopted\)$"
check "status --json after the restart: \"adopted\": \"byname\"" \
	js '.sockets[] | select(.port == 2905) | .adopted == "byname"'
ip -n cli addr add 10.2.0.12/24 dev c2
for i in 1 2; do
	check "after the restart an added address reaches accepted association p$i" \
		wait_line "$WORK/p$i.log" '^ADDR_ADDED 10\.2\.0\.12 ' 5
done

dump_if_failed asconfd peer other server p1 p2
[ "$FAILED" -eq 0 ] || show asconfd-before "$WORK/asconfd-before.txt"
finish
