#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup-stack: add, list, info, del, and each of their errors.

bats_require_minimum_version 1.5.0
load helpers

STACKTOOL="$BUILD/netsup-stack"

setup() {
	common_setup
	name="nsup$$t${BATS_TEST_NUMBER}"
	path="/dev/net/$name"
	echo "mount $path" >> "$_fixtures"
}
teardown() { common_teardown; }

@test "add, list, info, use, del: a round trip" {
	run "$STACKTOOL" add "$path"
	assert_success
	assert_file_exists "$path"
	[ "$(stat -f -c %T "$path")" = nsfs ]

	run "$STACKTOOL" list
	assert_success
	assert_line --partial "$path"
	assert_output --regexp "$path +netns +lo up 127\.0\.0\.1/8 ::1/128"

	run "$STACKTOOL" info "$name"
	assert_success
	assert_line "path: $path"
	assert_line "kind: netns (kernel)"
	assert_line "families: inet, inet6, netlink, packet"
	assert_line "interfaces: lo up 127.0.0.1/8 ::1/128"

	# a real stack: netsup uses it, and what is added there shows in info
	run "$NETSUP" -d "$name" -- ip addr add 10.203.0.1/24 dev lo
	assert_success
	run "$STACKTOOL" info "$path"
	assert_line --partial "10.203.0.1/24"
	run "$NETSUP" -d inet="$name" -- "$PROGS/sockns" inet
	assert_output "netns=$(stat -L -c %i "$path") nonblock=0 cloexec=0"

	run "$STACKTOOL" del "$path"
	assert_success
	assert_file_not_exists "$path"
}

@test "list DIR shows only stacks, with their addresses" {
	local a
	ns_new a 10.201.7.1/24
	: > "/run/netns/zz-not-a-stack-$$"
	run "$STACKTOOL" list /run/netns
	rm -f "/run/netns/zz-not-a-stack-$$"
	assert_success
	assert_line --index 0 --regexp "^PATH +KIND +INTERFACES"
	assert_output --regexp "/run/netns/$a +netns +lo up 127\.0\.0\.1/8 10\.201\.7\.1/24"
	refute_output --partial "zz-not-a-stack"
}

@test "add: /dev/net is created when missing" {
	local moved=""
	if [ -d /dev/net ]; then
		# work on a private /dev so that the host's /dev/net is untouched
		run unshare -m sh -c "mount -t tmpfs tmpfs /dev && '$STACKTOOL' add $path && ls -ld /dev/net && '$STACKTOOL' info $path"
	else
		run unshare -m sh -c "'$STACKTOOL' add $path && ls -ld /dev/net && '$STACKTOOL' info $path"
	fi
	assert_success
	assert_line --regexp "^drwxr-xr-x .* /dev/net$"
	assert_line "kind: netns (kernel)"
}

@test "errors: a path that holds a newline or ESC stays on its line, escaped as netsup escapes it" {
	run "$STACKTOOL" info "/run/nonexistent$$"$'\nnetsup-stack: forged\e[2K'
	assert_failure
	assert_output "netsup-stack: /run/nonexistent$$\\x0anetsup-stack: forged\\x1b[2K: no such file"
}

@test "errors: exists, not a stack, no such file, busy, permission" {
	run "$STACKTOOL" add "$path"
	assert_success
	run "$STACKTOOL" add "$path"
	assert_failure
	assert_output "netsup-stack: $path: exists"

	run "$STACKTOOL" info /dev/null
	assert_failure
	assert_output "netsup-stack: /dev/null: not a stack"
	run "$STACKTOOL" del /dev/null
	assert_output "netsup-stack: /dev/null: not a stack"
	run "$STACKTOOL" info /dev/net/nonexistent$$
	assert_output "netsup-stack: /dev/net/nonexistent$$: no such file"

	# busy: a process lives in it
	nsenter --net="$path" sleep 30 &
	local sleeper=$!
	echo "pid $sleeper" >> "$_fixtures"
	sleep 0.2
	run "$STACKTOOL" del "$path"
	assert_failure
	assert_output --regexp "^netsup-stack: $path: busy: process [0-9]+ lives in it"
	kill "$sleeper"; wait "$sleeper" || true
	# busy: a socket is open in it, held by a process living elsewhere
	"$BUILD/nsrelay" "$path" 127.0.0.1:7200 - 127.0.0.1:7201 2>/dev/null &
	echo "pid $!" >> "$_fixtures"
	local i
	for i in $(seq 100); do nsenter --net="$path" ss -Hltn | grep -q 7200 && break; sleep 0.05; done
	run "$STACKTOOL" del "$path"
	assert_failure
	assert_output "netsup-stack: $path: busy: 1 socket is open in it (-f removes it anyway)"
	run "$STACKTOOL" del -f "$path"
	assert_success
	assert_file_not_exists "$path"

	# permission
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$STACKTOOL" add "$path"
	assert_failure
	assert_output "netsup-stack: $path: permission denied"
	run setpriv --reuid 65534 --regid 65534 --clear-groups "$STACKTOOL" add /tmp/nsup-perm-$$
	assert_failure
	assert_output "netsup-stack: /tmp/nsup-perm-$$: permission denied"
	assert_file_not_exists /tmp/nsup-perm-$$
}

