#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# close(2) frees a socket at once, whatever stack it lives in: a port bound
# and closed can be bound again, a closed listener refuses connections.
# netsup answers a socket() with ADDFD, close of its own copy, then SEND:
# when the program runs on, its descriptor is the socket's only reference.
# tests/progs/closerace makes the second socket first, so that nothing but
# the calls under test runs in the window a late close would leave open.

load helpers

RACE="$PROGS/closerace"

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# lwip_tap: namespace P whose TAP (10.203.0.1) links a netsup-lwip serving
# $SF at 10.203.0.2 and fd03::2
lwip_tap() {
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.203.0.1/24 dev lwtap
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	lwip_serve "$SF" "$P" 10.203.0.2/24 fd03::2/64
}

@test "close: reference: under ip netns exec, rebinding a closed port and connecting to a closed listener never fail" {
	ns_new A
	run ip netns exec "$A" "$RACE" rebind 127.0.0.1 1000
	assert_success
	assert_output "tries=1000 failures=0"
	run ip netns exec "$A" "$RACE" listen 127.0.0.1 1000
	assert_success
	assert_output "tries=1000 failures=0"
}

@test "close: kernel stack: a port bound and closed is free at once, IPv4 and IPv6 (1000 tries, none refused)" {
	ns_new A
	run "$NETSUP" -d "$A" -- "$RACE" rebind 127.0.0.1 1000
	assert_success
	assert_output "tries=1000 failures=0"
	run "$NETSUP" -d "$A" -- "$RACE" rebind ::1 1000
	assert_success
	assert_output "tries=1000 failures=0"
}

@test "close: kernel stack: a closed listener refuses at once, IPv4 and IPv6 (1000 tries, none connected)" {
	ns_new A
	run "$NETSUP" -d "$A" -- "$RACE" listen 127.0.0.1 1000
	assert_success
	assert_output "tries=1000 failures=0"
	run "$NETSUP" -d "$A" -- "$RACE" listen ::1 1000
	assert_success
	assert_output "tries=1000 failures=0"
}

# msocket() of a path is answered after the path helper, by the event loop:
# its timing hid the late close, so this one passed before the fix too
@test "close: kernel stack: the same for a socket made by msocket()" {
	ns_new A
	run "$NETSUP" -- "$RACE" rebind 127.0.0.1 1000 "/run/netns/$A"
	assert_success
	assert_output "tries=1000 failures=0"
	run "$NETSUP" -- "$RACE" listen 127.0.0.1 1000 "/run/netns/$A"
	assert_success
	assert_output "tries=1000 failures=0"
}

@test "close: userspace stack: a port bound and closed is free at once, and a closed listener refuses (1000 tries each)" {
	lwip_tap
	run "$NETSUP" -d inet="$SF" -- "$RACE" rebind 10.203.0.2 1000
	assert_success
	assert_output "tries=1000 failures=0"
	run "$NETSUP" -d inet="$SF" -- "$RACE" listen 10.203.0.2 1000
	assert_success
	assert_output "tries=1000 failures=0"
}

@test "close: --user-net: a port bound and closed is free at once, and a closed listener refuses (1000 tries each)" {
	run "$NETSUP" --user-net -- "$RACE" rebind 10.0.2.15 1000
	assert_success
	assert_output "tries=1000 failures=0"
	run "$NETSUP" --user-net -- "$RACE" listen 10.0.2.15 1000
	assert_success
	assert_output "tries=1000 failures=0"
}
