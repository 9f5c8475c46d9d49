# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for scripts that run inside the test VM (tests/vm/run).
# Topology: namespace "cli" (the managed host, where asconfd runs) and "srv"
# (the SCTP peer), joined by two veth pairs:
#   c1 10.1.0.1/24  <->  s1 10.1.0.2/24      (the association starts here)
#   c2 (no address) <->  s2 10.2.0.2/24      (addresses come and go here)
# IPv6: fd01::1/64 on c1, fd01::2/64 on s1, fd02::2/64 on s2.

WORK=${WORK:-/tmp/asconf-test}
# The VM tier runs the ASan/UBSan/LSan build (suite.sh sets it); the demo
# and the benchmarks run the real one.
ASCONFD=${ASCONFD:-asconfd}
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

# Exit status of a scenario: non-zero when anything failed.
finish() {
	echo "scenario $(basename "$0"): $PASSED passed, $FAILED failed" >&2
	[ "$FAILED" -eq 0 ]
}

in_cli() { ip netns exec cli "$@"; }
in_srv() { ip netns exec srv "$@"; }

sctp_sysctls() {
	local ns=$1 addip=${2:-1}
	ip netns exec "$ns" sysctl -qw net.sctp.addip_enable="$addip" net.sctp.auth_enable=1 >/dev/null
}

topo_up() {
	mkdir -p "$WORK"
	# veth hands every packet to the one vCPU's backlog, 1,000 deep by
	# default: a burst of 1,000 ASCONFs and their ACKs overflowed it (8,915
	# drops in one farm1000 run), and each loss cost an RTO of 1-3 s, so
	# the time to the last peer told jumped between runs.  A host's NICs
	# queue in their own rings; here the backlog is made deep enough.
	sysctl -qw net.core.netdev_max_backlog=100000
	ip netns add cli
	ip netns add srv
	ip link add c1 netns cli type veth peer name s1 netns srv
	ip link add c2 netns cli type veth peer name s2 netns srv
	ip -n cli addr add 10.1.0.1/24 dev c1
	ip -n srv addr add 10.1.0.2/24 dev s1
	ip -n srv addr add 10.2.0.2/24 dev s2
	ip -n cli addr add fd01::1/64 dev c1 nodad
	ip -n srv addr add fd01::2/64 dev s1 nodad
	ip -n srv addr add fd02::2/64 dev s2 nodad
	for l in lo c1 c2; do ip -n cli link set "$l" up; done
	for l in lo s1 s2; do ip -n srv link set "$l" up; done
	sctp_sysctls cli "${ADDIP:-1}"
	sctp_sysctls srv 1
}

