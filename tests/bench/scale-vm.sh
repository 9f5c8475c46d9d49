# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): asconfd at scale, side by side with the
# kernel's auto_asconf in the same boot.  Usage: N ROUNDS FLOOD FLOOD_WAIT
# [SHAPE]: N associations held in one of three shapes (sockfarm):
#   one-to-many (the default): N one-to-many sockets, one association each,
#     to one peer socket (sctp_peer);
#   one-to-one: a one-to-one listener and the N sockets it accepted, from N
#     client sockets on the peer host (sockfarm --notify);
#   100x100: N/100 one-to-many sockets with 100 associations each, to 100
#     peer sockets (sockfarm --notify);
# in this order (the idle and flood steps for one-to-many only):
#   - bare: a plain loop of sctp_bindx ADD then REM over the N sockets (the
#     floor), timed by sockfarm, ROUNDS times (medians), each REM loop a
#     second after the ADDs and after the address left the host;
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
SHAPE=${5:-one-to-many}
# S: the managed sockets (the one-to-one listener is one of them).
case $SHAPE in
one-to-many) S=$N ;;
one-to-one) S=$((N + 1)) ;;
100x100)
	((N % 100 == 0)) || { echo "100x100: $N is not a multiple of 100"; exit 1; }
	S=$((N / 100)) ;;
*) echo "unknown shape '$SHAPE' (one-to-many, one-to-one, 100x100)"; exit 1 ;;
esac
# Seconds to wait for every peer to be told of one change.
TOLD_WAIT=$((60 + N / 50))
ulimit -n 65536
topo_up
ip netns exec cli sysctl -qw net.sctp.addip_enable=1 net.sctp.auth_enable=1
# One client hands over all N sockets: above the default per-client limit.
printf '[asconfd]\nmax-sockets-per-client = %d\nmax-sockets = %d\n' $((S + 64)) $((S + 1024)) >"$WORK/scale.conf"
start_asconfd -C "$WORK/scale.conf" --interface c2 --rcvbuf 16384 || { echo "asconfd did not start"; exit 1; }
pid=$(daemon_pid)
# asconfd's log, read without starting a process while its passes are
# timed (next_line, pass_cost).
follow 9 "$WORK/asconfd.log"
# Rss of smaps_rollup (4.14): VmRSS is a per-thread cached count that can
# lag by hundreds of KiB at idle (316 against 2,024 KiB at 1,000 sockets).
rss() {
	awk '/^Rss:/ { print $2; exit }' "/proc/$pid/smaps_rollup" 2>/dev/null ||
		awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"
}
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

# t_us values of event K for address A in log F, one per line.
stamps() { grep -E "^$1 ${2//./\\.} " "$3" | sed -E 's/.* t_us=([0-9]+).*/\1/'; }
count() { grep -cE "^$1 ${2//./\\.} " "$3"; }
# alive F: the peer's associations still up (N minus its ASSOC_DOWN): one
# that went down cannot be told; associations_lost counts those.
alive() { echo $((N - $(grep -c '^ASSOC_DOWN' "$1"))); }
# wait_n K A F S [BASE]: until every peer still up logged event K for A in
# log F (up to S seconds), besides the BASE such lines it had before
# (every 0.5 s: each look starts three processes).
wait_n() {
	local end=$((SECONDS + $4))
	until [ $(($(count "$1" "$2" "$3") - ${5:-0})) -ge "$(alive "$3")" ]; do
		((SECONDS < end)) || return 1
		nap 0.5
	done
}

