#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make lint (cppcheck, clang-tidy with warnings as errors) is part of
# make check: its verdict counts in the final line.

load helpers

@test "lint: cppcheck and clang-tidy find nothing" {
	run make -s -C "$BATS_TEST_DIRNAME/.." lint
	[ "$status" -eq 0 ] || { echo "$output" | grep -E "error|warning" | head -40; false; }
}

@test "lint: no two modules import each other, in a circle (supervisor/, stacks/, common/, shim/)" {
	cd "$BATS_TEST_DIRNAME/.."
	run tests/lint/include-cycles.py supervisor stacks stacks/tool stacks/lwip common shim
	assert_success
	refute_output
}

@test "lint: the circle finder finds a circle" {
	mkdir "$BATS_TEST_TMPDIR/m"
	printf '#include "b.h"\n' > "$BATS_TEST_TMPDIR/m/a.c"
	printf '#include "a.h"\n' > "$BATS_TEST_TMPDIR/m/b.c"
	printf '#include "a.h"\n' > "$BATS_TEST_TMPDIR/m/b.h"
	: > "$BATS_TEST_TMPDIR/m/a.h"
	run "$BATS_TEST_DIRNAME/lint/include-cycles.py" "$BATS_TEST_TMPDIR/m"
	assert_failure
	assert_output --partial "import circle:"
}
