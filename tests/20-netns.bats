#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel stacks: unmodified programs get their sockets in the namespace
# named by --default, checked against real servers in real namespaces.

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

@test "python binds an address that exists only in stack A" {
	local a
	ns_new a 10.201.1.1/24
	local prog='import socket; s = socket.socket(); s.bind(("10.201.1.1", 0)); print("bound", s.getsockname()[0])'
	run "$NETSUP" --default inet="$a" -- $PY -c "$prog"
	assert_success
	assert_output "bound 10.201.1.1"
	run $PY -c "$prog"
	assert_failure
	assert_output --partial "Cannot assign requested address"
}

@test "a TCP client reaches the server of the stack it is given" {
	local a b
	ns_new a 10.201.1.1/24
	ns_new b 10.201.2.1/24
	serve_tcp "$a" 10.201.1.1 7001
	serve_tcp "$b" 10.201.2.1 7001
	run "$NETSUP" -d inet="$a" -- socat -T5 - TCP:10.201.1.1:7001
	assert_success
	assert_output "$a 10.201.1.1"
	run "$NETSUP" -d inet="$b" -- socat -T5 - TCP:10.201.2.1:7001
	assert_success
	assert_output "$b 10.201.2.1"
	# Both servers also listen on their loopback: the host has neither.
	serve_tcp "$a" 127.0.0.1 7002
	serve_tcp "$b" 127.0.0.1 7003
	run "$NETSUP" -d "$a" -- socat -T5 - TCP:127.0.0.1:7002
	assert_output "$a 127.0.0.1"
	run "$NETSUP" -d "$a" -- socat -T5 - TCP:127.0.0.1:7003
	assert_failure
	run socat -T5 - TCP:127.0.0.1:7002
	assert_failure
	run socat -T5 - TCP:127.0.0.1:7003
	assert_failure
}

@test "the server sees the client's address in that stack (veth)" {
	local a c
	ns_new a
	ns_new c
	veth_pair "$a" 10.202.0.1/24 "$c" 10.202.0.2/24
	serve_tcp "$a" 10.202.0.1 7010
	run "$NETSUP" -d inet="$c" -- socat -T5 - TCP:10.202.0.1:7010
	assert_success
	assert_output "$a 10.202.0.2"
}

@test "netlink: ip lists the interfaces of the stack, not the host's" {
	local a b
	ns_new a 10.201.1.1/24
	ns_new b
	ip -n "$b" link add onlyinb type veth peer name onlyinb2
	run "$NETSUP" --default netlink="$a" -- ip -o addr
	assert_success
	assert_output --partial "10.201.1.1/24"
	# only lo, whatever the host has
	[ "$(echo "$output" | awk '{print $2}' | sort -u)" = "lo" ]
	# and the host has more than lo, so that the check above can fail
	echo "link hv$$" >> "$_fixtures"
	ip link add "hv$$" type veth peer name "hv$$"b
	run "$NETSUP" --default netlink="$a" -- ip -o link
	refute_output --partial "hv$$"
	run "$NETSUP" --default "$b" -- ip -o link
	assert_success
	assert_output --partial "onlyinb"
	[ "$(echo "$output" | wc -l)" -eq 3 ]

}

@test "a static program calling socket through syscall(2) is redirected" {
	local a
	ns_new a
	run "$NETSUP" -d inet="$a" -- "$PROGS/static_socket"
	assert_success
	assert_output "netns=$(ns_ino "$a")"
	run "$PROGS/static_socket"
	refute_output "netns=$(ns_ino "$a")"
}

@test "8 threads x 1000 sockets all land in the stack, nothing leaks" {
	local a
	ns_new a
	run "$NETSUP" -d inet="$a" -- "$PROGS/sockstorm" 8 1000 inet "/run/netns/$a"
	assert_success
	assert_output --regexp "^sockets=8000 wrong=0 errors=0 fds_before=([0-9]+) fds_after=\1 sup_grew=0$"
}

@test "fork/exec chains three deep keep the stack" {
	local a
	ns_new a
	run "$NETSUP" -d packet="$a" -d inet6="$a" -- "$PROGS/forkchain" 3 inet6 "/run/netns/$a"
	assert_success
	assert_line "level 3 ok"
	assert_line "level 1 ok"
	# vfork and posix_spawn: the shell and env spawn the next level
	run "$NETSUP" -d inet="$a" -- sh -c "env $PY -c 'import os,subprocess; subprocess.run([\"$PROGS/forkchain\", \"2\", \"inet\", \"/run/netns/$a\"], check=True); os.posix_spawn(\"$PROGS/sockns\", [\"sockns\", \"inet\"], os.environ)' "
	assert_success
	assert_line "level 1 ok"
	assert_line "netns=$(ns_ino "$a") nonblock=0 cloexec=0"
}

@test "each family goes to its own stack; the others stay home" {
	local a b home
	ns_new a
	ns_new b
	home=$(stat -L -c %i /proc/self/ns/net)
	run "$NETSUP" -d inet="$a" -d inet6="$b" -- sh -c "'$PROGS/sockns' inet; '$PROGS/sockns' inet6; '$PROGS/sockns' netlink"
	assert_success
	assert_line --index 0 --partial "netns=$(ns_ino "$a") "
	assert_line --index 1 --partial "netns=$(ns_ino "$b") "
	assert_line --index 2 --partial "netns=$home "
}

@test "SOCK_NONBLOCK and SOCK_CLOEXEC are honoured" {
	local a ino
	ns_new a
	ino=$(ns_ino "$a")
	for t in "stream 0 0" "stream+nonblock 1 0" "dgram+cloexec 0 1" "dgram+nonblock+cloexec 1 1"; do
		set -- $t
		run "$NETSUP" -d "$a" -- "$PROGS/sockns" inet "$1"
		assert_success
		assert_output "netns=$ino nonblock=$2 cloexec=$3"
	done
}

@test "socket() errors of the stack reach the child unchanged" {
	local a
	ns_new a
	# a bad type and a bad protocol: EINVAL and EPROTONOSUPPORT from the kernel
	run "$NETSUP" -d "$a" -- "$PROGS/sockns" inet 77
	assert_equal "$status" 2
	assert_output "errno=22 (Invalid argument)"
	run "$NETSUP" -d "$a" -- "$PROGS/sockns" inet stream 17
	assert_equal "$status" 2
	assert_output "errno=93 (Protocol not supported)"
}

@test "a daemon left behind: netsup returns at once, the daemon is still served" {
	local a out="$BATS_TEST_TMPDIR/daemon"
	ns_new a
	# netsup returns before the daemon has even made its socket
	run timeout 10 "$NETSUP" -d inet="$a" -- sh -c \
		"(sleep 3; '$PROGS/sockns' inet > '$out.tmp'; mv '$out.tmp' '$out') >/dev/null 2>&1 & exit 3"
	assert_equal "$status" 3
	assert_file_not_exists "$out"
	wait_file "$out"
	assert_equal "$(cat "$out")" "netns=$(ns_ino "$a") nonblock=0 cloexec=0"
}

@test "--wait waits for the processes left behind" {
	local a out="$BATS_TEST_TMPDIR/daemon"
	ns_new a
	run timeout 10 "$NETSUP" --wait -d inet="$a" -- sh -c \
		"(sleep 1; '$PROGS/sockns' inet > '$out') >/dev/null 2>&1 & exit 0"
	assert_success
	assert_file_exists "$out"
	assert_equal "$(cat "$out")" "netns=$(ns_ino "$a") nonblock=0 cloexec=0"
}
