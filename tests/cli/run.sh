#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The command lines on the host: bad input gets a clear error naming the
# problem and a non-zero exit; a kernel without SCTP is said in one line.
# Prints PASS:/FAIL: lines and "cli: N passed, N failed".
set -u
B=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build
D=$B/bin/asconfd C=$B/bin/asconfctl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
P=0 F=0

# expect NAME STATUS REGEX CMD...: CMD exits STATUS and its output matches.
expect() {
	local name=$1 want=$2 re=$3 out st
	shift 3
	out=$("$@" 2>&1)
	st=$?
	if [[ $st -eq $want ]] && grep -Eq -- "$re" <<<"$out"; then
		echo "PASS: $name"; P=$((P + 1))
	else
		echo "FAIL: $name (exit $st, want $want; output: $out)"; F=$((F + 1))
	fi
}

expect "asconfd --help" 0 '^Usage: asconfd' "$D" --help
expect "asconfd --version" 0 '^asconfd [0-9]' "$D" --version
expect "unknown option" 1 "unrecognized option '--bogus'" "$D" --bogus
expect "stray argument" 1 "unexpected argument 'eth0'" "$D" eth0
expect "bad --rcvbuf" 1 "--rcvbuf wants a byte count .* not '12k'" "$D" --rcvbuf 12k
expect "empty --interface" 1 "invalid interface pattern ''" "$D" --interface ''
expect "missing --netns" 1 "cannot enter network namespace 'nope': No such file" \
	"$D" --foreground --netns nope
# This machine's kernel may or may not have SCTP (or load it on demand):
# asconfd either says so in one line and exits 1, or serves.
"$D" --foreground --control "$tmp/c.sock" -i lo >"$tmp/d.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
	[[ -S $tmp/c.sock ]] || ! kill -0 "$pid" 2>/dev/null && break
	sleep 0.1
done
if [[ -S $tmp/c.sock ]]; then
	expect "with SCTP: asconfd serves" 0 '^asconfd ' "$C" --control "$tmp/c.sock" status
	kill "$pid"
	wait "$pid"
else
	wait "$pid"
	st=$?
	expect "no SCTP in the kernel: one clear line, exit 1" 0 \
		"^$st asconfd: this kernel has no SCTP support \(.*\); load it with 'modprobe sctp'$" \
		bash -c "[[ $st -eq 1 && \$(wc -l <'$tmp/d.log') -eq 1 ]] && echo '$st' \$(cat '$tmp/d.log')"
fi
expect "asconfctl --help" 0 '^Usage: asconfctl' "$C" --help
expect "asconfctl without a command" 2 'missing command' "$C"
expect "asconfctl unknown command" 2 'unknown command' "$C" frobnicate
expect "asconfctl, no daemon" 1 "cannot reach asconfd at $tmp/none.sock: No such file" \
	"$C" --control "$tmp/none.sock" status
expect "ASCONF_CONTROL is honoured" 1 "cannot reach asconfd at $tmp/env.sock" \
	env ASCONF_CONTROL="$tmp/env.sock" "$C" status
echo "cli: $P passed, $F failed"
((F == 0))
