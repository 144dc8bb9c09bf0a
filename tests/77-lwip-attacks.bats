#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Attacks on netsup-lwip by one of its clients, each meant to change what
# the daemon tells another client or to spend what every client needs.
# tests/progs/stackcli speaks the stack protocol directly, as netsup does;
# the link is a TAP whose other side is the kernel stack of a namespace
# (10.208.0.1), the stack is 10.208.0.2.

bats_require_minimum_version 1.5.0
load helpers

CLI="$PROGS/stackcli"

setup() {
	common_setup
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.208.0.1/24 dev lwtap
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip.sock"
}
teardown() { common_teardown; }

# fd_count: the daemon's open descriptors
fd_count() {
	ls "/proc/$LWPID/fd" | wc -l
}

# wait_fds N: until the daemon has N descriptors open (10 s); else print them
wait_fds() {
	local i
	for i in $(seq 200); do
		[ "$(fd_count)" -eq "$1" ] && return 0
		sleep 0.05
	done
	echo "the daemon has $(fd_count) descriptors open, not $1" >&2
	return 1
}

# poison_round BASE: the attack of the next test on sizes BASE..BASE+59,
# then a victim's view of 60 datagrams of those sizes, in $BATS_TEST_TMPDIR/got
poison_round() {
	local base=$1 port=$((7100 + $1 / 100)) total victim
	# the attacker, on CPU 1 (the daemon is on CPU 0), lets 200 datagrams
	# of 10 bytes pile up, then reads them as fast as it can while
	# datagrams of the sizes arrive behind them: a daemon that measures
	# each size's SIOCOUTQ amount on the attacker's socket measures it wrong
	taskset -c 1 "$CLI" "$SF" udp-drain 0.0.0.0 "$port" 2000 > "$BATS_TEST_TMPDIR/drain$base" &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/drain$base"
	ip netns exec "$P" "$PY" - "$base" "$port" <<-'EOF'
		import socket, sys
		base, port = int(sys.argv[1]), int(sys.argv[2])
		try:	# the stack's MAC address known first: nothing waits for ARP
		    socket.create_connection(("10.208.0.2", 9), timeout=5)
		except ConnectionRefusedError:
		    pass
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		for g in range(20):
		    for i in range(200):
		        s.sendto(b"f" * 10, ("10.208.0.2", port))
		    for size in range(base + 3 * g, base + 3 * g + 3):
		        s.sendto(b"p" * size, ("10.208.0.2", port))
		s.sendto(b"end", ("10.208.0.2", port))
		for i in range(200):
		    s.sendto(b"f" * 10, ("10.208.0.2", port))
	EOF
	# the victim, another client: 60 datagrams of those sizes from two
	# sources, all queued before it asks for the first source
	total=$(( (2 * base + 59) * 60 / 2 ))
	"$CLI" "$SF" udp-sources 0.0.0.0 $((port + 50)) "$total" 60 > "$BATS_TEST_TMPDIR/got" &
	victim=$!
	echo "pid $victim" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/got"
	ip netns exec "$P" "$PY" - "$base" $((port + 50)) <<-'EOF'
		import socket, sys
		base, port = int(sys.argv[1]), int(sys.argv[2])
		a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		a.bind(("10.208.0.1", 41001)); b.bind(("10.208.0.1", 41002))
		for size in range(base, base + 60):
		    (a if size % 2 else b).sendto(b"v" * size, ("10.208.0.2", port))
	EOF
	wait "$victim"
}

@test "lwip attack: a client that reads its own queue while the daemon measures cannot change another client's datagram sources" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs: the attacker reads while the daemon writes"
	lwip_serve "$SF" "$P" 10.208.0.2/24 fd08::2/64
	taskset -a -p -c 0 "$LWPID" > /dev/null
	# a race the attacker wins most of the time: three rounds, on other sizes
	for base in 1000 1100 1200; do
		poison_round "$base"
		run cat "$BATS_TEST_TMPDIR/got"
		want="bound 0.0.0.0 $((7150 + base / 100))"
		for size in $(seq "$base" $((base + 59))); do
			want+=$'\n'"from 10.208.0.1 $((size % 2 ? 41001 : 41002)) len $size got $size"
		done
		assert_output "$want"
	done
}

@test "lwip attack: sockets sent into themselves over SCM_RIGHTS and closed are released; the daemon's descriptors come back" {
	lwip_serve "$SF" "$P" 10.208.0.2/24 fd08::2/64
	base=$(fd_count)
	for kind in new listen udp; do
		mkfifo "$BATS_TEST_TMPDIR/hold-$kind"
		"$CLI" "$SF" fdself "$kind" 200 < "$BATS_TEST_TMPDIR/hold-$kind" \
			> "$BATS_TEST_TMPDIR/$kind" 3>&- &
		echo "pid $!" >> "$_fixtures"
		exec 8> "$BATS_TEST_TMPDIR/hold-$kind"
		wait_file "$BATS_TEST_TMPDIR/$kind"
		run cat "$BATS_TEST_TMPDIR/$kind"
		assert_output "sent 200"
		# the client is still connected: only its connection is left
		wait_fds $((base + 1))
		exec 8>&-
		wait_fds "$base"
	done
}

@test "lwip attack: one client cannot take every socket; another client, and another user, still get theirs" {
	local dir
	dir=$(mktemp -d /tmp/nsup-lw.XXXXXX)
	echo "dir $dir" >> "$_fixtures"
	chmod 755 "$dir"
	SF="$dir/lwip.sock"
	lwip_serve "$SF" "$P" 10.208.0.2/24 fd08::2/64 --max-sockets 50 --max-user-sockets 80
	mkfifo "$BATS_TEST_TMPDIR/h1" "$BATS_TEST_TMPDIR/h2"
	"$CLI" "$SF" many < "$BATS_TEST_TMPDIR/h1" > "$BATS_TEST_TMPDIR/m1" 3>&- &
	echo "pid $!" >> "$_fixtures"
	exec 8> "$BATS_TEST_TMPDIR/h1"
	wait_file "$BATS_TEST_TMPDIR/m1"
	run cat "$BATS_TEST_TMPDIR/m1"
	assert_output "socket 50: EMFILE"
	# the same user's second connection: what is left of the user's bound
	"$CLI" "$SF" many < "$BATS_TEST_TMPDIR/h2" > "$BATS_TEST_TMPDIR/m2" 3>&- &
	echo "pid $!" >> "$_fixtures"
	exec 9> "$BATS_TEST_TMPDIR/h2"
	wait_file "$BATS_TEST_TMPDIR/m2"
	run cat "$BATS_TEST_TMPDIR/m2"
	assert_output "socket 30: EMFILE"
	# another user is not held back by root's sockets
	chmod 666 "$SF"
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$CLI" "$SF" sockopts
	assert_success
	assert_line --partial "udp type 2"
	exec 8>&- 9>&-
}

@test "lwip attack: waiting requests are bounded per connection; the excess is refused at once, the rest cancelled" {
	lwip_serve "$SF" "$P" 10.208.0.2/24 fd08::2/64
	run timeout 120 "$CLI" "$SF" pending 8292
	assert_success
	assert_line "refused 100"
	assert_line "cancelled 8192"
}
