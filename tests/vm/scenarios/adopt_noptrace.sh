# SPDX-License-Identifier: GPL-2.0-or-later
# Adoption without the privilege it needs: asconfd started without
# CAP_SYS_PTRACE (as under the shipped unit) with adopt-ports configured
# says once that it runs without adoption, takes nothing, keeps serving
# (a status request runs no scan: still one line), and a socket
# handed over the usual way is managed and followed.
. /extra/lib.sh
trap topo_down EXIT
topo_up

conf=$WORK/asconfd.conf
cat >"$conf" <<'CONF'
[policy default]
interfaces = c2
adopt-ports = 3868
CONF

check "peer listens on 5000" start_peer 5000 10.1.0.2,10.2.0.2
in_cli sctp_client --bind 10.1.0.1 --port 3868 --connect 10.1.0.2 --peer-port 5000 \
	>"$WORK/a.log" 2>&1 &
PIDS[a]=$!
check "client 10.1.0.1:3868 (no --manage) connects" wait_line "$WORK/a.log" '^CONNECTED' 10

ASCONFD_WRAP=(setpriv --bounding-set -sys_ptrace --inh-caps -sys_ptrace --)
check "asconfd starts without CAP_SYS_PTRACE" start_asconfd -C "$conf"
check "it says adoption needs CAP_SYS_PTRACE" \
	wait_line "$WORK/asconfd.log" 'adoption .* needs CAP_SYS_PTRACE' 5
for i in 1 2 3; do asconfctl status >/dev/null; done
ip -n cli addr add 10.2.0.1/24 dev c2
check "the 3868 client is not taken" bash -c "! asconfctl status | grep -q 'port 3868'"
check "its peer is not told (nothing adopted)" no_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 2
check "said once, after a start, three status requests and an address event" \
	[ "$(grep -c 'needs CAP_SYS_PTRACE' "$WORK/asconfd.log")" -eq 1 ]
check "a socket handed over the usual way is managed" \
	start_client_as m --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 --manage
check "  ... and holds the new address" wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.1$' 5
check "asconfd is still running" kill -0 "$ASCONFD_PID"
ASCONFD_WRAP=()
dump_if_failed a m
finish
