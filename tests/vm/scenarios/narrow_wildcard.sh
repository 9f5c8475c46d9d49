# SPDX-License-Identifier: GPL-2.0-or-later
# asconf-run narrows a wildcard bind to the policy's addresses (issue 24):
# lksctp-tools' unmodified sctp_darn, bound to 0.0.0.0 or ::, with two
# excluded interfaces on the host (a management veth mgmt0 and a
# docker0-like bridge).  The peer (sctp_peer --paddrs) sees only c1's and
# c2's addresses at ASSOC_UP; an address added on c2 reaches it, one added
# on mgmt0 never does; data flows; status says "narrowed from wildcard".
# The contrast: the same program under a policy with narrow-wildcard = no
# advertises the excluded addresses (the kernel's wildcard), and so does it
# without a daemon (after one warning).  A policy with no usable address
# fails the bind (narrow-empty = fail).  One-to-one and dual-stack IPv6 too.
# The same with lksctp-tools' sctp_test (one-to-many and one-to-one
# listeners on 0.0.0.0, and a client), and with a changed program calling
# asconf_bind() (sctp_client --asconf-bind), with and without the daemon.
. /extra/lib.sh
trap topo_down EXIT
topo_up
# The interfaces the policy excludes: a management network and a bridge.
ip link add mgmt0 netns cli type veth peer name mgmt0p netns cli
ip -n cli addr add 192.168.77.1/24 dev mgmt0
ip -n cli addr add fd77::1/64 dev mgmt0 nodad
ip -n cli link set mgmt0 up
ip -n cli link set mgmt0p up
ip -n cli link add docker0 type bridge
ip -n cli addr add 172.17.0.1/16 dev docker0
ip -n cli link set docker0 up
ip -n cli addr add 10.2.0.1/24 dev c2
EXCLUDED='192\.168\.77\.|172\.17\.|fd77:'

conf=$WORK/asconfd.conf
cat >"$conf" <<'CONF'
[policy default]
interfaces = c1 c2
[policy wide]
interfaces = c1 c2
narrow-wildcard = no
[policy empty]
interfaces = nothing-here*
CONF