@test "usage errors say what was wrong, in one line" {
	run "$STACKTOOL"
	assert_equal "$status" 2
	assert_output "netsup-stack: no command given; see netsup-stack --help"
	run "$STACKTOOL" frobnicate x
	assert_equal "$status" 2
	assert_output "netsup-stack: unknown command 'frobnicate'; see netsup-stack --help"
	run "$STACKTOOL" info
	assert_equal "$status" 2
	assert_output "netsup-stack: info: which stack? a STACK is needed; see netsup-stack --help"
	run "$STACKTOOL" del a b
	assert_equal "$status" 2
	assert_output "netsup-stack: del: one STACK only, 'b' is one too many; see netsup-stack --help"
	run "$STACKTOOL" info -x a
	assert_equal "$status" 2
	assert_output "netsup-stack: unknown option '-x'; see netsup-stack --help"
	run "$STACKTOOL" info --jsn a
	assert_equal "$status" 2
	assert_output "netsup-stack: unknown option '--jsn'; see netsup-stack --help"
	run "$STACKTOOL" list --json=yes
	assert_equal "$status" 2
	assert_output "netsup-stack: option '--json=yes' takes no value; see netsup-stack --help"
	run "$STACKTOOL" add --json a
	assert_equal "$status" 2
	assert_output "netsup-stack: add: no --json output (list, info, ps and identify have one); see netsup-stack --help"
	run "$STACKTOOL" info -f a
	assert_equal "$status" 2
	assert_output "netsup-stack: info: -f is for del only; see netsup-stack --help"
}

@test "--help and --version" {
	run "$STACKTOOL" --help
	assert_success
	assert_line "Usage: netsup-stack add STACK"
	assert_line --partial "netsup-stack ps [--json] STACK"
	run "$STACKTOOL" --version
	assert_success
	assert_output --regexp "^netsup-stack [0-9]+\.[0-9]+\.[0-9]+$"
	run "$STACKTOOL" -V
	assert_output --regexp "^netsup-stack [0-9]"
}

@test "list rejects unknown options and a DIR that does not exist" {
	run "$STACKTOOL" list --bogus
	assert_equal "$status" 2
	assert_output "netsup-stack: unknown option '--bogus'; see netsup-stack --help"
	run "$STACKTOOL" list -q
	assert_equal "$status" 2
	assert_output "netsup-stack: unknown option '-q'; see netsup-stack --help"
	run "$STACKTOOL" list "/run/nonexistent$$"
	assert_failure 1
	assert_output "netsup-stack: /run/nonexistent$$: no such file"
	run "$STACKTOOL" list /etc/hostname
	assert_failure 1
	assert_output "netsup-stack: /etc/hostname: Not a directory"
}

@test "list --json and info --json" {
	local a
	ns_new a 10.201.9.1/24
	run "$STACKTOOL" add "$path"
	assert_success
	run "$STACKTOOL" info --json "$path"
	assert_success
	run "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["path"] == sys.argv[2], d
assert d["kind"] == "netns"
assert d["namespace"] == "net:[%s]" % sys.argv[3], d
assert d["families"] == ["inet", "inet6", "netlink", "packet"], d
assert d["interfaces"] == [{"name": "lo", "up": True,
                            "addresses": ["127.0.0.1/8", "::1/128"]}], d
print("ok")' "$output" "$path" "$(stat -L -c %i "$path")"
	assert_output ok

	run "$STACKTOOL" list --json /dev/net /run/netns
	assert_success
	run "$PY" -c '
import json, sys
d = {s["path"]: s for s in json.loads(sys.argv[1])}
assert d[sys.argv[2]]["interfaces"][0]["name"] == "lo", d
a = d["/run/netns/" + sys.argv[3]]
assert a["interfaces"][0]["addresses"] == ["127.0.0.1/8", "10.201.9.1/24", "::1/128"], a
print("ok")' "$output" "$path" "$a"
	assert_output ok

	# no stacks at all: an empty array, as the table prints nothing
	mkdir "$BATS_TEST_TMPDIR/empty"
	run "$STACKTOOL" list --json "$BATS_TEST_TMPDIR/empty"
	assert_success
	assert_output "[]"
	run "$STACKTOOL" list "$BATS_TEST_TMPDIR/empty"
	assert_success
	assert_output ""
}

