#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A socket of a userspace stack is a kernel socket until its first call
# that needs the stack (supervisor/unborn.c): what the kernel answers
# before that, the options and flags it carries into the stack then, and
# that the stack serves it afterwards.  NETSUP_NO_UNBORN=1 (the daemon's
# socket from socket() on) is the control: the same checks fail there.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	common_setup
	PY=/usr/bin/python3
	# where a normal user can read it too
	SCRIPT=$(mktemp -d /tmp/unborn.XXXXXX)/unborn.py
	echo "dir ${SCRIPT%/*}" >> "$_fixtures"
	cat > "$SCRIPT" <<'PYEOF'
import errno, os, socket, sys

def err(f):
    try:
        f()
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]

what = sys.argv[1]
if what == "unconnected":
    t = socket.socket()
    t.setblocking(False)
    print("tcp recv", err(lambda: t.recv(1)))
    t.setblocking(True)
    print("tcp send", err(lambda: t.send(b"x")))
    print("tcp peer", err(t.getpeername))
    print("tcp shutdown", err(lambda: t.shutdown(socket.SHUT_RDWR)))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    print("udp send", err(lambda: u.send(b"x")))
elif what == "carried":
    s = socket.socket(socket.AF_INET6)
    fd = s.fileno()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setblocking(False)
    os.set_inheritable(fd, True)
    s.bind(("::", 0))
    s.listen()
    print("fd", s.fileno() == fd)
    print("reuseaddr", s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))
    print("v6only", s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY))
    print("keepalive", s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))
    print("nonblock", not s.getblocking())
    print("inheritable", os.get_inheritable(fd))
    c = socket.socket(socket.AF_INET6)
    c.settimeout(10)
    c.connect(("::1", s.getsockname()[1]))
    s.setblocking(True)
    a, _ = s.accept()
    c.sendall(b"through the stack")
    print("got", a.recv(100).decode())
elif what == "forked":
    # made by the parent, bound by its child: still the default's socket
    s = socket.socket()
    pid = os.fork()
    if pid == 0:
        s.bind(("127.0.0.1", 0))
        s.listen()
        c = socket.create_connection(s.getsockname(), timeout=10)
        a, _ = s.accept()
        c.sendall(b"x")
        os._exit(0 if a.recv(1) == b"x" else 1)
    print("child", os.waitpid(pid, 0)[1])
PYEOF
	chmod 755 "${SCRIPT%/*}"
	chmod 644 "$SCRIPT"
}
teardown() { common_teardown; }

@test "unborn: a never-connected socket answers as the kernel's (ENOTCONN, EPIPE, EDESTADDRREQ)" {
	unshare -n "$PY" "$SCRIPT" unconnected > "$BATS_TEST_TMPDIR/kernel"
	run "$BUILD/netsup" --user-net -- "$PY" "$SCRIPT" unconnected
	[ "$status" -eq 0 ]
	diff -u "$BATS_TEST_TMPDIR/kernel" <(echo "$output")
	grep -qx "tcp recv ENOTCONN" "$BATS_TEST_TMPDIR/kernel"
	# the control: the daemon's socketpair acts connected
	run env NETSUP_NO_UNBORN=1 "$BUILD/netsup" --user-net -- "$PY" "$SCRIPT" unconnected
	[ "$status" -eq 0 ]
	! diff -q "$BATS_TEST_TMPDIR/kernel" <(echo "$output")
}

