# SPDX-License-Identifier: GPL-2.0-or-later
# The service manager's notifications (Type=notify), with a stand-in
# listener: READY=1 only once the control socket accepts, STATUS= with the
# sockets and addresses as they change, WATCHDOG=1 at half WATCHDOG_USEC
# and no watchdog timer without it; both a path and an abstract socket.
. /extra/lib.sh
trap topo_down EXIT
topo_up

# 1. A path, no watchdog.
in_cli notify_listen "$WORK/notify.sock" >"$WORK/notify1.log" 2>&1 &
check "listener 1 up" wait_line "$WORK/notify1.log" '^LISTENING' 5
export NOTIFY_SOCKET=$WORK/notify.sock
check "asconfd starts with --interface c2" start_asconfd --interface c2
unset NOTIFY_SOCKET
check "READY=1 arrives" wait_line "$WORK/notify1.log" '^MSG READY=1$' 5
check "the control socket accepts once READY=1 is sent" asconfctl status
check "STATUS= says sockets and addresses" \
	wait_line "$WORK/notify1.log" '^MSG STATUS=0 socket\(s\) managed, 0 address\(es\) followed, 0 failed' 5
managed_assoc
ip -n cli addr add 10.2.0.1/24 dev c2
check "STATUS= follows: 1 socket, 1 address" \
	wait_line "$WORK/notify1.log" '^MSG STATUS=1 socket\(s\) managed, 1 address\(es\) followed, 0 failed' 5
check "READY=1 is sent once" test "$(grep -c '^MSG READY=1$' "$WORK/notify1.log")" -eq 1
check "no watchdog without WATCHDOG_USEC" no_line "$WORK/notify1.log" 'WATCHDOG=1' 1
pid=$(daemon_pid)
# The daemon's own timers are the retry, hold-down, state-file and (under a
# service manager) STATUS= timers, all disarmed while idle; a watchdog
# would be a fifth.
check "no watchdog timer: only the retry, hold-down, state-file and status timers" \
	test "$(ls -l /proc/"$pid"/fd 2>/dev/null | grep -c 'anon_inode:\[timerfd\]')" -eq 4
# The STATUS= timer runs only while a line waits: idle, nothing wakes up.
sleep 1
check "idle under a service manager: no wakeup over 3 s" test "$(wakeups "$pid" 3)" -eq 0
stop_pid "$CLIENT_PID"
stop_pid "$PEER_PID"
stop_asconfd_checked

# 2. An abstract socket, with a watchdog of 400 ms: kicks every 200 ms.
in_cli notify_listen "@asconfd-test-$$" >"$WORK/notify2.log" 2>&1 &
check "listener 2 up" wait_line "$WORK/notify2.log" '^LISTENING' 5
export NOTIFY_SOCKET=@asconfd-test-$$ WATCHDOG_USEC=400000
check "asconfd starts with a watchdog" start_asconfd --interface c2
unset NOTIFY_SOCKET WATCHDOG_USEC
check "READY=1 arrives on the abstract socket" wait_line "$WORK/notify2.log" '^MSG READY=1$' 5
sleep 2
n=$(grep -c '^MSG WATCHDOG=1$' "$WORK/notify2.log")
check "WATCHDOG=1 about every 200 ms ($n in 2 s)" test "$n" -ge 5 -a "$n" -le 14
stop_asconfd_checked

# 3. A watchdog meant for another process (WATCHDOG_PID) is not ours.
in_cli notify_listen "@asconfd-test3-$$" >"$WORK/notify3.log" 2>&1 &
check "listener 3 up" wait_line "$WORK/notify3.log" '^LISTENING' 5
export NOTIFY_SOCKET=@asconfd-test3-$$ WATCHDOG_USEC=200000 WATCHDOG_PID=1
check "asconfd starts" start_asconfd --interface c2
unset NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID
check "READY=1 arrives" wait_line "$WORK/notify3.log" '^MSG READY=1$' 5
check "no WATCHDOG=1 for another pid's watchdog" no_line "$WORK/notify3.log" 'WATCHDOG=1' 1

[ "$FAILED" -eq 0 ] || for f in notify1 notify2 notify3; do show "$f" "$WORK/$f.log"; done
dump_if_failed peer client
finish
