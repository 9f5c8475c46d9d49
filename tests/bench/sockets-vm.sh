# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): asconfd's cost per managed socket against
# the floor, a bare loop of sctp_bindx over the same sockets, in one run.
# N one-to-many listening sockets bound to 10.1.0.1; the address moved is
# 10.2.0.1 on c2.  asconfd's figure is its own pass time (its log): every
# pass from the change until the address is on (or off) every socket, wall
# time and the daemon's CPU time.  The bare loop: ROUNDS times an ADD loop,
# a pause, the address deleted from the host, a pause, a REM loop (so its
# REMs, like asconfd's, find the ADDs' ASCONFs acknowledged and the address
# gone), the address back, wall and CPU time, medians.  While either side is timed
# this script waits without starting a process (the bash builtin read on a
# FIFO): its polling used to take the one CPU from the side timed.
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
: >"$WORK/farm.log"
follow 7 "$WORK/farm.log"
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 "${conn[@]}" --bare 10.2.0.1 \
	--bare-rounds "$ROUNDS" --bare-pause 1000 --bare-host "10.2.0.1/24 dev c2" --manage \
	>"$WORK/farm.log" 2>&1 &
wait_for 7 '^MANAGED' $((120 + N / 10 * ROUNDS)) || { cat "$WORK/farm.log"; exit 1; }
follow 9 "$WORK/asconfd.log"
# Handing over bound them all; take the address away to start clean.
ip -n cli addr del 10.2.0.1/24 dev c2
wait_for 9 "pass over $N socket\(s\) in [0-9]+ us: 0 added, $N removed" 30 ||
	{ tail "$WORK/asconfd.log"; exit 1; }
change_cost() {
	pass_cost 9 "$1" "$N" 30 && return 0
	echo "round $r: not every socket $1 in 30 s; asconfd's last passes:" >&2
	grep 'pass over' "$WORK/asconfd.log" | tail -5 >&2
	return 1
}
adds= rems= addc= remc=
for ((r = 1; r <= ROUNDS; r++)); do
	drain 9
	ip -n cli addr add 10.2.0.1/24 dev c2
	change_cost added || exit 1
	adds+=$COST$'\n' addc+=$CPU$'\n'
	drain 9
	ip -n cli addr del 10.2.0.1/24 dev c2
	change_cost removed || exit 1
	rems+=$COST$'\n' remc+=$CPU$'\n'
done
field() { bare_field "$WORK/farm.log" "$1"; }
ba=$(field add_us) br=$(field rem_us) gl=$(field getladdrs_us)
bac=$(field add_cpu_us) brc=$(field rem_cpu_us)
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
aa=$(med <<<"${adds%$'\n'}") ar=$(med <<<"${rems%$'\n'}")
aac=$(med <<<"${addc%$'\n'}") arc=$(med <<<"${remc%$'\n'}")
echo "per-socket cost over $N sockets${ASSOC:+ with an association each} (us; medians of $ROUNDS changes; asconfd: every pass of each)"
awk -v n="$N" -v ba="$ba" -v br="$br" -v aa="$aa" -v ar="$ar" \
    -v bac="$bac" -v brc="$brc" -v aac="$aac" -v arc="$arc" 'BEGIN {
	printf "%-4s %-5s %12s %12s %7s\n", "op", "time", "bare bindx", "asconfd", "ratio"
	printf "%-4s %-5s %12.2f %12.2f %6.2fx\n", "add", "wall", ba / n, aa / n, aa / ba
	printf "%-4s %-5s %12.2f %12.2f %6.2fx\n", "add", "CPU", bac / n, aac / n, aac / bac
	printf "%-4s %-5s %12.2f %12.2f %6.2fx\n", "rem", "wall", br / n, ar / n, ar / br
	printf "%-4s %-5s %12.2f %12.2f %6.2fx\n", "rem", "CPU", brc / n, arc / n, arc / brc
}'
awk -v n="$N" -v gl="$gl" 'BEGIN { printf "(one sctp_getladdrs read-back: %.2f us a socket)\n", gl / n }'
mkdir -p /out
awk -v n="$N" -v ba="$ba" -v br="$br" -v aa="$aa" -v ar="$ar" -v gl="$gl" -v r="$ROUNDS" \
    -v bac="$bac" -v brc="$brc" -v aac="$aac" -v arc="$arc" -v assoc="${ASSOC:+true}" 'BEGIN {
	printf "{\"sockets\": %d, \"associations\": %s, \"rounds\": %d, ", n, assoc == "" ? "false" : "true", r
	printf "\"asconfd_add_us_per_socket\": %.1f, \"bare_add_us_per_socket\": %.1f, ", aa / n, ba / n
	printf "\"asconfd_rem_us_per_socket\": %.1f, \"bare_rem_us_per_socket\": %.1f, ", ar / n, br / n
	printf "\"asconfd_add_cpu_us_per_socket\": %.1f, \"bare_add_cpu_us_per_socket\": %.1f, ", aac / n, bac / n
	printf "\"asconfd_rem_cpu_us_per_socket\": %.1f, \"bare_rem_cpu_us_per_socket\": %.1f, ", arc / n, brc / n
	printf "\"getladdrs_us_per_socket\": %.1f}\n", gl / n
}' >"/out/sockets${ASSOC:+-assoc}.json"
