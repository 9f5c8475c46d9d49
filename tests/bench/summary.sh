#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench's last step: one table from what each benchmark left under
# build/bench (netlink-*.txt, idle.txt, pass.txt, latency.json, sockets*.json,
# scale.json, adopt.txt), with the issue's goal and whether it is met.
# Prints it and writes build/bench/summary.md.  A benchmark that left no
# file shows "not run" rather than a stale or invented figure (make bench
# clears the results first), and the script then exits 1.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
b=$repo/build/bench
md=$b/summary.md

rows=()
# row BENCH FIGURE ASCONFD REFERENCE GOAL MET
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
yn() { if [ "$1" = 1 ]; then echo yes; else echo "**no**"; fi; }
# le A B: 1 when A <= B (decimal)
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? 1 : 0 }'; }
f1() { awk -v a="$1" 'BEGIN { if (a == "null" || a == "") print "-"; else printf "%.1f", a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
# met X MAX: yes when X is a number <= MAX
met() { if [[ $1 =~ ^[0-9.]+$ ]]; then yn "$(le "$1" "$2")"; else echo "**no**"; fi; }

if [ -f "$b/netlink-rate.txt" ]; then
	r=$(sed -nE 's/.*events_per_second ([0-9]+).*/\1/p' "$b/netlink-rate.txt")
	row netlink "events parsed and applied per second (host, native)" \
		"$(awk -v r="$r" 'BEGIN { printf "%.1f M/s", r / 1e6 }')" - - -
else
	row netlink "events per second" "not run" - - -
fi
if [ -f "$b/netlink-ir.txt" ]; then
	row netlink "instructions per event (callgrind)" \
		"$(sed -nE 's/.*per_event ([0-9]+).*/\1/p' "$b/netlink-ir.txt")" - - -
fi
if [ -f "$b/idle.txt" ]; then
	w=$(sed -nE 's/.*over 10 s: ([0-9]+).*/\1/p' "$b/idle.txt")
	row netlink "idle wakeups over 10 s, 1 managed socket (VM)" "$w" - 0 "$(met "$w" 0)"
fi

if [ -f "$b/pass.txt" ]; then
	l=$(grep '^BENCH_PASS ' "$b/pass.txt")
	v() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" <<<"$l"; }
	what="$(v sockets) sockets, $(v addrs) host addresses (host, CPU)"
	for k in idle:"nothing changed" other:"a change on a link no policy follows" \
		followed:"a change that leaves every desired set as it is"; do
		row pass "pass with nothing to do: ${k#*:}, $what (us)" "$(v "${k%%:*}_us")" - "< 1000" \
			"$(met "$(v "${k%%:*}_us")" 999.9)"
	done
	row pass "pass looking at every socket (a link change), $what (us)" "$(v full_us)" - - -
else
	row pass "CPU time of a pass" "not run" - - -
fi

if [ -f "$b/latency.json" ]; then
	j=$b/latency.json
	n=$(jq .rounds "$j")
	for op in add del; do
		what=$([ $op = add ] && echo "IPv4 add" || echo "IPv4 delete")
		a50=$(jq ".asconfd_${op}_p50_ms" "$j") a99=$(jq ".asconfd_${op}_p99_ms" "$j")
		k50=$(jq ".kernel_${op}_p50_ms" "$j") k99=$(jq ".kernel_${op}_p99_ms" "$j")
		if [ $op = add ]; then
			row latency "$what -> peer told, p50 over $n (ms)" "$a50" "kernel $k50" "< 3" "$(met "$a50" 2.999)"
			row latency "$what -> peer told, p99 over $n (ms)" "$a99" "kernel $k99" "< 5" "$(met "$a99" 4.999)"
		else
			row latency "$what -> peer told, p50 / p99 over $n (ms)" "$a50 / $a99" "kernel $k50 / $k99" - -
		fi
		# The floor: the application's own sctp_bindx, no netlink, no daemon.
		b50=$(jq ".bare_${op}_p50_ms // empty" "$j") b99=$(jq ".bare_${op}_p99_ms // empty" "$j")
		[ -n "$b50" ] && row latency "floor: a process's own bindx $([ $op = add ] && echo ADD || echo REM) -> peer told, p50 / p99 over $n (ms)" \
			"-" "bare bindx $b50 / $b99" - -
	done
else
	row latency "address change -> peer told" "not run" - - -
fi

for f in sockets sockets-assoc; do
	j=$b/$f.json
	[ -f "$j" ] || { row sockets "per-socket cost ($f)" "not run" - - -; continue; }
	n=$(jq .sockets "$j")
	what="$n sockets$([ "$(jq .associations "$j")" = true ] && echo ", an association each")"
	for op in add rem; do
		a=$(jq ".asconfd_${op}_us_per_socket" "$j") r=$(jq ".bare_${op}_us_per_socket" "$j")
		x=$(ratio "$a" "$r")
		row sockets "$op, us per socket, $what" "$a (${x}x)" "bare bindx $r" "<= 1.2x" "$(met "$x" 1.2)"
		# CPU time of asconfd's passes against the bare loop's (older runs: none).
		a=$(jq ".asconfd_${op}_cpu_us_per_socket // empty" "$j") r=$(jq ".bare_${op}_cpu_us_per_socket // empty" "$j")
		[ -n "$a" ] && [ -n "$r" ] || continue
		x=$(ratio "$a" "$r")
		row sockets "$op, CPU us per socket (the goal's figure is the wall time above), $what" "$a (${x}x)" "bare bindx $r" - -
	done
done

if [ -f "$b/scale.json" ]; then
	for ((i = 0; i < $(jq length "$b/scale.json"); i++)); do
		g() { jq -r ".[$i].$1" "$b/scale.json"; }
		# Objects written before the shapes were: one-to-many, sockets = associations.
		shape=$(jq -r ".[$i].shape // \"one-to-many\"" "$b/scale.json")
		n=$(jq -r ".[$i].associations // .[$i].sockets" "$b/scale.json")
		s=$(g sockets)
		if [ "$shape" = one-to-many ]; then
			lab="scale $n" log=scale-$n.log what=""
		else
			lab="scale $shape $n" log=scale-$shape-$n.log
			what=$([ "$shape" = one-to-one ] && echo " ($s sockets: $n accepted and the listener)" ||
				echo " ($s sockets of $((n / s)) associations)")
		fi
		if [ "$(g failed)" = true ]; then
			row "$lab" "$n associations, $shape (the run failed: build/bench/$log)" "not run" - - -
			continue
		fi
		for op in add rem; do
			a=$(g "asconfd_${op}_us_per_socket") r=$(g "bare_${op}_us_per_socket")
			x=$(ratio "$a" "$r")
			row "$lab" "$op pass, us per socket$what" "$a (${x}x)" "bare bindx $r" "<= 1.2x" "$(met "$x" 1.2)"
			a=$(g "asconfd_${op}_cpu_us_per_socket // empty") r=$(g "bare_${op}_cpu_us_per_socket // empty")
			[ -n "$a" ] && [ -n "$r" ] || continue
			row "$lab" "$op pass, CPU us per socket (the goal's figure is the wall time above)" \
				"$a ($(ratio "$a" "$r")x)" "bare bindx $r" - -
		done
		al=$(g last_peer_told_ms_p50) kf=$(g kernel_first_peer_told_ms_p50)
		row "$lab" "add -> first / last peer told, p50 (ms)" "$(f1 "$(g first_peer_told_ms_p50)") / $(f1 "$al")" \
			"kernel $(f1 "$kf") / $(f1 "$(g kernel_last_peer_told_ms_p50)")" "last < kernel's first" \
			"$(yn "$(awk -v a="$al" -v k="$kf" 'BEGIN { print (a != "null" && k != "null" && a + 0 < k + 0) ? 1 : 0 }')")"
		if [ "$shape" != one-to-many ]; then
			row "$lab" "associations lost in the rounds (in the setup)" \
				"$(g associations_lost) ($(g associations_lost_setup))" \
				"kernel's farm $(g kernel_associations_lost)" 0 "$(met "$(g associations_lost)" 0)"
			continue
		fi
		conv=$(g flood_converged) cm=$(g flood_converge_ms)
		row "$lab" "flood of $(g flood_events) changes ($(g flood_overruns) overruns): converged after (ms)" \
			"$([ "$conv" = true ] && echo "$cm" || echo "not converged")" - "< 1000, exact" \
			"$([ "$conv" = true ] && met "$cm" 999 || echo "**no**")"
		row "$lab" "associations lost in the rounds and the flood (in the flood; in the setup)" \
			"$(g associations_lost) ($(g associations_lost_in_flood); $(g associations_lost_setup))" \
			"kernel's farm $(g kernel_associations_lost) (rounds only)" 0 "$(met "$(g associations_lost)" 0)"
		row "$lab" "RSS per managed socket (KiB; idle $(g rss_kib_idle), $n: $(g rss_kib), after flood $(g rss_kib_after_flood); $(g fds) fds)" \
			"$(g rss_kib_per_socket)" - "< 1" "$(met "$(g rss_kib_per_socket)" 0.999)"
		row "$lab" "idle wakeups over 30 s" "$(g idle_wakeups_30s)" - 0 "$(met "$(g idle_wakeups_30s)" 0)"
	done
else
	row scale "1,000 and 10,000 associations" "not run" - - -
fi

if [ -f "$b/adopt.txt" ]; then
	n=$(sed -nE 's/.*cost with ([0-9]+) unmanaged.*/\1/p' "$b/adopt.txt")
	while read -r name _ _ _ cand _ sd _ _ _ walk _; do
		row adopt "scan, $n unmanaged sockets, $name ($cand candidates): sock_diag / /proc walk (ms)" "$sd / $walk" - - -
	done < <(grep -E '^(port-|comm-)' "$b/adopt.txt")
	none=$(sed -nE 's/^none: ([0-9]+) scans.*/\1/p' "$b/adopt.txt")
	row adopt "scans with no adopt key" "$none" - 0 "$(met "$none" 0)"
else
	row adopt "adoption scan" "not run" - - -
fi

cpu=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -1)
kpkg=$(ls "$repo/build/vm/kernel" 2>/dev/null | grep '^linux-image' | head -1)
{
	echo "# asconfd benchmarks"
	echo
	echo "$(date -u +%Y-%m-%d\ %H:%M) UTC, \`${BENCH_COMMAND:-make bench}\` at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null);"
	echo "host: $cpu, $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; VM: qemu TCG (no KVM), ${kpkg:-the Debian kernel}."
	echo
	echo "| benchmark | figure | asconfd | reference | goal | met |"
	echo "| --- | --- | --- | --- | --- | --- |"
	printf '%s\n' "${rows[@]}"
} >"$md"
cat "$md"
if grep -q '| not run |' "$md"; then
	echo "make bench: some benchmarks left no result (\"not run\" above); their output says why" >&2
	exit 1
fi
