#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Root's netsup-stack on files a hostile local user controls: a holder
# record or a fake daemon's HELLO that names another process, a directory
# swapped for a symbolic link while root waits, a socket whose backlog is
# full, a process name made of terminal escapes, a per-user directory
# taken in advance.  The user is made for each test; root runs the tool.

bats_require_minimum_version 1.5.0
load helpers

STACKTOOL="$BUILD/netsup-stack"

setup() {
	common_setup
	user_new U
	uid=$(id -u "$U")
	# the user's own place: W, and D in it (W is the user's, so D can be renamed)
	W=$(mktemp -d /tmp/nsup-att.XXXXXX)
	echo "dir $W" >> "$_fixtures"
	mkdir -m 700 "$W/d"
	chown -R "$U:" "$W"
	chmod 755 "$W"
	# root's files, which nothing may touch
	T=$BATS_TEST_TMPDIR/root
	mkdir -m 755 "$T"
}
teardown() {
	local p
	for p in ${KILL9:-}; do kill -9 "$p" 2>/dev/null; done
	common_teardown
}

# as_user CMD: run the shell command CMD as the test's user
as_user() {
	su -s /bin/sh "$U" -c "cd /tmp && $1"
}

# user_bg OUT PROGRAM [ARG...]: run PROGRAM as the test's user in the
# background, its output in the file OUT; its pid in BG, killed at teardown
user_bg() {
	local out=$1
	shift
	setpriv --reuid "$U" --regid "$U" --clear-groups "$@" > "$out" &
	BG=$!
	echo "pid $BG" >> "$_fixtures"
	wait_file "$out"
}