# peer WHO ARGS..: the far end of WHO's associations (a: asconfd's farm, k:
# the kernel's), logging what it is told to peer-WHO.log, reniced; waits
# until it is ready.
peer() {
	local who=$1 ready=LISTENING
	shift
	if [ "$1" = sctp_peer ]; then
		in_srv "$@" >"$WORK/peer-$who.log" 2>&1 &
	else
		in_srv sockfarm "$@" --notify --wait >"$WORK/peer-$who.log" 2>&1 &
		ready='WAITING|CONNECT_FAILED'
	fi
	renice -n -10 -p "$(real_pid $!)" >/dev/null
	wait_line "$WORK/peer-$who.log" "^($ready)" 900 && ! grep -q '^CONNECT_FAILED' "$WORK/peer-$who.log" ||
		{ echo "the peer of $who did not start"; tail "$WORK/peer-$who.log"; exit 1; }
}
# farm WHO ARGS..: a farm on the managed host (sockfarm ARGS), and for
# one-to-one, once it listens, the N clients that connect to it; waits
# until it is managed (WHO a) or waiting (k).  Its pid in farm_pid.
farm() {
	local who=$1 log=$WORK/farm-$1.log port
	shift
	# Its log read without starting a process: the bare loop is timed
	# meanwhile (grep every 50 ms took the vCPU from it).
	: >"$log"
	follow 7 "$log"
	in_cli sockfarm "$@" >"$log" 2>&1 &
	farm_pid=$!
	if [ "$SHAPE" = one-to-one ]; then
		wait_for 7 '^LISTENING' 60 || { tail "$log"; exit 1; }
		port=$(sed -nE 's/^LISTENING port=([0-9]+).*/\1/p' "$log")
		peer "$who" --count "$N" --bind 10.1.0.2,10.2.0.2 --port "$( [ "$who" = a ] && echo 30000 || echo 50000)" \
			--connect 10.1.0.1 --peer-port "$port"
		phase "$who: $N accepted"
	fi
	if [ "$who" = a ]; then
		# "BARE " (the medians), not "BARE_ROUND": every round is done.
		wait_for 7 '^(BARE |MANAGE_FAILED|CONNECT_FAILED)' 1800 && phase "$who: bare loop done"
	fi
	# A one-to-one hand-over of 10,000 took 9 minutes in the VM.
	wait_for 7 '^(MANAGED|MANAGE_FAILED|CONNECT_FAILED|WAITING)' $((900 + N / 10)) &&
		grep -Eq '^(MANAGED|WAITING)' "$log" ||
		{ tail "$log"; exit 1; }
	farm_pid=$(real_pid "$farm_pid")
}
# The peers, the farms' arguments and their local ports (lo..hi-1, for
# /proc/net/sctp/assocs) for each shape.
case $SHAPE in
one-to-many)
	peer a sctp_peer --port 5000 --bind 10.1.0.2,10.2.0.2
	peer k sctp_peer --port 5001 --bind 10.1.0.2,10.2.0.2
	a_args=(--count "$N" --bind 10.1.0.1 --port 20000 --connect 10.1.0.2 --peer-port 5000)
	k_args=(--count "$N" --bind 0.0.0.0 --port 40000 --connect 10.1.0.2 --peer-port 5001)
	a_ports="20000 $((20000 + N))" k_ports="40000 $((40000 + N))" ;;
one-to-one)
	a_args=(--accept --count "$N" --bind 10.1.0.1 --port 6000)
	k_args=(--accept --count "$N" --bind 0.0.0.0 --port 6001)
	a_ports="6000 6001" k_ports="6001 6002" ;;
100x100)
	peer a --count 100 --bind 10.1.0.2,10.2.0.2 --port 5000
	peer k --count 100 --bind 10.1.0.2,10.2.0.2 --port 5100
	a_args=(--count "$S" --bind 10.1.0.1 --port 20000 --connect 10.1.0.2 --peer-port 5000 --peers 100)
	k_args=(--count "$S" --bind 0.0.0.0 --port 40000 --connect 10.1.0.2 --peer-port 5100 --peers 100)
	a_ports="20000 $((20000 + S))" k_ports="40000 $((40000 + S))" ;;
esac

