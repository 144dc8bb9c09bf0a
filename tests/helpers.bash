# SPDX-License-Identifier: GPL-2.0-or-later
# helpers.bash - fixtures shared by the bats suites
#
# Every namespace, veth and background process a test makes is recorded
# and removed by common_teardown, also when the test fails.  Names carry
# the bats run's pid and the test number, so parallel runs never collide.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '/usr/lib/bats/bats-file/load'

BUILD="${NETSUP_BUILD:-$BATS_TEST_DIRNAME/../build}"
BUILD="$(cd "$BUILD" && pwd)"
NETSUP="$BUILD/netsup"
PROGS="$BUILD/tests"
PY=/usr/bin/python3

common_setup() {
	_fixtures="$BATS_TEST_TMPDIR/fixtures"
	: > "$_fixtures"
	_nsn=0
}

common_teardown() {
	local kind what
	[ -f "$_fixtures" ] || return 0
	# Processes first, then links and namespaces, newest first.
	tac "$_fixtures" | while read -r kind what; do
		case "$kind" in
		pid)   kill "$what" 2>/dev/null; wait "$what" 2>/dev/null ;;
		netns) ip netns del "$what" 2>/dev/null ;;
		link)  ip link del "$what" 2>/dev/null ;;
		mount) umount -l "$what" 2>/dev/null; rm -f "$what" ;;
		user)  userdel "$what" 2>/dev/null ;;
		dir)   rm -rf "$what" ;;
		esac
	done
	rm -f "$_fixtures"
}

# ns_new VAR [ADDR/PREFIX]: a new namespace with lo up, holding ADDR on
# lo if given; its name is stored in VAR.
ns_new() {
	local var=$1 addr=${2:-} name
	_nsn=$((_nsn + 1))
	name="nsup${BATS_ROOT_PID:-$$}t${BATS_TEST_NUMBER}n${_nsn}"
	ip netns add "$name"
	echo "netns $name" >> "$_fixtures"
	ip -n "$name" link set lo up
	if [ -n "$addr" ]; then
		ip -n "$name" addr add "$addr" dev lo
	fi
	printf -v "$var" '%s' "$name"
}

# two_stacks: namespaces A (10.201.1.1 on lo) and B (10.201.2.1), their
# paths pa, pb, inodes ia, ib, and home, the inode of our own namespace
two_stacks() {
	ns_new A 10.201.1.1/24
	ns_new B 10.201.2.1/24
	pa=/run/netns/$A
	pb=/run/netns/$B
	ia=$(ns_ino "$A")
	ib=$(ns_ino "$B")
	home=$(stat -L -c %i /proc/self/ns/net)
}

# veth_pair NS1 ADDR1 NS2 ADDR2: a veth link between two namespaces.
veth_pair() {
	local a=v${_nsn}a$$ b=v${_nsn}b$$
	a=${a:0:15}; b=${b:0:15}
	ip link add "$a" netns "$1" type veth peer name "$b" netns "$3"
	ip -n "$1" addr add "$2" dev "$a"
	ip -n "$3" addr add "$4" dev "$b"
	ip -n "$1" link set "$a" up
	ip -n "$3" link set "$b" up
}

# ns_ino NS: inode of the namespace, as SIOCGSKNS reports it
ns_ino() {
	stat -L -c %i "/run/netns/$1"
}

# bg CMD...: run in the background, killed at teardown
bg() {
	"$@" &
	echo "pid $!" >> "$_fixtures"
}

# wait_listen NS PORT: until something listens on TCP PORT in NS (5 s)
wait_listen() {
	local i
	for i in $(seq 100); do
		ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing listens on port $2 in $1" >&2
	return 1
}

# serve_tcp NS ADDR PORT: a socat server in NS that answers each client
# with the namespace's name and the client's address as it saw it
serve_tcp() {
	bg ip netns exec "$1" socat -T5 "TCP-LISTEN:$3,bind=$2,reuseaddr,fork" \
		SYSTEM:"echo $1 \$SOCAT_PEERADDR"
	wait_listen "$1" "$3"
}

# wait_file FILE: until FILE exists and is not empty (10 s)
wait_file() {
	local i
	for i in $(seq 200); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	echo "$1 never appeared" >&2
	return 1
}

# user_new VAR: a normal user made for the test (no home directory), its
# name in VAR; removed at teardown
user_new() {
	local name="nsup${BATS_ROOT_PID:-$$}u${BATS_SUITE_TEST_NUMBER:-$BATS_TEST_NUMBER}"
	name=${name:0:31}
	useradd -M -s /bin/sh "$name"
	echo "user $name" >> "$_fixtures"
	printf -v "$1" '%s' "$name"
}

# lwip_serve SF NS ADDR4/LEN ADDR6/LEN [ARG...]: a netsup-lwip whose link
# is the TAP "lwtap" of namespace NS (made by the caller), serving the
# stack file SF, its diagnostics in $BATS_TEST_TMPDIR/lwip.log; its pid in
# LWPID, stopped at teardown
lwip_serve() {
	local sf=$1 ns=$2 ip4=$3 ip6=$4 i
	shift 4
	"$BUILD/netsup-lwip" --link tap://lwtap --netns "/run/netns/$ns" --ip "$ip4" \
		--ip6 "$ip6" "$@" "$sf" 2>"$BATS_TEST_TMPDIR/lwip.log" &
	LWPID=$!
	echo "pid $LWPID" >> "$_fixtures"
	for i in $(seq 200); do
		[ -S "$sf" ] && return 0
		sleep 0.05
	done
	echo "$sf never appeared" >&2
	return 1
}
