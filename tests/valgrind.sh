#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# valgrind.sh BUILD - memcheck over what valgrind can run of netsup
#
# Debian 12's valgrind (3.19) has no wrapper for seccomp(2) or
# pidfd_open(2): a netsup under it cannot install its filter, so the
# supervisor itself is checked by make check SAN=1 (ASan, UBSan, LSan).
# Here: netsup's start-up and every error path before the filter,
# netsup-stack, and libmsocket without a supervisor.
set -eu
build=$(cd "$1" && pwd)
ns=nsupvg$$
fails=0
vg() {
	if valgrind --quiet --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		"$@" >/dev/null 2>"$build/valgrind.log"; then
		rc=0
	else
		rc=$?
	fi
	if [ "$rc" -eq 99 ]; then
		echo "not ok: $*"
		cat "$build/valgrind.log"
		fails=$((fails + 1))
	else
		echo "ok: $* (exit $rc)"
	fi
}
trap 'ip netns del $ns 2>/dev/null; "$build/netsup-stack" del -f /dev/net/$ns 2>/dev/null || true' EXIT
ip netns add "$ns"

vg "$build/netsup" --help
vg "$build/netsup" --bogus -- true
vg "$build/netsup" -d inet=/nonexistent -- true
vg "$build/netsup" -d /dev/null -- true
vg "$build/netsup" -d "$ns" --allow /nonexistent -- true
vg "$build/netsup-stack" add "/dev/net/$ns"
vg "$build/netsup-stack" list
vg "$build/netsup-stack" info "$ns"
vg "$build/netsup-stack" del "/dev/net/$ns"
vg "$build/netsup-stack" info /dev/null
vg "$build/tests/msock" M:-:inet M:/run/netns/"$ns":inet M:/dev/null:inet D:/run/netns/"$ns":inet
vg "$build/nsrelay" bad args
echo "valgrind: $fails failed"
[ "$fails" -eq 0 ]
