# SPDX-License-Identifier: GPL-2.0-or-later
# The daemon as packaged (/usr/sbin/asconfd from make install, built with
# the release flags, not the sanitizer build the other scenarios run) and
# the installed asconfctl and libasconf: an address added on a followed link
# reaches the peer, its removal too. The shipped sysctl.d snippet names
# keys this kernel has and turns ASCONF on in a fresh namespace.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "the installed daemon is /usr/sbin/asconfd" test -x /usr/sbin/asconfd
check "asconfctl is the installed /usr/bin/asconfctl" \
	bash -c 'command -v asconfctl | grep -qx /usr/bin/asconfctl'
ASCONFD=/usr/sbin/asconfd
check "/usr/sbin/asconfd starts with --interface c2" start_asconfd --interface c2
managed_assoc
check "the client runs the installed libasconf.so.0 from /usr/lib" \
	bash -c 'cat /proc/[0-9]*/maps 2>/dev/null | grep -q " /usr/lib/[^ ]*/libasconf\.so\.0\.[0-9.]*$"'

ip -n cli addr add 10.2.0.1/24 dev c2
check "add on c2 reaches the peer as ADDR_ADDED" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
ip -n cli addr del 10.2.0.1/24 dev c2
check "delete on c2 reaches the peer as ADDR_REMOVED" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5

# A new namespace starts with the kernel's defaults (ASCONF off).
ip netns add fresh
check "the shipped sysctl.d snippet applies: addip_enable 1, auth_enable 1" \
	bash -c 'ip netns exec fresh sysctl -q -p /usr/lib/sysctl.d/50-asconfd.conf >/dev/null &&
		[ "$(ip netns exec fresh cat /proc/sys/net/sctp/addip_enable)" = 1 ] &&
		[ "$(ip netns exec fresh cat /proc/sys/net/sctp/auth_enable)" = 1 ]'
ip netns del fresh

dump_if_failed peer client
finish
