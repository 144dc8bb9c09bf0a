#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench.sh BUILD OUT.md - netsup side by side with native, one table
#
# Every figure is the median of BENCH_REPS runs (default 5) of BENCH_SECS
# seconds (default 1), with the spread (min-max) and the ratio to its
# baseline measured in the same run.  Namespaces are made here and removed
# on exit; all traffic stays in them or on their loopback.
set -eu

build=$(cd "${1:-build}" && pwd)
out=${2:-BENCH.md}
reps=${BENCH_REPS:-5}
secs=${BENCH_SECS:-1}
netsup=$build/netsup
bb=$build/bench
py=/usr/bin/python3
A=nsupbench$$a
B=nsupbench$$b
NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)
pids=()
rows=()

cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$A"
ip netns add "$B"
ip -n "$A" link set lo up
ip -n "$B" link set lo up
ip link add "nb$$a" netns "$A" type veth peer name "nb$$b" netns "$B"
ip -n "$A" addr add 10.210.0.1/24 dev "nb$$a"
ip -n "$B" addr add 10.210.0.2/24 dev "nb$$b"
ip -n "$A" link set "nb$$a" up
ip -n "$B" link set "nb$$b" up

serve() {	# serve NS CMD...: a server in NS for the whole run
	ip netns exec "$1" "${@:2}" >/dev/null 2>&1 &
	pids+=($!)
}
serve "$A" "$bb/connbench" server 127.0.0.1 7501
serve "$B" "$bb/pingpong" server 10.210.0.2 7502
serve "$B" iperf3 -s -B 10.210.0.2 -p 7503
sleep 0.5

# field NAME: the value of NAME=... in the last command's output line
field() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" | tail -n1; }

# measure FIELD CMD...: run CMD reps times, print the values of FIELD
measure() {
	local f=$1 i
	shift
	for i in $(seq "$reps"); do "$@" | field "$f"; done
}

isecs=$(awk -v s="$secs" 'BEGIN { t = int(s + 0.999); print t < 1 ? 1 : t }')
iperf() {	# iperf LAUNCHER...: Gbit/s of a TCP stream A -> B (whole seconds)
	timeout $((isecs + 10)) "$@" iperf3 -c 10.210.0.2 -p 7503 -t "$isecs" -J 2>/dev/null |
		$py -c 'import json,sys; print("gbps=%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))'
}

# stats VALUES...: "median min max"
stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%g %g %g\n", m, v[1], v[NR]}'; }

