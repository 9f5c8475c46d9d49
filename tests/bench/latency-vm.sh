# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): time from just before `ip addr add` to the
# peer's SCTP_ADDR_ADDED (and from `ip addr del` to SCTP_ADDR_REMOVED), for
# asconfd and for the kernel's own auto_asconf, side by side in one run.
#   asconfd: client bound to 10.1.0.1:6000, managed, -> peer port 5000
#   kernel:  client bound to the wildcard, SCTP_AUTO_ASCONF on, -> port 5001
#   bare:    client bound to 10.1.0.1:6002 -> port 5002, which calls
#            sctp_bindx ADD (then REM) itself on 10.2.0.99, an address on c2
#            since before the rounds: the floor of a change (the kernel and
#            the VM), no netlink and no daemon in the way
# Both peers stamp events with CLOCK_MONOTONIC; addr_timed stamps the same
# clock just before it sends the address request (libnl), so process
# start-up under TCG (20-30 ms an exec) is not counted.
. /extra/lib.sh
trap topo_down EXIT
ROUNDS=${1:-20}
topo_up
start_asconfd --interface c2 || { echo "asconfd did not start"; exit 1; }
in_srv sctp_peer --port 5000 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-asconfd.log" 2>&1 &
in_srv sctp_peer --port 5001 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-kernel.log" 2>&1 &
in_srv sctp_peer --port 5002 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-bare.log" 2>&1 &
for p in asconfd kernel bare; do
	wait_line "$WORK/peer-$p.log" '^LISTENING' 5 || exit 1
done
start_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage || exit 1
in_cli sctp_client --bind 0.0.0.0 --port 6001 --connect 10.1.0.2 --peer-port 5001 --auto-asconf \
	>"$WORK/client-kernel.log" 2>&1 &
wait_line "$WORK/client-kernel.log" '^CONNECTED' 5 || { cat "$WORK/client-kernel.log"; exit 1; }
mkfifo "$WORK/bindx"
in_cli sctp_client --bind 10.1.0.1 --port 6002 --connect 10.1.0.2 --peer-port 5002 \
	--bindx-fifo "$WORK/bindx" >"$WORK/client-bare.log" 2>&1 &
wait_line "$WORK/client-bare.log" '^CONNECTED' 5 || { cat "$WORK/client-bare.log"; exit 1; }
# The bare client's address, bindable (and on the other two sockets, which
# then stay still) before the first round.
BARE=10.2.0.99
in_cli ip addr add $BARE/24 dev c2
wait_line "$WORK/peer-asconfd.log" "^ADDR_ADDED ${BARE//./\\.} " 5 &&
	wait_line "$WORK/peer-kernel.log" "^ADDR_ADDED ${BARE//./\\.} " 5 || exit 1

# t_us of the first line matching RE in FILE (waits up to 5 s).
stamp() {
	wait_line "$1" "$2" 5 || { echo "missing: $2 in $1" >&2; return 1; }
	grep -E -- "$2" "$1" | head -1 | sed -E 's/.* t_us=([0-9]+).*/\1/'
}

: >"$WORK/lat.txt"
: >"$WORK/lat.json"
for ((i = 1; i <= ROUNDS; i++)); do
	a=10.2.0.$((100 + i))
	t0=$(in_cli addr_timed add "$a/24" c2) || exit 1
	ta=$(stamp "$WORK/peer-asconfd.log" "^ADDR_ADDED ${a//./\\.} ") || exit 1
	tk=$(stamp "$WORK/peer-kernel.log" "^ADDR_ADDED ${a//./\\.} ") || exit 1
	echo "add asconfd $((ta - t0))" >>"$WORK/lat.txt"
	echo "add kernel $((tk - t0))" >>"$WORK/lat.txt"
	t0=$(in_cli addr_timed del "$a/24" c2) || exit 1
	ta=$(stamp "$WORK/peer-asconfd.log" "^ADDR_REMOVED ${a//./\\.} ") || exit 1
	tk=$(stamp "$WORK/peer-kernel.log" "^ADDR_REMOVED ${a//./\\.} ") || exit 1
	echo "del asconfd $((ta - t0))" >>"$WORK/lat.txt"
	echo "del kernel $((tk - t0))" >>"$WORK/lat.txt"
	# The floor: the same change as a bindx of the application's own.
	for op in add rem; do
		echo "$op $BARE" >"$WORK/bindx"
		ev=$([ $op = add ] && echo ADDED || echo REMOVED)
		wait_count "$WORK/client-bare.log" "^BINDX $op " "$i" 5 || exit 1
		t0=$(grep "^BINDX $op " "$WORK/client-bare.log" | sed -n "${i}p")
		[[ $t0 == *" err=0" ]] || { echo "bare bindx failed: $t0"; exit 1; }
		t0=$(sed -E 's/.* t_us=([0-9]+).*/\1/' <<<"$t0")
		wait_count "$WORK/peer-bare.log" "^ADDR_$ev ${BARE//./\\.} " "$i" 5 || exit 1
		tb=$(grep -E "^ADDR_$ev ${BARE//./\\.} " "$WORK/peer-bare.log" | sed -n "${i}p" |
		     sed -E 's/.* t_us=([0-9]+).*/\1/')
		echo "$([ $op = add ] && echo add || echo del) bare $((tb - t0))" >>"$WORK/lat.txt"
	done
done

echo "latency in ms over $ROUNDS rounds (address add/del request -> peer's SCTP_PEER_ADDR_CHANGE)"
printf '%-4s %-8s %8s %8s %8s %8s %8s\n' op who min p50 p90 p99 max
# Nearest-rank percentiles; latency.json holds p50 and p99 for make bench.
for op in add del; do
	for who in asconfd kernel bare; do
		awk -v op=$op -v who=$who '$1 == op && $2 == who { print $3 }' "$WORK/lat.txt" | sort -n |
		awk -v op=$op -v who=$who -v js="$WORK/lat.json" 'function pc(p) { i = int(NR * p + 0.999999); return v[i < 1 ? 1 : i] / 1000 }
			{ v[NR] = $1 } END {
			printf "%-4s %-8s %8.2f %8.2f %8.2f %8.2f %8.2f\n", op, who, v[1] / 1000,
			       pc(0.5), pc(0.9), pc(0.99), v[NR] / 1000
			printf "\"%s_%s_p50_ms\": %.2f, \"%s_%s_p99_ms\": %.2f, ", who, op, pc(0.5), who, op, pc(0.99) >>js }'
	done
done
mkdir -p /out && cp "$WORK/lat.txt" /out/
printf '{%s"rounds": %d}\n' "$(cat "$WORK/lat.json")" "$ROUNDS" >/out/latency.json
