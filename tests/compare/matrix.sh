# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): the comparison matrix of `make compare`.
# Every scenario runs three ways in this one boot, side by side:
#   asconfd  a client bound to specific addresses, handed to asconfd
#   kernel   a client bound to the wildcard with SCTP_AUTO_ASCONF on
#   none     a client bound to specific addresses, no agent (what a kernel
#            before 3.2 gives without asconfd)
# Each client has its own peer in "srv"; a peer's SCTP_PEER_ADDR_CHANGE
# events (sctp_peer, CLOCK_MONOTONIC stamps) are what "announced" means.
#
# Usage: matrix.sh PROFILE ROUNDS [SCENARIO...]
#   PROFILE  full: the three modes;  old: asconfd under the old-kernel
#            interposer (oldkernel.so: no SCTP_AUTO_ASCONF, IFA_FLAGS,
#            pidfd, SO_NETNS_COOKIE, SIOCGSKNS) and "none"
# Writes /out/rec.tsv (scenario, mode, announced, correct, note, judged:
# "final" when only the peer's final view decides correctness, else empty),
# /out/lat.tsv (scenario, mode, microseconds) and /out/kernel.txt.
# With MATRIX_LIB=1 it only defines the functions (the VM tier sources it).
. /extra/lib.sh

PROFILE=${1:-full}
ROUNDS=${2:-5}
OUT=${MATRIX_OUT:-/out}
REC=$OUT/rec.tsv
LAT=$OUT/lat.tsv
ALLMODES=(asconfd kernel none)

# set_profile full|old: the modes run, and how asconfd is started.
set_profile() {
	local m
	PROFILE=$1
	if [ "$PROFILE" = old ]; then
		MODES=(asconfd none)
		# The sanitizer build (VM tier) wants its runtime first.
		ASCONFD_WRAP=(env "ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
			      LD_PRELOAD=/usr/local/bin/oldkernel.so)
	else
		MODES=(asconfd kernel none)
		ASCONFD_WRAP=()
	fi
	# The modes that may announce anything: the ones waited for.
	ACTIVE=()
	for m in "${MODES[@]}"; do [ "$m" = none ] || ACTIVE+=("$m"); done
}
set_profile "$PROFILE"

declare -A SEEN BAD NOTE SHOULD NR ENDSTATE
ROWS=()

# --- bookkeeping ---------------------------------------------------------------

# newrow NAME SHOULD: a row whose changes should (1) or should not (0) reach
# the peer.
newrow() { ROWS+=("$1"); SHOULD[$1]=$2; NR[$1]=0; }
note() { NOTE[$1|$2]="${NOTE[$1|$2]:+${NOTE[$1|$2]}; }$3"; }
bad() { BAD[$1|$2]=$((${BAD[$1|$2]:-0} + 1)); note "$1" "$2" "$3"; }

plog() { echo "$WORK/peer-$1-${2:-$FAM}.log"; }
# tus MODE: t_us of the first line of MODE's peer log matching $RE.
tus() { grep -E -- "$RE" "$(plog "$1")" 2>/dev/null | head -1 | sed -nE 's/.* t_us=([0-9]+).*/\1/p'; }

# now_ms: wall clock without an exec (a loaded TCG guest takes 100 ms and
# more per exec, so deadlines count time, not loop turns).
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# await SECS: until every active mode's peer log matches $RE, or SECS pass.
await() {
	local end=$(($(now_ms) + $1 * 1000)) m all
	while :; do
		all=1
		for m in "${ACTIVE[@]}"; do
			grep -Eq -- "$RE" "$(plog "$m")" 2>/dev/null || { all=0; break; }
		done
		((all)) && return 0
		(($(now_ms) < end)) || return 1
		sleep 0.05
	done
}

# collect ROW T0: one round of ROW: who has seen $RE, and how long after T0.
collect() {
	local row=$1 t0=$2 m t
	NR[$row]=$((${NR[$row]} + 1))
	for m in "${MODES[@]}"; do
		t=$(tus "$m")
		[ -n "$t" ] || continue
		SEEN[$row|$m]=$((${SEEN[$row|$m]:-0} + 1))
		printf '%s\t%s\t%s\n' "$row" "$m" $((t - t0)) >>"$LAT"
	done
}

