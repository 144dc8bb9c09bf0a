#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What outlives its caller keeps none of the caller's descriptors: the
# netsup supervisor that serves a daemon the command left behind, and the
# holder of a user's stack.  A pipe they kept would never end for its
# reader.  (netsup-lwip -d: tests/37-netsup-stack-lwip.bats.)

bats_require_minimum_version 1.5.0
load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "the supervisor closes what netsup inherited: a daemon left behind, with fd 9 closed, ends the pipe at once" {
	# the command's child closes fd 9 and its stdout, and lives on under
	# the supervisor; cat must end as soon as netsup has (the timeout only
	# keeps a failure from hanging the suite)
	run bash -c '{ readlink /proc/self/fd/1 > "$1/pipe"
		"$0" -- sh -c "(exec 9>&- >/dev/null 2>&1; exec sleep 60) & echo \$\$ \$! > $1/pids" 9>&1; } |
		timeout 30 cat && echo ended' "$NETSUP" "$BATS_TEST_TMPDIR"
	local cmd sleeper sup
	read -r cmd sleeper < "$BATS_TEST_TMPDIR/pids"
	echo "pid $sleeper" >> "$_fixtures"
	assert_success
	assert_output ended
	# the daemon still lives, served by its supervisor, which holds no pipe end
	kill -0 "$sleeper"
	sup=$(pgrep -f "^netsup: supervisor of pid $cmd\$")
	[ -n "$sup" ]
	run ls -l "/proc/$sup/fd"
	refute_output --partial "$(cat "$BATS_TEST_TMPDIR/pipe")"
}

@test "the supervisor keeps what the command does not inherit from it: --log and the stacks still work after netsup has gone" {
	ns_new A 10.201.9.1/24
	run "$NETSUP" --log "$BATS_TEST_TMPDIR/log" -v -d "$A" -- sh -c \
		"(exec >/dev/null 2>&1 9>&-; sleep 0.5; exec $PY -c 'import socket; s = socket.socket(); s.bind((\"10.201.9.1\", 0)); open(\"$BATS_TEST_TMPDIR/bound\", \"w\").write(\"ok\")') &" 9>/dev/null
	assert_success
	wait_file "$BATS_TEST_TMPDIR/bound"
	run cat "$BATS_TEST_TMPDIR/bound"
	assert_output ok
}

@test "a user's holder keeps none of add's descriptors" {
	user_new U
	local xdg
	xdg=$(mktemp -d /tmp/nsup-xdg.XXXXXX)
	chown "$U:" "$xdg"
	echo "dir $xdg" >> "$_fixtures"
	run su -s /bin/bash "$U" -c "export XDG_RUNTIME_DIR='$xdg'; { '$BUILD/netsup-stack' add held 9>&1; } | timeout 30 cat && echo ended"
	assert_success
	assert_output ended
	local holder
	holder=$(cut -d' ' -f1 "$xdg/netsup/.held.holder")
	echo "pid $holder" >> "$_fixtures"
	run ls -l "/proc/$holder/fd"
	refute_output --partial "pipe:"
	run su -s /bin/sh "$U" -c "export XDG_RUNTIME_DIR='$xdg'; '$BUILD/netsup-stack' del held"
	assert_success
}
