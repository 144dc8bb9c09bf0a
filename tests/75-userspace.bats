#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Unmodified programs under netsup whose TCP/IP runs in a userspace stack
# (netsup-lwip): the peer is the kernel stack of a test namespace on the
# other side of a TAP.

bats_require_minimum_version 1.5.0
load helpers


setup() {
	common_setup
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.204.0.1/24 dev lwtap
	ip -n "$P" addr add fd04::1/64 dev lwtap nodad
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip0"
	lwip_serve "$SF" "$P" 10.204.0.2/24 fd04::2/64
	chmod 755 "$BATS_TEST_TMPDIR"
}
teardown() { common_teardown; }

# serve_dir DIR PORT ADDR: python's http.server for DIR in P
serve_dir() {
	bg ip netns exec "$P" $PY -m http.server "$2" --bind "$3" --directory "$1"
	wait_listen "$P" "$2"
}

@test "curl and busybox wget download 10 MB through lwIP, intact, IPv4 and IPv6" {
	local d="$BATS_TEST_TMPDIR/www"
	mkdir -p "$d"
	head -c 10485760 /dev/urandom > "$d/big"
	serve_dir "$d" 8000 ::
	run "$NETSUP" -d "$SF" -- curl -sS -o "$BATS_TEST_TMPDIR/got4" http://10.204.0.1:8000/big
	assert_success
	run "$NETSUP" -d "$SF" -- curl -sS -g -o "$BATS_TEST_TMPDIR/got6" "http://[fd04::1]:8000/big"
	assert_success
	run "$NETSUP" -d "$SF" -- busybox wget -q -O "$BATS_TEST_TMPDIR/gotbb" http://10.204.0.1:8000/big
	assert_success
	local want
	want=$(sha256sum < "$d/big")
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/got4")" "$want"
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/got6")" "$want"
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/gotbb")" "$want"
}

@test "servers under netsup on lwIP are reached from the kernel side and see the client's real address" {
	local d="$BATS_TEST_TMPDIR/www" log="$BATS_TEST_TMPDIR/http.log"
	mkdir -p "$d"
	echo hello > "$d/f"
	"$NETSUP" -d "$SF" -- $PY -m http.server 8001 --directory "$d" 2>"$log" &
	echo "pid $!" >> "$_fixtures"
	run ip netns exec "$P" curl -s --retry 20 --retry-connrefused --retry-delay 0 http://10.204.0.2:8001/f
	assert_success
	assert_output "hello"
	run grep -cE '^(::ffff:)?10.204.0.1 .*"GET /f' "$log"
	assert_output "1"
	# socat with fork: each client served by a child of the listener
	"$NETSUP" -d "$SF" -- socat TCP6-LISTEN:8002,ipv6only=0,reuseaddr,fork \
		SYSTEM:'echo peer $SOCAT_PEERADDR' &
	echo "pid $!" >> "$_fixtures"
	run ip netns exec "$P" socat -T5 - TCP:10.204.0.2:8002,retry=20,interval=0.1
	assert_output "peer [0000:0000:0000:0000:0000:ffff:0acc:0001]"
	run ip netns exec "$P" socat -T5 - TCP6:[fd04::2]:8002
	assert_output "peer [fd04:0000:0000:0000:0000:0000:0000:0001]"
}

@test "UDP through lwIP: every datagram's source address, connected and unconnected" {
	# a UDP echo in P that answers with the source address it saw
	bg ip netns exec "$P" $PY -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.204.0.1", 9000))
while True:
    data, src = s.recvfrom(100)
    s.sendto(b"from " + src[0].encode() + b"\n", src)'
	sleep 0.3
	run "$NETSUP" -d "$SF" -- $PY -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for i in range(3):
    s.sendto(b"x", ("10.204.0.1", 9000))
    data, src = s.recvfrom(100)
    print(data.decode().strip(), src[0], src[1])
print("type", s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_DGRAM)
print("bound", s.getsockname()[0], s.getsockname()[1] > 0)'
	assert_success
	assert_line --index 0 "from 10.204.0.2 10.204.0.1 9000"
	assert_line --index 2 "from 10.204.0.2 10.204.0.1 9000"
	assert_line --index 3 "type True"
	assert_line --index 4 "bound 0.0.0.0 True"
	run "$NETSUP" -d "$SF" -- sh -c 'echo hi | socat -t2 - UDP:10.204.0.1:9000'
	assert_output "from 10.204.0.2"
	# sendmmsg and recvmmsg with an address in each message
	run timeout 20 "$NETSUP" -d "$SF" -- "$PROGS/mmsg" 10.204.0.1 9000
	assert_success
	assert_output - <<-OUT
	reply from 10.204.0.2 from 10.204.0.1 9000
	reply from 10.204.0.2 from 10.204.0.1 9000
	reply from 10.204.0.2 from 10.204.0.1 9000
	OUT
}

