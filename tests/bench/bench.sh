#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench.sh BUILD OUT.md - netsup side by side with native, one table
#
# Every figure is the median of BENCH_REPS runs (default 5) of BENCH_SECS
# seconds (default 1), with the spread (min-max) and the ratio to its
# baseline measured in the same run.  Namespaces are made here and removed
# on exit; all traffic stays in them or on their loopback.
#
# Userspace stacks: namespace H plays the host, with the servers; the
# user-mode networkers run in H and give a namespace of their own (C*)
# access to H's sockets, as they do for rootless containers: slirp4netns
# (10.0.2.2 is H's loopback), pasta (its gateway address is H's loopback;
# pasta copies its addresses from H's veth hv0, and runs as root with
# --runas 0 to join a namespace root made), and netsup-lwip on slirp://
# (lwIP's own libslirp, in H) with the client under netsup.  netsup-lwip
# on a TAP into H is a reference with no NAT on the path.
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
users=()

H=nsupbench$$h
tmp=$(mktemp -d)

cleanup() {
	local p n
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	for n in "$A" "$B" "$H" "${H}s1" "${H}s6" "${H}p1" "${H}p6"; do
		ip netns del "$n" 2>/dev/null || true
	done
	for n in "${users[@]}"; do userdel "$n" 2>/dev/null || true; done
	rm -rf "$tmp"
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
iperf_to() {	# iperf_to ADDR PORT LAUNCHER...: Gbit/s of a TCP stream to ADDR:PORT
	timeout $((isecs + 10)) "${@:3}" iperf3 -c "$1" -p "$2" -t "$isecs" -J 2>/dev/null |
		$py -c 'import json,sys; print("gbps=%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))' 2>/dev/null || true
}
iperf() { iperf_to 10.210.0.2 7503 "$@"; }	# iperf LAUNCHER...: A -> B

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
# the floor: the least a correct supervisor can do with the same kernel
# mechanism (ADDFD, close, SEND); ADDFD|SEND beside it, to show why not
floor_inet() { "$bb/floorsup" "/run/netns/$A" "$bb/sockbench" inet 1 "$secs"; }
floor_addfd_send() { "$bb/floorsup" --addfd-send "/run/netns/$A" "$bb/sockbench" inet 1 "$secs"; }
ab ns_per_op native_inet floor_inet
row "socket()+close() AF_INET, the floor: ADDFD, close, SEND (floorsup)" "ns/op" "lower is better" "native" "$bv" "$nv"
ab ns_per_op floor_inet floor_addfd_send
row "… the floor answering with ADDFD|SEND instead (incorrect: see request_reply)" "ns/op" "lower is better" "floor" "$bv" "$nv"
ab ns_per_op floor_inet netsup_inet
row "socket()+close() AF_INET, netsup against the floor" "ns/op" "lower is better" "floor" "$bv" "$nv" "1.15x"
floor_pinned() { taskset -c 0 "$bb/floorsup" "/run/netns/$A" "$bb/sockbench" inet 1 "$secs"; }
netsup_pinned() { taskset -c 0 "$netsup" -d inet="$A" -- "$bb/sockbench" inet 1 "$secs"; }
ab ns_per_op floor_pinned netsup_pinned
row "… the same, everything on one CPU" "ns/op" "lower is better" "floor" "$bv" "$nv" "1.15x"
ab ns_per_op native_inet netsup_cont
row "socket()+close() AF_INET, no default (CONTINUE)" "ns/op" "lower is better" "native" "$bv" "$nv"
# one CONTINUE round trip, as this row measures it: netsup's median - native's
cont_ns=$(awk -v a="$(stats $nv | cut -d' ' -f1)" -v b="$(stats $bv | cut -d' ' -f1)" 'BEGIN { printf "%.0f", a - b }')
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

# --- userspace stacks ----------------------------------------------------------------
lwip=$build/netsup-lwip
ip netns add "$H"
ip -n "$H" link set lo up
ip -n "$H" link add hv0 type veth peer name hv1	# pasta's template interface
ip -n "$H" addr add 10.213.0.1/24 dev hv0
ip -n "$H" link set hv0 up
ip -n "$H" link set hv1 up
ip -n "$H" route add default via 10.213.0.254
for m in 1500 9000; do	# the kernel end of lwIP's TAPs
	ip -n "$H" tuntap add mode tap name "nbt$m"
	ip -n "$H" link set "nbt$m" mtu "$m"
	ip -n "$H" addr add "10.212.${m:0:1}.1/24" dev "nbt$m"
	ip -n "$H" link set "nbt$m" up
done
serve "$H" iperf3 -s -p 7504
serve "$H" "$bb/pingpong" server 0.0.0.0 7505
serve "$H" "$bb/connbench" server 0.0.0.0 7506
# daemon CMD...: a user-mode networker for the whole run (in the foreground)
daemon() { "$@" >/dev/null 2>&1 & pids+=($!); }
for m in 1500 65520; do
	c=${H}s${m:0:1}; ip netns add "$c"
	daemon ip netns exec "$H" slirp4netns --configure --mtu "$m" --netns-type=path "/run/netns/$c" tap0
	c=${H}p${m:0:1}; ip netns add "$c"
	daemon ip netns exec "$H" pasta -f --runas 0 --config-net -m "$m" -T none -U none -t none -u none --netns "/run/netns/$c"
done
for m in 1500 9000; do
	daemon ip netns exec "$H" "$lwip" --link slirp:// --mtu "$m" --ip 10.0.2.15/24 --gw 10.0.2.2 "$tmp/slirp$m"
	daemon "$lwip" --link "tap://nbt$m" --netns "/run/netns/$H" --mtu "$m" --ip "10.212.${m:0:1}.2/24" "$tmp/tap$m"
done
for i in $(seq 100); do	# all of them ready
	ready=1
	for f in slirp1500 slirp9000 tap1500 tap9000; do [ -S "$tmp/$f" ] || ready=0; done
	for c in "${H}s1" "${H}s6"; do ip -n "$c" -4 addr show tap0 2>/dev/null | grep -q inet || ready=0; done
	for c in "${H}p1" "${H}p6"; do ip -n "$c" -4 addr show hv0 2>/dev/null | grep -q inet || ready=0; done
	[ "$ready" = 1 ] && break
	sleep 0.1
done
[ "$ready" = 1 ] || { echo "bench: the user-mode networkers did not come up" >&2; exit 1; }
sleep 0.3

s4_iperf() { iperf_to 10.0.2.2 7504 ip netns exec "${H}s$1"; }
pasta_iperf() { iperf_to 10.213.0.254 7504 ip netns exec "${H}p$1"; }
lwslirp_iperf() { iperf_to 10.0.2.2 7504 ip netns exec "$H" "$netsup" -d "$tmp/slirp$1" --; }
lwtap_iperf() { iperf_to "10.212.${1:0:1}.1" 7504 "$netsup" -d "$tmp/tap$1" --; }
s4_1() { s4_iperf 1; }; s4_6() { s4_iperf 6; }
pasta_1() { pasta_iperf 1; }; pasta_6() { pasta_iperf 6; }
lwslirp_1500() { lwslirp_iperf 1500; }; lwslirp_9000() { lwslirp_iperf 9000; }
lwtap_1500() { lwtap_iperf 1500; }; lwtap_9000() { lwtap_iperf 9000; }
ab gbps s4_1 lwslirp_1500
row "TCP bulk, MTU 1500: netsup + lwIP on slirp://" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv" "> 1x"
ab gbps s4_1 pasta_1
row "… pasta" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv"
ab gbps s4_1 lwtap_1500
row "… netsup + lwIP on a TAP (no NAT; reference)" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv"
ab gbps s4_6 lwslirp_9000
row "TCP bulk, MTU 65520 (lwIP: 9000, its most): netsup + lwIP on slirp://" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv" "> 1x"
ab gbps s4_6 pasta_6
row "… pasta" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv"
ab gbps s4_6 lwtap_9000
row "… netsup + lwIP on a TAP, MTU 9000 (reference)" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv"

s4_pp() { ip netns exec "${H}s1" "$bb/pingpong" client 10.0.2.2 7505 "$secs"; }
pasta_pp() { ip netns exec "${H}p1" "$bb/pingpong" client 10.213.0.254 7505 "$secs"; }
lwslirp_pp() { ip netns exec "$H" "$netsup" -d "$tmp/slirp1500" -- "$bb/pingpong" client 10.0.2.2 7505 "$secs"; }
lwtap_pp() { "$netsup" -d "$tmp/tap1500" -- "$bb/pingpong" client 10.212.1.1 7505 "$secs"; }
ab mean_us s4_pp lwslirp_pp
row "TCP request/response latency: netsup + lwIP on slirp://" "µs" "lower is better" "slirp4netns" "$bv" "$nv" "< 1x"
ab mean_us s4_pp pasta_pp
row "… pasta" "µs" "lower is better" "slirp4netns" "$bv" "$nv"
ab mean_us s4_pp lwtap_pp
row "… netsup + lwIP on a TAP (reference)" "µs" "lower is better" "slirp4netns" "$bv" "$nv"

# connect() alone: a kernel fd with and without userspace stacks in the
# session, and a userspace socket
native_cc() { nsenter --net=/run/netns/"$A" "$bb/connectcost" 127.0.0.1 7501 "$secs"; }
netsup_cc() { "$netsup" -d inet="$A" -- "$bb/connectcost" 127.0.0.1 7501 "$secs"; }
userspace_cc() { "$netsup" --userspace -d inet="$A" -- "$bb/connectcost" 127.0.0.1 7501 "$secs"; }
s4_cc() { ip netns exec "${H}s1" "$bb/connectcost" 10.0.2.2 7506 "$secs"; }
lwslirp_cc() { ip netns exec "$H" "$netsup" -d "$tmp/slirp1500" -- "$bb/connectcost" 10.0.2.2 7506 "$secs"; }
ab ns_per_connect native_cc netsup_cc
row "connect() of a kernel fd, session without userspace stacks" "ns" "lower is better" "native" "$bv" "$nv" "1.00x"
nosu=$(stats $nv | cut -d' ' -f1)
ab ns_per_connect netsup_cc userspace_cc
row "connect() of a kernel fd, userspace-enabled session (--userspace)" "ns" "lower is better" "no userspace" "$bv" "$nv"
read -r bm _ _ <<< "$(stats $bv)"
read -r nm _ _ <<< "$(stats $nv)"
cont_rows=("- connect() of a kernel fd in a userspace-enabled session costs $(awk -v a="$nm" -v b="$bm" 'BEGIN { printf "%.1f", (a - b) / 1000 }') µs more than without (medians $nm vs $bm ns, ${nosu} ns in the first row's run); one CONTINUE round trip, from the socket() rows above (no default minus native), is $(awk -v c="$cont_ns" 'BEGIN { printf "%.1f", c / 1000 }') µs: ratio $(awk -v a="$nm" -v b="$bm" -v c="$cont_ns" 'BEGIN { printf "%.2f", c ? (a - b) / c : 0 }') (target 1 round trip).")
printf '%s\n' "${cont_rows[@]}" >&2
ab ns_per_connect s4_cc lwslirp_cc
row "connect() of a userspace socket: netsup + lwIP on slirp://" "ns" "lower is better" "slirp4netns" "$bv" "$nv"

# threads blocked in accept() on lwIP: what they cost the supervisor while
# nothing happens (each is a deferred request; defer.c, ustack.c)
for n in 2000 8000; do
	v=
	for i in 1 2 3; do
		v="$v $("$netsup" -d "$tmp/tap1500" -- "$bb/blocked" 10.212.1.2 "$n" 5 | field cpu_pct)"
	done
	read -r m lo hi <<< "$(stats $v)"
	rows+=("| supervisor CPU, $n threads blocked in accept() on lwIP, nothing happening | — | $m ($lo–$hi) | % of a CPU | | lower is better, target < 2 |")
	printf '%-58s %12s %12s\n' "supervisor CPU, $n blocked accepts (%)" "-" "$m" >&2
done

# --- without root: --user-net, slirp4netns and pasta, as the same user ------------
# A normal user made here (removed on exit) runs each tool the way a user
# would, in H (whose loopback plays the host's): netsup --user-net;
# slirp4netns behind unshare -rn (slirp4netns-run.sh: the namespace made,
# slirp4netns started, its --ready-fd awaited, then the command); pasta
# --config-net (its gateway address is H's loopback).  /dev/net/tun is
# 0666 on a stock system (udev); where it is not, the user's processes get
# a 0666 node in a mount namespace of their own, nothing else changes.
U=nsupb$$u
useradd -M -s /bin/sh "$U"
users+=("$U")
chmod 755 "$tmp"
mkdir "$tmp/www"
head -c 100 /dev/urandom > "$tmp/www/small"
chmod -R a+rX "$tmp/www"
serve "$H" "$py" -m http.server 7507 --bind 127.0.0.1 --directory "$tmp/www"
cat > "$tmp/asuser" <<EOS
#!/bin/sh
if [ "\$(stat -c %a /dev/net/tun 2>/dev/null)" != 666 ]; then
	mount -t tmpfs -o mode=755 none /dev/net && mknod -m 666 /dev/net/tun c 10 200
fi
exec setpriv --reuid $U --regid $U --init-groups env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin HOME=/ "\$@"
EOS
chmod 755 "$tmp/asuser"
AS=(ip netns exec "$H" "$tmp/asuser")
s4run=$(cd "$(dirname "$0")" && pwd)/slirp4netns-run.sh
S4=("${AS[@]}" "$s4run")
S4BIG=("${AS[@]}" env S4MTU=65520 "$s4run")
PASTA=("${AS[@]}" pasta -q --config-net --)
UNET=("${AS[@]}" "$netsup" --user-net --)
sleep 0.3

un_s4_iperf() { iperf_to 10.0.2.2 7504 "${S4[@]}"; }
un_s4big_iperf() { iperf_to 10.0.2.2 7504 "${S4BIG[@]}"; }
un_pasta_iperf() { iperf_to 10.213.0.254 7504 "${PASTA[@]}"; }
un_netsup_iperf() { iperf_to 10.0.2.2 7504 "${UNET[@]}"; }
ab gbps un_s4_iperf un_netsup_iperf
row "As a user: TCP bulk to the host's loopback: netsup --user-net" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv" "> 1x"
ab gbps un_s4_iperf un_pasta_iperf
row "… pasta --config-net" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv"
ab gbps un_s4_iperf un_s4big_iperf
row "… slirp4netns --mtu 65520 (as podman runs it)" "Gbit/s" "higher is better" "slirp4netns" "$bv" "$nv"

un_s4_pp() { "${S4[@]}" "$bb/pingpong" client 10.0.2.2 7505 "$secs"; }
un_pasta_pp() { "${PASTA[@]}" "$bb/pingpong" client 10.213.0.254 7505 "$secs" 2>/dev/null; }
un_netsup_pp() { "${UNET[@]}" "$bb/pingpong" client 10.0.2.2 7505 "$secs"; }
ab mean_us un_s4_pp un_netsup_pp
row "As a user: TCP request/response latency to the host: netsup --user-net" "µs" "lower is better" "slirp4netns" "$bv" "$nv" "< 1x"
ab mean_us un_s4_pp un_pasta_pp
row "… pasta --config-net" "µs" "lower is better" "slirp4netns" "$bv" "$nv"

# --user-net against the same program run natively by the same user: the
# connections to the host are moved to the host's kernel at connect()
# (move.c), and NETSUP_USERNET_NO_MOVE=1 keeps the path without moving
# (lwIP and slirp all the way) as a row of its own
UNET_LW=("${AS[@]}" env NETSUP_USERNET_NO_MOVE=1 "$netsup" --user-net --)
un_native_iperf() { iperf_to 127.0.0.1 7504 "${AS[@]}"; }
un_lw_iperf() { iperf_to 10.0.2.2 7504 "${UNET_LW[@]}"; }
ab gbps un_native_iperf un_netsup_iperf
row "As a user: TCP bulk to the host's loopback: netsup --user-net (moved)" "Gbit/s" "higher is better" "native" "$bv" "$nv" ">= 0.8x"
ab gbps un_native_iperf un_lw_iperf
row "… netsup --user-net without moving (lwIP and slirp)" "Gbit/s" "higher is better" "native" "$bv" "$nv"
un_native_pp() { "${AS[@]}" "$bb/pingpong" client 127.0.0.1 7505 "$secs"; }
un_lw_pp() { "${UNET_LW[@]}" "$bb/pingpong" client 10.0.2.2 7505 "$secs"; }
ab mean_us un_native_pp un_netsup_pp
row "As a user: TCP request/response latency to the host: netsup --user-net (moved)" "µs" "lower is better" "native" "$bv" "$nv" "<= 1.2x"
ab mean_us un_native_pp un_lw_pp
row "… netsup --user-net without moving (lwIP and slirp)" "µs" "lower is better" "native" "$bv" "$nv"
un_native_conn() { "${AS[@]}" "$bb/connbench" client 127.0.0.1 7506 "$secs"; }
un_netsup_conn() { "${UNET[@]}" "$bb/connbench" client 10.0.2.2 7506 "$secs"; }
un_lw_conn() { "${UNET_LW[@]}" "$bb/connbench" client 10.0.2.2 7506 "$secs"; }
ab rate un_native_conn un_netsup_conn
row "As a user: TCP connect+close to the host: netsup --user-net (moved)" "conn/s" "higher is better" "native" "$bv" "$nv" ">= 0.5x"
ab rate un_native_conn un_lw_conn
row "… netsup --user-net without moving (lwIP and slirp)" "conn/s" "higher is better" "native" "$bv" "$nv"
# the floor of the mechanism: --user-net's TCP socket() is not notified,
# its connect() and setsockopt() are (every call a userspace stack
# forwards is); a supervisor that answers both with CONTINUE at once
un_floor_conn() { "${AS[@]}" "$bb/floorsup" --continue - "$bb/connbench" client 127.0.0.1 7506 "$secs"; }
ab rate un_native_conn un_floor_conn
row "… the floor: connect() and setsockopt() notified, answered CONTINUE at once (floorsup --continue)" "conn/s" "higher is better" "native" "$bv" "$nv"
ab rate un_floor_conn un_netsup_conn
row "… netsup --user-net against that floor" "conn/s" "higher is better" "floor" "$bv" "$nv" ">= 0.9x"

# From the host into a published port, as a user: the server runs under
# the tool (its port 7508 published as the host's HPORT), the client on
# the host's loopback; natively the server listens on the host's port.
# Each run starts its own server: iperf3 -s -1 serves one test, pingpong's
# is ended once its client is done.  netsup's TCP --publish is the
# command's own listener on the host (movepub.c); without moving, slirp's
# forwarding into lwIP; pasta's -t splices.
pub_server() {	# pub_server HPORT KIND LAUNCHER...: start the server, wait for it
	local hp=$1 kind=$2 in=7508 i
	shift 2
	[ "$1" = native ] && { in=$hp; shift; }
	if [ "$kind" = iperf ]; then
		"$@" timeout $((isecs + 10)) iperf3 -s -1 -p "$in" >/dev/null 2>&1 &
	else
		"$@" timeout $((isecs + 10)) "$bb/pingpong" server 0.0.0.0 "$in" >/dev/null 2>&1 &
	fi
	spid=$!
	# pasta listens on the host's port at once: the server's own start
	for i in $(seq 50); do
		ip netns exec "$H" ss -Hltn "sport = :$hp" | grep -q . && break
		sleep 0.05
	done
	sleep 0.3
}
pub_iperf() { pub_server "$@" && iperf_to 127.0.0.1 "$1" "${AS[@]}"; wait "$spid" 2>/dev/null || true; }
pub_pp() {
	pub_server "$@" && "${AS[@]}" "$bb/pingpong" client 127.0.0.1 "$1" "$secs"
	kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null || true
}
pub_native_iperf() { pub_iperf 7518 iperf native "${AS[@]}"; }
pub_netsup_iperf() { pub_iperf 7519 iperf "${AS[@]}" "$netsup" --user-net --publish 7519:7508 --; }
pub_lw_iperf() { pub_iperf 7520 iperf "${AS[@]}" env NETSUP_USERNET_NO_MOVE=1 "$netsup" --user-net --publish 7520:7508 --; }
pub_pasta_iperf() { pub_iperf 7521 iperf "${AS[@]}" pasta -q --config-net -t 7521:7508 --; }
ab gbps pub_native_iperf pub_netsup_iperf
row "As a user: TCP bulk from the host into a published port: netsup --user-net --publish" "Gbit/s" "higher is better" "native" "$bv" "$nv" ">= 0.8x"
ab gbps pub_native_iperf pub_lw_iperf
row "… netsup --user-net --publish without moving (slirp's forwarding, lwIP)" "Gbit/s" "higher is better" "native" "$bv" "$nv"
ab gbps pub_native_iperf pub_pasta_iperf
row "… pasta -t" "Gbit/s" "higher is better" "native" "$bv" "$nv"
pub_native_pp() { pub_pp 7522 pp native "${AS[@]}"; }
pub_netsup_pp() { pub_pp 7523 pp "${AS[@]}" "$netsup" --user-net --publish 7523:7508 --; }
pub_lw_pp() { pub_pp 7524 pp "${AS[@]}" env NETSUP_USERNET_NO_MOVE=1 "$netsup" --user-net --publish 7524:7508 --; }
pub_pasta_pp() { pub_pp 7525 pp "${AS[@]}" pasta -q --config-net -t 7525:7508 --; }
ab mean_us pub_native_pp pub_netsup_pp
row "As a user: TCP request/response latency from the host into a published port: netsup --user-net --publish" "µs" "lower is better" "native" "$bv" "$nv" "<= 1.2x"
ab mean_us pub_native_pp pub_lw_pp
row "… netsup --user-net --publish without moving (slirp's forwarding, lwIP)" "µs" "lower is better" "native" "$bv" "$nv"
ab mean_us pub_native_pp pub_pasta_pp
row "… pasta -t" "µs" "lower is better" "native" "$bv" "$nv"

# `TOOL -- curl` of 100 bytes, the whole command timed (walltime), the
# tool's set-up and tear-down included, the four in turn; a run that did
# not fetch the 100 bytes gives no figure
ttfb() {	# ttfb NAME CMD...: CMD timed as the user; appends to ms_NAME, first_NAME
	local n=$1 out
	shift
	out=$("${AS[@]}" "$bb/walltime" "$@" 2>/dev/null | grep 'bytes=100 ' || true)
	eval "ms_$n+=\" $(field ms <<< "$out")\"; first_$n+=\" $(field first_ms <<< "$out")\""
}
ms_s4= ms_un= ms_pa= ms_cu= first_s4= first_un= first_pa= first_cu=
for i in $(seq "${BENCH_TTFB_REPS:-21}"); do
	ttfb s4 "$s4run" curl -s http://10.0.2.2:7507/small
	ttfb un "$netsup" --user-net -- curl -s http://10.0.2.2:7507/small
	ttfb pa pasta -q --config-net -- curl -s http://10.213.0.254:7507/small
	ttfb cu curl -s http://127.0.0.1:7507/small
done
row "As a user: \`TOOL -- curl\` of 100 bytes from the host, wall time: netsup --user-net" "ms" "lower is better" "slirp4netns" "$ms_s4" "$ms_un" "< 1x"
row "… pasta --config-net" "ms" "lower is better" "slirp4netns" "$ms_s4" "$ms_pa"
row "… curl alone on the host's loopback, no tool (the floor)" "ms" "lower is better" "slirp4netns" "$ms_s4" "$ms_cu"
row "… to the first byte of curl's output: netsup --user-net" "ms" "lower is better" "slirp4netns" "$first_s4" "$first_un"
row "… to the first byte of curl's output: pasta --config-net" "ms" "lower is better" "slirp4netns" "$first_s4" "$first_pa"

# --- memory -----------------------------------------------------------------------
rss_rows=()
for n in 1 100 1000; do
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	"$netsup" -d inet="$A" -- "$bb/spawnmany" "$n" 5 > "$fifo" &
	p0=$!
	read -r _ < "$fifo"
	sup=$(pgrep -P "$p0" -x netsup-sup | head -n1)	# the supervisor names itself so
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
	printf '%s\n' "${cont_rows[@]}"
	echo
	echo "Userspace rows: slirp4netns $(slirp4netns --version | sed -n 's/^slirp4netns version //p') (libslirp $(slirp4netns --version | sed -n 's/^libslirp: //p')), passt/pasta $(dpkg-query -W -f '${Version}' passt 2>/dev/null || echo '?'), lwIP $(dpkg-query -W -f '${Version}' liblwip-dev 2>/dev/null || echo '?') (TCP_MSS $(sed -n 's/^#define TCP_MSS *//p' /usr/include/lwip/lwipopts.h), TCP_WND $(sed -n 's/^#define TCP_WND  *//p' /usr/include/lwip/lwipopts.h), TCP_SND_BUF = TCP_WND); each user-mode networker gives a namespace of its own access to the servers of a host namespace, with the MTU of the row; lwIP's MTU is at most 9000 (netsup-lwip --mtu)."
	echo
	echo "The \"As a user\" rows of netsup --user-net measure moved sockets: a connection to the host becomes a kernel socket of the host at connect() (netsup(1), MOVED SOCKETS), so bulk TCP and latency are the host's own; the rows \"without moving\" (NETSUP_USERNET_NO_MOVE=1) are lwIP and slirp all the way. A TCP --publish is the command's own listener on the host (the \"into a published port\" rows). What stays above native is per connection: TCP socket() is not notified (the kernel makes it in the command, where it waits), connect() and setsockopt() are, each a round trip to the supervisor; the floor row notifies just those two and answers CONTINUE at once, and netsup is measured against it. A seccomp filter cannot tell a kernel socket's setsockopt() from a daemon socket's, so both stay notified."
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
