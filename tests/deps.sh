#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh - install the Debian packages that the build, the tests, the demo
# and the benchmarks need.  Quick when all are present.
set -eu
pkgs="gcc make libc6-dev pkg-config libseccomp-dev libcap-dev
      bats bats-assert bats-support bats-file iproute2 procps util-linux
      socat python3 groff-base iperf3 cppcheck clang-tidy valgrind
      clang libclang-rt-14-dev passwd liburing-dev"
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