@test "a mixed session: inet in lwIP, inet6 in a namespace, in one program" {
	ns_new B
	ip -n "$B" addr add fd05::1/64 dev lo nodad
	bg ip netns exec "$B" socat TCP6-LISTEN:8003,reuseaddr,fork SYSTEM:'echo B'
	bg ip netns exec "$P" socat TCP-LISTEN:8003,reuseaddr,fork SYSTEM:'echo P $SOCAT_PEERADDR'
	wait_listen "$B" 8003
	wait_listen "$P" 8003
	run "$NETSUP" -d inet="$SF" -d inet6="$B" -- sh -c \
		'socat -T5 - TCP:10.204.0.1:8003; socat -T5 - TCP6:[fd05::1]:8003'
	assert_success
	assert_output - <<-OUT
	P 10.204.0.2
	B
	OUT
}

@test "a blocking accept in lwIP is interrupted by a signal, as in the kernel" {
	run timeout 20 "$NETSUP" -d "$SF" -- $PY -c '
import signal, socket
def ring(sig, frame):
    raise InterruptedError("alarm")
signal.signal(signal.SIGALRM, ring)
s = socket.socket()
s.bind(("0.0.0.0", 8004))
s.listen()
signal.alarm(1)
try:
    s.accept()
except InterruptedError as e:
    print("interrupted:", e)
s.close()
print("still served:", socket.socket().fileno() >= 0)'
	assert_success
	assert_line "interrupted: alarm"
	assert_line "still served: True"
}

@test "faults: a socket that does not speak the protocol, a daemon killed mid-session" {
	local junk="$BATS_TEST_TMPDIR/junk"
	bg socat UNIX-LISTEN:"$junk",type=5,fork SYSTEM:'echo nonsense'
	local i
	for i in $(seq 100); do [ -S "$junk" ] && break; sleep 0.05; done
	run "$NETSUP" -d "$junk" -- true
	assert_equal "$status" 125
	assert_output --partial "$junk"
	# the daemon goes away: new sockets get ENETDOWN, kernel ones work
	ns_new B
	run --separate-stderr "$NETSUP" -d inet="$SF" -d inet6="$B" -- sh -c "kill $LWPID; sleep 0.5
		'$PROGS/sockns' inet stream; '$PROGS/sockns' inet6 stream"
	assert_line --index 0 "errno=100 (Network is down)"
	assert_line --index 1 --regexp "^netns=[0-9]+ nonblock=0 cloexec=0$"
	[[ "$stderr" == *"the stack daemon closed its connection"* ]]
}

@test "nginx as a daemon on lwIP: epoll, sendfile, two workers sharing the listener" {
	local d="$BATS_TEST_TMPDIR/ng"
	mkdir -p "$d/www"
	head -c 4194304 /dev/urandom > "$d/www/f"
	cat > "$d/nginx.conf" <<-CONF
	user root root;
	worker_processes 2;
	pid $d/nginx.pid;
	error_log $d/error.log;
	events { worker_connections 64; use epoll; }
	http {
	    access_log $d/access.log;
	    sendfile on;
	    client_body_temp_path $d/b; proxy_temp_path $d/p; fastcgi_temp_path $d/f;
	    uwsgi_temp_path $d/u; scgi_temp_path $d/s;
	    server { listen 8090; listen [::]:8090; root $d/www; }
	}
	CONF
	run "$NETSUP" -d "$SF" -- nginx -c "$d/nginx.conf"
	assert_success
	echo "pid $(cat "$d/nginx.pid")" >> "$_fixtures"
	local i want
	want=$(sha256sum < "$d/www/f")
	for i in 1 2 3 4 5 6; do
		run ip netns exec "$P" sh -c "curl -sS http://10.204.0.2:8090/f | sha256sum"
		assert_output "$want"
	done
	run ip netns exec "$P" sh -c "curl -sS -g 'http://[fd04::2]:8090/f' | sha256sum"
	assert_output "$want"
	run grep -c '^10.204.0.1 .*"GET /f HTTP/1.1" 200 4194304' "$d/access.log"
	assert_output "6"
	kill "$(cat "$d/nginx.pid")"
}

