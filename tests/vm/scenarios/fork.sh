# SPDX-License-Identifier: GPL-2.0-or-later
# Ownership follows the process that sends the request, not the one that
# opened the connection to the daemon.
# 1. A forked child manages its own socket over the library state it
#    inherited: the daemon records it under the child, and killing the
#    parent releases the parent's socket only.
# 2. A child that received a managed socket (here: inherited it) and hands
#    it over takes it over: killing the first owner does not release it.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
managed_assoc --fork-manage 6001
parent=$(real_pid "$CLIENT_PID")
check "the child manages its own socket" wait_line "$WORK/client.log" '^CHILD_MANAGED' 10
child=$(sed -n 's/^CHILD_MANAGED pid=//p' "$WORK/client.log")
# wait_count FILE REGEX N SECONDS: at least N matching lines.
wait_count() {
	local i
	for ((i = 0; i < $4 * 20; i++)); do
		[ "$(grep -cE -- "$2" "$1")" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}
check "the peer sees the child's association" wait_count "$WORK/peer.log" '^ASSOC_UP' 2 5
check "status: socket 1 is the parent's" status_has "^socket 1 pid $parent "
check "status: socket 2 is the child's" status_has "^socket 2 pid $child "
kill -KILL "$parent"
check "the parent's socket is released" \
	wait_line "$WORK/asconfd.log" "owner pid $parent exited: released 1 socket" 5
check "the child's socket stays managed" status_has "^socket 2 pid $child "
check "... and only it" status_has ' sockets 1 '
ip -n cli addr add 10.2.0.1/24 dev c2
check "an add reaches the peer of the child's association" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "exactly one association ended (the parent's)" \
	bash -c "[ \$(grep -c '^ASSOC_DOWN' '$WORK/peer.log') -eq 1 ]"
dump_if_failed peer client
kill "$child" 2>/dev/null
stop_asconfd_checked
stop_pid "$PEER_PID"
ip -n cli addr del 10.2.0.1/24 dev c2

# 2. Take-over.
cat "$WORK/asconfd.log" >"$WORK/asconfd-part1.txt"
check "asconfd starts again" start_asconfd --interface c2
managed_assoc --fork-takeover
parent=$(real_pid "$CLIENT_PID")
check "the child takes the socket over" wait_line "$WORK/client.log" '^CHILD_MANAGED' 10
child=$(sed -n 's/^CHILD_MANAGED pid=//p' "$WORK/client.log")
check "status: socket 1 is the child's now" status_has "^socket 1 pid $child "
check "the daemon logs the take-over" \
	grep -q "socket 1: now owned by pid $child (was pid $parent)" "$WORK/asconfd.log"
kill -KILL "$parent"
sleep 1
check "killing the first owner does not release it" status_has "^socket 1 pid $child "
ip -n cli addr add 10.2.0.1/24 dev c2
check "an add still reaches the peer" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
kill -KILL "$child"
check "killing the new owner ends the association" wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5

dump_if_failed peer client
finish
