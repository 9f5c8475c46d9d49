# SPDX-License-Identifier: GPL-2.0-or-later
# The status for machines on a real association: status --json parses and
# says what the kernel says (bound addresses, the failed address with its
# errno, the association's peer paths with their state and the primary, the
# last change asconfd made); check is OK (0) while all is well and WARNING
# (1) once a socket has a failed address; metrics has HELP/TYPE and the
# per-socket gauges.  The text status shows the same peer paths.
. /extra/lib.sh
trap topo_down EXIT
topo_up

js() { asconfctl status --json | jq -e "$@"; }

check "asconfd starts with --interface c2" start_asconfd --interface c2
managed_assoc
check "check is OK (exit 0) with no failed address" \
	bash -c 'out=$(asconfctl check); st=$?; echo "$out"; [[ $st -eq 0 && $out == "ASCONFD OK - 1 socket(s)"* ]]'
ip -n cli addr add 10.2.0.1/24 dev c2
check "the new address reaches the peer" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "status --json is one valid document" js -c . >/dev/null
check "json: daemon version and netns" js '.daemon.version != null and .daemon.netns == null and .schema == 1'
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = sctp_client ] && client_pid=${p#/proc/}
done
check "json: owner pid and command" \
	js --argjson pid "${client_pid:-0}" '.sockets[0].pid == $pid and .sockets[0].command == "sctp_client"'
check "json: bound addresses" js '.sockets[0].bound == ["10.1.0.1", "10.2.0.1"]'
check "json: last change is the ADD of 10.2.0.1" \
	js '.sockets[0].last_change.op == "add" and .sockets[0].last_change.address == "10.2.0.1"'
check "json: one association whose peer takes ASCONF" \
	js '(.sockets[0].associations | length) == 1 and .sockets[0].associations[0].asconf == true and .sockets[0].peers_told == "yes"'
# The second path is confirmed by a heartbeat some time after c2 gets an
# address: any state the kernel reports is fine for it.
check "json: the peer's two paths, 10.1.0.2 active and primary" \
	js '[.sockets[0].associations[0].paths[] | "\(.address) \(.state) \(.primary)"] | sort |
	    .[0] == "10.1.0.2 active true" and (.[1] | test("^10\\.2\\.0\\.2 (active|inactive|unconfirmed|potentially-failed) false$"))'
# The text status shows the same paths, each under its association.
text_paths() { asconfctl status | sed -nE 's/^    path //p' | sort; }
json_paths() {
	asconfctl -j status | jq -r '.sockets[].associations[].paths[] |
		"\(.address) \(.state)" + (if .primary then " primary" else "" end)' | sort
}
paths_agree() { [ -n "$(text_paths)" ] && [ "$(text_paths)" = "$(json_paths)" ]; }
check "status: the peer path 10.1.0.2, active and primary, under the association" \
	bash -c "asconfctl status | grep -A1 '^  association [0-9]*: ' | grep -q '^    path 10\.1\.0\.2 active primary\$'"
check "status: the peer path 10.2.0.2 with its state, not primary" \
	status_has '^    path 10\.2\.0\.2 (active|inactive|unconfirmed|potentially-failed)$'
check "status and status -j show the same paths, states and primary" paths_agree
check "json: counters count the ADD and the netlink messages" \
	js '.counters.bindx_add >= 1 and .counters.netlink_messages >= 1 and .counters.passes >= 1 and .counters.clients >= 1'
check "json: link c2 is followed and has 10.2.0.1, usable" \
	js '.links[] | select(.name == "c2") | .followed and (.addresses[] | select(.address == "10.2.0.1") | .usable)'

# An address another socket holds: bindx ADD fails with EADDRINUSE.  The
# blocker binds it on lo (not followed); the address then moves to c2, and
# the blocker's socket stays bound to it.
ip -n cli addr add 10.2.0.7/32 dev lo
check "blocker takes 10.2.0.7:6000" start_client_as blocker --listen --bind 10.2.0.7 --port 6000
ip -n cli addr del 10.2.0.7/32 dev lo
ip -n cli addr add 10.2.0.7/24 dev c2
check "the failure is in status, with its holder" \
	wait_status '^  issue: bindx ADD 10\.2\.0\.7: Address already in use \(held by socket inode [0-9]+ of pid [0-9]+ \(sctp_client\)\)$' 5
check "json: the failed address with its errno and holder" \
	js '.sockets[0].errors | length == 1 and (.[0] | .op == "add" and .address == "10.2.0.7" and .errno == 98 and .error == "Address already in use" and (.holder | test("^held by socket inode [0-9]+ of pid [0-9]+ \\(sctp_client\\)$")))'
check "json: counters count the failed ADD" js '.counters.bindx_add_failed >= 1'
asconfctl check >"$WORK/check.out"
st=$?
show check "$WORK/check.out"
check "check is WARNING (exit 1) with a failed address" test "$st" -eq 1
check "check says so in one line" \
	grep -Eq '^ASCONFD WARNING - 1 socket\(s\), .*1 failed address\(es\), 0 peer\(s\) not told, 0 socket\(s\) not taken back after a restart, 0 held only by asconfd \(released\) \(first: socket 1 of pid [0-9]+ sctp_client\) \| ' "$WORK/check.out"
check "check is one line" test "$(wc -l <"$WORK/check.out")" -eq 1
# Thresholds on the problem counts (Monitoring Plugins ranges).
check "check -w 1 tolerates 1 failed address (OK, exit 0)" asconfctl check -w 1
check "check -c 0 makes it CRITICAL (exit 2), saying which count" \
	bash -c 'out=$(asconfctl check -c 0); st=$?; echo "$out"; [[ $st -eq 2 && $out == "ASCONFD CRITICAL - failed=1 outside -c 0; 1 socket(s)"* ]]'
check "check -w 1 -c 2 --min-sockets 2: CRITICAL for the sockets" \
	bash -c 'asconfctl check -w 1 -c 2 --min-sockets 2; [ $? -eq 2 ]'
check "check perfdata carries -w and -c" \
	bash -c 'asconfctl check -w 1 -c 2 | grep -q " failed=1;1;2;0; untold=0;1;2;0; "'

asconfctl metrics >"$WORK/metrics.txt"
check "metrics: exit 0" test $? -eq 0
check "metrics: bindx counters by op and result" \
	grep -Eq '^asconfd_bindx_total\{op="add",result="failed"\} [1-9][0-9]*$' "$WORK/metrics.txt"
check "metrics: per-socket gauges with labels" \
	grep -Eq '^asconfd_socket_failed_addresses\{socket="1",pid="[0-9]+",command="sctp_client",port="6000",policy="default"\} 1$' "$WORK/metrics.txt"
check "metrics: every family has HELP and TYPE before its samples" \
	awk '/^# HELP /{h[$3]=1; next} /^# TYPE /{if (!h[$3]) exit 1; t[$3]=$4; next}
	     { n=$1; sub(/\{.*/, "", n); b=n; sub(/_(sum|count)$/, "", b)
	       if (!t[n] && t[b] != "summary") exit 1; s++ } END { exit s < 20 }' "$WORK/metrics.txt"
check "metrics: asconfd_up 1, the pass-duration summary, untaken and orphans" \
	bash -c "grep -qx 'asconfd_up 1' '$WORK/metrics.txt' &&
		grep -qx '# TYPE asconfd_pass_duration_seconds summary' '$WORK/metrics.txt' &&
		grep -Eq '^asconfd_pass_duration_seconds_sum [0-9]+\.[0-9]{9}$' '$WORK/metrics.txt' &&
		grep -Eq '^asconfd_pass_duration_seconds_count [1-9][0-9]*$' '$WORK/metrics.txt' &&
		grep -qx 'asconfd_sockets_untaken 0' '$WORK/metrics.txt' && grep -qx 'asconfd_orphans 0' '$WORK/metrics.txt'"
check "metrics: no family announced twice" \
	test -z "$(grep '^# TYPE ' "$WORK/metrics.txt" | sort | uniq -d)"

dump_if_failed peer client blocker
if [ "$FAILED" -ne 0 ]; then
	show metrics "$WORK/metrics.txt"
	echo "client pid: $client_pid"
	asconfctl status --json | sed 's/^/    json| /'
fi
finish
