#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILD SECONDS - replay the kept inputs of every fuzz target, then
# fuzz each for SECONDS.  New inputs go to BUILD/fuzz/corpus-*; a crash is
# written to tests/fuzz/regress/TARGET-* to be kept as a regression case.
set -eu
build=$1
secs=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/regress"
for f in "$build"/fuzz/fuzz_*; do
	t=${f##*/fuzz_}
	work="$build/fuzz/corpus-$t"
	mkdir -p "$work"
	set -- "$here/corpus/$t"
	ls "$here/regress/$t"-* >/dev/null 2>&1 && set -- "$@" "$here"/regress/"$t"-*
	echo "== $t: replaying kept inputs"
	"$f" -runs=0 "$@" 2>&1 | tail -n 2
	echo "== $t: fuzzing for ${secs}s"
	"$f" -max_total_time="$secs" -artifact_prefix="$here/regress/$t-" \
		-print_final_stats=1 "$work" "$here/corpus/$t" 2>&1 |
		grep -E '^(stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY' || true
done
