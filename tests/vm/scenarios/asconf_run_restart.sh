# SPDX-License-Identifier: GPL-2.0-or-later
# asconf-run across a daemon restart: sctp_darn's socket, handed over by the
# shim (with its descriptor number), is taken again by an asconfd killed
# with SIGKILL and started again, with nothing done by the program: a later
# add and delete reach the peer.  The program's close() afterwards still
# releases it (the shim reconnects for the RELEASE), and nothing is printed.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer listens on 5000" start_peer_as peer 5000 10.1.0.2,10.2.0.2 --every 1
darn client -H 10.1.0.1 -P 6000 -h 10.1.0.2 -p 5000 -s
say_darn client "seq 0"
check "the association comes up" wait_line "$WORK/peer.log" '^DATA seq=0$' 10
check "the socket is managed" \
	wait_status '^socket 1 pid [0-9]+ inode [0-9]+ inet one-to-many port 6000 ' 5
pid=$(asconfctl status | sed -n 's/^socket 1 pid \([0-9]*\) .*/\1/p')

kill -KILL "$(daemon_pid)"
wait "$ASCONFD_PID" 2>/dev/null
# Started from a subshell without the FIFO's write end: the new daemon
# (and the shell waiting for it) must not hold it, or sctp_darn would never
# see the end of its input.
restart() { (eval "exec ${FIFO_FD[client]}>&-"; start_asconfd --interface c2); }
check "asconfd starts again" restart
check "the socket was taken again from sctp_darn" \
	grep -q "socket 1: taken again from pid $pid " "$WORK/asconfd.log"
ip -n cli addr add 10.2.0.1/24 dev c2
check "an add after the restart reaches the peer" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
ip -n cli addr del 10.2.0.1/24 dev c2
check "and a delete" wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
say_darn client "seq 1"
check "data still flows" wait_line "$WORK/peer.log" '^DATA seq=1$' 5
check "sctp_darn exits at the end of its input" end_darn client
check "its close() released the socket in the new daemon (RELEASE)" \
	grep -q 'socket with inode [0-9]* released' "$WORK/asconfd.log"
check "status lists no socket" wait_status ' sockets 0 ' 3
check "the shim printed nothing" test ! -s "$WORK/client.err"

dump_if_failed peer client
[ "$FAILED" -eq 0 ] || show client.err "$WORK/client.err"
finish
