#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup-stack: add, list, info, del, and each of their errors.

load helpers

STACKTOOL="$BUILD/netsup-stack"

setup() {
	common_setup
	name="nsup$$t${BATS_TEST_NUMBER}"
	path="/dev/net/$name"
	echo "mount $path" >> "$_fixtures"
}
teardown() { common_teardown; }

@test "add, list, info, use, del: a round trip" {
	run "$STACKTOOL" add "$path"
	assert_success
	assert_file_exists "$path"
	[ "$(stat -f -c %T "$path")" = nsfs ]

	run "$STACKTOOL" list
	assert_success
	assert_line --partial "$path"
	assert_output --regexp "$path +netns +lo up 127\.0\.0\.1/8 ::1/128"

	run "$STACKTOOL" info "$name"
	assert_success
	assert_line "path: $path"
	assert_line "kind: netns (kernel)"
	assert_line "families: inet, inet6, netlink, packet"
	assert_line "interfaces: lo up 127.0.0.1/8 ::1/128"

	# a real stack: netsup uses it, and what is added there shows in info
	run "$NETSUP" -d "$name" -- ip addr add 10.203.0.1/24 dev lo
	assert_success
	run "$STACKTOOL" info "$path"
	assert_line --partial "10.203.0.1/24"
	run "$NETSUP" -d inet="$name" -- "$PROGS/sockns" inet
	assert_output "netns=$(stat -L -c %i "$path") nonblock=0 cloexec=0"

	run "$STACKTOOL" del "$path"
	assert_success
	assert_file_not_exists "$path"
}

@test "list DIR shows only stacks, with their addresses" {
	local a
	ns_new a 10.201.7.1/24
	: > "/run/netns/zz-not-a-stack-$$"
	run "$STACKTOOL" list /run/netns
	rm -f "/run/netns/zz-not-a-stack-$$"
	assert_success
	assert_line --index 0 --regexp "^PATH +KIND +INTERFACES"
	assert_output --regexp "/run/netns/$a +netns +lo up 127\.0\.0\.1/8 10\.201\.7\.1/24"
	refute_output --partial "zz-not-a-stack"
}

@test "add: /dev/net is created when missing" {
	local moved=""
	if [ -d /dev/net ]; then
		# work on a private /dev so that the host's /dev/net is untouched
		run unshare -m sh -c "mount -t tmpfs tmpfs /dev && '$STACKTOOL' add $path && ls -ld /dev/net && '$STACKTOOL' info $path"
	else
		run unshare -m sh -c "'$STACKTOOL' add $path && ls -ld /dev/net && '$STACKTOOL' info $path"
	fi
	assert_success
	assert_line --regexp "^drwxr-xr-x .* /dev/net$"
	assert_line "kind: netns (kernel)"
}

@test "errors: exists, not a stack, no such file, busy, permission" {
	run "$STACKTOOL" add "$path"
	assert_success
	run "$STACKTOOL" add "$path"
	assert_failure
	assert_output "netsup-stack: $path: exists"

	run "$STACKTOOL" info /dev/null
	assert_failure
	assert_output "netsup-stack: /dev/null: not a stack"
	run "$STACKTOOL" del /dev/null
	assert_output "netsup-stack: /dev/null: not a stack"
	run "$STACKTOOL" info /dev/net/nonexistent$$
	assert_output "netsup-stack: /dev/net/nonexistent$$: no such file"

	# busy: a process lives in it
	nsenter --net="$path" sleep 30 &
	local sleeper=$!
	echo "pid $sleeper" >> "$_fixtures"
	sleep 0.2
	run "$STACKTOOL" del "$path"
	assert_failure
	assert_output --regexp "^netsup-stack: $path: busy: process [0-9]+ lives in it"
	kill "$sleeper"; wait "$sleeper" || true
	# busy: a socket is open in it, held by a process living elsewhere
	"$BUILD/nsrelay" "$path" 127.0.0.1:7200 - 127.0.0.1:7201 2>/dev/null &
	echo "pid $!" >> "$_fixtures"
	local i
	for i in $(seq 100); do nsenter --net="$path" ss -Hltn | grep -q 7200 && break; sleep 0.05; done
	run "$STACKTOOL" del "$path"
	assert_failure
	assert_output "netsup-stack: $path: busy: 1 socket is open in it (-f removes it anyway)"
	run "$STACKTOOL" del -f "$path"
	assert_success
	assert_file_not_exists "$path"

	# permission
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$STACKTOOL" add "$path"
	assert_failure
	assert_output "netsup-stack: $path: permission denied"
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$STACKTOOL" add /tmp/nsup-perm-$$
	assert_failure
	assert_output "netsup-stack: /tmp/nsup-perm-$$: permission denied"
	assert_file_not_exists /tmp/nsup-perm-$$
}

@test "usage errors" {
	run "$STACKTOOL"
	assert_equal "$status" 2
	assert_output --partial "Usage: netsup-stack add PATH"
	run "$STACKTOOL" frobnicate x
	assert_equal "$status" 2
	run "$STACKTOOL" --help
	assert_success
}
