#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netsup-stack@NAME.service: the unit make install puts in place passes
# systemd-analyze verify, and its command lines, run as systemd would run
# them (%I the instance, $NETSUP_STACK_OPTIONS from /etc/netsup/NAME.conf
# split into words), make and remove a kernel stack and an lwIP stack.
#
# Everything runs in a mount namespace of its own: /usr/local and
# /etc/netsup are tmpfs there, and the stacks' mounts go with it.

load helpers

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
UNIT=/usr/local/lib/systemd/system/netsup-stack@.service
UNIT_FILE=

setup() { common_setup; }
teardown() { common_teardown; }

# in_private SCRIPT: run the bash SCRIPT as root in a private mount
# namespace where make install has put netsup under /usr/local; $name is a
# unique stack name there, $PROGS the test helpers
in_private() {
	local name="nsup${BATS_ROOT_PID:-$$}t${BATS_TEST_NUMBER}"
	mkdir -p /etc/netsup 2>/dev/null || true
	cat > "$BATS_TEST_TMPDIR/script" <<-EOF2
	set -eu
	mount --make-rprivate /
	mount -t tmpfs tmpfs /usr/local
	mount -t tmpfs tmpfs /etc/netsup
	make -s -C '$TOP' B='$BUILD' PREFIX=/usr/local install >/dev/null
	name=$name
	PROGS='$PROGS'
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	$(declare -f unit_run)
	$1
	EOF2
	unshare -m bash "$BATS_TEST_TMPDIR/script" < /dev/null
}

# unit_run KEY NAME: run the KEY= lines of the unit ([Service]) as systemd
# does: %I and %i are NAME, a leading - (failure ignored) is honoured, the
# environment is that of /etc/netsup/NAME.conf, and $VAR alone is split into
# words (bash's own unquoted expansion does the same)
unit_run() {
	local key=$1 name=$2 line cmd ignore
	while IFS= read -r line; do
		cmd=${line#"$key"=}
		ignore=false
		[[ $cmd == -* ]] && { ignore=true; cmd=${cmd#-}; }
		cmd=${cmd//%I/$name}
		cmd=${cmd//%i/$name}
		# an unset variable is empty, as for systemd
		if ! (set +u -a; [ ! -e "/etc/netsup/$name.conf" ] || . "/etc/netsup/$name.conf"; set +a
		      eval "$cmd"); then
			$ignore || { echo "$key failed: $cmd" >&2; return 1; }
		fi
	done < <(sed -n '/^\[Service\]/,/^\[/p' "$UNIT_FILE" | grep "^$key=")
}

@test "systemd unit: installed where systemd looks, and systemd-analyze verify finds nothing wrong" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
	run in_private "
		test -f $UNIT
		cd ${UNIT%/*}
		systemd-analyze verify ./netsup-stack@.service
		cp netsup-stack@.service /usr/local/netsup-stack@\$name.service
		systemd-analyze verify /usr/local/netsup-stack@\$name.service"
	assert_success
	assert_output ""
}

@test "systemd unit: its command lines hold no variable but NETSUP_STACK_OPTIONS, and name the installed programs" {
	local root="$BATS_TEST_TMPDIR/root"
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr install >/dev/null
	run grep -E '^Exec' "$root/usr/lib/systemd/system/netsup-stack@.service"
	assert_success
	assert_line "ExecStart=/usr/bin/netsup-stack add %I \$NETSUP_STACK_OPTIONS"
	assert_line "ExecStop=/usr/bin/netsup-stack del -f %I"
	run sh -c "grep -E '^Exec' '$root/usr/lib/systemd/system/netsup-stack@.service' | grep -o '[\$][A-Za-z_{]*' | sort -u"
	assert_output '$NETSUP_STACK_OPTIONS'
	grep -q "^EnvironmentFile=-/etc/netsup/%I.conf$" "$root/usr/lib/systemd/system/netsup-stack@.service"
	grep -q "^WantedBy=multi-user.target$" "$root/usr/lib/systemd/system/netsup-stack@.service"
}

@test "systemd unit, run as written: a kernel stack without a config file, its NAME.up run, removed at stop" {
	run in_private "
		UNIT_FILE=$UNIT
		printf '#!/bin/sh\nexec netsup -d \"\$1\" -- ip addr add 10.99.0.1/32 dev lo\n' > /etc/netsup/\$name.up
		chmod 755 /etc/netsup/\$name.up
		unit_run ExecStart \$name
		unit_run ExecStartPost \$name
		netsup-stack info \$name | grep '^kind:'
		netsup -d \$name -- ip -o -4 addr show dev lo | grep -o '10.99.0.1/32'
		unit_run ExecStop \$name
		test ! -e /dev/net/\$name && echo removed"
	assert_success
	assert_line "kind: netns (kernel)"
	assert_line "10.99.0.1/32"
	assert_line "removed"
}

@test "systemd unit, run as written: an lwIP stack from NETSUP_STACK_OPTIONS in NAME.conf, its daemon stopped at stop" {
	run in_private "
		UNIT_FILE=$UNIT
		echo 'NETSUP_STACK_OPTIONS=\"--lwip --link slirp:// --ip 10.0.2.15/24 --gw 10.0.2.2\"' > /etc/netsup/\$name.conf
		unit_run ExecStart \$name
		unit_run ExecStartPost \$name
		test -S /dev/net/\$name
		netsup-stack info \$name | grep -E '^(kind|link):'
		pid=\$(netsup-stack info \$name | sed -n 's/^daemon: pid //p')
		netsup -d inet=\$name -- \$PROGS/sockns inet stream >/dev/null && echo served
		unit_run ExecStop \$name
		test ! -e /dev/net/\$name && echo removed
		state=\$(awk '{print \$3}' /proc/\$pid/stat 2>/dev/null || echo gone)
		[ \"\$state\" = gone ] || [ \"\$state\" = Z ] && echo stopped"
	assert_success
	assert_line --regexp "^kind: lwip"
	assert_line --regexp "^link: slirp://"
	assert_line "served"
	assert_line "removed"
	assert_line "stopped"
}
