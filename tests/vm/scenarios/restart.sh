# SPDX-License-Identifier: GPL-2.0-or-later
# A daemon killed (SIGKILL) or stopped (SIGTERM) and started again takes
# back the sockets it managed, from its state file, with no action by the
# application (sctp_client does nothing after asconf_manage): a later add
# and a later delete reach the peer.  SIGTERM leaves the bindings alone.
# A state file naming a pid that has exited, or a live pid whose descriptor
# is another socket now (pid or descriptor reused), is logged and ignored;
# a corrupt one too, and the daemon still starts.  Where the daemon may not
# take a socket itself, libasconf hands it over again by itself.  A second
# instance started beside the first says why it cannot, as its last line.
. /extra/lib.sh
trap topo_down EXIT
topo_up

STATE=$WORK/state

# restart_daemon LABEL: start asconfd again; the old log is kept aside.
restart_daemon() {
	[ -f "$WORK/asconfd.log" ] && cat "$WORK/asconfd.log" >>"$WORK/asconfd-before.txt"
	check "$1: asconfd starts again" start_asconfd --interface c2
}

# add_and_delete LABEL ADDR: both reach the peer.
add_and_delete() {
	ip -n cli addr add "$2"/24 dev c2
	check "$1: an add reaches the peer" wait_line "$WORK/peer.log" "^ADDR_ADDED ${2//./\\.} " 5
	ip -n cli addr del "$2"/24 dev c2
	check "$1: a delete reaches the peer" wait_line "$WORK/peer.log" "^ADDR_REMOVED ${2//./\\.} " 5
}

check "asconfd starts with --interface c2" start_asconfd --interface c2

# A second instance on the same control socket does not start (exit 1); its
# fatal line comes last, after what it logged before (-v: every address of
# its first dump, flags and scope by name).
in_cli "$ASCONFD" --foreground -v --control "$ASCONF_CONTROL" --interface c2 \
	>"$WORK/second.log" 2>&1
rc=$?
check "a second asconfd on the same control socket exits 1 (got $rc)" [ "$rc" -eq 1 ]
check "  ... its last line says why" \
	bash -c "tail -n 1 '$WORK/second.log' | grep -q '^asconfd: another asconfd is already listening on '"
check "  ... after the lines it had logged" \
	grep -Eq '^asconfd: address 127\.0\.0\.1/8 new on lo \(scope host permanent\)$' "$WORK/second.log"
check "  ... said once" test "$(grep -c 'another asconfd' "$WORK/second.log")" -eq 1

managed_assoc
client=$(real_pid "$CLIENT_PID")
# With its socket's cookie (SO_COOKIE, every kernel this tier boots has it).
check "the state file names the client's pid and its socket's cookie" \
	grep -Eq "^$client [0-9]+ [0-9]+ default cookie=[1-9][0-9]*$" "$STATE"

# SIGKILL: no chance to say goodbye.
kill -KILL "$(daemon_pid)"
wait "$ASCONFD_PID" 2>/dev/null
restart_daemon sigkill
check "sigkill: the socket was taken again before the daemon was ready" \
	before "$WORK/asconfd.log" "socket 1: taken again from pid $client " 'ready: control socket'
check "sigkill: status lists it under the client's pid" status_has "^socket 1 pid $client "
add_and_delete sigkill 10.2.0.1

# SIGTERM: bindings stay as they are (no REM at exit).
ip -n cli addr add 10.2.0.5/24 dev c2
check "sigterm: 10.2.0.5 reaches the peer first" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.5 ' 5
stop_asconfd_checked
check "sigterm: no address removed at exit" no_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.5 ' 1
check "sigterm: the association lives on" no_line "$WORK/peer.log" '^ASSOC_DOWN' 1
ip -n cli addr del 10.2.0.5/24 dev c2
restart_daemon sigterm
check "sigterm: the socket was taken again" grep -q "taken again from pid $client " "$WORK/asconfd.log"
check "sigterm: 10.2.0.5, gone while the daemon was down, is removed" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.5 ' 5
add_and_delete sigterm 10.2.0.3

# Stale entries: a pid that has exited; a live pid whose descriptor 0 is
# not the socket recorded; the client's own pid, descriptor and inode with
# another cookie (what a socket that got the inode after sockfs's counter
# wrapped would look like), listed before the right line.
stop_asconfd_checked
sleep 0 & dead=$!
wait "$dead"
in_cli sleep 600 & other=$!
sleep 0.2
good=$(grep "^$client " "$STATE")
wrong="${good% cookie=*} cookie=$((${good##*cookie=} + 1))"
printf 'asconfd-state 1\n%s 5 424242 default\n%s 0 434343 default\n%s\n%s\n' \
	"$dead" "$(real_pid "$other")" "$wrong" "$good" >"$STATE"
restart_daemon stale
check "stale: the exited pid is logged and skipped" \
	grep -q "state: pid $dead has exited" "$WORK/asconfd.log"
check "stale: the reused pid/descriptor is logged and skipped" \
	grep -Eq "state: pid $(real_pid "$other") descriptor 0 is not the socket that was managed" \
	"$WORK/asconfd.log"
check "stale: the same inode with another cookie is refused as not the same socket" \
	grep -Eq "state: pid $client descriptor [0-9]+ is not the socket that was managed \(inode [0-9]+, cookie [0-9]+, now [0-9]+\): not the same socket" \
	"$WORK/asconfd.log"
check "stale: the live socket is taken again" grep -q "taken again from pid $client " "$WORK/asconfd.log"
check "stale: status has exactly that one" status_has ' sockets 1 '
check "stale: the state file is rewritten without the stale entries" \
	bash -c "[ \$(grep -c . '$STATE') -eq 2 ]"
add_and_delete stale 10.2.0.4

# Where the daemon may not take the socket itself (here: the unit's
# capability set, no CAP_SYS_PTRACE over a root client), libasconf hands it
# over again by itself once the daemon is back, with no call by the
# application.
stop_asconfd_checked
ASCONFD_WRAP=(setpriv --bounding-set -all,+net_admin,+sys_admin --inh-caps -all --)
t0=$(monotime)
restart_daemon noptrace
ASCONFD_WRAP=()
check "noptrace: the daemon could not take it and says why" \
	grep -q "state: pid $client descriptor [0-9]*: pidfd_getfd: Operation not permitted (needs CAP_SYS_PTRACE" \
	"$WORK/asconfd.log"
check "noptrace: libasconf hands it over again by itself" \
	wait_status "^socket 1 pid $client " 8
t1=$(monotime)
echo "    daemon started -> socket handed over again: $(((t1 - t0) / 1000)) ms"
check "noptrace: it says so" grep -q "socket 1: managed for pid $client " "$WORK/asconfd.log"
add_and_delete noptrace 10.2.0.6

# Corrupt: logged, ignored, the daemon serves.
stop_asconfd_checked
printf 'garbage\x01\n' >"$STATE"
restart_daemon corrupt
check "corrupt: the daemon says the state file is ignored" \
	grep -q "state file $STATE ignored: line 1: not an asconfd state file" "$WORK/asconfd.log"
check "corrupt: the daemon serves" status_has '^asconfd '
check "corrupt: libasconf hands the client's socket over again" \
	wait_status "^socket 1 pid $client " 5

dump_if_failed peer client second
finish
