#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's examples run as written.  Each ```sh block of README.md is
# preceded by a marker, <!-- readme-test: root|user|skip (why) -->; a root
# block runs as root, a user block as a normal user made for the test, each
# on its own, with bash -e (every command must succeed), after make
# install.  The machine they see is fresh where it matters: a mount
# namespace of their own with tmpfs over /usr/local (netsup installed
# there), /run (with /run/sshd, which ssh.service makes) and /dev/net (with
# tun), so that their names (red, blue, lw0) are theirs; a user block also
# gets a network namespace of its own (lo up), so that its ports are its
# own.  Whatever a block leaves running is killed at teardown.

bats_require_minimum_version 1.5.0
load helpers

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
README="$TOP/README.md"

setup() { common_setup; }
teardown() {
	local ns p
	# every process left in the blocks' mount namespace
	if [ -s "$BATS_TEST_TMPDIR/mntns" ]; then
		ns=$(cat "$BATS_TEST_TMPDIR/mntns")
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && kill -KILL "${p#/proc/}" 2>/dev/null
		done
	fi
	common_teardown
}

# readme_markers: "LINE KIND" for each ```sh block, KIND the marker's word
# before it (root, user, skip), or "none"
readme_markers() {
	awk '/^```sh$/ { k = "none"
			 if (prev ~ /^<!-- readme-test: /) { k = prev; sub(/^<!-- readme-test: /, "", k); sub(/[ >].*/, "", k) }
			 print NR, k }
	     { prev = $0 }' "$README"
}

# readme_block N: the text of the Nth ```sh block (1 is the first)
readme_block() {
	awk -v n="$1" '/^```sh$/ { i++; if (i == n) { on = 1; next } }
		       on && /^```$/ { exit }
		       on' "$README"
}

# run_block N KIND: run the Nth block as KIND (root, user) as said above
run_block() {
	local n=$1 kind=$2 u=""
	readme_block "$n" > "$BATS_TEST_TMPDIR/block.sh"
	[ -s "$BATS_TEST_TMPDIR/block.sh" ]
	chmod 755 "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/block.sh"
	if [ "$kind" = user ]; then
		user_new u
	fi
	cat > "$BATS_TEST_TMPDIR/wrap.sh" <<-EOF
	set -e
	readlink /proc/self/ns/mnt > '$BATS_TEST_TMPDIR/mntns'
	mount --make-rprivate /
	mount -t tmpfs tmpfs /usr/local
	make -s -C '$TOP' B='$BUILD' PREFIX=/usr/local install >/dev/null
	mount -t tmpfs tmpfs /run
	mkdir -p /run/netns /run/sshd
	install -m 755 '$BATS_TEST_TMPDIR/block.sh' /run/readme-block.sh
	mount -t tmpfs tmpfs /dev/net
	mknod /dev/net/tun c 10 200
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	cd /tmp
	if [ -n '$u' ]; then
		exec unshare -n sh -c "ip link set lo up && exec su -s /bin/bash '$u' -c 'cd /tmp && exec bash -e /run/readme-block.sh'"
	fi
	exec bash -e /run/readme-block.sh
	EOF
	# into a file, not a pipe: a server a failed block left running would
	# hold a pipe open and keep run waiting for ever (teardown kills it)
	run sh -c "timeout -k 5 120 unshare -m bash '$BATS_TEST_TMPDIR/wrap.sh' < /dev/null \
		> '$BATS_TEST_TMPDIR/out' 2>&1; rc=\$?; cat '$BATS_TEST_TMPDIR/out'; exit \$rc"
}

@test "README: every sh example says how the test runs it" {
	run readme_markers
	assert_success
	[ "${#lines[@]}" -ge 4 ] || fail "only ${#lines[@]} sh blocks found"
	refute_output --regexp " none$"
	refute_output --regexp " (rot|usr|sudo)$"
}

@test "README: Usage runs as written: two stacks, a cable, a server in one, curl from the other, sshd in red" {
	[ -x /usr/sbin/sshd ] || skip "no sshd (openssh-server)"
	run_block 1 root
	assert_success
	assert_line "200"
	assert_output --partial "/dev/net/red"
	assert_output --partial "socket(inet, stream): /run/netns/blue: created"
	assert_output --regexp "sshd +sockets: inet 1, inet6 1"
}

@test "README: the lwIP example runs as written: its peer namespace, the TAP, curl through lwIP" {
	run_block 2 root
	assert_success
	assert_line "200"
	assert_output --partial "kind: lwip"
}

@test "README: Without root runs as written, as a normal user" {
	run_block 4 user
	assert_success
	[ "$(grep -cx 200 <<< "$output")" -eq 2 ] || fail "expected 200 twice: $output"
	assert_output --partial "inet 10.0.1.1/24"
	assert_output --regexp "1: lo: <LOOPBACK"
}

@test "README: the --view example runs as written" {
	run_block 5 root
	assert_success
	assert_line "lo"
	assert_output --partial "net.ipv4.ip_forward = 0"
}

@test "README: the blocks the tests run are the ones they think (root, root, skip, user, root)" {
	run readme_markers
	assert_equal "$(awk '{print $2}' <<< "$output" | tr '\n' ' ')" "root root skip user root "
}
