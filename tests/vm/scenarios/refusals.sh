# SPDX-License-Identifier: GPL-2.0-or-later
# Sockets asconfd cannot manage are refused with a reason, and the daemon
# keeps serving: wildcard-bound IPv4 and IPv6 sockets, listening or with an
# association, get MANAGE_FAILED naming the wildcard; a real SCTP socket of
# another network namespace ("srv") gets MANAGE_FAILED naming the
# namespace (its addresses are not the daemon's); afterwards status
# works, nothing is registered, and a proper socket is still managed end to
# end.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2
check "peer6 listens" start_peer_as peer6 5001 fd01::2
check "0.0.0.0-bound listener starts" \
	start_client_as wildlisten --listen --bind 0.0.0.0 --port 6003 --manage
# start_client_as returns at LISTENING, printed before the hand-over.
check "0.0.0.0 listener: MANAGE_FAILED naming the wildcard" \
	wait_line "$WORK/wildlisten.log" '^MANAGE_FAILED err=-[0-9]+ .*wildcard' 5
check "0.0.0.0-bound client connects" \
	start_client_as wild4 --bind 0.0.0.0 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage
check "0.0.0.0 with an association: MANAGE_FAILED naming the wildcard" \
	grep -Eq '^MANAGE_FAILED err=-[0-9]+ .*wildcard' "$WORK/wild4.log"
check ":: -bound client connects" \
	start_client_as wild6 --bind :: --port 6001 --connect fd01::2 --peer-port 5001 --manage
check ":: with an association: MANAGE_FAILED naming the wildcard" \
	grep -Eq '^MANAGE_FAILED err=-[0-9]+ .*wildcard' "$WORK/wild6.log"
# The control socket is a file: a program in "srv" reaches the daemon.
in_srv sctp_client --listen --bind 10.2.0.2 --port 6004 --manage >"$WORK/othernet.log" 2>&1 &
PIDS[othernet]=$!
check "a socket of namespace srv: MANAGE_FAILED naming the namespace" \
	wait_line "$WORK/othernet.log" '^MANAGE_FAILED err=-18 .*another network namespace' 10
check "the refusal is in the log with its reason" \
	grep -q 'refused a socket from pid [0-9]*: socket belongs to another network namespace' \
	"$WORK/asconfd.log"
check "asconfd is still running" kill -0 "$ASCONFD_PID"
check "status answers and lists no socket" status_has ' sockets 0 '

check "a specifically bound client is still managed" \
	start_client --bind 10.1.0.1 --port 6002 --connect 10.1.0.2 --peer-port 5000 --manage
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "status lists one socket" status_has ' sockets 1 '
ip -n cli addr add 10.2.0.1/24 dev c2
check "and its peer gets ADDR_ADDED 10.2.0.1" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5

dump_if_failed peer peer6 wildlisten wild4 wild6 othernet client
finish
