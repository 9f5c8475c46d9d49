#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kernels.sh default|newest: the Debian kernel package the VM tier boots
# (what linux-image-amd64 depends on: 6.1 on bookworm) or the newest
# linux-image-*-amd64 the package lists offer (6.12 from bookworm-security
# today).  make compare boots both; make check runs compare_matrix on the
# second one too.  Prints the package name (for ASCONF_VM_KERNEL_PKG);
# tests/vm/run downloads it with apt-get download.  A fresh machine's
# empty package lists are updated first (as root), as tests/vm/run does.
set -euo pipefail

newest() {
	apt-cache pkgnames linux-image- 2>/dev/null |
		grep -E '^linux-image-[0-9]+\.[0-9]+\.[0-9]+[-+][^ ]*-amd64$' | grep -vE -- '-(cloud|rt)-amd64$|-dbg' |
		sort -V | tail -1
}
default() {
	{ apt-cache depends linux-image-amd64 2>/dev/null || true; } |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

case ${1:-} in
default|newest) ;;
*) echo "usage: kernels.sh default|newest" >&2; exit 2 ;;
esac
pkg=$("$1")
if [[ -z $pkg ]]; then
	((EUID == 0)) || { echo "kernels.sh: no linux-image packages in apt's lists, and only root can update them" >&2; exit 1; }
	echo "kernels.sh: apt-get update" >&2
	apt-get -q update >&2 || { echo "kernels.sh: apt-get update failed" >&2; exit 1; }
	pkg=$("$1")
fi
[[ -n $pkg ]] || { echo "kernels.sh: apt's lists offer no linux-image-*-amd64 package" >&2; exit 1; }
echo "$pkg"
