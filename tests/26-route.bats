#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --route CIDR=STACK: a socket moves to the route's stack at connect(),
# under the same number, with its flags, options and bound port.  Every
# namespace here has the same addresses, and each server answers with its
# namespace's name: the answer says which stack the connection went through.

load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# route_stacks: namespaces A, B and C, each with 10.8.0.1/16, 10.8.1.1
# and fd00:8::1 on lo; A also has 10.7.0.1 (a source only A has)
route_stacks() {
	local n
	ns_new A 10.8.0.1/16
	ns_new B 10.8.0.1/16
	ns_new C 10.8.0.1/16
	for n in "$A" "$B" "$C"; do
		ip -n "$n" addr add 10.8.1.1/32 dev lo
		ip -n "$n" addr add fd00:8::1/64 dev lo nodad
	done
	ip -n "$A" addr add 10.7.0.1/32 dev lo
}

# serve_name NS ADDR PORT: TCP server answering "NS PEERPORT"
serve_name() {
	bg ip netns exec "$1" socat -T5 "TCP-LISTEN:$3,bind=$2,reuseaddr,fork" \
		SYSTEM:"echo $1 \$SOCAT_PEERPORT"
	wait_listen "$1" "$3"
}

# serve_udp NS PORT: UDP server on 10.8.0.1 answering each datagram with NS
serve_udp() {
	bg ip netns exec "$1" $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.8.0.1", int(sys.argv[2])))
while True:
    d, a = s.recvfrom(100)
    s.sendto(sys.argv[1].encode(), a)' "$1" "$2"
	for _ in $(seq 100); do
		ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

@test "TCP to a routed network goes through the route's stack, the rest through the default" {
	route_stacks
	serve_name "$A" 10.8.0.1 7101
	serve_name "$B" 10.8.0.1 7101
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- socat -T5 - TCP:10.8.0.1:7101
	assert_success
	assert_output --regexp "^$B "
	# without the route, A: the route is what made the difference
	run "$NETSUP" -d inet="$A" -- socat -T5 - TCP:10.8.0.1:7101
	assert_output --regexp "^$A "
	# a destination no route holds stays in the default
	serve_name "$A" 10.7.0.1 7102
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- socat -T5 - TCP:10.7.0.1:7102
	assert_success
	assert_output --regexp "^$A "
}

@test "IPv6 routes, and a route out of the namespace netsup runs in (no default)" {
	route_stacks
	bg ip netns exec "$B" socat -T5 "TCP6-LISTEN:7103,bind=[fd00:8::1],reuseaddr,fork" SYSTEM:"echo $B"
	wait_listen "$B" 7103
	run "$NETSUP" -d inet6="$A" --route fd00:8::/32="$B" -- socat -T5 - "TCP6:[fd00:8::1]:7103"
	assert_success
	assert_output "$B"
	# no --default at all: the socket starts in our own namespace
	run "$NETSUP" --route 10.8.0.0/16="$B" --route fd00:8::/32="$B" -- socat -T5 - "TCP6:[fd00:8::1]:7103"
	assert_success
	assert_output "$B"
}

@test "connected UDP to a routed network goes through the route's stack" {
	route_stacks
	serve_udp "$A" 7104
	serve_udp "$B" 7104
	local prog='import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5); s.connect(("10.8.0.1", 7104)); s.send(b"?"); print(s.recv(100).decode())'
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_success
	assert_output "$B"
	run "$NETSUP" -d inet="$A" -- $PY -c "$prog"
	assert_output "$A"
}

@test "the most specific route wins, whatever the order given" {
	route_stacks
	local n
	for n in "$A" "$B" "$C"; do
		serve_name "$n" 10.8.0.1 7105
		serve_name "$n" 10.8.1.1 7105
	done
	run "$NETSUP" -d inet="$A" --route 10.8.1.0/24="$C" --route 10.8.0.0/16="$B" -- socat -T5 - TCP:10.8.1.1:7105
	assert_output --regexp "^$C "
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" --route 10.8.1.0/24="$C" -- socat -T5 - TCP:10.8.1.1:7105
	assert_output --regexp "^$C "
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" --route 10.8.1.0/24="$C" -- socat -T5 - TCP:10.8.0.1:7105
	assert_output --regexp "^$B "
	# one host is the most specific of all
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" --route 10.8.1.1="$A" -- socat -T5 - TCP:10.8.1.1:7105
	assert_output --regexp "^$A "
}

@test "options set before connect survive the move (SO_KEEPALIVE, TCP_NODELAY, SO_RCVBUF), the number too" {
	route_stacks
	serve_name "$B" 10.8.0.1 7106
	local prog='
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 50000)
def opts():
    return (s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
            s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY),
            s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
before, fd = opts(), s.fileno()
ino = __import__("os").fstat(fd).st_ino
s.connect(("10.8.0.1", 7106))
print(s.recv(100).decode().split()[0])
print("options", before, opts())
print("moved", __import__("os").fstat(fd).st_ino != ino)'
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_success
	assert_line --index 0 "$B"
	assert_line --index 1 "options (1, 1, 100000) (1, 1, 100000)"
	assert_line --index 2 "moved True"
}

