#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The attacks of the security review, each performed by a hostile child
# (nobody, no capabilities): freezing the supervisor through its helpers,
# nested user namespaces, set-user-ID programs without exec events,
# throwing off a stack choice, descriptor exhaustion; on the userspace
# path, by a child and by fake stack daemons (tests/progs/fakestack.c).

bats_require_minimum_version 1.5.0
load helpers

MSOCK="$PROGS/msock"
NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all)

setup() {
	common_setup
	two_stacks
	chmod 755 "$BATS_TEST_TMPDIR"
}
teardown() { common_teardown; }

# --- the path helpers -----------------------------------------------------------

@test "a child cannot stop the helpers that look its paths up" {
	# the command's parent is netsup; the supervisor is its other child
	run "$NETSUP" -d inet="$A" -- sh -c "sup=\$(pgrep -P \$PPID | grep -vx \$\$)
		${NOBODY[*]} '$PROGS/stopper' \$sup $pb 300"
	assert_success
	assert_output --regexp "^seen=[1-9][0-9]* stopped=0 refused=[1-9][0-9]* ok=300 failed=0$"
}

@test "a helper stopped for good costs its caller EIO after the deadline, and nobody else anything" {
	local out="$BATS_TEST_TMPDIR/out"
	# root of its own user namespace, a child may stop the helper that
	# acts inside that namespace: the call is given up at the deadline,
	# and meanwhile every other process is served
	# (a stop that lands after the helper answered costs nothing: the
	# attack is tried again, up to ten times, until one lands before)
	run timeout 60 "$NETSUP" -d inet="$A" -- sh -c "sup=\$(pgrep -P \$PPID | grep -vx \$\$)
		for try in 1 2 3 4 5 6 7 8 9 10; do
			unshare -U -r '$PROGS/stopper' \$sup $pa 1000 forever > '$out' &
			for i in 1 2 3 4 5 6 7 8 9 10; do '$PROGS/sockns' inet; done
			wait; grep -q 'failed=1' '$out' && break
		done
		cat '$out'"
	assert_success
	assert_equal "$(grep -c "^netns=$ia " <<< "$output")" "$(( $(grep -c '^netns=' <<< "$output") ))"
	[ "$(grep -c "^netns=$ia " <<< "$output")" -ge 10 ]
	assert_line --regexp "^seen=[1-9][0-9]* stopped=1 refused=0 ok=[0-9]+ failed=1$"
	assert_line "first_errno=EIO"
}

# --- user namespaces ------------------------------------------------------------

@test "a stack of another user namespace is refused as the kernel refuses the child" {
	# X: a network namespace in a user namespace that nobody owns
	"${NOBODY[@]}" unshare -U -r -n sleep 30 &
	local x=$!
	echo "pid $x" >> "$_fixtures"
	local i
	for i in $(seq 50); do
		[ "$(stat -L -c %i /proc/$x/ns/net)" != "$home" ] && break
		sleep 0.05
	done
	# the child's own open() of it fails...
	run "${NOBODY[@]}" unshare -U -r cat /proc/$x/ns/net
	assert_failure
	assert_output --partial "Permission denied"
	# ...and so does msocket, raw socket or not
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" unshare -U -r "$MSOCK" \
		M:/proc/$x/ns/net:inet M:/proc/$x/ns/net:inet:raw D:/proc/$x/ns/net:inet
	assert_output - <<-OUT
	M:/proc/$x/ns/net:inet errno=EACCES
	M:/proc/$x/ns/net:inet:raw errno=EACCES
	D:/proc/$x/ns/net:inet errno=EACCES
	OUT
}

@test "a child's own namespace is served with the capabilities it has there, no more" {
	# legitimate: root of its own user namespace, in its own network
	# namespace, gets a raw socket there
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" unshare -U -r -n sh -c \
		"exec '$MSOCK' M:/proc/\$\$/ns/net:inet:raw M:/proc/\$\$/ns/net:inet"
	assert_success
	assert_line --index 0 --regexp "^M:/proc/[0-9]+/ns/net:inet:raw netns=[0-9]+$"
	assert_line --index 1 --regexp "^M:/proc/[0-9]+/ns/net:inet netns=[0-9]+$"
	# without CAP_NET_RAW there, it gets none, though its uid outside
	# owns the namespace
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" unshare -U -r -n sh -c \
		"exec setpriv --inh-caps=-net_raw --bounding-set=-net_raw '$MSOCK' D:/proc/\$\$/ns/net:inet M:-:inet:raw M:-:inet"
	assert_line --index 0 --regexp "^D:/proc/[0-9]+/ns/net:inet ok$"
	assert_line --index 1 "M:-:inet:raw errno=EPERM"
	assert_line --index 2 --regexp "^M:-:inet netns=[0-9]+$"
}

