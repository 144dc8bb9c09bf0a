#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup-lwip: an lwIP stack on a TAP whose other side is the kernel stack
# of a test namespace.  tests/progs/stackcli speaks the stack protocol
# directly, as netsup does; the kernel side uses socat and python3.

load helpers

LWIP="$BUILD/netsup-lwip"
CLI="$PROGS/stackcli"

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# wait_sock FILE: until FILE is a socket (10 s)
wait_sock() {
	local i
	for i in $(seq 200); do
		[ -S "$1" ] && return 0
		sleep 0.05
	done
	echo "$1 never appeared" >&2
	return 1
}

# wait_gone PID: until PID has exited (20 s); its status in $gone_status
wait_gone() {
	local i
	for i in $(seq 400); do
		if ! kill -0 "$1" 2>/dev/null; then
			gone_status=0
			wait "$1" || gone_status=$?
			return 0
		fi
		sleep 0.05
	done
	echo "process $1 did not exit" >&2
	return 1
}

# lwip_up: namespace P whose TAP "lwtap" (10.203.0.1/24, fd03::1/64) is
# the link of a netsup-lwip (10.203.0.2, fd03::2) serving $SF; its pid in
# $LWPID, its diagnostics in $LWLOG
lwip_up() {
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.203.0.1/24 dev lwtap
	ip -n "$P" addr add fd03::1/64 dev lwtap nodad
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	LWLOG="$BATS_TEST_TMPDIR/lwip.log"
	bg "$LWIP" -v --link tap://lwtap --netns "/run/netns/$P" \
		--ip 10.203.0.2/24 --ip6 fd03::2/64 "$@" "$SF" 2>"$LWLOG"
	LWPID=$!
	wait_sock "$SF"
}

# wait_udp NS PORT: until a UDP socket is bound to PORT in NS (5 s)
wait_udp() {
	local i
	for i in $(seq 100); do
		ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing bound to UDP port $2 in $1" >&2
	return 1
}

# payload FILE MB: random bytes
payload() {
	head -c "$(($2 * 1048576))" /dev/urandom > "$1"
}

@test "netsup-lwip: --help and --version answer, usage errors exit 2" {
	run "$LWIP" --help
	assert_success
	assert_output --partial "--link URL"
	run "$LWIP" --version
	assert_success
	assert_output --regexp "^netsup-lwip .* \(lwIP 2\.1"
	run "$LWIP" "$BATS_TEST_TMPDIR/s"
	assert_failure 2
	assert_output --partial "--link URL is required"
	run "$LWIP" --link slirp:// --mtu 10 "$BATS_TEST_TMPDIR/s"
	assert_failure 2
	assert_output --partial "--mtu 10"
}

@test "netsup-lwip: a usage error holding a newline stays one line; --log follows no link" {
	run "$LWIP" --link slirp:// --mtu $'1\nnetsup-lwip: forged' "$BATS_TEST_TMPDIR/s"
	assert_failure 2
	assert_output --regexp '^netsup-lwip: --mtu 1\\x0anetsup-lwip: forged[^'$'\n'']*; see netsup-lwip --help$'
	ln -s "$BATS_TEST_TMPDIR/target" "$BATS_TEST_TMPDIR/link"
	# (timeout: a daemon that followed the link would serve on)
	run timeout 10 "$LWIP" --log "$BATS_TEST_TMPDIR/link" --link slirp:// "$BATS_TEST_TMPDIR/s"
	assert_failure 2
	assert_output "netsup-lwip: --log $BATS_TEST_TMPDIR/link: a symbolic link (refused, not followed)"
	assert [ ! -e "$BATS_TEST_TMPDIR/target" ]
}

@test "netsup-lwip: a link that cannot be opened is named, with the reason" {
	run "$LWIP" --link tap://x --netns /nonexistent "$BATS_TEST_TMPDIR/s"
	assert_failure 1
	assert_output --partial "--netns /nonexistent: No such file or directory"
	assert [ ! -e "$BATS_TEST_TMPDIR/s" ]
}

