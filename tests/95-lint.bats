#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make lint (cppcheck, clang-tidy with warnings as errors) is part of
# make check: its verdict counts in the final line.

load helpers

@test "lint: cppcheck and clang-tidy find nothing" {
	run make -s -C "$BATS_TEST_DIRNAME/.." lint
	[ "$status" -eq 0 ] || { echo "$output" | grep -E "error|warning" | head -40; false; }
}
