#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel's socket semantics, checked by one program (tests/progs/
# semantics.c) in a kernel stack and in lwIP: both runs pass every check,
# and they agree line for line.  The two stacks have the same addresses
# (10.207.0.2, fd07::2), each facing its own peer namespace (10.207.0.1,
# fd07::1: a TCP and a UDP echo on port 7000, nothing on 7001): a veth
# for the kernel namespace, a TAP for lwIP.

bats_require_minimum_version 1.5.0
load helpers

ARGS=(10.207.0.2 fd07::2 10.207.0.1 fd07::1 7000)

# peer_setup NS DEV: the peer's addresses on DEV and its echo servers
peer_setup() {
	ip -n "$1" addr add 10.207.0.1/24 dev "$2"
	ip -n "$1" addr add fd07::1/64 dev "$2" nodad
	ip -n "$1" link set "$2" up
	bg ip netns exec "$1" socat TCP6-LISTEN:7000,ipv6only=0,reuseaddr,fork PIPE
	bg ip netns exec "$1" $PY -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 7000))
while True:
    data, src = s.recvfrom(65536)
    s.sendto(data, src)'
	wait_listen "$1" 7000
	local i
	for i in $(seq 100); do
		ip netns exec "$1" ss -Hlun "sport = :7000" | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

setup() {
	common_setup
	# the kernel stack A and its peer K, over a veth
	ns_new A
	ns_new K
	local a=sa$$t${BATS_TEST_NUMBER} k=sk$$t${BATS_TEST_NUMBER}
	a=${a:0:15}; k=${k:0:15}
	ip link add "$a" netns "$A" type veth peer name "$k" netns "$K"
	ip -n "$A" addr add 10.207.0.2/24 dev "$a"
	ip -n "$A" addr add fd07::2/64 dev "$a" nodad
	ip -n "$A" link set "$a" up
	peer_setup "$K" "$k"
	# lwIP and its peer L, over a TAP
	ns_new L
	ip -n "$L" tuntap add mode tap name lwtap
	peer_setup "$L" lwtap
	SF="$BATS_TEST_TMPDIR/lwip0"
	lwip_serve "$SF" "$L" 10.207.0.2/24 fd07::2/64
}
teardown() { common_teardown; }

@test "socket semantics: every check passes in a kernel namespace and in lwIP, and the two runs agree line for line" {
	run --separate-stderr "$NETSUP" -d inet="$A" -d inet6="$A" -- "$PROGS/semantics" "${ARGS[@]}"
	echo "$output" > "$BATS_TEST_TMPDIR/kernel.out"
	grep -v '^ok ' "$BATS_TEST_TMPDIR/kernel.out" || true
	assert_success
	run --separate-stderr "$NETSUP" -d "$SF" -- "$PROGS/semantics" "${ARGS[@]}"
	echo "$output" > "$BATS_TEST_TMPDIR/lwip.out"
	grep -v '^ok ' "$BATS_TEST_TMPDIR/lwip.out" || true
	assert_success
	run diff "$BATS_TEST_TMPDIR/kernel.out" "$BATS_TEST_TMPDIR/lwip.out"
	assert_success
	# nothing silently missing: every check printed, none failed
	run grep -c '^ok ' "$BATS_TEST_TMPDIR/kernel.out"
	[ "$output" -gt 300 ]
	run grep -c '^FAIL' "$BATS_TEST_TMPDIR/kernel.out"
	assert_output 0
}
