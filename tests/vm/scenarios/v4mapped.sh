# SPDX-License-Identifier: GPL-2.0-or-later
# Address families on AF_INET6 sockets.  A dual-stack (not IPV6_V6ONLY)
# AF_INET6 socket bound to the IPv4 address 10.1.0.1 gets a new IPv4 address
# of c2 bound and announced (ADDR_ADDED 10.2.0.1).  An IPV6_V6ONLY socket
# never gets that IPv4 address, but does get a new IPv6 address of c2.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "asconfd starts with --interface c2" start_asconfd --interface c2
check "IPv4 peer listens on port 5000" start_peer_as peer4 5000 10.1.0.2,10.2.0.2
check "IPv6 peer listens on port 5001" start_peer_as peer6 5001 fd01::2,fd02::2
check "dual-stack AF_INET6 client on 10.1.0.1 connects and is managed" \
	start_client_as client4 --inet6 --bind 10.1.0.1 --port 6000 \
		--connect 10.1.0.2 --peer-port 5000 --manage
check "v6only client on fd01::1 connects and is managed" \
	start_client_as client6 --inet6 --v6only --bind fd01::1 --port 6001 \
		--connect fd01::2 --peer-port 5001 --manage
check "both clients got MANAGED" \
	bash -c "grep -q '^MANAGED' '$WORK/client4.log' && grep -q '^MANAGED' '$WORK/client6.log'"
check "both peers saw their association" \
	bash -c "grep -q '^ASSOC_UP' '$WORK/peer4.log' && grep -q '^ASSOC_UP' '$WORK/peer6.log'"
check "status shows two inet6 sockets" \
	bash -c "[ \$(asconfctl status | grep -c '^socket .* inet6 ') -eq 2 ]"

ip -n cli addr add 10.2.0.1/24 dev c2
check "dual-stack socket: the IPv4 peer gets ADDR_ADDED 10.2.0.1" \
	wait_line "$WORK/peer4.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "status shows 10.2.0.1 bound next to 10.1.0.1" \
	wait_status '^  bound: 10\.1\.0\.1 10\.2\.0\.1$' 3
check "v6only socket: 10.2.0.1 is not bound" \
	bash -c "asconfctl status | grep -A1 ' port 6001 ' | grep -q '^  bound: fd01::1$'"
check "v6only socket: its peer hears nothing of 10.2.0.1" \
	no_line "$WORK/peer6.log" '^ADDR_' 1
# An ADD refused for now (the local route is not there yet) is logged
# once and retried: not a failure.
check "asconfd had no bindx failure" bash -c "! grep 'bindx .* failed' '$WORK/asconfd.log' |
	grep -qv 'bindx ADD .* Cannot assign requested address (retried)'"

ip -n cli addr add fd02::1/64 dev c2 nodad
check "v6only socket: the IPv6 peer gets ADDR_ADDED fd02::1" \
	wait_line "$WORK/peer6.log" '^ADDR_ADDED fd02::1 ' 5
check "v6only socket: status shows fd02::1 bound" \
	wait_status '^  bound: fd01::1 fd02::1$' 3

ip -n cli addr del 10.2.0.1/24 dev c2
check "dual-stack socket: the IPv4 peer gets ADDR_REMOVED 10.2.0.1" \
	wait_line "$WORK/peer4.log" '^ADDR_REMOVED 10\.2\.0\.1 ' 5

dump_if_failed peer4 peer6 client4 client6
finish
