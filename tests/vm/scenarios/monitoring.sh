# SPDX-License-Identifier: GPL-2.0-or-later
# Monitoring against a live daemon (issue 23): asconfctl check with
# --min-sockets (CRITICAL with too few sockets, OK with enough), its
# perfdata; a socket not taken back after a restart is WARNING until its
# owner exits; a monitor-group user reads status, status --json, check and
# metrics but MANAGE, RELEASE-PID and RELOAD are refused, and a user in no
# group is UNKNOWN; a stopped (SIGSTOP) daemon is UNKNOWN within -t and
# metrics say asconfd_up 0; a daemon that is gone is CRITICAL.
. /extra/lib.sh
trap topo_down EXIT
topo_up
conf=$WORK/asconfd.conf
printf '[asconfd]\ncontrol-group = 4242\ncontrol-mode = 0660\nmonitor-group = 4243\n' >"$conf"
printf '[policy default]\ninterfaces = c2\n' >>"$conf"
mon=(setpriv --reuid=1000 --regid=1000 --groups=4243 --)
nobody=(setpriv --reuid=1001 --regid=1001 --clear-groups --)

check "asconfd starts (control-group 4242, monitor-group 4243)" start_asconfd -C "$conf"
check "monitor socket next to the control socket, mode 666" \
	[ -S "$WORK/monitor.sock" -a "$(stat -c %a "$WORK/monitor.sock")" = 666 ]
check "0 sockets: check is OK (exit 0)" asconfctl check
check "0 sockets: check --min-sockets 1 is CRITICAL (exit 2), saying why" \
	bash -c 'out=$(asconfctl check --min-sockets 1); st=$?; echo "$out"; [[ $st -eq 2 &&
		$out == "ASCONFD CRITICAL - fewer than 1 socket(s) managed (--min-sockets); 0 socket(s)"* ]]'

managed_assoc
asconfctl check --min-sockets 1 >"$WORK/check.out"
st=$?
show check "$WORK/check.out"
check "1 socket: check --min-sockets 1 is OK (exit 0)" test "$st" -eq 0
check "  ... perfdata: every count, with the thresholds" \
	grep -Eq '^ASCONFD OK - 1 socket\(s\), .* \| sockets=1;;1:;0; bound=1;;;0; associations=1;;;0; failed=0;0;;0; untold=0;0;;0; untaken=0;0;;0; orphans=0;0;;0; unknown=0;;;0;$' \
	"$WORK/check.out"
check "1 socket: check --min-sockets 2 is CRITICAL (exit 2)" \
	bash -c 'asconfctl check --min-sockets 2; [ $? -eq 2 ]'

# Read-only access: uid 1000 in group 4243 only.
check "monitor-group user: not in the control group (EACCES there)" \
	bash -c "! ${mon[*]} asconfctl --control '$WORK/control.sock' manage 1 0 2>'$WORK/err.txt'"
check "  ... status lists the socket (through monitor.sock)" \
	bash -c "${mon[*]} asconfctl status | grep -Eq '^socket 1 pid [0-9]+ '"
check "  ... status --json parses" bash -c "${mon[*]} asconfctl status --json | jq -e '.sockets | length == 1'"
check "  ... check is OK (exit 0)" bash -c "${mon[*]} asconfctl check --min-sockets 1 | grep -q '^ASCONFD OK - 1 socket'"
check "  ... metrics say asconfd_up 1" bash -c "${mon[*]} asconfctl metrics | grep -qx 'asconfd_up 1'"
pid=$(real_pid "$CLIENT_PID")
fd=$(sock_fd "$pid")
check "  ... manage PID FD on the monitor socket is refused (EPERM)" \
	bash -c "! ${mon[*]} asconfctl --control '$WORK/monitor.sock' release $pid $fd 2>'$WORK/err.txt' &&
		grep -q 'the monitor socket serves STATUS only' '$WORK/err.txt'"
check "  ... reload on the monitor socket is refused" \
	bash -c "! ${mon[*]} asconfctl --control '$WORK/monitor.sock' reload 2>'$WORK/err.txt' &&
		grep -q 'the monitor socket serves STATUS only' '$WORK/err.txt'"
ASCONF_CONTROL="$WORK/monitor.sock" in_cli sctp_client --as 1000:4243 \
	--bind 10.1.0.1 --port 6002 --connect 10.1.0.2 --peer-port 5000 --manage \
	>"$WORK/monmanage.log" 2>&1 &
PIDS[monmanage]=$!
check "  ... a client's MANAGE on the monitor socket is refused (EPERM)" \
	wait_line "$WORK/monmanage.log" '^MANAGE_FAILED err=-1 .*monitor socket serves STATUS only' 10