@test "iperf3 client and server over lwIP, TCP and UDP" {
	local i
	bg ip netns exec "$P" iperf3 -s -p 5201
	wait_listen "$P" 5201
	run "$NETSUP" -d "$SF" -- iperf3 -c 10.204.0.1 -p 5201 -t 1
	assert_success
	assert_output --partial "receiver"
	run "$NETSUP" -d "$SF" -- iperf3 -c 10.204.0.1 -p 5201 -t 1 -u -b 20M
	assert_success
	assert_output --regexp " 0/[0-9]+ \(0%\) +receiver"
	"$NETSUP" -d "$SF" -- iperf3 -s -p 5202 > /dev/null &
	echo "pid $!" >> "$_fixtures"
	# until the server under netsup listens
	for i in $(seq 50); do
		run ip netns exec "$P" iperf3 -c 10.204.0.2 -p 5202 -t 1
		[ "$status" -eq 0 ] && break
		sleep 0.1
	done
	assert_success
	assert_output --partial "receiver"
	run ip netns exec "$P" iperf3 -c 10.204.0.2 -p 5202 -t 1 -u -b 20M
	assert_success
	assert_output --partial "receiver"
}

@test "dig against a dnsmasq in the peer, over UDP and TCP" {
	bg ip netns exec "$P" dnsmasq --no-daemon --port 53 --listen-address 10.204.0.1 \
		--bind-interfaces --no-resolv --no-hosts --address=/netsup.test/10.9.8.7
	sleep 0.3
	run "$NETSUP" -d "$SF" -- dig +short +tries=2 +time=2 @10.204.0.1 netsup.test
	assert_output "10.9.8.7"
	run "$NETSUP" -d "$SF" -- dig +short +tcp +tries=2 +time=2 @10.204.0.1 netsup.test
	assert_output "10.9.8.7"
}

@test "a socket passed by SCM_RIGHTS keeps working in the receiver" {
	bg ip netns exec "$P" socat TCP-LISTEN:8005,reuseaddr,fork SYSTEM:'read l; echo got $l'
	wait_listen "$P" 8005
	run "$NETSUP" -d "$SF" -- $PY -c '
import os, socket
a, b = socket.socketpair()
c = socket.create_connection(("10.204.0.1", 8005))
if os.fork() == 0:
    fds = socket.recv_fds(b, 1, 1)[1]
    s = socket.socket(fileno=fds[0])
    s.sendall(b"passed\n")
    print(s.recv(100).decode().strip(), s.getpeername()[0])
    os._exit(0)
socket.send_fds(a, [b"x"], [c.fileno()])
c.close()
os.wait()'
	assert_success
	assert_output "got passed 10.204.0.1"
}

