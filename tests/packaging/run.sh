#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What ships: make install, the .debs (make deb) and the .rpms (make rpm)
# from the make dist tarball, checked as an operator and a developer would
# use them. Prints PASS:/FAIL: lines and "packaging: N passed, N failed".
# Work files: build/pkgcheck/ (kept for a look after a failure).
set -u
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$repo/build
W=$B/pkgcheck
P=0 F=0
pass() { echo "PASS: $1"; P=$((P + 1)); }
fail() { echo "FAIL: $1"; F=$((F + 1)); }
# check NAME CMD...: CMD succeeds.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name: $out"; fi
}

cd "$repo" || exit 1
# Under `make -j2 check` the nested makes below would inherit the jobserver
# flags without its descriptors and print a warning that the uninstall check
# reads as output: they run as top-level makes.
unset MAKEFLAGS MFLAGS MAKELEVEL
rm -rf "$W" && mkdir -p "$W"
version=$(cat VERSION)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# The paths debian/rules gives make install.
debpaths=(PREFIX=/usr "LIBDIR=/usr/lib/$multiarch" UNITDIR=/lib/systemd/system SYSCONFDIR=/etc)

# --- one version everywhere ---------------------------------------------------
changelog_v=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
spec_v=$(sed -nE 's/^Version:[[:space:]]+//p' packaging/rpm/asconfd.spec)
hdr_v=$(printf '#include "asconf.h"\nASCONF_VERSION_MAJOR.ASCONF_VERSION_MINOR.ASCONF_VERSION_PATCH\n' |
	cpp -P -Iagent/lib - | tail -n 1 | tr -d ' ')
if [[ ${changelog_v%-*} == "$version" && $spec_v == "$version" && $hdr_v == "$version" ]]; then
	pass "VERSION $version = debian/changelog, rpm spec, asconf.h"
else
	fail "versions differ: VERSION $version, debian/changelog $changelog_v, spec $spec_v, asconf.h $hdr_v"
fi

# --- make install / uninstall -----------------------------------------------------
inst=$W/install
if make -s install DESTDIR="$inst" "${debpaths[@]}" >"$W/install.log" 2>&1; then
	pass "make install DESTDIR=... (Debian paths)"
else
	fail "make install: $(tail -5 "$W/install.log")"
fi
# Files and symlinks, man pages without the .gz dh_compress adds.
(cd "$inst" && find . ! -type d | sed 's|^\.||' | sort) >"$W/install.list"

plain=$W/plain
make -s install DESTDIR="$plain" >/dev/null 2>&1
make -s uninstall DESTDIR="$plain" >"$W/uninstall.log" 2>&1
left=$(find "$plain" ! -type d 2>/dev/null)
if [[ -s $W/uninstall.log ]] || [[ -n $left ]]; then
	fail "make uninstall leaves: $left $(cat "$W/uninstall.log")"
else
	pass "make uninstall removes what make install (PREFIX=/usr/local) put there"
fi
if grep -q "^ExecStart=/usr/local/sbin/asconfd " "$plain/usr/local/lib/systemd/system/asconfd.service" 2>/dev/null ||
	! make -s install DESTDIR="$plain" >/dev/null 2>&1 ||
	! grep -q "^ExecStart=/usr/local/sbin/asconfd " "$plain/usr/local/lib/systemd/system/asconfd.service"; then
	fail "the unit installed with PREFIX=/usr/local does not start /usr/local/sbin/asconfd"
else
	pass "the unit names the installed daemon (PREFIX=/usr/local)"
fi

# --- the .debs --------------------------------------------------------------------
if make -s deb >"$W/deb.log" 2>&1; then
	pass "make deb (dpkg-buildpackage from the make dist tarball)"
else
	fail "make deb: $(tail -20 "$W/deb.log")"
fi
debs=("$B"/deb/asconfd_"$version"-*.deb "$B"/deb/libasconf0_"$version"-*.deb "$B"/deb/libasconf-dev_"$version"-*.deb)
for d in "${debs[@]}"; do
	dpkg-deb -c "$d" 2>/dev/null | awk '$1 !~ /^d/ { print $6 }'
done | sed -e 's|^\.||' -e 's|\.gz$||' | grep -v -e '^/usr/share/doc/' -e '^/usr/share/lintian/' |
	sort >"$W/deb.list"
if [[ -s $W/deb.list ]] && diff -u "$W/install.list" "$W/deb.list" >"$W/list.diff"; then
	pass "make install's files = the .debs' files ($(wc -l <"$W/deb.list"), documentation aside)"
else
	fail "make install and the .debs differ: $(cat "$W/list.diff")"
fi

