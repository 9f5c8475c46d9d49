# SPDX-License-Identifier: GPL-2.0-or-later
# asconfctl manage PID FD: a socket of a running program that never calls
# libasconf is managed (the daemon takes a copy with pidfd_getfd); an add
# then reaches its peer.  The same refusals as asconf_manage, with the
# reason printed and a non-zero exit; only root or the process's user may
# ask; release PID FD stops it; the owner recorded is PID, so its death
# releases the socket.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
chmod 0666 "$ASCONF_CONTROL"
check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2
in_cli sctp_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 \
	>"$WORK/client.log" 2>&1 &
CLIENT_PID=$!
check "an unmanaged client connects" wait_line "$WORK/client.log" '^CONNECTED' 10
pid=$(real_pid "$CLIENT_PID")
fd=$(sock_fd "$pid")
check "its socket descriptor is found" [ -n "$fd" ]

check "a user other than the process's may not ask" \
	bash -c "! setpriv --reuid 1000 --regid 1000 --clear-groups -- asconfctl manage $pid $fd 2>$WORK/err.txt"
check "... and is told why, with one prefix" grep -q "^asconfctl: process $pid runs with uids 0 0 0 0 (real, effective, saved, fs): only root or a process all of whose uids are yours (1000)" "$WORK/err.txt"
check "asconfctl manage PID FD succeeds" bash -c "asconfctl manage $pid $fd >$WORK/out.txt"
check "... and says so" grep -q "^socket 1 managed: pid $pid fd $fd" "$WORK/out.txt"
check "status lists it under the program's pid" status_has "^socket 1 pid $pid "
check "the state file has it" grep -q "^$pid $fd " "$WORK/state"
ip -n cli addr add 10.2.0.1/24 dev c2
check "an add reaches the peer" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "managing it again is refused" bash -c "! asconfctl manage $pid $fd 2>$WORK/err.txt"
check "... as already managed" grep -q "already managed" "$WORK/err.txt"

# Refusals, each with its reason.
check "no such descriptor" bash -c "! asconfctl manage $pid 999 2>$WORK/err.txt"
check "... says so" grep -q "process $pid has no descriptor 999" "$WORK/err.txt"
check "no such process" bash -c "! asconfctl manage 999999 3 2>$WORK/err.txt"
check "... says so" grep -q "no process 999999" "$WORK/err.txt"
in_cli bash -c 'exec 3<>/dev/udp/10.1.0.2/9; exec sleep 600' & udp=$!
sleep 0.3
check "a UDP socket is refused" bash -c "! asconfctl manage $(real_pid $udp) 3 2>$WORK/err.txt"
check "... as not SCTP" grep -q "not an SCTP socket" "$WORK/err.txt"
in_cli sctp_client --bind 0.0.0.0 --port 7000 --listen >"$WORK/wild.log" 2>&1 & wild=$!
wait_line "$WORK/wild.log" '^LISTENING' 5
wpid=$(real_pid $wild)
check "a wildcard-bound socket is refused" \
	bash -c "! asconfctl manage $wpid $(sock_fd "$wpid") 2>$WORK/err.txt"
check "... as wildcard" grep -q "wildcard" "$WORK/err.txt"
in_srv sctp_client --bind 10.2.0.2 --port 7001 --listen >"$WORK/srvns.log" 2>&1 & srvns=$!
wait_line "$WORK/srvns.log" '^LISTENING' 5
spid=$(real_pid $srvns)
check "a socket of another network namespace is refused" \
	bash -c "! asconfctl manage $spid $(sock_fd "$spid") 2>$WORK/err.txt"
check "... as such" grep -q "another network namespace" "$WORK/err.txt"
check "usage errors exit 2" bash -c "asconfctl manage $pid; [ \$? -eq 2 ]"
check "the daemon still serves" status_has ' sockets 1 '

# Release, manage again, then the program's death releases it.
check "asconfctl release PID FD" asconfctl release "$pid" "$fd"
check "status: no socket" status_has ' sockets 0 '
ip -n cli addr del 10.2.0.1/24 dev c2
check "a delete no longer reaches the peer" no_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 2
check "manage again, with --policy" asconfctl manage --policy default "$pid" "$fd"
kill -KILL "$pid"
check "the program's death ends the association" wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5
check "... and releases the socket" \
	wait_line "$WORK/asconfd.log" "owner pid $pid exited: released 1 socket" 5

dump_if_failed peer client
finish
