#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/oldkernel/build.sh KSRC: build the Linux 3.0.1 bzImage the vm-old tier
# boots (make old-kernel KSRC=DIR). See docs/old-kernel.md.
#
# KSRC is an extracted Linux 3.0.1 tree. The script applies the minimal fixes
# for Debian's toolchain (linux-3.0.1-gcc12.patch beside it; re-running it on
# a patched tree is fine), builds out of tree under build/oldkernel/obj with
# config-3.0.1-x86_64 and Debian's gcc, and writes tests/oldkernel/bzImage-3.0.1
# and its .sha256. SCTP, veth, netns and the rest are built in: no modules.
#
# Environment: JOBS (default 1: the build runs at nice 19 on a shared
# machine), OBJ (object directory, default build/oldkernel/obj).
set -euo pipefail

die() { echo "tests/oldkernel/build.sh: error: $*" >&2; exit 1; }
note() { echo "tests/oldkernel/build.sh: $*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
(($# == 1)) || die "usage: tests/oldkernel/build.sh KSRC (an extracted Linux 3.0.1 tree)"
ksrc=$(cd "$1" 2>/dev/null && pwd) || die "KSRC not a directory: $1"
jobs=${JOBS:-1}
obj=${OBJ:-$repo/build/oldkernel/obj}
out=$here/bzImage-3.0.1

[[ -f $ksrc/Makefile ]] || die "$ksrc has no Makefile"
v=$(awk -F' *= *' '$1 == "VERSION" || $1 == "PATCHLEVEL" || $1 == "SUBLEVEL" { printf "%s.", $2 } NR > 5 { exit }' "$ksrc/Makefile")
[[ $v == 3.0.1. ]] || die "$ksrc is Linux ${v%.}, not 3.0.1"
for tool in gcc ld make perl patch xz bc; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install build-essential bc xz-utils)"
done

# 1. The fixes. A tree that already has them (the reverse applies) is left alone.
fix=$here/linux-3.0.1-gcc12.patch
if patch -d "$ksrc" -p1 -R -s -f --dry-run <"$fix" >/dev/null 2>&1; then
    note "fixes already applied to $ksrc"
else
    patch -d "$ksrc" -p1 -s -f --no-backup-if-mismatch <"$fix" || die "cannot apply $fix to $ksrc"
    note "applied ${fix#"$repo"/}"
fi
# 3.0 knows compiler-gcc3.h and -gcc4.h only; gcc 5+ gets the gcc4 one (the
# tree includes compiler-gcc<major>.h).
major=$(gcc -dumpversion | cut -d. -f1)
[[ -f $ksrc/include/linux/compiler-gcc$major.h ]] ||
    cp "$ksrc/include/linux/compiler-gcc4.h" "$ksrc/include/linux/compiler-gcc$major.h"

# 2. The build. The tree's own Makefile defaults to an ARM cross compiler.
# -fno-pie -no-pie: Debian's gcc defaults to PIE, which breaks the real-mode
# code; -fgnu89-inline: 3.0 relies on gnu89 extern inline; -fcommon: gcc 10+
# defaults to -fno-common; KCFLAGS=-Wno-error: new warnings in old code.
# A fixed timestamp, user and host keep the image the same from run to run.
mkdir -p "$obj"
cp "$here/config-3.0.1-x86_64" "$obj/.config"
kmake=(nice -n 19 make -C "$ksrc" O="$obj" ARCH=x86_64 CROSS_COMPILE=
    CC="gcc -fno-pie -no-pie -fgnu89-inline -fcommon -fno-stack-protector"
    HOSTCC=gcc KCFLAGS=-Wno-error
    KBUILD_BUILD_TIMESTAMP="${KBUILD_BUILD_TIMESTAMP:-Mon Aug 15 00:00:00 UTC 2011}"
    KBUILD_BUILD_USER=asconfd KBUILD_BUILD_HOST=oldkernel KBUILD_BUILD_VERSION=1)
"${kmake[@]}" silentoldconfig </dev/null >/dev/null || die "make silentoldconfig failed"
# The config must survive oldconfig unchanged: a difference means the tree
# is not the one the config was made for.
if ! diff -q <(grep -v '^#' "$here/config-3.0.1-x86_64" | sort) <(grep -v '^#' "$obj/.config" | sort) >/dev/null; then
    diff <(grep -v '^#' "$here/config-3.0.1-x86_64" | sort) <(grep -v '^#' "$obj/.config" | sort) >&2 || true
    die "make silentoldconfig changed the config (above)"
fi
start=$SECONDS
note "make bzImage -j$jobs (nice 19) in ${obj#"$repo"/}"
"${kmake[@]}" -j"$jobs" bzImage || die "make bzImage failed"
note "built in $((SECONDS - start)) s"

img=$obj/arch/x86/boot/bzImage
[[ -f $img ]] || die "no $img after the build"
grep -q '^CONFIG_IP_SCTP=y' "$obj/.config" || die "SCTP is not built in"
cp "$img" "$out.tmp"
mv "$out.tmp" "$out"
(cd "$here" && sha256sum bzImage-3.0.1 >bzImage-3.0.1.sha256)
note "wrote ${out#"$repo"/} ($(stat -c %s "$out") bytes): $(cut -d' ' -f1 "$out.sha256")"
