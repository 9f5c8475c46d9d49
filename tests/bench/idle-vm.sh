# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): asconfd with one managed socket in an
# established association, then 10 s with no change; counts the daemon's
# context switches (voluntary + involuntary) over those 10 s.
. /extra/lib.sh
trap topo_down EXIT
topo_up
start_asconfd --interface c2 || { echo "asconfd did not start"; exit 1; }
start_peer 5000 10.1.0.2,10.2.0.2 || exit 1
start_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage || exit 1
grep -q '^MANAGED' "$WORK/client.log" || { echo "not managed"; exit 1; }
pid=
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = asconfd ] && pid=${p#/proc/}
done
[ -n "$pid" ] || { echo "no asconfd process found"; exit 1; }
sleep 1
ctx() { awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$pid/status"; }
before=$(ctx)
sleep 10
after=$(ctx)
echo "idle asconfd wakeups over 10 s: $((after - before)) (context switches $before -> $after)"
