# SPDX-License-Identifier: GPL-2.0-or-later
# The configuration file: a client names a policy; SIGHUP adds an interface
# to it (its address reaches the peer) and drops one (its address is
# removed); a broken file on SIGHUP or 'asconfctl reload' changes nothing
# (file:line logged and printed, the daemon keeps serving); a reload that
# changes nothing for a socket makes no bindx; a socket whose policy is
# gone is released with its addresses left bound.
. /extra/lib.sh
trap topo_down EXIT
topo_up
ip link add c3 netns cli type veth peer name s3 netns srv
ip -n srv addr add 10.3.0.2/24 dev s3
ip -n cli link set c3 up
ip -n srv link set s3 up

# SIGHUP to asconfd itself ("ip netns exec" may have forked).
hup() {
	local kids
	kids=$(cat /proc/"$ASCONFD_PID"/task/*/children 2>/dev/null)
	kill -HUP ${kids:-$ASCONFD_PID}
}
conf=$WORK/asconfd.conf
cat >"$conf" <<'CONF'
[policy default]
interfaces = c1
[policy diameter]
interfaces = c1 c2
CONF
ip -n cli addr add 10.2.0.1/24 dev c2
ip -n cli addr add 10.3.0.1/24 dev c3

check "asconfd starts with -C and two policies" start_asconfd -C "$conf" -v
check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2,10.3.0.2
check "unknown policy: refused, naming the known ones" \
	start_client_as nope --bind 10.1.0.1 --port 6001 --connect 10.1.0.2 --peer-port 5000 \
	--manage --policy nope
check "  ... MANAGE_FAILED lists default, diameter" \
	grep -Eq "^MANAGE_FAILED err=-2 unknown policy 'nope' \(this daemon has: default, diameter\)" \
	"$WORK/nope.log"
check "client with --policy diameter is managed" \
	start_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 \
	--manage --policy diameter
check "client got MANAGED" grep -q '^MANAGED' "$WORK/client.log"
check "status names policy diameter" wait_status '^socket 1 .* policy diameter$' 3
check "diameter follows c2: peer gets ADDR_ADDED 10.2.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "c3 is not followed yet" no_line "$WORK/peer.log" '^ADDR_ADDED 10\.3\.0\.1 ' 1

# SIGHUP: c3 in, c2 out.
sed -i 's/^interfaces = c1 c2$/interfaces = c1 c3/' "$conf"
hup
check "SIGHUP: reloaded" wait_line "$WORK/asconfd.log" 'reloaded .*asconfd\.conf: 2 policies' 5
check "SIGHUP added c3: peer gets ADDR_ADDED 10.3.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.3\.0\.1 ' 5
check "SIGHUP dropped c2: peer gets ADDR_REMOVED 10.2.0.1" \
	wait_line "$WORK/peer.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5
check "status: bound 10.1.0.1 10.3.0.1" wait_status '^  bound: 10\.1\.0\.1 10\.3\.0\.1$' 3

# A reload that changes nothing for the socket: no bindx at all.
nb=$(grep -c 'bindx' "$WORK/asconfd.log")
printf '# a comment\n' >>"$conf"
check "asconfctl reload of an equivalent file succeeds" asconfctl reload
check "  ... and makes no bindx" \
	bash -c "sleep 1; [ \$(grep -c bindx '$WORK/asconfd.log') -eq $nb ]"

# A broken file on SIGHUP: nothing changes, the error names file:line.
cp "$conf" "$WORK/good.conf"
cat >"$conf" <<'CONF'
[policy default]
interfaces = c1
[policy diameter]
interfaces = c1
families = ipv5
CONF
hup
check "broken file on SIGHUP: file:line logged" \
	wait_line "$WORK/asconfd.log" "reload failed, the running configuration stays: .*asconfd\.conf:5: families: 'ipv5'" 5
check "  ... 10.3.0.1 stays (no ADDR_REMOVED)" no_line "$WORK/peer.log" '^ADDR_REMOVED 10\.3\.0\.1 ' 1
check "  ... asconfd still runs" kill -0 "$ASCONFD_PID"
ip -n cli addr add 10.3.0.11/24 dev c3
check "  ... and keeps serving under the old policy: ADDR_ADDED 10.3.0.11" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.3\.0\.11 ' 5

out=$(asconfctl reload 2>&1)
st=$?
echo "    asconfctl reload: exit $st: $out"
check "asconfctl reload of the broken file exits non-zero" [ "$st" -ne 0 ]
check "  ... and prints file:line and the reason" \
	grep -Eq "^asconfctl: reload failed: .*asconfd\.conf:5: families: 'ipv5' is not ipv4 or ipv6" <<<"$out"
check "  ... 10.3.0.1 still bound" status_has '^  bound: 10\.1\.0\.1 10\.3\.0\.1 10\.3\.0\.11$'

# The policy goes away: the socket is released, its addresses stay bound.
printf '[policy default]\ninterfaces = c1\n' >"$conf"
check "reload without [policy diameter] succeeds" asconfctl reload
check "socket released with the reason logged" \
	grep -q "socket 1: released: its policy 'diameter' is gone" "$WORK/asconfd.log"
check "status lists no socket" status_has ' sockets 0 '
check "its addresses were not removed" no_line "$WORK/peer.log" '^ADDR_REMOVED 10\.3\.0\.' 1
check "asconfd still runs" kill -0 "$ASCONFD_PID"

dump_if_failed peer client nope
finish
