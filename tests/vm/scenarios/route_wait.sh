# SPDX-License-Identifier: GPL-2.0-or-later
# An IPv4 address becomes bindable only when the kernel installs its local
# route, just after RTM_NEWADDR.  asconfd waits for that route's event
# before its pass: each of ten adds takes one pass that ADDs the address,
# none fails with EADDRNOTAVAIL, no pass runs on the retry timer.  A burst
# of adds (a pass may then run while some routes are still coming) ends
# with every address on the socket.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2 -v" start_asconfd --interface c2 -v
managed_assoc
wait_line "$WORK/asconfd.log" 'pass over 1 socket' 5
mark=$(wc -l <"$WORK/asconfd.log")
ok=0
for i in $(seq 21 30); do
	ip -n cli addr add 10.2.0.$i/24 dev c2
	wait_line "$WORK/peer.log" "^ADDR_ADDED 10\\.2\\.0\\.$i " 5 && ok=$((ok + 1))
	sleep 0.2
done
check "ten adds, one at a time, reach the peer" [ "$ok" = 10 ]
log=$(tail -n +$((mark + 1)) "$WORK/asconfd.log")
no_failed_add() { ! grep -q 'bindx ADD .* failed' <<<"$log"; }
check "no ADD failed (the pass waited for the local route)" no_failed_add
check "one pass per add, each adding one address" \
	[ "$(grep -cE 'pass over 1 socket\(s\) in [0-9]+ us: 1 added, 0 removed, 0 failed' <<<"$log")" = 10 ]
check "no other pass did anything" \
	[ "$(grep -c 'pass over' <<<"$log")" = 10 ]
check "no pass ran on the retry timer" \
	bash -c "asconfctl status --json | grep -q '\"retries\": 0'"

# A burst: the passes may run between an address and its route; whatever
# failed is retried on the route's event.
in_cli bash -c 'for i in $(seq 41 60); do ip addr add 10.2.0.$i/24 dev c2; done'
check "a burst of twenty adds all reach the peer" \
	wait_count "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.(4[1-9]|5[0-9]|60) ' 20 10
# How many of c2's addresses the socket holds, as the status says.
bound_c2() { asconfctl status | grep '^  bound:' | tr ' ' '\n' | grep -c '^10\.2\.0\.'; }
thirty_bound() { [ "$(bound_c2)" = 30 ]; }
check "status shows the thirty addresses of c2 bound" thirty_bound

if [ "$FAILED" -ne 0 ]; then
	show peer "$WORK/peer.log"; show asconfd "$WORK/asconfd.log"
	asconfctl status | sed 's/^/    status| /'
fi
finish
