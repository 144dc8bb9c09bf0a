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

# wait_listen_here PORT: until something listens on TCP PORT here (5 s)
wait_listen_here() {
	local i
	for i in $(seq 100); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing listens on port $1" >&2
	return 1
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
	local ready
	ready=$(mktemp -d /tmp/netsup-test-ready.XXXXXX)
	echo "dir $ready" >> "$_fixtures"
	chmod 777 "$ready"
	# slirp listens on the host at once: the client waits for the server
	as_user "'$NETSUP' --user-net --publish $PORT:8080 -- $PY -c '
import socket
s = socket.socket()
s.bind((\"0.0.0.0\", 8080))
s.listen()
s.settimeout(30)
open(\"$ready/up\", \"w\").close()
c, a = s.accept()
c.sendall(b\"hello \" + a[0].encode() + b\"\\n\")
c.close()'" &
	echo "pid $!" >> "$_fixtures"
	local i
	for i in $(seq 300); do [ -e "$ready/up" ] && break; sleep 0.1; done
	run socat -T5 - TCP:127.0.0.1:$PORT,retry=50,interval=0.1
	assert_success
	# the listener is the host's own (movepub.c): the peer is the real one
	assert_output "hello 127.0.0.1"
}

@test "rootless: a published TCP port is the command's own listener on the host: native accepts, the command's names, IPv6, reached from inside too" {
	local ready
	ready=$(mktemp -d /tmp/netsup-test-ready.XXXXXX)
	echo "dir $ready" >> "$_fixtures"
	chmod 777 "$ready"
	as_user "'$NETSUP' --user-net --publish $PORT:8080 --publish '[::1]:$((PORT + 1)):8081' -- $PY -c '
import socket, threading
def serve(fam, addr, port, n):
    s = socket.socket(fam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    s.listen()
    s.settimeout(30)
    print(\"listener\", s.getsockname()[:2], flush=True)
    open(\"$ready/%d\" % port, \"w\").close()
    for i in range(n):
        c, a = s.accept()
        print(\"accepted\", port, c.getsockname()[:2], flush=True)
        c.sendall(b\"port %d\\n\" % port)
        c.close()
ts = [threading.Thread(target=serve, args=a) for a in
      ((socket.AF_INET, \"0.0.0.0\", 8080, 2), (socket.AF_INET6, \"::\", 8081, 1))]
[t.start() for t in ts]
while not all(__import__(\"os\").path.exists(\"$ready/%d\" % p) for p in (8080, 8081)):
    __import__(\"time\").sleep(0.05)
# from inside: the command reaches its own published port as before
print(\"inside\", socket.create_connection((\"10.0.2.15\", 8080), timeout=5).recv(20))
[t.join() for t in ts]'" > "$BATS_TEST_TMPDIR/out" &
	echo "pid $!" >> "$_fixtures"
	for _ in $(seq 300); do [ -e "$ready/8080" ] && [ -e "$ready/8081" ] && break; sleep 0.1; done
	# the host's listeners are the command's own sockets, not slirp's
	run ss -Hltnp "( sport = :$PORT or sport = :$((PORT + 1)) )"
	assert_success
	assert_equal "$(echo "$output" | grep -c 'python3')" 2
	refute_output --partial "netsup"
	run socat -T5 - TCP:127.0.0.1:$PORT
	assert_output "port 8080"
	run socat -T5 - "TCP6:[::1]:$((PORT + 1))"
	assert_output "port 8081"
	wait
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "listener ('0.0.0.0', 8080)"
	assert_line "listener ('::', 8081)"
	assert_line "accepted 8080 ('10.0.2.15', 8080)"
	assert_line "accepted 8081 ('fd00::15', 8081)"
	assert_line "inside b'port 8080\\n'"
	# the control: with NETSUP_USERNET_NO_MOVE slirp forwards, and no
	# IPv6 address of the host can be published that way
	run as_user "NETSUP_USERNET_NO_MOVE=1 '$NETSUP' --user-net --publish '[::1]:$((PORT + 1)):8081' -- true"
	assert_equal "$status" 125
	assert_output --partial "an IPv6 address of the host"
}

@test "rootless: a socket bound to a published port reaches nothing the command could not: no connect, no Fast Open from the host's port" {
	bg socat "TCP-LISTEN:$((PORT + 2)),bind=127.0.0.1,reuseaddr,fork" SYSTEM:"echo reached >> $BATS_TEST_TMPDIR/reached"
	wait_listen_here "$((PORT + 2))"
	chmod 777 "$BATS_TEST_TMPDIR"
	run as_user "'$NETSUP' --user-net --disable-host-loopback --publish $PORT:80 -- $PY -c '
import errno, socket
def t(name, f):
    try:
        f(); print(name, \"ok\")
    except OSError as e:
        print(name, errno.errorcode[e.errno])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"0.0.0.0\", 80))
t(\"connect-loopback\", lambda: s.connect((\"127.0.0.1\", $((PORT + 2)))))
t(\"connect-host\", lambda: s.connect((\"10.0.2.2\", $((PORT + 2)))))
t(\"fastopen\", lambda: s.sendto(b\"x\", socket.MSG_FASTOPEN, (\"127.0.0.1\", $((PORT + 2)))))
s.listen(); s.shutdown(socket.SHUT_RD)
t(\"shut-listener-connect\", lambda: s.connect((\"127.0.0.1\", $((PORT + 2)))))'"
	assert_success
	assert_output "connect-loopback ENETUNREACH
connect-host ENETUNREACH
fastopen ENOTSUP
shut-listener-connect ENETUNREACH"
	sleep 0.3
	assert_file_not_exists "$BATS_TEST_TMPDIR/reached"
}

@test "rootless: two --publish both forward, a range too; a host port in use or an address not the host's is one line and 125" {
	local ready
	ready=$(mktemp -d /tmp/netsup-test-ready.XXXXXX)
	echo "dir $ready" >> "$_fixtures"
	chmod 777 "$ready"	# the test's directory is root's alone
	# slirp listens on the host at once: a client is let in only once the
	# server inside listens, and the server gives up after 30 s
	as_user "'$NETSUP' --user-net --publish $PORT:8080 --publish 127.0.0.1:$((PORT + 1))-$((PORT + 2)):9001-9002 -- $PY -c '
import socket, threading
def serve(port):
    s = socket.socket()
    s.bind((\"0.0.0.0\", port))
    s.listen()
    s.settimeout(30)
    open(\"$ready/%d\" % port, \"w\").close()
    c, a = s.accept()
    c.sendall(b\"port %d\\n\" % port)
    c.close()
ts = [threading.Thread(target=serve, args=(p,)) for p in (8080, 9001, 9002)]
[t.start() for t in ts]
[t.join() for t in ts]'" &
	echo "pid $!" >> "$_fixtures"
	for _ in $(seq 200); do
		[ -e "$ready/8080" ] && [ -e "$ready/9001" ] && [ -e "$ready/9002" ] && break
		sleep 0.05
	done
	run socat -T5 - TCP:127.0.0.1:$PORT
	assert_output "port 8080"
	run socat -T5 - TCP:127.0.0.1:$((PORT + 1))
	assert_output "port 9001"
	run socat -T5 - TCP:127.0.0.1:$((PORT + 2))
	assert_output "port 9002"
	# a port some host program listens on
	bg socat TCP-LISTEN:$((PORT + 3)),bind=127.0.0.1,reuseaddr,fork EXEC:true
	for _ in $(seq 100); do
		ss -Htln "sport = :$((PORT + 3))" | grep -q . && break
		sleep 0.05
	done
	run as_user "'$NETSUP' --user-net --publish 127.0.0.1:$((PORT + 3)):80 -- true"
	assert_equal "$status" 125
	assert_output "netsup: --publish 127.0.0.1:$((PORT + 3)):80: port $((PORT + 3)) of the host is in use"
	run as_user "'$NETSUP' --user-net --publish 192.0.2.1:$((PORT + 4)):80 -- true"
	assert_equal "$status" 125
	assert_output "netsup: --publish 192.0.2.1:$((PORT + 4)):80: not an address of this host"
	run as_user "'$NETSUP' --user-net --publish 999.1.1.1:$((PORT + 4)):80 -- true"
	assert_equal "$status" 125
	assert_output --partial "an IPv4 address"
}

@test "rootless: UDP through slirp's NAT: a DNS query to a dnsmasq on the host" {
	bg dnsmasq --no-daemon --port "$PORT" --listen-address 127.0.0.1 --bind-interfaces \
		--no-resolv --no-hosts --address=/netsup.test/10.9.8.7
	sleep 0.3
	run as_user "'$NETSUP' --user-net -- dig +short +tries=3 +time=2 @10.0.2.2 -p $PORT netsup.test"
	assert_success
	assert_output "10.9.8.7"
}

@test "rootless: DNS to 10.0.2.3 is a kernel socket connected to the host's resolver; with --disable-host-loopback a loopback resolver is slirp's proxy's" {
	local dir
	dir=$(mktemp -d /tmp/netsup-test-dns.XXXXXX)
	echo "dir $dir" >> "$_fixtures"
	chmod 755 "$dir"
	echo "nameserver 127.0.0.1" > "$dir/resolv.conf"
	# a query for netsup.test on a connected UDP socket: the answer, and
	# whether the socket is the kernel's (in /proc/net/udp) or lwIP's pair
	printf '%s\n' 'import socket, os' \
		'u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)' \
		'u.connect(("10.0.2.3", 53))' \
		'u.send(bytes.fromhex("123401000001000000000000") + b"\x06netsup\x04test\x00\x00\x01\x00\x01")' \
		'r = u.recv(512)' \
		'ino = os.readlink("/proc/self/fd/%d" % u.fileno())[8:-1]' \
		'kernel = any(l.split()[9] == ino for l in open("/proc/net/udp").readlines()[1:])' \
		'print(socket.inet_ntoa(r[-4:]), "kernel" if kernel else "lwip", u.getpeername()[0])' \
		> "$dir/q.py"
	chmod 644 "$dir/q.py"
	ns_new N
	# in N, a resolver on its loopback, and a resolv.conf naming it
	# (ip netns exec's mount namespace keeps the bind mount to itself)
	run ip netns exec "$N" sh -c "
		dnsmasq --keep-in-foreground --port 53 --listen-address 127.0.0.1 --bind-interfaces \
			--no-resolv --no-hosts --address=/netsup.test/10.9.8.7 --pid-file= 2>/dev/null &
		trap 'kill \$!' EXIT
		for i in \$(seq 100); do ss -Huln 'sport = :53' | grep -q . && break; sleep 0.05; done
		mount --bind '$dir/resolv.conf' /etc/resolv.conf
		su -s /bin/sh '$U' -c \"'$NETSUP' --user-net -- $PY '$dir/q.py'\"
		su -s /bin/sh '$U' -c \"'$NETSUP' --user-net --disable-host-loopback -- $PY '$dir/q.py'\""
	assert_success
	assert_line --index 0 "10.9.8.7 kernel 10.0.2.3"
	assert_line --index 1 "10.9.8.7 lwip 10.0.2.3"
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

@test "rootless: --user-net: a connection to the host is a kernel socket of the host, the user's, and the command keeps its names" {
	bg socat -T10 "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" SYSTEM:"echo host; sleep 5"
	wait_listen_here "$PORT"
	as_user "'$NETSUP' --user-net -- $PY -c '
import socket, time
s = socket.socket()
s.connect((\"10.0.2.2\", $PORT))
print(s.recv(100).decode().strip(), s.getsockname()[0], *s.getpeername(), flush=True)
print(s.getsockname()[1], flush=True)
time.sleep(3)'" > "$BATS_TEST_TMPDIR/out" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out"
	for _ in $(seq 50); do [ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -ge 2 ] && break; sleep 0.1; done
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 "host 10.0.2.15 10.0.2.2 $PORT"
	local sport=${lines[1]}
	# the host's own table has it, held by the command itself (not by
	# slirp in netsup-lwip), the user's, from the port the command sees
	run ss -Htnpe state established "dport = :$PORT"
	assert_output --partial "127.0.0.1:$sport"
	assert_output --partial "uid:$(id -u "$U")"
	assert_output --partial '(("python3"'
	refute_output --partial "netsup-lwip"
}

@test "rootless: --user-net: iperf3 to the host's loopback, TCP and connected UDP, on the kernel's path" {
	bg iperf3 -s -B 127.0.0.1 -p "$PORT"
	wait_listen_here "$PORT"
	run as_user "'$NETSUP' --user-net -- iperf3 -c 10.0.2.2 -p $PORT -t 1 -J"
	assert_success
	assert_output --partial '"sum_received"'
	run as_user "'$NETSUP' --user-net -- iperf3 -c 10.0.2.2 -p $PORT -t 1 -u -b 10M -J"
	assert_success
	assert_output --partial '"sum"'
}

@test "rootless: --user-net: names of moved sockets are the command's (getsockname, getpeername), TCP, UDP, IPv6, non-blocking" {
	bg socat -T5 "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" SYSTEM:"echo four"
	bg socat -T5 "TCP6-LISTEN:$PORT,bind=[::1],reuseaddr,fork" SYSTEM:"echo six"
	bg socat -T5 "UDP-RECVFROM:$((PORT + 1)),bind=127.0.0.1,fork" SYSTEM:"echo udp"
	wait_listen_here "$PORT"
	run as_user "'$NETSUP' --user-net -- $PY -c '
import socket, select, errno
s = socket.socket(); s.setblocking(False)
print(errno.errorcode[s.connect_ex((\"10.0.2.2\", $PORT))])
select.select([s], [], [], 5)
print(s.recv(100).decode().strip(), s.getsockname()[0], *s.getpeername())
s6 = socket.socket(socket.AF_INET6); s6.connect((\"fd00::2\", $PORT))
print(s6.recv(100).decode().strip(), s6.getsockname()[0], *s6.getpeername()[:2])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
u.bind((\"0.0.0.0\", 5353)); u.connect((\"10.0.2.2\", $((PORT + 1)))); u.send(b\"?\")
print(u.recv(100).decode().strip(), *u.getsockname(), *u.getpeername())'"
	assert_success
	assert_output "EINPROGRESS
four 10.0.2.15 10.0.2.2 $PORT
six fd00::15 fd00::2 $PORT
udp 10.0.2.15 5353 10.0.2.2 $((PORT + 1))"
}

@test "rootless: --user-net isolation: no host port is bound but published ones, 127.0.0.1 is the command's own, the private network stays private" {
	bg socat -T5 "UDP-RECVFROM:$PORT,bind=127.0.0.1,fork" SYSTEM:"echo udp; sleep 2"
	bg socat -T5 "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" SYSTEM:"echo host"
	wait_listen_here "$PORT"
	as_user "'$NETSUP' --user-net -- $PY -c '
import socket, time
l = socket.socket(); l.bind((\"0.0.0.0\", $((PORT + 2)))); l.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((\"0.0.0.0\", $((PORT + 3))))
u.connect((\"10.0.2.2\", $PORT)); u.send(b\"?\"); u.settimeout(5); u.recv(100)
# inside, 127.0.0.1 and 10.0.2.15 belong to the command
try:
    socket.create_connection((\"127.0.0.1\", $PORT), timeout=3); print(\"host loopback reached\")
except OSError as e:
    print(\"127.0.0.1\", e.errno)
c = socket.create_connection((\"10.0.2.15\", $((PORT + 2))), timeout=3)
print(\"own\", c.getpeername()[0], flush=True)
time.sleep(3)'" > "$BATS_TEST_TMPDIR/out" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out"
	for _ in $(seq 50); do grep -q own "$BATS_TEST_TMPDIR/out" && break; sleep 0.1; done
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output "127.0.0.1 111
own 10.0.2.15"
	# neither the listener, nor the UDP socket's bound port, nor the
	# connection inside the private network is on the host
	run ss -Htuan "( sport = :$((PORT + 2)) or sport = :$((PORT + 3)) or dport = :$((PORT + 2)) )"
	assert_output ""
}

@test "rootless: --disable-host-loopback: 10.0.2.2 reaches nothing, the rest still moves" {
	bg socat -T5 "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" SYSTEM:"echo host"
	wait_listen_here "$PORT"
	local prog="import socket, errno
try:
    print(socket.create_connection((\"10.0.2.2\", $PORT), timeout=3).recv(10).decode().strip())
except OSError as e:
    print(errno.errorcode[e.errno])"
	run as_user "'$NETSUP' --user-net --disable-host-loopback -- $PY -c '$prog'"
	assert_success
	assert_output "ENETUNREACH"
	run as_user "'$NETSUP' --user-net -- $PY -c '$prog'"
	assert_output "host"
	# slirp's own way there is closed too: an unconnected datagram
	bg socat -T5 "UDP-RECVFROM:$((PORT + 1)),bind=127.0.0.1,fork" SYSTEM:"echo udp"
	for _ in $(seq 100); do
		ss -Huln "sport = :$((PORT + 1))" | grep -q . && break
		sleep 0.05
	done
	# three tries, a datagram may be lost on a loaded machine
	prog="import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(1.5)
answer = \"no answer\"
for _ in range(3):
    u.sendto(b\"?\", (\"10.0.2.2\", $((PORT + 1))))
    try:
        answer = u.recv(100).decode().strip()
        break
    except OSError:
        pass
print(answer)"
	run as_user "'$NETSUP' --user-net --disable-host-loopback -- $PY -c '$prog'"
	assert_output "no answer"
	run as_user "'$NETSUP' --user-net -- $PY -c '$prog'"
	assert_output "udp"
	run as_user "'$NETSUP' --disable-host-loopback -- true"
	assert_failure 125
}

@test "--user-net: getaddrinfo(NULL, AI_PASSIVE) works: a moved AF_INET6 socket connected again to an IPv4 address names itself v4-mapped (glibc asserts it)" {
	# glibc sorts the answers by connecting a UDP socket to each and
	# asserting that getsockname() of an AF_INET6 one reaching IPv4 is
	# ::ffff:...; it aborted python's http.server under --user-net
	run "$NETSUP" --user-net -- $PY -c '
import socket
print(sorted(a[4][0] for a in socket.getaddrinfo(None, 8001, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)))'
	assert_success
	assert_output "['0.0.0.0', '::']"
}

@test "rootless: nginx behind --publish: two workers share the host's own listeners, IPv4 and IPv6, sendfile" {
	local d
	d=$(mktemp -d /tmp/netsup-test-ng.XXXXXX)
	echo "dir $d" >> "$_fixtures"
	mkdir -p "$d/www"
	head -c 4194304 /dev/urandom > "$d/www/f"
	cat > "$d/nginx.conf" <<-CONF
	worker_processes 2;
	daemon off;
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
	chown -R "$U" "$d"
	as_user "exec '$NETSUP' --user-net --publish $PORT:8090 -- /usr/sbin/nginx -c '$d/nginx.conf' -e '$d/error.log'" &
	echo "pid $!" >> "$_fixtures"
	wait_listen_here "$PORT"
	for _ in $(seq 50); do
		[ "$(ss -Hltnp "sport = :$PORT" | grep -c nginx)" -eq 2 ] && break
		sleep 0.1
	done
	# both listeners are nginx's own sockets on the host, no netsup's
	run ss -Hltnp "sport = :$PORT"
	assert_equal "$(echo "$output" | grep -c 'nginx')" 2
	refute_output --partial "netsup"
	local i want
	want=$(sha256sum < "$d/www/f")
	for i in 1 2 3 4; do
		run sh -c "curl -sS http://127.0.0.1:$PORT/f | sha256sum"
		assert_output "$want"
	done
	run sh -c "curl -sS -g 'http://[::1]:$PORT/f' | sha256sum"
	assert_output "$want"
	run grep -c '"GET /f HTTP/1.1" 200 4194304' "$d/access.log"
	assert_output "5"
	kill "$(cat "$d/nginx.pid")"
}
