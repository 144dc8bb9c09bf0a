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
	make -s -C "$TOP" B="$BUILD" DESTDIR="$root" PREFIX=/usr/local uninstall >/dev/null
	run find "$root" ! -type d
	assert_output ""
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
