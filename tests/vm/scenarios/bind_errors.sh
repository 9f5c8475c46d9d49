# SPDX-License-Identifier: GPL-2.0-or-later
# A bindx refusal concerns one address, not the socket: with 10.2.0.1:6000
# already taken by another (unmanaged) socket, asconfd's ADD gets
# EADDRINUSE; it is reported once, with the socket, the address and the
# reason, in the log and in status, is not retried in a loop while the
# address stays, and other addresses keep being managed.  The holder (the
# blocker's socket inode, pid and command) is named in both.
. /extra/lib.sh
trap topo_down EXIT
topo_up

ip -n cli addr add 10.2.0.1/24 dev c2
check "blocker takes 10.2.0.1:6000" \
	start_client_as blocker --listen --bind 10.2.0.1 --port 6000
check "asconfd starts with --interface c2" start_asconfd --interface c2
managed_assoc
check "log names socket, address and reason" \
	wait_line "$WORK/asconfd.log" 'socket 1: bindx ADD 10\.2\.0\.1 failed: Address already in use \(held by socket inode [0-9]+ of pid [0-9]+ \(sctp_client\); not retried' 5
check "status shows the issue" \
	wait_status '^  issue: bindx ADD 10\.2\.0\.1: Address already in use \(held by socket inode [0-9]+ of pid [0-9]+ \(sctp_client\)\)$' 3

# Events on the followed link cause passes; the refusal is not repeated.
for i in 1 2 3; do ip -n cli addr add 10.2.0.$((50 + i))/24 dev c2; done
check "other addresses on c2 still reach the peer" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.53 ' 5
check "the refusal was logged once, not in a loop" \
	test "$(grep -c 'bindx ADD 10\.2\.0\.1 failed' "$WORK/asconfd.log")" -eq 1
check "10.2.0.1 is not bound" bash -c "! asconfctl status | grep -q 'bound:.* 10\.2\.0\.1 '"
check "asconfd still serves" status_has ' sockets 1 '

dump_if_failed peer client blocker
finish
