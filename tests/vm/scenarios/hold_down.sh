# SPDX-License-Identifier: GPL-2.0-or-later
# hold-down = 1500 ms: an address that appears and goes again within the
# window makes no bindx and the peer hears nothing; one that stays is
# announced when its window ends (measured from "ip addr add" to the
# peer's ADDR_ADDED, both on CLOCK_MONOTONIC).
. /extra/lib.sh
trap topo_down EXIT
topo_up
HOLD=1500
conf=$WORK/asconfd.conf
printf '[policy default]\ninterfaces = c1 c2\nhold-down = %s\n' "$HOLD" >"$conf"

check "asconfd starts with hold-down = $HOLD" start_asconfd -C "$conf" -v
managed_assoc

# The flap: up for 500 ms, then gone.
ip -n cli addr add 10.2.0.1/24 dev c2
sleep 0.5
ip -n cli addr del 10.2.0.1/24 dev c2
check "flap: asconfd saw the address come and go" \
	wait_line "$WORK/asconfd.log" 'address 10\.2\.0\.1/24 gone' 3
check "flap: no ADDR_ADDED at the peer (3 s)" no_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 3
check "flap: no bindx at all" bash -c "! grep -q 'bindx .*10\.2\.0\.1' '$WORK/asconfd.log'"

# The stayer.
t0=$(monotime)
ip -n cli addr add 10.2.0.5/24 dev c2
check "stayer: peer gets ADDR_ADDED 10.2.0.5" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.5 ' 10
t1=$(sed -nE 's/^ADDR_ADDED 10\.2\.0\.5 .*t_us=([0-9]+).*/\1/p' "$WORK/peer.log" | head -1)
delay=$(( (${t1:-0} - t0) / 1000 ))
echo "    hold-down $HOLD ms: address added -> peer told after $delay ms"
check "stayer: not announced before the window ends ($delay >= $HOLD ms)" [ "$delay" -ge "$HOLD" ]
check "stayer: announced soon after it ends ($delay < $HOLD + 1000 ms)" \
	[ "$delay" -lt $((HOLD + 1000)) ]
check "status: bound 10.1.0.1 10.2.0.5" wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.5$' 3
# Removal is not held: gone is gone at once.
ip -n cli addr del 10.2.0.5/24 dev c2
check "removal is immediate: ADDR_REMOVED 10.2.0.5" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.5 ' 2

dump_if_failed peer client
finish
