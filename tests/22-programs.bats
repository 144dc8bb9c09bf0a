#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Real programs, as under `ip netns exec`: a program that changes its own
# network namespace takes charge of its networking; interface names are
# looked up in the stack, not on the host.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	common_setup
	two_stacks
}
teardown() { common_teardown; }

@test "unshare -n under netsup: the empty namespace it asked for, not the default" {
	run "$NETSUP" -d "$A" -- unshare -n "$PROGS/sockns" inet
	assert_success
	refute_output --partial "netns=$ia"
	refute_output --partial "netns=$home"
	# and its children stay there with it
	run "$NETSUP" -d "$A" -- unshare -n sh -c "'$PROGS/sockns' inet; readlink /proc/self/ns/net"
	assert_success
	[ "${lines[0]}" = "netns=$(sed 's/.*\[\(.*\)\]/\1/' <<< "${lines[1]}") nonblock=0 cloexec=0" ]
}

@test "ip netns exec, ip -n and nsenter under netsup reach the namespace they name" {
	run "$NETSUP" -d "$A" -- ip netns exec "$B" "$PROGS/sockns" inet
	assert_success
	assert_output "netns=$ib nonblock=0 cloexec=0"
	run "$NETSUP" -d "$A" -- ip -n "$B" -o addr show dev lo
	assert_success
	assert_output --partial "10.201.2.1/24"
	refute_output --partial "10.201.1.1"
	run "$NETSUP" -d "$A" -- nsenter --net="$pb" "$PROGS/sockns" inet
	assert_output "netns=$ib nonblock=0 cloexec=0"
	# the rest of the tree keeps its default
	run "$NETSUP" -d "$A" -- sh -c "ip netns exec '$B' true; '$PROGS/sockns' inet"
	assert_output "netns=$ia nonblock=0 cloexec=0"
}

@test "clone(CLONE_NEWNET) under netsup: the child's sockets are in its new namespace" {
	run "$NETSUP" -d "$A" -- "$PROGS/clonep" newnet
	assert_success
	assert_output --regexp "^sibling netns=[0-9]+$"
	refute_output --partial "netns=$ia"
	refute_output --partial "netns=$home"
}

@test "interface names and indexes come from the stack (if_nametoindex, SIOCGIFCONF)" {
	# vsame exists in both A and B, with another index in each; netsup
	# runs in B, the command's default stack is A
	ip -n "$B" link add vsame type veth peer name vpeerb
	ip -n "$A" link add vfill type veth peer name vfill2
	ip -n "$A" link add vsame type veth peer name vpeera
	ip -n "$A" link set vsame mtu 1400
	ip -n "$A" addr add 10.201.3.1/24 dev vsame
	local ia_idx ib_idx
	ia_idx=$(ip -n "$A" -o link show vsame | cut -d: -f1)
	ib_idx=$(ip -n "$B" -o link show vsame | cut -d: -f1)
	[ "$ia_idx" != "$ib_idx" ]
	run ip netns exec "$B" "$NETSUP" -d "$A" -- "$PROGS/ifq" vsame
	assert_success
	assert_output "index=$ia_idx mtu=1400 name=vsame conf=lo,lo,vsame"
	run ip netns exec "$B" "$NETSUP" -d "$A" -- $PY -c \
		"import socket; print(socket.if_nametoindex('vpeera'), socket.if_indextoname($ia_idx))"
	assert_success
	assert_output "$(ip -n "$A" -o link show vpeera | cut -d: -f1) vsame"
	# without a default, the kernel answers from where netsup runs
	run ip netns exec "$B" "$NETSUP" -- "$PROGS/ifq" vsame
	assert_output --regexp "^index=$ib_idx "
}
