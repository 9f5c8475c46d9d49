# SPDX-License-Identifier: GPL-2.0-or-later
# What is at the state path and who owns the directories (issue 20,
# finding 6).  A FIFO at the state path: the daemon starts without taking
# any socket again, logs an error naming the path, serves, and its next
# write replaces the FIFO with the file; SIGTERM ends it.  (It used to
# hang in open() before it was ready, SIGTERM blocked.)  A control socket
# or state file directory owned by another user, group-writable, or
# sticky and world-writable like /tmp: the daemon refuses to start and
# names the directory, its owner and mode.
. /extra/lib.sh
trap topo_down EXIT
topo_up

STATE=$WORK/state

# gone PID SECONDS: true once PID has exited.
gone() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

mkfifo "$STATE"
check "fifo: asconfd starts with a FIFO at the state path" start_asconfd --interface c2
check "fifo: it logs an error naming the path" \
	grep -q "state file $STATE ignored: not a regular file (a FIFO): not read" "$WORK/asconfd.log"
# Within 5 s: the old code never answered (asconfctl would wait for ever).
serves() { timeout 5 asconfctl status 2>&1 | grep -q '^asconfd '; }
check "fifo: it serves" serves
managed_assoc
check "fifo: a hand-over replaced the FIFO with the state file" \
	bash -c "[ -f '$STATE' ] && [ ! -p '$STATE' ] && grep -q '^asconfd-state 1\$' '$STATE'"
pid=$(daemon_pid)
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	check "fifo: SIGTERM ends it within 5 s" gone "$pid" 5
	kill -KILL "$pid" 2>/dev/null   # the old code: blocked in open()
else
	fail "fifo: no asconfd to send SIGTERM to"
fi
wait "$ASCONFD_PID" 2>/dev/null
stop_asconfd_checked
kill "$CLIENT_PID" "$PEER_PID" 2>/dev/null
wait "$CLIENT_PID" "$PEER_PID" 2>/dev/null

# refused LABEL REGEX ARGS...: asconfd exits 1 within 10 s, its stderr
# matching REGEX.
refused() {
	local label=$1 re=$2 rc
	shift 2
	in_cli timeout 10 "$ASCONFD" --foreground "$@" >"$WORK/refused.txt" 2>&1
	rc=$?
	check "$label: asconfd refuses to start (exit 1, got $rc)" [ "$rc" -eq 1 ]
	check "$label: it names the directory, owner and mode" grep -Eq -- "$re" "$WORK/refused.txt"
	grep -q . "$WORK/refused.txt" && show "$label" "$WORK/refused.txt"
	pkill_exact "$ASCONFD"
}

# pkill_exact NAME: ends what a refused start left running (the old code).
pkill_exact() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && kill -KILL "${p#/proc/}" 2>/dev/null
	done
	return 0
}

mkdir -m 0755 "$WORK/foreign"
chown 65534:65534 "$WORK/foreign"
refused "foreign control dir" \
	"refusing to start: control socket's directory $WORK/foreign: owned by uid 65534, mode 0755: owned by another user" \
	--interface c2 --control "$WORK/foreign/c.sock" --state "$WORK/s1"

mkdir -m 0755 "$WORK/ok"
mkdir -m 0775 "$WORK/group"
refused "group-writable state dir" \
	"refusing to start: state file's directory $WORK/group: owned by uid 0, mode 0775: writable by group or others" \
	--interface c2 --control "$WORK/ok/c.sock" --state "$WORK/group/state"

mkdir -m 1777 "$WORK/sticky"
refused "sticky world-writable state dir" \
	"refusing to start: state file's directory $WORK/sticky: owned by uid 0, mode 1777" \
	--interface c2 --control "$WORK/ok/c.sock" --state "$WORK/sticky/state"

# Under another user's directory, even one of root's inside it.
mkdir -m 0755 "$WORK/foreign/inner"
refused "root's directory inside another user's" \
	"control socket's directory $WORK/foreign: owned by uid 65534" \
	--interface c2 --control "$WORK/foreign/inner/c.sock" --state ""
check "refused: no control socket was left behind" \
	bash -c "! ls '$WORK/foreign/c.sock' '$WORK/foreign/inner/c.sock' '$WORK/ok/c.sock' 2>/dev/null"

dump_if_failed peer client
finish
