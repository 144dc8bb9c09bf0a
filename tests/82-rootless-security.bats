#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The security suite again, with netsup itself unprivileged: run by a
# normal user made for the test, inside a user namespace of that user
# (unshare -Urn) whose network namespaces are its stacks.  No escalation,
# no way around the filter, fail closed.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	common_setup
	user_new U
	W=$(mktemp -d /tmp/nsup-rl.XXXXXX)
	echo "dir $W" >> "$_fixtures"
	chmod 755 "$W"
}
teardown() { common_teardown; }

# in_userns SCRIPT: run the shell SCRIPT as the test's user, inside
# unshare -Urn, with $A and $B two network namespaces of that user
# namespace (paths of the same length), $NETSUP and $PROGS set
in_userns() {
	cat > "$W/run.sh" <<-EOF2
	set -u
	NETSUP='$NETSUP' PROGS='$PROGS'
	ip link set lo up
	unshare -n sleep 60 & pa=\$!
	unshare -n sleep 60 & pb=\$!
	while [ "\$(readlink /proc/\$pa/ns/net)" = "\$(readlink /proc/self/ns/net)" ] ||
	      [ "\$(readlink /proc/\$pb/ns/net)" = "\$(readlink /proc/self/ns/net)" ]; do sleep 0.05; done
	A=/proc/\$pa/ns/net B=/proc/\$pb/ns/net
	ia=\$(stat -L -c %i \$A) ib=\$(stat -L -c %i \$B)
	$1
	kill \$pa \$pb
	EOF2
	chmod 644 "$W/run.sh"
	su -s /bin/sh "$U" -c "cd /tmp && unshare -Urn sh '$W/run.sh'"
}

@test "rootless security: the stacks netsup serves are those of the user's user namespace" {
	run in_userns '"$NETSUP" -d inet=$A -- "$PROGS/sockns" inet; echo "want netns=$ia"'
	assert_success
	assert_line --index 0 --regexp "^netns=([0-9]+) nonblock=0 cloexec=0$"
	[ "$(sed -n '1s/netns=\([0-9]*\).*/\1/p' <<< "$output")" = "$(sed -n '2s/want netns=//p' <<< "$output")" ]
}

@test "rootless security: io_uring, x32 and a second listener are refused" {
	[ -x "$PROGS/uring_socket" ] || skip "no uring_socket: built only with liburing (tests/deps.sh check installs liburing-dev)"
	run in_userns '"$NETSUP" -d inet=$A -- "$PROGS/uring_socket"
		"$NETSUP" -d inet=$A -- "$PROGS/x32sock"; echo "ia=$ia"
		"$NETSUP" -d inet=$A -- "$PROGS/newlistener"'
	assert_line --index 0 "setup errno=38"
	local ia
	ia=$(sed -n 's/^ia=//p' <<< "$output")
	assert_line --index 1 --regexp "^(netns=$ia|errno=[0-9]+)$"
	assert_line --index 3 "errno=16"
	assert_line --index 4 "netns=$ia"
}

@test "rootless security: a path rewritten during msocket never reaches a forbidden stack" {
	run in_userns '"$NETSUP" --allow $A -- "$PROGS/pathrace" $A $B 5000'
	assert_success
	assert_output --regexp "^good=[0-9]+ bad=0 other=0 eacces=[0-9]+ errors=0$"
}

@test "rootless security: raw sockets need the child's own CAP_NET_RAW, also here" {
	# root of the user namespace may; a child that dropped it may not
	run in_userns '"$NETSUP" -d inet=$A -- "$PROGS/sockns" inet raw 1
		"$NETSUP" -d inet=$A -- setpriv --inh-caps=-net_raw --bounding-set=-net_raw "$PROGS/sockns" inet raw 1'
	assert_line --index 0 --regexp "^netns=[0-9]+ nonblock=0 cloexec=0$"
	assert_line --index 1 "errno=1 (Operation not permitted)"
}

@test "rootless security: if the unprivileged netsup dies, calls fail with ENOSYS" {
	run in_userns '"$NETSUP" -d inet=$A -- sh -c "sup=\$(pgrep -P \$PPID | grep -vx \$\$); kill -KILL \$sup; sleep 0.3
		\"$PROGS/sockns\" inet; \"$PROGS/msock\" M:-:inet"'
	assert_line --index 0 "errno=38 (Function not implemented)"
	assert_line --index 1 "M:-:inet errno=ENOSYS"
}
