# SPDX-License-Identifier: GPL-2.0-or-later
# sock_diag on the real kernel: what netlink/sctpdiag reports for each SCTP
# socket (inode, port, bound addresses) is what the kernel's own
# /proc/net/sctp says: a dual-stack listener bound to two addresses (in
# /proc/net/sctp/eps) and a connected client (only in
# /proc/net/sctp/assocs: the endpoint table holds listeners only); sockets
# nobody handed to asconfd; nothing of the peer's namespace.
. /extra/lib.sh
trap topo_down EXIT
topo_up

check "peer listens on 10.1.0.2,10.2.0.2:5000" start_peer 5000 10.1.0.2,10.2.0.2
check "unmanaged listener on 10.1.0.1 and fd01::1 port 3868" \
	start_client_as lis --inet6 --listen --bind 10.1.0.1,fd01::1 --port 3868
in_cli sctp_client --bind 10.1.0.1 --port 6000 --connect 10.1.0.2 --peer-port 5000 \
	>"$WORK/cl.log" 2>&1 &
check "unmanaged client 10.1.0.1:6000 connects" wait_line "$WORK/cl.log" '^CONNECTED' 10

# One line per endpoint: "inode port addr,addr" with the addresses sorted;
# IPv6 in the kernel's uncompressed form (%pI6), which diaglist --full
# also prints.
from_diag() {
	in_cli diaglist --full | sed -nE 's/^EP inode=([0-9]+) port=([0-9]+) uid=[0-9]+ state=[0-9]+ family=[a-z0-9]+ local=(.*)$/\1 \2 \3/p' |
		while read -r ino port addrs; do
			printf '%s %s %s\n' "$ino" "$port" "$(tr ',' '\n' <<<"$addrs" | sort | paste -sd,)"
		done | sort -u
}
# /proc/net/sctp/eps: ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS...
from_proc() {
	in_cli cat /proc/net/sctp/eps | awk 'NR > 1 { printf "%s %s", $8, $6;
		for (i = 9; i <= NF; i++) printf " %s", $i; printf "\n" }' |
		while read -r ino port addrs; do
			printf '%s %s %s\n' "$ino" "$port" "$(tr ' ' '\n' <<<"$addrs" | sort | paste -sd,)"
		done | sort
}
from_diag >"$WORK/diag.txt"
from_proc >"$WORK/proc.txt"
# /proc/net/sctp/assocs: ... UID INODE LPORT RPORT LADDRS <-> RADDRS
client_ino=$(in_cli awk '$12 == 6000 { print $11 }' /proc/net/sctp/assocs)
check "sock_diag lists the 2 sockets of cli" [ "$(wc -l <"$WORK/diag.txt")" -eq 2 ]
grep ' 3868 ' "$WORK/diag.txt" >"$WORK/diag-listener.txt"
check "the listener's line equals /proc/net/sctp/eps (inode, port, addresses)" \
	cmp -s "$WORK/diag-listener.txt" "$WORK/proc.txt"
check "the connected client: its inode, port 6000 and 10.1.0.1" \
	grep -qx "$client_ino 6000 10.1.0.1" "$WORK/diag.txt"
check "the listener's two addresses are reported" \
	grep -Eq '^[0-9]+ 3868 10\.1\.0\.1,fd01(:0000){6}:0001$' "$WORK/diag.txt"
check "the peer's namespace is not mixed in" \
	bash -c "! grep -q ' 5000 ' '$WORK/diag.txt'"
if [ "$FAILED" -ne 0 ]; then
	show diag "$WORK/diag.txt"; show proc "$WORK/proc.txt"
fi
finish