# timed ROW SECS ACTION...: runs ACTION (which prints its own T0, as
# addr_timed does), waits for $RE, collects.
timed() {
	local row=$1 secs=$2 t0
	shift 2
	t0=$("$@") || { note "$row" asconfd "action failed: $*"; return 1; }
	await "$secs"
	collect "$row" "$t0"
}

rec() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" >>"$REC"; }

# flush: one record per row and mode, then forget the rows.
flush() {
	local row m s n a c sh b j
	for row in "${ROWS[@]}"; do
		n=${NR[$row]}
		for m in "${ALLMODES[@]}"; do
			if [ "$PROFILE" = old ] && [ "$m" = kernel ]; then
				rec "$row" kernel - - "no SCTP_AUTO_ASCONF before Linux 3.2"
				continue
			fi
			s=${SEEN[$row|$m]:-0}
			if ((n == 0)); then
				rec "$row" "$m" - - "${NOTE[$row|$m]:-not run}"
				continue
			fi
			if ((s == n)); then a=yes; elif ((s == 0)); then a=no; else a="$s/$n"; fi
			c=no sh=${SHOULD[$row]} b=${BAD[$row|$m]:-0}
			((sh && s == n && b == 0)) && c=yes
			((!sh && s == 0 && b == 0)) && c=yes
			# Rows judged by the peer's final view only.
			j=
			[ "${ENDSTATE[$row]:-}" = 1 ] && { c=no; ((b == 0)) && c=yes; j=final; }
			rec "$row" "$m" "$a" "$c" "${NOTE[$row|$m]:-}" "$j"
		done
	done
	ROWS=()
	SEEN=() BAD=() NOTE=() SHOULD=() NR=() ENDSTATE=()
}

# na ROW NOTE: a row this build cannot measure, for every mode.
na() {
	local m
	for m in "${ALLMODES[@]}"; do rec "$1" "$m" - - "$2"; done
}

# --- topology ----------------------------------------------------------------

# down: like topo_down, without exiting.
down() {
	grep -h '^oldkernel: hid' "$WORK/asconfd.log" >>"$OUT/hid.txt" 2>/dev/null
	topo_reset
}

# up [ASCONFD_ARGS...]: the topology and asconfd following c2.
up() {
	topo_up
	start_asconfd --interface c2 "$@" || { echo "asconfd did not start"; cat "$WORK/asconfd.log"; return 1; }
}

# triple FAM: a peer and a client per mode.  FAM v4 (10.1.0.1 -> 10.1.0.2)
# or v6 (fd01::1 -> fd02::2).  T_BIND/T_CONN/T_PADDRS override the
# addresses, T_CLI/T_PEER add options.
triple() {
	local fam=$1 k=0 off=0 m b x v6=() paddrs caddr wild conn
	if [ "$fam" = v6 ]; then
		off=10 v6=(--inet6) paddrs=fd01::2,fd02::2 caddr=fd01::1 wild=:: conn=fd01::2
	else
		paddrs=10.1.0.2,10.2.0.2 caddr=10.1.0.1 wild=0.0.0.0 conn=10.1.0.2
	fi
	paddrs=${T_PADDRS:-$paddrs} caddr=${T_BIND:-$caddr} conn=${T_CONN:-$conn}
	for m in "${MODES[@]}"; do
		# Appending: a scenario empties the logs between steps.
		in_srv sctp_peer --port $((5000 + off + k)) --bind "$paddrs" ${T_PEER:-} \
			>>"$(plog "$m" "$fam")" 2>&1 &
		wait_line "$(plog "$m" "$fam")" '^LISTENING' 5 || { echo "peer $m $fam did not start"; return 1; }
		case $m in
		asconfd) b=$caddr x=(--manage) ;;
		kernel) b=$wild x=(--auto-asconf) ;;
		none) b=$caddr x=() ;;
		esac
		in_cli sctp_client "${v6[@]}" --bind "$b" --port $((6000 + off + k)) --connect "$conn" \
			--peer-port $((5000 + off + k)) "${x[@]}" ${T_CLI:-} >"$WORK/client-$m-$fam.log" 2>&1 &
		wait_line "$WORK/client-$m-$fam.log" '^CONNECTED' 10 &&
			wait_line "$(plog "$m" "$fam")" '^ASSOC_UP' 5 ||
			{ echo "client $m $fam did not connect"; cat "$WORK/client-$m-$fam.log"; return 1; }
		if [ "$m" = asconfd ]; then
			wait_line "$WORK/client-$m-$fam.log" '^(MANAGED|MANAGE_FAILED)' 5
			grep -q '^MANAGED' "$WORK/client-$m-$fam.log" ||
				{ echo "client $fam not managed"; cat "$WORK/client-$m-$fam.log"; return 1; }
		fi
		k=$((k + 1))
	done
}

