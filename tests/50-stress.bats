#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Stress: many threads, many short-lived processes, signal storms.  Every
# call gets a socket in the right stack or a proper errno; no descriptor
# leaks in the children or in netsup, no zombies, no hang.  make check
# runs the short version; make stress (STRESS=1) the long one.

load helpers

setup() {
	common_setup
	ns_new A
	pa=/run/netns/$A
	if [ -n "${STRESS:-}" ]; then
		per_thread=10000 procs=200 secs=20
	else
		per_thread=200 procs=200 secs=2
	fi
}
teardown() { common_teardown; }

@test "stress: 64 threads create sockets at once" {
	run timeout 600 "$NETSUP" -d inet="$A" -- "$PROGS/sockstorm" 64 "$per_thread" inet "$pa"
	assert_success
	assert_output --regexp "^sockets=$((64 * per_thread)) wrong=0 errors=0 fds_before=([0-9]+) fds_after=\1 sup_grew=0$"
}

@test "stress: short-lived processes fork, exec and make sockets" {
	run timeout 600 "$NETSUP" -d inet="$A" -d inet6="$A" -- "$PROGS/procstorm" "$procs" "$pa"
	assert_success
	assert_output "ok=$procs failed=0 zombies=0 sup_grew=0"
}

@test "stress: SIGALRM storm with SA_RESTART: every call completes" {
	run timeout 600 "$NETSUP" -d inet="$A" -- "$PROGS/sigstorm" restart "$secs" "$pa"
	assert_success
	assert_output --regexp "^sockets=[1-9][0-9]* wrong=0 eintr=0 errors=0 signals=[1-9][0-9]* fds_before=([0-9]+) fds_after=\1$"
}

@test "stress: SIGALRM storm without SA_RESTART: EINTR or a socket, nothing else" {
	run timeout 600 "$NETSUP" -d inet="$A" -- "$PROGS/sigstorm" norestart "$secs" "$pa"
	assert_success
	assert_output --regexp "^sockets=[1-9][0-9]* wrong=0 eintr=[0-9]+ errors=0 signals=[1-9][0-9]* fds_before=([0-9]+) fds_after=\1$"
}

@test "stress: nothing is left behind: no zombie, no supervisor once all is gone" {
	run timeout 120 "$NETSUP" --wait -d inet="$A" -- "$PROGS/procstorm" 50 "$pa"
	assert_success
	# the supervisor has exited: no process of ours holds the stack
	sleep 0.2
	run pgrep -f "netsup --wait -d inet=$A"
	assert_failure
	run sh -c "ps -eo stat,ppid | awk '\$1 ~ /^Z/ && \$2 == $$' | wc -l"
	assert_output "0"
}

# A userspace-enabled session has no WAIT_KILLABLE_RECV: a signal between
# ADDFD and SEND ends socket() with the descriptor installed, thousands of
# times a second under this storm.  Each such stray is put to use by the
# thread's next socket() (stray.c), and the quiet socket() sigstorm makes
# at the end takes the last one's place.  What can be left is the
# kernel's own race, which netsup cannot see: a signal that wakes the
# caller just before SEND makes it drop the reply SEND reported as
# delivered.  How often depends on the machine's state far more than on
# netsup: 0.2% of the signals here under load, 9 to 14% on the same
# 2-CPU machine idle (December 2026; 0db7472 and later alike), where the
# caller's vCPU wakes from its halt-poll in the window.  So the bound is
# 25%: it still fails if interrupted sockets are not put to use at all
# (every signal between ADDFD and SEND would leave one).  An ADDFD that a
# signal beat (ESRCH, nothing installed) once left a false note that took
# a real stray's turn, until the table forgot real ones: 1,254 left after
# 37,556 signals.
@test "stress: SIGALRM storm in a userspace-enabled session: interrupted sockets do not pile up in the program" {
	local m before after signals
	for m in restart norestart; do
		run timeout 600 "$NETSUP" --userspace -d inet="$A" -- "$PROGS/sigstorm" "$m" 2 "$pa"
		assert_success
		[[ $output =~ wrong=0\ .*errors=0\ signals=([0-9]+)\ fds_before=([0-9]+)\ fds_after=([0-9]+)$ ]]
		signals=${BASH_REMATCH[1]}
		before=${BASH_REMATCH[2]}
		after=${BASH_REMATCH[3]}
		# left behind: under 25% of the signals (see above)
		[ $(( (after - before) * 4 )) -lt "$signals" ]
	done
}