@test "netsup-lwip: HELLO tells the version, families, link, addresses and pid" {
	lwip_up
	run "$CLI" "$SF" hello
	assert_success
	assert_line "version 3 families 7 mtu 1500 pid $LWPID"
	assert_line "link=tap://lwtap"
	assert_line "ipv4=10.203.0.2/24"
	assert_line "ipv6=fd03::2/64"
	assert_line --regexp "^ipv6=fe80::[0-9a-f:]+/64$"
	assert_line "second hello EISCONN"
}

@test "netsup-lwip: the man pages are clean for groff -ww" {
	run groff -man -ww -z "$BATS_TEST_DIRNAME/../man/netsup-lwip.8"
	assert_success
	assert_output ""
	run groff -man -ww -z "$BATS_TEST_DIRNAME/../man/netsup-stack-protocol.7"
	assert_success
	assert_output ""
}

@test "netsup-lwip: TCP over IPv4, 8 MB from a kernel server arrive intact" {
	lwip_up
	payload "$BATS_TEST_TMPDIR/data" 8
	bg ip netns exec "$P" socat -u OPEN:"$BATS_TEST_TMPDIR/data" \
		TCP-LISTEN:5000,bind=10.203.0.1,reuseaddr
	wait_listen "$P" 5000
	"$CLI" "$SF" connect 10.203.0.1 5000 < /dev/null > "$BATS_TEST_TMPDIR/got"
	run cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/got"
	assert_success
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/got")" "$(sha256sum < "$BATS_TEST_TMPDIR/data")"
}

@test "netsup-lwip: TCP over IPv6, 8 MB each way with a kernel server, intact" {
	lwip_up
	payload "$BATS_TEST_TMPDIR/down" 8
	payload "$BATS_TEST_TMPDIR/up" 8
	bg ip netns exec "$P" socat -u OPEN:"$BATS_TEST_TMPDIR/down" \
		TCP6-LISTEN:5000,bind=[fd03::1],reuseaddr
	wait_listen "$P" 5000
	"$CLI" "$SF" connect fd03::1 5000 < /dev/null > "$BATS_TEST_TMPDIR/got"
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/got")" "$(sha256sum < "$BATS_TEST_TMPDIR/down")"
	ip netns exec "$P" socat -u TCP6-LISTEN:5001,bind=[fd03::1],reuseaddr \
		CREATE:"$BATS_TEST_TMPDIR/stored" &
	sock_pid=$!
	echo "pid $sock_pid" >> "$_fixtures"
	wait_listen "$P" 5001
	"$CLI" "$SF" connect fd03::1 5001 < "$BATS_TEST_TMPDIR/up"
	wait_gone "$sock_pid"
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/stored")" "$(sha256sum < "$BATS_TEST_TMPDIR/up")"
}

@test "netsup-lwip: a kernel server sees the stack's own address" {
	lwip_up
	serve_tcp "$P" 10.203.0.1 5002
	run "$CLI" "$SF" connect 10.203.0.1 5002 < /dev/null
	assert_success
	assert_output --regexp "^$P 10\.203\.0\.2$"
}

@test "netsup-lwip: a listener in lwIP is reached from the kernel side, with the client's real address" {
	lwip_up
	"$CLI" "$SF" listen 10.203.0.2 7000 > "$BATS_TEST_TMPDIR/out" < /dev/null &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out"
	run ip netns exec "$P" socat -t5 - TCP:10.203.0.2:7000,bind=10.203.0.1:41234 <<< "hello lwip"
	assert_success
	wait_gone "$(tail -n1 "$_fixtures" | cut -d' ' -f2)"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "listening 10.203.0.2 7000"
	assert_line "peer 10.203.0.1 41234"
	assert_line "hello lwip"
}

