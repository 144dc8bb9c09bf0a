#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults: children killed mid-call, a stack removed while in use, a full
# descriptor table, a tiny RLIMIT_NOFILE.  (netsup killed: 40-security.)

load helpers

setup() {
	common_setup
	ns_new A
	pa=/run/netns/$A
	ia=$(ns_ino "$A")
}
teardown() { common_teardown; }

@test "children killed during notifications leave netsup serving, nothing leaked" {
	run timeout 120 "$NETSUP" -d inet="$A" -- sh -c "
		sup=\$(pgrep -P \$PPID -x netsup-sup)
		'$PROGS/sockns' inet >/dev/null
		before=\$(ls /proc/\$sup/fd | wc -l)
		for i in \$(seq 40); do
			'$PROGS/sockstorm' 4 1000000 inet - >/dev/null & p=\$!
			sleep 0.0\$((i % 10))
			kill -KILL \$p; wait \$p 2>/dev/null
		done
		after=\$(ls /proc/\$sup/fd | wc -l)
		echo before=\$before after=\$after
		'$PROGS/sockns' inet"
	assert_success
	assert_line --regexp "^before=([0-9]+) after=\1$"
	assert_line "netns=$ia nonblock=0 cloexec=0"
}

@test "a stack removed while in use: its sockets work, new ones get ENETDOWN" {
	local path="/dev/net/nsup$$t$BATS_TEST_NUMBER" go="$BATS_TEST_TMPDIR/go"
	echo "mount $path" >> "$_fixtures"
	"$BUILD/netsup-stack" add "$path"
	# a UDP socket made before the removal, used after it
	"$NETSUP" -d inet="$path" -- $PY -c "
import socket, os, time, errno
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 7600))
open('$BATS_TEST_TMPDIR/ready', 'w').close()
while not os.path.exists('$go'): time.sleep(0.05)
s.sendto(b'still here', ('127.0.0.1', 7600))
print(s.recv(100).decode())
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    print('new socket made')
except OSError as e:
    print('new socket:', errno.errorcode[e.errno])
" > "$BATS_TEST_TMPDIR/out" 2>&1 &
	echo "pid $!" >> "$_fixtures"
	wait_file "$BATS_TEST_TMPDIR/ready" || true
	[ -e "$BATS_TEST_TMPDIR/ready" ]
	"$BUILD/netsup-stack" del -f "$path"
	sleep 0.3
	touch "$go"
	local i
	for i in $(seq 100); do [ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -ge 2 ] && break; sleep 0.05; done
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line "still here"
	assert_line "new socket: ENETDOWN"
}

@test "a full descriptor table: EMFILE reaches the child" {
	run "$NETSUP" -d inet="$A" -- "$PROGS/fdfill"
	assert_success
	assert_output - <<-OUT
	errno=24
	then netns=$ia
	OUT
}

@test "a tiny RLIMIT_NOFILE: the command keeps its limit, netsup still serves" {
	run bash -c "ulimit -S -n 12; '$NETSUP' -d inet='$A' -- sh -c 'ulimit -S -n; \"$PROGS/sockns\" inet'"
	assert_success
	assert_output - <<-OUT
	12
	netns=$ia nonblock=0 cloexec=0
	OUT
	# a tiny hard limit too: served (with CAP_SYS_RESOURCE), or refused
	# before anything starts, never ENOSYS or a hang
	run timeout 20 bash -c "ulimit -n 12; '$NETSUP' -d inet='$A' -- '$PROGS/sockns' inet"
	if [ "$status" -eq 125 ]; then
		assert_output "netsup: RLIMIT_NOFILE is 12, the supervisor needs 32: raise the hard limit, or give netsup CAP_SYS_RESOURCE"
	else
		assert_success
		assert_output "netns=$ia nonblock=0 cloexec=0"
	fi
}

@test "a hundred processes with the same default stack cost netsup one descriptor" {
	run timeout 60 "$NETSUP" -- sh -c "
		sup=\$(pgrep -P \$PPID -x netsup-sup)
		before=\$(ls /proc/\$sup/fd | wc -l)
		for i in \$(seq 100); do '$PROGS/msock' D:$pa:inet Z:2 >/dev/null & done
		sleep 1
		echo grew=\$(( \$(ls /proc/\$sup/fd | wc -l) - before ))
		wait"
	assert_success
	assert_output --regexp "^grew=[0-2]$"
}
