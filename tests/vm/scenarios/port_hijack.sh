# SPDX-License-Identifier: GPL-2.0-or-later
# No user takes another's address:port through asconfd.  Root's managed
# client socket holds 10.1.0.1:6000 (not listening).  User 1000 binds
# 127.0.0.1:6000, listens, and has the socket managed: by hand-over (a
# member of the control group), then, in a second daemon, by adoption
# (adopt-ports = 6000, no access to the control socket at all).  The
# daemon wants 10.1.0.1 (on c1, followed) on every socket of the policy,
# but never lets another owner's socket share the port with root's: the
# ADD is refused and logged once naming both owners, the user's socket
# never holds 10.1.0.1, and a newcomer's association to 10.1.0.1:6000 is
# not accepted by it.  Root's own two sockets of one port still share.
. /extra/lib.sh
trap topo_down EXIT
topo_up

# ep_has UID PORT ADDR: a listening endpoint of UID on PORT holds ADDR
# (/proc/net/sctp/eps: ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS..).
ep_has() {
	in_cli cat /proc/net/sctp/eps | awk -v u="$1" -v p="$2" -v a="$3" \
		'$6 == p && $7 == u { for (i = 9; i <= NF; i++) if ($i == a) f = 1 } END { exit !f }'
}
# newcomer NAME: a peer in srv starts an association to 10.1.0.1:6000.
newcomer() {
	in_srv timeout 5 sctp_client --stream --bind 10.1.0.2 --port "$2" --connect 10.1.0.1 \
		--peer-port 6000 >"$WORK/$1.log" 2>&1
	grep -q '^CONNECTED' "$WORK/$1.log"
}

conf=$WORK/asconfd.conf
printf '[asconfd]\ncontrol-group = 4242\ncontrol-mode = 0660\n[policy default]\ninterfaces = c1 c2\n' >"$conf"
check "asconfd starts (control-group 4242, policy on c1 c2)" start_asconfd -C "$conf" -v
check "peer listens" start_peer 5000 10.1.0.2
check "root's client 10.1.0.1:6000 is managed" \
	start_client_as root --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage
check "  ... MANAGED" grep -q '^MANAGED' "$WORK/root.log"
rpid=$(real_pid "${PIDS[root]}")

check "user 1000 listens on 127.0.0.1:6000 and hands it over" \
	start_client_as thief --as 1000:4242 --listen --bind 127.0.0.1 --port 6000 --manage
check "  ... MANAGED" wait_line "$WORK/thief.log" '^MANAGED' 5
tpid=$(real_pid "${PIDS[thief]}")
check "  ... the ADD of 10.1.0.1 to it is refused, naming both owners" \
	wait_line "$WORK/asconfd.log" "socket 2: bindx ADD 10\\.1\\.0\\.1 failed: Address already in use \\(held by socket 1 of uid 0, pid $rpid \\(sctp_client\\); not shared with this socket of uid 1000, pid $tpid" 5
check "  ... status shows it" \
	status_has "issue: bindx ADD 10\\.1\\.0\\.1: Address already in use \\(held by socket 1 of uid 0"
check "  ... the user's socket does not hold 10.1.0.1" bash -c "$(declare -f ep_has in_cli); ! ep_has 1000 6000 10.1.0.1"
check "  ... a newcomer's association to 10.1.0.1:6000 is not accepted" \
	bash -c "$(declare -f newcomer in_srv); ! newcomer new1 7001"
ip -n cli addr add 10.2.0.1/24 dev c2
check "the next address still reaches root's peer" wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "  ... not the user's socket, root's holds it" \
	wait_line "$WORK/asconfd.log" 'socket 2: bindx ADD 10\.2\.0\.1 failed: Address already in use \(held by socket 1 of uid 0' 5
check "the refusal was logged once" \
	test "$(grep -c 'socket 2: bindx ADD 10\.1\.0\.1 failed' "$WORK/asconfd.log")" -eq 1
check "root's second socket of port 6000 (listening) shares with the first" \
	start_client_as root2 --listen --bind 127.0.0.2 --port 6000 --manage
check "  ... and gets 10.1.0.1 (one owner)" wait_line "$WORK/asconfd.log" 'socket 3: bindx ADD 10\.1\.0\.1$' 5
stop_pid "${PIDS[thief]}"
stop_pid "${PIDS[root2]}"
stop_asconfd_checked
ip -n cli addr del 10.2.0.1/24 dev c2

# By adoption: the user's listener is never handed over.
printf '[policy default]\ninterfaces = c1 c2\nadopt-ports = 6000\n' >"$conf"
in_cli sctp_client --as 1000:1000 --listen --bind 127.0.0.1 --port 6000 >"$WORK/thief2.log" 2>&1 &
PIDS[thief2]=$!
check "user 1000 (outside the group) listens on 127.0.0.1:6000" wait_line "$WORK/thief2.log" '^LISTENING' 5
t2pid=$(real_pid "${PIDS[thief2]}")
check "asconfd starts with adopt-ports = 6000" start_asconfd -C "$conf" -v
check "  ... root's socket is managed again" wait_status "^socket [0-9]+ pid $rpid " 5
check "  ... the user's listener is adopted" \
	wait_line "$WORK/asconfd.log" "adopted by policy default \\(pid $t2pid sctp_client, descriptor [0-9]+, port 6000\\)" 5
ip -n cli addr add 10.2.0.1/24 dev c2
check "  ... the ADD of 10.1.0.1 to it is refused, naming both owners" \
	wait_line "$WORK/asconfd.log" "bindx ADD 10\\.1\\.0\\.1 failed: Address already in use \\(held by socket [0-9]+ of uid 0, pid $rpid \\(sctp_client\\); not shared with this socket of uid 1000, pid $t2pid" 5
check "  ... the user's socket does not hold 10.1.0.1" bash -c "$(declare -f ep_has in_cli); ! ep_has 1000 6000 10.1.0.1"
check "  ... a newcomer's association to 10.1.0.1:6000 is not accepted" \
	bash -c "$(declare -f newcomer in_srv); ! newcomer new2 7002"

dump_if_failed peer root thief root2 thief2 new1 new2
finish