@test "netsup-lwip: a dual-stack listener shows IPv4 clients as v4-mapped, IPv6 clients as they are" {
	lwip_up
	"$CLI" "$SF" listen :: 7001 > "$BATS_TEST_TMPDIR/out4" < /dev/null &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out4"
	echo v4 | ip netns exec "$P" socat -t5 - TCP:10.203.0.2:7001,bind=10.203.0.1:41235
	wait_gone "$(tail -n1 "$_fixtures" | cut -d' ' -f2)"
	run cat "$BATS_TEST_TMPDIR/out4"
	assert_line "peer ::ffff:10.203.0.1 41235"
	assert_line "v4"
	"$CLI" "$SF" listen :: 7001 > "$BATS_TEST_TMPDIR/out6" < /dev/null &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out6"
	echo v6 | ip netns exec "$P" socat -t5 - TCP6:[fd03::2]:7001,bind=[fd03::1]:41236
	wait_gone "$(tail -n1 "$_fixtures" | cut -d' ' -f2)"
	run cat "$BATS_TEST_TMPDIR/out6"
	assert_line "peer fd03::1 41236"
	assert_line "v6"
}

@test "netsup-lwip: UDP from two kernel sockets, every datagram's source known, echoed back to it" {
	lwip_up
	"$CLI" "$SF" udp-echo 0.0.0.0 7002 4 > "$BATS_TEST_TMPDIR/out" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out"
	run ip netns exec "$P" "$PY" - <<-'EOF'
		import socket
		a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		a.bind(("10.203.0.1", 40001)); b.bind(("10.203.0.1", 40002))
		a.settimeout(10); b.settimeout(10)
		# queued before the echo reads them, from alternating sources
		a.sendto(b"a" * 10, ("10.203.0.2", 7002))
		b.sendto(b"b" * 1000, ("10.203.0.2", 7002))
		b.sendto(b"c" * 100, ("10.203.0.2", 7002))
		a.sendto(b"d" * 14000, ("10.203.0.2", 7002))	# 10 fragments, both ways
		for s, want in ((a, b"a" * 10), (b, b"b" * 1000), (b, b"c" * 100), (a, b"d" * 14000)):
		    data, src = s.recvfrom(65536)
		    print(src[0], src[1], data == want)
	EOF
	assert_success
	assert_equal "$(grep -c '10.203.0.2 7002 True' <<< "$output")" 4
	wait_gone "$(tail -n1 "$_fixtures" | cut -d' ' -f2)"
	# each datagram with its own source (stackcli checks that the size it
	# read is the size DGRAMSRC announced); the fragmented one may be
	# delivered before or after the others
	run env LC_ALL=C sort "$BATS_TEST_TMPDIR/out"
	assert_output "bound 0.0.0.0 7002
from 10.203.0.1 40001 len 10
from 10.203.0.1 40001 len 14000
from 10.203.0.1 40002 len 100
from 10.203.0.1 40002 len 1000"
}

@test "netsup-lwip: UDP to a kernel server: SENDTO, the reply's source, then connected send" {
	lwip_up
	bg ip netns exec "$P" socat UDP6-RECVFROM:7003,bind=[fd03::1],fork SYSTEM:'head -c4 >/dev/null; echo pong'
	wait_udp "$P" 7003
	run timeout 30 "$CLI" "$SF" udp-send :: 0 fd03::1 7003 ping
	assert_success
	assert_line "sent 4"
	assert_line "reply pong from fd03::1 7003"
	assert_line "connected reply pong"
}

@test "netsup-lwip: connect errors are the kernel's: ECONNREFUSED, ENETUNREACH, EADDRINUSE" {
	lwip_up
	run "$CLI" "$SF" connect 10.203.0.1 5999
	assert_failure
	assert_output --partial "connect: ECONNREFUSED"
	run "$CLI" "$SF" nbconnect 10.203.0.1 5999
	assert_success
	assert_line "connect EINPROGRESS"
	assert_line "so_error ECONNREFUSED"
	run "$CLI" "$SF" errors 10.203.0.2
	assert_success
	assert_line "bind in use: EADDRINUSE"
	assert_line "bind not local: EADDRNOTAVAIL"
	assert_line "connect off-link v4: ENETUNREACH"
	assert_line "connect off-link v6: ENETUNREACH"
	assert_line "bind wrong family: EAFNOSUPPORT"
	assert_line "bind short: EINVAL"
	assert_line "accept on unlistened: EINVAL"
	assert_line "accept none pending: EAGAIN"
	assert_line "peer of unconnected: ENOTCONN"
}