root=$W/root
for d in "${debs[@]}"; do dpkg -x "$d" "$root" 2>/dev/null; done
# asconfctl(8) sends readers of status --json to its layout, shipped here
# (compressed, as dh_compress does with documents).
if [[ -s $root/usr/share/doc/asconfd/status-json.md.gz ]]; then
	pass "the .deb ships /usr/share/doc/asconfd/status-json.md.gz (asconfctl(8), FILES)"
else
	fail "the .deb lacks /usr/share/doc/asconfd/status-json.md.gz that asconfctl(8) names"
fi
out=$("$root/usr/sbin/asconfd" --version 2>&1)
if [[ $out == "asconfd $version" ]]; then
	pass "asconfd --version from the unpacked .deb: $out"
else
	fail "asconfd --version from the unpacked .deb said: $out"
fi
out=$("$root/usr/bin/asconfctl" --version 2>&1)
if [[ $out == "asconfctl $version" ]]; then
	pass "asconfctl --version from the unpacked .deb: $out"
else
	fail "asconfctl --version from the unpacked .deb said: $out"
fi

# Hardening from dpkg-buildflags reaches every binary. -fcf-protection is
# not in bookworm's hardening=+all, hence --nocfprotection.
# Every ELF file the packages ship, so a new program or library is checked too.
hc=()
while IFS= read -r -d '' f; do
	[[ $(head -c 4 "$f" | od -An -c | tr -d ' ') == '177ELF' ]] && hc+=("$f")
