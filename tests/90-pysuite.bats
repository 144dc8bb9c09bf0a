#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A fast subset of make pysuite: CPython's own tests of select and
# poll, unmodified, give the same result case by case under ip netns exec,
# under a netsup kernel stack and under netsup-lwip.  The whole list
# (test_socket, test_asyncio, test_ssl...) is make pysuite.

load helpers

@test "pysuite: CPython's test_select and test_poll agree under ip netns exec, a kernel stack and lwIP" {
	run env PYSUITE_TIMEOUT=120 "$BATS_TEST_DIRNAME/pysuite.sh" "$BUILD" test_select test_poll
	echo "$output"
	assert_success
	assert_line --regexp "^test_poll:  ipnetns ok=[1-9][0-9]* bad=0 "
	refute_output --partial "differs"
}