@test "netsup-lwip: a non-blocking connect ends with POLLOUT, SO_ERROR 0 and the peer's name" {
	lwip_up
	serve_tcp "$P" 10.203.0.1 5003
	run "$CLI" "$SF" nbconnect 10.203.0.1 5003
	assert_success
	assert_line "connect EINPROGRESS"
	assert_line "so_error 0"
	assert_line "peer 10.203.0.1 5003"
	assert_line "tcp_state 1"
}

@test "netsup-lwip: socket options answer for TCP and UDP, not for the socketpair" {
	lwip_up
	run "$CLI" "$SF" sockopts
	assert_success
	assert_line "tcp type 1 domain 10 protocol 6 acceptconn 0"
	assert_line "udp type 2 domain 2 protocol 17"
	assert_line "nodelay 1 keepalive 1 rcvbuf 131072 v6only 1"
	assert_line "cork 1 quickack 1 hops 64 pktinfo 1"
	assert_line "tcp_info 232 bytes state 7 congestion reno"
	assert_line "bogus ENOPROTOOPT"
	assert_line "unknown handle EBADF"
	assert_line "udp listen EOPNOTSUPP"
	assert_line "close 0"
	assert_line "closed handle EBADF"
}

@test "netsup-lwip: a blocking ACCEPT is cancelled: EINTR, then CANCEL's own reply" {
	lwip_up
	run "$CLI" "$SF" cancel
	assert_success
	assert_line --index 0 "reply ACCEPT id 1000: EINTR"
	assert_line --index 1 "reply CANCEL id 1001: 0"
}

@test "netsup-lwip: hostile messages get errors or a closed connection; the daemon serves on" {
	lwip_up
	run "$CLI" "$SF" garbage
	assert_success
	assert_line "unknown op: ENOSYS"
	assert_line "short body: EINVAL"
	assert_line "oversized: closed"
	assert_line "fd in request: closed"
	assert_line "still serving"
	kill -0 "$LWPID"
	serve_tcp "$P" 10.203.0.1 5004
	run "$CLI" "$SF" connect 10.203.0.1 5004 < /dev/null
	assert_success
	assert_output "$P 10.203.0.2"
}

@test "netsup-lwip: SIGTERM closes every connection and removes STACKFILE" {
	lwip_up
	"$CLI" "$SF" listen 10.203.0.2 7004 > "$BATS_TEST_TMPDIR/out" 2>&1 < /dev/null &
	cli=$!
	echo "pid $cli" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out"
	kill -TERM "$LWPID"
	wait_gone "$LWPID"
	assert_equal "$gone_status" 0
	assert [ ! -e "$SF" ]
	wait_gone "$cli"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --partial "ACCEPT: connection closed"
	run cat "$LWLOG"
	assert_output --partial "signal 15: closing every connection"
}

@test "netsup-lwip: --daemon returns once serving, --pidfile names it; a served STACKFILE is refused, a stale one replaced" {
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	run "$LWIP" --daemon --pidfile "$BATS_TEST_TMPDIR/pid" --link tap://lwtap \
		--netns "/run/netns/$P" --ip 10.203.0.2/24 "$SF"
	assert_success
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	echo "pid $pid" >> "$_fixtures"
	assert [ -S "$SF" ]
	run "$CLI" "$SF" hello
	assert_line --partial "pid $pid"
	run "$LWIP" --link tap://lwtap --netns "/run/netns/$P" "$SF"
	assert_failure 1
	assert_output --partial "another daemon serves it"
	kill -KILL "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	assert [ -S "$SF" ]
	lwip_up
	run "$CLI" "$SF" hello
	assert_success
	assert_line --partial "pid $LWPID"
}

@test "netsup-lwip: a reset from the kernel peer: EOF, SO_ERROR ECONNRESET, EPIPE, no peer (ENOTCONN); its own name stays" {
	lwip_up
	bg ip netns exec "$P" "$PY" -c '
import socket, struct
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.203.0.1", 5008)); s.listen()
c, _ = s.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()'
	wait_listen "$P" 5008
	run "$CLI" "$SF" reset 10.203.0.1 5008
	assert_success
	assert_line "read EOF"
	assert_line "so_error ECONNRESET"
	assert_line "write EPIPE"
	assert_line "peer ENOTCONN"
	assert_line --regexp "^name 10\.203\.0\.2 [0-9]+$"
	assert_line "close 0"
}

