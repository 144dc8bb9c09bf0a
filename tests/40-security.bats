#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Security: sockets carry the child's credentials, stack access policy,
# no way around the filter, --isolate, racing paths, failing closed.

bats_require_minimum_version 1.5.0
load helpers

MSOCK="$PROGS/msock"
BIND_A='import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.201.1.1", 0)); print("bound")'
NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)

setup() {
	common_setup
	two_stacks
	chmod 755 "$BATS_TEST_TMPDIR"
}
teardown() { common_teardown; }

# --- credentials -----------------------------------------------------------

@test "an unprivileged child reads the stack's interfaces but cannot change them" {
	run "$NETSUP" -d netlink="$A" -- "${NOBODY[@]}" ip -o addr
	assert_success
	assert_output --partial "10.201.1.1/24"
	run "$NETSUP" -d netlink="$A" -- "${NOBODY[@]}" ip link add nsupx type veth peer name nsupy
	assert_failure
	assert_output --partial "Operation not permitted"
	# root can, through the same netsup
	run "$NETSUP" -d netlink="$A" -- ip link add nsupx type veth peer name nsupy
	assert_success
	run ip -n "$A" -o link show nsupx
	assert_success
}

@test "raw and packet sockets need the child's own CAP_NET_RAW" {
	run "$NETSUP" -d "$A" -- "$PROGS/sockns" inet raw 1
	assert_success
	assert_output --partial "netns=$ia"
	run "$NETSUP" -d "$A" -- "${NOBODY[@]}" "$PROGS/sockns" inet raw 1
	assert_equal "$status" 2
	assert_output "errno=1 (Operation not permitted)"
	run "$NETSUP" -d "$A" -- "${NOBODY[@]}" "$PROGS/sockns" packet raw
	assert_equal "$status" 2
	assert_output "errno=1 (Operation not permitted)"
	# a capability dropped by a root child counts too
	run "$NETSUP" -d "$A" -- setpriv --inh-caps=-net_raw --bounding-set=-net_raw "$PROGS/sockns" inet raw 1
	assert_equal "$status" 2
	assert_output "errno=1 (Operation not permitted)"
}

@test "root of another user namespace has no capability in netsup's" {
	run "$NETSUP" -d "$A" -- unshare -U -r "$PROGS/sockns" inet raw 1
	assert_equal "$status" 2
	assert_output "errno=1 (Operation not permitted)"
	# (an address only A has proves where the socket is: SIOCGSKNS would
	# need CAP_NET_ADMIN over A)
	run "$NETSUP" -d "$A" -- unshare -U -r $PY -c "$BIND_A"
	assert_success
	assert_output "bound"
}

@test "ping sockets follow the child's effective group (ping_group_range)" {
	# only group 0 may open ICMP sockets in A
	ip netns exec "$A" sysctl -q -w net.ipv4.ping_group_range="0 0"
	run "$NETSUP" -d inet="$A" -- "$PROGS/sockns" inet dgram 1
	assert_success
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" "$PROGS/sockns" inet dgram 1
	assert_equal "$status" 2
	assert_output "errno=13 (Permission denied)"
	# and the group nobody has is let in once allowed
	ip netns exec "$A" sysctl -q -w net.ipv4.ping_group_range="65534 65534"
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" $PY -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 1); print("ping socket")'
	assert_output "ping socket"
}

@test "a port below 1024 needs the child's own capability" {
	local prog='import socket; s = socket.socket(); s.bind(("10.201.1.1", 80)); print("bound")'
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" $PY -c "$prog"
	assert_failure
	assert_output --partial "Permission denied"
	run "$NETSUP" -d inet="$A" -- $PY -c "$prog"
	assert_success
	assert_output "bound"
}

@test "sockets belong to the child's uid" {
	"$NETSUP" -d inet="$A" -- "${NOBODY[@]}" $PY -c \
		'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 7300)); s.listen(); time.sleep(5)' &
	echo "pid $!" >> "$_fixtures"
	wait_listen "$A" 7300
	run ip netns exec "$A" ss -Hltne "sport = :7300"
	assert_output --partial "uid:65534"
}

