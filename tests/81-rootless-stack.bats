#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup-stack without root: add NAME makes a namespace kept by a holder
# process, named in the user's own directory, which netsup -d NAME finds;
# list, info and del know it, and a dead holder is never followed.  Run
# by a normal user made for each test; root's lookups never look there.

bats_require_minimum_version 1.5.0
load helpers

STACKTOOL="$BUILD/netsup-stack"

setup() {
	common_setup
	user_new U
	chmod 755 "$BATS_TEST_TMPDIR"
	# the user's runtime directory, unique to the test (one the user can reach)
	XDG=$(mktemp -d /tmp/nsup-xdg.XXXXXX)
	chown "$U:" "$XDG"
	echo "dir $XDG" >> "$_fixtures"
}
teardown() {
	# the holders that a failed test left, by the pids their records name
	local rec
	for rec in "$XDG"/netsup/.*.holder /tmp/netsup-"$(id -u "$U")"/.*.holder; do
		[ -f "$rec" ] && echo "pid $(cut -d' ' -f1 "$rec")" >> "$_fixtures"
	done
	common_teardown
}

# as_user CMD: run CMD (a shell command) as the test's user, with its
# XDG_RUNTIME_DIR
as_user() {
	su -s /bin/sh "$U" -c "cd /tmp && export XDG_RUNTIME_DIR='$XDG' && $1"
}

# holder_alive PID: is PID a live netsup holder?
holder_alive() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = netsup-holder ] &&
		! grep -q '^State:.*Z' "/proc/$1/status"
}