@test "netsup-lwip: --gw and --gw6 route off-link destinations through the kernel peer" {
	lwip_up --gw 10.203.0.1 --gw6 fd03::1
	ip -n "$P" addr add 10.99.0.1/32 dev lo
	ip -n "$P" addr add fd99::1/128 dev lo
	serve_tcp "$P" 10.99.0.1 5006
	run "$CLI" "$SF" connect 10.99.0.1 5006 < /dev/null
	assert_success
	assert_output "$P 10.203.0.2"
	bg ip netns exec "$P" socat TCP6-LISTEN:5007,bind=[fd99::1],reuseaddr,fork \
		SYSTEM:'echo v6 \$SOCAT_PEERADDR'
	wait_listen "$P" 5007
	run "$CLI" "$SF" connect fd99::1 5007 < /dev/null
	assert_success
	assert_output "v6 [fd03:0000:0000:0000:0000:0000:0000:0002]"
}

@test "netsup-lwip: over slirp://, no TAP and no namespace of its own, a server on the loopback is reached" {
	ns_new P
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	bg ip netns exec "$P" "$LWIP" --link slirp:// --ip 10.0.2.15/24 --gw 10.0.2.2 "$SF"
	wait_sock "$SF"
	bg ip netns exec "$P" socat TCP-LISTEN:5020,bind=127.0.0.1,reuseaddr,fork \
		SYSTEM:'echo slirp \$SOCAT_PEERADDR'
	wait_listen "$P" 5020
	run "$CLI" "$SF" connect 10.0.2.2 5020 < /dev/null
	assert_success
	assert_output "slirp 127.0.0.1"
}

@test "netsup-lwip: a child that does not read holds the peer back, the daemon stays small, then all arrives" {
	lwip_up
	payload "$BATS_TEST_TMPDIR/data" 32
	bg ip netns exec "$P" socat -u OPEN:"$BATS_TEST_TMPDIR/data" \
		TCP-LISTEN:5009,bind=10.203.0.1,reuseaddr
	wait_listen "$P" 5009
	mkfifo "$BATS_TEST_TMPDIR/go"
	( "$CLI" "$SF" connect 10.203.0.1 5009 < /dev/null |
		{ read -r _ < "$BATS_TEST_TMPDIR/go"; sha256sum > "$BATS_TEST_TMPDIR/sum"; } ) &
	reader=$!
	echo "pid $reader" >> "$_fixtures"
	# the kernel sender has a backlog, and has had acknowledged only what the
	# buffers on the way hold (lwIP's window, the socketpair, the pipe)
	held=0
	for i in $(seq 400); do
		held=$(ip netns exec "$P" ss -Htn "sport = :5009" | awk '{ print $3 }' | head -n1)
		[ "${held:-0}" -gt 65536 ] && break
		sleep 0.05
	done
	acked=$(ip netns exec "$P" ss -Htni "sport = :5009" |
		sed -n 's/.*bytes_acked:\([0-9]*\).*/\1/p' | head -n1)
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$LWPID/status")
	echo go > "$BATS_TEST_TMPDIR/go"	# before any assert: the reader must go on
	[ "${held:-0}" -gt 65536 ]
	[ "${acked:-0}" -gt 0 ] && [ "$acked" -lt 4194304 ]
	[ "$rss" -lt 16384 ]
	wait_gone "$reader"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/sum")" "$(sha256sum < "$BATS_TEST_TMPDIR/data")"
}

