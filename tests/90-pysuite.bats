#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A fast subset of make pysuite: CPython's own tests of select and
# poll, unmodified, give the same result case by case under ip netns exec,
# under a netsup kernel stack and under netsup-lwip.  The whole list
# (test_asyncio, test_ssl...) is make pysuite; test_socket, the judge of
# the userspace stack's socket semantics, runs here too.

load helpers

@test "pysuite: CPython's test_select and test_poll agree under ip netns exec, a kernel stack and lwIP" {
	run env PYSUITE_TIMEOUT=120 "$BATS_TEST_DIRNAME/pysuite.sh" "$BUILD" test_select test_poll
	echo "$output"
	assert_success
	assert_line --regexp "^test_poll:  ipnetns ok=[1-9][0-9]* bad=0 "
	refute_output --partial "differs"
}

@test "pysuite: CPython's test_socket agrees under ip netns exec, a kernel stack and lwIP, ancillary data and UDP-Lite included" {
	run env PYSUITE_TIMEOUT=120 "$BATS_TEST_DIRNAME/pysuite.sh" "$BUILD" test_socket
	echo "$output"
	assert_success
	assert_line --regexp "^test_socket:  ipnetns ok=[1-9][0-9]* bad=0 .* lwip ok=[1-9][0-9]* bad=0 "
	refute_output --partial "differs"
}
