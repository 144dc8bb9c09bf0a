#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# msocket(3): one process, several stacks; SOCK_DEFAULT and inheritance;
# every row of the errno table; libmsocket without a supervisor.

bats_require_minimum_version 1.5.0
load helpers

MSOCK="$PROGS/msock"

setup() {
	common_setup
	two_stacks
}
teardown() { common_teardown; }

# relay_check CMD...: a relay run by CMD listens in A, connects in B
relay_check() {
	local out="$BATS_TEST_TMPDIR/server.log"
	bg ip netns exec "$B" socat -T5 TCP-LISTEN:7101,bind=10.201.2.1,reuseaddr \
		SYSTEM:"echo $B \$SOCAT_PEERADDR; cat | tee $out"
	wait_listen "$B" 7101
	bg "$@" -1 "$pa" 10.201.1.1:7100 "$pb" 10.201.2.1:7101
	wait_listen "$A" 7100
	run ip netns exec "$A" socat -T5 - TCP:10.201.1.1:7100 <<< "hello from A"
	assert_success
	# the server in B saw the relay's address in B, and the data came back
	assert_line --index 0 "$B 10.201.2.1"
	assert_line --index 1 "hello from A"
	# and from the server's end: what the client in A sent
	assert_equal "$(cat "$out")" "hello from A"
}

@test "a program built with pkg-config msocket relays between two stacks" {
	local prefix="$BATS_TEST_TMPDIR/prefix"
	make -s -C "$BATS_TEST_DIRNAME/.." B="$BUILD" PREFIX="$prefix" install >/dev/null
	# shellcheck disable=SC2046
	cc -o "$BATS_TEST_TMPDIR/relay" "$BATS_TEST_DIRNAME/../examples/nsrelay.c" \
		$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs msocket) \
		-Wl,-rpath,"$prefix/lib" ${NETSUP_SAN:+-fsanitize=address,undefined}
	relay_check "$NETSUP" -- "$BATS_TEST_TMPDIR/relay"
}

@test "the same relay works without netsup (in-process setns, as root)" {
	relay_check "$BUILD/nsrelay"
}

@test "SOCK_DEFAULT redirects the process's later socket() calls" {
	run "$NETSUP" -- "$MSOCK" S:inet D:"$pa":inet S:inet S:inet6 M:-:inet D:"$pb":inet S:inet
	assert_success
	assert_output - <<-OUT
	S:inet netns=$home
	D:$pa:inet ok
	S:inet netns=$ia
	S:inet6 netns=$home
	M:-:inet netns=$ia
	D:$pb:inet ok
	S:inet netns=$ib
	OUT
}

@test "AF_UNSPEC sets inet, inet6, netlink and packet at once" {
	run "$NETSUP" -- "$MSOCK" D:"$pa":unspec S:inet S:inet6 S:netlink S:packet M:-:inet6
	assert_success
	assert_output - <<-OUT
	D:$pa:unspec ok
	S:inet netns=$ia
	S:inet6 netns=$ia
	S:netlink netns=$ia
	S:packet netns=$ia
	M:-:inet6 netns=$ia
	OUT
}

@test "msocket(NULL, family, SOCK_DEFAULT) keeps a default; with AF_UNSPEC the first one becomes every family's" {
	run "$NETSUP" -d inet="$A" -d inet6="$B" -- "$MSOCK" D:-:inet6 S:inet S:inet6 D:-:packet D:-:unspec S:inet S:inet6 D:-:packet
	assert_success
	assert_output - <<-OUT
	D:-:inet6 ok
	S:inet netns=$ia
	S:inet6 netns=$ib
	D:-:packet errno=ENOENT
	D:-:unspec ok
	S:inet netns=$ia
	S:inet6 netns=$ia
	D:-:packet ok
	OUT
}

@test "msocket(NULL) follows the default given to netsup" {
	run "$NETSUP" -d inet="$A" -- "$MSOCK" M:-:inet M:-:inet6
	assert_success
	assert_line --index 0 "M:-:inet netns=$ia"
	assert_line --index 1 "M:-:inet6 errno=ENOENT"
}

@test "a forked child keeps the defaults it had at the fork" {
	run "$NETSUP" -d inet="$A" -- "$MSOCK" D:"$pb":inet6 F D:"$pb":inet S:inet D:"$pa":inet6 W S:inet S:inet6
	assert_success
	assert_output - <<-OUT
	D:$pb:inet6 ok
	D:$pb:inet ok
	S:inet netns=$ib
	D:$pa:inet6 ok
	child:
	S:inet netns=$ia
	S:inet6 netns=$ib
	OUT
}

