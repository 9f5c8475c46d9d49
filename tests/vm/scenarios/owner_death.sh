# SPDX-License-Identifier: GPL-2.0-or-later
# When the process that handed a socket over is killed (SIGKILL: no
# asconf_release, no goodbye) while its connection to the daemon lives on
# in a child it forked, the daemon lets its duplicate go within 1 s,
# so the peer sees the association end as it would without asconfd; an
# idle daemon with a managed socket does not wake up at all meanwhile.
# Then again with the daemon under the shipped unit's capability bounding
# set (no CAP_SYS_PTRACE, no CAP_DAC_OVERRIDE), with a root owner and a
# non-root owner: the orphan check cannot read their /proc/PID/fd, which
# must count as "unknown" (the socket stays managed and follows the
# addresses) and never as "gone".
. /extra/lib.sh
trap topo_down EXIT
topo_up

UNIT_CAPS=(setpriv --bounding-set -all,+net_admin,+sys_admin --inh-caps -all --)

# one_case LABEL "DAEMON WRAP" "CLIENT WRAP" IDLE
one_case() {
	local label=$1 idle=$4 pid t0 t1 n
	read -ra ASCONFD_WRAP <<<"$2"
	read -ra cwrap <<<"$3"
	check "$label: asconfd starts" start_asconfd --interface c2
	chmod 0666 "$ASCONF_CONTROL"
	check "$label: peer listens" start_peer 5000 10.1.0.2,10.2.0.2
	in_cli "${cwrap[@]}" sctp_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 \
		--peer-port 5000 --manage --fork-idle >"$WORK/client.log" 2>&1 &
	CLIENT_PID=$!
	check "$label: client is managed" wait_line "$WORK/client.log" '^MANAGED' 10
	check "$label: client forked a child that keeps the connection" \
		wait_line "$WORK/client.log" '^IDLE_CHILD' 5
	check "$label: peer saw the association" wait_line "$WORK/peer.log" '^ASSOC_UP' 5
	# A pass and a status both run the orphan check.
	ip -n cli addr add 10.2.0.1/24 dev c2
	check "$label: an add still reaches the peer" \
		wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
	check "$label: the socket stays managed after a pass and a status" \
		status_has ' sockets 1 '
	if [ "$idle" = idle ]; then
		pid=$(daemon_pid)
		sleep 1
		n=$(wakeups "$pid" 10)
		echo "    idle daemon wakeups over 10 s with a managed socket: $n"
		check "$label: no daemon wakeup in 10 s idle" [ "$n" -eq 0 ]
	fi
	t0=$(monotime)
	kill -KILL "$(real_pid "$CLIENT_PID")"
	check "$label: the peer sees the association end" \
		wait_line "$WORK/peer.log" '^ASSOC_DOWN' 5
	t1=$(sed -n 's/^ASSOC_DOWN .* t_us=\([0-9]*\).*/\1/p' "$WORK/peer.log" | head -1)
	t1=${t1:-$(monotime)}
	echo "    owner killed -> peer's ASSOC_DOWN: $(((t1 - t0) / 1000)) ms"
	check "$label: ... within 1 s" [ $((t1 - t0)) -lt 1000000 ]
	check "$label: the daemon says why" \
		grep -Eq 'owner pid [0-9]+ exited: released 1 socket' "$WORK/asconfd.log"
	check "$label: status shows no socket" status_has ' sockets 0 '
	kill "$(sed -n 's/^IDLE_CHILD pid=//p' "$WORK/client.log")" 2>/dev/null
	dump_if_failed peer client
	stop_asconfd_checked
	stop_pid "$PEER_PID"
	wait "$CLIENT_PID" 2>/dev/null
	ip -n cli addr del 10.2.0.1/24 dev c2
	cp "$WORK/asconfd.log" "$WORK/asconfd-$label.log.old"
}

one_case full "" "" idle
one_case unit-root "${UNIT_CAPS[*]}" ""
one_case unit-user "${UNIT_CAPS[*]}" "setpriv --reuid 1000 --regid 1000 --clear-groups --"
finish
