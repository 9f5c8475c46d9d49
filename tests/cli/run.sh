#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The command lines on the host: bad input gets a clear error naming the
# problem and a non-zero exit; a kernel without SCTP is said in one line.
# Prints PASS:/FAIL: lines and "cli: N passed, N failed".
set -u
B=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build
D=$B/bin/asconfd C=$B/bin/asconfctl R=$B/bin/asconf-run J=$B/tests/cli/json_echo
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
expect "unknown option" 2 "^asconfd: unrecognized option '--bogus'" "$D" --bogus
# getopt's message names the program, not the path it was started by.
expect "asconfd --bogus: the program's name, no path" 0 '^no path$' \
	bash -c "out=\$('$D' --bogus 2>&1); [[ \$out != *$B* && \$out != *bin/* ]] && echo no path"
expect "stray argument" 2 "unexpected argument 'eth0'" "$D" eth0
expect "bad --rcvbuf" 2 "--rcvbuf wants a byte count .* not '12k'" "$D" --rcvbuf 12k
expect "empty --interface" 2 "invalid interface pattern ''" "$D" --interface ''
expect "missing -C file" 1 "cannot read $tmp/none.conf: No such file" "$D" -C "$tmp/none.conf"
printf '[asconfd]\n# fine\nlog-level = loud\n' >"$tmp/bad.conf"
expect "bad config file: FILE:LINE: reason" 1 "^asconfd: $tmp/bad.conf:3: log-level: want error, warning" \
	"$D" --config "$tmp/bad.conf"
printf '[policy default]\ninterfaces = eth1\n' >"$tmp/ok.conf"
# --check-config: the same loader and messages, and nothing started.
expect "--check-config, good file: exit 0" 0 "^asconfd: configuration OK: $tmp/ok.conf\$" \
	"$D" --check-config -C "$tmp/ok.conf"
expect "--check-config, bad file: FILE:LINE, exit 1" 1 \
	"^asconfd: $tmp/bad.conf:3: log-level: want error, warning" "$D" --check-config -C "$tmp/bad.conf"
expect "--check-config, missing -C file: exit 1" 1 "cannot read $tmp/none.conf: No such file" \
	"$D" --check-config -C "$tmp/none.conf"
expect "--check-config checks the options too" 2 "invalid interface pattern ''" \
	"$D" --check-config -C "$tmp/ok.conf" -i ''
mkdir "$tmp/ok.conf.d"
printf '[policy default]\nhold-down = 10\n' >"$tmp/ok.conf.d/10-a.conf"
printf '# note\n[policy x]\nfamilies = ipv5\n' >"$tmp/ok.conf.d/20-b.conf"
printf 'not read\n' >"$tmp/ok.conf.d/README"
expect "--check-config, bad drop-in: its FILE:LINE, exit 1" 1 \
	"^asconfd: $tmp/ok.conf.d/20-b.conf:3: families: 'ipv5' is not ipv4 or ipv6" \
	"$D" --check-config -C "$tmp/ok.conf"
rm "$tmp/ok.conf.d/20-b.conf"
expect "--check-config, good drop-ins: exit 0" 0 "^asconfd: configuration OK" \
	"$D" --check-config -C "$tmp/ok.conf"
# No socket, no daemon: a control path it could never bind is not touched,
# and an unprivileged user may check a file it can read.
expect "--check-config opens no control socket" 0 "^asconfd: configuration OK" \
	"$D" --check-config -C "$tmp/ok.conf" --control /nonexistent/dir/c.sock
if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
	chmod 755 "$tmp" "$tmp/ok.conf.d"
	chmod 644 "$tmp/ok.conf" "$tmp/ok.conf.d/10-a.conf"
	expect "--check-config as an unprivileged user" 0 "^asconfd: configuration OK" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$D" --check-config -C "$tmp/ok.conf"
fi
expect "command line checked with a config file" 2 "invalid interface pattern ''" \
	"$D" -C "$tmp/ok.conf" -i ''
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
	expect "with SCTP: check is OK" 0 '^ASCONFD OK - 0 socket' "$C" --control "$tmp/c.sock" check
	expect "with SCTP: status --json parses" 0 '^0$' \
		bash -c "'$C' --control '$tmp/c.sock' status --json | jq -e '.sockets | length'"
	for j in 'status -j' '-j status' '--json status'; do
		expect "with SCTP: $j is status --json" 0 '^0$' \
			bash -c "'$C' --control '$tmp/c.sock' $j | jq -e '.sockets | length'"
	done
	expect "with SCTP: metrics" 0 '^asconfd_passes_total [0-9]+$' "$C" --control "$tmp/c.sock" metrics
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
for re in '^  status  ' '^  status -j, status --json$' '^  check \[-t SECONDS\]' '^  metrics \[--textfile FILE\]' \
	  '^  help \[COMMAND\]  ' '^  -j, --json  ' '^  -V, --version '; do
	expect "asconfctl --help has '$re'" 0 "$re" "$C" --help
