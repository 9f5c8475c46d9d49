# SPDX-License-Identifier: GPL-2.0-or-later
# Out of file descriptors: asconfd under a low limit (ulimit -n 40) and 40
# clients each handing a socket over.  Those beyond the limit get EMFILE
# ("daemon out of file descriptors"), never "request too long"; the daemon
# does not spin (its CPU time stays flat while clients keep knocking, some
# of which have gone before the daemon refuses them); once the clients
# close, service resumes.
. /extra/lib.sh
trap topo_down EXIT
topo_up

# utime + stime, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

export ASCONF_CONTROL=$WORK/control.sock
in_cli bash -c "ulimit -n 40 && exec $ASCONFD --foreground --control $ASCONF_CONTROL --interface c2" \
	>"$WORK/asconfd.log" 2>&1 &
check "asconfd starts with 40 descriptors" wait_line "$WORK/asconfd.log" 'ready: control socket' 5
pid=$(daemon_pid)
check "its limit is 40" grep -Eq '^Max open files +40 +40 ' "/proc/$pid/limits"

for i in $(seq 1 40); do
	in_cli sctp_client --listen --bind 10.1.0.1 --port $((7000 + i)) --manage \
		>"$WORK/c$i.log" 2>&1 &
done
# One deadline for all: a client left waiting (a daemon that neither
# accepts nor refuses) must fail the test, not stall it.
answered() { cat "$WORK"/c*.log 2>/dev/null | grep -cE '^(MANAGED|MANAGE_FAILED)'; }
for ((t = 0; t < 300 && $(answered) < 40; t++)); do sleep 0.1; done
managed=$(cat "$WORK"/c*.log | grep -c '^MANAGED$')
emfile=$(cat "$WORK"/c*.log | grep -c '^MANAGE_FAILED err=-24 daemon out of file descriptors')
other=$(cat "$WORK"/c*.log | grep '^MANAGE_FAILED' | grep -vc 'err=-24 daemon out of file descriptors')
echo "managed $managed, EMFILE $emfile, other failures $other"
cat "$WORK"/c*.log | grep '^MANAGE_FAILED' | grep -v 'err=-24 daemon out of file descriptors' | sed 's/^/    other| /'
check "some clients are managed" test "$managed" -ge 5
check "the others get EMFILE with the reason" test "$emfile" -ge 1
check "every client got an answer" test $((managed + emfile + other)) -eq 40
check "no other failure (no 'request too long')" test "$other" -eq 0
timeout 10 asconfctl status >"$WORK/ctl.out" 2>&1
st=$?
show asconfctl "$WORK/ctl.out"
check "asconfctl is told too (exit 1), with one prefix" \
	bash -c "[ $st -eq 1 ] && grep -q '^asconfctl: daemon out of file descriptors' '$WORK/ctl.out' && ! grep -q 'asconfd: ' '$WORK/ctl.out'"
timeout 10 asconfctl check >"$WORK/check.out" 2>&1
st=$?
show check "$WORK/check.out"
check "check: a daemon out of descriptors is CRITICAL (2)" \
	bash -c "[ $st -eq 2 ] && grep -q '^ASCONFD CRITICAL - daemon out of file descriptors' '$WORK/check.out'"

# Clients keep knocking while the table is full: the daemon answers each
# and stays idle in between.
t0=$(cpu_ticks "$pid")
for i in $(seq 1 10); do timeout 2 asconfctl check >/dev/null 2>&1; sleep 0.3; done
t1=$(cpu_ticks "$pid")
echo "daemon CPU over 3 s while full: $((t1 - t0)) ticks of 10 ms"
grep -E 'not accepting|accepting clients again' "$WORK/asconfd.log" | sed 's/^/    listener| /'
check "no spinning: under 0.5 s of CPU in 3 s" test $((t1 - t0)) -lt 50
if [ $((t1 - t0)) -ge 50 ]; then
	tail -n 30 "$WORK/asconfd.log" | sed 's/^/    spin-log| /'
	ls -l /proc/"$pid"/fd | sed 's/^/    spin-fd| /'
	cat /proc/"$pid"/wchan; echo
fi
check "the refusal is logged, not per client" \
	test "$(grep -c 'out of file descriptors' "$WORK/asconfd.log")" -le 3
check "no 'request too long' anywhere" bash -c "! grep -q 'too long' $WORK/*.log"

for p in $(ip netns pids cli); do
	[ "$(cat /proc/"$p"/comm 2>/dev/null)" = sctp_client ] && kill "$p"
done
released() {
	for ((t = 0; t < 100; t++)); do
		timeout 5 asconfctl status 2>&1 | grep -q ' sockets 0 ' && return 0
		sleep 0.1
	done
	return 1
}
check "clients gone: sockets released" released
check "service resumes: a new client is managed" \
	start_client_as late --listen --bind 10.1.0.1 --port 7100 --manage
check "late client got MANAGED" grep -q '^MANAGED$' "$WORK/late.log"
check "check is OK again" timeout 10 asconfctl check

[ "$FAILED" -eq 0 ] || { ls -l /proc/"$pid"/fd | sed 's/^/    fd| /'; show asconfd "$WORK/asconfd.log"; for i in 1 20 40; do show c$i "$WORK/c$i.log"; done; }
finish
