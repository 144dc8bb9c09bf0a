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

# ab FIELD BASE_FN NETSUP_FN: run the two alternately, reps times each, so
# that a slow spell of the machine hits both; sets $bv and $nv
ab() {
	local f=$1 i
	bv= nv=
	for i in $(seq "$reps"); do
		bv="$bv $($2 | field "$f")"
		nv="$nv $($3 | field "$f")"
	done
}

# --- socket()+close() ---------------------------------------------------------
native_inet() { "$bb/sockbench" inet 1 "$secs"; }
netsup_inet() { "$netsup" -d inet="$A" -- "$bb/sockbench" inet 1 "$secs"; }
netsup_inet_nosync() { NETSUP_NO_SYNC_WAKEUP=1 netsup_inet; }
netsup_cont() { "$netsup" -- "$bb/sockbench" inet 1 "$secs"; }
netsup_cont_nosync() { NETSUP_NO_SYNC_WAKEUP=1 netsup_cont; }
native_nobody() { "${NOBODY[@]}" "$bb/sockbench" inet 1 "$secs"; }
netsup_nobody() { "$netsup" -d inet="$A" -- "${NOBODY[@]}" "$bb/sockbench" inet 1 "$secs"; }
native_unix() { "$bb/sockbench" unix 1 "$secs"; }
netsup_unix() { "$netsup" -d "$A" -- "$bb/sockbench" unix 1 "$secs"; }

ab ns_per_op native_inet netsup_inet
row "socket()+close() AF_INET, kernel stack" "ns/op" "lower is better" "native" "$bv" "$nv" "3x"
ab ns_per_op netsup_inet netsup_inet_nosync
row "… same, synchronous wake-up off" "ns/op" "lower is better" "sync on" "$bv" "$nv"
ab ns_per_op native_inet netsup_cont
row "socket()+close() AF_INET, no default (CONTINUE)" "ns/op" "lower is better" "native" "$bv" "$nv"
ab ns_per_op netsup_cont netsup_cont_nosync
row "… same, synchronous wake-up off" "ns/op" "lower is better" "sync on" "$bv" "$nv"
ab ns_per_op native_nobody netsup_nobody
row "socket()+close() AF_INET as nobody (credentials worn)" "ns/op" "lower is better" "native" "$bv" "$nv"
ab ns_per_op native_unix netsup_unix
row "socket()+close() AF_UNIX (never intercepted)" "ns/op" "lower is better" "native" "$bv" "$nv" "1.00x"

for t in 1 2 8 64; do
	native_t() { "$bb/sockbench" inet "$t" "$secs"; }
	netsup_t() { "$netsup" -d inet="$A" -- "$bb/sockbench" inet "$t" "$secs"; }
	ab rate native_t netsup_t
	row "socket()+close() AF_INET, $t threads at once" "sockets/s" "higher is better" "native" "$bv" "$nv"
done

# --- TCP ------------------------------------------------------------------------
native_conn() { nsenter --net=/run/netns/"$A" "$bb/connbench" client 127.0.0.1 7501 "$secs"; }
netsup_conn() { "$netsup" -d inet="$A" -- "$bb/connbench" client 127.0.0.1 7501 "$secs"; }
ab rate native_conn netsup_conn
row "TCP connect+accept+close" "conn/s" "higher is better" "native" "$bv" "$nv"

native_iperf() { iperf nsenter --net=/run/netns/"$A"; }
netsup_iperf() { iperf "$netsup" -d inet="$A" --; }
ipnetns_iperf() { iperf ip netns exec "$A"; }
ab gbps native_iperf netsup_iperf
row "TCP bulk throughput over veth (iperf3)" "Gbit/s" "higher is better" "native" "$bv" "$nv" "1.00x"
ab gbps native_iperf ipnetns_iperf
row "… ip netns exec, for comparison" "Gbit/s" "higher is better" "native" "$bv" "$nv"

native_pp() { nsenter --net=/run/netns/"$A" "$bb/pingpong" client 10.210.0.2 7502 "$secs"; }
netsup_pp() { "$netsup" -d inet="$A" -- "$bb/pingpong" client 10.210.0.2 7502 "$secs"; }
ipnetns_pp() { ip netns exec "$A" "$bb/pingpong" client 10.210.0.2 7502 "$secs"; }
ab mean_us native_pp netsup_pp
row "TCP request/response latency over veth" "µs" "lower is better" "native" "$bv" "$nv" "1.00x"
ab mean_us native_pp ipnetns_pp
row "… ip netns exec, for comparison" "µs" "lower is better" "native" "$bv" "$nv"

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
	echo "- method: median of $reps runs of ${secs} s, baseline and netsup alternating, (min–max) in brackets; ratio = netsup / baseline"
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
