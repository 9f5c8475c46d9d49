#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# aggregate.sh DIR [COMMAND]: turns what each VM of `make compare` wrote
# (DIR/raw/<tag>/{rec.tsv,lat.tsv,kernel.txt,profile.txt}) into
#   DIR/compare.json   one record per scenario x kernel x mode
#   DIR/compare.md     the table, one section per kernel (and profile)
#   DIR/comparison.md  the page docs/comparison.md is a copy of
#   DIR/latency-<tag>.svg  latency distributions (gnuplot), when installed
# p50/p90 are nearest-rank percentiles of the rounds' latencies, in ms.
set -euo pipefail
dir=${1:?usage: aggregate.sh DIR [COMMAND]}
cmd=${2:-make compare}
raw=$dir/raw
tags=()
for d in "$raw"/*/; do
	[[ -f $d/rec.tsv ]] && tags+=("$(basename "$d")")
done
((${#tags[@]})) || { echo "aggregate: no results under $raw" >&2; exit 1; }

# label TAG: "6.1.0-56-amd64" or "6.1.0-56-amd64, old-kernel profile".
label() {
	local k p
	k=$(cat "$raw/$1/kernel.txt")
	p=$(cat "$raw/$1/profile.txt" 2>/dev/null || echo full)
	if [[ $p == old ]]; then echo "$k, old-kernel profile"; else echo "$k"; fi
}

# One TSV line per record: kernel, scenario, mode, announced, correct,
# p50, p90, n, note, judged (p50/p90 empty when no latency was measured;
# judged "final" when only the peer's final view decides correctness).
all=$dir/records.tsv
: >"$all"
for t in "${tags[@]}"; do
	awk -F'\t' -v kernel="$(label "$t")" '
	FNR == NR { v[$1 "\t" $2] = v[$1 "\t" $2] " " $3; next }
	{
		key = $1 "\t" $2
		n = split(v[key], s, " ")
		p50 = p90 = ""
		if (n) {
			# sort the samples (insertion sort: a few dozen at most)
			for (i = 2; i <= n; i++) {
				x = s[i] + 0
				for (j = i - 1; j >= 1 && s[j] + 0 > x; j--) s[j + 1] = s[j]
				s[j + 1] = x
			}
			p50 = sprintf("%.1f", s[int((n + 1) / 2)] / 1000)
			r = int(n * 0.9 + 0.5); if (r < 1) r = 1
			p90 = sprintf("%.1f", s[r] / 1000)
		}
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", kernel, $1, $2, $3, $4, p50, p90, n, $5, $6
	}' "$raw/$t/lat.tsv" "$raw/$t/rec.tsv" >>"$all"
done

# compare.json
awk -F'\t' '
function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function num(s) { return s == "" ? "null" : s }
function tri(s) { return s == "yes" ? "true" : s == "no" ? "false" : s == "-" ? "null" : js(s) }
BEGIN { print "[" }
{
	printf "%s  {\"scenario\": %s, \"kernel\": %s, \"mode\": %s, \"announced\": %s, \"correct\": %s, " \
	       "\"p50_ms\": %s, \"p90_ms\": %s, \"rounds_timed\": %d, \"judged_by\": %s, \"note\": %s}", \
	       (NR > 1 ? ",\n" : ""), js($2), js($1), js($3), tri($4), tri($5), num($6), num($7), $8, \
	       js($10 == "final" ? "final view" : "every round"), js($9)
}
END { print "\n]" }' "$all" >"$dir/compare.json"

# compare.md: per kernel, one line per scenario and mode, and a verdict on
# the asconfd line against the kernel's: the correct one wins; when both
# are correct, the lower p50 (within 10 % is a tie).
awk -F'\t' '
function verdict(k, sc,   ac, kc, ap, kp) {
	ac = C[k, sc, "asconfd"]; kc = C[k, sc, "kernel"]
	if (ac == "" || ac == "-" || kc == "" || kc == "-") return ""
	if (ac == "yes" && kc != "yes") return "**asconfd wins** (correct)"
	if (ac != "yes" && kc == "yes") return "**asconfd loses** (kernel correct)"
	if (ac != "yes" && kc != "yes") return "**both wrong**"
	ap = P[k, sc, "asconfd"]; kp = P[k, sc, "kernel"]
	if (ap == "" || kp == "") return "tie (both correct)"
	if (ap + 0 < (kp + 0) * 0.9) return "**asconfd wins** (faster)"
	if (kp + 0 < (ap + 0) * 0.9) return "**asconfd loses** (kernel faster)"
	return "tie"
}
{
	if (!($1 in seenk)) { seenk[$1] = 1; ks[++nk] = $1 }
	if (!(($1, $2) in seens)) { seens[$1, $2] = 1; ns[$1]++; S[$1, ns[$1]] = $2 }
	line[$1, $2, $3] = $0
	C[$1, $2, $3] = $5; P[$1, $2, $3] = $6
}
END {
	split("asconfd kernel none", modes, " ")
	name["asconfd"] = "asconfd"; name["kernel"] = "kernel auto_asconf"; name["none"] = "none"
	for (a = 1; a <= nk; a++) {
		k = ks[a]
		printf "### Kernel %s\n\n", k
		print "| Scenario | Mode | Announced | Correct | p50 ms | p90 ms | asconfd vs kernel | Note |"
		print "|---|---|---|---|---:|---:|---|---|"
		for (b = 1; b <= ns[k]; b++) {
			sc = S[k, b]
			for (m = 1; m <= 3; m++) {
				if (!((k, sc, modes[m]) in line)) continue
				split(line[k, sc, modes[m]], f, "\t")
				v = modes[m] == "asconfd" ? verdict(k, sc) : ""
				gsub(/\|/, "\\|", f[9])
				printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", m == 1 ? sc : "", name[modes[m]], \
				       f[4], f[5], f[6] == "" ? "-" : f[6], f[7] == "" ? "-" : f[7], v, f[9]
			}
		}
		print ""
	}
}' "$all" >"$dir/compare.md"

# Latency distributions: the empirical CDF of each mode's samples for the
# rows timed every round, one plot per kernel.
svgs=()
if command -v gnuplot >/dev/null; then
	for t in "${tags[@]}"; do
		lat=$raw/$t/lat.tsv
		[[ -s $lat ]] || continue
		plots=() pd=$dir/plot-$t
		rm -rf "$pd" && mkdir -p "$pd"
		for row in "IPv4 add, followed interface" "IPv4 delete, followed interface" \
			"IPv6 global add, DAD runs" "IPv4 add queued behind a tentative IPv6 address"; do
			for m in asconfd kernel; do
				f=$pd/$(echo "$row-$m" | tr -c 'A-Za-z0-9\n' '_').dat
				awk -F'\t' -v r="$row" -v m="$m" '$1 == r && $2 == m { print $3 / 1000 }' "$lat" |
					sort -n | awk '{ v[NR] = $1 } END { for (i = 1; i <= NR; i++) print v[i], i / NR }' >"$f"
				[[ -s $f ]] && plots+=("'$f' using 1:2 with steps title '$m: $row'")
			done
		done
		((${#plots[@]})) || continue
		svg=$dir/latency-$t.svg
		{
			echo "set terminal svg size 900,500 dynamic font 'sans,11'"
			echo "set output '$svg'"
			echo "set title 'Address change to peer told (SCTP\\_PEER\\_ADDR\\_CHANGE), $(label "$t")'"
			echo "set xlabel 'ms (log scale)'"
			echo "set ylabel 'fraction of rounds'"
			echo "set logscale x"
			echo "set key outside below"
			echo "set yrange [0:1.05]"
			echo "set grid"
			(IFS=,; echo "plot ${plots[*]}")
		} | gnuplot
		rm -rf "$pd"
		svgs+=("$(basename "$svg")")
	done
else
	echo "aggregate: gnuplot not installed (scripts/install-deps): no plots" >&2
fi

# comparison.md: the page for docs/.
{
	echo "# asconfd compared with the kernel's auto_asconf"
	echo
	echo "Produced by \`$cmd\` on $(date -u +%Y-%m-%d) (UTC); kernels:"
	for t in "${tags[@]}"; do echo "- \`$(label "$t")\`"; done
	cat <<'EOF'

Every scenario runs three ways side by side in one VM boot (qemu TCG, so
absolute times are slow; compare the columns, not the numbers to a real
host):

- **asconfd**: a socket bound to specific addresses, handed to asconfd
  (following interface `c2` only).
- **kernel auto_asconf**: a socket bound to the wildcard with
  `SCTP_AUTO_ASCONF` on: the kernel's own mechanism (Linux 3.2+).
- **none**: a socket bound to specific addresses and no agent: what a
  kernel before 3.2 gives.

*Announced*: the peer's kernel reported the change
(`SCTP_PEER_ADDR_CHANGE`) in every round (`k/n`: in k of n rounds).
*Correct*: the peer was told what it should be told and nothing else:
nothing from an interface outside the allowlist, no tentative,
DAD-failed or link-local address; for the flapping row, the peer's final
view matches the host.  In the three rows of a wildcard program
(lksctp-tools' `sctp_darn` bound to 0.0.0.0, with a management veth and a
docker0-like bridge the policy leaves out), asconfd's socket is the
wildcard narrowed by `asconf-run` (`narrow-wildcard`), the kernel's has
`default_auto_asconf` on, none's is the plain wildcard; in the first,
*Announced* means an excluded address reached the peer at set-up
(`sctp_getpaddrs` at the peer).  *p50/p90*: time from the change (just before the
netlink request) to the peer's event, over the rounds.  The verdict
column compares asconfd with the kernel: the correct one wins; when both
are correct, the lower p50 wins (within 10 % is a tie).  Rows where
asconfd loses are kept.

Beyond the measured rows, what each way asks of the application:

| | asconfd | kernel auto_asconf |
|---|---|---|
| no application change needed | yes: a policy's `adopt-ports`/`adopt-commands` adopt the sockets of unmodified programs (asconfd.conf(5), ADOPTION); also `asconf-run` and `asconfctl manage PID FD` | yes, but for wildcard-bound sockets only |
| specific-address sockets | yes | no |
| interface allowlist | yes | no: every address of the host |

The old-kernel profile runs asconfd with a test-only interposer
(`tests/compare/oldkernel.c`) that hides every kernel feature newer than
3.1 that asconfd uses, so its fallbacks do the work (see docs/design.md,
"Kernel features and their fallbacks").

EOF
	cat "$dir/compare.md"
	if ((${#svgs[@]})); then
		echo "## Latency distributions"
		echo
		for s in "${svgs[@]}"; do echo "![latency distribution]($s)"; echo; done
	fi
	cat <<'EOF'
## Reproducing

Every row above comes from one `make compare` run (three VM boots, 14 to
25 minutes under qemu TCG, with the load); its records are in
[comparison.json](comparison.json).  After `make compare`,
`make compare-check` compares the new run (`build/compare/compare.json`)
with this table (`tests/compare/noise.sh`): *Correct* must be the same
in every row, and *Announced* too, except in the rows judged by the
peer's final view only (the flapping rows: whether a pass catches the
address between two changes is timing); a p50 must agree within a
factor of 2 or 300 ms, whichever is larger, and a p90 (the slowest of
the 5 rounds, of 3 with 1,000 associations) within a factor of 3 or
1000 ms.  Under qemu TCG on a shared machine a latency of a few ms moves
by a scheduling slice or an exec (up to a few hundred ms), a long one by
a factor; two runs at a similar load stayed within these bounds, a run
under a much heavier load did not (the check then says which rows).

Rerun check: not run yet against this table.
EOF
} >"$dir/comparison.md"
echo "aggregate: ${#tags[@]} run(s), $(wc -l <"$all") records"
