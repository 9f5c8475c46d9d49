# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket's access: control-group and control-mode from the
# file are on the socket when it appears; a non-root client in the group
# manages a socket, one outside it gets EACCES; another process cannot
# release a socket it did not hand over; each request's uid and pid
# is logged at debug level; max-sockets-per-client and max-sockets are
# enforced with a clear reason.
. /extra/lib.sh
trap topo_down EXIT
topo_up
conf=$WORK/asconfd.conf
printf '[asconfd]\ncontrol-group = 4242\ncontrol-mode = 0660\nmax-sockets-per-client = 2\nmax-sockets = 3\n' >"$conf"
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
	start_client_as member --as 1000:4242 --bind 10.1.0.1 --port 6010 \
	--connect 10.1.0.2 --peer-port 5000 --manage --foreign-release --extra 2
check "  ... is managed" grep -q '^MANAGED' "$WORK/member.log"
check "  ... its second socket too (max-sockets-per-client = 2)" \
	wait_line "$WORK/member.log" '^EXTRA_MANAGED i=1$' 5
check "  ... its third is refused: too many sockets for this client" \
	wait_line "$WORK/member.log" \
	'^EXTRA_MANAGE_FAILED i=2 err=-24 too many sockets for this client \(max-sockets-per-client = 2\)' 5
check "  ... its request is logged with uid and pid" \
	grep -Eq "request 'MANAGE[^']*' from uid 1000 pid [0-9]+ with a socket" "$WORK/asconfd.log"
check "another process cannot release it" \
	wait_line "$WORK/member.log" "^FOREIGN_RELEASE ERR 2 socket is not managed for this process" 5
check "  ... it stays managed (with its second)" status_has ' sockets 2 '
ip -n cli addr add 10.2.0.1/24 dev c2
check "  ... and its peer gets ADDR_ADDED 10.2.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5

check "another client's socket, the third in all: client runs" \
	start_client_as second --as 1000:4242 --bind 10.1.0.1 --port 6004 \
	--connect 10.1.0.2 --peer-port 5000 --manage
check "  ... is managed" grep -q '^MANAGED' "$WORK/second.log"
check "a fourth socket over max-sockets = 3: client runs" \
	start_client_as third --as 1000:4242 --bind 10.1.0.1 --port 6005 \
	--connect 10.1.0.2 --peer-port 5000 --manage
check "  ... refused: too many sockets in total" \
	grep -Eq '^MANAGE_FAILED err=-23 too many sockets in total \(max-sockets = 3\)' \
	"$WORK/third.log"
check "  ... and the refusals are logged" \
	grep -q 'refused a socket from pid [0-9]*: too many sockets for this client' "$WORK/asconfd.log"
check "asconfd still runs" kill -0 "$ASCONFD_PID"

dump_if_failed peer outsider member second third
finish