@test "a non-blocking connect says EINPROGRESS and completes in the route's stack" {
	route_stacks
	serve_name "$B" 10.8.0.1 7107
	local prog='
import socket, select, errno
s = socket.socket()
s.setblocking(False)
print(errno.errorcode[s.connect_ex(("10.8.0.1", 7107))])
select.select([], [s], [], 5)
print("SO_ERROR", s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
select.select([s], [], [], 5)
print(s.recv(100).decode().split()[0], s.getblocking())'
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_success
	assert_output "EINPROGRESS
SO_ERROR 0
$B False"
}

@test "O_CLOEXEC is kept: across exec the moved socket stays closed or open as it was" {
	route_stacks
	serve_name "$B" 10.8.0.1 7108
	local prog='
import socket, os
a = socket.socket()			# close-on-exec (Python default)
b = socket.socket(); b.set_inheritable(True)
a.connect(("10.8.0.1", 7108)); b.connect(("10.8.0.1", 7108))
print(a.fileno(), b.fileno(), flush=True)
# which of the two numbers are still sockets after exec
check = "import os, sys; print(*[fd for fd in sys.argv[1:] if os.path.exists(\"/proc/self/fd/\" + fd) and os.readlink(\"/proc/self/fd/\" + fd).startswith(\"socket:\")])"
os.execv(sys.executable, [sys.executable, "-c", check, str(a.fileno()), str(b.fileno())])'
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c "import sys; $prog"
	assert_success
	local a b
	read -r a b <<<"${lines[0]}"
	# the inheritable one only: both if O_CLOEXEC were lost
	assert_line --index 1 "$b"
}

@test "a socket bound to a port before connect keeps the port in the new stack" {
	route_stacks
	serve_name "$B" 10.8.0.1 7109
	local prog='
import socket
s = socket.socket()
s.bind(("0.0.0.0", 0))
port = s.getsockname()[1]
s.connect(("10.8.0.1", 7109))
name, peerport = s.recv(100).decode().split()
print(name, int(peerport) == port)'
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_success
	assert_output "$B True"
}

@test "a socket bound to an address the route's stack lacks is refused: EADDRNOTAVAIL" {
	route_stacks
	serve_name "$B" 10.8.0.1 7110
	local prog='
import socket
s = socket.socket()
s.bind(("10.7.0.1", 0))
try:
    s.connect(("10.8.0.1", 7110))
    print("connected")
except OSError as e:
    print(__import__("errno").errorcode[e.errno])'
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_success
	assert_output "EADDRNOTAVAIL"
}

@test "curl and a python HTTP client through a route" {
	route_stacks
	local n
	for n in "$A" "$B"; do
		mkdir -p "$BATS_TEST_TMPDIR/$n"
		echo "$n" > "$BATS_TEST_TMPDIR/$n/name"
		bg ip netns exec "$n" $PY -m http.server --bind 10.8.0.1 --directory "$BATS_TEST_TMPDIR/$n" 7111
		wait_listen "$n" 7111
	done
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- curl -s --max-time 5 http://10.8.0.1:7111/name
	assert_success
	assert_output "$B"
	run "$NETSUP" -d inet="$A" --route 10.8.0.0/16="$B" -- $PY -c 'import urllib.request; print(urllib.request.urlopen("http://10.8.0.1:7111/name", timeout=5).read().decode().strip())'
	assert_success
	assert_output "$B"
}

@test "a child may not use a route's stack the policy refuses (--allow): EACCES, nothing moves" {
	route_stacks
	serve_name "$A" 10.8.0.1 7112
	serve_name "$B" 10.8.0.1 7112
	local prog='
import socket
s = socket.socket()
try:
    s.connect(("10.8.0.1", 7112))
    print("connected", s.recv(100).decode().split()[0])
except OSError as e:
    print(__import__("errno").errorcode[e.errno])'
	run "$NETSUP" -d inet="$A" --allow "$C" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_success
	assert_output "EACCES"
	# allowed, it moves
	run "$NETSUP" -d inet="$A" --allow "$B" --route 10.8.0.0/16="$B" -- $PY -c "$prog"
	assert_output "connected $B"
}

@test "--route refuses what it cannot do, with one line" {
	route_stacks
	run "$NETSUP" --route 10.8.1.0/16="$B" -- true
	assert_failure 125
	assert_output --partial "no bits set past its length"
	run "$NETSUP" --route 10.8.0.0="$B" --route 10.8.0.0/32="$C" -- true
	assert_failure 125
	assert_output --partial "has a route already"
	run "$NETSUP" --route 10.8.0.0/16=nosuchstack$$ -- true
	assert_failure 125
	assert_output --partial "no such stack"
}
