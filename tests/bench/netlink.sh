#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench-netlink: how fast the netlink path is and whether the idle
# daemon sleeps.  Three figures, each with the command that produced it:
#  1. events parsed and applied per second (bench_netlink, native);
#  2. instructions per event: callgrind's total for N events minus the
#     total for building the same N events without applying them, over N;
#  3. the idle daemon's wakeups over 10 s: context switches of asconfd in
#     the VM (real kernel SCTP, one managed socket, no address changes).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$repo/build
bench=$B/bench/bench_netlink
out=$B/bench
mkdir -p "$out"

echo "== 1. events per second: $bench 2000000"
"$bench" 2000000 | tee "$out/netlink-rate.txt"

N=200000
ir() {
	local tag=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.$tag" "$bench" "$@" >/dev/null 2>"$out/cg.$tag.log"
	sed -n 's/^summary: //p;s/^totals: //p' "$out/cg.$tag" | head -1
}
echo "== 2. instructions per event: valgrind --tool=callgrind $bench $N (minus $bench $N build-only)"
i1=$(ir apply $N)
i0=$(ir build $N build-only)
echo "instructions total $i1 baseline $i0 per_event $(( (i1 - i0) / N ))" | tee "$out/netlink-ir.txt"

echo "== 3. idle wakeups over 10 s: tests/vm/run tests/bench/idle-vm.sh"
"$repo/tests/vm/run" --add "$repo/tests/vm/lib.sh" "$repo/tests/bench/idle-vm.sh" | tee "$out/idle.txt"