phase "asconfd's farm ($SHAPE): $S sockets, $N associations, bare bindx loop, handed over"
# The bare loop as bench-sockets runs it (ROUNDS rounds, medians): its REMs
# after the ADDs' ASCONFs are acknowledged and the address left the host,
# and its ADDs after the REMs' are, as asconfd's passes find them in the
# rounds (which wait until every peer was told).  An association has one
# ASCONF outstanding at a time (sctp_send_asconf): a bindx while one is
# queues the next and costs a fraction (with a 1 s pause, 10,000
# associations to one peer socket gave 71 us a socket, against 1,280 at
# 1,000: most likely queued).  The peers need about 2 ms per association
# to take a round's ASCONFs in the VM, hence the pause.  The hand-over
# then ADDs 10.2.0.1 to every socket (for one-to-one, sockets of one port:
# one lease for the burst, see agent/daemon/pass/pass.c), and it goes.
ip -n cli addr add 10.2.0.1/24 dev c2
farm a "${a_args[@]}" --bare 10.2.0.1 --bare-rounds "$ROUNDS" --bare-pause $((1000 + 2 * N)) \
	--bare-host "10.2.0.1/24 dev c2" --manage
farm=$farm_pid
phase "start clean: 10.2.0.1 deleted"
rm0=$(count ADDR_REMOVED 10.2.0.1 "$WORK/peer-a.log")
ip -n cli addr del 10.2.0.1/24 dev c2
wait_line "$WORK/asconfd.log" "pass over $S socket\(s\) in [0-9]+ us: 0 added, $S removed" "$TOLD_WAIT" ||
	{ tail "$WORK/asconfd.log"; exit 1; }