# paddrs LOG: the PADDRS line of the first association in LOG.
paddrs() { grep -m1 '^PADDRS' "$1"; }
# only_allowed LOG ADDR...: PADDRS has every ADDR and no excluded one.
only_allowed() {
	local log=$1 line a
	shift
	line=$(paddrs "$log") || return 1
	echo "    $(basename "$log" .log): $line"
	for a in "$@"; do [[ $line =~ [\ :]${a//./\\.}( |$) ]] || return 1; done
	! [[ $line =~ $EXCLUDED ]]
}
has_excluded() {
	local line
	line=$(paddrs "$1") || return 1
	echo "    $(basename "$1" .log): $line"
	[[ $line =~ 192\.168\.77\.1 ]]
}

check "asconfd starts (default: c1 c2, narrowing)" start_asconfd -C "$conf" -v

# --- one-to-many client on 0.0.0.0 ---
check "peer listens on 5000 (--paddrs)" start_peer_as peer 5000 10.1.0.2,10.2.0.2 --every 1 --paddrs
darn client -H 0.0.0.0 -P 6000 -h 10.1.0.2 -p 5000 -s
say_darn client "seq 0"
check "client: the association comes up" wait_line "$WORK/peer.log" '^PADDRS' 10
check "client: the peer sees only 10.1.0.1 and 10.2.0.1 (no mgmt0, no docker0)" \
	only_allowed "$WORK/peer.log" 10.1.0.1 10.2.0.1
check "client: data flows" wait_line "$WORK/peer.log" '^DATA seq=0$' 5
check "client: status says narrowed from wildcard (one-to-many, port 6000)" \
	wait_status '^socket [0-9]+ .* inet one-to-many port 6000 policy default .*\(narrowed from wildcard\)' 5
check "client: status --json says narrowed" \
	bash -c "asconfctl status --json | grep -q '\"narrowed\": *true'"
check "asconfd logs the addresses chosen" \
	grep -Eq 'binds a inet wildcard: narrowed by policy default to 10\.1\.0\.1 10\.2\.0\.1$' "$WORK/asconfd.log"
ip -n cli addr add 10.2.0.5/24 dev c2
ip -n cli addr add 192.168.77.5/24 dev mgmt0
check "client: ADDR_ADDED 10.2.0.5 (allowed c2) reaches the peer" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.5 ' 5
check "client: 192.168.77.5 (excluded mgmt0) never does" \
	no_line "$WORK/peer.log" '^ADDR_ADDED 192\.168\.' 2
say_darn client "seq 1"
check "client: data still flows" wait_line "$WORK/peer.log" '^DATA seq=1$' 5
check "client: sctp_darn exits at the end of its input" end_darn client
check "client: the shim printed nothing" test ! -s "$WORK/client.err"

# --- the contrast: narrow-wildcard = no, the kernel's wildcard ---
check "peerw listens on 5001" start_peer_as peerw 5001 10.1.0.2,10.2.0.2 --every 1 --paddrs
darn wide --policy wide -H 0.0.0.0 -P 6001 -h 10.1.0.2 -p 5001 -s
say_darn wide "seq 0"
check "narrow-wildcard = no: the association comes up" wait_line "$WORK/peerw.log" '^PADDRS' 10
check "narrow-wildcard = no: the peer sees the excluded 192.168.77.1 (what narrowing prevents)" \
	has_excluded "$WORK/peerw.log"
check "narrow-wildcard = no: data flows" wait_line "$WORK/peerw.log" '^DATA seq=0$' 5
check "narrow-wildcard = no: sctp_darn exits" end_darn wide

# --- a policy with no usable address: the bind fails ---
darn emptyp --policy empty -H 0.0.0.0 -P 6004 -h 10.1.0.2 -p 5000 -s
check "narrow-empty = fail: sctp_darn cannot bind (EADDRNOTAVAIL)" \
	wait_line "$WORK/emptyp.err" 'can not bind to 0\.0\.0\.0:6004: Cannot assign requested address' 5
check "narrow-empty = fail: one warning names the policy" \
	wait_line "$WORK/emptyp.err" 'policy empty has no usable address: a wildcard bind fails with EADDRNOTAVAIL' 2
end_darn emptyp

# --- one-to-one listener on 0.0.0.0: its accepted socket too ---
darn tcpstyle -t -H 0.0.0.0 -P 6002 -l
check "one-to-one: the listener is narrowed" \
	wait_status '^socket [0-9]+ .* inet one-to-one port 6002 .*\(narrowed from wildcard\)' 10
check "peer3 connects to the one-to-one listener" \
	start_peer_as peer3 5002 10.1.0.2 --paddrs --connect 10.1.0.1 --peer-port 6002
check "one-to-one: the association comes up" wait_line "$WORK/peer3.log" '^PADDRS' 10
check "one-to-one: the peer sees only allowed addresses" \
	only_allowed "$WORK/peer3.log" 10.1.0.1
check "one-to-one: the accepted socket is managed and narrowed too" \
	bash -c "for i in \$(seq 50); do [ \$(asconfctl status | grep -c 'one-to-one port 6002 .*(narrowed from wildcard)') = 2 ] && exit 0; sleep 0.1; done; exit 1"
ip -n cli addr add 10.2.0.6/24 dev c2
check "one-to-one: ADDR_ADDED 10.2.0.6 reaches the peer" \
	wait_line "$WORK/peer3.log" '^ADDR_ADDED 10\.2\.0\.6 ' 5
stop_pid "${PIDS[peer3]}"
stop_pid "${PIDS[tcpstyle]}"

# --- dual-stack IPv6 on :: ---
check "peer6 listens on [fd01::2]:5003" start_peer_as peer6 5003 fd01::2,fd02::2 --every 1 --paddrs
darn client6 -H :: -P 6003 -h fd01::2 -p 5003 -s
say_darn client6 "seq 0"
check "dual-stack: the association comes up" wait_line "$WORK/peer6.log" '^PADDRS' 10
check "dual-stack: the peer sees fd01::1 and no excluded address" \
	only_allowed "$WORK/peer6.log" fd01::1
check "dual-stack: data flows" wait_line "$WORK/peer6.log" '^DATA seq=0$' 5
check "dual-stack: status says inet6, narrowed" \
	wait_status '^socket [0-9]+ .* inet6 one-to-many port 6003 .*\(narrowed from wildcard\)' 5
check "dual-stack: the daemon chose IPv4 and IPv6 (not v6only)" \
	grep -Eq 'binds a inet6 wildcard: narrowed by policy default to 10\.1\.0\.1 .*fd01::1' "$WORK/asconfd.log"
ip -n cli addr add fd02::7/64 dev c2 nodad
ip -n cli addr add fd77::7/64 dev mgmt0 nodad
check "dual-stack: ADDR_ADDED fd02::7 reaches the peer" \
	wait_line "$WORK/peer6.log" '^ADDR_ADDED fd02::7 ' 5
check "dual-stack: fd77::7 (mgmt0) never does" no_line "$WORK/peer6.log" '^ADDR_ADDED fd77' 2
check "dual-stack: sctp_darn exits" end_darn client6

# --- sctp_test (lksctp-tools, unmodified) listening on 0.0.0.0 ---
# stest NAME [--policy P] ARGS...: asconf-run sctp_test ARGS in "cli", no
# input, output to $WORK/NAME.log and .err; runs until stop_pid.
stest() {
	local name=$1 run=()
	shift
	if [ "$1" = --policy ]; then
		run=(--policy "$2")
		shift 2
	fi
	in_cli asconf-run "${run[@]}" -- sctp_test "$@" </dev/null >"$WORK/$name.log" 2>"$WORK/$name.err" &
	PIDS[$name]=$!
}
stest tsrv -H 0.0.0.0 -P 6010 -l
check "sctp_test one-to-many: the listener is narrowed" \
	wait_status '^socket [0-9]+ .* inet one-to-many port 6010 policy default .*\(narrowed from wildcard\)' 10
check "peert connects to sctp_test on 10.1.0.1:6010" \
	start_peer_as peert 5010 10.1.0.2,10.2.0.2 --paddrs --connect 10.1.0.1 --peer-port 6010
check "sctp_test one-to-many: the association comes up" wait_line "$WORK/peert.log" '^PADDRS' 10
check "sctp_test one-to-many: the peer sees only 10.1.0.1 and 10.2.0.1 (no mgmt0, no docker0)" \
	only_allowed "$WORK/peert.log" 10.1.0.1 10.2.0.1
ip -n cli addr add 10.2.0.9/24 dev c2
ip -n cli addr add 192.168.77.9/24 dev mgmt0
check "sctp_test one-to-many: ADDR_ADDED 10.2.0.9 (allowed c2) reaches the peer" \
	wait_line "$WORK/peert.log" '^ADDR_ADDED 10\.2\.0\.9 ' 5
check "sctp_test one-to-many: 192.168.77.9 (excluded mgmt0) never does" \
	no_line "$WORK/peert.log" '^ADDR_ADDED 192\.168\.' 2
check "sctp_test one-to-many: the shim printed nothing" test ! -s "$WORK/tsrv.err"
stop_pid "${PIDS[peert]}"
stop_pid "${PIDS[tsrv]}"

stest tsrv1 -T -H 0.0.0.0 -P 6011 -l
check "sctp_test one-to-one (-T): the listener is narrowed" \
	wait_status '^socket [0-9]+ .* inet one-to-one port 6011 .*\(narrowed from wildcard\)' 10
check "peert1 connects to sctp_test -T on 10.1.0.1:6011" \
	start_peer_as peert1 5011 10.1.0.2 --paddrs --connect 10.1.0.1 --peer-port 6011
check "sctp_test one-to-one: the association comes up" wait_line "$WORK/peert1.log" '^PADDRS' 10
check "sctp_test one-to-one: the peer sees only allowed addresses" \
	only_allowed "$WORK/peert1.log" 10.1.0.1
ip -n cli addr add 10.2.0.10/24 dev c2
ip -n cli addr add 192.168.77.10/24 dev mgmt0
check "sctp_test one-to-one: ADDR_ADDED 10.2.0.10 reaches the peer (the accepted socket is managed)" \
	wait_line "$WORK/peert1.log" '^ADDR_ADDED 10\.2\.0\.10 ' 5
check "sctp_test one-to-one: 192.168.77.10 never does" \
	no_line "$WORK/peert1.log" '^ADDR_ADDED 192\.168\.' 2
stop_pid "${PIDS[peert1]}"
stop_pid "${PIDS[tsrv1]}"

# sctp_test as the client from 0.0.0.0: the peer's view at set-up.
check "peertc listens on 5013 (--paddrs)" start_peer_as peertc 5013 10.1.0.2,10.2.0.2 --paddrs
stest tcli -H 0.0.0.0 -P 6013 -h 10.1.0.2 -p 5013 -s -c 0 -x 1
check "sctp_test client: the association comes up" wait_line "$WORK/peertc.log" '^PADDRS' 10
check "sctp_test client: the peer sees only 10.1.0.1 and 10.2.0.1" \
	only_allowed "$WORK/peertc.log" 10.1.0.1 10.2.0.1
stop_pid "${PIDS[tcli]}"
stop_pid "${PIDS[peertc]}"
# sctp_test to sctp_test: data flows from the narrowed client (the
# server, in srv, is not under asconf-run).
in_srv sctp_test -H 10.1.0.2 -P 5014 -l </dev/null >"$WORK/tsrvd.log" 2>&1 &
PIDS[tsrvd]=$!
check "sctp_test server in srv listens" wait_line "$WORK/tsrvd.log" 'listen\(sk=' 5
stest tclid -H 0.0.0.0 -P 6014 -h 10.1.0.2 -p 5014 -s -c 0 -x 1
check "sctp_test client: exits after sending" wait_line "$WORK/tclid.log" 'close\(sk=' 10
# received_all: the server got as many messages as the client sent (>0).
received_all() {
	local n
	n=$(grep -c 'sendmsg(sk=[0-9]*, assoc=0) *1 bytes\.' "$WORK/tclid.log")
	echo "    sctp_test sent $n"
	[ "$n" -gt 0 ] && wait_count "$WORK/tsrvd.log" 'recvmsg\(sk=[0-9]+\) Data 1 bytes\.' "$n" 5
}
check "sctp_test client to sctp_test: data flows (the server received every send)" received_all
stop_pid "${PIDS[tclid]}"
stop_pid "${PIDS[tsrvd]}"

# Dual-stack: sctp_test listening on ::.
stest tsrv6 -H :: -P 6015 -l
check "sctp_test dual-stack: the listener is inet6, narrowed" \
	wait_status '^socket [0-9]+ .* inet6 one-to-many port 6015 .*\(narrowed from wildcard\)' 10
check "peert6 connects to sctp_test on [fd01::1]:6015" \
	start_peer_as peert6 5015 fd01::2,fd02::2 --paddrs --connect fd01::1 --peer-port 6015
check "sctp_test dual-stack: the association comes up" wait_line "$WORK/peert6.log" '^PADDRS' 10
check "sctp_test dual-stack: the peer sees fd01::1 and no excluded address" \
	only_allowed "$WORK/peert6.log" fd01::1
ip -n cli addr add fd02::9/64 dev c2 nodad
ip -n cli addr add fd77::9/64 dev mgmt0 nodad
check "sctp_test dual-stack: ADDR_ADDED fd02::9 reaches the peer" \
	wait_line "$WORK/peert6.log" '^ADDR_ADDED fd02::9 ' 5
check "sctp_test dual-stack: fd77::9 (mgmt0) never does" no_line "$WORK/peert6.log" '^ADDR_ADDED fd77' 2
stop_pid "${PIDS[peert6]}"
stop_pid "${PIDS[tsrv6]}"

# The contrast: sctp_test under narrow-wildcard = no advertises mgmt0.
stest tsrvw --policy wide -H 0.0.0.0 -P 6012 -l
check "sctp_test narrow-wildcard = no: the listener is bound" \
	wait_line "$WORK/tsrvw.log" 'listen\(sk=' 10
check "peertw connects to sctp_test on 10.1.0.1:6012" \
	start_peer_as peertw 5012 10.1.0.2 --paddrs --connect 10.1.0.1 --peer-port 6012
check "sctp_test narrow-wildcard = no: the association comes up" wait_line "$WORK/peertw.log" '^PADDRS' 10
check "sctp_test narrow-wildcard = no: the socket keeps the wildcard, not managed (asconf-run(1))" \
	bash -c "! asconfctl status | grep -q 'port 6012 '"
check "sctp_test narrow-wildcard = no: the peer sees the excluded 192.168.77.1" \
	has_excluded "$WORK/peertw.log"
stop_pid "${PIDS[peertw]}"
stop_pid "${PIDS[tsrvw]}"

# --- asconf_bind() from a changed program (sctp_client --asconf-bind) ---
check "peerb listens on 5020 (--paddrs)" start_peer_as peerb 5020 10.1.0.2,10.2.0.2 --every 1 --paddrs
in_cli sctp_client --asconf-bind --port 6020 --connect 10.1.0.2 --peer-port 5020 --send-every 200 \
	>"$WORK/abind.log" 2>&1 &
PIDS[abind]=$!
check "asconf_bind: returns 0; getsockname is a policy address, not the wildcard" \
	wait_line "$WORK/abind.log" '^BOUND ret=0 name=10\.[12]\.0\.[0-9]+:6020 ' 10
check "asconf_bind: the association comes up" wait_line "$WORK/peerb.log" '^PADDRS' 10
check "asconf_bind: the peer sees only 10.1.0.1 and 10.2.0.1 (no mgmt0, no docker0)" \
	only_allowed "$WORK/peerb.log" 10.1.0.1 10.2.0.1
check "asconf_bind: status says narrowed from wildcard (one-to-many, port 6020)" \
	wait_status '^socket [0-9]+ .* inet one-to-many port 6020 policy default .*\(narrowed from wildcard\)' 5
check "asconf_bind: data flows" wait_line "$WORK/peerb.log" '^DATA seq=0$' 5
ip -n cli addr add 10.2.0.11/24 dev c2
ip -n cli addr add 192.168.77.11/24 dev mgmt0
check "asconf_bind: ADDR_ADDED 10.2.0.11 (allowed c2) reaches the peer" \
	wait_line "$WORK/peerb.log" '^ADDR_ADDED 10\.2\.0\.11 ' 5
check "asconf_bind: 192.168.77.11 (excluded mgmt0) never does" \
	no_line "$WORK/peerb.log" '^ADDR_ADDED 192\.168\.' 2
stop_pid "${PIDS[abind]}"
check "asconf_bind: data flowed throughout (no gap)" \
	bash -c "grep -q '^SENT n=' '$WORK/abind.log' && ! grep -q '^DATA_GAP' '$WORK/peerb.log'"
stop_pid "${PIDS[peerb]}"
# Dual-stack: an AF_INET6 socket.
check "peerb6 listens on [fd01::2]:5023 (--paddrs)" start_peer_as peerb6 5023 fd01::2,fd02::2 --every 1 --paddrs
in_cli sctp_client --asconf-bind --inet6 --port 6023 --connect fd01::2 --peer-port 5023 --send-every 200 \
	>"$WORK/abind6.log" 2>&1 &
PIDS[abind6]=$!
check "asconf_bind dual-stack: returns 0, getsockname is a policy address" \
	wait_line "$WORK/abind6.log" '^BOUND ret=0 name=(::ffff:10\.[12]\.0\.[0-9]+|fd0[12]::[0-9]+):6023 ' 10
check "asconf_bind dual-stack: the association comes up" wait_line "$WORK/peerb6.log" '^PADDRS' 10
check "asconf_bind dual-stack: the peer sees fd01::1 and no excluded address" \
	only_allowed "$WORK/peerb6.log" fd01::1
check "asconf_bind dual-stack: status says inet6, narrowed" \
	wait_status '^socket [0-9]+ .* inet6 one-to-many port 6023 .*\(narrowed from wildcard\)' 5
check "asconf_bind dual-stack: data flows" wait_line "$WORK/peerb6.log" '^DATA seq=0$' 5
ip -n cli addr add fd02::11/64 dev c2 nodad
ip -n cli addr add fd77::11/64 dev mgmt0 nodad
check "asconf_bind dual-stack: ADDR_ADDED fd02::11 reaches the peer" \
	wait_line "$WORK/peerb6.log" '^ADDR_ADDED fd02::11 ' 5
check "asconf_bind dual-stack: fd77::11 (mgmt0) never does" no_line "$WORK/peerb6.log" '^ADDR_ADDED fd77' 2
stop_pid "${PIDS[abind6]}"
stop_pid "${PIDS[peerb6]}"
in_cli timeout 10 sctp_client --asconf-bind --policy empty --port 6022 --connect 10.1.0.2 \
	--peer-port 5020 >"$WORK/abinde.log" 2>&1
check "asconf_bind: a policy with no usable address fails with -EADDRNOTAVAIL, saying why" \
	grep -Eq '^BIND_FAILED err=-99 .*no usable address \(narrow-empty = fail\)' "$WORK/abinde.log"

# --- no daemon: the wildcard, after one warning ---
stop_asconfd_checked
check "peern listens on 5005" start_peer_as peern 5005 10.1.0.2,10.2.0.2 --every 1 --paddrs
darn nod -H 0.0.0.0 -P 6005 -h 10.1.0.2 -p 5005 -s
say_darn nod "seq 0"
check "no daemon: the association comes up" wait_line "$WORK/peern.log" '^PADDRS' 10
check "no daemon: the program runs as it would (the wildcard, mgmt0 advertised)" \
	has_excluded "$WORK/peern.log"
check "no daemon: data flows" wait_line "$WORK/peern.log" '^DATA seq=0$' 5
end_darn nod
check "no daemon: exactly one warning" \
	[ "$(grep -c 'cannot reach asconfd' "$WORK/nod.err")" = 1 ]
stest tnod -H 0.0.0.0 -P 6016 -l
check "no daemon: sctp_test listens" wait_line "$WORK/tnod.log" 'listen\(sk=' 10
check "peertn connects to sctp_test on 10.1.0.1:6016" \
	start_peer_as peertn 5016 10.1.0.2 --paddrs --connect 10.1.0.1 --peer-port 6016
check "no daemon: sctp_test's association comes up" wait_line "$WORK/peertn.log" '^PADDRS' 10
check "no daemon: sctp_test runs as it would (the wildcard, mgmt0 advertised)" \
	has_excluded "$WORK/peertn.log"
check "no daemon: sctp_test got exactly one warning" \
	[ "$(grep -c 'cannot reach asconfd' "$WORK/tnod.err")" = 1 ]
stop_pid "${PIDS[peertn]}"
stop_pid "${PIDS[tnod]}"
check "peernb listens on 5021" start_peer_as peernb 5021 10.1.0.2,10.2.0.2 --every 1 --paddrs
in_cli sctp_client --asconf-bind --port 6021 --connect 10.1.0.2 --peer-port 5021 --send-every 200 \
	>"$WORK/abindn.log" 2>&1 &
PIDS[abindn]=$!
check "no daemon: asconf_bind returns 1, bound to the wildcard, and says why" \
	wait_line "$WORK/abindn.log" '^BOUND ret=1 name=0\.0\.0\.0:6021 reason=cannot reach asconfd.*: bound to the wildcard$' 10
check "no daemon: asconf_bind's association comes up" wait_line "$WORK/peernb.log" '^PADDRS' 10
check "no daemon: asconf_bind's peer sees the wildcard (mgmt0 advertised)" \
	has_excluded "$WORK/peernb.log"
check "no daemon: asconf_bind's data flows" wait_line "$WORK/peernb.log" '^DATA seq=0$' 5
stop_pid "${PIDS[abindn]}"
stop_pid "${PIDS[peernb]}"

dump_if_failed peer client peerw wide peer3 tcpstyle peer6 client6 peern nod \
	tsrv peert tsrv1 peert1 tcli peertc tsrvd tclid tsrv6 peert6 tsrvw peertw abind peerb abind6 peerb6 abinde tnod peertn abindn peernb
if [ "$FAILED" -ne 0 ]; then
	for n in client wide emptyp tcpstyle client6 nod tsrv tsrv1 tcli tclid tsrv6 tsrvw tnod; do show "$n.err" "$WORK/$n.err"; done
fi
finish
