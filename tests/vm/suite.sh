# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every scenario given (files under /extra) in this one VM boot, each
# in a fresh pair of namespaces, and prints one total.
passed=0 failed=0 rc=0
# The daemon under test is the sanitizer build: real kernel paths under
# ASan, UBSan and LeakSanitizer.  Without it the tier cannot run.
if ! command -v asconfd-san >/dev/null; then
	echo "FAIL: asconfd-san is not in the VM (make build/tests/vm/asconfd-san)"
	echo "vm: 0 passed, 1 failed"
	exit 1
fi
export ASCONFD=asconfd-san
# Which kernel ran the scenarios (make check boots two).
echo "vm: kernel $(uname -r)"
for s in "$@"; do
	echo "=== scenario $s"
	out=$(bash "/extra/$s" 2>&1 | tee /proc/self/fd/2)
	st=${PIPESTATUS[0]}
	p=$(grep -c '^PASS: ' <<<"$out")
	f=$(grep -c '^FAIL: ' <<<"$out")
	# A scenario that died without saying why still counts as a failure.
	if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: scenario $s exited $st"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f))
	[ "$st" -ne 0 ] && rc=1
done
echo "vm: $passed passed, $failed failed"
exit $rc