# --- set-user-ID programs -------------------------------------------------------

# suid_copy [PROG]: a set-user-ID root copy of PROG (suidsock) in SUID
suid_copy() {
	local d prog=${1:-suidsock}
	d=$(mktemp -d /tmp/nsup-suid.XXXXXX)
	echo "dir $d" >> "$_fixtures"
	chmod 755 "$d"
	cp "$PROGS/$prog" "$d/$prog"
	chmod 4755 "$d/$prog"
	SUID="$d/$prog"
}

@test "a set-user-ID program that becomes root at once still gets netsup's defaults" {
	suid_copy
	run "$NETSUP" -d inet="$A" -- "${NOBODY[@]}" "$MSOCK" D:"$pb":inet X "$SUID"
	assert_success
	assert_line "D:$pb:inet ok"
	assert_line "netns=$ia"
}

@test "without the process events connector, set-user-ID programs get netsup's defaults too" {
	suid_copy
	# in a pid namespace of its own, netsup has no process events
	run unshare --pid --fork --mount-proc "$NETSUP" -d inet="$A" -- \
		"${NOBODY[@]}" "$MSOCK" D:"$pb":inet X "$SUID"
	assert_success
	assert_line "D:$pb:inet ok"
	assert_line "netns=$ia"
	# an ordinary program keeps the choice
	run unshare --pid --fork --mount-proc "$NETSUP" -d inet="$A" -- \
		"$MSOCK" D:"$pb":inet X "$PROGS/sockns" inet
	assert_line "netns=$ib nonblock=0 cloexec=0"
}

# --- throwing off a stack choice --------------------------------------------------

@test "a refused PROC_CN_MCAST_IGNORE loses no event and changes no default" {
	run "$NETSUP" -d inet="$A" -- "$NETSUP" -d inet="$B" -- sh -c \
		"${NOBODY[*]} '$PROGS/cnignore'; '$PROGS/sockns' inet; exec '$PROGS/sockns' inet"
	assert_success
	assert_line --index 0 "sent"
	assert_line --index 1 "netns=$ib nonblock=0 cloexec=0"
	assert_line --index 2 "netns=$ib nonblock=0 cloexec=0"
	refute_output --partial "lost"
}

@test "clone(CLONE_PARENT) cannot take a grandparent's stacks" {
	# a nested session's command: its defaults differ from its parent's
	run "$NETSUP" -d inet="$A" -- "$NETSUP" -d inet="$B" -- "$PROGS/clonep"
	assert_success
	refute_output --partial "netns=$ia"
	assert_output "clone errno=EPERM"
	# where they are the same, CLONE_PARENT works as usual
	run "$NETSUP" -d inet="$A" -- "$PROGS/clonep"
	assert_output "sibling netns=$ia"
}

@test "a process whose main thread called pthread_exit keeps its defaults" {
	# other processes come and go meanwhile: the table is swept
	run "$NETSUP" -d inet="$A" -- sh -c "'$PROGS/leaderexit' '$pb' 3 & sleep 1.2
		for i in 1 2 3 4 5 6 7 8; do /bin/true; sleep 0.2; done; wait"
	assert_success
	assert_output "netns=$ib"
}

# --- descriptors ---------------------------------------------------------------

@test "one user cannot spend the supervisor's descriptors; root still can choose" {
	run "$NETSUP" -d inet="$A" -- sh -c "${NOBODY[*]} '$PROGS/nsmany' 70; '$MSOCK' D:$pb:inet S:inet"
	assert_success
	assert_line --index 0 "ok=64 emfile=6 other=0"
	assert_line --index 1 "D:$pb:inet ok"
	assert_line --index 2 "S:inet netns=$ib"
}

# --- userspace stacks ---------------------------------------------------------

# lwip_stack: root's netsup-lwip on a TAP of a namespace P, 10.204.0.2 its
# address, its stack file in SF
lwip_stack() {
	ns_new P
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.204.0.1/24 dev lwtap
	ip -n "$P" link set lwtap up
	SF="$BATS_TEST_TMPDIR/lwip0"
	lwip_serve "$SF" "$P" 10.204.0.2/24 fd04::2/64
}

