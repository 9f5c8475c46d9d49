# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: on a two-namespace guest, asconfd follows interface c2 of the
# managed host "cli"; an SCTP association runs from cli (10.1.0.1, on c1) to
# the peer "srv".  An address is added on c2, then removed, and the peer's
# kernel reports both (SCTP_PEER_ADDR_CHANGE).
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
asconfctl status | sed 's/^/    asconfctl status| /'

step "Add 10.2.0.1/24 on c2:   ip -n cli addr add 10.2.0.1/24 dev c2"
ip -n cli addr add 10.2.0.1/24 dev c2
peer_says '^ADDR_ADDED 10\.2\.0\.1 ' || bad "the peer was not told"
asconfctl status | sed 's/^/    asconfctl status| /'

step "Add 10.1.0.11/24 on c1 (not followed): the peer hears nothing"
ip -n cli addr add 10.1.0.11/24 dev c1
if no_line "$WORK/peer.log" '10\.1\.0\.11' 2; then echo "    peer: (nothing, as intended)"; else bad "c1 address was announced"; fi

step "Remove 10.2.0.1 from c2:   ip -n cli addr del 10.2.0.1/24 dev c2"
ip -n cli addr del 10.2.0.1/24 dev c2
peer_says '^ADDR_REMOVED 10\.2\.0\.1 ' || bad "the peer was not told"
asconfctl status | sed 's/^/    asconfctl status| /'

step "What asconfd logged"
show asconfd "$WORK/asconfd.log"
echo
echo "demo: done: the peer saw ADDR_ADDED and ADDR_REMOVED for 10.2.0.1"
