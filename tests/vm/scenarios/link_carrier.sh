# SPDX-License-Identifier: GPL-2.0-or-later
# A followed link that comes back up: asconfd binds its address again as
# soon as the kernel says the link is up with carrier (RTM_NEWLINK with
# IFF_UP and IFF_LOWER_UP), not when IFF_RUNNING follows.  IFF_RUNNING is
# the operational state, which linkwatch updates; linkwatch runs a
# non-urgent event (a physical NIC's carrier, or a veth whose peer has the
# same ifindex in the other namespace, as c2 and s2 here) at most once a
# second, so right after any other link event IFF_RUNNING comes up to a
# second late.  A dummy link losing its carrier (linkwatch seen to run for
# it) right before each "link set c2 up" makes that lag happen; the
# kernel's own RTM_NEWLINK with IFF_RUNNING is watched (ip monitor,
# stamped) and in every round where it lagged the peer must have heard
# ADDR_ADDED well before it.  A round where the kernel was quick anyway
# decides nothing; at least half must lag.  Then the same under the
# old-kernel profile (oldkernel.so).
. /extra/lib.sh
trap topo_down EXIT
ROUNDS=4
LAG_US=300000           # a round decides when IFF_RUNNING came this late
MARGIN_US=100000        # and the peer must be told this much before it

# stamp: each line prefixed with /proc/uptime in microseconds (CLOCK_BOOTTIME,
# the peer's CLOCK_MONOTONIC in a guest that never sleeps; 10 ms steps).
stamp() {
	local l u
	while IFS= read -r l; do
		read -r u _ </proc/uptime
		echo "${u/./}0000 $l"
	done
}

# t_us FILE REGEX: the t_us of the last matching line.
t_us() { grep -E -- "$2" "$1" | tail -1 | sed -nE 's/.* t_us=([0-9]+).*/\1/p'; }

# seen_after N LINK TEXT: stamp of the first RTM_NEWLINK of LINK containing
# TEXT after line N of the monitor log.
seen_after() {
	tail -n +"$(($1 + 1))" "$WORK/mon.log" |
		awk -v l="$2" -v t="$3" 'index($3, l) == 1 && index($0, t) { print $1; exit }'
}

# running_after N: stamp of the first c2 RTM_NEWLINK with IFF_RUNNING (ip
# prints NO-CARRIER for up without running) after line N of the monitor log.
running_after() {
	tail -n +"$(($1 + 1))" "$WORK/mon.log" |
		awk '$3 ~ /^c2[@:]/ && /[<,]UP[,>]/ && !/NO-CARRIER/ { print $1; exit }'
}

# rounds PROFILE: link c2 down and up ROUNDS times; the address stays on it.
rounds() {
	local prof=$1 i k n t0 told run decided=0 lag
	for ((i = 1; i <= ROUNDS; i++)); do
		ip -n cli link set c2 down
		check "$prof round $i: link down: the peer hears ADDR_REMOVED" \
			wait_count "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' "$i" 5
		n=$(wc -l <"$WORK/mon.log")
		ip -n cli link set d0 carrier off
		# Its operational state down is linkwatch's run: the next
		# non-urgent one waits a second from here.
		for ((k = 0; k < 60; k++)); do
			[ -n "$(seen_after "$n" d0 'state DOWN')" ] && break
			sleep 0.05
		done
		t0=$(monotime)
		ip -n cli link set c2 up
		check "$prof round $i: link up: the peer hears ADDR_ADDED" \
			wait_count "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' "$((i + 1))" 5
		told=$(t_us "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ')
		# Carrier on is urgent for linkwatch: it does not delay the next round.
		ip -n cli link set d0 carrier on
		for ((k = 0; k < 30; k++)); do
			run=$(running_after "$n")
			[ -n "$run" ] && break
			sleep 0.1
		done
		if [ -z "$run" ] || [ -z "$told" ]; then
			fail "$prof round $i: no IFF_RUNNING from the kernel within 3 s, or no time told"
			continue
		fi
		lag=$((run - t0))
		echo "    $prof round $i: told after $(((told - t0) / 1000)) ms, kernel's IFF_RUNNING after $((lag / 1000)) ms"
		((lag >= LAG_US)) || continue
		decided=$((decided + 1))
		check "$prof round $i: told $(((run - told) / 1000)) ms before IFF_RUNNING (at least $((MARGIN_US / 1000)))" \
			[ $((told + MARGIN_US)) -lt "$run" ]
	done
	check "$prof: IFF_RUNNING lagged in at least half the rounds ($decided of $ROUNDS)" \
		[ "$decided" -ge $((ROUNDS / 2)) ]
}

# profile NAME: a fresh topology, asconfd (through ASCONFD_WRAP), the
# usual managed association, 10.2.0.1 on c2, then the rounds.
profile() {
	topo_up
	ip -n cli link add d0 type dummy
	ip -n cli link set d0 up
	( ip -n cli monitor link | stamp >"$WORK/mon.log" ) &
	check "$1: asconfd starts with --interface c2" start_asconfd --interface c2
	managed_assoc
	ip -n cli addr add 10.2.0.1/24 dev c2
	check "$1: 10.2.0.1 on c2 reaches the peer" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
	rounds "$1"
	if [ "$FAILED" -ne 0 ]; then
		show peer "$WORK/peer.log"; show monitor "$WORK/mon.log"; show asconfd "$WORK/asconfd.log"
		asconfctl status | sed 's/^/    status| /'
	fi
}

profile full
topo_reset
# The old-kernel profile: the same daemon with every kernel feature newer
# than 3.1 it uses hidden (tests/compare/oldkernel.c); the link flags it
# reads are as old as rtnetlink.
ASCONFD_WRAP=(env "ASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	      LD_PRELOAD=/usr/local/bin/oldkernel.so)
profile old
check "old: the interposer hid IFA_FLAGS" grep -q '^oldkernel: hid IFA_FLAGS$' "$WORK/asconfd.log"
finish
