# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): asconfd's cost per managed socket against
# the floor, a bare loop of sctp_bindx over the same sockets, in one run.
# N one-to-many listening sockets bound to 10.1.0.1; the address moved is
# 10.2.0.1 on c2.  asconfd's figure is its own pass time (debug log): every
# pass from the change until the address is on (or off) every socket.
# Also writes /out/sockets.json (sockets-assoc.json with "assoc") for make bench.
. /extra/lib.sh
trap topo_down EXIT
N=${1:-1000}
ROUNDS=${2:-5}
ASSOC=${3:-}            # "assoc": every socket also has an association
topo_up
start_asconfd --interface c2 || { echo "asconfd did not start"; exit 1; }

conn=()
if [ "$ASSOC" = assoc ]; then
	start_peer 5000 10.1.0.2,10.2.0.2 || exit 1
	conn=(--connect 10.1.0.2 --peer-port 5000)
fi
ip -n cli addr add 10.2.0.1/24 dev c2
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 "${conn[@]}" --bare 10.2.0.1 --manage \
	>"$WORK/farm.log" 2>&1 &
wait_line "$WORK/farm.log" '^MANAGED' 60 || { cat "$WORK/farm.log"; exit 1; }
# Handing over bound them all; take the address away to start clean.
ip -n cli addr del 10.2.0.1/24 dev c2
wait_line "$WORK/asconfd.log" "pass over $N socket\(s\) in [0-9]+ us: 0 added, $N removed" 30 ||
	{ tail "$WORK/asconfd.log"; exit 1; }
# change_cost ADDED|REMOVED: once the passes logged since line $mark of
# asconfd's log have ADDED (or REMOVED) N sockets in all (up to 30 s), their
# total time in us.  A change may take more than one pass (the first can
# fail with EADDRNOTAVAIL before the kernel's local route is there): the
# cost is all of them.
change_cost() {
	local i t
	for ((i = 0; i < 600; i++)); do
		t=$(tail -n +$((mark + 1)) "$WORK/asconfd.log" |
			sed -nE 's/.*pass over [0-9]+ socket\(s\) in ([0-9]+) us: ([0-9]+) added, ([0-9]+) removed.*/\1 \2 \3/p' |
			awk -v k="$1" -v n="$N" '{ u += $1; a += $2; r += $3 }
				END { if ((k == "added" ? a : r) >= n) print u }')
		[ -n "$t" ] && { echo "$t"; return 0; }
		sleep 0.05
	done
	echo "round $r: not every socket $1 in 30 s; asconfd's last passes:" >&2
	grep 'pass over' "$WORK/asconfd.log" | tail -5 >&2
	return 1
}
adds= rems=
for ((r = 1; r <= ROUNDS; r++)); do
	mark=$(wc -l <"$WORK/asconfd.log")
	ip -n cli addr add 10.2.0.1/24 dev c2
	c=$(change_cost added) || exit 1
	adds+=$c$'\n'
	mark=$(wc -l <"$WORK/asconfd.log")
	ip -n cli addr del 10.2.0.1/24 dev c2
	c=$(change_cost removed) || exit 1
	rems+=$c$'\n'
done
bare=$(sed -nE 's/^BARE add_us=([0-9]+) rem_us=([0-9]+).*/\1 \2/p' "$WORK/farm.log")
gl=$(sed -nE 's/^BARE .*getladdrs_us=([0-9]+).*/\1/p' "$WORK/farm.log")
adds=$(sort -n <<<"${adds%$'\n'}")
rems=$(sort -n <<<"${rems%$'\n'}")
med() { awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ba=${bare% *} br=${bare#* }
aa=$(med <<<"$adds") ar=$(med <<<"$rems")
echo "per-socket cost over $N sockets${ASSOC:+ with an association each} (us; asconfd: median of $ROUNDS changes, every pass of each)"
awk -v n="$N" -v ba="$ba" -v br="$br" -v aa="$aa" -v ar="$ar" 'BEGIN {
	printf "%-4s %12s %12s %9s\n", "op", "bare bindx", "asconfd", "overhead"
	printf "%-4s %12.2f %12.2f %8.0f%%\n", "add", ba / n, aa / n, (aa - ba) * 100 / ba
	printf "%-4s %12.2f %12.2f %8.0f%%\n", "rem", br / n, ar / n, (ar - br) * 100 / br
}'
awk -v n="$N" -v gl="$gl" 'BEGIN { printf "(one sctp_getladdrs read-back: %.2f us a socket)\n", gl / n }'
mkdir -p /out
awk -v n="$N" -v ba="$ba" -v br="$br" -v aa="$aa" -v ar="$ar" -v gl="$gl" -v r="$ROUNDS" -v assoc="${ASSOC:+true}" 'BEGIN {
	printf "{\"sockets\": %d, \"associations\": %s, \"rounds\": %d, ", n, assoc == "" ? "false" : "true", r
	printf "\"asconfd_add_us_per_socket\": %.1f, \"bare_add_us_per_socket\": %.1f, ", aa / n, ba / n
	printf "\"asconfd_rem_us_per_socket\": %.1f, \"bare_rem_us_per_socket\": %.1f, ", ar / n, br / n
	printf "\"getladdrs_us_per_socket\": %.1f}\n", gl / n
}' >"/out/sockets${ASSOC:+-assoc}.json"
