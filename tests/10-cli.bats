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
	for page in "$BATS_TEST_DIRNAME"/../man/*.[1-8]; do
		run groff -man -ww -z "$page"
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

@test "man --warnings finds nothing in any page at the widths of a terminal (no 'cannot adjust line')" {
	command -v man >/dev/null || skip "no man (tests/deps.sh check installs man-db)"
	local page w
	for page in "$BATS_TEST_DIRNAME"/../man/*.[1-8]; do
		for w in 80 100; do
			# groff -z does not lay lines out: only formatting at a width shows these
			run --separate-stderr env MANWIDTH=$w man --warnings -l "$page"
			assert_success
			[ -z "$stderr" ] || fail "$(basename "$page") at $w columns: $stderr"
		done
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

@test "option errors are one line naming the option: an argument to a flag, an ambiguous or unknown abbreviation" {
	local mark="$BATS_TEST_TMPDIR/started"
	run "$NETSUP" --user-net=yes -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: option --user-net takes no argument (--user-net=yes); see netsup --help"
	run "$NETSUP" --wait=1 -- touch "$mark"
	assert_output "netsup: option --wait takes no argument (--wait=1); see netsup --help"
	run "$NETSUP" --user -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: option --user is ambiguous (--userspace, --user-net); see netsup --help"
	run "$NETSUP" --allow-io -- true
	assert_success
	run "$NETSUP" --bogus -- touch "$mark"
	assert_output "netsup: unknown option --bogus; see netsup --help"
	run "$NETSUP" -wx -- touch "$mark"
	assert_output "netsup: unknown option -x; see netsup --help"
	run "$NETSUP" -w -d
	assert_output "netsup: option -d needs an argument; see netsup --help"
	run "$NETSUP" -w --default
	assert_output "netsup: option --default needs an argument; see netsup --help"
	# a unique abbreviation works as the option
	run "$NETSUP" --wai -- true
	assert_success
	assert_file_not_exists "$mark"
}

@test "--user-net with --view is refused at once, saying why (not asking for a -d it refuses)" {
	run "$NETSUP" --user-net --view -- true
	assert_equal "$status" 125
	assert_output --partial "--view shows a kernel stack"
	assert_output --partial "--user-net's stack is a userspace one"
	refute_output --partial "give one with -d"
	assert_equal "${#lines[@]}" 1
}

@test "-vv tells why notifications do not wait killably, and keeps the filter's pseudo-code for -vvv" {
	local ns major minor
	ns_new ns
	IFS=. read -r major minor _ <<< "$(uname -r)"
	run "$NETSUP" -vv --userspace -d "$ns" -- true
	assert_success
	assert_output --partial "notifications wait killably once received: no (a call waiting for a userspace stack"
	if [ "$major" -gt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -ge 19 ]; }; then
		refute_output --partial "older than 5.19"
		run "$NETSUP" -vv -d "$ns" -- true
		assert_output --partial "notifications wait killably once received: yes"
	fi
	refute_output --partial "# filter for syscall"
	[ "${#lines[@]}" -lt 40 ] || fail "-vv printed ${#lines[@]} lines"
	run "$NETSUP" -vvv -d "$ns" -- true
	assert_success
	assert_output --partial "# filter for syscall"
}

# gone PID: until PID has exited (5 s); zombies count as gone
gone() {
	local i
	for i in $(seq 100); do
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

@test "--die-with-parent: when netsup is killed, or its parent dies, the command and the supervisor die with it" {
	local ns d="$BATS_TEST_TMPDIR" cmd sup ns_pid parent
	ns_new ns
	# netsup itself killed
	"$NETSUP" --die-with-parent -d "$ns" -- sh -c "echo \$\$ > '$d/cmd1'; exec sleep 3600" &
	ns_pid=$!
	echo "pid $ns_pid" >> "$_fixtures"
	wait_file "$d/cmd1"
	cmd=$(cat "$d/cmd1")
	echo "pid $cmd" >> "$_fixtures"
	sup=$(pgrep -f "^netsup: supervisor of pid $cmd\$")
	[ -n "$sup" ]
	kill -KILL "$ns_pid"
	gone "$cmd" || fail "the command outlived netsup"
	gone "$sup" || fail "the supervisor outlived netsup"

	# netsup's parent dies: netsup, the command and the supervisor go
	sh -c "'$NETSUP' --die-with-parent -d '$ns' -- sh -c \"echo \\\$\\\$ > '$d/cmd2'; exec sleep 3600\" &
		echo \$! > '$d/netsup2'; exec sleep 3600" &
	parent=$!
	echo "pid $parent" >> "$_fixtures"
	wait_file "$d/cmd2"
	cmd=$(cat "$d/cmd2")
	echo "pid $cmd" >> "$_fixtures"
	sup=$(pgrep -f "^netsup: supervisor of pid $cmd\$")
	kill -KILL "$parent"
	gone "$(cat "$d/netsup2")" || fail "netsup outlived its parent"
	gone "$cmd" || fail "the command outlived netsup's parent"
	gone "$sup" || fail "the supervisor outlived netsup's parent"
}

@test "without --die-with-parent the command outlives a killed netsup (as documented)" {
	local ns d="$BATS_TEST_TMPDIR" cmd ns_pid
	ns_new ns
	"$NETSUP" -d "$ns" -- sh -c "echo \$\$ > '$d/cmd'; exec sleep 3600" &
	ns_pid=$!
	wait_file "$d/cmd"
	cmd=$(cat "$d/cmd")
	echo "pid $cmd" >> "$_fixtures"
	kill -KILL "$ns_pid"
	wait "$ns_pid" || true
	kill -0 "$cmd"
	[ "$(awk '{print $3}' "/proc/$cmd/stat")" != Z ]
}

@test "--user-net: its private directory is made in XDG_RUNTIME_DIR, else TMPDIR, and gone once the command runs" {
	local d="$BATS_TEST_TMPDIR"
	mkdir -m 700 "$d/xdg" "$d/tmp"
	run --separate-stderr env -u XDG_RUNTIME_DIR TMPDIR="$d/tmp" "$NETSUP" -v --user-net -- ls -A "$d/tmp"
	assert_success
	[[ $stderr =~ "netsup: --user-net: $d/tmp/netsup-usernet."[A-Za-z0-9]{6}"/stack on slirp://" ]] ||
		fail "not in TMPDIR: $stderr"
	# the command saw nothing left there: a supervisor killed now leaves nothing
	assert_output ""
	run --separate-stderr env XDG_RUNTIME_DIR="$d/xdg" TMPDIR="$d/tmp" "$NETSUP" -v --user-net -- ls -A "$d/xdg"
	assert_success
	[[ $stderr == *"netsup: --user-net: $d/xdg/netsup-usernet."* ]] || fail "not in XDG_RUNTIME_DIR: $stderr"
	assert_output ""
	run ls -A "$d/xdg" "$d/tmp"
	refute_output --partial "usernet"
	# its sockets still work, the stack not taken for removed
	run env TMPDIR="$d/tmp" "$NETSUP" --user-net -- "$PROGS/sockns" inet stream
	assert_success
	refute_output --partial "removed"
}

@test "--allow and --publish: the limits netsup(1) gives (64, 32), and one more is an error that says the limit" {
	local mark="$BATS_TEST_TMPDIR/started" args=() i
	for i in $(seq 64); do args+=(--allow /proc/self/ns/net); done
	run "$NETSUP" "${args[@]}" -- true
	assert_success
	run "$NETSUP" "${args[@]}" --allow /proc/self/ns/net -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: --allow /proc/self/ns/net: too many stacks allowed (at most 64)"
	args=()
	for i in $(seq 32); do args+=(--publish $((20000 + i)):80); done
	run "$NETSUP" --user-net "${args[@]}" --publish 20033:80 -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: --publish 20033:80: too many ports published (at most 32)"
	assert_file_not_exists "$mark"
	# the page says the same
	run grep -c 'up to 64 times\|too many stacks\|allowed (at most 64)\|up to 32 times\|published (at most 32)' \
		"$BATS_TEST_DIRNAME/../man/netsup.1"
	assert_output 5
}
