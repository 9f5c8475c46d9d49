# SPDX-License-Identifier: GPL-2.0-or-later
# The vm-old tier's first scenario, in a guest running Linux 3.0.1 (the
# committed tests/oldkernel/bzImage-3.0.1; tests/check vm-old).
#
# Everything runs in the initial network namespace, on purpose: SCTP in
# 3.0 is not network-namespace aware (net/sctp/protocol.c routes and checks
# addresses in init_net and keeps one local address list), so a peer in
# another namespace is not a separate host.  What is asserted is what one
# stack can show honestly: the kernel lacks SCTP_AUTO_ASCONF, the staged
# daemon starts and says what it falls back on, and a managed socket gets an
# address added (and removed) by sctp_bindx, read back with sctp_getladdrs
# by the socket's owner (laddrs) and in /proc/net/sctp/eps.  A peer seeing
# ASCONF needs a second guest (docs/old-kernel.md).
#
# Prints PASS:/FAIL: lines, NOTE: lines (facts recorded, not asserted) and
# "vm-old: N passed, M failed" last.
. /extra/lib.sh
WORK=/tmp/vm-old
mkdir -p "$WORK"

echo "vm-old: kernel $(uname -r)"
echo "NOTE: uptime at scenario start: $(cut -d' ' -f1 /proc/uptime) s"
check "the guest runs Linux 3.0.1" [ "$(uname -r)" = 3.0.1 ]
check "SCTP is there (/proc/net/sctp)" [ -d /proc/net/sctp ]

# One veth pair, both ends here: oldk0 is the daemon's link.
ip link add oldk0 type veth peer name oldk1
ip addr add 10.1.0.1/24 dev oldk0
ip link set oldk0 up
ip link set oldk1 up
sysctl -qw net.sctp.addip_enable=1 net.sctp.auth_enable=1 2>/dev/null ||
	echo "NOTE: cannot set net.sctp.addip_enable/auth_enable: $(ls /proc/sys/net/sctp | tr '\n' ' ')"

export ASCONF_CONTROL=$WORK/control.sock
asconfd --foreground --control "$ASCONF_CONTROL" --interface oldk0 >"$WORK/asconfd.log" 2>&1 &
DPID=$!
check "the staged asconfd starts on 3.0.1 (ready)" wait_line "$WORK/asconfd.log" 'ready: control socket' 10
check "asconfd says pidfd_open is missing (Linux 5.3+) and how it copes" \
	grep -q 'pidfd_open: .*(Linux 5.3+): owners are checked every' "$WORK/asconfd.log"

/extra/laddrs 10.1.0.1 7000 --manage >"$WORK/laddrs.log" 2>&1 &
LPID=$!
check "the probe's socket is managed" wait_line "$WORK/laddrs.log" '^(MANAGED|MANAGE_FAILED)' 5
check "  ... MANAGED, not MANAGE_FAILED" grep -q '^MANAGED$' "$WORK/laddrs.log"
check "the kernel refuses SCTP_AUTO_ASCONF (the reason asconfd exists)" \
	grep -q '^KERNEL auto_asconf=no' "$WORK/laddrs.log"
check "getladdrs: the socket starts bound to 10.1.0.1 alone" \
	wait_line "$WORK/laddrs.log" '^LADDRS 10\.1\.0\.1$' 5

# /proc/net/sctp/eps: ENDPT SOCK STY SST HBKT LPORT UID INODE LADDRS...
eps_has() { awk -v a="$1" '$6 == 7000 { for (i = 9; i <= NF; i++) if ($i == a) f = 1 } END { exit !f }' /proc/net/sctp/eps; }
eps_lacks() { ! eps_has "$1"; }

ip addr add 10.2.0.1/24 dev oldk0
check "bindx ADD: getladdrs shows 10.2.0.1 (within 5 s)" \
	wait_line "$WORK/laddrs.log" '^LADDRS 10\.1\.0\.1 10\.2\.0\.1$' 5
check "  ... and /proc/net/sctp/eps lists it on port 7000" eps_has 10.2.0.1
check "  ... and asconfctl status lists it as bound" \
	bash -c "asconfctl status | grep -q 'bound:.* 10.2.0.1'"

ip addr add 10.3.0.1/24 dev oldk1
check "an address on another link (oldk1) is never bound" \
	no_line "$WORK/laddrs.log" '10\.3\.0\.1' 2

ip addr del 10.2.0.1/24 dev oldk0
check "bindx REM: getladdrs is back to 10.1.0.1 (within 5 s)" \
	wait_line "$WORK/laddrs.log" '^LADDRS 10\.1\.0\.1$' 5
check "  ... and /proc/net/sctp/eps no longer lists 10.2.0.1" eps_lacks 10.2.0.1

echo "NOTE: asconfctl status on 3.0.1:"
asconfctl status 2>&1 | sed 's/^/    status| /'
echo "NOTE: asconfctl check on 3.0.1 (exit status below):"
asconfctl check 2>&1 | sed 's/^/    check| /'
echo "NOTE: asconfctl check exit status ${PIPESTATUS[0]}"
# Issue 22: without SCTP_ASCONF_SUPPORTED (5.4) the daemon cannot know if a
# peer was told; a "yes" there is a guess.  Recorded, not asserted here.
if asconfctl status 2>&1 | grep -q 'peers_told: yes'; then
	echo "NOTE: KNOWN GAP: status says peers_told: yes, which 3.0 cannot tell (no SCTP_ASCONF_SUPPORTED)"
fi
echo "NOTE: /proc/net/sctp/eps:"
sed 's/^/    eps| /' /proc/net/sctp/eps

kill -TERM "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null
kill -TERM "$DPID" 2>/dev/null
for ((i = 0; i < 100; i++)); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.05; done
check "asconfd exits on SIGTERM within 5 s" bash -c "! kill -0 $DPID 2>/dev/null"
wait "$DPID" 2>/dev/null
check "asconfd logged no error" bash -c "! grep -qiE 'error|assert|abort' '$WORK/asconfd.log'"

echo "NOTE: asconfd's log on 3.0.1:"
show asconfd "$WORK/asconfd.log"
show laddrs "$WORK/laddrs.log"
echo "NOTE: uptime at scenario end: $(cut -d' ' -f1 /proc/uptime) s"
echo "vm-old: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
