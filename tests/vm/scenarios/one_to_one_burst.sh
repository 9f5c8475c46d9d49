# SPDX-License-Identifier: GPL-2.0-or-later
# A one-to-one server's N accepted sockets and its listener handed over in
# one burst (sockfarm --accept --manage), each to get 10.2.0.1, which the
# sockets handed over before it already hold: every ADD needs the port's
# sockets to share it.  One lease serves the burst (agent/daemon/pass/pass.c); every
# socket gets the address, every peer is told, none is lost, and the
# application's sockets end with SO_REUSEADDR and SO_REUSEPORT off again,
# as the farm left them.
. /extra/lib.sh
trap topo_down EXIT
topo_up
N=300
printf '[asconfd]\nmax-sockets-per-client = %d\n' $((N + 64)) >"$WORK/burst.conf"
check "asconfd starts" start_asconfd -C "$WORK/burst.conf" --interface c2
ip -n cli addr add 10.2.0.1/24 dev c2
in_cli sockfarm --accept --count "$N" --bind 10.1.0.1 --port 6000 --manage >"$WORK/farm.log" 2>&1 &
farm=$!
check "the listener listens" wait_line "$WORK/farm.log" '^LISTENING' 30
in_srv sockfarm --count "$N" --bind 10.1.0.2 --port 30000 --connect 10.1.0.1 --peer-port 6000 \
	--notify --wait >"$WORK/peer.log" 2>&1 &
check "$((N + 1)) sockets handed over" wait_line "$WORK/farm.log" "^MANAGED n=$((N + 1))" 300
farm=$(real_pid "$farm")
check "every peer is told 10.2.0.1" wait_count "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' "$N" 60
check "no bindx failed" bash -c "! grep -E 'failed|cannot let its port' '$WORK/asconfd.log' |
	grep -v ' 0 failed'"
# The lease ends 50 ms after the last ADD that used it.
sleep 1
k=$(grep -c '^LADDRS_END' "$WORK/farm.log")
kill -USR1 "$farm"
check "the farm reports what the kernel holds" wait_count "$WORK/farm.log" '^LADDRS_END' $((k + 1)) 30
check "all $((N + 1)) sockets hold 10.1.0.1 and 10.2.0.1" \
	grep -qx "LADDRS count=$((N + 1)) set=10.1.0.1,10.2.0.1" "$WORK/farm.log"
check "SO_REUSEADDR and SO_REUSEPORT are off again on every socket" \
	grep -q "^LADDRS_END n=$((N + 1)) sets=1 reuse=0\$" "$WORK/farm.log"
check "no association lost" bash -c "! grep -q '^ASSOC_DOWN' '$WORK/peer.log'"
grep -E 'pass over' "$WORK/asconfd.log" | tail -2 | sed 's/^/    /'
if [ "$FAILED" -ne 0 ]; then
	show asconfd "$WORK/asconfd.log"
	tail -5 "$WORK/farm.log" "$WORK/peer.log"
fi
finish