done
expect "asconfctl --version" 0 '^asconfctl [0-9]+\.[0-9]+' "$C" --version
expect "asconfctl help" 0 '^Usage: asconfctl' "$C" help
# same_output CMD1 -- CMD2: both print the same, and succeed.
same_output() {
	local a=() b
	while [[ $1 != -- ]]; do a+=("$1"); shift; done
	shift
	b=$("$@") && [[ $("${a[@]}") == "$b" ]] && echo same
}
expect "asconfctl help is --help" 0 '^same$' same_output "$C" help -- "$C" --help
expect "asconfctl status --help" 0 '^Usage: asconfctl \[--control PATH\] status \[-j\|--json\]$' \
	"$C" status --help
expect "asconfctl status --help: the text form's peer paths" 0 "peer paths" "$C" status --help
expect "asconfctl status --help: the JSON form" 0 '^  status -j, status --json$' "$C" status --help
expect "asconfctl status -h is status --help" 0 '^same$' \
	same_output "$C" status -h -- "$C" status --help
expect "asconfctl help status is status --help" 0 '^same$' \
	same_output "$C" help status -- "$C" status --help
expect "asconfctl status --help: only status" 0 '^only$' \
	bash -c "! '$C' status --help | grep -Eq '^  (check|metrics|manage|reload) ' && echo only"
for cmd in check metrics 'manage \[--policy NAME\] PID FD' 'release PID FD' reload; do
	expect "asconfctl ${cmd%% *} --help" 0 "^Usage: asconfctl \\[--control PATH\\] $cmd\$" \
		"$C" "${cmd%% *}" --help
done
expect "asconfctl help with an unknown command" 2 "unknown command 'frobnicate'" \
	"$C" help frobnicate
expect "asconfctl -j with another command than status" 2 '--json is for status only' \
	"$C" -j metrics
expect "asconfctl -j status, no daemon" 1 "cannot reach asconfd at $tmp/none.sock" \
	"$C" --control "$tmp/none.sock" -j status
expect "asconfctl status -j, no daemon" 1 "cannot reach asconfd at $tmp/none.sock" \
	"$C" --control "$tmp/none.sock" status -j
expect "asconfctl --bogus" 2 "^asconfctl: unrecognized option '--bogus'" "$C" --bogus
expect "asconfctl status with a stray argument" 2 "unexpected argument 'x'" "$C" status x
expect "asconfctl metrics with a stray argument" 2 "unexpected argument '--json'" "$C" metrics --json
# Monitoring-plugin exit codes: no daemon is CRITICAL (2), with one line.
expect "asconfctl check, no daemon: CRITICAL, exit 2" 2 \
	"^ASCONFD CRITICAL - cannot reach asconfd at $tmp/none.sock: No such file" \
	"$C" --control "$tmp/none.sock" check
# A path that is no listening socket (a stale file) is CRITICAL too.
: >"$tmp/stale.sock"
expect "asconfctl check, nothing listening: CRITICAL, exit 2" 2 \
	"^ASCONFD CRITICAL - cannot reach asconfd at $tmp/stale.sock: Connection refused" \
	"$C" --control "$tmp/stale.sock" check
# A daemon that does not answer (stopped, hung: a listener that never
# accepts) is UNKNOWN once -t runs out, not a check that hangs.
(timeout 20 python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1]); s.listen(1)
time.sleep(30)' "$tmp/hung.sock" >/dev/null 2>&1 &)
for _ in $(seq 50); do [[ -S $tmp/hung.sock ]] && break; sleep 0.1; done
expect "asconfctl check -t 1, daemon not answering: UNKNOWN, exit 3, within 2 s" 3 \
	'^ASCONFD UNKNOWN - no answer from asconfd within 1 s \(-t\) took [01]$' \
	bash -c "s=\$(date +%s%N); out=\$('$C' --control '$tmp/hung.sock' check -t 1); st=\$?; \
		echo \"\$out took \$(( (\$(date +%s%N) - s) / 1000000000 ))\"; exit \$st"
expect "asconfctl metrics, no daemon: asconfd_up 0, exit 1" 1 '^asconfd_up 0$' \
	"$C" --control "$tmp/none.sock" metrics