@test "faults: a daemon that answers garbage is dropped; its sockets fail, nothing leaks, others are served" {
	local fake="$BATS_TEST_TMPDIR/fake"
	# a "daemon" that greets properly, then answers anything with garbage
	bg $PY -c '
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1]); s.listen()
while True:
    c, _ = s.accept()
    m = c.recv(65536)
    hid = struct.unpack_from("=IHHQ", m)[3]
    text = b"stack=fake\n"
    body = struct.pack("=IIII", 1, 3, 1, 1500) + text
    c.send(struct.pack("=IHHQiI", 24 + len(body), 1 | 0x8000, 0, hid, 0, 0) + body)
    while c.recv(65536):
        c.send(b"\xff" * 7)' "$fake"
	local i
	for i in $(seq 100); do [ -S "$fake" ] && break; sleep 0.05; done
	ns_new B
	# the daemon is asked at socket() (not at the first call that needs
	# the stack, supervisor/unborn.c): its garbage answers that
	run --separate-stderr env NETSUP_NO_UNBORN=1 "$NETSUP" -d inet="$fake" -d inet6="$B" -- sh -c "
		sup=\$(pgrep -P \$PPID | grep -vx \$\$)
		'$PROGS/sockns' inet stream; before=\$(ls /proc/\$sup/fd | wc -l)
		for i in \$(seq 20); do '$PROGS/sockns' inet stream; done > /dev/null
		echo fds \$((\$(ls /proc/\$sup/fd | wc -l) - before))
		'$PROGS/sockns' inet6 stream"
	assert_success
	assert_line --index 0 "errno=100 (Network is down)"
	assert_line --index 1 "fds 0"
	assert_line --index 2 --regexp "^netns=[0-9]+ nonblock=0 cloexec=0$"
	[[ "$stderr" == *"malformed reply from the stack daemon"* ]]
}

@test "faults: the daemon killed during a transfer: the transfer fails, it does not hang" {
	local d="$BATS_TEST_TMPDIR/www"
	mkdir -p "$d"
	head -c 20971520 /dev/urandom > "$d/big"
	serve_dir "$d" 8006 10.204.0.1
	run timeout 30 "$NETSUP" -d "$SF" -- sh -c "
		curl -sS --limit-rate 2M -o /dev/null http://10.204.0.1:8006/big & c=\$!
		sleep 1; kill $LWPID; wait \$c; echo curl=\$?"
	assert_success
	refute_line "curl=0"
	assert_line --regexp "^curl=(18|56)$"
}