# row NAME UNIT BETTER BASELINE_NAME "BASE VALUES" "NETSUP VALUES" [TARGET]
row() {
	local name=$1 unit=$2 better=$3 bname=$4 b n bm nm ratio
	read -r bm b1 b2 <<< "$(stats $5)"
	read -r nm n1 n2 <<< "$(stats $6)"
	ratio=$(awk -v a="$nm" -v b="$bm" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
	rows+=("| $name | $bname: $bm ($b1–$b2) | $nm ($n1–$n2) | ${unit} | **${ratio}x** | $better${7:+, target $7} |")
	printf '%-58s %12s %12s %8sx\n' "$name" "$bm" "$nm" "$ratio" >&2
}

echo "running: $reps runs of ${secs}s each (BENCH_REPS, BENCH_SECS)" >&2

# --- socket()+close() ---------------------------------------------------------
base=$(measure ns_per_op "$bb/sockbench" inet 1 "$secs")
ns=$(measure ns_per_op "$netsup" -d inet="$A" -- "$bb/sockbench" inet 1 "$secs")
row "socket()+close() AF_INET, kernel stack" "ns/op" "lower is better" "native" "$base" "$ns" "3x"
nosync=$(NETSUP_NO_SYNC_WAKEUP=1 measure ns_per_op "$netsup" -d inet="$A" -- "$bb/sockbench" inet 1 "$secs")
row "… same, synchronous wake-up off" "ns/op" "lower is better" "sync on" "$ns" "$nosync"
cont=$(measure ns_per_op "$netsup" -- "$bb/sockbench" inet 1 "$secs")
row "socket()+close() AF_INET, no default (CONTINUE)" "ns/op" "lower is better" "native" "$base" "$cont"
cnosync=$(NETSUP_NO_SYNC_WAKEUP=1 measure ns_per_op "$netsup" -- "$bb/sockbench" inet 1 "$secs")
row "… same, synchronous wake-up off" "ns/op" "lower is better" "sync on" "$cont" "$cnosync"
nbase=$(measure ns_per_op "${NOBODY[@]}" "$bb/sockbench" inet 1 "$secs")
nns=$(measure ns_per_op "$netsup" -d inet="$A" -- "${NOBODY[@]}" "$bb/sockbench" inet 1 "$secs")
row "socket()+close() AF_INET as nobody (credentials worn)" "ns/op" "lower is better" "native" "$nbase" "$nns"
ubase=$(measure ns_per_op "$bb/sockbench" unix 1 "$secs")
uns=$(measure ns_per_op "$netsup" -d "$A" -- "$bb/sockbench" unix 1 "$secs")
row "socket()+close() AF_UNIX (never intercepted)" "ns/op" "lower is better" "native" "$ubase" "$uns" "1.00x"

for t in 1 2 8 64; do
	tb=$(measure rate "$bb/sockbench" inet "$t" "$secs")
	tn=$(measure rate "$netsup" -d inet="$A" -- "$bb/sockbench" inet "$t" "$secs")
	row "socket()+close() AF_INET, $t threads at once" "sockets/s" "higher is better" "native" "$tb" "$tn"
done

# --- TCP ------------------------------------------------------------------------
cb=$(measure rate nsenter --net=/run/netns/"$A" "$bb/connbench" client 127.0.0.1 7501 "$secs")
cn=$(measure rate "$netsup" -d inet="$A" -- "$bb/connbench" client 127.0.0.1 7501 "$secs")
row "TCP connect+accept+close" "conn/s" "higher is better" "native" "$cb" "$cn"

ib=$(measure gbps iperf nsenter --net=/run/netns/"$A")
in=$(measure gbps iperf "$netsup" -d inet="$A" --)
ie=$(measure gbps iperf ip netns exec "$A")
row "TCP bulk throughput over veth (iperf3)" "Gbit/s" "higher is better" "native" "$ib" "$in" "1.00x"
row "… ip netns exec, for comparison" "Gbit/s" "higher is better" "native" "$ib" "$ie"

lb=$(measure mean_us nsenter --net=/run/netns/"$A" "$bb/pingpong" client 10.210.0.2 7502 "$secs")
ln=$(measure mean_us "$netsup" -d inet="$A" -- "$bb/pingpong" client 10.210.0.2 7502 "$secs")
le=$(measure mean_us ip netns exec "$A" "$bb/pingpong" client 10.210.0.2 7502 "$secs")
row "TCP request/response latency over veth" "µs" "lower is better" "native" "$lb" "$ln" "1.00x"
row "… ip netns exec, for comparison" "µs" "lower is better" "native" "$lb" "$le"

# --- memory -----------------------------------------------------------------------
rss_rows=()
for n in 1 100 1000; do
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	"$netsup" -d inet="$A" -- "$bb/spawnmany" "$n" 5 > "$fifo" &
	p0=$!
	read -r _ < "$fifo"
	sup=$(pgrep -P "$p0" -x netsup | head -n1)
	kb=$(awk '/^VmRSS/ {print $2}' "/proc/$sup/status")
	kb0=$(awk '/^VmRSS/ {print $2}' "/proc/$p0/status")
	rss_rows+=("| $n | $kb KiB | $kb0 KiB |")
	printf 'RSS with %5d processes: supervisor %s KiB, netsup %s KiB\n' "$n" "$kb" "$kb0" >&2
	wait "$p0" || true
	rm -f "$fifo"
done

{
	echo "# netsup benchmarks"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
	echo "- kernel: $(uname -r)"
	echo "- netsup: $("$netsup" --version)"
	echo "- method: median of $reps runs of ${secs} s, (min–max) in brackets; ratio = netsup / baseline, same run"
	echo
	echo "| benchmark | baseline | netsup | unit | ratio | |"
	echo "|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Userspace stacks (netsup-lwip vs slirp4netns and pasta): not measured, netsup-lwip does not exist yet."
	echo
	echo "Memory (VmRSS) with N supervised processes alive, each holding a socket:"
	echo
	echo "| processes | supervisor | waiting netsup |"
	echo "|---|---|---|"
	printf '%s\n' "${rss_rows[@]}"
	echo
	echo "Reproduce: \`make bench\` (as root; BENCH_REPS and BENCH_SECS change the runs)."
} > "$out"
cat "$out"
