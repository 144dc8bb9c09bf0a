#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILD [SUITE...] - run the bats suites, end with "N passed, M failed"
# (and ", K skipped" when a test could not run on this kernel)
set -u
build=$1
shift
[ $# -gt 0 ] || set -- "$(dirname "$0")"/[0-9]*.bats
export NETSUP_BUILD="$build"
out=$(mktemp)
bats --tap "$@" | tee "$out"
skipped=$(grep -c '^ok .* # skip' "$out")
passed=$(( $(grep -c '^ok ' "$out") - skipped ))
failed=$(grep -c '^not ok ' "$out")
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out" | head -n1)
rm -f "$out"
# A suite that died before reporting counts as failures, not as nothing.
missing=$(( ${planned:-0} - passed - failed - skipped ))
[ "$missing" -gt 0 ] && failed=$((failed + missing))
[ "$passed" -gt 0 ] || failed=$((failed + 1))
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
