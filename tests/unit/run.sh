#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILD [TEST...] - run the unit test programs (BUILD/unit/*_test),
# end with "N passed, M failed".  Needs no root and no namespaces.
set -u
build=$1
shift
[ $# -gt 0 ] || set -- "$build"/unit/*_test
passed=0
failed=0
for t in "$@"; do
	echo "# $(basename "$t")"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	ok=$(printf '%s\n' "$out" | grep -c '^ok ')
	bad=$(printf '%s\n' "$out" | grep -c '^not ok ')
	# a program that died, or failed without saying which case
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "# $(basename "$t"): exit status $rc"
		bad=1
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