expect "asconfctl metrics, no daemon: HELP and TYPE for asconfd_up" 1 '^# TYPE asconfd_up gauge$' \
	"$C" --control "$tmp/none.sock" metrics
mkdir "$tmp/textfile"
echo "asconfd_up 1" >"$tmp/textfile/asconfd.prom"
expect "asconfctl metrics --textfile, no daemon: the file says asconfd_up 0, exit 1" 1 \
	'^asconfd_up 0 0644 1$' bash -c "'$C' --control '$tmp/none.sock' metrics --textfile \
	'$tmp/textfile/asconfd.prom' 2>/dev/null; st=\$?; echo \$(grep -v '^#' '$tmp/textfile/asconfd.prom') \
	\$(stat -c 0%a '$tmp/textfile/asconfd.prom') \$(ls '$tmp/textfile' | wc -l); exit \$st"
expect "asconfctl metrics --textfile, directory missing: exit 2" 2 "cannot create $tmp/nodir/a.prom" \
	"$C" --control "$tmp/none.sock" metrics --textfile "$tmp/nodir/a.prom"
# Permission and usage problems are UNKNOWN (3), not CRITICAL.
if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
	(timeout 20 python3 -c 'import socket, sys, time, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1]); s.listen(1)
os.chmod(sys.argv[1], 0o600); time.sleep(30)' "$tmp/perm.sock" >/dev/null 2>&1 &)
	for _ in $(seq 50); do [[ -S $tmp/perm.sock ]] && break; sleep 0.1; done
	chmod 755 "$tmp"
	expect "asconfctl check, no permission to connect: UNKNOWN, exit 3" 3 \
		"^ASCONFD UNKNOWN - cannot reach asconfd at $tmp/perm.sock: Permission denied" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$C" --control "$tmp/perm.sock" check
else
	echo "SKIP: asconfctl check, no permission (needs root and setpriv)"
fi
expect "asconfctl check -w with a bad range: UNKNOWN, exit 3" 3 "^ASCONFD UNKNOWN - bad -w 'x'" \
	"$C" --control "$tmp/none.sock" check -w x
expect "asconfctl check -t 0: UNKNOWN, exit 3" 3 "^ASCONFD UNKNOWN - bad -t '0'" \
	"$C" --control "$tmp/none.sock" check -t 0
expect "asconfctl check --bogus: UNKNOWN, exit 3" 3 "^ASCONFD UNKNOWN - bad argument '--bogus'" \
	"$C" --control "$tmp/none.sock" check --bogus
expect "asconfctl status --json, no daemon" 1 "cannot reach asconfd" \
	"$C" --control "$tmp/none.sock" status --json
expect "asconfctl without a command" 2 'missing command' "$C"
expect "asconfctl unknown command" 2 'unknown command' "$C" frobnicate
expect "asconfctl, no daemon" 1 "cannot reach asconfd at $tmp/none.sock: No such file" \
	"$C" --control "$tmp/none.sock" status
expect "ASCONF_CONTROL is honoured" 1 "cannot reach asconfd at $tmp/env.sock" \
	env ASCONF_CONTROL="$tmp/env.sock" "$C" status

# One usage exit code in all three tools: 2, for an unknown option as for
# a missing or stray argument.
usage_codes() {
	local t
	for t in "$D" "$C" "$R"; do
		"$t" --bogus >/dev/null 2>&1
		echo -n "$? "
	done
	"$D" stray >/dev/null 2>&1; echo -n "$? "
	"$C" >/dev/null 2>&1; echo -n "$? "
	"$R" >/dev/null 2>&1; echo "$?"
}
expect "usage errors exit 2 in asconfd, asconfctl and asconf-run" 0 '^2 2 2 2 2 2$' usage_codes
for t in asconfd asconfctl asconf-run; do
	expect "$t --help: usage errors exit 2" 0 '2 on a usage error' "$B/bin/$t" --help
done

# The status JSON writer, parsed back by jq: every string comes back as it
# went in; bytes that are not UTF-8 come back as U+FFFD, still valid JSON.
strings=('plain' 'quote"s' 'back\slash' $'new\nline' $'tab\tand\rcr' $'ctl\x01\x1f' \
	 'slash/' $'\u00e9t\u00e9 \u20ac \U0001F600' '{"not": "json"}')
if [[ ! -x $J ]]; then
	echo "FAIL: $J not built"; F=$((F + 1))
elif ! command -v jq >/dev/null; then
	echo "FAIL: jq not installed (scripts/install-deps)"; F=$((F + 1))
else
	for str in "${strings[@]}"; do
		expect "JSON round trip of $(printf %q "$str")" 0 '^same$' \
			bash -c 'out=$("$1" "$2" | jq -j ".args[0]") && [[ $out == "$2" ]] && echo same' \
			_ "$J" "$str"
	done
	expect "JSON: invalid UTF-8 becomes U+FFFD" 0 '^"a\\ufffdb\\ufffd"$' \
		bash -c "'$J' \$'a\\xffb\\xc3' | jq -a -r '.args[0]'"
	expect "JSON: the whole document parses" 0 '^3$' bash -c "'$J' a b c | jq -e .argc"
fi

expect "asconf-run --help" 0 '^Usage: asconf-run' "$R" --help
expect "asconf-run without a command" 2 'no COMMAND given' "$R"
expect "asconf-run unknown option" 2 "^asconf-run: unrecognized option '--bogus'" "$R" --bogus true
expect "asconf-run bad --policy" 2 "bad --policy 'a b': a policy name is one word" \
	"$R" --policy 'a b' true
expect "asconf-run, command not found" 127 'cannot run no-such-command: No such file' \
	"$R" no-such-command
expect "asconf-run passes the arguments and the exit status through" 3 '^a b\|c$' \
	"$R" -- sh -c 'echo "$1|$2"; exit 3' sh 'a b' c
expect "asconf-run puts the shim first in LD_PRELOAD and keeps the rest" 0 \
	"^$B/lib/libasconf-preload.so:/nonexistent.so\$" \
	env LD_PRELOAD=/nonexistent.so "$R" sh -c 'echo "$LD_PRELOAD"'
expect "asconf-run --policy and --control reach the shim" 0 '^gold /x/c.sock$' \
	"$R" --policy gold --control /x/c.sock sh -c 'echo "$ASCONF_POLICY $ASCONF_CONTROL"'
cp "$R" "$tmp/asconf-run"
expect "asconf-run without its shim next to it" 125 \
	"cannot use the preload library /.*/libasconf-preload\.so: No such file" \
	"$tmp/asconf-run" true
# A set-user-ID program ignores $ASCONF_CONTROL (secure_getenv): its user
# cannot point it at a socket of their own.  Shown with asconfctl made
# set-user-ID nobody (needs root, and a file system without nosuid), which
# reads the path through the same ctlmsg_path as libasconf; and no client
# reads its environment with plain getenv.
if [[ $(id -u) -eq 0 ]] && cp "$C" "$tmp/suid-asconfctl" && chown nobody "$tmp/suid-asconfctl" &&
	chmod 4755 "$tmp/suid-asconfctl"; then
	expect "set-user-ID client ignores ASCONF_CONTROL" 1 "cannot reach asconfd at /run/asconfd/control\.sock" \
		env ASCONF_CONTROL="$tmp/user.sock" "$tmp/suid-asconfctl" status
	expect "plain client follows ASCONF_CONTROL" 1 "cannot reach asconfd at $tmp/user\.sock" \
		env ASCONF_CONTROL="$tmp/user.sock" "$C" status
else
	echo "SKIP: set-user-ID client ignores ASCONF_CONTROL (needs root)"
fi
R1=$(cd "$B/.." && pwd)
expect "clients read the environment with secure_getenv only" 0 '^none$' \
	bash -c "! grep -nE '(^|[^_])getenv\(' '$R1/agent/lib/libasconf.c' '$R1/agent/proto/ctlmsg.c' '$R1/agent/preload/preload.c' && echo none"
# --help, the README's options table and asconfd(8) name the same long
# options: documentation that drifts from the program is a bug.
R0=$(cd "$B/.." && pwd)
opts_help=$("$D" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort -u)
opts_readme=$(sed -n '/^| option | effect |/,/^$/p' "$R0/README.md" | grep -oE -- '`(-[A-Za-z], )?--[a-z-]+' |
	grep -oE -- '--[a-z-]+' | sort -u)
opts_man=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$R0/docs/asconfd.8" | grep -E '^\.(B|BR|BI) ' |
	sed 's/\\-/-/g' | grep -oE -- '--[a-z-]+' | sort -u)
expect "asconfd --help lists options" 0 '--version' echo "$opts_help"
expect "README's options table = asconfd --help" 0 '^same$' \
	bash -c "diff <(echo '$opts_help') <(echo '$opts_readme') && echo same"
expect "asconfd(8) OPTIONS = asconfd --help" 0 '^same$' \
	bash -c "diff <(echo '$opts_help') <(echo '$opts_man') && echo same"
echo "cli: $P passed, $F failed"
((F == 0))
