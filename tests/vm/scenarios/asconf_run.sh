# SPDX-License-Identifier: GPL-2.0-or-later
# asconf-run around lksctp-tools' unmodified sctp_darn: its sockets are
# handed to asconfd by the LD_PRELOAD shim alone.  As a client
# (one-to-many, bound to 10.1.0.1 or fd01::1, associating by sendmsg) and as
# a server (one-to-many, listening; then one-to-one with accept), an address
# added on c2 and then deleted reaches sctp_peer as ADDR_ADDED /
# ADDR_REMOVED; the sockets show in asconfctl status; close() releases them
# (RELEASE, before the process exits); nothing is printed by the shim.
. /extra/lib.sh
trap topo_down EXIT
topo_up

# released N: asconfd logged N RELEASE requests (the close() path, not the
# connection closing).
released() { [ "$(grep -c 'socket with inode [0-9]* released' "$WORK/asconfd.log")" -eq "$1" ]; }

check "asconfd starts with --interface c2" start_asconfd --interface c2

# --- client ---
check "peer listens on 5000" start_peer_as peer 5000 10.1.0.2,10.2.0.2 --every 1
darn client -H 10.1.0.1 -P 6000 -h 10.1.0.2 -p 5000 -s
say_darn client "seq 0"
check "client: the association comes up" wait_line "$WORK/peer.log" '^ASSOC_UP' 10
check "client: data flows" wait_line "$WORK/peer.log" '^DATA seq=0$' 5
check "client: its socket shows in status (one-to-many, port 6000)" \
	wait_status '^socket [0-9]+ pid [0-9]+ inode [0-9]+ inet one-to-many port 6000 ' 5
ip -n cli addr add 10.2.0.1/24 dev c2
check "client: ADDR_ADDED 10.2.0.1 reaches the peer" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
ip -n cli addr del 10.2.0.1/24 dev c2
check "client: ADDR_REMOVED 10.2.0.1 reaches the peer" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
say_darn client "seq 1"
check "client: data still flows" wait_line "$WORK/peer.log" '^DATA seq=1$' 5
check "client: sctp_darn exits at the end of its input" end_darn client
check "client: close() released the socket (RELEASE)" released 1
check "client: status lists no socket" wait_status ' sockets 0 ' 3
check "client: the shim printed nothing" test ! -s "$WORK/client.err"

# --- client, IPv6 ---
check "peer6 listens on [fd01::2]:5003" start_peer_as peer6 5003 fd01::2,fd02::2 --every 1
darn client6 -H fd01::1 -P 6003 -h fd01::2 -p 5003 -s
say_darn client6 "seq 0"
check "client6: data flows" wait_line "$WORK/peer6.log" '^DATA seq=0$' 10
check "client6: its socket shows in status (inet6, port 6003)" \
	wait_status '^socket [0-9]+ pid [0-9]+ inode [0-9]+ inet6 one-to-many port 6003 ' 5
ip -n cli addr add fd02::1/64 dev c2 nodad
check "client6: ADDR_ADDED fd02::1 reaches the peer" \
	wait_line "$WORK/peer6.log" '^ADDR_ADDED fd02::1 ' 5
ip -n cli addr del fd02::1/64 dev c2
check "client6: ADDR_REMOVED fd02::1 reaches the peer" \
	wait_line "$WORK/peer6.log" '^ADDR_REMOVED fd02::1 ' 5
check "client6: sctp_darn exits at the end of its input" end_darn client6
check "client6: close() released the socket" released 2
check "client6: the shim printed nothing" test ! -s "$WORK/client6.err"

# --- server, one-to-many ---
darn_server server -H 10.1.0.1 -P 6001 -l
check "server: its listening socket shows in status (port 6001)" \
	wait_status '^socket [0-9]+ pid [0-9]+ inode [0-9]+ inet one-to-many port 6001 ' 10
check "peer connects to the server" \
	start_peer_as peer2 5001 10.1.0.2,10.2.0.2 --connect 10.1.0.1 --peer-port 6001
check "server: the association comes up" wait_line "$WORK/peer2.log" '^ASSOC_UP' 10
ip -n cli addr add 10.2.0.3/24 dev c2
check "server: ADDR_ADDED 10.2.0.3 reaches the peer" \
	wait_line "$WORK/peer2.log" '^ADDR_ADDED 10\.2\.0\.3 ' 5
ip -n cli addr del 10.2.0.3/24 dev c2
check "server: ADDR_REMOVED 10.2.0.3 reaches the peer" \
	wait_line "$WORK/peer2.log" '^ADDR_REMOVED 10\.2\.0\.3 ' 5
stop_pid "${PIDS[server]}"
check "server: released when sctp_darn is gone" wait_status ' sockets 0 ' 3
check "server: the peer sees the association end" wait_line "$WORK/peer2.log" '^ASSOC_DOWN' 5
check "server: the shim printed nothing" quiet "$WORK/server.err"

# --- server, one-to-one: the accepted socket is handed over too ---
darn_server tcpstyle -t -H 10.1.0.1 -P 6002 -l
check "one-to-one: the listener shows in status" \
	wait_status '^socket [0-9]+ pid [0-9]+ inode [0-9]+ inet one-to-one port 6002 ' 10
check "peer connects to the one-to-one server" \
	start_peer_as peer3 5002 10.1.0.2 --connect 10.1.0.1 --peer-port 6002
check "one-to-one: the association comes up" wait_line "$WORK/peer3.log" '^ASSOC_UP' 10
check "one-to-one: the accepted socket is managed too (2 sockets)" \
	wait_status ' sockets 2 ' 5
check "one-to-one: both are port 6002" \
	[ "$(asconfctl status | grep -c '^socket .* one-to-one port 6002 ')" -eq 2 ]
# The peer ends the association: sctp_darn closes the accepted socket.
stop_pid "${PIDS[peer3]}"
check "one-to-one: close() of the accepted socket released it" wait_status ' sockets 1 ' 5
check "one-to-one: by RELEASE" released 3
stop_pid "${PIDS[tcpstyle]}"
check "one-to-one: the listener is released when sctp_darn is gone" wait_status ' sockets 0 ' 3
check "one-to-one: the shim printed nothing" quiet "$WORK/tcpstyle.err"

dump_if_failed peer client peer6 client6 peer2 server peer3 tcpstyle
if [ "$FAILED" -ne 0 ]; then
	for n in client client6 server tcpstyle; do show "$n.err" "$WORK/$n.err"; done
fi
finish
