#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# soak.sh BUILD [SECONDS] - netsup under a steady mixed load for a while
#
# A netsup serves, for SECONDS (default 600), a loop of: threads making
# sockets, processes forking and exec'ing, msocket() and SOCK_DEFAULT
# (per-process entries made and forgotten), processes killed mid-call.
# The supervisor's memory (VmRSS) and descriptors are sampled ten times;
# the run fails if either grows past the first sample taken after the
# warm-up (RSS by more than 10% + 256 KiB, descriptors by more than 16:
# they follow the stacks that live processes hold).
set -eu
build=$(cd "$1" && pwd)
secs=${2:-600}
A=nsupsoak$$a
B=nsupsoak$$b
cleanup() {
	if [ -n "${p0:-}" ]; then kill "$p0" 2>/dev/null || true; fi
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$A"
ip netns add "$B"
stop=$(mktemp -u)

"$build/netsup" -d inet="$A" -- bash -c "
	while [ ! -e '$stop' ]; do
		'$build/tests/sockstorm' 4 200 inet /run/netns/$A >/dev/null
		'$build/tests/procstorm' 20 /run/netns/$A >/dev/null
		'$build/tests/msock' D:/run/netns/$B:inet S:inet M:/run/netns/$A:inet6 F D:/run/netns/$A:inet W S:inet >/dev/null
		'$build/tests/sockstorm' 2 1000000 inet - >/dev/null & k=\$!
		sleep 0.0\$((RANDOM % 10)); kill -KILL \$k; wait \$k 2>/dev/null
	done" &
p0=$!
sleep 1
sup=$(pgrep -P "$p0" -x netsup)

printf '%8s %12s %6s\n' seconds "VmRSS KiB" fds
step=$((secs / 10)); [ "$step" -ge 1 ] || step=1
first_rss= first_fds= fail=0
for i in $(seq 0 10); do
	[ "$i" -eq 0 ] || sleep "$step"
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$sup/status")
	fds=$(ls "/proc/$sup/fd" | wc -l)
	printf '%8d %12d %6d\n' $((i * step)) "$rss" "$fds"
	if [ "$i" -eq 1 ]; then first_rss=$rss first_fds=$fds; fi
	# descriptors come and go with the stacks of live processes: a
	# leak shows as growth well past the load's own swing
	if [ "$i" -gt 1 ] && { [ "$rss" -gt $((first_rss + first_rss / 10 + 256)) ] || [ "$fds" -gt $((first_fds + 16)) ]; }; then
		fail=1
	fi
done
touch "$stop"
wait "$p0" || true
rm -f "$stop"
if [ "$fail" -ne 0 ]; then
	echo "soak: the supervisor grew"
	exit 1
fi
echo "soak: flat over ${secs}s"
