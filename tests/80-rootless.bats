#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup without root: run by a normal user made for the test, it serves
# userspace stacks (--user-net: a private netsup-lwip on slirp) and the
# namespaces of a user namespace it runs in; anything else is refused at
# start with a clear message.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	common_setup
	user_new U
	chmod 755 "$BATS_TEST_TMPDIR"
	PORT=$((20000 + (BATS_ROOT_PID + BATS_TEST_NUMBER * 7) % 20000))
}
teardown() { common_teardown; }

# as_user CMD: run CMD (a shell command) as the test's normal user
as_user() {
	su -s /bin/sh "$U" -c "cd /tmp && $1"
}

@test "rootless: --user-net reaches a server on the host's loopback, over IPv4 and IPv6" {
	mkdir -p "$BATS_TEST_TMPDIR/www"
	head -c 1048576 /dev/urandom > "$BATS_TEST_TMPDIR/www/f"
	chmod -R a+rX "$BATS_TEST_TMPDIR/www"
	bg $PY -m http.server "$PORT" --bind ::1 --directory "$BATS_TEST_TMPDIR/www"
	bg $PY -m http.server "$((PORT + 1))" --bind 127.0.0.1 --directory "$BATS_TEST_TMPDIR/www"
	sleep 0.5
	run as_user "'$NETSUP' --user-net -- curl -sS -o - http://10.0.2.2:$((PORT + 1))/f | sha256sum"
	assert_success
	assert_output "$(sha256sum < "$BATS_TEST_TMPDIR/www/f")"
	run as_user "'$NETSUP' --user-net -- curl -sS -g -o - 'http://[fd00::2]:$PORT/f' | sha256sum"
	assert_success
	assert_output "$(sha256sum < "$BATS_TEST_TMPDIR/www/f")"
	# the private stack is gone with the command
	run sh -c "ls -d /tmp/netsup-usernet.* 2>/dev/null | xargs -r stat -c %U | grep -cx '$U'"
	assert_output "0"
}

@test "rootless: --publish lets a host client reach a server run under netsup" {
	as_user "'$NETSUP' --user-net --publish $PORT:8080 -- $PY -c '
import socket
s = socket.socket()
s.bind((\"0.0.0.0\", 8080))
s.listen()
c, a = s.accept()
c.sendall(b\"hello \" + a[0].encode() + b\"\\n\")
c.close()'" &
	echo "pid $!" >> "$_fixtures"
	run socat -T5 - TCP:127.0.0.1:$PORT,retry=50,interval=0.1
	assert_success
	assert_output --regexp "^hello 10\.0\.2\.[0-9]+$"
}

@test "rootless: UDP through slirp's NAT: a DNS query to a dnsmasq on the host" {
	bg dnsmasq --no-daemon --port "$PORT" --listen-address 127.0.0.1 --bind-interfaces \
		--no-resolv --no-hosts --address=/netsup.test/10.9.8.7
	sleep 0.3
	run as_user "'$NETSUP' --user-net -- dig +short +tries=3 +time=2 @10.0.2.2 -p $PORT netsup.test"
	assert_success
	assert_output "10.9.8.7"
}

@test "rootless: a root-owned namespace is refused before anything runs, saying what works" {
	ns_new A
	run as_user "'$NETSUP' -d $A -- touch '$BATS_TEST_TMPDIR/ran'"
	assert_equal "$status" 125
	assert_output --partial "cannot enter the network namespace: Operation not permitted"
	assert_output --partial "--user-net"
	assert_output --partial "unshare -Urn"
	assert_file_not_exists "$BATS_TEST_TMPDIR/ran"
}

@test "rootless: inside unshare -Urn, netsup serves the namespaces of that user namespace" {
	run as_user "unshare -Urn sh -c \"ip link set lo up; unshare -n sleep 30 & sleep 0.3
		'$NETSUP' -d /proc/\\\$!/ns/net -- '$PROGS/sockns' inet
		readlink /proc/\\\$!/ns/net; kill \\\$!\""
	assert_success
	local want
	want=$(sed -n 2p <<< "$output" | sed 's/.*\[\(.*\)\]/\1/')
	assert_line --index 0 "netns=$want nonblock=0 cloexec=0"
}

@test "rootless: msocket reaches a userspace stack the user may write to, and no other" {
	local out
	out=$(mktemp -d /tmp/nsup-lw.XXXXXX)
	echo "dir $out" >> "$_fixtures"
	"$BUILD/netsup-lwip" --link slirp:// --ip 10.0.2.15/24 --gw 10.0.2.2 "$out/open" 2>/dev/null &
	echo "pid $!" >> "$_fixtures"
	"$BUILD/netsup-lwip" --link slirp:// --ip 10.0.2.15/24 --gw 10.0.2.2 "$out/closed" 2>/dev/null &
	echo "pid $!" >> "$_fixtures"
	local i
	for i in $(seq 100); do [ -S "$out/open" ] && [ -S "$out/closed" ] && break; sleep 0.05; done
	chmod 777 "$out/open"
	chmod 700 "$out/closed"
	chmod 755 "$out"
	run as_user "'$NETSUP' --userspace -- '$PROGS/msock' M:$out/open:inet:1 M:$out/closed:inet:1"
	assert_line --index 0 --regexp "^M:$out/open:inet:1 netns=[0-9]+$"
	assert_line --index 1 "M:$out/closed:inet:1 errno=EACCES"
}