check "  ... the socket is still managed, once" status_has ' sockets 1 '
check "a user in neither group: check is UNKNOWN (exit 3), not CRITICAL" \
	bash -c "out=\$(${nobody[*]} asconfctl check); st=\$?; echo \"\$out\"; [[ \$st -eq 3 &&
		\$out == 'ASCONFD UNKNOWN - uid 1001 is not in monitor-group' ]]"
check "  ... refused at accept, logged" grep -q 'refused a client of uid 1001 on the monitor socket' "$WORK/asconfd.log"

# A stopped daemon does not hang the check: UNKNOWN within -t.
kill -STOP "$(daemon_pid)"
check "SIGSTOPped daemon: check -t 2 is UNKNOWN (exit 3) within 3 s" \
	bash -c 's=$EPOCHREALTIME; out=$(asconfctl check -t 2); st=$?;
		e=$(awk -v a="$s" -v b="$EPOCHREALTIME" "BEGIN { printf \"%d\", (b - a) * 1000 }");
		echo "$out ($e ms)"; [[ $st -eq 3 && -n $e && $e -ge 1900 && $e -lt 3000 &&
		$out == "ASCONFD UNKNOWN - no answer from asconfd within 2 s (-t)" ]]'
check "SIGSTOPped daemon: metrics --textfile says asconfd_up 0 (exit 1)" \
	bash -c "asconfctl metrics --textfile '$WORK/asconfd.prom'; [ \$? -eq 1 ] && grep -qx 'asconfd_up 0' '$WORK/asconfd.prom'"
kill -CONT "$(daemon_pid)"
check "continued: metrics --textfile has every family, asconfd_up 1 (exit 0)" \
	bash -c "asconfctl metrics --textfile '$WORK/asconfd.prom' && grep -qx 'asconfd_up 1' '$WORK/asconfd.prom' &&
		grep -Eq '^asconfd_pass_duration_seconds_count [1-9]' '$WORK/asconfd.prom' &&
		grep -Eq '^asconfd_pass_duration_seconds_sum [0-9]+\.[0-9]{9}$' '$WORK/asconfd.prom' &&
		grep -qx 'asconfd_sockets_untaken 0' '$WORK/asconfd.prom' && grep -qx 'asconfd_orphans 0' '$WORK/asconfd.prom'"

# Not taken back: a socket handed over by PID (the program never calls
# libasconf, so nothing hands it over again), then a daemon restarted
# without CAP_SYS_PTRACE cannot take it (pidfd_getfd: EPERM).
in_cli sctp_client --bind 10.1.0.1 --port 6003 --connect 10.1.0.2 --peer-port 5000 \
	>"$WORK/bypid.log" 2>&1 &
PIDS[bypid]=$!
check "an unmanaged client connects" wait_line "$WORK/bypid.log" '^CONNECTED' 10
bpid=$(real_pid "${PIDS[bypid]}")
check "asconfctl manage PID FD" asconfctl manage "$bpid" "$(sock_fd "$bpid")"
check "check --min-sockets 2 is OK with both" asconfctl check --min-sockets 2
stop_pid "$ASCONFD_PID"
check "gone daemon: check is CRITICAL (exit 2)" bash -c 'asconfctl check; [ $? -eq 2 ]'
check "gone daemon: metrics print asconfd_up 0, exit 1" \
	bash -c 'out=$(asconfctl metrics); st=$?; [[ $st -eq 1 && $out == *$'"'"'\nasconfd_up 0'"'"' ]]'
ASCONFD_WRAP=(setpriv --bounding-set -sys_ptrace --inh-caps -sys_ptrace --)
check "asconfd restarts without CAP_SYS_PTRACE" start_asconfd -C "$conf"
ASCONFD_WRAP=()
check "  ... neither socket is taken back by pidfd_getfd" \
	wait_line "$WORK/asconfd.log" 'state file .*: 0 of 2 socket\(s\) managed again' 5
# libasconf's client hands its socket over again by itself; the one handed
# over by PID stays not taken back.
wait_check() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		asconfctl check >"$WORK/check.out"
		CHECK_ST=$?
		grep -Eq -- "$1" "$WORK/check.out" && return 0
		sleep 0.1
	done
	return 1
}
check "  ... libasconf's hands its socket over again; check is WARNING: 1 not taken back" \
	wait_check '^ASCONFD WARNING - 1 socket\(s\), .*, 1 socket\(s\) not taken back after a restart.* sockets=1;;;0; .*untaken=1;0;;0; ' 10
show check "$WORK/check.out"
check "  ... exit 1" test "$CHECK_ST" -eq 1
check "  ... -w 1 tolerates it (OK)" asconfctl check -w 1
check "  ... metrics: asconfd_sockets_untaken 1" bash -c "asconfctl metrics | grep -qx 'asconfd_sockets_untaken 1'"
stop_pid "${PIDS[bypid]}"
check "  ... its owner exited: check is OK again" asconfctl check --min-sockets 1

dump_if_failed peer client monmanage bypid
finish
