#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh [--list] [GROUP]... - install the Debian packages that GROUPs need
#
#   build     compile netsup, netsup-stack, netsup-lwip and libmsocket
#   demo      build, and run make demo (ip, ss, socat, the slirp:// plugin)
#   check     build, and run the bats suites (make check; its fuzz
#             targets need clang)
#   lint      cppcheck and clang-tidy
#   bench     make bench (iperf3)
#   valgrind  make valgrind
#
# No GROUP: all of them.  --list prints the packages, one a line, and
# installs nothing.  Quick when all are present.
set -eu

group_pkgs() {
	case $1 in
	build)    echo "gcc make libc6-dev binutils pkg-config libseccomp-dev libcap-dev
	                liblwip-dev libvdeplug-dev" ;;
	demo)     echo "$(group_pkgs build) iproute2 socat libvdeplug-slirp" ;;
	check)    echo "$(group_pkgs build) bats bats-assert bats-support bats-file
	                iproute2 procps util-linux socat python3 groff-base man-db passwd
	                liburing-dev bash-completion zsh clang libclang-rt-14-dev
	                libvdeplug-slirp iperf3 curl busybox-static nginx-light
	                dnsmasq-base bind9-dnsutils libpython3.11-testsuite iputils-ping
	                openssh-server" ;;
	lint)     echo "cppcheck clang-tidy" ;;
	bench)    echo "$(group_pkgs build) iproute2 procps util-linux iperf3 python3 curl
	                libvdeplug-slirp slirp4netns passt" ;;
	valgrind) echo "$(group_pkgs build) valgrind" ;;
	*)        echo "deps: unknown group '$1' (build, demo, check, lint, bench, valgrind)" >&2
	          return 1 ;;
	esac
}

list=false
if [ "${1:-}" = --list ]; then
	list=true
	shift
fi
[ $# -gt 0 ] || set -- build demo check lint bench valgrind
pkgs=
for g in "$@"; do
	p=$(group_pkgs "$g") || exit 2
	pkgs="$pkgs $p"
done
# each once, in order (word splitting wanted: one package a word)
# shellcheck disable=SC2086
pkgs=$(printf '%s\n' $pkgs | awk '!seen[$0]++')
if $list; then
	# shellcheck disable=SC2086
	printf '%s\n' $pkgs
	exit 0
fi

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: run as root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