# Ends every asconfd gracefully (SIGTERM: LeakSanitizer runs at exit), then
# fails the scenario if any log of it has a sanitizer report.
stop_asconfd_checked() {
	local p pids=() i log bad=0
	for p in /proc/[0-9]*; do
		case $(cat "$p/comm" 2>/dev/null) in
		asconfd | asconfd-san) pids+=("${p#/proc/}") ;;
		esac
	done
	((${#pids[@]})) || return 0
	kill -TERM "${pids[@]}" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "${pids[@]}" 2>/dev/null || break
		sleep 0.05
	done
	for log in "$WORK"/*.log; do
		[ -f "$log" ] || continue
		if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
			fail "sanitizer report in $(basename "$log")"
			grep -E -A25 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | sed 's/^/    san| /'
			bad=1
		fi
	done
	return $bad
}

# topo_reset: asconfd stopped (and checked), every job and every process
# of the namespaces ended, the namespaces and $WORK gone; false if asconfd
# did not stop cleanly.  topo_down: the same, then exit (the EXIT trap).
topo_reset() {
	local p rc=0
	stop_asconfd_checked || rc=1
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	# "ip netns exec" may fork: also end what still runs in the namespaces,
	# so nothing outlives its scenario.
	for p in $(ip netns pids cli 2>/dev/null) $(ip netns pids srv 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del cli 2>/dev/null
	ip netns del srv 2>/dev/null
	rm -rf "$WORK"
	return "$rc"
}

topo_down() {
	local rc=$?
	topo_reset || rc=1
	exit "$rc"
}

# wait_line FILE REGEX [SECONDS]: true once a line of FILE matches.
wait_line() {
	local file=$1 re=$2 secs=${3:-5} i
	for ((i = 0; i < secs * 20; i++)); do
		grep -Eq -- "$re" "$file" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# no_line FILE REGEX SECONDS: true if no line matches during SECONDS.
no_line() {
	! wait_line "$@"
}

# For benchmarks that time one side while they wait: these start no
# process (polling with grep took the one vCPU from the side timed).
# follow FD FILE: read FILE's lines from its start on fd FD (next_line).
# next_line FD SECS: the next whole line into LINE, waiting up to SECS s,
# sleeping on fd 8, a FIFO nobody writes, between reads.
# nap SECS: sleep the same way.
declare -A PART
follow() {
	eval "exec $1<\"\$2\""
	PART[$1]=
}
nap() {
	[ -p "$WORK/never" ] || { mkfifo "$WORK/never" && exec 8<>"$WORK/never"; }
	read -r -t "$1" -u 8 _ || :
}
next_line() {
	local fd=$1 end=$((SECONDS + $2)) part
	while :; do
		if IFS= read -r part <&"$fd"; then
			LINE=${PART[$fd]}$part
			PART[$fd]=
			return 0
		fi
		PART[$fd]+=$part
		((SECONDS < end)) || return 1
		nap 0.05
	done
}
# wait_for FD REGEX SECS: lines until one matches (next_line).
wait_for() {
	local end=$((SECONDS + $3))
	while ((SECONDS <= end)); do
		next_line "$1" 1 && [[ $LINE =~ $2 ]] && return 0
	done
	return 1
}
# bare_field LOG KEY: KEY's value in sockfarm's "BARE" line (the medians).
bare_field() { sed -nE "s/^BARE (.* )?$2=([0-9]+).*/\\2/p" "$1"; }
# drain FD: skip what FD has so far.
drain() { while next_line "$1" 0; do :; done; }
# pass_cost FD added|removed N SECS: asconfd's "pass over" lines read from
# FD until they have added (or removed) an address on N sockets in all,
# up to SECS s: COST, their total time in us, and CPU, their CPU time (a
# pass over several sockets logs it).  A change may take more than one
# pass (one can fail with EADDRNOTAVAIL before the local route is there):
# the cost is all of them.  LAST_PASS: $EPOCHREALTIME when the last was read.
PASS_RE='pass over [0-9]+ socket\(s\) in ([0-9]+) us: ([0-9]+) added, ([0-9]+) removed, [0-9]+ failed(; ([0-9]+) us of CPU)?'
pass_cost() {
	local got=0 end=$((SECONDS + $4))
	COST=0 CPU=0
	while ((got < $3)); do
		if ! next_line "$1" 1; then
			((SECONDS < end)) && continue
			return 1
		fi
		[[ $LINE =~ $PASS_RE ]] || continue
		LAST_PASS=$EPOCHREALTIME
		COST=$((COST + BASH_REMATCH[1]))
		CPU=$((CPU + ${BASH_REMATCH[5]:-0}))
		if [ "$2" = added ]; then
			got=$((got + BASH_REMATCH[2]))
		else
			got=$((got + BASH_REMATCH[3]))
		fi
	done
}

# start_asconfd ARGS...: asconfd in "cli", logging to $WORK/asconfd.log,
# run through the command in the array ASCONFD_WRAP if set (e.g. setpriv).
ASCONFD_WRAP=()
start_asconfd() {
	export ASCONF_CONTROL=$WORK/control.sock
	# Emptied here, not by the background job's redirection: a second
	# start in a scenario must not find the previous run's "ready".
	: >"$WORK/asconfd.log"
	in_cli "${ASCONFD_WRAP[@]}" "$ASCONFD" --foreground --control "$ASCONF_CONTROL" "$@" \
		>"$WORK/asconfd.log" 2>&1 &
	ASCONFD_PID=$!
	wait_line "$WORK/asconfd.log" 'ready: control socket' 5
}

# start_peer PORT ADDRS: sctp_peer in "srv", events to $WORK/peer.log.
start_peer() {
	in_srv sctp_peer --port "$1" --bind "$2" >"$WORK/peer.log" 2>&1 &
	PEER_PID=$!
	wait_line "$WORK/peer.log" '^LISTENING' 5
}

# start_client ARGS...: sctp_client in "cli", output to $WORK/client.log.
start_client() {
	in_cli sctp_client "$@" >"$WORK/client.log" 2>&1 &
	CLIENT_PID=$!
	wait_line "$WORK/client.log" '^(MANAGED|MANAGE_FAILED|LISTENING)' 10
}

# real_pid PID: what in_cli/in_srv started may be "ip netns exec" that
# forked; the program is then its child.
real_pid() {
	local kids
	kids=$(cat /proc/"$1"/task/*/children 2>/dev/null)
	echo "${kids:-$1}" | awk '{ print $1 }'
}

# daemon_pid: the running asconfd (or asconfd-san).
daemon_pid() {
	local p
	for p in /proc/[0-9]*; do
		case $(cat "$p/comm" 2>/dev/null) in
		asconfd | asconfd-san) echo "${p#/proc/}"; return 0 ;;
		esac
	done
	return 1
}

# wakeups PID SECONDS: context switches of PID's main thread over SECONDS.
wakeups() {
	local a b
	a=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$1/status")
	sleep "$2"
	b=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$1/status")
	echo $((b - a))
}

show() { sed "s/^/    $1| /" "$2"; }

# managed_assoc [CLIENT_ARGS...]: the usual association, each step a check:
# sctp_peer in srv on 10.1.0.2,10.2.0.2 port 5000, and sctp_client bound to
# 10.1.0.1:6000, connected to it and handed to asconfd (plus CLIENT_ARGS).
managed_assoc() {
	check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2
	check "client 10.1.0.1:6000 connects and is managed" \
		start_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 \
		--manage "$@"
	check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
	check "peer saw the association" wait_line "$WORK/peer.log" '^ASSOC_UP' 5
}

# --- helpers for several processes of a kind and for failure reports ---

# start_peer_as NAME PORT ADDRS [ARGS...]: another sctp_peer in "srv",
# events to $WORK/NAME.log; its pid in PIDS[NAME].  With --connect in ARGS
# it initiates, so it only waits for LISTENING.
declare -gA PIDS
start_peer_as() {
	local name=$1 port=$2 addrs=$3
	shift 3
	in_srv sctp_peer --port "$port" --bind "$addrs" "$@" >"$WORK/$name.log" 2>&1 &
	PIDS[$name]=$!
	wait_line "$WORK/$name.log" '^LISTENING' 5
}

# start_client_as NAME ARGS...: another sctp_client in "cli", output to
# $WORK/NAME.log; its pid in PIDS[NAME].
start_client_as() {
	local name=$1
	shift
	in_cli sctp_client "$@" >"$WORK/$name.log" 2>&1 &
	PIDS[$name]=$!
	wait_line "$WORK/$name.log" '^(MANAGED|MANAGE_FAILED|LISTENING)' 10
}

# stop_pid PID [SECONDS]: SIGTERM, then wait up to SECONDS for the exit.
# PID is what in_cli/in_srv started; when "ip netns exec" forked, the
# program is its child, and that is who gets the signal.
stop_pid() {
	local pid=$1 secs=${2:-5} i kids
	kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null)
	kill -TERM ${kids:-$pid} 2>/dev/null || return 0
	for ((i = 0; i < secs * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	wait "$pid" 2>/dev/null
	return 0
}

# sock_fd PID: the first socket descriptor of PID.
sock_fd() {
	local f
	for f in /proc/"$1"/fd/*; do
		case $(readlink "$f") in socket:*) echo "${f##*/}"; return 0 ;; esac
	done
	return 1
}

# status_has REGEX: asconfctl status has a matching line.
status_has() { asconfctl status 2>&1 | grep -Eq -- "$1"; }

# wait_status REGEX [SECONDS]: poll asconfctl status until a line matches.
wait_status() {
	local re=$1 secs=${2:-5} i
	for ((i = 0; i < secs * 10; i++)); do
		status_has "$re" && return 0
		sleep 0.1
	done
	return 1
}

# line_no FILE REGEX: number of the first matching line (empty if none).
line_no() { grep -nE -- "$2" "$1" 2>/dev/null | head -1 | cut -d: -f1; }

# before FILE REGEX1 REGEX2: both match, the first one on an earlier line.
before() {
	local a b
	a=$(line_no "$1" "$2") b=$(line_no "$1" "$3")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

# dump_if_failed NAME...: on failure, show $WORK/NAME.log for each NAME,
# asconfd's log and asconfctl status.
dump_if_failed() {
	local n
	[ "$FAILED" -ne 0 ] || return 0
	for n in "$@"; do show "$n" "$WORK/$n.log"; done
	show asconfd "$WORK/asconfd.log"
	asconfctl status 2>&1 | sed 's/^/    status| /'
}

# --- asconf-run around lksctp-tools' sctp_darn (the asconf_run* scenarios) ---

# darn NAME [--policy P] ARGS...: asconf-run sctp_darn ARGS in "cli", its pid
# in PIDS[NAME], output to $WORK/NAME.log and .err; stdin is the FIFO
# $WORK/NAME.in, held open on the descriptor in FIFO_FD[NAME] until
# end_darn NAME.
declare -gA FIFO_FD
darn() {
	local name=$1 fd run=()
	shift
	if [ "$1" = --policy ]; then
		run=(--policy "$2")
		shift 2
	fi
	mkfifo "$WORK/$name.in"
	in_cli asconf-run "${run[@]}" -- sctp_darn "$@" <"$WORK/$name.in" \
		>"$WORK/$name.log" 2>"$WORK/$name.err" &
	PIDS[$name]=$!
	exec {fd}>"$WORK/$name.in"
	FIFO_FD[$name]=$fd
}

# darn_server NAME ARGS...: the same with no input (a listening sctp_darn
# reads none); it runs until stop_pid.
darn_server() {
	local name=$1
	shift
	in_cli asconf-run -- sctp_darn "$@" </dev/null >"$WORK/$name.log" 2>"$WORK/$name.err" &
	PIDS[$name]=$!
}

# say_darn NAME LINE: one line of input to sctp_darn NAME.
say_darn() { echo "$2" >&"${FIFO_FD[$1]}"; }

# end_darn NAME: end of input; sctp_darn closes its socket and exits
# (true once it has, within 5 s).
end_darn() {
	local i
	exec {FIFO_FD[$1]}>&-
	for ((i = 0; i < 100; i++)); do
		kill -0 "${PIDS[$1]}" 2>/dev/null || break
		sleep 0.05
	done
	! kill -0 "${PIDS[$1]}" 2>/dev/null
}

# quiet FILE: nothing in a stderr file but bash's notes of killed jobs.
quiet() { [ -z "$(grep -Ev '^(Terminated|.* (Killed|Terminated) .*)$' "$1")" ]; }

# assocs_up N: $WORK/peer.log has seen N associations come up (within 10 s).
assocs_up() { wait_count "$WORK/peer.log" '^ASSOC_UP' "$1" 10; }

# --- the one-to-one server (sctp_server) ---

# wait_count FILE REGEX N [SECONDS]: until at least N lines match.
wait_count() {
	local file=$1 re=$2 n=$3 secs=${4:-5} i
	for ((i = 0; i < secs * 10; i++)); do
		[ "$(grep -cE -- "$re" "$file" 2>/dev/null)" -ge "$n" ] && return 0
		sleep 0.1
	done
	return 1
}

# bound_with REGEX: how many sockets asconfctl status shows with a bound
# address matching REGEX (an address, anchored at both ends by the helper).
bound_with() {
	asconfctl status 2>/dev/null | grep -E '^  bound:' |
		grep -cE -- " $1( |\$)"
}

# wait_bound_with REGEX COUNT [SECONDS]: until COUNT sockets hold it.
wait_bound_with() {
	local re=$1 want=$2 secs=${3:-5} i
	for ((i = 0; i < secs * 10; i++)); do
		[ "$(bound_with "$re")" -eq "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# one_to_one_server V6 MODE: a one-to-one server on c2's only address OLD,
# port 7000, with two peers in srv connected to it, each accepted socket
# streaming numbered messages.  The listener and both accepted sockets are
# handed to asconfd in the order MODE says (listener-first, accepted-first,
# or hold: the accepted sockets only after NEW is on the listener).  NEW is
# added on c2, then OLD deleted: every socket must get NEW and lose OLD,
# both peers hear ADDR_ADDED NEW and ADDR_REMOVED OLD, and no message and no
# association is lost.
one_to_one_server() {
	local v6=$1 mode=$2 old new peer plen re_old re_new flags=() i
	if [ "$v6" = 1 ]; then
		old=fd02::1 new=fd02::11 peer=fd02::2 plen=64 flags=(nodad)
	else
		old=10.2.0.1 new=10.2.0.11 peer=10.2.0.2 plen=24
	fi
	re_old=${old//./\\.} re_new=${new//./\\.}
	topo_up
	# Deleting 10.2.0.1 must not take its secondary 10.2.0.11 along.
	in_cli sysctl -qw net.ipv4.conf.c2.promote_secondaries=1
	ip -n cli addr add "$old/$plen" dev c2 "${flags[@]}"

	check "asconfd starts with --interface c2" start_asconfd --interface c2
	local args=(--bind "$old" --port 7000 --accept 2 --send-every 5)
	case $mode in
	accepted-first) args+=(--accepted-first) ;;
	hold) args+=(--hold) ;;
	esac
	in_cli sctp_server "${args[@]}" >"$WORK/server.log" 2>&1 &
	PIDS[server]=$!
	check "one-to-one server listens on $old:7000" wait_line "$WORK/server.log" '^LISTENING' 10
	for i in 1 2; do
		check "peer p$i connects to $old:7000" \
			start_peer_as "p$i" $((5000 + i)) "$peer" --every 50 --connect "$old" --peer-port 7000
		check "the server accepts p$i" wait_line "$WORK/server.log" "^ACCEPTED $((i - 1))\$" 10
	done
	if [ "$mode" = hold ]; then
		check "the server holds the accepted sockets back" wait_line "$WORK/server.log" '^HOLDING' 5
		check "the listener alone is managed" wait_line "$WORK/server.log" '^MANAGED listener$' 5
	else
		check "listener and both accepted sockets are managed ($mode)" \
			wait_line "$WORK/server.log" '^READY' 10
		check "three MANAGED lines, no MANAGE_FAILED" \
			bash -c "[ \$(grep -c '^MANAGED ' '$WORK/server.log') = 3 ] &&
				 ! grep -q MANAGE_FAILED '$WORK/server.log'"
	fi
	# The held server starts streaming once it has handed everything over.
	for i in 1 2; do
		[ "$mode" = hold ] ||
			check "data arrives at p$i" wait_line "$WORK/p$i.log" '^DATA seq=' 5
	done

	ip -n cli addr add "$new/$plen" dev c2 "${flags[@]}"
	if [ "$mode" = hold ]; then
		check "the listener gets $new" wait_bound_with "$re_new" 1 5
		local sp=${PIDS[server]} kids
		kids=$(cat /proc/"$sp"/task/*/children 2>/dev/null)
		kill -USR1 ${kids:-$sp}
		check "then both accepted sockets are handed over" wait_line "$WORK/server.log" '^READY' 10
		check "three MANAGED lines, no MANAGE_FAILED" \
			bash -c "[ \$(grep -c '^MANAGED ' '$WORK/server.log') = 3 ] &&
				 ! grep -q MANAGE_FAILED '$WORK/server.log'"
		for i in 1 2; do
			check "data arrives at p$i" wait_line "$WORK/p$i.log" '^DATA seq=' 5
		done
	fi
	check "all three sockets hold $new" wait_bound_with "$re_new" 3 5
	for i in 1 2; do
		check "p$i hears ADDR_ADDED $new" wait_line "$WORK/p$i.log" "^ADDR_ADDED $re_new " 5
	done

	ip -n cli addr del "$old/$plen" dev c2
	check "no socket holds $old any more" wait_bound_with "$re_old" 0 5
	check "all three still hold $new" wait_bound_with "$re_new" 3 2
	for i in 1 2; do
		check "p$i hears ADDR_REMOVED $old" wait_line "$WORK/p$i.log" "^ADDR_REMOVED $re_old " 5
	done
	local before=()
	for i in 1 2; do before[i]=$(grep -c '^DATA seq=' "$WORK/p$i.log"); done
	# 150 more messages each; a loaded TCG guest may take a while.
	for i in 1 2; do
		check "data keeps reaching p$i after $old is gone" \
			wait_count "$WORK/p$i.log" '^DATA seq=' $((before[i] + 3)) 15
		check "no ASSOC_DOWN at p$i while streaming" bash -c "! grep -q '^ASSOC_DOWN' '$WORK/p$i.log'"
	done
	check "asconfd: no bindx failed for good" bash -c "! grep 'bindx .* failed' '$WORK/asconfd.log' |
		grep -qv 'bindx ADD .* Cannot assign requested address (retried)'"
	check "asconfd could share the port each time" \
		bash -c "! grep -q 'cannot let its port' '$WORK/asconfd.log'"

	# Graceful SHUTDOWN delivers what is queued; then the peers stop.
	stop_pid "${PIDS[server]}"
	local sent recv gaps
	for i in 1 2; do
		wait_line "$WORK/p$i.log" '^ASSOC_DOWN' 5
		stop_pid "${PIDS[p$i]}"
		gaps=$(sed -nE 's/^DATA_SUMMARY .* gaps=([0-9]+).*/\1/p' "$WORK/p$i.log")
		check "no gap in what p$i received" [ "${gaps:-x}" = 0 ]
	done
	sent=$(sed -nE 's/^SENT [0-9]+ n=([0-9]+)/\1/p' "$WORK/server.log" | sort -n | tr '\n' ' ')
	recv=$(sed -nE 's/^DATA_SUMMARY received=([0-9]+) .*/\1/p' "$WORK/p1.log" "$WORK/p2.log" |
		sort -n | tr '\n' ' ')
	echo "    server sent: ${sent:-?}; peers received: ${recv:-?}"
	check "each peer received everything its socket sent" [ -n "$sent" -a "$sent" = "$recv" ]
	# The server set neither option; asconfd's temporary ones are undone.
	check "the server's sockets have SO_REUSEADDR and SO_REUSEPORT off again" \
		bash -c "[ \$(grep -c '^SOCKOPTS .* reuseaddr=0 reuseport=0\$' '$WORK/server.log') = 3 ]"
	check "a few hundred messages per association" \
		[ "$(echo "$recv" | awk '{print $1}')" -ge 200 ]
	dump_if_failed server p1 p2
}