done < <(find "$root" -type f -print0)
if ((${#hc[@]} < 3)); then
	fail "hardening-check: only ${#hc[@]} ELF files in the unpacked .debs"
elif command -v hardening-check >/dev/null; then
	check "hardening-check on ${#hc[@]} ELF files: PIE, stack protector, FORTIFY, RELRO, BIND_NOW" \
		hardening-check --nocfprotection "${hc[@]}"
else
	fail "hardening-check not installed (devscripts; scripts/install-deps)"
fi

# Lintian: no error, no warning that is not overridden with a reason. Any
# other line than a tag or its complaint about root means it did not check.
lintian --pedantic -I "$B"/deb/asconfd_"$version"-*_*.changes >"$W/lintian.log" 2>&1
lint_rc=$?
bad=$(grep -v -E -e '^[IPNXO]: ' -e '^running with root privileges' "$W/lintian.log")
if [[ $lint_rc -eq 0 && -z $bad ]]; then
	pass "lintian --pedantic: no error, no warning ($(grep -c '^[IPNX]: ' "$W/lintian.log") info/pedantic tags)"
else
	fail "lintian (exit $lint_rc): $bad"
fi

# libasconf exports asconf_* and nothing else.
syms=$(nm -D --defined-only "$root/usr/lib/$multiarch/libasconf.so.0" | awk '$2 == "T" || $2 == "D" || $2 == "B" { print $3 }')
if [[ -n $syms ]] && ! grep -v '^asconf_' <<<"$syms" >/dev/null; then
	pass "libasconf exports only asconf_*: $(echo $syms)"
else
	fail "libasconf exports: $(echo $syms)"
fi
soname=$(objdump -p "$root/usr/lib/$multiarch/libasconf.so.$version" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
[[ $soname == libasconf.so.0 ]] && pass "soname libasconf.so.0" || fail "soname is '$soname'"

# --- manual pages -----------------------------------------------------------------
for m in "$inst"/usr/share/man/man*/*; do
	grep -q '^\.so ' "$m" && continue
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
	if [[ -z $out ]]; then pass "man --warnings ${m##*/}"; else fail "man --warnings ${m##*/}: $out"; fi
done

# --- systemd ----------------------------------------------------------------------
# verify --root resolves the unit's ExecStart and dependencies in the
# installed tree; it needs the host's own targets there.
sd=$W/sdroot
mkdir -p "$sd/usr/lib/systemd/system"
cp -a "$root/." "$sd/"
cp -a /lib/systemd/system/*.target /lib/systemd/system/systemd-sysctl.service \
	/lib/systemd/system/systemd-modules-load.service "$sd/usr/lib/systemd/system/" 2>/dev/null
out=$(systemd-analyze verify --man=no --root="$sd" /lib/systemd/system/asconfd.service 2>&1)
if [[ $? -eq 0 && -z $out ]]; then
	pass "systemd-analyze verify asconfd.service (installed tree)"
else
	fail "systemd-analyze verify: $out"
fi
# The metrics timer and its service (asconfctl metrics --textfile).
out=$(systemd-analyze verify --man=no --root="$sd" /lib/systemd/system/asconfd-metrics.timer \
	/lib/systemd/system/asconfd-metrics.service 2>&1)
if [[ $? -eq 0 && -z $out ]]; then
	pass "systemd-analyze verify asconfd-metrics.timer and .service (installed tree)"
else
	fail "systemd-analyze verify asconfd-metrics: $out"
fi
if grep -q '^ExecStart=/usr/bin/asconfctl metrics --textfile ' "$root/lib/systemd/system/asconfd-metrics.service"; then
	pass "asconfd-metrics.service runs the installed asconfctl metrics --textfile"
else
	fail "asconfd-metrics.service: $(grep ^ExecStart= "$root/lib/systemd/system/asconfd-metrics.service")"
fi
# The manual pages the unit names are the ones installed.
for doc in $(sed -nE 's/^Documentation=//p' "$root/lib/systemd/system/asconfd.service"); do
	page=${doc#man:} sec=${page#*(}; sec=${sec%)} name=${page%(*}
	if [[ -e $root/usr/share/man/man$sec/$name.$sec.gz ]]; then
		pass "Documentation=$doc is installed"
	else
		fail "Documentation=$doc is not installed"
	fi
done
systemd-analyze security --offline=yes --root="$sd" /lib/systemd/system/asconfd.service >"$W/security.log" 2>&1
score=$(sed -nE 's/.*Overall exposure level for asconfd.service: ([0-9.]+).*/\1/p' "$W/security.log")
if [[ -n $score ]] && awk -v s="$score" 'BEGIN { exit !(s < 3.0) }'; then
	pass "systemd-analyze security: $score (goal below 3.0)"
else
	fail "systemd-analyze security: '${score:-no score}' (goal below 3.0; $W/security.log)"
fi
# Until the daemon reads asconfd.conf the unit says the same with options;
# once it does (--config), options there would override the file.
if "$root/usr/sbin/asconfd" --help 2>&1 | grep -q -- '--config' &&
	grep -q -- '--interface' "$root/lib/systemd/system/asconfd.service"; then
	fail "asconfd reads asconfd.conf now: drop --interface/--exclude-interface from the unit's ExecStart"
else
	pass "the unit's ExecStart and asconfd.conf do not contradict each other"
fi

# The sysusers.d file parses and declares the user the unit runs as.
user=$(sed -nE 's/^User=//p' "$root/lib/systemd/system/asconfd.service")
mkdir -p "$W/sysusers/usr/lib/sysusers.d"
cp "$root/usr/lib/sysusers.d/asconfd.conf" "$W/sysusers/usr/lib/sysusers.d/"
out=$(systemd-sysusers --dry-run --root="$W/sysusers" 2>&1)
if [[ $? -eq 0 ]] && grep -q "^Creating user '$user' " <<<"$out"; then
	pass "sysusers.d/asconfd.conf creates the unit's user $user"
else
	fail "systemd-sysusers --dry-run (User=$user): $out"
fi

# --- pkg-config: a two-line program against the installed tree --------------------------
cat >"$W/hello.c" <<'PROG'
#include <asconf.h>
int main(void) { return ASCONF_VERSION_MAJOR != 0 || *asconf_strerror() != '\0'; }
PROG
flags=$(PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/$multiarch/pkgconfig \
	pkg-config --cflags --libs libasconf 2>&1)
pcv=$(PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/$multiarch/pkgconfig \
	pkg-config --modversion libasconf 2>&1)
# shellcheck disable=SC2086  # flags are words
if cc -Wall -Werror -o "$W/hello" "$W/hello.c" $flags 2>"$W/hello.log" &&
	LD_LIBRARY_PATH=$root/usr/lib/$multiarch "$W/hello"; then
	pass "pkg-config --cflags --libs libasconf ($flags): compiles, links, runs"
else
	fail "pkg-config program ($flags): $(cat "$W/hello.log")"
fi
[[ $pcv == "$version" ]] && pass "libasconf.pc version $pcv" || fail "libasconf.pc version '$pcv', want $version"

# --- the .rpms --------------------------------------------------------------------
if make -s rpm >"$W/rpm.log" 2>&1; then
	rpms=$(ls "$B"/rpm/RPMS/*/*.rpm 2>/dev/null | wc -l)
	if [[ $rpms -eq 3 ]] && rpm -qlp "$B"/rpm/RPMS/*/asconfd-"$version"-*.rpm 2>/dev/null | grep -qx /usr/sbin/asconfd; then
		pass "make rpm: $rpms packages, asconfd has /usr/sbin/asconfd"
		if rpm -qlp "$B"/rpm/RPMS/*/asconfd-"$version"-*.rpm 2>/dev/null |
			grep -qx /usr/share/doc/asconfd/status-json.md; then
			pass "the asconfd rpm ships /usr/share/doc/asconfd/status-json.md"
		else
			fail "the asconfd rpm lacks /usr/share/doc/asconfd/status-json.md"
		fi
	else
		fail "make rpm built $rpms packages: $(ls "$B"/rpm/RPMS/*/)"
	fi
else
	fail "make rpm: $(tail -20 "$W/rpm.log")"
fi

echo "packaging: $P passed, $F failed"
((F == 0))