re_addr() { local a=${1//./\\.}; echo "^$2 $a "; }
dad_short() {
	# One probe answered or not within MS: DAD really runs (s2 answers).
	in_cli sh -c "echo 1 >/proc/sys/net/ipv6/conf/c2/dad_transmits &&
		echo 0 >/proc/sys/net/ipv6/conf/c2/router_solicitation_delay &&
		echo $1 >/proc/sys/net/ipv6/neigh/c2/retrans_time_ms"
}
tentative() { ip -n cli -6 addr show dev c2 | grep -F " $1/" | grep -qw tentative; }
has_flag() { ip -n cli -6 addr show dev c2 | grep -F " $1/" | grep -qw "$2"; }

# --- scenarios -----------------------------------------------------------------
# Each: up, rows, down, flush.  Row names are the table's first column.

sc_ipv4() {
	local i a r1="IPv4 add, followed interface" r2="IPv4 delete, followed interface"
	FAM=v4
	up && triple v4 || { down; na "$r1" "setup failed"; na "$r2" "setup failed"; return; }
	newrow "$r1" 1
	newrow "$r2" 1
	for ((i = 1; i <= ROUNDS; i++)); do
		a=10.2.0.$((100 + i))
		RE=$(re_addr "$a" ADDR_ADDED) timed "$r1" 5 in_cli addr_timed add "$a/24" c2
		RE=$(re_addr "$a" ADDR_REMOVED) timed "$r2" 5 in_cli addr_timed del "$a/24" c2
	done
	down
	flush
}

sc_excluded() {
	local i a r="IPv4 add on an interface outside the allowlist"
	FAM=v4
	up && triple v4 || { down; na "$r" "setup failed"; return; }
	newrow "$r" 0
	for ((i = 1; i <= (ROUNDS < 3 ? ROUNDS : 3); i++)); do
		a=10.1.0.$((100 + i))
		# Nothing should come: 2 s is the window.
		RE=$(re_addr "$a" ADDR_ADDED) timed "$r" 2 in_cli addr_timed add "$a/24" c1
		in_cli addr_timed del "$a/24" c1 >/dev/null
	done
	note "$r" kernel "a wildcard socket cannot be told to leave an interface out"
	down
	flush
}

sc_ipv6() {
	local i j a t tb t0 last end r1="IPv6 global add, DAD runs" r2="IPv6 global delete"
	local r3="IPv6 address that failed DAD" r4="IPv6 link-local add"
	FAM=v6
	up && triple v6 || { down; for a in "$r1" "$r2" "$r3" "$r4"; do na "$a" "setup failed"; done; return; }
	dad_short 1000
	newrow "$r1" 1
	newrow "$r2" 1
	newrow "$r3" 0
	newrow "$r4" 0
	for ((i = 1; i <= ROUNDS; i++)); do
		a=fd02::$((100 + i))
		RE=$(re_addr "$a" ADDR_ADDED)
		t0=$(in_cli addr_timed add "$a/64" c2)
		# Announced while still tentative = wrong: the last time the
		# address was seen tentative bounds DAD's end from below.
		last=$t0
		# The clock is read before each look: the address was tentative
		# at that time or later (an exec takes 100 ms and more here).
		end=$(($(now_ms) + 8000))
		while tb=$(monotime) && tentative "$a" && (($(now_ms) < end)); do last=$tb; sleep 0.02; done
		await 6
		collect "$r1" "$t0"
		for m in "${MODES[@]}"; do
			t=$(tus "$m")
			[ -n "$t" ] && ((t < last)) && bad "$r1" "$m" "announced while tentative"
		done
		RE=$(re_addr "$a" ADDR_REMOVED) timed "$r2" 5 in_cli addr_timed del "$a/64" c2
	done
	for ((i = 1; i <= (ROUNDS < 2 ? ROUNDS : 2); i++)); do
		a=fd02::$((200 + i))
		ip -n srv addr add "$a/64" dev s2 nodad
		RE=$(re_addr "$a" ADDR_ADDED)
		t0=$(in_cli addr_timed add "$a/64" c2)
		for ((j = 0; j < 60; j++)); do has_flag "$a" dadfailed && break; sleep 0.1; done
		has_flag "$a" dadfailed || note "$r3" asconfd "DAD did not fail in round $i"
		await 2
		collect "$r3" "$t0"
		ip -n cli addr del "$a/64" dev c2
	done
	for ((i = 1; i <= (ROUNDS < 2 ? ROUNDS : 2); i++)); do
		a=fe80::$((100 + i))
		RE=$(re_addr "$a" ADDR_ADDED)
		t0=$(monotime)
		ip -n cli addr add "$a/64" dev c2 nodad
		await 2
		collect "$r4" "$t0"
		ip -n cli addr del "$a/64" dev c2
	done
	note "$r4" asconfd "link-local only with --link-local (off here)"
	down
	flush
}

sc_queued() {
	local i a6 a4 t0 r="IPv4 add queued behind a tentative IPv6 address"
	up && triple v4 && triple v6 || { down; na "$r" "setup failed"; return; }
	dad_short 1000
	newrow "$r" 1
	FAM=v4
	for ((i = 1; i <= ROUNDS; i++)); do
		a6=fd02::$((100 + i)) a4=10.2.0.$((100 + i))
		ip -n cli addr add "$a6/64" dev c2
		RE=$(re_addr "$a4" ADDR_ADDED) timed "$r" 6 in_cli addr_timed add "$a4/24" c2
		tentative "$a6" && note "$r" asconfd "round $i: told while $a6 was still tentative"
		# Both gone before the next round, and the v6 one announced first.
		RE=$(re_addr "$a6" ADDR_ADDED) FAM=v6 await 5
		ip -n cli addr del "$a4/24" dev c2
		ip -n cli addr del "$a6/64" dev c2
		RE=$(re_addr "$a4" ADDR_REMOVED) await 3
	done
	note "$r" kernel "the kernel's address queue waits for DAD of the IPv6 address first"
	down
	flush
}

# flap HOLD: 10 add/delete pairs of one address within about a second.
sc_flap() {
	local hold=$1 i k a m adds dels last conf=() t0 t1
	local r="Flapping address, 10 add/delete in 1 s (asconfd hold-down $hold ms)"
	if ((hold)); then
		if ! "$ASCONFD" --help 2>&1 | grep -q -- '--config'; then
			rec "$r" asconfd - - "hold-down: not available in this build"
			for m in kernel none; do [ "$PROFILE" = old ] && [ $m = kernel ] &&
				{ rec "$r" kernel - - "no SCTP_AUTO_ASCONF before Linux 3.2"; continue; }
				rec "$r" "$m" - - "no hold-down setting: see the hold-down 0 row"; done
			return
		fi
		mkdir -p "$WORK"
		printf '[policy default]\nhold-down = %s\n' "$hold" >/tmp/compare-hold.conf
		conf=(-C /tmp/compare-hold.conf)
	fi
	FAM=v4
	up "${conf[@]}" && triple v4 || { down; na "$r" "setup failed"; return; }
	newrow "$r" 1
	ENDSTATE[$r]=1
	for ((k = 1; k <= (ROUNDS < 3 ? ROUNDS : 3); k++)); do
		a=10.2.0.$((150 + k))
		# One ip process for all 20 changes: an exec per change takes
		# longer than the whole second under TCG.
		for ((i = 0; i < 10; i++)); do
			echo "addr add $a/24 dev c2"
			echo "addr del $a/24 dev c2"
		done >"$WORK/flap.batch"
		t0=$(monotime)
		ip -n cli -batch "$WORK/flap.batch"
		t1=$(monotime)
		note "$r" asconfd "round $k: the 20 changes took $(((t1 - t0) / 1000)) ms"
		sleep 3
		NR[$r]=$((${NR[$r]} + 1))
		for m in "${MODES[@]}"; do
			adds=$(grep -c "$(re_addr "$a" ADDR_ADDED)" "$(plog "$m")")
			dels=$(grep -c "$(re_addr "$a" ADDR_REMOVED)" "$(plog "$m")")
			last=$(grep -E "^ADDR_(ADDED|REMOVED) ${a//./\\.} " "$(plog "$m")" | tail -1 | cut -d' ' -f1)
			# Correct: the peer ends with the host's view (absent).
			[ "$last" = ADDR_ADDED ] && bad "$r" "$m" "round $k: the peer still believes $a is there"
			# Announced: the peer heard of it at all; ASCONFs sent below.
			((adds)) && SEEN[$r|$m]=$((${SEEN[$r|$m]:-0} + 1))
			note "$r" "$m" "round $k: $adds add/$dels delete told"
		done
	done
	down
	flush
}

# A program that binds the wildcard (lksctp-tools' sctp_darn on 0.0.0.0),
# with a management veth and a docker0-like bridge on the host that the
# policy leaves out: asconfd narrows the bind (asconf-run, narrow-wildcard),
# the kernel keeps the wildcard (default_auto_asconf=1 when its socket is
# made), none keeps it too.  The peer's view right after set-up
# (sctp_getpaddrs, sctp_peer --paddrs), then an address added on an
# allowed and on an excluded interface.
sc_narrow() {
	local r1="INIT lists only allowed interfaces (mgmt0, docker0 excluded)"
	local r2="Wildcard program: add on an allowed interface"
	local r3="Wildcard program: add on an excluded interface"
	local k=0 m i a fd line run
	local -A fds
	FAM=v4
	if ! up --interface c1; then
		down
		for a in "$r1" "$r2" "$r3"; do na "$a" "setup failed"; done
		return
	fi
	ip link add mgmt0 netns cli type veth peer name mgmt0p netns cli
	ip -n cli addr add 192.168.77.1/24 dev mgmt0
	ip -n cli link set mgmt0 up
	ip -n cli link set mgmt0p up
	ip -n cli link add docker0 type bridge
	ip -n cli addr add 172.17.0.1/16 dev docker0
	ip -n cli link set docker0 up
	newrow "$r1" 0
	newrow "$r2" 1
	newrow "$r3" 0
	NR[$r1]=1
	for m in "${MODES[@]}"; do
		in_srv sctp_peer --port $((5000 + k)) --bind 10.1.0.2,10.2.0.2 --paddrs \
			>>"$(plog "$m")" 2>&1 &
		wait_line "$(plog "$m")" '^LISTENING' 5 || note "$r1" "$m" "peer did not start"
		mkfifo "$WORK/in-$m"
		run=()
		[ "$m" = asconfd ] && run=(asconf-run --)
		[ "$m" = kernel ] && in_cli sysctl -qw net.sctp.default_auto_asconf=1
		in_cli "${run[@]}" sctp_darn -H 0.0.0.0 -P $((6000 + k)) -h 10.1.0.2 -p $((5000 + k)) -s \
			<"$WORK/in-$m" >"$WORK/darn-$m.log" 2>&1 &
		exec {fd}>"$WORK/in-$m"
		fds[$m]=$fd
		echo "seq 0" >&"$fd"
		wait_line "$(plog "$m")" '^PADDRS' 10 || note "$r1" "$m" "no association"
		[ "$m" = kernel ] && in_cli sysctl -qw net.sctp.default_auto_asconf=0
		line=$(grep -m1 '^PADDRS' "$(plog "$m")")
		note "$r1" "$m" "peer sees: ${line#PADDRS assoc=* }"
		# "Announced" here: an excluded address reached the peer.
		[[ $line =~ 192\.168\.77\.|172\.17\. ]] && SEEN[$r1|$m]=1
		k=$((k + 1))
	done
	for ((i = 1; i <= (ROUNDS < 3 ? ROUNDS : 3); i++)); do
		a=10.2.0.$((100 + i))
		RE=$(re_addr "$a" ADDR_ADDED) timed "$r2" 5 in_cli addr_timed add "$a/24" c2
		a=192.168.77.$((100 + i))
		# Nothing should come: 2 s is the window.
		RE=$(re_addr "$a" ADDR_ADDED) timed "$r3" 2 in_cli addr_timed add "$a/24" mgmt0
	done
	note "$r3" kernel "a wildcard socket cannot be told to leave an interface out"
	note "$r2" none "no agent: the peer is never told"
	for m in "${MODES[@]}"; do exec {fds[$m]}>&-; done
	down
	flush
}

# The association's only local address replaced while data flows.
sc_replace() {
	local r="Only address replaced, make before break, data flowing" t0 m n
	FAM=v4
	topo_up
	in_cli sysctl -qw net.ipv4.conf.c2.promote_secondaries=1
	# c1 keeps no IPv4 address: the wildcard socket has c2's only too.
	ip -n cli addr del 10.1.0.1/24 dev c1
	ip -n cli addr add 10.2.0.1/24 dev c2
	start_asconfd --interface c2 || { down; na "$r" "asconfd did not start"; return; }
	T_PADDRS=10.2.0.2 T_BIND=10.2.0.1 T_CONN=10.2.0.2 T_PEER="--every 50" T_CLI="--send-every 5" \
		triple v4 || { down; na "$r" "setup failed"; return; }
	newrow "$r" 1
	sleep 1
	RE=$(re_addr 10.2.0.11 ADDR_ADDED) timed "$r" 5 in_cli addr_timed add 10.2.0.11/24 c2
	ip -n cli addr del 10.2.0.1/24 dev c2
	RE=$(re_addr 10.2.0.1 ADDR_REMOVED)
	await 5
	for m in "${MODES[@]}"; do
		grep -Eq "$RE" "$(plog "$m")" || bad "$r" "$m" "10.2.0.1 not removed at the peer"
		n=$(grep -c '^DATA seq=' "$(plog "$m")")
		eval "n_$m=$n"
	done
	sleep 3
	for m in "${MODES[@]}"; do
		n=$(eval echo "\$n_$m")
		if [ "$(grep -c '^DATA seq=' "$(plog "$m")")" -lt $((n + 3)) ]; then
			bad "$r" "$m" "data stopped after the old address went"
		fi
		grep -q '^ASSOC_DOWN' "$(plog "$m")" && bad "$r" "$m" "association lost"
	done
	down
	flush
}

sc_link() {
	local i t0 r1="Link down (address on it)" r2="Link up again" r3="Interface renamed out of the allowlist and back"
	FAM=v4
	up && triple v4 || { down; na "$r1" "setup failed"; na "$r2" "setup failed"; na "$r3" "setup failed"; return; }
	newrow "$r1" 1
	newrow "$r2" 1
	for ((i = 1; i <= ROUNDS; i++)); do
		ip -n cli addr add 10.2.0.1/24 dev c2
		RE=$(re_addr 10.2.0.1 ADDR_ADDED) await 5
		for m in "${MODES[@]}"; do : >"$(plog "$m")"; done
		RE=$(re_addr 10.2.0.1 ADDR_REMOVED)
		t0=$(monotime)
		ip -n cli link set c2 down
		await 3
		collect "$r1" "$t0"
		RE=$(re_addr 10.2.0.1 ADDR_ADDED)
		t0=$(monotime)
		ip -n cli link set c2 up
		await 5
		collect "$r2" "$t0"
		ip -n cli addr del 10.2.0.1/24 dev c2
		RE=$(re_addr 10.2.0.1 ADDR_REMOVED) await 3
		for m in "${MODES[@]}"; do : >"$(plog "$m")"; done
	done
	note "$r1" kernel "IPv4 addresses stay on a link that is down: the kernel keeps them"
	note "$r1" asconfd "addresses of links not running are dropped (--keep-down-links keeps them)"
	# Rename: c2 -> x2 (not followed), then back.
	newrow "$r3" 1
	for ((i = 1; i <= (ROUNDS < 3 ? ROUNDS : 3); i++)); do
		ip -n cli addr add 10.2.0.1/24 dev c2
		RE=$(re_addr 10.2.0.1 ADDR_ADDED) await 5
		for m in "${MODES[@]}"; do : >"$(plog "$m")"; done
		ip -n cli link set c2 down
		ip -n cli link set c2 name x2
		ip -n cli link set x2 up
		sleep 2
		for m in "${MODES[@]}"; do
			last=$(grep -E '^ADDR_(ADDED|REMOVED) 10\.2\.0\.1 ' "$(plog "$m")" | tail -1 | cut -d' ' -f1)
			[ "$last" = ADDR_REMOVED ] || [ "$m" = none ] ||
				bad "$r3" "$m" "round $i: still announced on x2, outside the allowlist"
			: >"$(plog "$m")"
		done
		RE=$(re_addr 10.2.0.1 ADDR_ADDED)
		t0=$(monotime)
		ip -n cli link set x2 down
		ip -n cli link set x2 name c2
		ip -n cli link set c2 up
		await 5
		collect "$r3" "$t0"
		ip -n cli addr del 10.2.0.1/24 dev c2
		RE=$(re_addr 10.2.0.1 ADDR_REMOVED) await 3
	done
	note "$r3" asconfd "latency: from the rename back to the peer told"
	down
	flush
}

# A one-to-one listener (sctp_server) and the socket it accepted: the
# peer connects to it, and is told of the change on the accepted socket.
# The kernel's mode: net.sctp.default_auto_asconf=1 while its wildcard
# listener is created and its association accepted (sctp_server has no
# SCTP_AUTO_ASCONF option; from Linux 5.13 an accepted socket takes the
# sysctl's value at accept, not the listener's option), as on a host that
# uses the kernel's way for its servers.
sc_one_to_one() {
	local r="One-to-one listener, accepted sockets" k=0 m x b i a
	if ! command -v sctp_server >/dev/null; then
		na "$r" "not available in this build (no one-to-one server program)"
		return
	fi
	FAM=v4
	up || { down; na "$r" "setup failed"; return; }
	for m in "${MODES[@]}"; do
		case $m in
		asconfd) b=10.1.0.1 x=() ;;
		kernel) b=0.0.0.0 x=(--no-manage) ;;
		none) b=10.1.0.1 x=(--no-manage) ;;
		esac
		[ "$m" = kernel ] && in_cli sysctl -qw net.sctp.default_auto_asconf=1
		in_cli sctp_server --bind "$b" --port $((7000 + k)) --accept 1 "${x[@]}" \
			>"$WORK/server-$m.log" 2>&1 &
		wait_line "$WORK/server-$m.log" '^LISTENING' 10 || { down; na "$r" "$m: server did not start"; return; }
		in_srv sctp_peer --port $((5200 + k)) --bind 10.1.0.2,10.2.0.2 --connect 10.1.0.1 \
			--peer-port $((7000 + k)) >>"$(plog "$m")" 2>&1 &
		wait_line "$WORK/server-$m.log" '^READY' 10 ||
			{ cat "$WORK/server-$m.log"; down; na "$r" "$m: nothing accepted"; return; }
		[ "$m" = kernel ] && in_cli sysctl -qw net.sctp.default_auto_asconf=0
		k=$((k + 1))
	done
	grep -q '^MANAGE_FAILED' "$WORK/server-asconfd.log" && note "$r" asconfd "$(grep -m1 MANAGE_FAILED "$WORK/server-asconfd.log")"
	newrow "$r" 1
	for ((i = 1; i <= ROUNDS; i++)); do
		a=10.2.0.$((100 + i))
		RE=$(re_addr "$a" ADDR_ADDED) timed "$r" 5 in_cli addr_timed add "$a/24" c2
		in_cli addr_timed del "$a/24" c2 >/dev/null
		RE=$(re_addr "$a" ADDR_REMOVED) await 5
	done
	note "$r" kernel "listener created and association accepted with net.sctp.default_auto_asconf=1"
	down
	flush
}

