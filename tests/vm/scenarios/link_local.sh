# SPDX-License-Identifier: GPL-2.0-or-later
# IPv6 link-local addresses are used only with --link-local, and then bound
# with the interface as scope id (fe80::x%IFINDEX); without it they are
# never bound.
. /extra/lib.sh
trap topo_down EXIT
topo_up

ll=$(ip -n cli -6 addr show dev c2 scope link | sed -nE 's/.*inet6 (fe80::[0-9a-f:]+)\/64.*/\1/p' | head -1)
idx=$(cat /sys/class/net/c2/ifindex 2>/dev/null || ip netns exec cli cat /sys/class/net/c2/ifindex)
check "c2 has a link-local address" test -n "$ll"
check "asconfd starts with --link-local" start_asconfd --interface c2 --link-local
check "peer listens" start_peer_as peer6 5001 fd01::2
check "IPv6 client is managed" \
	start_client --inet6 --bind fd01::1 --port 6001 --connect fd01::2 --peer-port 5001 --manage
check "c2's link-local address is bound with its scope id" \
	wait_status "^  bound:.* ${ll}%${idx}( |\$)" 5

dump_if_failed peer6 client
finish
