#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A fast subset of make pysuite: CPython's own tests of select and
# poll, unmodified, give the same result case by case under ip netns exec,
# under a netsup kernel stack and under netsup-lwip.  The whole list
# (test_asyncio, test_httplib...) is make pysuite; test_socket, the judge
# of the userspace stack's socket semantics, runs here too, and test_ssl
# and test_epoll, whose two differing cases netsup-lwip(8) lists.

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

@test "pysuite: CPython's test_ssl and test_epoll agree but for the two cases netsup-lwip(8) lists" {
	run env PYSUITE_TIMEOUT=120 "$BATS_TEST_DIRNAME/pysuite.sh" "$BUILD" test_ssl test_epoll
	echo "$output"
	[ "$status" -le 1 ]
	assert_line --regexp "^test_ssl:  ipnetns ok=[1-9][0-9]* bad=0 .* kernel ok=[1-9][0-9]* bad=0 "
	assert_line --regexp "^test_epoll:  ipnetns ok=[1-9][0-9]* bad=0 .* kernel ok=[1-9][0-9]* bad=0 "
	refute_output --partial "kernel differs"
	# every case that differs is one of the documented two
	local cases
	cases=$(grep '^    test\.' <<< "$output" | sed 's/^ *//; s/:.*//' | sort | tr '\n' ' ')
	[ -z "$cases" ] || [ "$cases" = "test.test_epoll.TestEPoll.test_control_and_wait test.test_ssl.ThreadedTests.test_server_accept " ] ||
		[ "$cases" = "test.test_epoll.TestEPoll.test_control_and_wait " ] ||
		[ "$cases" = "test.test_ssl.ThreadedTests.test_server_accept " ]
	grep -q "test_server_accept" "$BATS_TEST_DIRNAME/../man/netsup-lwip.8"
	grep -q "test_control_and_wait" "$BATS_TEST_DIRNAME/../man/netsup-lwip.8"
}