# farm N: N associations per mode; time from the add to the last peer told.
sc_farm() {
	local n=$1 r="$1 association(s): add, time to the last peer told" k=0 m i a t0 secs
	FAM=v4
	up || { down; na "$r" "setup failed"; return; }
	for m in "${MODES[@]}"; do
		in_srv sctp_peer --port $((5100 + k)) --bind 10.1.0.2,10.2.0.2 >>"$(plog "$m")" 2>&1 &
		wait_line "$(plog "$m")" '^LISTENING' 5 || { down; na "$r" "peer did not start"; return; }
		case $m in
		asconfd) x=(--bind 10.1.0.1 --manage) ;;
		kernel) x=(--bind 0.0.0.0 --auto-asconf) ;;
		none) x=(--bind 10.1.0.1) ;;
		esac
		in_cli assocfarm --count "$n" --port $((20000 + k * 2000)) --connect 10.1.0.2 \
			--peer-port $((5100 + k)) "${x[@]}" >"$WORK/farm-$m.log" 2>&1 &
		wait_line "$WORK/farm-$m.log" '^(READY|MANAGE_FAILED)|assocfarm:' 120
		grep -q '^READY' "$WORK/farm-$m.log" ||
			{ cat "$WORK/farm-$m.log"; down; na "$r" "$m: associations did not come up"; return; }
		k=$((k + 1))
	done
	newrow "$r" 1
	secs=$((n >= 1000 ? 60 : 10))
	for ((i = 1; i <= (n >= 1000 ? 3 : ROUNDS); i++)); do
		a=10.2.0.$((100 + i))
		t0=$(in_cli addr_timed add "$a/24" c2)
		farm_wait "$a" ADDR_ADDED "$n" "$secs"
		NR[$r]=$((${NR[$r]} + 1))
		for m in "${MODES[@]}"; do
			c=$(grep -c "$(re_addr "$a" ADDR_ADDED)" "$(plog "$m")")
			((c == n)) || { ((c)) && note "$r" "$m" "round $i: $c of $n told"; continue; }
			t=$(grep "$(re_addr "$a" ADDR_ADDED)" "$(plog "$m")" | sed -nE 's/.* t_us=([0-9]+).*/\1/p' | sort -n | tail -1)
			SEEN[$r|$m]=$((${SEEN[$r|$m]:-0} + 1))
			printf '%s\t%s\t%s\n' "$r" "$m" $((t - t0)) >>"$LAT"
		done
		in_cli addr_timed del "$a/24" c2 >/dev/null
		farm_wait "$a" ADDR_REMOVED "$n" "$secs"
	done
	down
	flush
}

