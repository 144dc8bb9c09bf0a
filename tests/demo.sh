#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh [BUILD] - two namespace stacks, unmodified programs in each,
# then a userspace stack and --user-net
#
# Makes two network namespaces, "red" and "blue" (named red<pid> and
# blue<pid>), each with lo up and its own address on lo, and a socat
# server in each that says hello with the namespace's name.  Then runs
# ip and socat under BUILD/netsup (default: build) to show which stack
# their sockets were created in.  Then a userspace stack: netsup-lwip
# (lwIP) on a TAP in red, made with netsup-stack add --lwip, which socat
# uses to reach red's server; and --user-net, a private lwIP stack on
# slirp:// that reaches a server on the host's loopback.  All traffic
# stays inside the namespaces and the host's loopback; one try from the
# host on its own loopback, where nothing listens, is meant to fail.
#
# Run as root.  Everything it makes (namespaces, servers) is removed on
# exit, also on failure or Ctrl-C.
set -eu

build=${1:-build}
netsup=$build/netsup
port=7101
lo_port=7102

red=red$$
blue=blue$$
red_addr=10.201.1.1
blue_addr=10.201.2.1

made_ns=""		# namespaces this script created
server_pids=""		# socat servers this script started
made_stacks=""		# userspace stacks this script added

die() {
	echo "demo: $*" >&2
	exit 1
}

cleanup() {
	local rc=$? pid ns
	set +e
	trap - EXIT INT TERM HUP
	for pid in $made_stacks; do
		"$build/netsup-stack" del -f "$pid" 2>/dev/null
	done
	for pid in $server_pids; do
		kill "$pid" 2>/dev/null
	done
	for pid in $server_pids; do
		wait "$pid" 2>/dev/null
	done
	for ns in $made_ns; do
		# connection children of a server, if any are still there
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
		ip netns del "$ns"
	done
	[ -n "$made_ns" ] && echo "demo: removed namespaces$made_ns and their servers"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# show ARG...: print the command as "+ cmd", quoting only where needed
show() {
	local a out="+"
	for a in "$@"; do
		case "$a" in
		*[!A-Za-z0-9_./:=,@%+-]* | "") out="$out '${a//\'/\'\\\'\'}'" ;;
		*) out="$out $a" ;;
		esac
	done
	printf '%s\n' "$out"
}

# run CMD...: print it, then run it; its status is returned
run() {
	show "$@"
	"$@"
}

# try CMD...: print it and run it; report success or failure, never stop
try() {
	local rc=0
	show "$@"
	"$@" || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "  (exit 0)"
	else
		echo "  (exit $rc)"
	fi
	return 0
}

heading() {
	printf '\n==> %s\n' "$*"
}

# ns_new NAME ADDR: a namespace with lo up and ADDR/24 on lo
ns_new() {
	run ip netns add "$1"
	made_ns="$made_ns $1"
	run ip -n "$1" link set lo up
	run ip -n "$1" addr add "$2/24" dev lo
}

# wait_listen NS PORT: until something listens on TCP PORT in NS (5 s)
wait_listen() {
	local _
	for _ in $(seq 100); do
		ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.05
	done
	die "nothing listens on port $2 in $1"
}

# serve NS LISTEN-ADDRESS: a socat server in NS, saying hello to each client
# (socat reads "\," as a comma, not as the start of an option)
serve() {
	local ns=$1 reply="SYSTEM:echo hello from $1\\, you are \$SOCAT_PEERADDR"

	printf '%s &\n' "$(show ip netns exec "$ns" socat "$2,reuseaddr,fork" "$reply")"
	# ip netns exec execs socat: $! is the server itself.  Background
	# jobs of a script ignore SIGINT: Ctrl-C leaves them to cleanup.
	ip netns exec "$ns" socat "$2,reuseaddr,fork" "$reply" </dev/null &
	server_pids="$server_pids $!"
}

[ "$(id -u)" -eq 0 ] || die "run as root (it creates network namespaces)"
for tool in "$netsup" "$build/netsup-stack" "$build/netsup-lwip"; do
	[ -x "$tool" ] || die "$tool not found: run make first"
done
for tool in ip socat ss; do
	command -v "$tool" >/dev/null || die "$tool is needed (see tests/deps.sh)"
done

