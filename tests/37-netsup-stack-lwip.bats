#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup-stack and userspace stacks: add --lwip starts a netsup-lwip
# daemon on a TAP into a test namespace; list, info and ps ask the daemon;
# netsup uses the stack by its bare name; del stops the daemon.

bats_require_minimum_version 1.5.0
load helpers

STACKTOOL="$BUILD/netsup-stack"

setup() {
	common_setup
	name="nsup$$t${BATS_TEST_NUMBER}lw"
	path="/dev/net/$name"
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.207.0.1/24 dev lwtap
	ip -n "$P" addr add fd07::1/64 dev lwtap nodad
	ip -n "$P" link set lwtap up
}

teardown() {
	# a daemon left behind: SIGTERM removes its stack file and pid file
	local pid
	pid=$(cat "/run/netsup/dev-net-$name.pid" 2>/dev/null) && kill "$pid" 2>/dev/null
	common_teardown
	[ -S "$path" ] && rm -f "$path"
	true
}

# gone PID: the process has exited (a zombie whose reaper is slow counts)
gone() {
	[ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# add_lwip: the stack NAME, lwIP on the TAP of P
add_lwip() {
	run "$STACKTOOL" add "$name" --lwip --link tap://lwtap --netns "/run/netns/$P" \
		--ip 10.207.0.2/24 --gw 10.207.0.1 --ip6 fd07::2/64
	assert_success
	[ -S "$path" ]
}

@test "add --lwip, list, info, use by bare name, ps, del: a round trip" {
	add_lwip
	local pid
	pid=$(cat "/run/netsup/dev-net-$name.pid")
	[ -d "/proc/$pid" ]

	run "$STACKTOOL" list
	assert_success
	assert_output --regexp "$path +lwip +tap://lwtap up 10\.207\.0\.2/24 .*fd07::2/64 \(pid $pid\)"

	run "$STACKTOOL" info "$name"
	assert_success
	assert_line "path: $path"
	assert_line --regexp "^kind: lwip \(userspace, lwip [0-9.]+\)$"
	assert_line "daemon: pid $pid"
	assert_line "link: tap://lwtap"
	assert_line "mtu: 1500"
	assert_line "families: inet, inet6"
	assert_line --regexp "^addresses: 10\.207\.0\.2/24 .*fd07::2/64"
	assert_line "gateway: 10.207.0.1"

	run "$STACKTOOL" info --json "$name"
	assert_success
	run $PY -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["kind"] == "lwip" and d["link"] == "tap://lwtap", d
assert d["pid"] == int(sys.argv[2]) and d["gw"] == "10.207.0.1", d
assert "10.207.0.2/24" in d["addresses"] and "fd07::2/64" in d["addresses"], d
assert d["families"] == ["inet", "inet6"], d
print("ok")' "$output" "$pid"
	assert_output "ok"

	# a real client in the stack, by bare name, reaches a server in P
	bg ip netns exec "$P" socat TCP-LISTEN:8207,reuseaddr,fork SYSTEM:'echo hello $SOCAT_PEERADDR'
	bg ip netns exec "$P" socat TCP6-LISTEN:8208,reuseaddr,fork SYSTEM:'echo hello6 $SOCAT_PEERADDR'
	wait_listen "$P" 8207
	wait_listen "$P" 8208
	run "$NETSUP" --default inet="$name" -- curl -sS --max-time 10 telnet://10.207.0.1:8207
	assert_success
	assert_output "hello 10.207.0.2"
	run "$NETSUP" --default inet6="$name" -- socat -T5 - 'TCP6:[fd07::1]:8208'
	assert_success
	assert_output "hello6 [fd07:0000:0000:0000:0000:0000:0000:0002]"

	# ps: the daemon, and a client holding a connection, with its supervisor
	bg ip netns exec "$P" socat TCP-LISTEN:8209,reuseaddr SYSTEM:'sleep 20'
	wait_listen "$P" 8209
	bg "$NETSUP" -d "$name" -- bash -c \
		"exec 3<>/dev/tcp/10.207.0.1/8209; echo \$\$ > $BATS_TEST_TMPDIR/client; exec sleep 20"
	wait_file "$BATS_TEST_TMPDIR/client"
	local client
	client=$(cat "$BATS_TEST_TMPDIR/client")
	run "$STACKTOOL" ps "$name"
	assert_success
	assert_line --regexp "^$pid +root +netsup-lwip +serves it \(its daemon\)"
	assert_line --regexp "^$client +root +sleep +sockets: userspace 1; under netsup \(supervisor [0-9]+\)"
	assert_line --regexp "^[0-9]+ +root +netsup-sup +holds it open; netsup supervisor of pid $client"
	run "$STACKTOOL" ps --json "$name"
	assert_success
	run $PY -c '
import json, sys
d = json.loads(sys.argv[1])
p = {x["pid"]: x for x in d["processes"]}
assert p[int(sys.argv[2])]["daemon"], d
assert p[int(sys.argv[3])]["sockets"]["userspace"] == 1, d
print("ok")' "$output" "$pid" "$client"
	assert_output "ok"

	# del: refused while a session is connected, done once it is gone
	run "$STACKTOOL" del "$name"
	assert_failure
	assert_output "netsup-stack: $path: busy: 1 netsup session is connected (-f removes it anyway)"
	kill "$client"
	local i
	for i in $(seq 100); do
		"$STACKTOOL" del "$name" 2>/dev/null && break
		sleep 0.1
	done
	assert_file_not_exists "$path"
	assert_file_not_exists "/run/netsup/dev-net-$name.pid"
	gone "$pid"
	run "$STACKTOOL" list /dev/net
	refute_output --partial "$path"
}

@test "del -f stops a daemon that has clients; a socket nobody serves is removed" {
	add_lwip
	local pid
	pid=$(cat "/run/netsup/dev-net-$name.pid")
	bg "$NETSUP" -d inet="$name" -- sleep 20
	local i
	for i in $(seq 100); do
		"$STACKTOOL" ps "$name" | grep -q netsup-sup && break
		sleep 0.05
	done
	run "$STACKTOOL" del "$name"
	assert_failure
	assert_output --partial "busy: 1 netsup session is connected"
	run "$STACKTOOL" del -f "$name"
	assert_success
	assert_file_not_exists "$path"
	gone "$pid"

	# a daemon killed without its clean-up leaves its socket: list says
	# so, info says why, del removes it
	add_lwip
	pid=$(cat "/run/netsup/dev-net-$name.pid")
	kill -KILL "$pid"
	while ! gone "$pid"; do sleep 0.05; done
	run "$STACKTOOL" list /dev/net
	assert_output --regexp "$path +\? +no daemon serves it"
	run "$STACKTOOL" info "$name"
	assert_failure
	assert_output "netsup-stack: $path: no daemon serves it"
	run "$STACKTOOL" del "$name"
	assert_success
	assert_file_not_exists "$path"
	assert_file_not_exists "/run/netsup/dev-net-$name.pid"
}

@test "add --lwip: what is wrong with the command line or the daemon is said" {
	run "$STACKTOOL" add "$name" --lwip
	assert_failure 2
	assert_output "netsup-stack: add --lwip: which link? --link URL is needed; see netsup-stack --help"
	run "$STACKTOOL" add "$name" --link tap://lwtap
	assert_failure 2
	assert_output "netsup-stack: add: --link is an option of --lwip; see netsup-stack --help"
	run "$STACKTOOL" info "$name" --lwip
	assert_failure 2
	assert_output "netsup-stack: info: --lwip and its options are for add only; see netsup-stack --help"
	run "$STACKTOOL" add "$name" --lwip --link
	assert_failure 2
	assert_output "netsup-stack: option '--link' needs a value; see netsup-stack --help"
	# the daemon's own diagnostic, then netsup-stack's
	run "$STACKTOOL" add "$name" --lwip --link tap://lwtap --netns "/run/netns/$P" --ip 10.207.0.2/99
	assert_failure 1
	assert_line --partial "10.207.0.2/99"
	assert_line --regexp "^netsup-stack: $path: .*netsup-lwip did not start \(exit status [0-9]+\)$"
	assert_file_not_exists "$path"
	add_lwip
	run "$STACKTOOL" add "$name" --lwip --link tap://lwtap
	assert_failure 1
	assert_output "netsup-stack: $path: exists"
}

@test "netsup-lwip: every bad option value is a usage error, exit 2, in one line; inet_pton's addresses, a prefix length, a TAP name that fits" {
	local args line
	while IFS='|' read -r args line; do
		# shellcheck disable=SC2086
		run "$BUILD/netsup-lwip" $args "$BATS_TEST_TMPDIR/sf"
		assert_failure 2
		assert_output "netsup-lwip: $line; see netsup-lwip --help"
		assert_file_not_exists "$BATS_TEST_TMPDIR/sf"
	done <<-'EOF2'
	--link slirp:// --mtu 9001|--mtu 9001: not a number in 576..9000
	--link slirp:// --ip 10.0.2.15|--ip 10.0.2.15: not an IPv4 ADDR/LEN, such as 10.0.2.15/24 (the prefix length is required)
	--link slirp:// --ip 10.0.2.15/33|--ip 10.0.2.15/33: not an IPv4 ADDR/LEN, such as 10.0.2.15/24 (the prefix length is required)
	--link slirp:// --ip 10.2/8|--ip 10.2/8: not an IPv4 ADDR/LEN, such as 10.0.2.15/24 (the prefix length is required)
	--link slirp:// --ip 10.0.2.15/24 --gw 10.0.2|--gw 10.0.2: not an IPv4 address (four decimal numbers, such as 10.0.2.2)
	--link slirp:// --ip 10.0.2.15/24 --gw 0x0a000202|--gw 0x0a000202: not an IPv4 address (four decimal numbers, such as 10.0.2.2)
	--link slirp:// --ip6 fd00::15|--ip6 fd00::15: not an IPv6 ADDR/LEN, such as fd00::15/64 (the prefix length is required)
	--link slirp:// --ip6 fd00::15/64 --gw6 fd00:::1|--gw6 fd00:::1: not an IPv6 address
	--link tap://abcdefghijklmnop|--link tap://abcdefghijklmnop: a TAP name has at most 15 bytes (IFNAMSIZ - 1)
	--link slirp:// --bogus|unknown option '--bogus'
	--link slirp:// --daemon=yes|option '--daemon=yes' takes no value
	EOF2
	# a bad --ip under netsup-stack: the daemon's line, then netsup-stack's
	run "$STACKTOOL" add "$name" --lwip --link slirp:// --ip 10.0.2.15
	assert_failure 1
	assert_line --index 0 "netsup-lwip: --ip 10.0.2.15: not an IPv4 ADDR/LEN, such as 10.0.2.15/24 (the prefix length is required); see netsup-lwip --help"
	assert_line --index 1 "netsup-stack: $path: $BUILD/netsup-lwip did not start (exit status 2)"
	assert_file_not_exists "$path"
}

@test "netsup-lwip -d: diagnostics go to --log FILE once in the background, and add --lwip passes --log and -v on" {
	local log="$BATS_TEST_TMPDIR/lwip.log"
	run "$STACKTOOL" add "$name" --lwip --link tap://lwtap --netns "/run/netns/$P" \
		--ip 10.207.0.2/24 -v --log "$log"
	assert_success
	local pid
	pid=$(cat "/run/netsup/dev-net-$name.pid")
	# -v: one line per client, written after the daemon went to the background
	run "$STACKTOOL" info "$name"
	assert_success
	run "$STACKTOOL" del "$name"
	assert_success
	run cat "$log"
	assert_line "netsup-lwip: serving $path on tap://lwtap (lwIP 2.1.3)"
	assert_line --regexp "^netsup-lwip: client connected: pid [0-9]+ uid 0$"
	assert_line "netsup-lwip: signal 15: closing every connection"
}

@test "netsup-lwip -d without --log: diagnostics go to syslog, not to /dev/null" {
	mkdir "$BATS_TEST_TMPDIR/dev"
	# a private /dev with a null device and a /dev/log that records what it gets
	run unshare -m --propagation private sh -c '
		mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 || exit 1
		"$0" -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/dev/log\")
s.settimeout(10)
print(s.recv(4096).decode())
print(s.recv(4096).decode())" > "$1/got" &
		reader=$!
		for i in $(seq 100); do [ -S /dev/log ] && break; sleep 0.05; done
		"$2" -d -v --pidfile "$1/pid" --link slirp:// "$1/sf" || exit 1
		"$3" info "$1/sf" >/dev/null
		kill "$(cat "$1/pid")"
		wait "$reader"
		cat "$1/got"' "$PY" "$BATS_TEST_TMPDIR" "$BUILD/netsup-lwip" "$STACKTOOL"
	assert_success
	assert_line --regexp "^<30>.* netsup-lwip\[[0-9]+\]: client connected: pid [0-9]+ uid 0$"
	assert_line --regexp "^<30>.* netsup-lwip\[[0-9]+\]: client disconnected$"
}

@test "add --lwip: the daemon keeps none of its caller's descriptors, so a pipe it inherited ends" {
	# fd 9 is the pipe to cat: cat ends when add does, the daemon serving on
	# (the timeout only keeps a failure from hanging the suite)
	run bash -c '{ "$0" add "$1" --lwip --link slirp:// --ip 10.0.2.15/24 9>&1; } | timeout 30 cat && echo ended' \
		"$STACKTOOL" "$name"
	assert_success
	assert_output ended
	local pid
	pid=$(cat "/run/netsup/dev-net-$name.pid")
	[ -S "$path" ] && kill -0 "$pid"
	run ls -l "/proc/$pid/fd"
	refute_output --partial "pipe:"
	run "$STACKTOOL" del "$name"
	assert_success
}

@test "identify PID: a program's sockets in a userspace stack, and the daemon that serves it" {
	add_lwip
	local pid
	pid=$(cat "/run/netsup/dev-net-$name.pid")
	bg "$NETSUP" -d inet="$name" -- "$PY" -c 'import socket, time
s = socket.socket(); s.bind(("10.207.0.2", 7334)); s.listen()
time.sleep(60)'
	local i server=
	for i in $(seq 100); do
		server=$(pgrep -f "^$PY -c import socket, time") && break
		sleep 0.05
	done
	[ -n "$server" ]
	for i in $(seq 100); do
		run "$STACKTOOL" identify "$server"
		[[ "$output" == *"sockets: userspace 1"* ]] && break
		sleep 0.05
	done
	assert_success
	assert_line --regexp "^$path +lwip +sockets: userspace 1$"
	run "$STACKTOOL" identify "$pid"
	assert_success
	assert_line --regexp "^$path +lwip +serves it \(its daemon\)$"
	run "$STACKTOOL" identify --json "$server"
	assert_success
	assert_output --partial "{\"path\":\"$path\",\"kind\":\"lwip\",\"namespace\":null,\"sockets\":{"
	assert_output --partial "\"userspace\":1}"
}

@test "make demo's script shows a userspace stack and --user-net, and leaves nothing behind" {
	run "$BATS_TEST_DIRNAME/demo.sh" "$BUILD"
	assert_success
	assert_line --regexp "^==> A userspace stack: lwIP \(netsup-lwip\) on a TAP"
	assert_line --regexp "^kind: lwip \(userspace, lwip 2\.1"
	assert_line --regexp "^hello from red[0-9]+, you are 10\.201\.9\.2$"
	assert_line --regexp "^==> --user-net: "
	assert_line "hello from the host, you are 127.0.0.1"
	run bash -c 'ls /dev/net | grep "^lw[0-9]"'
	assert_output ""
}
