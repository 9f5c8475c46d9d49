#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench-scale: runs tests/bench/scale-vm.sh in one VM boot per shape
# and size, writes build/bench/scale.json (a list, one object per shape and
# size) and prints a table.  Usage: tests/bench/scale.sh [SIZE]...
# Environment: SHAPES="one-to-many one-to-one 100x100" (how the SIZE
# associations are held, see scale-vm.sh), ROUNDS=3 (single adds timed),
# FLOOD=10000 (changes in the flood), FLOOD_WAIT=300 (seconds allowed to
# converge after it).  Each run's log is build/bench/scale-SIZE.log
# (one-to-many) or scale-SHAPE-SIZE.log, its peers' ASSOC_DOWN lines and
# asconfd's last log lines are under build/bench/scale[-SHAPE]-SIZE/.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$repo/build/bench
mkdir -p "$out"
sizes=("${@:-1000}")
read -ra shapes <<<"${SHAPES:-one-to-many one-to-one 100x100}"
objs=() failed=0
for shape in "${shapes[@]}"; do
	for n in "${sizes[@]}"; do
		name=scale-$n
		[ "$shape" = one-to-many ] || name=scale-$shape-$n
		mem=$((1024 + n / 5))
		log=$out/$name.log
		echo "bench-scale: $shape, $n associations (VM with $mem MB; log $log; $(date -u +%H:%M:%S))"
		"$repo/tests/vm/run" --out "$out/$name" --mem "$mem" --timeout 3000 --add "$repo/tests/vm/lib.sh" \
			"$repo/tests/bench/scale-vm.sh" "$n" "${ROUNDS:-3}" "${FLOOD:-10000}" "${FLOOD_WAIT:-300}" \
			"$shape" >"$log" 2>&1
		rc=$?
		line=$(sed -n 's/^SCALE //p' "$log" | tail -1)
		if ((rc != 0)) || [[ -z $line ]]; then
			# The other runs still go; this one is in scale.json as failed.
			echo "bench-scale: the $shape $n run failed (exit $rc):"
			tail -20 "$log"
			line="{\"shape\": \"$shape\", \"associations\": $n, \"sockets\": $n, \"failed\": true}"
			failed=1
		fi
		objs+=("$line")
	done
done
{ printf '[\n'; (IFS=$'\n'; echo "${objs[*]}") | sed '$!s/$/,/' | sed 's/^/  /'; printf ']\n'; } >"$out/scale.json"
echo "bench-scale: wrote $out/scale.json ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), qemu TCG)"
jq -r '["shape","assocs","sockets","add us/sock (bare)","rem us/sock (bare)","add CPU (bare)","rem CPU (bare)","first/last told ms","kernel first/last ms",
	"flood events","converged ms","assocs lost (kernel)","KiB/sock","idle wakeups 30s"],
	(.[] | select(.failed | not) | [.shape, .associations, .sockets,
	  "\(.asconfd_add_us_per_socket) (\(.bare_add_us_per_socket))",
	  "\(.asconfd_rem_us_per_socket) (\(.bare_rem_us_per_socket))",
	  "\(.asconfd_add_cpu_us_per_socket) (\(.bare_add_cpu_us_per_socket))",
	  "\(.asconfd_rem_cpu_us_per_socket) (\(.bare_rem_cpu_us_per_socket))",
	  "\(.first_peer_told_ms_p50) / \(.last_peer_told_ms_p50)",
	  "\(.kernel_first_peer_told_ms_p50) / \(.kernel_last_peer_told_ms_p50)",
	  (.flood_events // "-"), (if .flood_converged == null then "-" elif .flood_converged then .flood_converge_ms else "NO" end),
	  "\(.associations_lost) (\(.kernel_associations_lost))",
	  .rss_kib_per_socket, (.idle_wakeups_30s // "-")]) | @tsv' "$out/scale.json" | column -t -s $'\t'
exit "$failed"
