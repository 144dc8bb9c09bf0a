#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What -d does not move, as netsup(1) BUGS says: a TUN device the command
# makes belongs to the namespace it lives in (the kernel fixes it at the
# open of /dev/net/tun), and /proc/sys/net is the stack's only with --view.

bats_require_minimum_version 1.5.0
load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "a TUN device made under -d NS is in the command's own namespace, not in NS (netsup(1) BUGS)" {
	ns_new A
	local dev="tn$$t${BATS_TEST_NUMBER}"
	dev=${dev:0:15}
	echo "link $dev" >> "$_fixtures"
	run "$NETSUP" -d "$A" -- ip tuntap add mode tun name "$dev"
	assert_success
	# the command's netlink is NS's: it does not see the device it made
	run "$NETSUP" -d "$A" -- ip link show "$dev"
	assert_failure
	run ip -n "$A" link show "$dev"
	assert_failure
	run ip link show "$dev"
	assert_success
}

@test "/proc/sys/net is the command's own namespace's under -d, the stack's with --view (netsup(1) BUGS)" {
	ns_new A
	local own
	own=$(cat /proc/sys/net/ipv4/ip_forward)
	ip netns exec "$A" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	[ "$own" = 0 ] || skip "ip_forward is on in this namespace"
	run "$NETSUP" -d "$A" -- cat /proc/sys/net/ipv4/ip_forward
	assert_success
	assert_output 0
	run "$NETSUP" --view -d "$A" -- cat /proc/sys/net/ipv4/ip_forward
	assert_success
	assert_output 1
}

@test "a write to /proc/sys/net under -d reaches the command's own namespace; with --view it reaches the stack (netsup(1) BUGS)" {
	ns_new A
	ns_new H
	# H stands for the host: the namespace the command lives in
	run ip netns exec "$H" "$NETSUP" -d "$A" -- sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	assert_success
	assert_equal "$(ip netns exec "$H" cat /proc/sys/net/ipv4/ip_forward)" 1
	assert_equal "$(ip netns exec "$A" cat /proc/sys/net/ipv4/ip_forward)" 0
	ns_new B
	run ip netns exec "$H" "$NETSUP" --view -d "$B" -- sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	assert_success
	assert_equal "$(ip netns exec "$B" cat /proc/sys/net/ipv4/ip_forward)" 1
	run ip netns exec "$H" "$NETSUP" --view -d "$B" -- sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
	assert_success
	assert_equal "$(ip netns exec "$B" cat /proc/sys/net/ipv4/ip_forward)" 0
	assert_equal "$(ip netns exec "$H" cat /proc/sys/net/ipv4/ip_forward)" 1
}
