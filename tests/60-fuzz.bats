#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile input: every libFuzzer target replays its kept inputs (seeds and
# past crashes) and fuzzes for a few seconds.  make fuzz runs longer.

load helpers

fuzz() {
	local t=$1 kept=("$BATS_TEST_DIRNAME/fuzz/corpus/$t")
	compgen -G "$BATS_TEST_DIRNAME/fuzz/regress/$t-*" >/dev/null &&
		kept+=("$BATS_TEST_DIRNAME"/fuzz/regress/"$t"-*)
	run "$BUILD/fuzz/fuzz_$t" -runs=0 "${kept[@]}"
	assert_success
	mkdir -p "$BATS_TEST_TMPDIR/corpus"
	run "$BUILD/fuzz/fuzz_$t" -max_total_time="${FUZZ_CHECK_SECS:-5}" \
		-artifact_prefix="$BATS_TEST_TMPDIR/crash-" "$BATS_TEST_TMPDIR/corpus" \
		"$BATS_TEST_DIRNAME/fuzz/corpus/$t"
	assert_success
	assert_output --partial "Done"
}

@test "fuzz: the option parser" { fuzz options; }
@test "fuzz: stack names and families" { fuzz stackspec; }
@test "fuzz: the /proc texts (status, stat)" { fuzz procparse; }
@test "fuzz: the stack protocol decoder" { fuzz stackproto; }
