# SPDX-License-Identifier: GPL-2.0-or-later
# A flood of address changes with a netlink buffer small enough that the
# kernel drops events (ENOBUFS): 200 managed sockets with an association
# each, 1,025 changes over 50 addresses on c2 in one burst.  Afterwards
# every socket's bound set (sctp_getladdrs, through the status) is exactly
# what the kernel's own address list (ip -j addr) says it should be, the
# overruns really happened and were repaired, and no association was lost.
. /extra/lib.sh
trap topo_down EXIT
topo_up
N=200

check "asconfd starts with a 4 KiB netlink buffer" start_asconfd --interface c2 --rcvbuf 4096
check "peer listens on 10.1.0.2,10.2.0.2:5000" start_peer 5000 10.1.0.2,10.2.0.2
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 --connect 10.1.0.2 --peer-port 5000 \
	--manage >"$WORK/farm.log" 2>&1 &
check "$N sockets, an association each, handed to asconfd" wait_line "$WORK/farm.log" "^MANAGED n=$N" 90

# 20 rounds adding then deleting all 50 addresses, then the odd ones added:
# 1,025 changes; 25 addresses stay.  /32 each: deleting the primary
# address of a shared prefix would take its secondaries along.
{
	for ((r = 0; r < 20; r++)); do
		op=$([ $((r % 2)) -eq 0 ] && echo add || echo del)
		for ((k = 1; k <= 50; k++)); do echo "addr $op 10.2.1.$k/32 dev c2"; done
	done
	for ((k = 1; k <= 50; k += 2)); do echo "addr add 10.2.1.$k/32 dev c2"; done
} >"$WORK/burst.txt"
check "the burst of 1,025 changes runs" in_cli ip -force -batch "$WORK/burst.txt"

# What each socket should hold: its own 10.1.0.1 and c2's global IPv4.
want=$( { echo 10.1.0.1; ip -n cli -j -4 addr show dev c2 |
	jq -r '.[].addr_info[] | select(.scope == "global") | .local'; } | sort | paste -sd,)
check "25 addresses stay on c2" [ "$(tr ',' '\n' <<<"$want" | wc -l)" -eq 26 ]
sets() {
	asconfctl status --json | jq -r '.sockets[] | .bound | sort | join(",")' | sort | uniq -c
}
converged() {
	local c s
	sets >"$WORK/sets.txt"
	[ "$(wc -l <"$WORK/sets.txt")" -eq 1 ] && read -r c s <"$WORK/sets.txt" &&
		[ "$c" = "$N" ] && [ "$s" = "$want" ]
}
ok=0 deadline=$((SECONDS + 90))
while ((SECONDS < deadline)); do
	converged && { ok=1; break; }
	sleep 0.5
done
check "every socket's bound set equals the kernel's address list" [ "$ok" -eq 1 ]
over=$(asconfctl status --json | jq '.counters.netlink_overruns')
res=$(asconfctl status --json | jq '.counters.resyncs')
check "the burst overran the netlink buffer ($over overruns)" [ "${over:-0}" -gt 0 ]
check "and each overrun was repaired by a fresh dump ($res resyncs)" [ "${res:-0}" -gt 0 ]
# A pass over 200 sockets takes longer than the burst needs to overtake it.
cut=$(asconfctl status --json | jq '.counters.passes_cut')
check "a pass the burst overtook stopped early for the newer events ($cut cut)" [ "${cut:-0}" -gt 0 ]
check "no association was lost (peer saw no ASSOC_DOWN)" bash -c "! grep -q '^ASSOC_DOWN' '$WORK/peer.log'"
check "every socket still has its association" \
	[ "$(asconfctl status --json | jq '[.sockets[].associations | length] | add')" = "$N" ]
check "asconfd is still running" kill -0 "$ASCONFD_PID"
if [ "$FAILED" -ne 0 ]; then
	echo "want: $want"
	sets | head -5 | sed 's/^/    sets| /'
	tail -20 "$WORK/asconfd.log" | sed 's/^/    asconfd| /'
fi
finish
