# SPDX-License-Identifier: GPL-2.0-or-later
# IPv6 duplicate address detection: an address is bound (and so announced
# to the peer) only once DAD has completed, never while it is tentative;
# its removal reaches the peer as ADDR_REMOVED.  An address whose DAD fails
# is never announced, and asconfd keeps answering.  The log names the
# address flags and scope as ip addr does (tentative, dadfailed).
. /extra/lib.sh
trap topo_down EXIT
topo_up
# DAD must really run on c2 (s2 answers), but keep it short: one probe
# sent at once, answered or not within 2 s (long enough that a loaded
# TCG guest still sees the address tentative right after adding it).
in_cli sh -c 'echo 1 >/proc/sys/net/ipv6/conf/c2/dad_transmits &&
	echo 0 >/proc/sys/net/ipv6/conf/c2/router_solicitation_delay &&
	echo 2000 >/proc/sys/net/ipv6/neigh/c2/retrans_time_ms'

# addr_flag ADDR FLAG: c2's ADDR shows FLAG in "ip addr" (tentative, dadfailed).
addr_flag() { ip -n cli -6 addr show dev c2 | grep -F " $1/" | grep -qw "$2"; }
tentative() { addr_flag "$1" tentative; }
dad_done() { ip -n cli -6 addr show dev c2 | grep -qF " $1/" && ! tentative "$1"; }
# wait_dadfailed ADDR: up to 6 s.
wait_dadfailed() {
	local i
	for ((i = 0; i < 60; i++)); do
		addr_flag "$1" dadfailed && return 0
		sleep 0.1
	done
	return 1
}

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "peer listens on fd01::2 and fd02::2" start_peer 5000 fd01::2,fd02::2
check "IPv6 client connects and is managed" \
	start_client --inet6 --bind fd01::1 --port 6000 --connect fd01::2 --peer-port 5000 --manage
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "peer saw the association" wait_line "$WORK/peer.log" '^ASSOC_UP' 5

ip -n cli addr add fd02::1/64 dev c2
check "fd02::1 is tentative right after it is added (DAD runs)" tentative fd02::1

# Poll until DAD is over.  ADDR_ADDED is looked for first and the address
# state second, so ADDR_ADDED followed by a still-tentative address proves
# the address was announced during DAD.
early=0
for ((i = 0; i < 100; i++)); do
	grep -q '^ADDR_ADDED fd02::1 ' "$WORK/peer.log" && seen=1 || seen=0
	if tentative fd02::1; then
		[ "$seen" -eq 1 ] && early=1
	else
		break
	fi
	sleep 0.05
done
check "DAD of fd02::1 completes" dad_done fd02::1
check "fd02::1 was not announced while tentative" [ "$early" -eq 0 ]
check "after DAD the peer gets ADDR_ADDED fd02::1" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED fd02::1 ' 5
check "status lists fd02::1 as bound" status_has 'bound:.* fd02::1( |$)'
check "link-local addresses of c2 are not announced" \
	bash -c "! grep -q '^ADDR_ADDED fe80' '$WORK/peer.log'"

ip -n cli addr del fd02::1/64 dev c2
check "delete of fd02::1 reaches the peer as ADDR_REMOVED" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED fd02::1 ' 5
check "fd01::1 stays bound" wait_status 'bound: fd01::1$' 3

# dadfailed: srv owns fd02::99 already, so c2's copy fails DAD.
ip -n srv addr add fd02::99/64 dev s2 nodad
ip -n cli addr add fd02::99/64 dev c2
check "fd02::99 fails DAD on c2" wait_dadfailed fd02::99
check "an address that failed DAD is never announced" \
	no_line "$WORK/peer.log" 'fd02::99' 3
check "the log names its flags as ip does: new, tentative" \
	wait_line "$WORK/asconfd.log" 'address fd02::99/64 new on c2 \(scope global( [a-z-]+)* tentative( [a-z-]+)*\)$' 3
check "  ... then changed, dadfailed" \
	wait_line "$WORK/asconfd.log" 'address fd02::99/64 changed on c2 \(scope global( [a-z-]+)* dadfailed( [a-z-]+)*\)$' 3
check "  ... and no address event in hex" bash -c "! grep -q 'flags 0x' '$WORK/asconfd.log'"
check "asconfd still answers and has not bound fd02::99" \
	bash -c "asconfctl status >'$WORK/status.txt' && grep -q '^  bound: fd01::1$' '$WORK/status.txt'"
check "asconfd is still running" kill -0 "$ASCONFD_PID"

dump_if_failed peer client
finish
