# SPDX-License-Identifier: GPL-2.0-or-later
# asconfd --netns NAME, started from the root namespace, follows the
# addresses of namespace NAME (and only those), and a bad name is a clear
# start-up error.
. /extra/lib.sh
trap topo_down EXIT
topo_up

export ASCONF_CONTROL=$WORK/control.sock
"$ASCONFD" --foreground --netns cli --control "$ASCONF_CONTROL" --interface c2 \
	>"$WORK/asconfd.log" 2>&1 &
check "asconfd --netns cli starts from the root namespace" \
	wait_line "$WORK/asconfd.log" 'ready: control socket' 5
managed_assoc
ip -n cli addr add 10.2.0.1/24 dev c2
check "an address added in cli reaches the peer" \
	wait_line "$WORK/peer.log" '^ADDR_ADDED 10\.2\.0\.1 ' 5
check "status names the namespace" status_has '^asconfd .* netns cli '

"$ASCONFD" --foreground --netns no-such-ns --control "$WORK/other.sock" --interface c2 \
	>"$WORK/bad.log" 2>&1
rc=$?
check "--netns with a missing namespace exits 1" test "$rc" -eq 1
check "and says which namespace and why" \
	grep -q "cannot enter network namespace 'no-such-ns': No such file or directory" "$WORK/bad.log"

# Without --foreground it returns at once and serves in the background.
"$ASCONFD" --netns cli --control "$WORK/bg.sock" --interface c2 >"$WORK/bg.log" 2>&1
rc=$?
check "without --foreground asconfd daemonizes and exits 0" test "$rc" -eq 0
check "the background daemon answers" \
	bash -c "asconfctl --control '$WORK/bg.sock' status | grep -q '^asconfd .* netns cli '"

dump_if_failed peer client bad
finish
