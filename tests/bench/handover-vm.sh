# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): N one-to-many sockets with an association
# each (assocfarm, as make compare's "N associations" rows) handed over to
# asconfd in a burst, then ROUNDS address adds: the time to hand them all
# over, and from each add to the first and the last peer told, with
# asconfd's pass lines.  Usage: handover-vm.sh [N [ROUNDS]]
. /extra/lib.sh
trap topo_down EXIT
N=${1:-1000}
ROUNDS=${2:-3}
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
topo_up
start_asconfd --interface c2 || { echo "asconfd did not start"; exit 1; }
in_srv sctp_peer --port 5100 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer.log" 2>&1 &
wait_line "$WORK/peer.log" '^LISTENING' 5 || exit 1
in_cli assocfarm --count "$N" --port 20000 --connect 10.1.0.2 --peer-port 5100 \
	--bind 10.1.0.1 --manage >"$WORK/farm.log" 2>&1 &
wait_line "$WORK/farm.log" '^CONNECTED' 300 || { cat "$WORK/farm.log"; exit 1; }
t0=$(now_us)
wait_line "$WORK/farm.log" '^(READY|MANAGE_FAILED)' 600 || { cat "$WORK/farm.log"; exit 1; }
t1=$(now_us)
grep -q '^READY' "$WORK/farm.log" || { cat "$WORK/farm.log"; exit 1; }
echo "HANDOVER n=$N ms=$(((t1 - t0) / 1000)) (from CONNECTED to READY, as the script sees them)"
sleep 2
for ((r = 1; r <= ROUNDS; r++)); do
	a=10.2.0.$((100 + r))
	re="^ADDR_ADDED ${a//./\\.} "
	from=$(wc -l <"$WORK/asconfd.log")
	t0=$(in_cli addr_timed add "$a/24" c2)
	for ((i = 0; i < 1200; i++)); do
		[ "$(grep -c "$re" "$WORK/peer.log")" -ge "$N" ] && break
		sleep 0.1
	done
	ts=$(grep "$re" "$WORK/peer.log" | sed -nE 's/.* t_us=([0-9]+).*/\1/p' | sort -n)
	echo "ADD $a told=$(grep -c "$re" "$WORK/peer.log")/$N" \
		"first_ms=$((($(head -1 <<<"$ts") - t0) / 1000)) last_ms=$((($(tail -1 <<<"$ts") - t0) / 1000))"
	tail -n +$((from + 1)) "$WORK/asconfd.log" | grep 'pass over' | sed 's/^/    /'
	in_cli addr_timed del "$a/24" c2 >/dev/null
	for ((i = 0; i < 1200; i++)); do
		[ "$(grep -c "^ADDR_REMOVED ${a//./\\.} " "$WORK/peer.log")" -ge "$N" ] && break
		sleep 0.1
	done
done