# --- policy ------------------------------------------------------------------

@test "policy: a child gets only a stack file it could open itself" {
	mkdir -m 700 "$BATS_TEST_TMPDIR/private"
	touch "$BATS_TEST_TMPDIR/private/a"
	echo "mount $BATS_TEST_TMPDIR/private/a" >> "$_fixtures"
	mount --bind "$pa" "$BATS_TEST_TMPDIR/private/a"
	run "$NETSUP" -- "$MSOCK" M:"$BATS_TEST_TMPDIR/private/a":inet
	assert_output "M:$BATS_TEST_TMPDIR/private/a:inet netns=$ia"
	run "$NETSUP" -- "${NOBODY[@]}" "$MSOCK" M:"$BATS_TEST_TMPDIR/private/a":inet D:"$BATS_TEST_TMPDIR/private/a":inet
	assert_output - <<-OUT
	M:$BATS_TEST_TMPDIR/private/a:inet errno=EACCES
	D:$BATS_TEST_TMPDIR/private/a:inet errno=EACCES
	OUT
	# the public path of the same stack works for it
	run "$NETSUP" -- "${NOBODY[@]}" "$MSOCK" D:"$pa":inet X $PY -c "$BIND_A"
	assert_output --partial "D:$pa:inet ok"
	assert_output --partial "bound"
}

@test "policy: /proc/self in a path is the child's view, never netsup's" {
	# netsup holds A (a default) and sits in it after the first socket;
	# its own /proc/self/fd/N and /proc/thread-self must not lead there
	local args=() n
	for n in $(seq 0 24); do args+=("M:/proc/self/fd/$n:inet"); done
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" "$MSOCK" S:inet M:/proc/thread-self/ns/net:inet "${args[@]}"
	refute_output --partial "netns=$ib"
	assert_line --index 1 "M:/proc/thread-self/ns/net:inet errno=EACCES"
	[ "$(echo "$output" | grep -c "netns=")" -le 1 ]
	# and a private default of another process stays private
	run "$NETSUP" -- sh -c "'$MSOCK' D:$pb:inet Z:2 >/dev/null & sleep 0.5
		${NOBODY[*]} '$MSOCK' ${args[*]} | grep -c netns= || true; wait"
	assert_output "0"
}

@test "a set-user-ID program gets netsup's defaults, not those its caller chose" {
	local d
	d=$(mktemp -d /tmp/nsup-suid.XXXXXX)
	echo "dir $d" >> "$_fixtures"
	chmod 755 "$d"
	cp "$PROGS/sockns" "$d/sockns"
	chmod 4755 "$d/sockns"
	# nobody picks B, then runs a set-user-ID root program: that goes to A
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" "$MSOCK" D:"$pb":inet X "$d/sockns" inet
	assert_success
	assert_line "D:$pb:inet ok"
	assert_line "netns=$ia nonblock=0 cloexec=0"
	# an ordinary program keeps the choice
	run "$NETSUP" -d inet="$A" -- "$MSOCK" D:"$pb":inet X "$PROGS/sockns" inet
	assert_line "netns=$ib nonblock=0 cloexec=0"
}

@test "policy: init's and netsup's own namespace are refused unless allowed" {
	run "$NETSUP" -d inet="$A" -- "$MSOCK" M:/proc/1/ns/net:inet M:/proc/self/ns/net:inet D:/proc/self/ns/net:inet S:inet
	assert_output - <<-OUT
	M:/proc/1/ns/net:inet errno=EACCES
	M:/proc/self/ns/net:inet errno=EACCES
	D:/proc/self/ns/net:inet errno=EACCES
	S:inet netns=$ia
	OUT
	run "$NETSUP" --allow /proc/self/ns/net -d inet="$A" -- "$MSOCK" M:/proc/self/ns/net:inet
	assert_output "M:/proc/self/ns/net:inet netns=$home"
}

