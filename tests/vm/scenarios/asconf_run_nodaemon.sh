# SPDX-License-Identifier: GPL-2.0-or-later
# asconf-run where asconfd cannot help: an unmodified sctp_darn bound to
# the wildcard under a policy that does not narrow it (narrow-wildcard =
# no; narrow_wildcard.sh has the default) is left to the kernel without a
# word; with an unknown
# --policy the daemon's reason is printed once; with no daemon at all
# sctp_darn works as it does without asconf-run, after exactly one warning.
. /extra/lib.sh
trap topo_down EXIT
topo_up

# exited NAME: sctp_darn NAME ended as it does without asconf-run: its
# status is the length of the last message it sent ("seq N\n" and a NUL).
exited() {
	local st=0
	wait "${PIDS[$1]}" || st=$?
	[ "$st" -eq 7 ] || { echo "    $1 exited $st, not 7"; return 1; }
}
not() { ! "$@"; }

printf '[policy default]\nnarrow-wildcard = no\n' >"$WORK/asconfd.conf"
check "asconfd starts with --interface c2" start_asconfd -C "$WORK/asconfd.conf" --interface c2
check "peer listens on 5000" start_peer_as peer 5000 10.1.0.2,10.2.0.2 --every 1

# --- bound to the wildcard: silently left alone ---
darn wild -H 0.0.0.0 -P 6003 -h 10.1.0.2 -p 5000 -s
say_darn wild "seq 0"
check "wildcard: the association comes up" wait_line "$WORK/peer.log" '^ASSOC_UP' 10
check "wildcard: data flows" wait_line "$WORK/peer.log" '^DATA seq=0$' 5
check "wildcard: status lists no socket" status_has ' sockets 0 '
check "wildcard: sctp_darn exits at the end of its input" end_darn wild
check "wildcard: exit status 7 (its last message's length), as without asconf-run" exited wild
check "wildcard: the shim printed nothing" test ! -s "$WORK/wild.err"
check "wildcard: asconfd was not even asked" not grep -Eq 'refused|managed for' "$WORK/asconfd.log"

# --- an unknown policy: the daemon's reason, once ---
darn policy --policy nosuch -H 10.1.0.1 -P 6005 -h 10.1.0.2 -p 5000 -s
say_darn policy "seq 1"
check "unknown policy: data flows" wait_line "$WORK/peer.log" '^DATA seq=1$' 10
check "unknown policy: sctp_darn exits at the end of its input" end_darn policy
check "unknown policy: exit status 7 (its last message's length), as without asconf-run" exited policy
check "unknown policy: one line naming it" \
	[ "$(wc -l <"$WORK/policy.err")" -eq 1 ]
check "unknown policy: which says why" \
	grep -Eq "^asconf-run\[[0-9]+\]: asconfd refused a socket of sctp_darn: unknown policy 'nosuch'" \
	"$WORK/policy.err"

# --- no daemon ---
stop_pid "$ASCONFD_PID"
check "asconfd is stopped" test ! -S "$WORK/control.sock"
darn alone -H 10.1.0.1 -P 6004 -h 10.1.0.2 -p 5000 -s
say_darn alone "seq 2"
check "no daemon: a third association comes up" assocs_up 3
check "no daemon: data flows" wait_line "$WORK/peer.log" '^DATA seq=2$' 10
say_darn alone "seq 3"
check "no daemon: and keeps flowing" wait_line "$WORK/peer.log" '^DATA seq=3$' 5
check "no daemon: sctp_darn exits at the end of its input" end_darn alone
check "no daemon: exit status 7 (its last message's length), as without asconf-run" exited alone
check "no daemon: exactly one line on stderr" [ "$(wc -l <"$WORK/alone.err")" -eq 1 ]
check "no daemon: the warning says what and where" \
	grep -Eq '^asconf-run\[[0-9]+\]: cannot reach asconfd at .*/control\.sock .*: sctp_darn runs without address management$' \
	"$WORK/alone.err"

dump_if_failed peer wild policy alone
if [ "$FAILED" -ne 0 ]; then
	for n in wild policy alone; do show "$n.err" "$WORK/$n.err"; done
fi
finish
