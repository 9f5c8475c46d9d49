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

topo_down() {
	local p rc=$?
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

# start_asconfd ARGS...: asconfd in "cli", logging to $WORK/asconfd.log,
# run through the command in the array ASCONFD_WRAP if set (e.g. setpriv).
ASCONFD_WRAP=()
start_asconfd() {
	export ASCONF_CONTROL=$WORK/control.sock
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
