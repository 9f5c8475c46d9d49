# SPDX-License-Identifier: GPL-2.0-or-later
# Primary steering with --prefer c2 (following c1 and c2): when c2 gets an
# address, the peer is told about it (ADDR_ADDED) and asked to use it as
# its primary (ADDR_MADE_PRIM).  When that address goes, the peer is asked
# to use the remaining c2 address instead.
. /extra/lib.sh
trap topo_down EXIT
topo_up
# Deleting 10.2.0.1 must not take its secondary 10.2.0.21 along.
in_cli sysctl -qw net.ipv4.conf.c2.promote_secondaries=1

check "asconfd starts with --interface 'c*' --prefer c2" \
	start_asconfd --interface 'c*' --prefer c2
managed_assoc
check "no steering while c2 has no address" no_line "$WORK/peer.log" '^ADDR_MADE_PRIM' 1

ip -n cli addr add 10.2.0.1/24 dev c2
check "peer gets ADDR_ADDED 10.2.0.1" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "peer gets ADDR_MADE_PRIM 10.2.0.1" wait_line "$WORK/peer.log" '^ADDR_MADE_PRIM 10\.2\.0\.1 ' 5
check "ADDR_ADDED came before ADDR_MADE_PRIM" \
	before "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' '^ADDR_MADE_PRIM 10\.2\.0\.1 '
check "status: asked to use primary 10.2.0.1" \
	wait_status 'peer takes ASCONF: yes, asked to use primary 10\.2\.0\.1$' 3
check "asconfd logged the request" grep -q 'to use 10\.2\.0\.1 as primary' "$WORK/asconfd.log"

ip -n cli addr add 10.2.0.21/24 dev c2
check "peer gets ADDR_ADDED 10.2.0.21" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.21 ' 5
check "no new primary while 10.2.0.1 stays" no_line "$WORK/peer.log" '^ADDR_MADE_PRIM 10\.2\.0\.21 ' 1
ip -n cli addr del 10.2.0.1/24 dev c2
check "peer gets ADDR_REMOVED 10.2.0.1" wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
check "peer gets ADDR_MADE_PRIM 10.2.0.21" wait_line "$WORK/peer.log" '^ADDR_MADE_PRIM 10\.2\.0\.21 ' 5
check "status: asked to use primary 10.2.0.21" \
	wait_status 'asked to use primary 10\.2\.0\.21$' 3
check "c1's 10.1.0.1 stays bound" status_has '^  bound: 10\.1\.0\.1 10\.2\.0\.21$'

dump_if_failed peer client
finish
