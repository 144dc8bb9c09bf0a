#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel behaviours netsup relies on, pinned one by one (as the kernel's
# own seccomp selftests pin them): if a kernel changes one, this suite says
# which, before the suites of netsup's features fail in ways that hide it.
# No root needed: tests/progs/kpin installs its filters under no_new_privs.

load helpers

KPIN="$PROGS/kpin"

kpin() {
	run "$KPIN" "$1"
	[ "$status" -ne 77 ] || skip "$output"
	assert_success
	assert_output "$1: ok"
}

@test "kernel: ADDFD without FLAG_SEND returns the child's number and the child waits for SEND (request_reply's order)" {
	kpin addfd-waits
}

@test "kernel: NOTIF_ID_VALID fails with ENOENT once the caller is killed (every re-validation)" {
	kpin id-valid
}

@test "kernel: a filter nobody uses gives POLLHUP on the listener and ENOENT from RECV (the receiving loop ends)" {
	kpin recv-enoent
}

@test "kernel: with WAIT_KILLABLE_RECV a signal after RECV does not end the call (kernel sessions may answer in two steps)" {
	kpin killable
}

@test "kernel: without WAIT_KILLABLE_RECV a signal after RECV ends the call and SEND says ENOENT (forwarded calls are interruptible)" {
	kpin interruptible
}

@test "kernel: the synchronous wake-up flag is taken by the listener (Linux 6.6)" {
	kpin sync-wakeup
}

@test "kernel: SIOCOUTQ of an AF_UNIX datagram socketpair moves by a fixed amount per datagram, and MSG_PEEK changes nothing" {
	kpin outq-dgram
}
