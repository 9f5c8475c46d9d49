# SPDX-License-Identifier: GPL-2.0-or-later
# Walking skeleton: an address added on an allowlisted link of the managed
# host reaches the SCTP peer (SCTP_ADDR_ADDED), its removal too
# (SCTP_ADDR_REMOVED), and an address on another link is never announced.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
managed_assoc

ip -n cli addr add 10.2.0.1/24 dev c2
check "add on allowlisted c2 reaches the peer as ADDR_ADDED" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "status lists the new address as bound" \
	bash -c "asconfctl status | grep -q 'bound:.* 10.2.0.1'"

ip -n cli addr add 10.1.0.11/24 dev c1
check "add on non-allowlisted c1 is never announced" \
	no_line "$WORK/peer.log" '10\.1\.0\.11' 2

ip -n cli addr del 10.2.0.1/24 dev c2
check "delete on c2 reaches the peer as ADDR_REMOVED" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
check "the original address stays bound" \
	bash -c "asconfctl status | grep -q 'bound: 10.1.0.1$'"

if [ "$FAILED" -ne 0 ]; then
	show peer "$WORK/peer.log"; show client "$WORK/client.log"; show asconfd "$WORK/asconfd.log"
	asconfctl status | sed 's/^/    status| /'
fi
finish