@test "netsup-lwip: without --ip6, a router advertisement gives an address (SLAAC) and a default router" {
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add fd05::1/64 dev lwtap nodad
	ip -n "$P" addr add fd99::1/128 dev lo
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	bg "$LWIP" --link tap://lwtap --netns "/run/netns/$P" "$SF"
	wait_sock "$SF"
	# advertisements of fd05::/64 (on-link, autonomous) from the kernel, as
	# a router repeats them, until the stack has an address in it
	cat > "$BATS_TEST_TMPDIR/ra.py" <<-'EOF2'
		import socket, struct
		idx = socket.if_nametoindex("lwtap")
		s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
		s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
		s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
		ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
		pi = struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 86400, 14400, 0)
		s.sendto(ra + pi + socket.inet_pton(socket.AF_INET6, "fd05::"), ("ff02::1", 0, 0, idx))
	EOF2
	addr=
	for i in $(seq 100); do
		ip netns exec "$P" "$PY" "$BATS_TEST_TMPDIR/ra.py"
		addr=$("$CLI" "$SF" hello | sed -n 's|^ipv6=\(fd05:[0-9a-f:]*\)/64$|\1|p')
		[ -n "$addr" ] && break
		sleep 0.1
	done
	[ -n "$addr" ]
	bg ip netns exec "$P" socat TCP6-LISTEN:5012,reuseaddr,fork SYSTEM:'echo \$SOCAT_PEERADDR'
	wait_listen "$P" 5012
	run "$CLI" "$SF" connect fd05::1 5012 < /dev/null
	assert_success
	assert_output --regexp "^\[fd05:"
	run "$CLI" "$SF" connect fd99::1 5012 < /dev/null
	assert_success
	assert_output --regexp "^\[fd05:"
}

@test "netsup-lwip: clients come and go, the daemon's descriptors come back to where they were" {
	lwip_up
	base=$(ls "/proc/$LWPID/fd" | wc -l)
	for i in 1 2 3; do
		"$CLI" "$SF" sockopts > /dev/null
		"$CLI" "$SF" errors 10.203.0.2 > /dev/null
		"$CLI" "$SF" cancel > /dev/null
		"$CLI" "$SF" nbconnect 10.203.0.1 5999 > /dev/null
	done
	"$CLI" "$SF" garbage > /dev/null
	serve_tcp "$P" 10.203.0.1 5013
	for i in 1 2 3; do
		"$CLI" "$SF" connect 10.203.0.1 5013 < /dev/null > /dev/null
	done
	# a listener, the connection it accepts, both closed
	"$CLI" "$SF" listen 10.203.0.2 7013 > "$BATS_TEST_TMPDIR/out" < /dev/null &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/out"
	echo one | ip netns exec "$P" socat -t5 - TCP:10.203.0.2:7013
	wait_gone "$(tail -n1 "$_fixtures" | cut -d' ' -f2)"
	"$CLI" "$SF" hello > /dev/null
	assert_equal "$(ls "/proc/$LWPID/fd" | wc -l)" "$base"
}

@test "netsup-lwip: at SIGTERM a kernel peer sees its connection end with a FIN, not silence" {
	lwip_up
	ip netns exec "$P" "$PY" -u -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.203.0.1", 5014)); s.listen()
c, _ = s.accept()
print("accepted")
c.settimeout(30)
try:
    print("eof" if c.recv(10) == b"" else "data")
except ConnectionResetError:
    print("reset")
except socket.timeout:
    print("timeout")' > "$BATS_TEST_TMPDIR/peer" 3>&- &
	peer=$!
	echo "pid $peer" >> "$_fixtures"
	wait_listen "$P" 5014
	mkfifo "$BATS_TEST_TMPDIR/in"
	"$CLI" "$SF" connect 10.203.0.1 5014 < "$BATS_TEST_TMPDIR/in" > /dev/null 3>&- &
	echo "pid $!" >> "$_fixtures"
	exec 8> "$BATS_TEST_TMPDIR/in"	# the client's stdin stays open, empty
	wait_file "$BATS_TEST_TMPDIR/peer"
	kill -TERM "$LWPID"
	wait_gone "$LWPID"
	wait_gone "$peer"
	exec 8>&-
	run cat "$BATS_TEST_TMPDIR/peer"
	assert_line "accepted"
	assert_line "eof"
}