@test "rootless stack: inside unshare -Urn, add makes a stack that netsup -d NAME serves; list shows it, del removes it and its holder" {
	run as_user "unshare -Urn sh -c '
		\"$STACKTOOL\" add vpn || exit 1
		echo holder \$(cut -d\" \" -f1 \"\$XDG_RUNTIME_DIR/netsup/.vpn.holder\")
		echo ns \$(stat -L -c %i \"\$XDG_RUNTIME_DIR/netsup/vpn\")
		echo own \$(stat -L -c %i /proc/self/ns/net)
		\"$NETSUP\" -d vpn -- \"$PROGS/sockns\" inet
		\"$STACKTOOL\" list
		\"$STACKTOOL\" del vpn && echo deleted
		echo left: \$(ls -A \"\$XDG_RUNTIME_DIR/netsup\")'"
	assert_success
	local holder ns own
	holder=$(sed -n 's/^holder //p' <<< "$output")
	ns=$(sed -n 's/^ns //p' <<< "$output")
	own=$(sed -n 's/^own //p' <<< "$output")
	[ -n "$ns" ] && [ "$ns" != "$own" ]
	assert_line "netns=$ns nonblock=0 cloexec=0"
	assert_line --regexp "^$XDG/netsup/vpn +netns +lo up 127\.0\.0\.1/8 ::1/128$"
	assert_line deleted
	# the link and the record are gone, and so is the holder
	assert_line "left:"
	sleep 0.2
	! holder_alive "$holder"
}

@test "rootless stack: from the initial user namespace, add and netsup -d NAME share a user namespace of the user's: the command configures its stack" {
	local dir
	dir=/tmp/netsup-$(id -u "$U")
	echo "dir $dir" >> "$_fixtures"
	# without XDG_RUNTIME_DIR: /tmp/netsup-UID
	run su -s /bin/sh "$U" -c "cd /tmp && unset XDG_RUNTIME_DIR
		'$STACKTOOL' add red && '$STACKTOOL' add blue || exit 1
		'$NETSUP' -d red -- ip addr add 10.204.0.1/24 dev lo || exit 1
		echo red \$(stat -L -c %i $dir/red)
		'$NETSUP' -d inet=red -- '$PROGS/sockns' inet
		'$STACKTOOL' info red
		'$STACKTOOL' list $dir
		'$STACKTOOL' del red && '$STACKTOOL' del blue && echo deleted"
	assert_success
	local red
	red=$(sed -n 's/^red //p' <<< "$output")
	assert_line "netns=$red nonblock=0 cloexec=0"
	assert_line "path: $dir/red"
	assert_line "interfaces: lo up 127.0.0.1/8 10.204.0.1/24 ::1/128"
	assert_line --regexp "^$dir/blue +netns +lo up 127\.0\.0\.1/8 ::1/128$"
	assert_line --regexp "^$dir/red +netns +lo up 127\.0\.0\.1/8 10\.204\.0\.1/24 ::1/128$"
	assert_line deleted
	# both holders keep their namespaces in one user namespace
	run ls -A "$dir"
	assert_output ""
}

@test "rootless stack: --view of a user's own stack shows its /sys, /proc/net and /proc/sys/net, and a sysctl written there is the stack's" {
	local dir own
	dir=/tmp/netsup-$(id -u "$U")
	echo "dir $dir" >> "$_fixtures"
	own=$(cat /proc/sys/net/ipv4/ip_forward)
	# the command's process cannot enter the host's namespace again from the
	# user's user namespace: --view must never have to leave it
	run su -s /bin/sh "$U" -c "cd /tmp && unset XDG_RUNTIME_DIR
		'$STACKTOOL' add red || exit 1
		'$NETSUP' -d red -- ip addr add 10.204.0.1/24 dev lo || exit 1
		'$NETSUP' --view -d red -- sh -c 'echo sys: \$(ls /sys/class/net)
			grep -q 10.204.0.1 /proc/net/fib_trie && echo proc-net: red
			echo 1 > /proc/sys/net/ipv4/ip_forward' || exit 1
		echo forward: \$('$NETSUP' --view -d red -- cat /proc/sys/net/ipv4/ip_forward)
		'$STACKTOOL' del red"
	assert_success
	assert_line "sys: lo"
	assert_line "proc-net: red"
	assert_line "forward: 1"
	assert_equal "$(cat /proc/sys/net/ipv4/ip_forward)" "$own"
}

@test "rootless stack: a dead holder is recognised: list says so, netsup refuses the name (exit 125), del removes it" {
	run as_user "'$STACKTOOL' add gone"
	assert_success
	local holder
	holder=$(cut -d' ' -f1 "$XDG/netsup/.gone.holder")
	holder_alive "$holder"
	kill -9 "$holder"
	sleep 0.2
	run as_user "'$STACKTOOL' list '$XDG/netsup'"
	assert_success
	assert_line --regexp "^$XDG/netsup/gone +\? +its holder process is gone \(del removes the name\)$"
	run as_user "'$NETSUP' -d gone -- touch '$BATS_TEST_TMPDIR/ran'"
	assert_equal "$status" 125
	assert_output --partial "its holder process is gone"
	assert_file_not_exists "$BATS_TEST_TMPDIR/ran"
	run as_user "'$STACKTOOL' del gone"
	assert_success
	assert_file_not_exists "$XDG/netsup/gone"
	assert_file_not_exists "$XDG/netsup/.gone.holder"
}

@test "rootless stack: root never follows a user's directory for a bare name" {
	# a name in the user's directory that points at the host's namespace
	mkdir -m 700 "$XDG/netsup"
	ln -s /proc/1/ns/net "$XDG/netsup/trap$$"
	chown -hR "$U:" "$XDG/netsup"
	run env XDG_RUNTIME_DIR="$XDG" "$NETSUP" -d "trap$$" -- true
	assert_equal "$status" 125
	assert_output --partial "no such stack (neither /dev/net/trap$$ nor /run/netns/trap$$ exists)"
	run env XDG_RUNTIME_DIR="$XDG" "$STACKTOOL" info "trap$$"
	assert_failure
	assert_output "netsup-stack: /dev/net/trap$$: no such file"
}

@test "rootless stack: a directory that is not the user's own, or that others may write to, is not used" {
	mkdir -m 777 "$XDG/netsup"
	run as_user "'$STACKTOOL' add x"
	assert_failure
	assert_output "netsup-stack: $XDG/netsup: belongs to another user (uid 0): not used for stacks (make it a directory of your own, mode 0700, or set XDG_RUNTIME_DIR to another)"
}

@test "rootless stack: del of a stack that a netsup session uses is busy, as root's is" {
	run as_user "'$STACKTOOL' add busy"
	assert_success
	# the session holds the stack; the command has no socket yet
	su -s /bin/sh "$U" -c "cd /tmp && export XDG_RUNTIME_DIR='$XDG' && exec '$NETSUP' -d busy -- sleep 60" &
	echo "pid $!" >> "$_fixtures"
	local i sleeper=
	for i in $(seq 100); do
		sleeper=$(pgrep -u "$U" -x sleep) && break
		sleep 0.05
	done
	[ -n "$sleeper" ]
	run as_user "'$STACKTOOL' del busy"
	assert_failure 1
	assert_output --regexp "^netsup-stack: $XDG/netsup/busy: busy: process [0-9]+ holds it open \(-f removes it anyway\)$"
	assert [ -L "$XDG/netsup/busy" ]
	kill "$sleeper"
	for i in $(seq 100); do
		pgrep -u "$U" -f "^netsup" >/dev/null || break
		sleep 0.05
	done
	run as_user "'$STACKTOOL' del busy"
	assert_success
	assert_file_not_exists "$XDG/netsup/busy"
}

@test "rootless stack: add --lwip NAME without root serves USERDIR/NAME, its pid file beside it; netsup -d NAME uses it; del stops it" {
	run as_user "'$STACKTOOL' add lw --lwip --link slirp:// --ip 10.0.2.15/24 --gw 10.0.2.2"
	assert_success
	assert [ -S "$XDG/netsup/lw" ]
	local pid
	pid=$(cat "$XDG/netsup/.lw.pid")
	[ "$(cat "/proc/$pid/comm")" = netsup-lwip ]
	[ "$(stat -c %U "/proc/$pid")" = "$U" ]
	run as_user "'$STACKTOOL' list '$XDG/netsup'"
	assert_success
	assert_line --regexp "^$XDG/netsup/lw +lwip +slirp:// up 10\.0\.2\.15/24 .*\(pid $pid\)$"
	run as_user "'$NETSUP' -d inet=lw -- '$PY' -c 'import socket; s = socket.socket(); s.bind((\"10.0.2.15\", 0)); print(\"bound\")'"
	assert_success
	assert_output bound
	run as_user "'$STACKTOOL' del lw"
	assert_success
	assert_file_not_exists "$XDG/netsup/lw"
	assert_file_not_exists "$XDG/netsup/.lw.pid"
}

@test "rootless stack: list says in one line how many system stacks it may not enter" {
	local a b
	ns_new a
	ns_new b
	run --separate-stderr as_user "'$STACKTOOL' list /run/netns"
	assert_success
	refute_output --partial "$a"
	refute_output --partial "permission denied"
	# (other suites may add namespaces meanwhile: at least these two)
	[[ "$stderr" =~ ^netsup-stack:\ [0-9]+\ stacks\ not\ shown:\ permission\ denied\ \(entering\ them\ needs\ root\)$ ]]
	# JSON keeps each, with its reason
	run as_user "'$STACKTOOL' list --json /run/netns"
	assert_success
	assert_line --regexp "^\{\"path\":\"/run/netns/$a\",\"error\":\"permission denied\"\},?$"
}