@test "a bare NAME is looked up as netsup does: /dev/net, then /run/netns" {
	local a
	ns_new a 10.201.8.1/24
	run "$STACKTOOL" info "$a"
	assert_success
	assert_line "path: /run/netns/$a"
	assert_line "interfaces: lo up 127.0.0.1/8 10.201.8.1/24 ::1/128"
	# add does not shadow it with /dev/net/NAME
	run "$STACKTOOL" add "$a"
	assert_failure
	assert_output "netsup-stack: /run/netns/$a: exists"
	run "$STACKTOOL" ps "$a"
	assert_success
	run "$STACKTOOL" del "$a"
	assert_success
	assert_file_not_exists "/run/netns/$a"
	run "$STACKTOOL" info "$a"
	assert_output "netsup-stack: /dev/net/$a: no such file"
}

@test "add refuses names that list hides or that look like options; -- and options after operands" {
	local bad
	for bad in ".$name" "-$name" "$name x" "$name	x"; do
		echo "mount /dev/net/$bad" >> "$_fixtures"
	done
	run "$STACKTOOL" add ".$name"
	assert_failure 1
	assert_output "netsup-stack: .$name: a stack name may not begin with '.' (list would not show it)"
	run "$STACKTOOL" add "/dev/net/.$name"
	assert_failure 1
	run "$STACKTOOL" add -- "-$name"
	assert_failure 1
	assert_output "netsup-stack: -$name: a stack name may not begin with '-' (it would look like an option)"
	run "$STACKTOOL" add "$name x"
	assert_failure 1
	assert_output "netsup-stack: $name x: a stack name may not contain blanks or control characters"
	run "$STACKTOOL" add "$name	x"
	assert_failure 1
	run ls -A /dev/net
	refute_output --partial "$name"

	run "$STACKTOOL" add -- "$name"
	assert_success
	assert_file_exists "$path"
	run "$STACKTOOL" info "$name" --json
	assert_success
	assert_output --partial "\"path\":\"$path\""
	run "$STACKTOOL" del "$name" -f
	assert_success
	assert_file_not_exists "$path"
}

@test "del of what is no mount point says so, without offering -f" {
	run "$STACKTOOL" add "$path"
	assert_success
	nsenter --net="$path" sleep 30 &
	local sleeper=$!
	echo "pid $sleeper" >> "$_fixtures"
	sleep 0.2
	run "$STACKTOOL" del "/proc/$sleeper/ns/net"
	assert_failure 1
	assert_output "netsup-stack: /proc/$sleeper/ns/net: not a mount point: only a stack mounted on a file can be removed"
	run "$STACKTOOL" del -f "/proc/$sleeper/ns/net"
	assert_failure 1
	assert_output "netsup-stack: /proc/$sleeper/ns/net: not a mount point: only a stack mounted on a file can be removed"
	# a symbolic link to a stack: neither the link nor the stack goes
	ln -s "$path" "$BATS_TEST_TMPDIR/link"
	run "$STACKTOOL" del -f "$BATS_TEST_TMPDIR/link"
	assert_failure 1
	assert_output --partial "not a mount point"
	refute_output --partial -- "-f"
	assert [ -L "$BATS_TEST_TMPDIR/link" ]
	[ "$(stat -f -c %T "$path")" = nsfs ]
}

