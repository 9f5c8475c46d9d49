# SPDX-License-Identifier: GPL-2.0-or-later
# asconf-run and process life: sctp_forker (no libasconf) binds and
# connects, closes every descriptor from 3 up as a daemonizing program
# does, then forks; the child closes its copy of the parent's socket and
# makes its own.  The shim's connection survives the close-all unseen
# (every close() of the program fails with EBADF), each process owns its
# own socket in asconfd, the child's close of the inherited socket does not
# release the parent's, and killing the parent releases only the parent's:
# an address added afterwards reaches the child's association.
. /extra/lib.sh
trap topo_down EXIT
topo_up

not_released() { ! grep -q "released" "$WORK/asconfd.log"; }

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer listens on 5000" start_peer_as peer 5000 10.1.0.2,10.2.0.2
in_cli asconf-run -- sctp_forker 10.1.0.1 7000 10.1.0.2 5000 </dev/null \
	>"$WORK/forker.log" 2>"$WORK/forker.err" &
PIDS[forker]=$!
check "the parent is up" wait_line "$WORK/forker.log" '^PARENT_UP pid=[0-9]+$' 10
check "close-all: every close() failed with EBADF (the shim's connection does not show)" \
	wait_line "$WORK/forker.log" '^CLOSED_ALL closed=0$' 5
check "the child is up" wait_line "$WORK/forker.log" '^CHILD_UP pid=[0-9]+$' 10
ppid=$(sed -n 's/^PARENT_UP pid=//p' "$WORK/forker.log")
cpid=$(sed -n 's/^CHILD_UP pid=//p' "$WORK/forker.log")
check "two associations come up" assocs_up 2
check "status: the parent's socket, under the parent's pid" \
	wait_status "^socket [0-9]+ pid $ppid inode [0-9]+ inet one-to-one port 7000 " 5
check "status: the child's socket, under the child's pid" \
	wait_status "^socket [0-9]+ pid $cpid inode [0-9]+ inet one-to-one port 7001 " 5
check "the parent's socket was handed over once (its connection survived the close-all)" \
	[ "$(grep -c 'managed for pid' "$WORK/asconfd.log")" -eq 2 ]
check "nothing was released (the child's close of the inherited socket is not a RELEASE)" \
	not_released
kill -KILL "$ppid"
check "the parent's socket is released when the parent dies" wait_status ' sockets 1 ' 5
check "the child's socket is still managed" \
	status_has "^socket [0-9]+ pid $cpid inode [0-9]+ inet one-to-one port 7001 "
check "the parent's association ends" wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5
child_assoc=$(grep '^ASSOC_UP' "$WORK/peer.log" | sed -n '2s/^ASSOC_UP assoc=//p')
ip -n cli addr add 10.2.0.1/24 dev c2
check "an add reaches the child's association" \
	wait_line "$WORK/peer.log" "^ADDR_ADDED 10\\.2\\.0\\.1 assoc=$child_assoc " 5
ip -n cli addr del 10.2.0.1/24 dev c2
check "and a delete" wait_line "$WORK/peer.log" "^ADDR_REMOVED 10\\.2\\.0\\.1 assoc=$child_assoc " 5
check "the shim printed nothing" quiet "$WORK/forker.err"

dump_if_failed peer forker
[ "$FAILED" -eq 0 ] || show forker.err "$WORK/forker.err"
finish