# ... and every peer still up was told, as after each round: the first
# round's ASCONFs would otherwise wait behind these (an association has one
# outstanding), and its first peer was told after 5.8 s instead of 3 ms
# (100x100, 10,000).
wait_n ADDR_REMOVED 10.2.0.1 "$WORK/peer-a.log" "$TOLD_WAIT" "$rm0" ||
	echo "start clean: $(($(count ADDR_REMOVED 10.2.0.1 "$WORK/peer-a.log") - rm0)) of $(alive "$WORK/peer-a.log") peers told in $TOLD_WAIT s"
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
# why WHO "LO HI" PID: what the kernel says when not every peer was told
# (the farm's local ports are LO..HI-1).
why() {
	local st
	echo "  peer's ASSOC_DOWN: $(grep -c '^ASSOC_DOWN' "$WORK/peer-$1.log")"
	# /proc/net/sctp/assocs: ST is the 5th column, LPORT the 12th.
	st=$(in_cli awk -v lo="${2% *}" -v hi="${2#* }" 'NR > 1 && $12 >= lo && $12 < hi { n[$5]++ }
		END { for (s in n) printf " state %s: %d", s, n[s] }' /proc/net/sctp/assocs)
	echo "  the farm's associations by state (3 = established):$st"
	echo "  bound sets (count, set):"
	ksets "$WORK/farm-$1.log" "$3" | head -5 | sed 's/^/    /'
	[ "$1" = a ] && grep -E 'pass over|failed' "$WORK/asconfd.log" | tail -4 | sed 's/^/  asconfd: /'
}
# rounds WHO BASE "LO HI" PID: ROUNDS adds of 10.2.0.(BASE+r)/24, each until every peer
# of WHO (a: asconfd, k: kernel) is told, then its delete.  Appends "WHO
# first_ms last_ms" to told.txt; a round where not every peer was told in
# TOLD_WAIT s counts its last as 1e9 (so that a p50 of them shows null).
rounds() {
	local who=$1 log=$WORK/peer-$1.log r a t0 c
	for ((r = 1; r <= ROUNDS; r++)); do
		a=10.2.0.$(($2 + r))
		drain 9
		t0=$(in_cli addr_timed add "$a/24" c2) || exit 1
		# asconfd's passes first, timed without a process started
		# beside them; the peers stamp their own news meanwhile.
		if [ "$who" = a ]; then
			pass_cost 9 added "$S" "$TOLD_WAIT" && echo "$COST $CPU" >>"$WORK/adds.txt" ||
				echo "asconfd did not add $a everywhere"
		fi
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
		drain 9
		in_cli addr_timed del "$a/24" c2 >/dev/null || exit 1
		if [ "$who" = a ]; then
			pass_cost 9 removed "$S" "$TOLD_WAIT" && echo "$COST $CPU" >>"$WORK/rems.txt" ||
				echo "asconfd did not remove $a everywhere"
		fi
		wait_n ADDR_REMOVED "$a" "$log" "$TOLD_WAIT" ||
			echo "$who: $(count ADDR_REMOVED "$a" "$log") of $(alive "$log") peers told $a is gone in $TOLD_WAIT s"
	done
}
: >"$WORK/told.txt"
: >"$WORK/adds.txt"
: >"$WORK/rems.txt"
phase "asconfd: $ROUNDS rounds of add -> every peer told, delete"
rounds a 10 "$a_ports" "$farm"
adds=$(cut -d' ' -f1 "$WORK/adds.txt") rems=$(cut -d' ' -f1 "$WORK/rems.txt")
addc=$(cut -d' ' -f2 "$WORK/adds.txt") remc=$(cut -d' ' -f2 "$WORK/rems.txt")
field() { bare_field "$WORK/farm-a.log" "$1"; }
ba=$(field add_us) br=$(field rem_us) bac=$(field add_cpu_us) brc=$(field rem_cpu_us)

# The idle count and the flood: one-to-many only, for time; they are about
# how asconfd follows the host's addresses, which no shape changes.
over=null conv=null conv_ms=null right=null lost0=null rssf=null c0=0 c1=0
if [ "$SHAPE" = one-to-many ]; then
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
	drain 9
	in_cli ip -force -batch "$WORK/burst.txt"
	tl=$EPOCHREALTIME
	# asconfd is done with its last pass: read its log without starting
	# a process (a look at 10,000 sockets' bound sets takes the vCPU from
	# it for a while) until it has been quiet for 3 s, then look at what
	# the kernel holds.  Right then, it converged when that pass ended;
	# if not, look again every 0.2 s until it is.
	last=$tl end=$((SECONDS + FLOOD_WAIT))
	while ((SECONDS < end)) && next_line 9 3; do
		[[ $LINE =~ $PASS_RE ]] && last=$EPOCHREALTIME
	done
	want=$( { echo 10.1.0.1; ip -n cli -j -4 addr show dev c2 |
		jq -r '.[].addr_info[] | select(.scope == "global") | .local'; } | sort | paste -sd,)
	conv=false conv_ms=null right=0
	while :; do
		ksets "$WORK/farm-a.log" "$farm" >"$WORK/sets.txt"
		right=$(awk -v w="$want" '$2 == w { print $1 }' "$WORK/sets.txt")
		if [ "${right:-0}" = "$N" ]; then
			conv=true conv_ms=$(((${last/./} - ${tl/./}) / 1000))
			break
		fi
		((SECONDS < end)) || break
		nap 0.2
		last=$EPOCHREALTIME
	done
	[ "$conv" = true ] || { echo "flood: ${right:-0} of $N sockets hold $want after $FLOOD_WAIT s:"; head "$WORK/sets.txt"; }
	# From the metrics' counters (they come first): a status --json of 10,000
	# sockets was cut short in a loaded VM ("closed the connection").
	over=$(asconfctl metrics | awk '$1 == "asconfd_netlink_overruns_total" { print $2 }')
	sleep 5         # an association the flood broke may take a moment to go
	lost=$(grep -c '^ASSOC_DOWN' "$WORK/peer-a.log")
	rssf=$(rss) fds=$(nfd)
else
	lost=$(grep -c '^ASSOC_DOWN' "$WORK/peer-a.log")
	fds=$(nfd)
fi

phase "kernel's farm ($SHAPE): $N associations on wildcard sockets with auto_asconf (asconfd stopped)"
kill -STOP "$pid"
# An accepted socket does not inherit its listener's SCTP_AUTO_ASCONF:
# sctp_sock_migrate gives it the namespace's default_auto_asconf
# (sctp_auto_asconf_init, Linux 5.13; sctp_init_sock did the same before).
# Without it the kernel's accepted sockets never tell their peers.
[ "$SHAPE" = one-to-one ] && in_cli sysctl -qw net.sctp.default_auto_asconf=1
# --wait: sockfarm keeps its sockets (it would exit, closing every
# association, after CONNECTED otherwise).
farm k "${k_args[@]}" --auto-asconf --wait
kfarm=$farm_pid
phase "kernel: $ROUNDS rounds of add -> every peer told, delete"
rounds k 20 "$k_ports" "$kfarm"
klost=$(grep -c '^ASSOC_DOWN' "$WORK/peer-k.log")
kill -CONT "$pid"
phase "done"

echo "told (ms from the add request: who first last), per round:"
cat "$WORK/told.txt"
echo "asconfd's passes per change (us): adds $(echo $adds); removals $(echo $rems)"
echo "their CPU time (us): adds $(echo $addc); removals $(echo $remc)"
# p50 of a list of numbers; "null" when missing or when a round timed out.
med() { sort -g | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; print (NR && m < 1e9) ? m : "null" }'; }
a_first=$(awk '$1 == "a" { print $2 }' "$WORK/told.txt" | med)
a_last=$(awk '$1 == "a" { print $3 }' "$WORK/told.txt" | med)
k_first=$(awk '$1 == "k" { print $2 }' "$WORK/told.txt" | med)
k_last=$(awk '$1 == "k" { print $3 }' "$WORK/told.txt" | med)
aa=$(med <<<"$adds") ar=$(med <<<"$rems") aac=$(med <<<"$addc") arc=$(med <<<"$remc")

awk -v n="$N" -v s="$S" -v shape="$SHAPE" -v ba="$ba" -v br="$br" -v aa="$aa" -v ar="$ar" \
    -v bac="$bac" -v brc="$brc" -v aac="$aac" -v arc="$arc" -v afl="$a_first" -v al="$a_last" \
    -v kf="$k_first" -v kl="$k_last" -v fe=$((FLOOD / 50 * 50 + 25)) -v conv="$conv" -v cm="$conv_ms" \
    -v r0="$rss0" -v rn="$rssn" -v rf="$rssf" -v w=$((c1 - c0)) -v over="${over:-null}" -v lost="$lost" \
    -v klost="$klost" -v lost0="$lost0" -v ls="$lost_setup" -v fds="$fds" -v right="${right:-0}" 'function us(x) { return x == "null" ? x : sprintf("%.1f", x / s) }
    BEGIN {
	printf "SCALE {\"shape\": \"%s\", \"sockets\": %d, \"associations\": %d, ", shape, s, n
	printf "\"asconfd_add_us_per_socket\": %s, \"bare_add_us_per_socket\": %.1f, ", us(aa), ba / s
	printf "\"asconfd_rem_us_per_socket\": %s, \"bare_rem_us_per_socket\": %.1f, ", us(ar), br / s
	printf "\"asconfd_add_cpu_us_per_socket\": %s, \"bare_add_cpu_us_per_socket\": %.1f, ", us(aac), bac / s
	printf "\"asconfd_rem_cpu_us_per_socket\": %s, \"bare_rem_cpu_us_per_socket\": %.1f, ", us(arc), brc / s
	printf "\"first_peer_told_ms_p50\": %s, \"last_peer_told_ms_p50\": %s, ", afl, al
	printf "\"kernel_first_peer_told_ms_p50\": %s, \"kernel_last_peer_told_ms_p50\": %s, ", kf, kl
	if (shape == "one-to-many") {
		printf "\"flood_events\": %d, \"flood_overruns\": %s, \"flood_converged\": %s, \"flood_converge_ms\": %s, ", fe, over, conv, cm
		printf "\"flood_sockets_right\": %d, \"associations_lost_in_flood\": %d, ", right, lost - lost0
	}
	printf "\"associations_lost_setup\": %d, \"associations_lost\": %d, ", ls, lost - ls
	printf "\"kernel_associations_lost\": %d, ", klost
	printf "\"rss_kib_idle\": %d, \"rss_kib\": %d, ", r0, rn
	if (shape == "one-to-many")
		printf "\"rss_kib_after_flood\": %d, \"idle_wakeups_30s\": %d, ", rf, w
	printf "\"rss_kib_per_socket\": %.2f, \"fds\": %d}\n", (rn - r0) / s, fds
}'
