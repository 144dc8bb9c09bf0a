#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# slirp4netns-run.sh CMD...: run CMD as a normal user would with slirp4netns,
# in a new user and network namespace (unshare -rn) whose network
# slirp4netns brings up (--configure) before CMD starts (--ready-fd):
# 10.0.2.2 is the host's loopback.  S4MTU sets slirp4netns's --mtu.
set -e
d=$(mktemp -d)
mkfifo "$d/ns" "$d/go" "$d/ready"
unshare -rn sh -c 'echo > "$0/ns"; read _ < "$0/go"; exec "$@"' "$d" "$@" &
c=$!
read _ < "$d/ns"	# the namespace exists
slirp4netns --configure ${S4MTU:+--mtu "$S4MTU"} --ready-fd=3 "$c" tap0 3>"$d/ready" >/dev/null 2>&1 &
s=$!
read _ < "$d/ready" || :	# "1", no newline: tap0 is up
echo > "$d/go"
rc=0
wait "$c" || rc=$?
kill "$s"
wait "$s" 2>/dev/null || :
rm -r "$d"
exit "$rc"