@test "ps: a server under netsup shows in its stack, with its supervisor; one in another stack does not" {
	two_stacks
	# A: socat under netsup, living in our namespace, its socket in A
	bg "$NETSUP" --default inet="$A" -- socat TCP-LISTEN:7330,bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo in-a"
	wait_listen "$A" 7330
	# B: socat living in B
	bg ip netns exec "$B" socat TCP-LISTEN:7331,bind=127.0.0.1,reuseaddr,fork SYSTEM:"echo in-b"
	wait_listen "$B" 7331
	local in_b
	in_b=$(ip netns pids "$B")
	[ -n "$in_b" ]
	# ip netns pids does not see the server of A
	run ip netns pids "$A"
	assert_output ""

	run "$STACKTOOL" ps "$A"
	assert_success
	assert_line --index 0 --regexp "^PID +USER +COMMAND +USES$"
	assert_line --regexp "^[0-9]+ +root +socat +sockets: inet 1; under netsup \(supervisor [0-9]+\)$"
	assert_line --regexp "netsup supervisor of pid [0-9]+ \(socat TCP-LISTEN:7330,bind=127\.0\.0\.1,reuseaddr,fork SYSTEM:echo in-a\)"
	refute_line --regexp "^$in_b "

	run "$STACKTOOL" ps --json "$A"
	assert_success
	run "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["stack"] == sys.argv[2] and d["namespace"] == "net:[%s]" % sys.argv[3], d
procs = {p["pid"]: p for p in d["processes"]}
server = [p for p in procs.values() if p["comm"] == "socat"]
assert len(server) == 1, procs
server = server[0]
assert server["sockets"]["inet"] == 1 and not server["lives_in"], server
assert server["cmdline"][:2] == ["socat", "TCP-LISTEN:7330,bind=127.0.0.1,reuseaddr,fork"], server
sup = procs[server["served_by"]]
assert sup["supervisor"]["command"] == server["pid"], sup
assert sup["supervisor"]["command_cmdline"] == server["cmdline"], sup
assert int(sys.argv[4]) not in procs, procs
print("ok")' "$output" "$pa" "$ia" "$in_b"
	assert_output ok

	run "$STACKTOOL" ps "$B"
	assert_success
	assert_line --regexp "^$in_b +root +socat +sockets: inet 1, unix [0-9]+; lives in it$"
	refute_output --partial "netsup"
}

@test "add refuses what ip netns add refuses: an empty name, '.', '..', a '/' in a bare name, '..' in a path" {
	local bad
	mkdir "$BATS_TEST_TMPDIR/in"
	cd "$BATS_TEST_TMPDIR/in"
	for bad in "" . ..; do
		run "$STACKTOOL" add "$bad"
		assert_failure 1
		assert_output "netsup-stack: $bad: not a stack name"
	done
	for bad in "../$name" "a/$name"; do
		run "$STACKTOOL" add "$bad"
		assert_failure 1
		assert_output "netsup-stack: $bad: a stack name may not contain '/' (a stack elsewhere is named by its absolute path)"
	done
	for bad in "/dev/net/../$name" "/dev/net/./$name"; do
		run "$STACKTOOL" add "$bad"
		assert_failure 1
		assert_output "netsup-stack: $bad: a stack path may not contain '.' or '..' components"
	done
	# nothing was made anywhere
	assert_file_not_exists "$BATS_TEST_TMPDIR/$name"
	assert_file_not_exists "/dev/$name"
	assert_file_not_exists "$path"
	run ls -A "$BATS_TEST_TMPDIR/in"
	assert_output ""
}

@test "a name that is both /dev/net/NAME and /run/netns/NAME: list shows both, and every use of the bare name warns" {
	ip netns add "$name"
	echo "netns $name" >> "$_fixtures"
	run "$STACKTOOL" add "$path"
	assert_success
	local warning="netsup-stack: warning: $name is two stacks: $path, which netsup and netsup-stack use for a bare name, and /run/netns/$name, which ip netns uses"
	run --separate-stderr "$STACKTOOL" list
	assert_success
	assert_line --regexp "^$path +netns +lo up "
	assert_line --regexp "^/run/netns/$name +netns +lo down$"
	[ "$stderr" = "$warning" ]
	run --separate-stderr "$STACKTOOL" info "$name"
	assert_success
	assert_line "path: $path"
	[ "$stderr" = "$warning" ]
	run "$NETSUP" -d "$name" -- true
	assert_success
	assert_output "netsup: $name is two stacks: $path, used here, and /run/netns/$name, which ip netns exec $name uses"
	run --separate-stderr "$STACKTOOL" del "$name"
	assert_success
	[ "$stderr" = "$warning" ]
	assert_file_not_exists "$path"
	assert_file_exists "/run/netns/$name"
}

@test "del: a stack that a netsup session holds open is busy, even before anything lives or has a socket in it" {
	run "$STACKTOOL" add "$path"
	assert_success
	bg "$NETSUP" -d "$path" -- sleep 30
	local i
	for i in $(seq 100); do pgrep -P "$(tail -n1 "$_fixtures" | cut -d' ' -f2)" sleep >/dev/null && break; sleep 0.05; done
	run "$STACKTOOL" del "$path"
	assert_failure 1
	assert_output --regexp "^netsup-stack: $path: busy: process [0-9]+ holds it open \(-f removes it anyway\)$"
	assert_file_exists "$path"
	run "$STACKTOOL" del -f "$path"
	assert_success
}

