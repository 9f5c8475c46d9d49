#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make compare: the scenario matrix (tests/compare/matrix.sh) in one VM boot
# per kernel: Debian's default kernel (6.1 on bookworm) and the newest
# linux-image the package lists offer, then the old-kernel profile (asconfd
# under oldkernel.so) on the default kernel.  Writes build/compare/:
# compare.json, compare.md (the table), comparison.md (the page that goes
# to docs/), latency-*.svg, and raw/ (what each VM wrote).
#   ROUNDS=N (default 5)  COMPARE_KERNELS="pkg pkg.." (default: both above)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$repo/build/compare
rounds=${ROUNDS:-5}

if [[ -n ${COMPARE_KERNELS:-} ]]; then
	read -r -a kernels <<<"$COMPARE_KERNELS"
else
	k1=$("$repo/tests/vm/kernels.sh" default) && k2=$("$repo/tests/vm/kernels.sh" newest) ||
		{ echo "compare: cannot tell the kernels from apt" >&2; exit 1; }
	kernels=("$k1" "$k2")
	[[ ${kernels[0]} != "${kernels[1]}" ]] || kernels=("${kernels[0]}")
fi

rm -rf "$out/raw"
mkdir -p "$out/raw"
adds=(--add "$repo/tests/vm/lib.sh")
start=$(date +%s)
i=0
# run_one TAG PKG PROFILE: one VM boot.
run_one() {
	local tag=$1 pkg=$2 profile=$3 t0=$SECONDS
	echo "compare: $tag: $pkg, profile $profile, $rounds rounds"
	if ! ASCONF_VM_KERNEL_PKG=$pkg "$repo/tests/vm/run" --timeout 2400 --mem 1024 --out "$out/raw/$tag" \
		"${adds[@]}" "$repo/tests/compare/matrix.sh" "$profile" "$rounds" >"$out/raw/$tag.log" 2>&1; then
		tail -n 30 "$out/raw/$tag.log"
		echo "compare: $tag: the VM run failed (log: ${out#"$repo"/}/raw/$tag.log)" >&2
		return 1
	fi
	echo "$profile" >"$out/raw/$tag/profile.txt"
	echo "compare: $tag: $((SECONDS - t0)) s"
}
# Default kernel and its old-kernel profile first: the newest kernel last.
run_one k1-full "${kernels[0]}" full
run_one k1-old "${kernels[0]}" old
for k in "${kernels[@]:1}"; do
	i=$((i + 1))
	run_one "k$((i + 1))-full" "$k" full
done

"$repo/tests/compare/aggregate.sh" "$out" "make compare ROUNDS=$rounds"
echo "compare: done in $(($(date +%s) - start)) s: ${out#"$repo"/}/compare.json, compare.md, comparison.md"
echo "compare: to publish: cp build/compare/comparison.md build/compare/*.svg docs/ &&" \
	"cp build/compare/compare.json docs/comparison.json"
echo "compare: a rerun against the published table: make compare-check"
