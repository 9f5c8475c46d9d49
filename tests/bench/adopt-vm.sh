# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run): the cost of one adoption scan with N SCTP
# sockets on the host that asconfd never heard of (sockfarm --wait, ports
# 20000...), read from the daemon's own debug line "adoption scan: ...
# listed in X ms, C candidate(s), F owner(s) found in Y ms".  Each address
# event on c2 (an address added: a pass, which a scan precedes) runs one
# scan; a status request runs none.  Three rule sets:
#   port-nomatch  adopt-ports = 3869, where no socket is: sock_diag only
#   port-comm     adopt-ports = 3868 and adopt-commands = nomatch, with one
#                 socket on 3868: sock_diag plus the walk of /proc (every
#                 fd of every process, the farm's N included), each scan
#   comm-only     adopt-commands = nomatch: all N sockets are candidates
# and none: no adopt key, where no pass may scan at all.
# The table also goes to /out/adopt.txt (make bench's summary reads it).
. /extra/lib.sh
trap topo_down EXIT
N=${1:-10000}
ROUNDS=${2:-20}
topo_up
# N sockets in one process: above the default hard limit of descriptors.
ulimit -Hn $((N + 1024)) && ulimit -n $((N + 1024))
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 --wait >"$WORK/farm.log" 2>&1 &
wait_line "$WORK/farm.log" '^WAITING' 300 || { cat "$WORK/farm.log"; exit 1; }
in_cli sctp_client --bind 10.1.0.1 --port 3868 --listen >"$WORK/l.log" 2>&1 &
wait_line "$WORK/l.log" '^LISTENING' 10 || exit 1

med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
run() {
	local name=$1 rules=$2 i
	printf '[policy default]\ninterfaces = c2\n%b\n' "$rules" >"$WORK/$name.conf"
	start_asconfd -C "$WORK/$name.conf" -v || { echo "asconfd did not start"; exit 1; }
	local scans
	# The scan at start is logged just after "ready".
	[ -z "$rules" ] || wait_line "$WORK/asconfd.log" 'adoption scan:' 30
	scans=$(grep -c 'adoption scan:' "$WORK/asconfd.log")
	for ((i = 0; i < ROUNDS; i++)); do asconfctl status >/dev/null; done
	[ "$(grep -c 'adoption scan:' "$WORK/asconfd.log")" -eq "$scans" ] ||
		echo "$name: a status request ran an adoption scan (it must not)" | tee -a /out/adopt.txt
	for ((i = 0; i < ROUNDS; i++)); do
		ip -n cli addr add "10.2.0.$((i + 1))/24" dev c2
		if [ -n "$rules" ]; then
			wait_count "$WORK/asconfd.log" 'adoption scan:' $((scans + i + 1)) 60 ||
				echo "$name: no scan after address $((i + 1))"
		else
			wait_line "$WORK/asconfd.log" "address 10\\.2\\.0\\.$((i + 1))/24 new on c2" 10
		fi
	done
	ip -n cli addr flush dev c2 scope global
	stop_asconfd_checked >/dev/null 2>&1 || true
	local lines
	lines=$(grep 'adoption scan:' "$WORK/asconfd.log")
	if [ -z "$rules" ]; then
		echo "$name: $(grep -c 'adoption scan:' <<<"$lines") scans (no adopt key: must be 0)" | tee -a /out/adopt.txt
		return
	fi
	local listed list cand walk
	listed=$(sed -nE 's/.*scan: ([0-9]+) socket.*/\1/p' <<<"$lines" | tail -1)
	cand=$(sed -nE 's/.*, ([0-9]+) candidate.*/\1/p' <<<"$lines" | tail -1)
	list=$(sed -nE 's/.*listed in ([0-9.]+) ms.*/\1/p' <<<"$lines" | med)
	walk=$(sed -nE 's/.*found in ([0-9.]+) ms.*/\1/p' <<<"$lines" | med)
	printf '%-13s listed %6s  candidates %6s  sock_diag %8s ms  /proc walk %8s ms  (median of %s scans)\n' \
		"$name" "$listed" "$cand" "$list" "$walk" "$(wc -l <<<"$lines")" | tee -a /out/adopt.txt
}
mkdir -p /out
echo "adoption scan cost with $N unmanaged SCTP sockets on the host (+1 on port 3868)" | tee /out/adopt.txt
run none ""
run port-nomatch "adopt-ports = 3869"
run port-comm "adopt-ports = 3868\nadopt-commands = nomatch"
run comm-only "adopt-commands = nomatch"
