#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# make install and uninstall, bash completion, the static libmsocket.a,
# and the package groups of tests/deps.sh.

load helpers

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"

setup() { common_setup; }
teardown() { common_teardown; }

# complete WORD...: what the completion function of the command WORD
# offers for the last WORD (which may be ""), one per line; a "=" word
# stands where bash breaks a word at '=', as in "-d inet = NAME".  $compdir holds
# the completion files; bash-completion is loaded first, as bash does.
complete_words() {
	bash -c '
		source /usr/share/bash-completion/bash_completion
		compopt() { :; }	# works only inside a real completion
		source "$1/$2"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_LINE=${COMP_LINE// = /=}	# bash broke these words at "="
		COMP_POINT=${#COMP_LINE}
		func=$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/")
		"$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$compdir" "$@"
}

# help_options CMD: the options that CMD --help lists, one per line
help_options() {
	"$1" --help | grep -oE '(^|[ ,[|])--?[A-Za-z][-A-Za-z]*' | sed 's/^[ ,[|]*//' | sort -u
}

@test "make install: a program built with pkg-config msocket starts at once (ldconfig ran)" {
	# A private /usr/local, and /etc under an overlay, so that neither the
	# host's files nor its linker cache change.  The cache is rebuilt
	# first without any libmsocket in it.
	cat > "$BATS_TEST_TMPDIR/hello.c" <<-'EOF'
	#include <stdio.h>
	#include <sys/socket.h>
	#include <msocket.h>
	int main(void)
	{
		int fd = msocket(NULL, AF_INET, SOCK_DGRAM, 0);
		printf("%s\n", fd >= 0 ? "msocket works" : "msocket failed");
		return fd < 0;
	}
	EOF
	mkdir "$BATS_TEST_TMPDIR/ovl"
	run unshare -m sh -ec '
		t=$1 top=$2 build=$3 san=$4
		mount --make-rprivate /
		mount -t tmpfs tmpfs /usr/local
		mount -t tmpfs tmpfs "$t/ovl"
		mkdir "$t/ovl/upper" "$t/ovl/work"
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$t/ovl/upper,workdir=$t/ovl/work" /etc
		ldconfig
		make -s -C "$top" B="$build" PREFIX=/usr/local install >/dev/null
		cc -o "$t/hello" "$t/hello.c" $(pkg-config --cflags --libs msocket) ${san:+-fsanitize=address,undefined}
		"$t/hello"' _ "$BATS_TEST_TMPDIR" "$TOP" "$BUILD" "${NETSUP_SAN:-}" \
		< /dev/null
	assert_success
	assert_output "msocket works"
}

@test "make uninstall removes all that make install put in place" {
	local root="$BATS_TEST_TMPDIR/root"
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local install >/dev/null
	run find "$root" ! -type d
	assert_line "$root/usr/local/bin/netsup"
	assert_line "$root/usr/local/bin/netsup-stack"
	assert_line "$root/usr/local/lib/libmsocket.so.1"
	assert_line "$root/usr/local/share/bash-completion/completions/netsup"
	assert_line "$root/usr/local/share/bash-completion/completions/netsup-stack"
	assert_line "$root/usr/local/share/man/man8/netsup-stack.8"
	assert_line "$root/usr/local/bin/netsup-lwip"
	assert_line "$root/usr/local/share/man/man8/netsup-lwip.8"
	assert_line "$root/usr/local/share/man/man7/netsup-stack-protocol.7"
	assert_line "$root/usr/local/share/zsh/site-functions/_netsup"
	assert_line "$root/usr/local/share/zsh/site-functions/_netsup-stack"
	assert_line "$root/usr/local/lib/systemd/system/netsup-stack@.service"
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local uninstall >/dev/null
	run find "$root" ! -type d
	assert_output ""
}

@test "make install builds the products only: no test helper (uring_socket needs liburing)" {
	run make -n -C "$TOP" B="$BATS_TEST_TMPDIR/fresh" DESTDIR="$BATS_TEST_TMPDIR/root" install
	assert_success
	assert_output --partial "$BATS_TEST_TMPDIR/fresh/netsup "
	assert_output --partial "libmsocket.so"
	refute_output --partial "tests/progs"
	refute_output --partial "-luring"
	refute_output --partial "nsrelay"
}

@test "make without liburing (make deps' build group) builds the products and every test helper but uring_socket" {
	local hdr
	hdr=$(printf '#include <liburing.h>\n' | cc -E -x c - 2>/dev/null |
	      sed -n 's/^# [0-9]* "\(\/[^"]*liburing\.h\)".*/\1/p' | head -n1)
	[ -n "$hdr" ] || skip "no liburing.h to hide"
	# with liburing, as make check has it: uring_socket is built
	run make -n -C "$TOP" B="$BATS_TEST_TMPDIR/fresh"
	assert_success
	assert_output --partial "-luring"
	# liburing's header hidden, in a mount namespace of this test's own
	echo '#error liburing is not installed' > "$BATS_TEST_TMPDIR/liburing.h"
	run unshare -m sh -c "mount --bind '$BATS_TEST_TMPDIR/liburing.h' '$hdr' &&
		make -n -C '$TOP' B='$BATS_TEST_TMPDIR/fresh'"
	assert_success
	refute_output --partial "-luring"
	assert_output --partial "$BATS_TEST_TMPDIR/fresh/netsup "
	assert_output --partial "$BATS_TEST_TMPDIR/fresh/tests/sockns "
	assert_output --partial "$BATS_TEST_TMPDIR/fresh/tests/x32sock "
}

@test "make install: the shared library is 0644, programs 0755, the unit and zsh files 0644" {
	local root="$BATS_TEST_TMPDIR/root"
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr install >/dev/null
	assert_equal "$(stat -c %a "$root/usr/lib/libmsocket.so.1.0.0")" 644
	assert_equal "$(stat -c %a "$root/usr/bin/netsup")" 755
	assert_equal "$(stat -c %a "$root/usr/lib/systemd/system/netsup-stack@.service")" 644
	assert_equal "$(stat -c %a "$root/usr/share/zsh/site-functions/_netsup")" 644
}

@test "make install-strip: stripped programs and library that run, their debug info in debugdir/.build-id as Debian keeps it" {
	[ -z "${NETSUP_SAN:-}" ] || skip "the sanitizers' runtime is not stripped"
	local root="$BATS_TEST_TMPDIR/root" f id
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr install-strip >/dev/null
	for f in bin/netsup bin/netsup-stack bin/netsup-lwip lib/libmsocket.so.1.0.0; do
		run readelf -S "$root/usr/$f"
		refute_output --partial ".debug_info"
		refute_output --partial ".symtab"
		assert_output --partial ".gnu_debuglink"
		id=$(readelf -n "$root/usr/$f" | sed -n 's/^ *Build ID: //p')
		[ -n "$id" ] || fail "$f has no build id"
		# the same build id as the unstripped file: gdb finds one from the other
		run readelf -S "$root/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
		assert_output --partial ".debug_info"
	done
	run "$root/usr/bin/netsup" --version
	assert_success
	run nm -D --defined-only "$root/usr/lib/libmsocket.so.1.0.0"
	assert_output --partial " T msocket"
	# uninstall removes the debug files too
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr uninstall >/dev/null
	run find "$root" ! -type d
	assert_output ""
}

@test "make WERROR=0 compiles without -Werror; by default warnings are errors" {
	run make -n -C "$TOP" B="$BATS_TEST_TMPDIR/fresh" WERROR=0 "$BATS_TEST_TMPDIR/fresh/netsup" "$BATS_TEST_TMPDIR/fresh/netsup-lwip" "$BATS_TEST_TMPDIR/fresh/lib/libmsocket.so.1.0.0"
	assert_success
	assert_output --partial " -Wall -Wextra "
	refute_output --partial "-Werror"
	run make -n -C "$TOP" B="$BATS_TEST_TMPDIR/fresh" "$BATS_TEST_TMPDIR/fresh/netsup"
	assert_output --partial "-Werror"
}

@test "make knows each object's headers (-MMD): a header rebuilds the objects that include it, and no other" {
	local b
	[ -s "$BUILD/supervisor/launch.d" ]
	# the .d files name the objects as the build was asked for (B=build)
	b=$(sed -n '1s|/supervisor/launch\.o:.*||p' "$BUILD/supervisor/launch.d")
	run make -n -C "$TOP" B="$b" -W supervisor/proctitle.h "$b/netsup"
	assert_success
	assert_output --partial "-o $b/supervisor/proctitle.o"
	assert_output --partial "-o $b/supervisor/launch.o"
	refute_output --partial "-o $b/supervisor/options.o"
	refute_output --partial "-o $b/supervisor/filter.o"
}

@test "licences: COPYING (GPL-2.0) and COPYING.LGPL (LGPL-2.1) and NEWS ship; what libmsocket is built from is LGPL, every source file says its licence" {
	local f spdx
	grep -q "GNU GENERAL PUBLIC LICENSE" "$TOP/COPYING"
	grep -q "Version 2, June 1991" "$TOP/COPYING"
	grep -q "GNU LESSER GENERAL PUBLIC LICENSE" "$TOP/COPYING.LGPL"
	grep -q "Version 2.1, February 1999" "$TOP/COPYING.LGPL"
	grep -q "^netsup 0.1.0" "$TOP/NEWS"
	# every file the compiler read for libmsocket (its .d files), ours
	local deps
	deps=$(cat "$BUILD"/pic/shim/*.d "$BUILD"/pic/stacks/*.d "$BUILD"/pic/common/*.d | tr -s ' \\' '\n\n' |
		grep -E '\.[ch]:?$' | grep -v '^/' | sed -e 's/:$//' -e 's|^[a-z]*/\.\./||' | sort -u)
	[ -n "$deps" ]
	grep -qx "stacks/stack.c" <<< "$deps"
	for f in $deps; do
		spdx=$(head -1 "$TOP/$f" | grep -o 'SPDX-License-Identifier: [^ ]*')
		[ "$spdx" = "SPDX-License-Identifier: LGPL-2.1-or-later" ] ||
			fail "$f is linked into libmsocket (LGPL) but says: ${spdx:-no licence}"
	done
	for f in $(cd "$TOP" && git ls-files '*.c' '*.h' '*.bash' '*.bats' '*.sh' Makefile); do
		head -3 "$TOP/$f" | grep -q "SPDX-License-Identifier: L\?GPL-2" || fail "$f: no SPDX line"
	done
}

@test "bash completion: netsup offers every option of netsup --help, stacks after -d, the command's own after --" {
	local a root="$BATS_TEST_TMPDIR/root" opt
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local install >/dev/null
	compdir="$root/usr/local/share/bash-completion/completions"
	run complete_words netsup -
	assert_success
	local offered="$output"
	for opt in $(help_options "$NETSUP"); do
		grep -qx -- "$opt" <<< "$offered" || fail "netsup --help has $opt, the completion does not"
	done
	ns_new a
	run complete_words netsup -d ""
	assert_line "inet="
	assert_line "packet="
	assert_line "$a"
	# bash breaks "inet=NAME" at '=': the stack is completed after it
	run complete_words netsup -d inet = "${a:0:8}"
	assert_line "$a"
	run complete_words netsup --allow "${a:0:8}"
	assert_line "$a"
	run complete_words netsup -d "$a" -- soca
	assert_line "socat"
	# after the command, that command's own: here a nested netsup's, then ls's
	run complete_words netsup -d "$a" -- netsup -w ls --al
	assert_line "--all"
}

@test "bash completion: netsup-stack offers its commands, the options of --help, and stack names" {
	local a root="$BATS_TEST_TMPDIR/root" opt
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local install >/dev/null
	compdir="$root/usr/local/share/bash-completion/completions"
	run complete_words netsup-stack ""
	assert_output - <<-OUT
	add
	del
	list
	info
	ps
	identify
	OUT
	local offered
	offered=$(complete_words netsup-stack -; complete_words netsup-stack del -;
		  complete_words netsup-stack list -)
	for opt in $(help_options "$BUILD/netsup-stack"); do
		grep -qx -- "$opt" <<< "$offered" || fail "netsup-stack --help has $opt, the completion does not"
	done
	run complete_words netsup-stack ps -
	assert_output "--json"
	ns_new a
	run complete_words netsup-stack info "${a:0:8}"
	assert_line "$a"
	run complete_words netsup-stack del -f "${a:0:8}"
	assert_line "$a"
}

# sock_stack VAR: a UNIX socket /dev/net/NAME (a userspace stack's file as
# completion sees it), NAME in VAR; removed at teardown
sock_stack() {
	local name="nsup${BATS_ROOT_PID:-$$}t${BATS_TEST_NUMBER}s"
	$PY -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "/dev/net/$name"
	echo "dir /dev/net/$name" >> "$_fixtures"
	printf -v "$1" '%s' "$name"
}

# kernel_stack VAR: a namespace stack /dev/net/NAME made by netsup-stack add
kernel_stack() {
	local name="nsup${BATS_ROOT_PID:-$$}t${BATS_TEST_NUMBER}k"
	"$BUILD/netsup-stack" add "$name" >/dev/null
	echo "mount /dev/net/$name" >> "$_fixtures"
	printf -v "$1" '%s' "$name"
}

@test "bash completion: --publish takes its value, -d offers socket stacks too, --netns only namespaces by path" {
	local root="$BATS_TEST_TMPDIR/root" s k a
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local install >/dev/null
	compdir="$root/usr/local/share/bash-completion/completions"
	# the word after --publish is its value: the command comes next
	run complete_words netsup --user-net --publish 8080:80 soca
	assert_line "socat"
	run complete_words netsup --publish 8080:80 ""
	refute_output --partial "8080"
	sock_stack s
	kernel_stack k
	ns_new a
	run complete_words netsup -d ""
	assert_line "$s"
	assert_line "$k"
	assert_line "$a"
	run complete_words netsup -d inet = "${s:0:12}"
	assert_line "$s"
	# --netns of add --lwip: a network namespace's path, never a socket
	run complete_words netsup-stack add lw --lwip --netns ""
	assert_line "/dev/net/$k"
	assert_line "/run/netns/$a"
	refute_line --partial "$s"
	refute_line "$a"
}

# zsh_complete WORD...: what zsh's completion offers for the last WORD, with
# $compdir first on $fpath
zsh_complete() {
	timeout 30 "$TOP/tests/zsh/complete.zsh" "$compdir" "$@"
}

@test "zsh completion: installed; every option of --help, stacks after -d, --publish's value, netsup-stack's commands" {
	command -v zsh >/dev/null || skip "no zsh (tests/deps.sh check installs it)"
	local root="$BATS_TEST_TMPDIR/root" opt s k a offered
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local install >/dev/null
	compdir="$root/usr/local/share/zsh/site-functions"
	assert_file_exists "$compdir/_netsup"
	assert_file_exists "$compdir/_netsup-stack"
	run zsh -n "$compdir/_netsup"
	assert_success
	offered=$(zsh_complete netsup -; zsh_complete netsup --)
	for opt in $(help_options "$NETSUP"); do
		grep -qx -- "$opt" <<< "$offered" || fail "netsup --help has $opt, the zsh completion does not"
	done
	sock_stack s
	kernel_stack k
	ns_new a
	run zsh_complete netsup -d ""
	assert_line "inet"
	assert_line "$s"
	assert_line "$k"
	assert_line "$a"
	run zsh_complete netsup -d "inet=${a:0:12}"
	assert_line "$a"
	run zsh_complete netsup --user-net --publish 8080:80 soca
	assert_line "socat"
	run zsh_complete netsup -d "$a" -- ls --al
	assert_line "--all"

	run zsh_complete netsup-stack ""
	assert_output - <<-OUT
	add
	del
	identify
	info
	list
	ps
	OUT
	offered=$(zsh_complete netsup-stack -; zsh_complete netsup-stack add x --; zsh_complete netsup-stack add x -;
		  zsh_complete netsup-stack del -; zsh_complete netsup-stack list --)
	for opt in $(help_options "$BUILD/netsup-stack"); do
		grep -qx -- "$opt" <<< "$offered" || fail "netsup-stack --help has $opt, the zsh completion does not"
	done
	run zsh_complete netsup-stack del ""
	assert_line "$s"
	assert_line "$a"
	run zsh_complete netsup-stack add lw --lwip --netns ""
	assert_line "/dev/net/$k"
	assert_line "/run/netns/$a"
	refute_line --partial "$s"
}

@test "libmsocket.a exports msocket only: a static program with its own stack_open links and runs" {
	[ -z "${NETSUP_SAN:-}" ] || skip "a sanitized libmsocket.a cannot be linked statically"
	run sh -c "nm -g --defined-only '$BUILD/lib/libmsocket.a' | awk 'NF == 3 { print \$3 }'"
	assert_success
	assert_output "msocket"

	local a
	ns_new a
	cat > "$BATS_TEST_TMPDIR/static.c" <<-'EOF'
	#include <stdio.h>
	#include <sys/ioctl.h>
	#include <sys/socket.h>
	#include <sys/stat.h>
	#include <linux/sockios.h>
	#include <msocket.h>

	/* names libmsocket uses inside: a program may have its own */
	int stack_open(void) { return 42; }
	int stack_put(int x) { return x + 1; }
	int netns_from_fd(void) { return 7; }

	int main(int argc, char **argv)
	{
		struct stat st;
		int fd, ns;

		if (argc < 2)
			return 2;
		fd = msocket(argv[1], AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("msocket");
			return 1;
		}
		ns = ioctl(fd, SIOCGSKNS);
		if (ns < 0 || fstat(ns, &st))
			return 1;
		printf("netns=%lu own=%d,%d,%d\n", (unsigned long)st.st_ino,
		       stack_open(), stack_put(1), netns_from_fd());
		return 0;
	}
	EOF
	run cc -static -o "$BATS_TEST_TMPDIR/static" "$BATS_TEST_TMPDIR/static.c" \
		-I"$TOP/shim" "$BUILD/lib/libmsocket.a" -lpthread
	assert_success
	run "$BATS_TEST_TMPDIR/static" "/run/netns/$a"
	assert_success
	assert_output "netns=$(ns_ino "$a") own=42,2,7"
}

@test "tests/deps.sh: the demo group is small, every group is in the full set" {
	run "$TOP/tests/deps.sh" --list demo
	assert_success
	assert_line socat
	assert_line iproute2
	assert_line libseccomp-dev
	refute_line clang
	refute_line clang-tidy
	refute_line cppcheck
	refute_line valgrind
	refute_line iperf3
	local demo="$output" p
	run "$TOP/tests/deps.sh" --list
	assert_success
	for p in $demo; do
		assert_line "$p"
	done
	assert_line valgrind
	assert_line bash-completion
	run "$TOP/tests/deps.sh" --list nosuchgroup
	assert_failure 2
	assert_output --partial "deps: unknown group 'nosuchgroup'"
	# make demo asks for the demo group only, and builds no more than it runs
	run make -n -C "$TOP" B="$BUILD" demo
	assert_line "tests/deps.sh demo"
	refute_line --regexp "tests/deps.sh *$"
	refute_line --partial "uring"
}
