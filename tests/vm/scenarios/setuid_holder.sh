# SPDX-License-Identifier: GPL-2.0-or-later
# asconfctl manage|release PID FD ask what ptrace would: a user in the
# control group runs a set-user-ID root program (its uids 1000 0 0 0, its
# /proc/PID not readable by the user), and may neither hand over nor
# release that program's socket; root may.  The user's own plain process
# is still the user's to hand over.
. /extra/lib.sh
trap topo_down EXIT
topo_up

as_user() { setpriv --reuid 1000 --regid 4242 --clear-groups -- "$@"; }

conf=$WORK/asconfd.conf
printf '[asconfd]\ncontrol-group = 4242\ncontrol-mode = 0660\n[policy default]\ninterfaces = c2\n' >"$conf"
check "asconfd starts (control-group 4242)" start_asconfd -C "$conf"
check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2

suid=$WORK/suid_client
cp "$(command -v sctp_client)" "$suid"
chown 0:0 "$suid"
chmod 4755 "$suid"
chmod 0755 "$WORK"
in_cli setpriv --reuid 1000 --regid 4242 --clear-groups -- "$suid" --bind 10.1.0.1 \
	--port 6300 --connect 10.1.0.2 --peer-port 5000 >"$WORK/suid.log" 2>&1 &
PIDS[suid]=$!
check "user 1000 runs a set-user-ID root client" wait_line "$WORK/suid.log" '^CONNECTED' 10
pid=$(real_pid "${PIDS[suid]}")
fd=$(sock_fd "$pid")
check "  ... its uids are 1000 0 0 0" grep -Eq '^Uid:\s+1000\s+0\s+0\s+0$' "/proc/$pid/status"
check "  ... and user 1000 cannot read its descriptors" bash -c "$(declare -f as_user); ! as_user ls /proc/$pid/fd >/dev/null 2>&1"

check "user 1000 may not hand it over" \
	bash -c "$(declare -f as_user); ! as_user asconfctl manage $pid $fd 2>$WORK/err.txt"
check "  ... and is told why" grep -q "process $pid runs with uids 1000 0 0 0" "$WORK/err.txt"
check "  ... the daemon logged the refusal" \
	wait_line "$WORK/asconfd.log" "asconfctl manage $pid $fd \(uid 1000\): process $pid runs with uids 1000 0 0 0" 2
check "  ... nothing is managed" status_has ' sockets 0 '

check "root may hand it over" bash -c "asconfctl manage $pid $fd >$WORK/out.txt"
check "user 1000 may not release it" \
	bash -c "$(declare -f as_user); ! as_user asconfctl release $pid $fd 2>$WORK/err.txt"
check "  ... and is told why" grep -q "process $pid runs with uids 1000 0 0 0" "$WORK/err.txt"
check "  ... it stays managed" status_has ' sockets 1 '
ip -n cli addr add 10.2.0.1/24 dev c2
check "  ... and its peer hears ADDR_ADDED 10.2.0.1" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5

# The user's own plain process: still the user's to hand over.
in_cli setpriv --reuid 1000 --regid 4242 --clear-groups -- sctp_client --bind 10.1.0.1 \
	--port 6301 --connect 10.1.0.2 --peer-port 5000 >"$WORK/plain.log" 2>&1 &
PIDS[plain]=$!
check "user 1000 runs a plain client" wait_line "$WORK/plain.log" '^CONNECTED' 10
ppid=$(real_pid "${PIDS[plain]}")
pfd=$(sock_fd "$ppid")
check "user 1000 may hand its own over" \
	bash -c "$(declare -f as_user); as_user asconfctl manage $ppid $pfd >$WORK/out2.txt"
check "  ... and release it" \
	bash -c "$(declare -f as_user); as_user asconfctl release $ppid $pfd"

dump_if_failed peer suid plain
finish
