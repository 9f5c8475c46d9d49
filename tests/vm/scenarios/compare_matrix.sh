# SPDX-License-Identifier: GPL-2.0-or-later
# make compare's matrix (tests/compare/matrix.sh), reduced to one round per
# scenario, on this kernel: asserts the comparison's correctness columns
# (announced, correct) for asconfd, the kernel's auto_asconf and no agent,
# not latency.  Then the old-kernel profile (asconfd with every kernel
# feature newer than 3.1 hidden): its rows must be as correct, and the
# interposer must have hidden each feature the daemon asked for.
MATRIX_LIB=1 MATRIX_OUT=/tmp/compare-check
. /extra/compare-matrix.sh full 1
trap down EXIT
rm -rf "$MATRIX_OUT" && mkdir -p "$MATRIX_OUT"
: >"$REC"
: >"$LAT"

# expect SCENARIO MODE ANNOUNCED CORRECT: the record is there and says so.
expect() {
	local got
	got=$(awk -F'\t' -v s="$1" -v m="$2" '$1 == s && $2 == m { print $3 "/" $4 }' "$REC" | head -1)
	check "${PROFILE}: $1: $2 announced=$3 correct=$4 (got ${got:-no record})" [ "$got" = "$3/$4" ]
}

# The other scenarios of the matrix (queued changes, flapping, make before
# break) have their own VM scenarios; make compare runs them all.
for s in ipv4 excluded narrow ipv6 link noasconf_peer; do run_scenario "$s"; done

r="IPv4 add, followed interface"
expect "$r" asconfd yes yes; expect "$r" kernel yes yes; expect "$r" none no no
r="IPv4 delete, followed interface"
expect "$r" asconfd yes yes; expect "$r" kernel yes yes; expect "$r" none no no
r="IPv4 add on an interface outside the allowlist"
expect "$r" asconfd no yes; expect "$r" kernel yes no; expect "$r" none no yes
# A wildcard program: announced = an excluded address reached the peer.
r="INIT lists only allowed interfaces (mgmt0, docker0 excluded)"
expect "$r" asconfd no yes; expect "$r" kernel yes no; expect "$r" none yes no
r="Wildcard program: add on an allowed interface"
expect "$r" asconfd yes yes; expect "$r" kernel yes yes; expect "$r" none no no
r="Wildcard program: add on an excluded interface"
expect "$r" asconfd no yes; expect "$r" kernel yes no; expect "$r" none no yes
r="IPv6 global add, DAD runs"
expect "$r" asconfd yes yes; expect "$r" kernel yes yes; expect "$r" none no no
r="IPv6 global delete"
expect "$r" asconfd yes yes; expect "$r" kernel yes yes; expect "$r" none no no
r="IPv6 address that failed DAD"
expect "$r" asconfd no yes; expect "$r" kernel no yes; expect "$r" none no yes
r="IPv6 link-local add"
expect "$r" asconfd no yes; expect "$r" kernel no yes; expect "$r" none no yes
r="Link down (address on it)"
expect "$r" asconfd yes yes; expect "$r" kernel no no; expect "$r" none no no
r="Link up again"
expect "$r" asconfd yes yes; expect "$r" none no no
r="Peer without ASCONF support (addip_enable=0 on the peer)"
expect "$r" asconfd no yes; expect "$r" kernel no yes; expect "$r" none no yes
check "asconfd says the peer is not told" grep -q 'asconfd reports "peers told: no' "$REC"

# The old-kernel profile: asconfd's rows as above.
set_profile old
mv "$REC" "$MATRIX_OUT/rec-full.tsv"
: >"$REC"
: >"$MATRIX_OUT/hid.txt"
for s in ipv4 excluded ipv6 noasconf_peer; do run_scenario "$s"; done
for r in "IPv4 add, followed interface" "IPv4 delete, followed interface" "IPv6 global add, DAD runs"; do
	expect "$r" asconfd yes yes
done
for r in "IPv4 add on an interface outside the allowlist" "IPv6 address that failed DAD" "IPv6 link-local add"; do
	expect "$r" asconfd no yes
done
# Without SCTP_ASCONF_SUPPORTED (before 5.4) whether the peer is told is
# unknown: the peer here is not, and asconfd must not claim it is.
r="Peer without ASCONF support (addip_enable=0 on the peer)"
expect "$r" asconfd no yes
check "old-kernel profile: the text status says peers told: unknown" \
	grep -q 'asconfd reports "peers told: unknown' "$REC"
check "old-kernel profile: status --json says peers_told unknown" \
	grep -qx unknown "$MATRIX_OUT/peers-told-json-old.txt"
check "old-kernel profile: check counts the association unknown, not untold, OK" \
	grep -Eq '^ASCONFD OK - .*, 0 peer\(s\) not told, 1 peer\(s\) unknown \(the kernel cannot say\), .* untold=0;.* unknown=1;' \
	"$MATRIX_OUT/check-old.txt"
check "the full profile's check says 1 peer not told" \
	grep -Eq '^ASCONFD WARNING - .* untold=1;.* unknown=0;' "$MATRIX_OUT/check-full.txt"
# Path states in the enum before SCTP_PF (3.6): ACTIVE is 1, which the
# 6.x header calls SCTP_PF; named by the old enum the confirmed paths are
# active (a second path may still be unconfirmed when the status is taken).
check "old-kernel profile: the peer paths are active, never potentially-failed" \
	bash -c "grep -Eqx '(active|unconfirmed)(,(active|unconfirmed))*' '$MATRIX_OUT/path-states-old.txt' &&
		grep -Eq '(^|,)active(,|\$)' '$MATRIX_OUT/path-states-old.txt'"
check "the full profile's peer paths are active" \
	bash -c "grep -Eqx '(active|unconfirmed)(,(active|unconfirmed))*' '$MATRIX_OUT/path-states-full.txt' &&
		grep -Eq '(^|,)active(,|\$)' '$MATRIX_OUT/path-states-full.txt'"
for f in SCTP_AUTO_ASCONF SO_NETNS_COOKIE SIOCGSKNS pidfd_open IFA_FLAGS kcmp SO_COOKIE \
	SCTP_ASCONF_SUPPORTED SCTP_PF; do
	check "old-kernel profile: asconfd asked for $f and got the old answer" \
		grep -q "^oldkernel: hid $f\$" "$MATRIX_OUT/hid.txt"
done
if [ "$FAILED" -ne 0 ]; then
	sed 's/^/    rec| /' "$MATRIX_OUT/rec-full.tsv" "$REC"
	sed 's/^/    hid| /' "$MATRIX_OUT/hid.txt"
	sed 's/^/    out| /' "$MATRIX_OUT"/peers-told-json-*.txt "$MATRIX_OUT"/check-*.txt \
		"$MATRIX_OUT"/path-states-*.txt
fi
finish
