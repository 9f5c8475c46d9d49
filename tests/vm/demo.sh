# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: on a two-namespace guest, asconfd follows interface c2 of the
# managed host "cli"; an SCTP association runs from cli (10.1.0.1, on c1) to
# the peer "srv".  An address is added on c2, then removed, and the peer's
# kernel reports both (SCTP_PEER_ADDR_CHANGE).  Alongside, a wildcard-bound
# socket with the kernel's own auto_asconf talks to a second peer, and the
# demo ends with both latencies for the add and the delete.
. /extra/lib.sh
trap topo_down EXIT
step() { printf '\n==> %s\n' "$*"; }
peer_says() { wait_line "$WORK/peer.log" "$1" 5 && grep -E -- "$1" "$WORK/peer.log" | sed 's/^/    peer: /'; }
bad() { echo "demo: $*" >&2; show asconfd "$WORK/asconfd.log" >&2; exit 1; }

step "Build the hosts: cli (c1 10.1.0.1, c2 no address) <-> srv (s1 10.1.0.2, s2 10.2.0.2)"
topo_up
ip -n cli -br addr show | sed 's/^/    cli: /'

step "Start asconfd in cli, following interface c2 only"
start_asconfd --interface c2 || bad "asconfd did not start"
echo "    \$ asconfd --foreground --interface c2 --control $ASCONF_CONTROL"

step "Start the SCTP peer in srv on 10.1.0.2 and 10.2.0.2, port 5000"
start_peer 5000 10.1.0.2,10.2.0.2 || bad "peer did not start"

step "Connect from cli 10.1.0.1:6000 and hand the socket to asconfd (asconf_manage)"
start_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage ||
	bad "client did not start"
sed 's/^/    client: /' "$WORK/client.log"
peer_says '^ASSOC_UP' || bad "no association"

step "For comparison: a wildcard socket (port 6001) with the kernel's auto_asconf, to a peer on port 5001"
in_srv sctp_peer --port 5001 --bind 10.1.0.2,10.2.0.2 >"$WORK/peer-kernel.log" 2>&1 &
wait_line "$WORK/peer-kernel.log" '^LISTENING' 5 || bad "second peer did not start"
in_cli sctp_client --bind 0.0.0.0 --port 6001 --connect 10.1.0.2 --peer-port 5001 --auto-asconf \
	>"$WORK/client-kernel.log" 2>&1 &
wait_line "$WORK/client-kernel.log" '^CONNECTED' 10 || bad "auto_asconf client did not connect"
echo "    client (auto_asconf): $(head -1 "$WORK/client-kernel.log")"
asconfctl status | sed 's/^/    asconfctl status| /'

step "Add 10.2.0.1/24 on c2:   ip -n cli addr add 10.2.0.1/24 dev c2"
# addr_timed stamps CLOCK_MONOTONIC just before its netlink request; the
# peers stamp their events with the same clock.
t_add=$(in_cli addr_timed add 10.2.0.1/24 c2) || bad "cannot add 10.2.0.1"
peer_says '^ADDR_ADDED 10\.2\.0\.1 ' || bad "the peer was not told"
asconfctl status | sed 's/^/    asconfctl status| /'

step "Add 10.1.0.11/24 on c1 (not followed): the peer hears nothing"
ip -n cli addr add 10.1.0.11/24 dev c1
if no_line "$WORK/peer.log" '10\.1\.0\.11' 2; then echo "    peer: (nothing, as intended)"; else bad "c1 address was announced"; fi

step "Remove 10.2.0.1 from c2:   ip -n cli addr del 10.2.0.1/24 dev c2"
t_del=$(in_cli addr_timed del 10.2.0.1/24 c2) || bad "cannot delete 10.2.0.1"
peer_says '^ADDR_REMOVED 10\.2\.0\.1 ' || bad "the peer was not told"
asconfctl status | sed 's/^/    asconfctl status| /'

step "What asconfd logged"
show asconfd "$WORK/asconfd.log"
echo
echo "demo: done: the peer saw ADDR_ADDED and ADDR_REMOVED for 10.2.0.1"
if grep -q '^ADDR_ADDED 10\.1\.0\.11 ' "$WORK/peer-kernel.log"; then
	echo "demo: the auto_asconf peer was also told of 10.1.0.11 on c1: the kernel cannot leave an interface out"
fi

# ms FILE EVENT T0: event time at the peer minus T0, or "not told".
ms() {
	local t
	wait_line "$1" "^$2 10\.2\.0\.1 " 5 || { echo "not told"; return; }
	t=$(grep -E "^$2 10\.2\.0\.1 " "$1" | head -1 | sed -E 's/.* t_us=([0-9]+).*/\1/')
	awk -v d=$((t - $3)) 'BEGIN { printf "%.1f ms", d / 1000 }'
}
echo
echo "demo: add 10.2.0.1 -> peer told: asconfd $(ms "$WORK/peer.log" ADDR_ADDED "$t_add"), kernel auto_asconf $(ms "$WORK/peer-kernel.log" ADDR_ADDED "$t_add")"
echo "demo: del 10.2.0.1 -> peer told: asconfd $(ms "$WORK/peer.log" ADDR_REMOVED "$t_del"), kernel auto_asconf $(ms "$WORK/peer-kernel.log" ADDR_REMOVED "$t_del")"
