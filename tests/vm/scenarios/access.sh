# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket's access: control-group and control-mode from the
# file are on the socket when it appears; a non-root client in the group
# manages a socket, one outside it gets EACCES; another process cannot
# release a socket it did not hand over; each request's uid and pid
# is logged at debug level; max-sockets is enforced with a clear reason.
. /extra/lib.sh
trap topo_down EXIT
topo_up
conf=$WORK/asconfd.conf
printf '[asconfd]\ncontrol-group = 4242\ncontrol-mode = 0660\nmax-sockets = 1\n' >"$conf"
printf '[policy default]\ninterfaces = c1 c2\n' >>"$conf"

check "asconfd starts" start_asconfd -C "$conf" -v
check "control socket: a socket, group 4242, mode 660" \
	[ -S "$ASCONF_CONTROL" -a "$(stat -c '%g %a' "$ASCONF_CONTROL")" = "4242 660" ]
check "no private bind directory left behind" \
	[ -z "$(find "$WORK" -name '.asconfd-*')" ]
check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2

check "uid 1000 outside the group: client runs" \
	start_client_as outsider --as 1000:1000 --bind 10.1.0.1 --port 6001 \
	--connect 10.1.0.2 --peer-port 5000 --manage
check "  ... gets EACCES" grep -Eq '^MANAGE_FAILED err=-13 .*Permission denied' "$WORK/outsider.log"

check "uid 1000 in group 4242: client runs" \
	start_client_as member --as 1000:4242 --bind 10.1.0.1 --port 6000 \
	--connect 10.1.0.2 --peer-port 5000 --manage --foreign-release
check "  ... is managed" grep -q '^MANAGED' "$WORK/member.log"
check "  ... its request is logged with uid and pid" \
	grep -Eq "request 'MANAGE[^']*' from uid 1000 pid [0-9]+ with a socket" "$WORK/asconfd.log"
check "another process cannot release it" \
	wait_line "$WORK/member.log" "^FOREIGN_RELEASE ERR 2 socket is not managed for this process" 5
check "  ... it stays managed" status_has ' sockets 1 '
ip -n cli addr add 10.2.0.1/24 dev c2
check "  ... and its peer gets ADDR_ADDED 10.2.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5

check "a second socket over max-sockets = 1: client runs" \
	start_client_as second --as 1000:4242 --bind 10.1.0.1 --port 6002 \
	--connect 10.1.0.2 --peer-port 5000 --manage
check "  ... refused: too many sockets in total" \
	grep -Eq '^MANAGE_FAILED err=-23 too many sockets in total \(max-sockets = 1\)' \
	"$WORK/second.log"
check "asconfd still runs" kill -0 "$ASCONFD_PID"

dump_if_failed peer outsider member second
finish