@test "a default set before execve holds after it" {
	run "$NETSUP" -- "$MSOCK" D:"$pa":inet E S:inet E S:inet
	assert_success
	assert_line --index 1 "S:inet netns=$ia"
	assert_line --index 2 "S:inet netns=$ia"
}

@test "two instances with different defaults run at once, each its own" {
	run "$NETSUP" -- sh -c "
		'$MSOCK' D:$pa:inet Z:0.5 S:inet Z:0.3 S:inet > '$BATS_TEST_TMPDIR/1' &
		'$MSOCK' D:$pb:inet Z:0.5 S:inet Z:0.3 S:inet > '$BATS_TEST_TMPDIR/2'
		wait"
	assert_success
	run cat "$BATS_TEST_TMPDIR/1"
	assert_output - <<-OUT
	D:$pa:inet ok
	S:inet netns=$ia
	S:inet netns=$ia
	OUT
	run cat "$BATS_TEST_TMPDIR/2"
	assert_output - <<-OUT
	D:$pb:inet ok
	S:inet netns=$ib
	S:inet netns=$ib
	OUT
}

@test "errno: ENOENT for a missing path and for NULL without a default" {
	run "$NETSUP" -- "$MSOCK" M:/nonexistent/stack:inet M:-:inet D:-:inet M:"":inet
	assert_success
	assert_output - <<-OUT
	M:/nonexistent/stack:inet errno=ENOENT
	M:-:inet errno=ENOENT
	D:-:inet errno=ENOENT
	M::inet errno=ENOENT
	OUT
}

@test "errno: ENOTSUP for /dev/null, a plain file, a directory, a mount namespace" {
	: > "$BATS_TEST_TMPDIR/plain"
	run "$NETSUP" -- "$MSOCK" M:/dev/null:inet M:"$BATS_TEST_TMPDIR/plain":inet \
		M:"$BATS_TEST_TMPDIR":inet D:/proc/self/ns/mnt:inet
	assert_success
	assert_output - <<-OUT
	M:/dev/null:inet errno=ENOTSUP
	M:$BATS_TEST_TMPDIR/plain:inet errno=ENOTSUP
	M:$BATS_TEST_TMPDIR:inet errno=ENOTSUP
	D:/proc/self/ns/mnt:inet errno=ENOTSUP
	OUT
}

@test "errno: EFAULT, ENAMETOOLONG, EINVAL, EAFNOSUPPORT" {
	run "$NETSUP" -- "$MSOCK" M:@bad:inet D:@bad:inet M:@long:inet \
		M:"$pa":inet:77 M:"$pa":inet:2048 M:"$pa":unix M:"$pa":unix:1 D:"$pa":unix M:-:unspec:1
	assert_success
	assert_output - <<-OUT
	M:@bad:inet errno=EFAULT
	D:@bad:inet errno=EFAULT
	M:@long:inet errno=ENAMETOOLONG
	M:$pa:inet:77 errno=EINVAL
	M:$pa:inet:2048 errno=EINVAL
	M:$pa:unix errno=EAFNOSUPPORT
	M:$pa:unix:1 errno=EAFNOSUPPORT
	D:$pa:unix errno=EAFNOSUPPORT
	M:-:unspec:1 errno=EAFNOSUPPORT
	OUT
}

@test "relative paths resolve against the child's working directory" {
	# (ns/net in /proc/self is netsup's own namespace: refused by policy)
	run "$NETSUP" -- "$MSOCK" P:/run/netns M:"$A":inet P:/run M:netns/"$B":inet P:/proc/self M:ns/net:inet D:../netns/"$A":inet S:inet
	assert_success
	assert_output - <<-OUT
	M:$A:inet netns=$ia
	M:netns/$B:inet netns=$ib
	M:ns/net:inet errno=EACCES
	D:../netns/$A:inet errno=ENOENT
	S:inet netns=$home
	OUT
}

@test "a child in a chroot sees its own paths" {
	local root="$BATS_TEST_TMPDIR/root"
	mkdir -p "$root/dev/net"
	touch "$root/dev/net/red"
	echo "mount $root/dev/net/red" >> "$_fixtures"
	mount --bind "$pb" "$root/dev/net/red"
	ln -s /dev/net/red "$root/abs-link"
	# (LeakSanitizer, in make check SAN=1, needs a /proc the chroot lacks)
	run "$NETSUP" -- env ASAN_OPTIONS=detect_leaks=0 "$MSOCK" C:"$root" M:/dev/net/red:inet M:"$pa":inet M:/abs-link:inet M:../../dev/net/red:inet
	assert_success
	assert_output - <<-OUT
	M:/dev/net/red:inet netns=$ib
	M:$pa:inet errno=ENOENT
	M:/abs-link:inet netns=$ib
	M:../../dev/net/red:inet netns=$ib
	OUT
}

