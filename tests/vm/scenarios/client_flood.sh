# SPDX-License-Identifier: GPL-2.0-or-later
# One member of the control group floods the control socket with idle
# connections (issue 20, finding 4): beyond max-clients-per-user (256 by
# default) each is refused at once with the reason and holds no descriptor;
# root's asconfctl status and check, and another member's MANAGE, are served
# meanwhile; the idle ones are dropped after client-idle-timeout (10 s by
# default), told why; the daemon's descriptors stay bounded, it does not
# spin, and it serves on.  max-clients = 280 is above the per-user limit, so
# the flood alone would have filled it (as 1,100 connections filled the
# default 1024 before the per-user limit).
. /extra/lib.sh
trap topo_down EXIT
topo_up

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
nfds() { ls "/proc/$1/fd" | wc -l; }

conf=$WORK/asconfd.conf
printf '[asconfd]\ncontrol-group = 4242\ncontrol-mode = 0660\nmax-clients = 280\n' >"$conf"
printf '[policy default]\ninterfaces = c1 c2\n' >>"$conf"
check "asconfd starts" start_asconfd -C "$conf"
pid=$(daemon_pid)
fds0=$(nfds "$pid")
echo "daemon descriptors before the flood: $fds0"
check "peer listens" start_peer 5000 10.1.0.2,10.2.0.2

in_cli ctl_flood --as 1000:4242 -n 300 --hold 30 >"$WORK/flood.log" 2>&1 &
flood=$!
check "the flood of 300 connections by uid 1000 is in" \
	wait_line "$WORK/flood.log" '^CONNECTED ' 60
show flood "$WORK/flood.log"
check "  ... 256 stay open (max-clients-per-user = 256), 44 are refused" \
	grep -q '^CONNECTED total=300 refused=44 open=256 failed=0$' "$WORK/flood.log"
check "  ... with the reason" \
	grep -qx 'REFUSED_REASON ERR 87 too many clients of uid 1000 (max-clients-per-user = 256)' \
	"$WORK/flood.log"
fds=$(nfds "$pid")
echo "daemon descriptors during the flood: $fds"
check "  ... the daemon holds no descriptor for the refused ones" \
	test "$fds" -le $((fds0 + 256 + 4))

t0=$(cpu_ticks "$pid")
timeout 10 asconfctl status >"$WORK/status.out" 2>&1
st=$?
check "root's asconfctl status is served during the flood" \
	bash -c "[ $st -eq 0 ] && grep -q ' sockets 0 ' '$WORK/status.out'"
[ "$st" -eq 0 ] || show status "$WORK/status.out"
check "  ... and asconfctl check is OK" timeout 10 asconfctl check
check "another member (uid 1001) hands a socket over during the flood" \
	start_client_as member --as 1001:4242 --bind 10.1.0.1 --port 6000 \
	--connect 10.1.0.2 --peer-port 5000 --manage
check "  ... MANAGED" grep -q '^MANAGED' "$WORK/member.log"
ip -n cli addr add 10.2.0.1/24 dev c2
check "  ... and its peer is told of a new address" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
sleep 2
t1=$(cpu_ticks "$pid")
echo "daemon CPU while the flood is held: $((t1 - t0)) ticks of 10 ms"
check "no spinning over the flood held open" test $((t1 - t0)) -lt 100

check "the idle connections are dropped after client-idle-timeout (10 s)" \
	wait_line "$WORK/flood.log" '^DROPPED 256 of 256 ' 25
show flood "$WORK/flood.log"
check "  ... told why" grep -qx \
	'DROP_REASON ERR 110 no request within 10000 ms (client-idle-timeout)' "$WORK/flood.log"
check "  ... not before it" bash -c "
	ms=\$(sed -nE 's/^DROPPED .* after_ms=([0-9]+)$/\\1/p' '$WORK/flood.log')
	[ \"\${ms:-0}\" -ge 8000 ]"
sleep 1
fds=$(nfds "$pid")
echo "daemon descriptors after the drop: $fds"
check "  ... their descriptors are closed" test "$fds" -le $((fds0 + 6))
check "the member that spoke keeps its connection and socket" status_has ' sockets 1 '
check "the refusals and drops are logged, not one line each" bash -c "
	r=\$(grep -c 'refused a client of uid 1000' '$WORK/asconfd.log')
	d=\$(grep -c 'dropped a client of uid 1000' '$WORK/asconfd.log')
	[ \"\$r\" -ge 1 ] && [ \"\$r\" -le 3 ] && [ \"\$d\" -ge 1 ] && [ \"\$d\" -le 3 ]"
grep -E 'refused a client|dropped a client' "$WORK/asconfd.log" | sed 's/^/    log| /'

# The flooder's share is its own again once its connections are gone.
in_cli ctl_flood --as 1000:4242 -n 10 >"$WORK/flood2.log" 2>&1
check "uid 1000 may connect again" grep -q '^CONNECTED total=10 refused=0 open=10 ' \
	"$WORK/flood2.log"
check "asconfd still serves" timeout 10 asconfctl check
check "asconfd still runs" kill -0 "$ASCONFD_PID"
wait "$flood" 2>/dev/null

dump_if_failed peer member flood
finish