heading "Two stacks: network namespaces $red and $blue, each with its own address on lo"
ns_new "$red" "$red_addr"
ns_new "$blue" "$blue_addr"
serve "$red" "TCP-LISTEN:$port,bind=$red_addr"
serve "$blue" "TCP-LISTEN:$port,bind=$blue_addr"
serve "$red" "TCP-LISTEN:$lo_port,bind=127.0.0.1"
wait_listen "$red" "$port"
wait_listen "$red" "$lo_port"
wait_listen "$blue" "$port"
# blue also answers on its own ::1, for inet6 in the last part
have_ipv6=false
if ip -n "$blue" -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then
	serve "$blue" "TCP6-LISTEN:$port,bind=[::1]"
	wait_listen "$blue" "$port"
	have_ipv6=true
fi

heading "ip under netsup lists the interfaces of the stack it is given (netlink)"
run "$netsup" -d "$red" -- ip -o addr
run "$netsup" -d "$blue" -- ip -o addr

heading "socat under netsup: its TCP socket is created in the stack given for inet"
run "$netsup" -d inet="$red" -- socat -T5 - "TCP:$red_addr:$port,connect-timeout=3" </dev/null
run "$netsup" -d inet="$blue" -- socat -T5 - "TCP:$blue_addr:$port,connect-timeout=3" </dev/null

heading "Loopback is per stack: red's 127.0.0.1:$lo_port, with and without netsup"
# Only loopback is tried from the host: nothing there listens on the port.
run "$netsup" -d inet="$red" -- socat -T5 - "TCP:127.0.0.1:$lo_port" </dev/null
try socat -T5 - "TCP:127.0.0.1:$lo_port" </dev/null 2>&1

heading "nsrelay: one process, two stacks: listens in $red, connects in $blue (two msocket calls)"
printf '%s &\n' "$(show "$netsup" -- "$build/nsrelay" "/run/netns/$red" "$red_addr:7200" "/run/netns/$blue" "$blue_addr:$port")"
"$netsup" -- "$build/nsrelay" "/run/netns/$red" "$red_addr:7200" "/run/netns/$blue" "$blue_addr:$port" </dev/null &
server_pids="$server_pids $!"
wait_listen "$red" 7200
echo "# a client in $red reaches the server in $blue through the relay:"
run ip netns exec "$red" socat -T5 - "TCP:$red_addr:7200" </dev/null

heading "-v: one line per decision: inet to $red, inet6 to $blue, netlink (ip) stays in the host's own"
if $have_ipv6; then
	run "$netsup" -v -d inet="$red" -d inet6="$blue" -- \
		sh -c "socat -T5 - TCP:$red_addr:$port </dev/null; socat -T5 - \"TCP6:[::1]:$port\" </dev/null; ip -o link show lo"
else
	echo "(IPv6 is off: no inet6 socket here)"
	run "$netsup" -v -d inet="$red" -d inet6="$blue" -- \
		sh -c "socat -T5 - TCP:$red_addr:$port </dev/null; ip -o link show lo"
fi

heading "A userspace stack: lwIP (netsup-lwip) on a TAP whose peer is $red's kernel"
lw=/dev/net/lw$$
run ip -n "$red" tuntap add mode tap name lwdemo
run ip -n "$red" addr add 10.201.9.1/24 dev lwdemo
run ip -n "$red" link set lwdemo up
run "$build/netsup-stack" add "$lw" --lwip --link tap://lwdemo --netns "/run/netns/$red" \
	--ip 10.201.9.2/24 --gw 10.201.9.1
made_stacks="$made_stacks $lw"
run "$build/netsup-stack" info "$lw"
echo "# socat's socket is in lwIP: $red's server sees lwIP's address"
run "$netsup" -d inet="$lw" -- socat -T5 - "TCP:$red_addr:$port,connect-timeout=3" </dev/null
run "$build/netsup-stack" del "$lw"
made_stacks=""

heading "--user-net: a private lwIP stack on slirp://, no privilege needed; 10.0.2.2 is the host's loopback"
host_port=7103
host_reply="SYSTEM:echo hello from the host\\, you are \$SOCAT_PEERADDR"
printf '%s &\n' "$(show socat "TCP-LISTEN:$host_port,bind=127.0.0.1,reuseaddr,fork" "$host_reply")"
socat "TCP-LISTEN:$host_port,bind=127.0.0.1,reuseaddr,fork" "$host_reply" </dev/null &
server_pids="$server_pids $!"
for _ in $(seq 100); do
	ss -Hltn "sport = :$host_port" | grep -q . && break
	sleep 0.05
done
run "$netsup" --user-net -- ip -o -4 addr
run "$netsup" --user-net -- socat -T5 - "TCP:10.0.2.2:$host_port,connect-timeout=3" </dev/null
