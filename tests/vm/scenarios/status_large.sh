# SPDX-License-Identifier: GPL-2.0-or-later
# A status far bigger than the control socket's send buffer: 2,000 managed
# sockets with 41 addresses each make a JSON status of over 2 MiB.  It
# arrives whole; while one reader stalls with its reply half sent, another
# client is served and an address change is still bound, and the stalled
# reader then gets the rest of its reply.
. /extra/lib.sh
trap topo_down EXIT
topo_up
N=2000

# The sanitizer build keeps 256 MiB of freed memory in quarantine by
# default; with replies of MiBs the daemon outgrew the VM's memory.
ASCONFD_WRAP=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16")
check "asconfd starts" start_asconfd --interface c2
ASCONFD_WRAP=()
for ((k = 1; k <= 40; k++)); do echo "addr add 10.2.1.$k/32 dev c2"; done >"$WORK/addrs.txt"
in_cli ip -batch "$WORK/addrs.txt"
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 --manage >"$WORK/farm.log" 2>&1 &
check "$N sockets handed to asconfd" wait_line "$WORK/farm.log" "^MANAGED n=$N" 120
# Every socket holds its own address and c2's 40 before the status is read.
# bound_all K: every socket holds K addresses (the metrics' gauge).
bound_all() {
	asconfctl metrics | awk -v n="$N" -v k="$1" '/^asconfd_socket_bound_addresses\{/ && $2 == k { c++ }
		END { exit c != n }'
}
ok=0
for ((i = 0; i < 60; i++)); do bound_all 41 && { ok=1; break; }; sleep 2; done
check "every socket got c2's 40 addresses" [ "$ok" -eq 1 ]

asconfctl status --json >"$WORK/status.json"
check "status --json is over twice the 1 MiB send buffer" \
	[ "$(stat -c %s "$WORK/status.json")" -gt $((2 << 20)) ]
check "status --json is whole: one document with every socket and its 41 addresses" \
	jq -e --argjson n "$N" '(.sockets | length) == $n and ([.sockets[] | .bound | length] | min) == 41' \
	"$WORK/status.json"

# A reader that stalls: asconfctl blocks on the full pipe, stops reading
# its socket, and the daemon's reply waits for room.
asconfctl status --json | { sleep 8; cat; } >"$WORK/slow.json" &
slow=$!
sleep 2
check "another client is served while the slow one's reply waits" \
	timeout 5 asconfctl check
ip -n cli addr add 10.2.0.1/24 dev c2
# However many passes it takes (a first one may fail before the local route).
ok=0
for ((i = 0; i < 30; i++)); do bound_all 42 && { ok=1; break; }; sleep 2; done
check "an address added meanwhile reaches every socket" [ "$ok" -eq 1 ]
wait "$slow"
check "the stalled reader gets its whole reply" \
	jq -e --argjson n "$N" '(.sockets | length) == $n' "$WORK/slow.json"
check "the daemon is still running" daemon_pid

if [ "$FAILED" -ne 0 ]; then
	show asconfd "$WORK/asconfd.log"
	tail -3 "$WORK/farm.log"
fi
finish
