# SPDX-License-Identifier: GPL-2.0-or-later
# The daemon as packaged (/usr/sbin/asconfd from make install, built with
# the release flags, not the sanitizer build the other scenarios run) and
# the installed asconfctl and libasconf: an address added on a followed link
# reaches the peer, its removal too.
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

dump_if_failed peer client
finish