@test "stress: 100 connections at once and 2000 sockets in turn through lwIP; nothing grows in netsup" {
	bg ip netns exec "$P" socat TCP-LISTEN:8007,reuseaddr,fork,backlog=200 SYSTEM:'head -c3 >/dev/null; echo ok'
	wait_listen "$P" 8007
	# each receiving thread keeps a pidfd of the last caller (request.c):
	# one per thread, not per call, so those are not counted
	run timeout 120 "$NETSUP" -d "$SF" -- sh -c "
		sup=\$(pgrep -P \$PPID | grep -vx \$\$)
		nfds() { find /proc/\$sup/fd -mindepth 1 -lname 'anon_inode:\[pidfd\]' -prune -o -print | wc -l; }
		$PY -c '
import socket, threading
def one():
    s = socket.create_connection((\"10.204.0.1\", 8007), timeout=30)
    s.sendall(b\"hi\\n\")
    assert s.recv(10) == b\"ok\\n\"
    s.close()
one()' && before=\$(nfds)
		$PY -c '
import socket, threading
ok = []
def one():
    s = socket.create_connection((\"10.204.0.1\", 8007), timeout=30)
    s.sendall(b\"hi\\n\")
    if s.recv(10) == b\"ok\\n\": ok.append(1)
    s.close()
ts = [threading.Thread(target=one) for i in range(100)]
[t.start() for t in ts]; [t.join() for t in ts]
print(\"connections\", len(ok))
n = 0
for i in range(2000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if i % 2 else socket.SOCK_STREAM)
    s.bind((\"0.0.0.0\", 0)); n += 1; s.close()
print(\"sockets\", n)'
		echo fds \$((\$(nfds) - before))"
	assert_success
	assert_line "connections 100"
	assert_line "sockets 2000"
	assert_line "fds 0"
}

@test "the sockets a program closed are forgotten by netsup too (the table is swept)" {
	run --separate-stderr "$NETSUP" -vv -d "$SF" -- $PY -c '
import socket
for i in range(3000):
    s = socket.socket(); s.bind(("0.0.0.0", 0)); s.close()
print("done")'
	assert_success
	assert_output "done"
	grep -qE "userspace sockets: [0-9]+ known, [1-9][0-9]* of the [0-9]+ asked about last were gone" <<< "$stderr"
}

@test "interface lookups of a program on lwIP are the stack's, as ip link shows them" {
	run "$NETSUP" -d "$SF" -- sh -c 'ip -o link show eth0 | cut -d: -f1
		'"$PY"' -c "import socket; print(socket.if_nametoindex(\"eth0\"))"'
	assert_success
	assert_equal "${lines[0]}" "${lines[1]}"
	run "$NETSUP" -d "$SF" -- $PY -c 'import socket; socket.if_nametoindex("nosuch0")'
	assert_failure
	assert_output --partial "no interface with this name"
}

@test "a hostile program on lwIP: bad pointers, a killed accepter, a swapped descriptor, 300 processes at once" {
	local d="$BATS_TEST_TMPDIR/www"
	mkdir -p "$d"
	serve_dir "$d" 8000 10.204.0.1
	cat > "$BATS_TEST_TMPDIR/attack.py" <<-'PY'
	import ctypes, os, socket, signal, time, sys
	libc = ctypes.CDLL(None, use_errno=True)
	def err(rc):
	    return "ok" if rc >= 0 else os.strerror(ctypes.get_errno())
	s = socket.socket()
	print("bind bad ptr:", err(libc.bind(s.fileno(), ctypes.c_void_p(1), 16)))
	print("getsockopt bad len:", err(libc.getsockopt(s.fileno(), 1, 3, ctypes.c_void_p(16), ctypes.c_void_p(8))))
	print("connect huge len:", err(libc.connect(s.fileno(), ctypes.c_void_p(16), 1 << 30)))
	u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	u.bind(("0.0.0.0", 0))
	print("recvfrom bad buf (nonblock):", err(libc.recvfrom(u.fileno(), ctypes.c_void_p(8), 100, socket.MSG_DONTWAIT, ctypes.c_void_p(8), ctypes.c_void_p(8))))
	# a child blocked in accept is killed; the listener keeps working for the parent
	l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("0.0.0.0", 8555)); l.listen()
	pid = os.fork()
	if pid == 0:
	    l.accept(); os._exit(0)
	time.sleep(0.3); os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0); time.sleep(0.6)
	c = socket.create_connection(("10.204.0.2", 8555), timeout=5)
	l.settimeout(5)
	a, addr = l.accept()
	print("accept after a killed accepter:", addr[0])
	# a thread closes the socket another thread is blocked in accept on
	import threading
	l2 = socket.socket(); l2.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l2.bind(("0.0.0.0", 8556)); l2.listen()
	res = []
	def blocker():
	    try:
	        l2.accept(); res.append("accepted")
	    except OSError as e:
	        res.append(e.strerror)
	t = threading.Thread(target=blocker, daemon=True); t.start(); time.sleep(0.3)
	fresh = socket.socket(); os.dup2(fresh.fileno(), l2.fileno())   # swap a fresh socket onto its number
	time.sleep(0.5)
	print("blocked accept after dup2 over its fd:", res or ["still blocked"])
	# 300 processes at once, each a socket and a connect
	pids = []
	for i in range(300):
	    p = os.fork()
	    if p == 0:
	        try:
	            x = socket.create_connection(("10.204.0.1", 8000), timeout=20); x.close(); os._exit(0)
	        except Exception:
	            os._exit(1)
	    pids.append(p)
	bad = sum(1 for p in pids if os.waitpid(p, 0)[1] != 0)
	print("300 processes connecting, failures:", bad)
	PY
	run timeout 90 "$NETSUP" -d "$SF" -- $PY "$BATS_TEST_TMPDIR/attack.py"
	assert_success
	# the kernel's answers: EFAULT, EFAULT, EINVAL, EAGAIN (nothing queued)
	assert_output - <<-OUT
	bind bad ptr: Bad address
	getsockopt bad len: Bad address
	connect huge len: Invalid argument
	recvfrom bad buf (nonblock): Resource temporarily unavailable
	accept after a killed accepter: 10.204.0.2
	blocked accept after dup2 over its fd: ['still blocked']
	300 processes connecting, failures: 0
	OUT
	# and the daemon serves on
	run "$NETSUP" -d "$SF" -- curl -s -o /dev/null -w "%{http_code}" http://10.204.0.1:8000/
	assert_output "200"
}