@test "policy: --allow restricts msocket to the defaults and the listed stacks" {
	local c
	ns_new c
	run "$NETSUP" --allow "$A" -d inet="$c" -- "$MSOCK" M:"$pa":inet M:"$pb":inet D:"$pb":inet M:/run/netns/"$c":inet6 M:-:inet S:inet
	assert_success
	assert_output - <<-OUT
	M:$pa:inet netns=$ia
	M:$pb:inet errno=EACCES
	D:$pb:inet errno=EACCES
	M:/run/netns/$c:inet6 netns=$(ns_ino "$c")
	M:-:inet netns=$(ns_ino "$c")
	S:inet netns=$(ns_ino "$c")
	OUT
	# the same namespace by another name is the same stack
	run "$NETSUP" --allow "$A" -- sh -c "ip netns exec '$B' sleep 3 & sleep 0.5; '$MSOCK' M:/proc/\$!/ns/net:inet; kill \$!"
	assert_output --regexp "M:/proc/[0-9]+/ns/net:inet errno=EACCES"
	# a bad --allow is a start-up error
	run "$NETSUP" --allow /nonexistent -- true
	assert_equal "$status" 125
	assert_output "netsup: /nonexistent: no such file"
}

@test "a path rewritten by another thread gets the old or the new stack, never a forbidden one" {
	# same length, so that every torn mix of the two is also tried
	[ ${#pa} -eq ${#pb} ]
	run "$NETSUP" --allow "$A" -- "$PROGS/pathrace" "$pa" "$pb" 20000
	assert_success
	assert_output --regexp "^good=[0-9]+ bad=0 other=0 eacces=[0-9]+ errors=0$"
	local good eacces
	good=$(echo "$output" | sed 's/.*good=\([0-9]*\).*/\1/')
	eacces=$(echo "$output" | sed 's/.*eacces=\([0-9]*\).*/\1/')
	[ $((good + eacces)) -eq 20000 ]
}

# --- no way around the filter -----------------------------------------------

@test "i386 socket and socketcall are served (or the kernel runs no i386 code)" {
	run "$PROGS/sock32"
	if [ "$output" = "no-ia32" ]; then
		# still: the filter carries the i386 rules for when it does
		run "$NETSUP" -vv -- true
		assert_output --partial 'if ($syscall == 102)'
		assert_output --partial 'if ($syscall == 359)'
		skip "this kernel runs no i386 code (ia32 emulation off)"
	fi
	run "$NETSUP" -d inet="$A" -- "$PROGS/sock32"
	assert_success
	assert_output - <<-OUT
	socketcall netns=$ia
	socket netns=$ia
	unix ok
	OUT
}

@test "x32 socket is served or refused, never left to the kernel" {
	run "$NETSUP" -d inet="$A" -- "$PROGS/x32sock"
	assert_success
	refute_output "netns=$home"
	assert_output --regexp "^(netns=$ia|errno=[0-9]+)$"
}

@test "io_uring fails with ENOSYS: IORING_OP_SOCKET would bypass netsup" {
	[ -x "$PROGS/uring_socket" ] || skip "no uring_socket: built only with liburing (tests/deps.sh check installs liburing-dev)"
	run "$PROGS/uring_socket"
	assert_output "netns=$home"	# the hole exists on this kernel
	run "$NETSUP" -d inet="$A" -- "$PROGS/uring_socket"
	assert_output "setup errno=38"
	# --allow-io-uring opens the hole again: the socket is not in A
	run "$NETSUP" --allow-io-uring -d inet="$A" -- "$PROGS/uring_socket"
	assert_output "netns=$home"
}

@test "a child cannot replace netsup's listener with its own" {
	run "$NETSUP" -d inet="$A" -- "$PROGS/newlistener"
	assert_output - <<-OUT
	errno=16
	netns=$ia
	OUT
	run "$PROGS/newlistener"
	assert_output "installed"
}

# --- --isolate ----------------------------------------------------------------

@test "--isolate: what is not routed to a stack reaches nothing" {
	serve_tcp "$A" 127.0.0.1 7400
	run "$NETSUP" --isolate -- ip -o link
	assert_success
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	assert_output --regexp "^1: lo: <LOOPBACK,UP"
	run "$NETSUP" --isolate -d inet="$A" -- sh -c "'$PROGS/sockns' inet; '$PROGS/sockns' inet6; socat -T5 - TCP:127.0.0.1:7400"
	assert_success
	assert_line --index 0 --partial "netns=$ia "
	refute_line --index 1 --partial "netns=$home "
	refute_line --index 1 --partial "netns=$ia "
	assert_line --index 2 "$A 127.0.0.1"
	# and msocket cannot ask for netsup's namespace back
	run "$NETSUP" --isolate -- "$MSOCK" M:/proc/$$/ns/net:inet
	assert_output "M:/proc/$$/ns/net:inet errno=EACCES"
}

# --- failing closed -------------------------------------------------------------

@test "--log follows no link, appends to no other user's file, and waits for no FIFO reader" {
	local d secret="$BATS_TEST_TMPDIR/secret"
	d=$(mktemp -d /tmp/nsup-logs.XXXXXX)
	echo "dir $d" >> "$_fixtures"
	chmod 755 "$d"
	chown 65534 "$d"
	echo "root only" > "$secret"
	chmod 600 "$secret"
	# a user's link, in the user's directory, to a file of root's
	"${NOBODY[@]}" ln -s "$secret" "$d/link"
	run "$NETSUP" -v --log "$d/link" -d inet="$A" -- "$PROGS/sockns" inet
	assert_failure 125
	assert_output --partial "a symbolic link"
	assert_equal "$(cat "$secret")" "root only"
	# a file of the user's, which the user could read
	"${NOBODY[@]}" touch "$d/theirs"
	run "$NETSUP" --log "$d/theirs" -- true
	assert_failure 125
	assert_output --partial "owned by another user"
	# a FIFO nobody reads: refused at once, not waited for
	mkfifo "$d/fifo"
	run timeout 10 "$NETSUP" --log "$d/fifo" -- true
	assert_failure 125
	assert_output --partial "a FIFO that nobody reads"
	# a FIFO with a reader gets the lines
	cat "$d/fifo" > "$d/got" &
	local reader=$!
	echo "pid $reader" >> "$_fixtures"
	run timeout 10 sh -c "while ! '$NETSUP' -v --log '$d/fifo' -d inet='$A' -- '$PROGS/sockns' inet; do sleep 0.1; done"
	assert_success
	wait "$reader"
	grep -q "socket(inet, dgram)" "$d/got"
}

@test "if netsup dies, intercepted calls fail with ENOSYS, nothing falls back" {
	local go="$BATS_TEST_TMPDIR/go" out="$BATS_TEST_TMPDIR/out"
	"$NETSUP" -d inet="$A" -- sh -c "echo \$PPID > '$BATS_TEST_TMPDIR/netsup.pid'
		while [ ! -e '$go' ]; do sleep 0.05; done
		'$PROGS/sockns' inet; '$MSOCK' M:-:inet M:$pb:inet D:$pb:inet; '$PROGS/sockns' unix" > "$out" 2>&1 &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/netsup.pid"
	local p0 sup
	p0=$(cat "$BATS_TEST_TMPDIR/netsup.pid")
	sup=$(pgrep -P "$p0" -x netsup-sup)
	[ -n "$sup" ]
	kill -KILL "$sup"
	touch "$go"
	wait_file "$out"
	sleep 0.5
	run cat "$out"
	assert_output - <<-OUT
	errno=38 (Function not implemented)
	M:-:inet errno=ENOSYS
	M:$pb:inet errno=ENOSYS
	D:$pb:inet errno=ENOSYS
	netns=$home nonblock=0 cloexec=0
	OUT
}