@test "unborn: options, flags and the number go with it into the stack, which serves it" {
	run "$BUILD/netsup" --user-net -- "$PY" "$SCRIPT" carried
	[ "$status" -eq 0 ]
	[ "$output" = "fd True
reuseaddr 1
v6only 1
keepalive 1
nonblock True
inheritable True
got through the stack" ]
}

@test "unborn: as a normal user, options set before bind are carried too" {
	user_new U
	run su -s /bin/sh "$U" -c "cd /tmp && '$BUILD/netsup' --user-net -- '$PY' '$SCRIPT' carried"
	[ "$status" -eq 0 ]
	[[ "$output" == *"reuseaddr 1"*"v6only 1"*"got through the stack"* ]]
}

@test "unborn: a socket made before fork() is served for the child" {
	run "$BUILD/netsup" --user-net -- "$PY" "$SCRIPT" forked
	[ "$status" -eq 0 ]
	[ "$output" = "child 0" ]
}

@test "unborn: -v says where each socket was made" {
	run "$BUILD/netsup" -vv --user-net -- "$PY" "$SCRIPT" forked
	[ "$status" -eq 0 ]
	[[ "$output" == *"made in "*"at its first call that needs it"* ]]
}

@test "unborn: an i386 Fast Open sendmsg on a waiting socket cannot reach the host's loopback" {
	[ "$(sysctl -n net.ipv4.tcp_fastopen)" -ne 0 ] || skip "TCP Fast Open is off"
	ns_new H
	local port=$((20000 + (BATS_ROOT_PID + BATS_TEST_NUMBER * 7) % 20000))
	# the "host": a listener on H's loopback, which --disable-host-loopback
	# keeps from the command; it says whether anything connected
	ip netns exec "$H" "$PY" -c '
import socket, sys
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(); l.settimeout(3)
print(open(sys.argv[2], "w").write("listening") and "", end="")
try:
    l.accept(); print("connected")
except socket.timeout:
    print("nothing")' "$port" "$BATS_TEST_TMPDIR/ready" > "$BATS_TEST_TMPDIR/host" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/ready"
	run ip netns exec "$H" "$BUILD/netsup" --user-net --disable-host-loopback -- \
		"$PROGS/tfo32" 127.0.0.1 "$port"
	[ "$status" -eq 0 ]
	[ "$output" != "no-ia32" ] || skip "no i386 code on this kernel"
	[ "$output" != "sendmsg ok" ]
	wait
	[ "$(cat "$BATS_TEST_TMPDIR/host")" = "nothing" ]
}

@test "unborn: --user-net connects to 10.0.2.2 where the socket waited: blocking as it was, the command's names" {
	ns_new H
	local port=$((20000 + (BATS_ROOT_PID + BATS_TEST_NUMBER * 7) % 20000))
	ip netns exec "$H" "$PY" -c '
import socket, sys
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(); open(sys.argv[2], "w").write("up")
for i in range(2):
    c, _ = l.accept(); c.sendall(b"hi"); c.close()' "$port" "$BATS_TEST_TMPDIR/ready" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/ready"
	run ip netns exec "$H" "$BUILD/netsup" -v --user-net -- "$PY" -c '
import fcntl, os, socket, sys
port = int(sys.argv[1])
s = socket.socket()
s.connect(("10.0.2.2", port))
print("blocking", s.getblocking(), not fcntl.fcntl(s, fcntl.F_GETFL) & os.O_NONBLOCK)
print("names", s.getsockname()[0], s.getpeername())
print("data", s.recv(2))
n = socket.socket(); n.setblocking(False)
print("nonblock", os.strerror(n.connect_ex(("10.0.2.2", port))))' "$port"
	[ "$status" -eq 0 ]
	[[ "$output" == *"connected where it waited (its address rewritten)"* ]]
	[[ "$output" == *"blocking True True"* ]]
	[[ "$output" == *"names 10.0.2.15 ('10.0.2.2', $port)"* ]]
	[[ "$output" == *"data b'hi'"* ]]
	[[ "$output" == *"nonblock Operation now in progress"* ]]
}

@test "unborn: --user-net's TCP socket() needs no supervisor (the kernel makes it where it waits), UDP's does" {
	# the supervisor stopped: a notified call would wait for it
	run timeout 20 "$BUILD/netsup" --user-net -- "$PY" -c '
import os, signal, socket, sys, time
sup = int(os.popen("pgrep -P %d -x netsup-sup" % os.getppid()).read() or 0)
print("supervisor", sup > 0, flush=True)
os.kill(sup, signal.SIGSTOP)
pid = os.fork()
if pid == 0:
    # kept: the finalizer of an unclosed socket calls getsockname()
    keep = [socket.socket(socket.AF_INET, socket.SOCK_STREAM),
            socket.socket(socket.AF_INET6, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)]
    os._exit(0)
time.sleep(2)
done = os.waitpid(pid, os.WNOHANG)[0] == pid
pid2 = os.fork()
if pid2 == 0:
    keep = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    os._exit(0)
time.sleep(1)
waits = os.waitpid(pid2, os.WNOHANG)[0] == 0
os.kill(sup, signal.SIGCONT)
os.waitpid(pid2, 0)
print("tcp made", done, "udp waited", waits)'
	assert_success
	assert_line "supervisor True"
	assert_line "tcp made True udp waited True"
}

@test "unborn: a TCP socket of a caller whose default is another namespace is made there at its first call" {
	ns_new K
	local port=$((20000 + (BATS_ROOT_PID + BATS_TEST_NUMBER * 7) % 20000))
	ip netns exec "$K" "$PY" -c '
import socket, sys
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(); open(sys.argv[2], "w").write("up")
c, _ = l.accept(); c.sendall(b"from K"); c.close()' "$port" "$BATS_TEST_TMPDIR/ready" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/ready"
	run "$BUILD/netsup" -v --user-net -- "$PROGS/msock" D:/run/netns/"$K":inet X "$PY" -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.settimeout(5)
s.connect(("127.0.0.1", int(sys.argv[1])))
print("got", s.recv(10).decode(), "keepalive", s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))' "$port"
	assert_success
	assert_line "got from K keepalive 1"
	assert_output --partial "made there at its first call that needs it"
}