# farm_wait ADDR EVENT N SECS: until every active mode's peer logged EVENT
# for ADDR N times.
farm_wait() {
	local end=$(($(now_ms) + $4 * 1000)) m all re
	re=$(re_addr "$1" "$2")
	while :; do
		all=1
		for m in "${ACTIVE[@]}"; do
			[ "$(grep -c "$re" "$(plog "$m")")" -ge "$3" ] || { all=0; break; }
		done
		((all)) && return 0
		(($(now_ms) < end)) || return 1
		sleep 0.1
	done
}

sc_noasconf_peer() {
	local i a r="Peer without ASCONF support (addip_enable=0 on the peer)" st
	FAM=v4
	topo_up
	in_srv sysctl -qw net.sctp.addip_enable=0
	start_asconfd --interface c2 || { down; na "$r" "asconfd did not start"; return; }
	triple v4 || { down; na "$r" "setup failed"; return; }
	newrow "$r" 0
	for ((i = 1; i <= (ROUNDS < 2 ? ROUNDS : 2); i++)); do
		a=10.2.0.$((100 + i))
		RE=$(re_addr "$a" ADDR_ADDED) timed "$r" 2 in_cli addr_timed add "$a/24" c2
	done
	st=$(asconfctl status 2>&1 | grep -m1 'peers told' | sed 's/^ *//')
	note "$r" asconfd "asconfd reports \"${st:-nothing}\""
	# What the JSON status and the check say too (the old-kernel profile
	# hides SCTP_ASCONF_SUPPORTED: unknown there, never yes).
	asconfctl status --json 2>/dev/null | jq -r '[.sockets[].peers_told] | join(",")' \
		>"$OUT/peers-told-json-$PROFILE.txt" 2>/dev/null
	# And the peer paths' states (the old-kernel profile gives them in the
	# enum before SCTP_PF: named by that enum, or unknown).
	asconfctl status --json 2>/dev/null |
		jq -r '[.sockets[].associations[].paths[].state] | join(",")' \
		>"$OUT/path-states-$PROFILE.txt" 2>/dev/null
	asconfctl check >"$OUT/check-$PROFILE.txt" 2>&1
	note "$r" kernel "nothing reported: the kernel drops the change silently"
	note "$r" none "nothing to report"
	down
	flush
}