@test "del: kill of a server, then del at once: del waits for it to go, not for one that stays" {
	run "$STACKTOOL" add "$path"
	assert_success
	# a server that takes 0.5 s to go once told to (as servers that flush
	# or drain do), its listener in the stack
	bg "$NETSUP" -d "$path" -- "$PY" -c 'import signal, socket, sys, time
def bye(*a):
    time.sleep(0.5)
    sys.exit(0)
signal.signal(signal.SIGTERM, bye)
s = socket.socket(); s.bind(("127.0.0.1", 7340)); s.listen()
print("up", flush=True)
time.sleep(60)'
	local i server
	server=$(tail -n1 "$_fixtures" | cut -d' ' -f2)
	for i in $(seq 100); do nsenter --net="$path" ss -Hltn | grep -q 7340 && break; sleep 0.05; done
	kill -TERM "$server"
	run "$STACKTOOL" del "$path"
	assert_success
	assert_file_not_exists "$path"

	# one that does not go: busy, after the grace of 2 s
	run "$STACKTOOL" add "$path"
	assert_success
	bg nsenter --net="$path" sleep 30
	sleep 0.2
	SECONDS=0
	run "$STACKTOOL" del "$path"
	assert_failure 1
	assert_output --regexp "^netsup-stack: $path: busy: process [0-9]+ lives in it"
	[ "$SECONDS" -ge 1 ]
	run "$STACKTOOL" del -f "$path"
	assert_success
}

@test "ps: a daemon whose parent has exited is still under netsup, and its supervisor says it still serves it" {
	run "$STACKTOOL" add "$path"
	assert_success
	# the shell, the command, exits at once; the server lives on
	run "$NETSUP" -d "$path" -- sh -c "$PY -c 'import socket, time
s = socket.socket(); s.bind((\"127.0.0.1\", 7332)); s.listen(); time.sleep(60)' >/dev/null 2>&1 &
echo \$!"
	assert_success
	local server=$output
	echo "pid $server" >> "$_fixtures"
	local i
	for i in $(seq 100); do nsenter --net="$path" ss -Hltn | grep -q 7332 && break; sleep 0.05; done
	run "$STACKTOOL" ps "$path"
	assert_success
	assert_line --regexp "^$server +root +python3 +sockets: inet 1; under netsup \(supervisor [0-9]+\)$"
	local sup
	sup=$(sed -n "s/^$server .*under netsup (supervisor \([0-9]*\))$/\1/p" <<< "$output")
	assert_line --regexp "^$sup +root +netsup-sup .*netsup supervisor of pid [0-9]+ \(gone; it still serves 1 process here\)$"
	run "$STACKTOOL" ps --json "$path"
	run "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
procs = {p["pid"]: p for p in d["processes"]}
assert procs[int(sys.argv[2])]["served_by"] == int(sys.argv[3]), procs
assert procs[int(sys.argv[3])]["supervisor"]["serves"] == 1, procs
print("ok")' "$output" "$server" "$sup"
	assert_output ok
}

@test "identify PID: the stacks a process uses, the reverse of ps, and its own namespace when no stack names it" {
	run "$STACKTOOL" add "$path"
	assert_success
	bg "$NETSUP" -d "$path" -- "$PY" -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 7333)); s.listen()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
time.sleep(60)'
	local i server=
	for i in $(seq 100); do
		server=$(pgrep -f "^$PY -c import socket, time") && nsenter --net="$path" ss -Hltn | grep -q 7333 && break
		sleep 0.05
	done
	[ -n "$server" ]
	local own
	own=$(stat -L -c %i "/proc/$server/ns/net")
	run "$STACKTOOL" identify "$server"
	assert_success
	assert_line --index 0 --regexp "^STACK +KIND +USES$"
	assert_line --regexp "^$path +netns +sockets: inet 1, inet6 1$"
	assert_line --regexp "^net:\[$own\] +netns +lives in it \(its own namespace, which no stack names\)$"
	run "$STACKTOOL" identify --json "$server"
	assert_success
	run "$PY" -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["pid"] == int(sys.argv[2]) and d["comm"] == "python3", d
by = {s["path"]: s for s in d["stacks"]}
assert by[sys.argv[3]]["sockets"]["inet"] == 1 and by[sys.argv[3]]["kind"] == "netns", by
assert by[None]["lives_in"] and by[None]["namespace"] == "net:[%s]" % sys.argv[4], by
print("ok")' "$output" "$server" "$path" "$own"
	assert_output ok
	run "$STACKTOOL" identify 0
	assert_failure 1
	assert_output "netsup-stack: 0: not a process ID"
	run "$STACKTOOL" identify
	assert_failure 2
	assert_output "netsup-stack: identify: which process? a PID is needed; see netsup-stack --help"
}