# alive PID: is PID a process that has not exited?
alive() {
	[ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status"
}

# start_of PID: its start time, field 22 of /proc/PID/stat
start_of() {
	sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20
}

# victim: a process of root's, in a network namespace of its own (nothing
# else lives in it: a stack nobody uses); its pid in V
victim() {
	bg unshare -n sleep 1000
	V=$!
	while [ "$(readlink "/proc/$V/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.02; done
}

# fake_daemon SOCKET PID [full]: the user's fake stack daemon on SOCKET,
# whose HELLO says it is process PID; "full": its backlog is full (it
# accepts nothing, one connection waits) and it answers nothing; SIGUSR1
# closes it.  Its pid in FAKE.
fake_daemon() {
	cat > "$W/fake.py" <<-'EOF'
	import os, signal, socket, struct, sys
	path, pid, full = sys.argv[1], int(sys.argv[2]), len(sys.argv) > 3
	s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
	s.bind(path)
	if full:
	    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
	    s.listen(0)
	    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
	    c.connect(path)
	    print("ready", flush=True)
	    signal.sigwait([signal.SIGUSR1])
	    s.close()
	    c.close()
	    signal.sigwait([signal.SIGUSR1])
	    sys.exit(0)
	s.listen(8)
	print("ready", flush=True)
	while True:
	    c, _ = s.accept()
	    m = c.recv(65536)
	    hid = struct.unpack_from("=IHHQ", m)[3]
	    body = struct.pack("=IIII", 1, 3, pid, 1500) + b"stack=fake\n"
	    c.send(struct.pack("=IHHQiI", 24 + len(body), 1 | 0x8000, 0, hid, 0, 0) + body)
	    c.close()
	EOF
	chmod 644 "$W/fake.py"
	user_bg "$W/fake.out" "$PY" "$W/fake.py" "$@"
	FAKE=$BG
}

@test "attack: root's del does not kill a root process that a user's record and link name" {
	victim
	as_user "ln -s /proc/$V/ns/net '$W/d/x' && echo '$V $(start_of "$V")' > '$W/d/.x.holder'"
	run "$STACKTOOL" del "$W/d/x"
	assert_failure
	assert_output "netsup-stack: $W/d/x: process $V is not a netsup-holder of the directory's owner (uid $uid): refused"
	alive "$V"
	# nothing was removed either
	[ -L "$W/d/x" ] && [ -f "$W/d/.x.holder" ]
}

@test "attack: root's del -f does not kill the process a user's record names instead of its holder" {
	victim
	as_user "export XDG_RUNTIME_DIR='$W'; '$STACKTOOL' add x"
	local holder
	holder=$(cut -d' ' -f1 "$W/netsup/.x.holder")
	KILL9=$holder
	# the link still names the holder's namespace; the record names the victim
	as_user "echo '$V $(start_of "$V")' > '$W/netsup/.x.holder'"
	run "$STACKTOOL" del -f "$W/netsup/x"
	assert_failure
	assert_output "netsup-stack: $W/netsup/x: its link does not name the namespace of process $V, which its record names: refused"
	alive "$V"
	alive "$holder"
}

@test "root's del of a user's own stack ends its holder and removes its names" {
	as_user "export XDG_RUNTIME_DIR='$W'; '$STACKTOOL' add x"
	local holder
	holder=$(cut -d' ' -f1 "$W/netsup/.x.holder")
	KILL9=$holder
	alive "$holder"
	run "$STACKTOOL" del "$W/netsup/x"
	assert_success
	assert_output ""
	! alive "$holder"
	run ls -A "$W/netsup"
	assert_output ""
}

@test "attack: a directory swapped for a link while root's del waits for the holder: root unlinks nothing outside it" {
	# root's files named as the stack's would be
	echo precious > "$T/x"
	echo precious > "$T/.x.holder"
	# a holder whose exit the user delays until told (tests/progs/slowexit.c)
	user_bg "$W/slow.out" "$PROGS/slowexit"
	local slow=$BG holder member
	read -r holder member < "$W/slow.out"
	KILL9="$holder $member"
	as_user "ln -s /proc/$holder/ns/net '$W/d/x' && echo '$holder $(start_of "$holder")' > '$W/d/.x.holder'"

	"$STACKTOOL" del "$W/d/x" > "$W/del.out" 2>&1 &
	local del=$! i
	# the holder was killed: root's del now waits for it to exit
	for i in $(seq 200); do
		grep -q '^State:.*Z' "/proc/$member/status" 2>/dev/null && break
		sleep 0.05
	done
	grep -q '^State:.*Z' "/proc/$member/status"
	as_user "mv '$W/d' '$W/d.real' && ln -s '$T' '$W/d'"
	kill -USR1 "$slow"
	wait "$del" || true
	cat "$W/del.out"
	# root's files are untouched; the user's own names are gone
	assert_file_exists "$T/x"
	assert_file_exists "$T/.x.holder"
	[ ! -e "$W/d.real/x" ] && [ ! -L "$W/d.real/x" ]
	assert_file_not_exists "$W/d.real/.x.holder"
}

@test "attack: a fake daemon's HELLO names a root process: del signals the daemon itself (SO_PEERCRED), not it" {
	victim
	fake_daemon "$W/d/s" "$V"
	run "$STACKTOOL" del "$W/d/s"
	assert_success
	alive "$V"
	# the one that listens on the socket got SIGTERM
	local i
	for i in $(seq 100); do alive "$FAKE" || break; sleep 0.05; done
	! alive "$FAKE"
	run "$STACKTOOL" info "$W/d/s"
	assert_output "netsup-stack: $W/d/s: no daemon serves it"
}

@test "attack: a full backlog never blocks root's del, so a swapped directory cannot turn it into an unlink elsewhere" {
	echo precious > "$T/s"
	fake_daemon "$W/d/s" 1 full
	"$STACKTOOL" del "$W/d/s" > "$W/del.out" 2>&1 &
	local del=$! i
	# until it is done, or it waits in connect(2) (system call 42)
	for i in $(seq 200); do
		alive "$del" || break
		[ "$(cut -d' ' -f1 "/proc/$del/syscall" 2>/dev/null)" = 42 ] && break
		sleep 0.05
	done
	if alive "$del"; then
		# root waits: the user swaps the directory, closes the listener
		as_user "mv '$W/d' '$W/d.real' && ln -s '$T' '$W/d'"
		kill -USR1 "$FAKE"
	fi
	local rc=0
	wait "$del" || rc=$?
	cat "$W/del.out"
	assert_file_exists "$T/s"
	[ "$(cat "$T/s")" = precious ]
	[ "$rc" -eq 1 ]
	[ "$(cat "$W/del.out")" = "netsup-stack: $W/d/s: its daemon accepts no connection (its listen backlog is full)" ]
}

@test "attack: info, list and ps of a socket whose backlog is full return and say why" {
	fake_daemon "$W/d/s" 1 full
	run timeout 20 "$STACKTOOL" info "$W/d/s"
	assert_equal "$status" 1
	assert_output "netsup-stack: $W/d/s: its daemon accepts no connection (its listen backlog is full)"
	run timeout 20 "$STACKTOOL" ps "$W/d/s"
	assert_equal "$status" 1
	assert_output "netsup-stack: $W/d/s: its daemon accepts no connection (its listen backlog is full)"
	run timeout 20 "$STACKTOOL" list "$W/d"
	assert_success
	assert_output --regexp "^PATH +KIND +INTERFACES
$W/d/s +\? +its daemon accepts no connection \(its listen backlog is full\)$"
}

@test "attack: ps shows a process name made of terminal escapes and a newline as '?', on one line" {
	ns_new N
	# ESC ] 0 ; ... BEL retitles a terminal; the newline would forge a line
	bg ip netns exec "$N" setpriv --reuid "$U" --regid "$U" --clear-groups $PY -c '
import ctypes, time
ctypes.CDLL(None).prctl(15, b"\x1b]0;pwn\x07\nroot 1", 0, 0, 0)
time.sleep(1000)'
	local pid=$! i
	for i in $(seq 100); do grep -q pwn "/proc/$pid/comm" 2>/dev/null && break; sleep 0.05; done
	grep -q pwn "/proc/$pid/comm"
	run "$STACKTOOL" ps "/run/netns/$N"
	assert_success
	[[ "$output" != *$'\e'* ]] && [[ "$output" != *$'\a'* ]]
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp "^$pid +$U +\?\]0;pwn\?\?root 1 +lives in it$"
}

@test "attack: /tmp/netsup-UID taken by another user: add uses a private directory, recorded in the user's home; netsup finds it" {
	local home=$W/home
	mkdir -m 755 "$home"
	chown "$U:" "$home"
	# another user takes the name first (a uid is reused: what a former
	# user of this uid left is not that other user's)
	rm -rf "/tmp/netsup-$uid"
	setpriv --reuid nobody --regid nogroup --clear-groups mkdir -m 755 "/tmp/netsup-$uid"
	echo "dir /tmp/netsup-$uid" >> "$_fixtures"
	run as_user "unset XDG_RUNTIME_DIR; export HOME='$home'
		'$STACKTOOL' add x || exit 1
		'$NETSUP' -d x -- '$PROGS/sockns' inet
		'$STACKTOOL' list
		'$STACKTOOL' del x && echo deleted"
	local dir
	dir=$(readlink "$home/.cache/netsup-userdir")
	echo "dir $dir" >> "$_fixtures"
	assert_success
	[[ "$dir" == /tmp/netsup-$uid.?????? ]]
	[ "$(stat -c '%U %a' "$dir")" = "$U 700" ]
	assert_line --index 0 "netsup-stack: /tmp/netsup-$uid belongs to another user (uid 65534): your stacks are in $dir (recorded in $home/.cache/netsup-userdir)"
	assert_line --regexp "^netns=[0-9]+ nonblock=0 cloexec=0$"
	assert_line --regexp "^$dir/x +netns +lo up 127\.0\.0\.1/8 ::1/128$"
	assert_line deleted
}

@test "attack: /tmp/netsup-UID taken by another user, and no home to record a private one in: add says what to do" {
	rm -rf "/tmp/netsup-$uid"
	setpriv --reuid nobody --regid nogroup --clear-groups mkdir -m 755 "/tmp/netsup-$uid"
	echo "dir /tmp/netsup-$uid" >> "$_fixtures"
	run as_user "unset XDG_RUNTIME_DIR; export HOME=/nonexistent; '$STACKTOOL' add x"
	assert_failure
	assert_output "netsup-stack: /tmp/netsup-$uid: belongs to another user (uid 65534), and there is no \$HOME/.cache of yours to record a private directory in: set XDG_RUNTIME_DIR to a directory of your own (mode 0700), or have root remove /tmp/netsup-$uid"
	run ls /tmp
	refute_output --partial "netsup-$uid."
}
