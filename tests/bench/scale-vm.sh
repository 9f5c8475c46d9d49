# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): asconfd at scale, side by side with the
# kernel's auto_asconf in the same boot.  For N sockets with one association
# each (sockfarm), in this order:
#   - bare: a plain loop of sctp_bindx ADD then REM over the N sockets (the
#     floor), timed by sockfarm;
#   - asconfd: the same ADD and REM as one pass each (its own log), and the
#     time from the address request to the first and to the last of the N
#     peers told (SCTP_PEER_ADDR_CHANGE, CLOCK_MONOTONIC on both sides);
#   - kernel: N wildcard sockets with SCTP_AUTO_ASCONF, the same address
#     change, first and last peer told;
#   - RSS of asconfd with 0 and with N sockets; wakeups over 30 s idle;
#   - flood: FLOOD changes over 50 addresses in one burst with a 16 KiB
#     netlink buffer, then the time until every socket holds exactly c2's
#     addresses, checked against ip -j addr and sctp_getladdrs.
# Prints one JSON object (scale.json's shape) on a line starting "SCALE ".
. /extra/lib.sh
trap topo_down EXIT
N=${1:-1000}
ROUNDS=${2:-3}
FLOOD=${3:-10000}
ulimit -n 65536
topo_up
ip netns exec cli sysctl -qw net.sctp.addip_enable=1 net.sctp.auth_enable=1
start_asconfd --interface c2 --rcvbuf 16384 || { echo "asconfd did not start"; exit 1; }
pid=
for p in /proc/[0-9]*; do
	case $(cat "$p/comm" 2>/dev/null) in asconfd | asconfd-san) pid=${p#/proc/} ;; esac
done
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
nfd() { ls "/proc/$pid/fd" | wc -l; }
ctx() { awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$pid/status"; }
rss0=$(rss)

in_srv sctp_peer --port 5000 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-a.log" 2>&1 &
in_srv sctp_peer --port 5001 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-k.log" 2>&1 &
wait_line "$WORK/peer-a.log" '^LISTENING' 10 && wait_line "$WORK/peer-k.log" '^LISTENING' 10 || exit 1
ip -n cli addr add 10.2.0.1/24 dev c2
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 --connect 10.1.0.2 --peer-port 5000 \
	--bare 10.2.0.1 --manage >"$WORK/farm-a.log" 2>&1 &
wait_line "$WORK/farm-a.log" '^MANAGED' 600 || { tail "$WORK/farm-a.log"; exit 1; }
in_cli sockfarm --count "$N" --bind 0.0.0.0 --port 40000 --connect 10.1.0.2 --peer-port 5001 \
	--auto-asconf >"$WORK/farm-k.log" 2>&1 &
wait_line "$WORK/farm-k.log" '^CONNECTED' 600 || { tail "$WORK/farm-k.log"; exit 1; }
ip -n cli addr del 10.2.0.1/24 dev c2
wait_line "$WORK/asconfd.log" "pass over $N socket\(s\) in [0-9]+ us: 0 added, $N removed" 120 ||
	{ tail "$WORK/asconfd.log"; exit 1; }
sleep 2         # the kernel's own removal (500 ms timer) done too
rssn=$(rss)

# t_us values of ADDR events for address A in log F, one per line.
stamps() { grep -E "^$1 ${2//./\\.} " "$3" | sed -E 's/.* t_us=([0-9]+).*/\1/'; }
# until N events of kind K for A are in log F (up to S seconds)
wait_n() {
	local i
	for ((i = 0; i < $4 * 10; i++)); do
		[ "$(grep -cE "^$1 ${2//./\\.} " "$3")" -ge "$N" ] && return 0
		sleep 0.1
	done
	return 1
}
: >"$WORK/told.txt"
for ((r = 1; r <= ROUNDS; r++)); do
	a=10.2.0.$((10 + r))
	t0=$(in_cli addr_timed add "$a/24" c2) || exit 1
	for who in a k; do
		wait_n ADDR_ADDED "$a" "$WORK/peer-$who.log" 120 && continue
		echo "$who: $(grep -cE "^ADDR_ADDED ${a//./\\.} " "$WORK/peer-$who.log") of $N peers told of $a"
		grep -c "bindx ADD" "$WORK/asconfd.log"; grep -E "pass over|failed" "$WORK/asconfd.log" | tail -5
		asconfctl status | head -12
		exit 1
	done
	for who in a k; do
		stamps ADDR_ADDED "$a" "$WORK/peer-$who.log" | sort -n |
			awk -v t0="$t0" -v w="$who" 'NR == 1 { f = $1 } { l = $1 } END {
				printf "%s %.3f %.3f\n", w, (f - t0) / 1000, (l - t0) / 1000 }' >>"$WORK/told.txt"
	done
	in_cli addr_timed del "$a/24" c2 >/dev/null || exit 1
	wait_n ADDR_REMOVED "$a" "$WORK/peer-a.log" 120 || exit 1
	wait_n ADDR_REMOVED "$a" "$WORK/peer-k.log" 120 || exit 1
done
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
a_first=$(awk '$1 == "a" { print $2 }' "$WORK/told.txt" | med)
a_last=$(awk '$1 == "a" { print $3 }' "$WORK/told.txt" | med)
k_first=$(awk '$1 == "k" { print $2 }' "$WORK/told.txt" | med)
k_last=$(awk '$1 == "k" { print $3 }' "$WORK/told.txt" | med)
adds=$(sed -nE "s/.*pass over $N socket\(s\) in ([0-9]+) us: $N added.*/\1/p" "$WORK/asconfd.log" | med)
rems=$(sed -nE "s/.*pass over $N socket\(s\) in ([0-9]+) us: 0 added, $N removed.*/\1/p" "$WORK/asconfd.log" | tail -n "$ROUNDS" | med)
bare=$(sed -nE 's/^BARE add_us=([0-9]+) rem_us=([0-9]+).*/\1 \2/p' "$WORK/farm-a.log")
ba=${bare% *} br=${bare#* }

c0=$(ctx); sleep 30; c1=$(ctx)

# The flood: rounds adding then deleting 50 addresses, then the odd ones.
{
	for ((r = 0; r < FLOOD / 50; r++)); do
		op=$([ $((r % 2)) -eq 0 ] && echo add || echo del)
		for ((k = 1; k <= 50; k++)); do echo "addr $op 10.2.1.$k/32 dev c2"; done
	done
	for ((k = 1; k <= 50; k += 2)); do echo "addr add 10.2.1.$k/32 dev c2"; done
} >"$WORK/burst.txt"
in_cli ip -force -batch "$WORK/burst.txt"
tl=$(in_cli monotime)
want=$( { echo 10.1.0.1; ip -n cli -j -4 addr show dev c2 |
	jq -r '.[].addr_info[] | select(.scope == "global") | .local'; } | sort | paste -sd,)
conv=false conv_ms=null
for ((i = 0; i < 600; i++)); do
	asconfctl status --json | jq -r '.sockets[] | .bound | sort | join(",")' | sort | uniq -c >"$WORK/sets.txt"
	if [ "$(wc -l <"$WORK/sets.txt")" -eq 1 ] && read -r c s <"$WORK/sets.txt" &&
		[ "$c" = "$N" ] && [ "$s" = "$want" ]; then
		conv=true conv_ms=$(( ($(in_cli monotime) - tl) / 1000 ))
		break
	fi
	sleep 0.2
done
over=$(asconfctl status --json | jq '.counters.netlink_overruns')
lost=$(grep -c '^ASSOC_DOWN' "$WORK/peer-a.log")
rssf=$(rss) fds=$(nfd)

awk -v n="$N" -v ba="$ba" -v br="$br" -v aa="$adds" -v ar="$rems" -v afl="$a_first" -v al="$a_last" \
    -v kf="$k_first" -v kl="$k_last" -v fe=$((FLOOD / 50 * 50 + 25)) -v conv="$conv" -v cm="$conv_ms" \
    -v r0="$rss0" -v rn="$rssn" -v rf="$rssf" -v w=$((c1 - c0)) -v over="$over" -v lost="$lost" -v fds="$fds" 'BEGIN {
	printf "SCALE {\"sockets\": %d, \"asconfd_add_us_per_socket\": %.1f, \"bare_add_us_per_socket\": %.1f, ", n, aa / n, ba / n
	printf "\"asconfd_rem_us_per_socket\": %.1f, \"bare_rem_us_per_socket\": %.1f, ", ar / n, br / n
	printf "\"first_peer_told_ms_p50\": %s, \"last_peer_told_ms_p50\": %s, ", afl, al
	printf "\"kernel_first_peer_told_ms_p50\": %s, \"kernel_last_peer_told_ms_p50\": %s, ", kf, kl
	printf "\"flood_events\": %d, \"flood_overruns\": %d, \"flood_converged\": %s, \"flood_converge_ms\": %s, ", fe, over, conv, cm
	printf "\"associations_lost\": %d, \"rss_kib_idle\": %d, \"rss_kib\": %d, \"rss_kib_after_flood\": %d, ", lost, r0, rn, rf
	printf "\"rss_kib_per_socket\": %.2f, \"fds\": %d, \"idle_wakeups_30s\": %d}\n", (rn - r0) / n, fds, w
}'
