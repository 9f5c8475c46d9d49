# SPDX-License-Identifier: GPL-2.0-or-later
# net.sctp.addip_enable=0 on the managed host: asconfd still binds new
# addresses (new associations can use them) but says, in its log and in
# status, that peers are not told; and indeed the peer hears nothing.
. /extra/lib.sh
trap topo_down EXIT
ADDIP=0 topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "asconfd warns at start that addip_enable=0" grep -q 'addip_enable=0' "$WORK/asconfd.log"
managed_assoc

ip -n cli addr add 10.2.0.1/24 dev c2
check "10.2.0.1 is bound anyway" wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.1$' 5
check "status: peers told: no (net.sctp.addip_enable=0)" \
	status_has '^  peers told: no \(net\.sctp\.addip_enable=0\)$'
check "asconfd logs that the change is not told to peers" \
	wait_line "$WORK/asconfd.log" 'socket [0-9]+: bound addresses changed, but .*not told' 3
check "and names the cause: addip_enable=0 here, not the peer" \
	grep -Eq 'socket [0-9]+: bound addresses changed, but .*addip_enable=0' "$WORK/asconfd.log"
check "the peer never sees ADDR_ADDED" no_line "$WORK/peer.log" '^ADDR_ADDED' 2

dump_if_failed peer client
finish
