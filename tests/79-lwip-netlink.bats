#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The command sees its stack: under a netsup-lwip default, ip addr, ip
# link and ip route (rtnetlink), getifaddrs(3) and the interface ioctls
# show lwIP's interfaces, addresses and routes, not the host's; a command
# with CAP_NET_ADMIN configures it; ping works through ping sockets.
# The stack's link is the TAP "lwtap" of namespace P (10.203.0.1/24,
# fd03::1/64 on the kernel's side).

load helpers

LWIP="$BUILD/netsup-lwip"

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# lwip_up [ARG...]: namespace P and its TAP, and a netsup-lwip on it
# serving $SF (by default 10.203.0.2/24 via 10.203.0.1, fd03::2/64);
# ARG replaces those addresses
lwip_up() {
	local i
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.203.0.1/24 dev lwtap
	ip -n "$P" addr add fd03::1/64 dev lwtap nodad
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip.sock"
	[ $# -gt 0 ] || set -- --ip 10.203.0.2/24 --gw 10.203.0.1 --ip6 fd03::2/64
	bg "$LWIP" -v --link tap://lwtap --netns "/run/netns/$P" "$@" "$SF" \
		2>"$BATS_TEST_TMPDIR/lwip.log"
	for i in $(seq 200); do
		[ -S "$SF" ] && break
		sleep 0.05
	done
	chmod 666 "$SF"
}

# on_stack CMD...: run CMD under the stack as the inet and inet6 default
on_stack() {
	"$NETSUP" -d "inet=$SF" -d "inet6=$SF" -- "$@"
}

# a command prefix: without privilege (ping then has no CAP_NET_RAW)
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --"

@test "ip -4 addr and ip -6 addr under an lwIP default show the stack's addresses, not the host's" {
	lwip_up
	run on_stack ip -4 -o addr
	assert_success
	assert_line --regexp "^[0-9]+: eth0 +inet 10\.203\.0\.2/24 brd 10\.203\.0\.255 scope global eth0"
	assert_line --regexp "^[0-9]+: lo +inet 127\.0\.0\.1/8 scope host lo"
	assert_equal "${#lines[@]}" 2
	run on_stack ip -6 -o addr
	assert_success
	assert_line --regexp "eth0 +inet6 fd03::2/64 scope global"
	assert_line --regexp "eth0 +inet6 fe80::[0-9a-f:]+/64 scope link"
	# the host's addresses are not there
	run on_stack ip -o addr
	for a in $(ip -o addr | awk '$4 !~ /^(127\.|::1)/ { print $4 }'); do
		refute_output --partial " $a "
	done
}

@test "ip link shows the stack's interface with the MAC address its peer learns" {
	lwip_up
	run on_stack ip -o link
	assert_success
	assert_output --regexp "^[0-9]+: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 .*state UP"
	mac=$(on_stack ip -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p')
	[ -n "$mac" ]
	ip netns exec "$P" ping -c1 -W5 10.203.0.2 >/dev/null
	run ip -n "$P" neigh show 10.203.0.2
	assert_output --partial "lladdr $mac"
}

@test "ip route shows the stack's routes: its subnets and its --gw default" {
	lwip_up
	run on_stack ip route
	assert_success
	assert_line "default via 10.203.0.1 dev eth0 "
	assert_line "10.203.0.0/24 dev eth0 proto kernel scope link src 10.203.0.2 "
	assert_equal "${#lines[@]}" 2
	run on_stack ip -6 route
	assert_line "fd03::/64 dev eth0 proto kernel metric 256 "
	assert_line "fe80::/64 dev eth0 proto kernel metric 256 "
	run on_stack ip route get 10.9.9.9
	assert_line --index 0 "10.9.9.9 via 10.203.0.1 dev eth0 src 10.203.0.2 "
}

@test "ip addr add and ip route add configure a bare stack; the peer then reaches the new addresses" {
	lwip_up --mtu 1500	# no address but the loopback's
	run on_stack ip -4 -o addr show dev eth0
	assert_output ""
	on_stack ip addr add 10.203.0.9/24 dev eth0
	on_stack ip addr add fd03::9/64 dev eth0 nodad
	on_stack ip route add default via 10.203.0.1
	run on_stack ip route
	assert_line "default via 10.203.0.1 dev eth0 "
	assert_line "10.203.0.0/24 dev eth0 proto kernel scope link src 10.203.0.9 "
	run ip netns exec "$P" ping -c1 -W5 10.203.0.9
	assert_success
	run ip netns exec "$P" ping -c1 -W5 fd03::9
	assert_success
	# and a connection from the stack leaves from the new address
	serve_tcp "$P" 10.203.0.1 7000
	run on_stack socat -T5 - TCP:10.203.0.1:7000
	assert_output "$P 10.203.0.9"
	# deleted, it answers no more
	on_stack ip addr del 10.203.0.9/24 dev eth0
	run on_stack ip -4 -o addr show dev eth0
	assert_output ""
}

@test "lwIP keeps one IPv4 address per interface: a second is refused with the reason, ip addr replace changes it" {
	lwip_up
	run on_stack ip addr add 10.203.0.9/24 dev eth0
	assert_failure
	assert_output --partial "lwIP keeps one IPv4 address per interface"
	run on_stack ip addr add 10.203.0.2/24 dev eth0
	assert_failure
	assert_output --partial "File exists"
	on_stack ip addr replace 10.203.0.8/24 dev eth0
	run on_stack ip -4 -o addr
	assert_output --partial "inet 10.203.0.8/24"
	run on_stack ip route add 10.9.0.0/16 via 10.203.0.1
	assert_failure
	assert_output --partial "only the default route"
}

@test "without CAP_NET_ADMIN a command sees the stack but cannot configure it" {
	lwip_up
	run on_stack $NOBODY ip -4 -o addr
	assert_success
	assert_output --partial "inet 10.203.0.2/24"
	run on_stack $NOBODY ip addr add fd03::7/64 dev eth0
	assert_failure
	assert_output --partial "Operation not permitted"
	run on_stack $NOBODY ip route del default
	assert_failure
	assert_output --partial "Operation not permitted"
	run on_stack ip -6 -o addr
	refute_output --partial "fd03::7"
}

@test "ping through lwIP's ping sockets: IPv4 and IPv6, as root and as a user without CAP_NET_RAW" {
	lwip_up
	run on_stack ping -c2 -W5 10.203.0.1
	assert_success
	assert_output --partial "2 packets transmitted, 2 received"
	assert_line --regexp "^64 bytes from 10\.203\.0\.1: icmp_seq=1 ttl=64 "
	run on_stack ping -c2 -W5 fd03::1
	assert_success
	assert_output --partial "2 packets transmitted, 2 received"
	assert_line --regexp "^64 bytes from fd03::1: icmp_seq=1 ttl=64 "
	run on_stack $NOBODY ping -c1 -W5 10.203.0.1
	assert_success
	run on_stack $NOBODY ping -c1 -W5 fd03::1
	assert_success
	# an address nobody has: no reply, and ping says so
	run on_stack ping -c1 -W1 10.203.0.77
	assert_failure
	assert_output --partial "1 packets transmitted, 0 received"
}

@test "a ping socket is the kernel's: SO_PROTOCOL, its identifier as the port, echo requests only" {
	lwip_up
	run on_stack $PY -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
print(s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
s.bind(("0.0.0.0", 4242)); print(s.getsockname())
try: s.sendto(b"\x00\x00\x00\x00\x00\x00\x00\x00", ("10.203.0.1", 0))
except OSError as e: print(e.errno == 22)
s.settimeout(5)
s.sendto(struct.pack("!BBHHH", 8, 0, 0, 0, 1) + b"abc", ("10.203.0.1", 0))
d, a = s.recvfrom(100)
print(d[0], struct.unpack("!H", d[4:6])[0], d[8:], a)'
	assert_success
	assert_line --index 0 "1"
	assert_line --index 1 "('0.0.0.0', 4242)"
	assert_line --index 2 "True"
	assert_line --index 3 "0 4242 b'abc' ('10.203.0.1', 0)"
}

@test "getifaddrs(3), if_nameindex(3) and the interface ioctls agree with ip link" {
	lwip_up
	run on_stack hostname -I
	assert_success
	assert_output "10.203.0.2 fd03::2 "
	want=$(on_stack ip -o link | awk -F': ' '{ printf "%s:%s ", $1, $2 }')
	run on_stack $PY -c '
import socket
print("".join("%d:%s " % x for x in socket.if_nameindex()))
print(socket.if_indextoname(socket.if_nametoindex("eth0")))'
	assert_success
	assert_line --index 0 "$want"
	assert_line --index 1 "eth0"
	run on_stack busybox ifconfig eth0
	assert_success
	assert_output --partial "inet addr:10.203.0.2  Bcast:10.203.0.255  Mask:255.255.255.0"
}

@test "under --user-net the command sees 10.0.2.15, and ping 10.0.2.2 is answered by libslirp" {
	run "$NETSUP" --user-net -- ip -4 -o addr
	assert_success
	assert_output --regexp "eth0 +inet 10\.0\.2\.15/24"
	run "$NETSUP" --user-net -- ip route
	assert_line "default via 10.0.2.2 dev eth0 "
	run "$NETSUP" --user-net -- ping -c1 -W5 10.0.2.2
	assert_success
	assert_output --partial "1 packets transmitted, 1 received"
}
