#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup's command line: options, exit statuses, signals, stack checks.

bats_require_minimum_version 1.5.0
load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "--help and --version" {
	run "$NETSUP" --help
	assert_success
	assert_output --partial "Usage: netsup"
	assert_output --partial "--default"
	run "$NETSUP" -V
	assert_success
	assert_output --regexp '^netsup [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "exit status is the command's own" {
	run "$NETSUP" -- sh -c 'exit 7'
	assert_equal "$status" 7
	run "$NETSUP" true
	assert_success
}

@test "a command killed by signal N gives 128+N" {
	run "$NETSUP" -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	run "$NETSUP" -- sh -c 'kill -KILL $$'
	assert_equal "$status" 137
}

@test "a command not found gives 127, one that cannot run 126" {
	run -127 "$NETSUP" -- /nonexistent/command
	assert_equal "$status" 127
	assert_output --partial "/nonexistent/command"
	run "$NETSUP" -- "$BATS_TEST_TMPDIR"
	assert_equal "$status" 126
	printf 'not a program' > "$BATS_TEST_TMPDIR/noexec"
	chmod 644 "$BATS_TEST_TMPDIR/noexec"
	run "$NETSUP" -- "$BATS_TEST_TMPDIR/noexec"
	assert_equal "$status" 126
}

@test "bad options give 125 and never start the command" {
	local mark="$BATS_TEST_TMPDIR/started"
	for args in "--bogus" "-x" "--default" "-d ipx=/run/netns/x" \
		    "-d inet=" "-d =foo"; do
		# shellcheck disable=SC2086
		run "$NETSUP" $args -- touch "$mark"
		assert_equal "$status" 125
		assert_output --partial "netsup:"
		assert_file_not_exists "$mark"
	done
	run "$NETSUP"
	assert_equal "$status" 125
	assert_output --partial "no command"
}

@test "a missing stack gives 125, names it, starts nothing" {
	local mark="$BATS_TEST_TMPDIR/started"
	run "$NETSUP" -d inet=/nonexistent/ns -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: /nonexistent/ns: no such file"
	run "$NETSUP" -d nosuchstack$$ -- touch "$mark"
	assert_equal "$status" 125
	assert_output --partial "nosuchstack$$: no such stack"
	assert_file_not_exists "$mark"
}

@test "a file that is no network namespace gives 125" {
	local mark="$BATS_TEST_TMPDIR/started" f
	: > "$BATS_TEST_TMPDIR/plain"
	for f in /dev/null "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR" /proc/self/ns/mnt; do
		run "$NETSUP" -d "$f" -- touch "$mark"
		assert_equal "$status" 125
		assert_output "netsup: $f: not a network stack (neither a network namespace nor a stack socket)"
	done
	assert_file_not_exists "$mark"
}

@test "a namespace netsup cannot enter gives 125" {
	local ns mark="$BATS_TEST_TMPDIR/started"
	ns_new ns
	chmod 755 "$BATS_TEST_TMPDIR"
	# netsup without privileges: it can open the file but not setns() it
	run setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$NETSUP" -d "/run/netns/$ns" -- touch "$mark"
	assert_equal "$status" 125
	assert_output --regexp "^netsup: /run/netns/$ns: cannot enter the network namespace: Operation not permitted \(netsup runs without privilege: .*sudo\)$"
	assert_file_not_exists "$mark"
}

@test "a bare NAME is /dev/net/NAME, then /run/netns/NAME" {
	local ns
	ns_new ns
	run "$NETSUP" -v -d "$ns" -- true
	assert_success
	assert_output --partial "inet: /run/netns/$ns"
	mkdir -p /dev/net
	touch "/dev/net/$ns"
	echo "mount /dev/net/$ns" >> "$_fixtures"
	mount --bind "/run/netns/$ns" "/dev/net/$ns"
	run "$NETSUP" -v -d "$ns" -- true
	assert_success
	assert_output --partial "inet: /dev/net/$ns"
}

@test "signals sent to netsup reach the command" {
	local out="$BATS_TEST_TMPDIR/got" sig
	for sig in INT TERM HUP QUIT USR1 USR2; do
		rm -f "$out"
		"$NETSUP" -- sh -c "trap 'echo $sig > $out; exit 0' $sig; echo ready > $out.r; while :; do sleep 0.1; done" &
		local pid=$!
		wait_file "$out.r"
		rm -f "$out.r"
		kill -s "$sig" "$pid"
		wait "$pid"
		assert_equal "$(cat "$out")" "$sig"
	done
}

