#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The unit layer (tests/unit/): parsers, log escaping, the process title,
# the seccomp filter's rules and the table of forwarded calls, without
# root and without namespaces.
# Each program prints TAP; a failed case fails its test here.  `make unit`
# runs the same programs alone, as any user.

bats_require_minimum_version 1.5.0
load helpers

UNIT="$BUILD/unit"

setup() { common_setup; }
teardown() { common_teardown; }

@test "unit: log messages are escaped at the sink; levels; --log" {
	run "$UNIT/log_test"
	assert_success
	refute_output --partial "not ok"
}

@test "unit: parsers of /proc, of the command line, of stack names and families" {
	run "$UNIT/parse_test"
	assert_success
	refute_output --partial "not ok"
}

@test "unit: the seccomp filter notifies, runs or refuses each call as it should" {
	run "$UNIT/filter_test"
	assert_success
	refute_output --partial "not ok"
}

@test "unit: the supervisor's title and name in ps" {
	run "$UNIT/proctitle_test"
	assert_success
	refute_output --partial "not ok"
}

@test "unit: the table of forwarded calls, and the filter's and the loop's agreement with it" {
	run "$UNIT/ucall_table_test"
	assert_success
	refute_output --partial "not ok"
}

@test "the unit layer runs as an unprivileged user" {
	[ "$(id -u)" -eq 0 ] || skip "already unprivileged"
	run setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$BATS_TEST_DIRNAME/unit/run.sh" "$BUILD"
	assert_success
	assert_output --regexp "[0-9]+ passed, 0 failed\$"
}

@test "unit: credentials kept without process events are checked by their thread's pidfd" {
	run "$UNIT/credcache_test"
	assert_success
	refute_output --partial "not ok"
}