@test "netsup-lwip: out of descriptors, SOCKET gets EMFILE, new clients wait and are served once some are freed" {
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	bg prlimit --nofile=48:48 "$LWIP" --link tap://lwtap --netns "/run/netns/$P" \
		--ip 10.203.0.2/24 "$SF"
	LWPID=$!
	wait_sock "$SF"
	mkfifo "$BATS_TEST_TMPDIR/hold"
	"$CLI" "$SF" many < "$BATS_TEST_TMPDIR/hold" > "$BATS_TEST_TMPDIR/many" 3>&- &
	echo "pid $!" >> "$_fixtures"
	exec 8> "$BATS_TEST_TMPDIR/hold"
	wait_file "$BATS_TEST_TMPDIR/many"
	run cat "$BATS_TEST_TMPDIR/many"
	assert_output --regexp "^socket [0-9]+: EMFILE$"
	"$CLI" "$SF" hello > "$BATS_TEST_TMPDIR/h1" 3>&- &
	h1=$!
	"$CLI" "$SF" hello > "$BATS_TEST_TMPDIR/h2" 3>&- &
	h2=$!
	echo "pid $h1" >> "$_fixtures"
	echo "pid $h2" >> "$_fixtures"
	exec 8>&-		# the first client leaves, its sockets with it
	wait_gone "$h1"
	assert_equal "$gone_status" 0
	wait_gone "$h2"
	assert_equal "$gone_status" 0
	run cat "$BATS_TEST_TMPDIR/h1" "$BATS_TEST_TMPDIR/h2"
	assert_equal "$(grep -c '^version 3 ' <<< "$output")" 2
	kill -0 "$LWPID"
}

@test "netsup-lwip: a program that writes 8 MB and closes at once: all of it reaches the peer, then FIN" {
	lwip_up
	payload "$BATS_TEST_TMPDIR/up" 8
	ip netns exec "$P" socat -u TCP-LISTEN:5015,bind=10.203.0.1,reuseaddr \
		CREATE:"$BATS_TEST_TMPDIR/stored" 3>&- &
	sock_pid=$!
	echo "pid $sock_pid" >> "$_fixtures"
	wait_listen "$P" 5015
	mkfifo "$BATS_TEST_TMPDIR/hold"
	"$CLI" "$SF" send 10.203.0.1 5015 "$BATS_TEST_TMPDIR/up" \
		< "$BATS_TEST_TMPDIR/hold" > "$BATS_TEST_TMPDIR/out" 3>&- &
	echo "pid $!" >> "$_fixtures"
	exec 8> "$BATS_TEST_TMPDIR/hold"	# the client connection stays
	wait_gone "$sock_pid"			# socat ends at the FIN
	exec 8>&-
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output "sent"
	assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/stored")" "$(sha256sum < "$BATS_TEST_TMPDIR/up")"
}

@test "netsup-lwip: a loopback address in a frame from the link is dropped, as the kernel drops martians" {
	lwip_up
	"$CLI" "$SF" udp-sources 0.0.0.0 7020 5 1 > "$BATS_TEST_TMPDIR/got" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/got"
	# to 127.0.0.1 first, 7 bytes, at the stack's MAC address; then to
	# its own address, 5 bytes: the stack reads frames in order, so a
	# martian it accepted would be the first datagram
	run ip netns exec "$P" "$PY" - <<-'EOF'
		import socket, struct, subprocess
		try:
		    socket.create_connection(("10.203.0.2", 9), timeout=5)
		except ConnectionRefusedError:
		    pass
		neigh = subprocess.run(["ip", "neigh", "show", "10.203.0.2"], capture_output=True,
		                       text=True).stdout.split()
		mac = bytes.fromhex(neigh[neigh.index("lladdr") + 1].replace(":", ""))
		def csum(b):
		    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
		    s = (s >> 16) + (s & 0xffff)
		    return ~(s + (s >> 16)) & 0xffff
		def frame(dst, payload):
		    udp = struct.pack("!HHHH", 40020, 7020, 8 + len(payload), 0) + payload
		    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
		                     socket.inet_aton("10.203.0.1"), socket.inet_aton(dst))
		    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
		    return mac + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + udp
		s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
		s.bind(("lwtap", 0))
		s.send(frame("127.0.0.1", b"martian"))
		s.send(frame("10.203.0.2", b"legit"))
	EOF
	assert_success
	wait_gone "$(tail -n1 "$_fixtures" | cut -d' ' -f2)"
	run cat "$BATS_TEST_TMPDIR/got"
	assert_output "bound 0.0.0.0 7020
from 10.203.0.1 40020 len 5 got 5"
}