@test "without netsup: NULL works, an nsfs path works as root, SOCK_DEFAULT is ENOSYS" {
	run "$MSOCK" M:-:inet M:"$pa":inet M:"$pb":inet6 D:"$pa":inet M:/dev/null:inet M:"$pa":unix \
		M:/nonexistent:unix M:@bad:inet M:@long:inet M:/nonexistent:inet
	assert_success
	assert_output - <<-OUT
	M:-:inet netns=$home
	M:$pa:inet netns=$ia
	M:$pb:inet6 netns=$ib
	D:$pa:inet errno=ENOSYS
	M:/dev/null:inet errno=ENOTSUP
	M:$pa:unix errno=EAFNOSUPPORT
	M:/nonexistent:unix errno=EAFNOSUPPORT
	M:@bad:inet errno=EFAULT
	M:@long:inet errno=ENAMETOOLONG
	M:/nonexistent:inet errno=ENOENT
	OUT
	# without CAP_SYS_ADMIN the namespace cannot be entered
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$MSOCK" M:"$pa":inet
	assert_output "M:$pa:inet errno=EPERM"
}

@test "under another seccomp filter that refuses -5, netsup is no nested one" {
	run "$PROGS/eperm_filter" "$NETSUP" -d inet="$A" -- "$PROGS/sockns" inet
	assert_success
	assert_output "netns=$ia nonblock=0 cloexec=0"
}

@test "nested netsup changes the defaults of its command only" {
	run "$NETSUP" -d inet="$A" -- sh -c "
		'$NETSUP' -d inet='$B' -- sh -c \"grep Seccomp_filters /proc/self/status; '$MSOCK' S:inet\"
		'$MSOCK' S:inet"
	assert_success
	assert_output - <<-OUT
	Seccomp_filters:	1
	S:inet netns=$ib
	S:inet netns=$ia
	OUT
	# the same options and exit codes
	run "$NETSUP" -d inet="$A" -- "$NETSUP" -d inet=/nonexistent -- true
	assert_equal "$status" 125
	assert_output "netsup: /nonexistent: no such file"
	run "$NETSUP" -d inet="$A" -- "$NETSUP" -d inet="$B" -- sh -c 'exit 9'
	assert_equal "$status" 9
}

@test "msocket errors: only msocket(3)'s errnos leave netsup: a stack socket nobody serves is ENETDOWN, not the transport's ECONNREFUSED" {
	local sf="$BATS_TEST_TMPDIR/stale.sock"
	# a socket file whose daemon is gone: bound, then closed
	$PY -c "import socket,sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()" "$sf"
	run "$NETSUP" -- "$MSOCK" "M:$sf:inet"
	assert_success
	assert_output "M:$sf:inet errno=ENETDOWN"
}

@test "msocket without a supervisor: a userspace stack's socket is ENOTSUP at once, and its daemon is never even connected to" {
	local sf="$BATS_TEST_TMPDIR/silent.sock" out
	# a listener that never accepts nor answers: a connect would queue
	out=$($PY -c "
import socket, subprocess, sys
l = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
l.bind(sys.argv[1]); l.listen(8); l.setblocking(False)
r = subprocess.run([sys.argv[2], 'M:' + sys.argv[1] + ':inet'], capture_output=True, text=True)
print(r.stdout.strip())
try:
    l.accept(); print('connected')
except BlockingIOError:
    print('never connected')
" "$sf" "$MSOCK")
	assert_equal "$out" "M:$sf:inet errno=ENOTSUP
never connected"
}

@test "msocket of a userspace stack in a session without --userspace: ENOTSUP at msocket, said in netsup's log; with --userspace it is served" {
	local sf="$BATS_TEST_TMPDIR/lw.sock"
	"$BUILD/netsup-lwip" -d --pidfile "$BATS_TEST_TMPDIR/lw.pid" --link slirp:// --ip 10.0.2.15/24 "$sf"
	echo "pid $(cat "$BATS_TEST_TMPDIR/lw.pid")" >> "$_fixtures"
	# its socket's connect() would reach the socketpair unseen: EINVAL
	run --separate-stderr "$NETSUP" -- "$MSOCK" "M:$sf:inet:stream" "D:$sf:inet"
	assert_success
	assert_line --index 0 "M:$sf:inet:stream errno=ENOTSUP"
	assert_line --index 1 "D:$sf:inet errno=ENOTSUP"
	[[ "$stderr" == *"msocket: $sf is a userspace stack, which this session cannot serve: ENOTSUP (start netsup with --userspace)"* ]]
	run "$NETSUP" --userspace -- "$MSOCK" "M:$sf:inet:stream" "D:$sf:inet"
	assert_success
	assert_line --index 0 "M:$sf:inet:stream ok"
	assert_line --index 1 "D:$sf:inet ok"
}