ALL_SCENARIOS=(ipv4 excluded narrow ipv6 queued flap0 flap500 replace link one_to_one farm1 farm100 farm1000 noasconf_peer)
OLD_SCENARIOS=(ipv4 excluded ipv6 replace link)

run_scenario() {
	echo "=== matrix: $1 ($PROFILE, $(date +%T))"
	case $1 in
	flap0) sc_flap 0 ;;
	flap500) sc_flap 500 ;;
	farm1) sc_farm 1 ;;
	farm100) sc_farm 100 ;;
	farm1000) sc_farm 1000 ;;
	*) "sc_$1" ;;
	esac
}

[ "${MATRIX_LIB:-}" = 1 ] && return 0

shift 2
mkdir -p "$OUT"
: >"$REC"
: >"$LAT"
uname -r >"$OUT/kernel.txt"
if (($#)); then
	list=("$@")
elif [ "$PROFILE" = old ]; then
	list=("${OLD_SCENARIOS[@]}")
else
	list=("${ALL_SCENARIOS[@]}")
fi
for s in "${list[@]}"; do run_scenario "$s"; done
if [ "$PROFILE" = old ]; then
	# The interposer says what it hid: proof the fallbacks were taken.
	sort -u "$OUT/hid.txt" 2>/dev/null
fi
cat "$REC"
