# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): asconfd at scale, side by side with the
# kernel's auto_asconf in the same boot.  N sockets with one association
# each (sockfarm), in this order:
#   - bare: a plain loop of sctp_bindx ADD then REM over the N sockets (the
#     floor), timed by sockfarm;
#   - asconfd: the farm handed over; ROUNDS address adds (and deletes), the
#     time of every pass each change took, from its log, and the time from the address request to the
#     first and to the last of the N peers told (SCTP_PEER_ADDR_CHANGE,
#     CLOCK_MONOTONIC on both sides); RSS with 0 and N sockets; wakeups
#     over 30 s idle;
#   - flood: FLOOD changes over 50 addresses in one burst with a 16 KiB
#     netlink buffer, then the time until every socket holds exactly c2's
#     addresses (ip -j addr) as sctp_getladdrs reads them in the farm (up
#     to FLOOD_WAIT s); associations lost (the peer's ASSOC_DOWN) in the
#     rounds and the flood, and apart those lost while the farm was set up;
#   - kernel: N wildcard sockets with SCTP_AUTO_ASCONF, the same ROUNDS
#     adds, first and last peer told, while asconfd is stopped (SIGSTOP).
# One measurement at a time: the VM has one CPU, and a farm busy with its
# own ASCONFs (or a daemon busy with its pass) would slow the other's
# peers.  The peers run at nice -10 (renice) so that their stamps are the arrival
# rather than their turn on the CPU.
# Prints "PHASE" lines as each step starts, then one JSON object
# (scale.json's shape) on a line starting "SCALE ", and leaves in /out the
# peers' ASSOC_DOWN lines, asconfd's pass lines and its log's end.
. /extra/lib.sh
N=${1:-1000}
ROUNDS=${2:-3}
FLOOD=${3:-10000}
FLOOD_WAIT=${4:-300}
# Seconds to wait for every peer to be told of one change.
TOLD_WAIT=$((60 + N / 50))
ulimit -n 65536
topo_up
ip netns exec cli sysctl -qw net.sctp.addip_enable=1 net.sctp.auth_enable=1
# One client hands over all N sockets: above the default per-client limit.
printf '[asconfd]\nmax-sockets-per-client = %d\nmax-sockets = %d\n' $((N + 64)) $((N + 1024)) >"$WORK/scale.conf"
start_asconfd -C "$WORK/scale.conf" --interface c2 --rcvbuf 16384 || { echo "asconfd did not start"; exit 1; }
pid=$(daemon_pid)
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
nfd() { ls "/proc/$pid/fd" | wc -l; }
ctx() { awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$pid/status"; }
rss0=$(rss)
T0=$(monotime)
phase() { echo "PHASE $* at $(( ($(monotime) - T0) / 1000000 )) s"; }
mkdir -p /out
leave() {
	local rc=$?
	kill -CONT "$pid" 2>/dev/null
	grep -h '^ASSOC_DOWN' "$WORK/peer-a.log" >/out/assoc-down-asconfd.txt 2>/dev/null
	grep -h '^ASSOC_DOWN' "$WORK/peer-k.log" >/out/assoc-down-kernel.txt 2>/dev/null
	grep -h 'pass over' "$WORK/asconfd.log" >/out/passes.txt 2>/dev/null
	tail -n 400 "$WORK/asconfd.log" >/out/asconfd-tail.log 2>/dev/null
	(exit "$rc")    # topo_down exits with the status it is called with
	topo_down
}
trap leave EXIT

for who in a:5000 k:5001; do
	in_srv sctp_peer --port "${who#*:}" --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-${who%:*}.log" 2>&1 &
	renice -n -10 -p "$(real_pid $!)" >/dev/null
done
wait_line "$WORK/peer-a.log" '^LISTENING' 10 && wait_line "$WORK/peer-k.log" '^LISTENING' 10 ||
	{ echo "the peers did not start"; exit 1; }

phase "asconfd's farm: $N sockets with an association each, bare bindx loop, handed over"
ip -n cli addr add 10.2.0.1/24 dev c2
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 --connect 10.1.0.2 --peer-port 5000 \
	--bare 10.2.0.1 --manage >"$WORK/farm-a.log" 2>&1 &
farm=$!
wait_line "$WORK/farm-a.log" '^(MANAGED|MANAGE_FAILED|CONNECT_FAILED)' 900 && grep -q '^MANAGED' "$WORK/farm-a.log" ||
	{ tail "$WORK/farm-a.log"; exit 1; }
farm=$(real_pid "$farm")
phase "start clean: 10.2.0.1 deleted"
ip -n cli addr del 10.2.0.1/24 dev c2
wait_line "$WORK/asconfd.log" "pass over $N socket\(s\) in [0-9]+ us: 0 added, $N removed" "$TOLD_WAIT" ||
	{ tail "$WORK/asconfd.log"; exit 1; }
rssn=$(rss)
# Lost while the farm was set up (connects, the bare loop's add and remove,
# the hand-over): not counted against the rounds and the flood.
lost_setup=$(grep -c '^ASSOC_DOWN' "$WORK/peer-a.log")

# ksets LOG PID: "COUNT SET" per distinct bound set over a farm's sockets,
# as the kernel holds them (sockfarm's sctp_getladdrs on SIGUSR1), not as
# asconfd says.
ksets() {
	local k i
	k=$(grep -c '^LADDRS_END' "$1")
	kill -USR1 "$2" || return 1
	for ((i = 0; i < 1200; i++)); do
		[ "$(grep -c '^LADDRS_END' "$1")" -gt "$k" ] && break
		sleep 0.05
	done
	awk -v k="$k" '/^LADDRS_END/ { e++; next }
		e == k && /^LADDRS / { sub(/^LADDRS count=/, ""); sub(/ set=/, " "); print }' "$1"
}
# why WHO PORT PID: what the kernel says when not every peer was told.
why() {
	local st
	echo "  peer's ASSOC_DOWN: $(grep -c '^ASSOC_DOWN' "$WORK/peer-$1.log")"
	# /proc/net/sctp/assocs: ST is the 5th column, LPORT the 12th.
	st=$(in_cli awk -v lo=$(($2)) -v hi=$(($2 + N)) 'NR > 1 && $12 >= lo && $12 < hi { n[$5]++ }
		END { for (s in n) printf " state %s: %d", s, n[s] }' /proc/net/sctp/assocs)
	echo "  the farm's associations by state (3 = established):$st"
	echo "  bound sets (count, set):"
	ksets "$WORK/farm-$1.log" "$3" | head -5 | sed 's/^/    /'
	[ "$1" = a ] && grep -E 'pass over|failed' "$WORK/asconfd.log" | tail -4 | sed 's/^/  asconfd: /'
}
# t_us values of event K for address A in log F, one per line.
stamps() { grep -E "^$1 ${2//./\\.} " "$3" | sed -E 's/.* t_us=([0-9]+).*/\1/'; }
count() { grep -cE "^$1 ${2//./\\.} " "$3"; }
# alive F: the peer's associations still up (N minus its ASSOC_DOWN): one
# that went down cannot be told; associations_lost counts those.
alive() { echo $((N - $(grep -c '^ASSOC_DOWN' "$1"))); }
# until every peer still up logged event K for A in log F (up to S seconds)
wait_n() {
	local end=$(($(monotime) + $4 * 1000000))
	until [ "$(count "$1" "$2" "$3")" -ge "$(alive "$3")" ]; do
		(($(monotime) < end)) || return 1
		sleep 0.1
	done
}
# change_cost ADDED|REMOVED: once asconfd's passes logged since line $mark
# of its log have ADDED (or REMOVED) N sockets in all (up to TOLD_WAIT s),
# their total time in us.  A change may take more than one pass (the first
# can fail with EADDRNOTAVAIL before the kernel's local route is there):
# the cost is all of them.
change_cost() {
	local end=$(($(monotime) + TOLD_WAIT * 1000000)) t
	while :; do
		t=$(tail -n +$((mark + 1)) "$WORK/asconfd.log" |
			sed -nE 's/.*pass over [0-9]+ socket\(s\) in ([0-9]+) us: ([0-9]+) added, ([0-9]+) removed.*/\1 \2 \3/p' |
			awk -v k="$1" -v n="$N" '{ u += $1; a += $2; r += $3 }
				END { if ((k == "added" ? a : r) >= n) print u }')
		[ -n "$t" ] && { echo "$t"; return 0; }
		(($(monotime) < end)) || return 1
		sleep 0.1
	done
}
# rounds WHO BASE PORT PID: ROUNDS adds of 10.2.0.(BASE+r)/24, each until every peer
# of WHO (a: asconfd, k: kernel) is told, then its delete.  Appends "WHO
# first_ms last_ms" to told.txt; a round where not every peer was told in
# TOLD_WAIT s counts its last as 1e9 (so that a p50 of them shows null).
rounds() {
	local who=$1 log=$WORK/peer-$1.log r a t0 c
	for ((r = 1; r <= ROUNDS; r++)); do
		a=10.2.0.$(($2 + r))
		mark=$(wc -l <"$WORK/asconfd.log")
		t0=$(in_cli addr_timed add "$a/24" c2) || exit 1
		if ! wait_n ADDR_ADDED "$a" "$log" "$TOLD_WAIT"; then
			c=$(count ADDR_ADDED "$a" "$log")
			echo "$who: $c of $(alive "$log") peers (of $N) told of $a in $TOLD_WAIT s"
			why "$who" "$3" "$4"
			echo "$who $(stamps ADDR_ADDED "$a" "$log" | sort -n | head -1 |
				awk -v t0="$t0" '{ printf "%.3f", ($1 - t0) / 1000 } END { if (!NR) print 1e9 }') 1e9" >>"$WORK/told.txt"
		else
			stamps ADDR_ADDED "$a" "$log" | sort -n |
				awk -v t0="$t0" -v w="$who" 'NR == 1 { f = $1 } { l = $1 } END {
					printf "%s %.3f %.3f\n", w, (f - t0) / 1000, (l - t0) / 1000 }' >>"$WORK/told.txt"
		fi
		[ "$who" = a ] && { change_cost added >>"$WORK/adds.txt" || echo "asconfd did not add $a everywhere"; }
		mark=$(wc -l <"$WORK/asconfd.log")
		in_cli addr_timed del "$a/24" c2 >/dev/null || exit 1
		[ "$who" = a ] && { change_cost removed >>"$WORK/rems.txt" || echo "asconfd did not remove $a everywhere"; }
		wait_n ADDR_REMOVED "$a" "$log" "$TOLD_WAIT" ||
			echo "$who: $(count ADDR_REMOVED "$a" "$log") of $(alive "$log") peers told $a is gone in $TOLD_WAIT s"
	done
}
: >"$WORK/told.txt"
: >"$WORK/adds.txt"
: >"$WORK/rems.txt"
phase "asconfd: $ROUNDS rounds of add -> every peer told, delete"
rounds a 10 20000 "$farm"
adds=$(cat "$WORK/adds.txt") rems=$(cat "$WORK/rems.txt")
bare=$(sed -nE 's/^BARE add_us=([0-9]+) rem_us=([0-9]+).*/\1 \2/p' "$WORK/farm-a.log")
ba=${bare% *} br=${bare#* }

phase "asconfd idle 30 s"
c0=$(ctx); sleep 30; c1=$(ctx)

# The flood: rounds adding then deleting 50 addresses, then the odd ones.
{
	for ((r = 0; r < FLOOD / 50; r++)); do
		op=$([ $((r % 2)) -eq 0 ] && echo add || echo del)
		for ((k = 1; k <= 50; k++)); do echo "addr $op 10.2.1.$k/32 dev c2"; done
	done
	for ((k = 1; k <= 50; k += 2)); do echo "addr add 10.2.1.$k/32 dev c2"; done
} >"$WORK/burst.txt"
lost0=$(grep -c '^ASSOC_DOWN' "$WORK/peer-a.log")
phase "flood of $((FLOOD / 50 * 50 + 25)) changes"
in_cli ip -force -batch "$WORK/burst.txt"
tl=$(monotime)
want=$( { echo 10.1.0.1; ip -n cli -j -4 addr show dev c2 |
	jq -r '.[].addr_info[] | select(.scope == "global") | .local'; } | sort | paste -sd,)
conv=false conv_ms=null right=0
end=$((tl + FLOOD_WAIT * 1000000))
while :; do
	ksets "$WORK/farm-a.log" "$farm" >"$WORK/sets.txt"
	right=$(awk -v w="$want" '$2 == w { print $1 }' "$WORK/sets.txt")
	if [ "${right:-0}" = "$N" ]; then
		conv=true conv_ms=$((($(monotime) - tl) / 1000))
		break
	fi
	(($(monotime) < end)) || break
	sleep 0.2
done
[ "$conv" = true ] || { echo "flood: ${right:-0} of $N sockets hold $want after $FLOOD_WAIT s:"; head "$WORK/sets.txt"; }
# From the metrics' counters (they come first): a status --json of 10,000
# sockets was cut short in a loaded VM ("closed the connection").
over=$(asconfctl metrics | awk '$1 == "asconfd_netlink_overruns_total" { print $2 }')
sleep 5         # an association the flood broke may take a moment to go
lost=$(grep -c '^ASSOC_DOWN' "$WORK/peer-a.log")
rssf=$(rss) fds=$(nfd)

phase "kernel's farm: $N wildcard sockets with auto_asconf (asconfd stopped)"
kill -STOP "$pid"
# --wait: sockfarm keeps its sockets (it would exit, closing every
# association, after CONNECTED otherwise).
in_cli sockfarm --count "$N" --bind 0.0.0.0 --port 40000 --connect 10.1.0.2 --peer-port 5001 \
	--auto-asconf --wait >"$WORK/farm-k.log" 2>&1 &
kfarm=$!
wait_line "$WORK/farm-k.log" '^(WAITING|CONNECT_FAILED)' 900 && grep -q '^WAITING' "$WORK/farm-k.log" ||
	{ tail "$WORK/farm-k.log"; exit 1; }
phase "kernel: $ROUNDS rounds of add -> every peer told, delete"
kfarm=$(real_pid "$kfarm")
rounds k 20 40000 "$kfarm"
klost=$(grep -c '^ASSOC_DOWN' "$WORK/peer-k.log")
kill -CONT "$pid"
phase "done"

echo "told (ms from the add request: who first last), per round:"
cat "$WORK/told.txt"
echo "asconfd's passes per change (us): adds $(echo $adds); removals $(echo $rems)"
# p50 of a list of numbers; "null" when missing or when a round timed out.
med() { sort -g | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; print (NR && m < 1e9) ? m : "null" }'; }
a_first=$(awk '$1 == "a" { print $2 }' "$WORK/told.txt" | med)
a_last=$(awk '$1 == "a" { print $3 }' "$WORK/told.txt" | med)
k_first=$(awk '$1 == "k" { print $2 }' "$WORK/told.txt" | med)
k_last=$(awk '$1 == "k" { print $3 }' "$WORK/told.txt" | med)
aa=$(med <<<"$adds") ar=$(med <<<"$rems")

awk -v n="$N" -v ba="$ba" -v br="$br" -v aa="$aa" -v ar="$ar" -v afl="$a_first" -v al="$a_last" \
    -v kf="$k_first" -v kl="$k_last" -v fe=$((FLOOD / 50 * 50 + 25)) -v conv="$conv" -v cm="$conv_ms" \
    -v r0="$rss0" -v rn="$rssn" -v rf="$rssf" -v w=$((c1 - c0)) -v over="${over:-null}" -v lost="$lost" \
    -v klost="$klost" -v lost0="$lost0" -v ls="$lost_setup" -v fds="$fds" -v right="${right:-0}" 'function us(x) { return x == "null" ? x : sprintf("%.1f", x / n) }
    BEGIN {
	printf "SCALE {\"sockets\": %d, \"asconfd_add_us_per_socket\": %s, \"bare_add_us_per_socket\": %.1f, ", n, us(aa), ba / n
	printf "\"asconfd_rem_us_per_socket\": %s, \"bare_rem_us_per_socket\": %.1f, ", us(ar), br / n
	printf "\"first_peer_told_ms_p50\": %s, \"last_peer_told_ms_p50\": %s, ", afl, al
	printf "\"kernel_first_peer_told_ms_p50\": %s, \"kernel_last_peer_told_ms_p50\": %s, ", kf, kl
	printf "\"flood_events\": %d, \"flood_overruns\": %s, \"flood_converged\": %s, \"flood_converge_ms\": %s, ", fe, over, conv, cm
	printf "\"flood_sockets_right\": %d, \"associations_lost_setup\": %d, \"associations_lost\": %d, ", right, ls, lost - ls
	printf "\"associations_lost_in_flood\": %d, ", lost - lost0
	printf "\"kernel_associations_lost\": %d, ", klost
	printf "\"rss_kib_idle\": %d, \"rss_kib\": %d, \"rss_kib_after_flood\": %d, ", r0, rn, rf
	printf "\"rss_kib_per_socket\": %.2f, \"fds\": %d, \"idle_wakeups_30s\": %d}\n", (rn - r0) / n, fds, w
}'
