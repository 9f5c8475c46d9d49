#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kernels.sh default|newest|old: the Debian kernel package the VM tier boots
# (what linux-image-amd64 depends on: 6.1 on bookworm) or the newest
# linux-image-*-amd64 the package lists offer (6.12 from bookworm-security
# today).  make compare boots both; make check runs compare_matrix on the
# second one too.  Prints the package name (for ASCONF_VM_KERNEL_PKG);
# tests/vm/run downloads it with apt-get download.  A fresh machine's
# empty package lists are updated first (as root), as tests/vm/run does.
# old: not a package but the committed Linux 3.0.1 image the vm-old tier
# boots (for ASCONF_VM_KERNEL_IMAGE), checked against its .sha256; it is
# rebuilt with make old-kernel KSRC=DIR (docs/old-kernel.md).
set -euo pipefail

if [[ ${1:-} == old ]]; then
	dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../oldkernel" && pwd)
	[[ -f $dir/bzImage-3.0.1 ]] || { echo "kernels.sh: no $dir/bzImage-3.0.1 (make old-kernel KSRC=DIR)" >&2; exit 1; }
	(cd "$dir" && sha256sum --quiet -c bzImage-3.0.1.sha256) >&2 ||
		{ echo "kernels.sh: $dir/bzImage-3.0.1 does not match bzImage-3.0.1.sha256" >&2; exit 1; }
	echo "$dir/bzImage-3.0.1"
	exit 0
fi

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
*) echo "usage: kernels.sh default|newest|old" >&2; exit 2 ;;
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