@test "man pages are clean, and document every option of --help" {
	local page opt
	for page in netsup.1 msocket.3 netsup-stack.8; do
		run groff -man -ww -z "$BATS_TEST_DIRNAME/../man/$page"
		assert_success
		assert_output ""
	done
	# the page as text, without overstrike, hyphens as typed
	local text="$BATS_TEST_TMPDIR/netsup.txt"
	groff -man -Tascii -P -cbu "$BATS_TEST_DIRNAME/../man/netsup.1" > "$text"
	for opt in $("$NETSUP" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" "$text" || { echo "netsup.1 lacks $opt"; false; }
	done
}

@test "-v reports each decision" {
	local ns
	ns_new ns
	run "$NETSUP" -v -d inet="$ns" -- "$PROGS/sockns" inet stream
	assert_success
	assert_output --regexp "\[pid [0-9]+\] socket\(inet, stream\): /run/netns/$ns: created"
	run "$NETSUP" -v -d inet="$ns" -- "$PROGS/sockns" inet6 dgram
	assert_output --regexp "\[pid [0-9]+\] socket\(inet6, dgram\): own stack"
}

@test "-v escapes what a child names: a path cannot forge a line or reach the terminal" {
	local ns link
	ns_new ns
	# a symlink whose name ends one log line, forges another, and clears
	# the operator's terminal line
	link="$BATS_TEST_TMPDIR/x"$'\n''netsup: [pid 1] socket(inet, stream): trusted-stack: created'$'\e''[2K'
	ln -s "/run/netns/$ns" "$link"
	run --separate-stderr "$NETSUP" -v -- "$PROGS/msockpath" "$link" inet
	assert_success
	# the socket was made, in the stack behind the symlink
	assert_output "netns=$(ns_ino "$ns")"
	# no raw ESC, no forged line: every line is one netsup wrote
	[[ "$stderr" != *$'\e'* ]] || { echo "raw ESC on stderr: $stderr"; false; }
	run grep -c '^netsup: \[pid 1\]' <<< "$stderr"
	assert_output 0
	run grep -vc '^netsup: ' <<< "$stderr"
	assert_output 0
	# the name is there, escaped, on the line of the real pid
	[[ "$stderr" == *'/x\x0anetsup: [pid 1] socket(inet, stream): trusted-stack: created\x1b[2K: created'* ]] ||
		{ echo "escaped path missing: $stderr"; false; }
}

@test "--log FILE keeps, with timestamps, the lines of a daemon left behind" {
	local ns log="$BATS_TEST_TMPDIR/netsup.log" out="$BATS_TEST_TMPDIR/daemon" i
	ns_new ns
	run sh -c "umask 0; exec '$NETSUP' -v --log '$log' -d inet='$ns' -- sh -c \
		\"(sleep 1; '$PROGS/sockns' inet > '$out.tmp'; mv '$out.tmp' '$out') >/dev/null 2>&1 & exit 0\""
	assert_success
	# netsup has returned: its stderr saw the start, not the daemon's socket
	refute_output --partial "socket(inet, dgram)"
	assert_equal "$(stat -c %a "$log")" 600
	wait_file "$out"
	for i in $(seq 100); do
		grep -q 'socket(inet, dgram)' "$log" && break
		sleep 0.05
	done
	run cat "$log"
	assert_line --regexp "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{4} netsup: inet: /run/netns/$ns\$"
	assert_line --regexp "^[0-9-]{10}T[0-9:.]{12}[+-][0-9]{4} netsup: \[pid [0-9]+\] socket\(inet, dgram\): /run/netns/$ns: created\$"
	# appended to, never truncated; the command does not inherit it
	local before
	before=$(wc -l < "$log")
	run "$NETSUP" -v --log "$log" -d inet="$ns" -- sh -c 'ls -l /proc/$$/fd'
	assert_success
	refute_output --partial "$log"
	[ "$(wc -l < "$log")" -gt "$before" ]
}

@test "--log FILE that cannot be opened gives 125 and starts nothing" {
	local mark="$BATS_TEST_TMPDIR/started"
	run "$NETSUP" --log /nonexistent/dir/netsup.log -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: --log /nonexistent/dir/netsup.log: No such file or directory"
	assert_file_not_exists "$mark"
	run "$NETSUP" --log "" -- touch "$mark"
	assert_equal "$status" 125
	assert_file_not_exists "$mark"
}

@test "the supervisor of a daemon has a name of its own, and the daemon's signals do not kill it" {
	local ns d="$BATS_TEST_TMPDIR" name cmd sup dpid sig i
	ns_new ns
	name="nsupdaemon${BATS_ROOT_PID:-$$}t${BATS_TEST_NUMBER}"
	# a daemon that reloads on SIGHUP and makes a socket when asked to
	cat > "$d/$name" <<-SCRIPT
	#!/bin/sh
	trap 'echo hup >> "$d/hups"' HUP
	echo \$\$ > "$d/daemon.pid"
	while [ ! -e "$d/stop" ]; do
		if [ -e "$d/go" ]; then
			rm -f "$d/go"
			"$PROGS/sockns" inet > "$d/out.tmp" 2>&1
			mv "$d/out.tmp" "$d/out"
		fi
		sleep 0.05
	done
	SCRIPT
	chmod 755 "$d/$name"
	run "$NETSUP" -d inet="$ns" -- sh -c \
		"echo \$\$ > '$d/cmd.pid'; setsid '$d/$name' </dev/null >/dev/null 2>&1 & exit 0"
	assert_success
	wait_file "$d/daemon.pid"
	dpid=$(cat "$d/daemon.pid")
	echo "pid $dpid" >> "$_fixtures"
	cmd=$(cat "$d/cmd.pid")

	# ps shows the supervisor by a name that holds nothing of the command's
	sup=$(pgrep -f "^netsup: supervisor of pid $cmd\$")
	[ -n "$sup" ]
	assert_equal "$(cat "/proc/$sup/comm")" "netsup-sup"
	run pgrep -f "$name"
	assert_output "$dpid"

	# the admin reloads the daemon by name; and signals the supervisor itself
	pkill -HUP -f "$name"
	wait_file "$d/hups"
	for sig in HUP INT TERM QUIT USR1 USR2 PIPE ALRM TSTP; do
		kill -s "$sig" "$sup"
	done
	sleep 0.2
	kill -0 "$sup"
	[ "$(awk '{print $3}' "/proc/$sup/stat")" != T ]

	# the daemon's new sockets are still served, in its stack
	touch "$d/go"
	wait_file "$d/out"
	assert_equal "$(cat "$d/out")" "netns=$(ns_ino "$ns") nonblock=0 cloexec=0"

	# and the supervisor ends with the daemon
	touch "$d/stop"
	for i in $(seq 100); do
		kill -0 "$sup" 2>/dev/null || break
		sleep 0.05
	done
	run kill -0 "$sup"
	assert_failure
}
