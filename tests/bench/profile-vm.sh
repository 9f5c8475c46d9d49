# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/run, perf added as /extra/perf): where the time
# of a pass goes, against the bare loop of the same sctp_bindx calls.
# Usage: N ROUNDS [yes|no]: N one-to-many sockets bound to 10.1.0.1, each
# with an association to one peer (yes, the default) or none (no).
# perf records the whole VM (cpu-clock, call graphs) twice: during
# sockfarm's bare loop (ROUNDS ADD and REM loops over the N sockets), and
# during ROUNDS adds and deletes of 10.2.0.1 that asconfd's passes follow.
# Prints, for each: samples by command, then the bindx caller's
# (sockfarm's, asconfd's) symbols with their callees' samples counted in
# (perf report --children), and writes the same to /out/profile.txt.
. /extra/lib.sh
trap topo_down EXIT
N=${1:-1000}
ROUNDS=${2:-3}
ASSOC=${3:-yes}
P=/extra/perf
[ -x "$P" ] || { echo "no /extra/perf: add it with --add (make bench-profile does)"; exit 1; }
topo_up
start_asconfd --interface c2 || { echo "asconfd did not start"; exit 1; }
conn=()
if [ "$ASSOC" = yes ]; then
	start_peer 5000 10.1.0.2,10.2.0.2 || exit 1
	conn=(--connect 10.1.0.2 --peer-port 5000)
fi
# record FILE: perf over the whole VM until stop_record.
record() {
	"$P" record -a -g -e cpu-clock -F 2000 -o "$1" 2>"$WORK/perf.err" &
	PERF=$!
	sleep 2         # perf is set up before the first call it should see
}
stop_record() { kill -INT "$PERF"; wait "$PERF"; }

ip -n cli addr add 10.2.0.1/24 dev c2
: >"$WORK/farm.log"
follow 7 "$WORK/farm.log"      # read without a process beside the loop
record "$WORK/bare.data"
in_cli sockfarm --count "$N" --bind 10.1.0.1 --port 20000 "${conn[@]}" --bare 10.2.0.1 \
	--bare-rounds "$ROUNDS" --bare-pause $((1000 + 2 * N)) --bare-host "10.2.0.1/24 dev c2" --manage \
	>"$WORK/farm.log" 2>&1 &
wait_for 7 '^(BARE |CONNECT_FAILED|MANAGE_FAILED)' $((120 + N / 10 * ROUNDS)) ||
	{ cat "$WORK/farm.log"; exit 1; }
stop_record
wait_for 7 '^MANAGED' $((60 + N / 10)) || { cat "$WORK/farm.log"; exit 1; }
ip -n cli addr del 10.2.0.1/24 dev c2
wait_line "$WORK/asconfd.log" "pass over $N socket\(s\) in [0-9]+ us: 0 added, $N removed" 60 ||
	{ tail "$WORK/asconfd.log"; exit 1; }
sleep 2
record "$WORK/asconfd.data"
# Each change gets the bare loop's pause, and more (3 s + 2 ms a socket):
# the pass must be over before the next change.
gap=$((3 + 2 * N / 1000))
for ((r = 1; r <= ROUNDS; r++)); do
	ip -n cli addr add 10.2.0.1/24 dev c2
	sleep "$gap"
	ip -n cli addr del 10.2.0.1/24 dev c2
	sleep "$gap"
done
stop_record

mkdir -p /out
{
	echo "profile: $N sockets, association each: $ASSOC, $ROUNDS rounds ($(uname -r))"
	grep '^BARE' "$WORK/farm.log"
	grep 'pass over' "$WORK/asconfd.log" | tail -n $((2 * ROUNDS))
	for side in bare:sockfarm asconfd:asconfd; do
		data=$WORK/${side%%:*}.data who=${side#*:}
		echo
		echo "== ${side%%:*}: samples by command"
		"$P" report -i "$data" -n --no-children --sort comm -g none --stdio 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -8
		echo "== ${side%%:*}: $who's symbols, callees counted in (children, self, samples)"
		"$P" report -i "$data" -n --comm "$who" --children --sort sym -g none --stdio 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -60
	done
} >/out/profile.txt
cat /out/profile.txt