# fake_dir: a directory where nobody makes its stack files, in D
fake_dir() {
	D=$(mktemp -d /tmp/nsup-fake.XXXXXX)
	echo "dir $D" >> "$_fixtures"
	chmod 777 "$D"
}

@test "a late answer goes into the caller's memory, not into the set-user-ID program that took its TID" {
	lwip_stack
	suid_copy execwrite
	# blocked in recvfrom, the main thread is replaced by a root program
	# at the same TID; the datagram then arrives
	run timeout 30 "$NETSUP" -d "$SF" -- "${NOBODY[@]}" "$PROGS/execwrite" "$SUID" 10.204.0.2 7777
	assert_success
	assert_output "victim untouched"
}

@test "a child that fills a stack daemon's backlog freezes nobody: its msocket gives up, others are served" {
	fake_dir
	run timeout 20 "$NETSUP" -d inet="$A" -- sh -c "
		${NOBODY[*]} '$PROGS/fakestack' full '$D' 1 > '$D/out' & sleep 0.3
		'$MSOCK' M:$pb:inet; wait; cat '$D/out'"
	assert_success
	assert_line --index 0 "M:$pb:inet netns=$ib"
	assert_line --index 1 "msocket errno=ENETDOWN"
}

@test "daemons that die cost the supervisor nothing; a user holds 64 connections; a few lines said" {
	fake_dir
	# --userspace: in a session without it msocket() of a daemon's stack
	# is ENOTSUP at once, and no connection is ever made
	run --separate-stderr timeout 120 "$NETSUP" --userspace -d inet="$A" -- sh -c "
		sup=\$(pgrep -P \$PPID | grep -vx \$\$)
		before=\$(ls /proc/\$sup/fd | wc -l)
		${NOBODY[*]} '$PROGS/fakestack' oneshot '$D' 300
		echo fds \$((\$(ls /proc/\$sup/fd | wc -l) - before))
		${NOBODY[*]} '$PROGS/fakestack' serve '$D' 70
		'$MSOCK' M:$pb:inet"
	assert_success
	assert_line --index 0 "ok=0 emfile=0 other=300"
	assert_line --index 1 --regexp "^fds [0-2]$"
	assert_line --index 2 "ok=64 emfile=6 other=0"
	assert_line --index 3 "M:$pb:inet netns=$ib"
	[ "$(grep -c 'closed its connection' <<< "$stderr")" -le 12 ]
}

@test "a daemon's option value longer than the program's room is cut to it" {
	fake_dir
	run timeout 20 "$NETSUP" --userspace -d inet="$A" -- "${NOBODY[@]}" "$PROGS/fakestack" optlong "$D" 1
	assert_success
	assert_output "optlen=4 overrun=0"
}

@test "recvfrom(MSG_TRUNC) of a daemon's oversized message tells and copies what netsup holds, no more" {
	fake_dir
	run timeout 20 "$NETSUP" --userspace -d inet="$A" -- "${NOBODY[@]}" "$PROGS/fakestack" bigdgram "$D" 1
	assert_success
	assert_output "n=65536 beyond=0"
}

@test "a port below 1024 in root's userspace stack needs the child's own capability" {
	lwip_stack
	local bind='import socket
for port in (80, 8080):
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", port)); print(port, "ok")
    except OSError as e:
        print(port, e.strerror)'
	run "$NETSUP" -d "$SF" -- "${NOBODY[@]}" $PY -c "$bind"
	assert_output - <<-OUT
	80 Permission denied
	8080 ok
	OUT
	run "$NETSUP" -d "$SF" -- $PY -c "$bind"
	assert_output - <<-OUT
	80 ok
	8080 ok
	OUT
}

@test "i386 socket calls other than socket() work in userspace sessions, on both kinds of socket" {
	lwip_stack
	run "$NETSUP" -d "$SF" -- "$PROGS/sock32ops"
	[ "$output" = no-ia32 ] && skip "the kernel runs no i386 code"
	assert_output --regexp "^unix-bind ok
unix-getsockname ok
inet-socket ok
inet-bind ok
inet-getsockname port=[1-9][0-9]*
inet-bind361 ok
inet-name367 port=[1-9][0-9]*$"
	# kernel sockets in a session that can use userspace stacks
	run "$NETSUP" --userspace -d inet="$A" -- "$PROGS/sock32ops"
	assert_output --regexp "^unix-bind ok
unix-getsockname ok
inet-socket ok
inet-bind ok
inet-getsockname port=[1-9][0-9]*
inet-bind361 ok
inet-name367 port=[1-9][0-9]*$"
}
