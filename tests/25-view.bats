#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --view: what the command sees of its stack (/etc/netns/NAME, sysctl
# net.*, /sys/class/net, /proc/net) is what ip netns exec shows, and
# nothing of it reaches the host.

bats_require_minimum_version 1.5.0
load helpers

setup() { common_setup; }
teardown() { common_teardown; }

# etc_netns NS LINE: /etc/netns/NS/resolv.conf holding LINE, removed at teardown
etc_netns() {
	mkdir -p "/etc/netns/$1"
	echo "dir /etc/netns/$1" >> "$_fixtures"
	echo "$2" > "/etc/netns/$1/resolv.conf"
}

# view_mounts: the host's mounts where --view mounts (/sys, /proc/net,
# /proc/sys/net, /etc): the rest of the table changes with other tests
view_mounts() {
	awk '$5 == "/sys" || $5 == "/proc/net" || $5 ~ "^/proc/sys/net" || $5 ~ "^/etc/"' \
		/proc/self/mountinfo
}

# names of the interfaces in /proc/net/dev, one a line
dev_names() {
	sed -n 's/^ *\([^:]*\):.*/\1/p' | sort
}

@test "--view: /etc/netns/NAME/resolv.conf is the command's /etc/resolv.conf, as under ip netns exec" {
	local ns
	ns_new ns
	etc_netns "$ns" "nameserver 10.203.0.53"
	run ip netns exec "$ns" cat /etc/resolv.conf
	assert_output "nameserver 10.203.0.53"
	run "$NETSUP" --view -d "$ns" -- cat /etc/resolv.conf
	assert_success
	assert_output "nameserver 10.203.0.53"
	# the path as given: the last component is NAME
	run "$NETSUP" --view -d inet="/run/netns/$ns" -- cat /etc/resolv.conf
	assert_output "nameserver 10.203.0.53"
	# without --view: the host's file, and a warning that says so
	run --separate-stderr "$NETSUP" -d "$ns" -- cat /etc/resolv.conf
	assert_success
	assert_output "$(cat /etc/resolv.conf)"
	[[ $stderr == *"/etc/netns/$ns: the command sees the host's /etc"*"--view"* ]]
}

@test "--view: sysctl net.* reads and writes the stack's values" {
	local ns host
	ns_new ns
	host=$(sysctl -n net.ipv4.tcp_syn_retries)
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_syn_retries=$((host == 3 ? 4 : 3))
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	run "$NETSUP" --view -d "$ns" -- sysctl -n net.ipv4.tcp_syn_retries net.ipv4.ip_forward
	assert_success
	assert_output "$(ip netns exec "$ns" sysctl -n net.ipv4.tcp_syn_retries net.ipv4.ip_forward)"
	run "$NETSUP" -d "$ns" -- sysctl -n net.ipv4.tcp_syn_retries
	assert_output "$host"
	# per-interface entries are the stack's too: lo only
	run "$NETSUP" --view -d "$ns" -- ls /proc/sys/net/ipv4/conf
	assert_output "$(ip netns exec "$ns" ls /proc/sys/net/ipv4/conf)"
	# a write goes to the stack, not to the host
	run "$NETSUP" --view -d "$ns" -- sysctl -qw net.ipv4.tcp_syn_retries=5
	assert_success
	assert_equal "$(ip netns exec "$ns" sysctl -n net.ipv4.tcp_syn_retries)" 5
	assert_equal "$(sysctl -n net.ipv4.tcp_syn_retries)" "$host"
}

@test "--view: /sys/class/net, /proc/net/dev and ip -o link list the stack's interfaces" {
	local ns want
	ns_new ns
	ip -n "$ns" link add "vdum$$" type veth peer name "vdup$$"
	want=$(ip netns exec "$ns" ls /sys/class/net)
	[[ $want == *"vdum$$"* ]]
	run "$NETSUP" --view -d "$ns" -- ls /sys/class/net
	assert_success
	assert_output "$want"
	run "$NETSUP" -d "$ns" -- ls /sys/class/net
	assert_output "$(ls /sys/class/net)"
	# /proc/net/dev (ifconfig, netstat -i read it), in a child process too
	run "$NETSUP" --view -d "$ns" -- sh -c 'cat /proc/net/dev | cat'
	assert_success
	assert_equal "$(dev_names <<< "$output")" \
		"$(ip netns exec "$ns" cat /proc/net/dev | dev_names)"
	run "$NETSUP" -d "$ns" -- cat /proc/net/dev
	assert_equal "$(dev_names <<< "$output")" "$(dev_names < /proc/net/dev)"
	# netlink goes to the stack with or without --view
	run "$NETSUP" --view -d "$ns" -- ip -o link
	assert_success
	assert_equal "$(cut -d: -f2 <<< "$output")" \
		"$(ip netns exec "$ns" ip -o link | cut -d: -f2)"
}

@test "--view: an unprivileged process reads the stack's /proc/net and sysctls" {
	local ns
	ns_new ns
	ip -n "$ns" link add "vdum$$" type veth peer name "vdup$$"
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
	run "$NETSUP" --view -d "$ns" -- setpriv --reuid 65534 --regid 65534 --clear-groups \
		sh -c "grep -c vdum$$ /proc/net/dev; cat /proc/sys/net/ipv4/ip_forward"
	assert_success
	assert_output $'1\n1'
}

@test "--view: a daemon left behind still sees the stack's /proc/net" {
	local ns out="$BATS_TEST_TMPDIR/daemon"
	ns_new ns
	ip -n "$ns" link add "vdum$$" type veth peer name "vdup$$"
	run "$NETSUP" --view -d "$ns" -- sh -c \
		"(sleep 0.5; grep -c vdum$$ /proc/net/dev > $out.t; mv $out.t $out) >/dev/null 2>&1 &"
	assert_success
	wait_file "$out"
	assert_equal "$(cat "$out")" 1
}

@test "--view: the mounts below /sys stay (cgroup)" {
	local ns
	ns_new ns
	run "$NETSUP" --view -d "$ns" -- findmnt -rn -o TARGET -R /sys
	assert_success
	assert_equal "$(tail -n +2 <<< "$output")" "$(findmnt -rn -o TARGET -R /sys | tail -n +2)"
	run "$NETSUP" --view -d "$ns" -- findmnt -rn -o FSTYPE,SOURCE /sys
	assert_output "sysfs $ns"
}

@test "--view: nothing of the command's mounts reaches the host, during or after" {
	local ns before sys resolv mark="$BATS_TEST_TMPDIR/running"
	ns_new ns
	etc_netns "$ns" "nameserver 10.203.0.53"
	before=$(view_mounts)
	sys=$(ls /sys/class/net)
	resolv=$(cat /etc/resolv.conf)
	bg "$NETSUP" --view -d "$ns" -- sh -c "touch $mark; sleep 2"
	wait_file "$mark" || [ -e "$mark" ]
	# while the command runs, in its mount namespace
	assert_equal "$(view_mounts)" "$before"
	assert_equal "$(readlink /proc/net)" "self/net"
	assert_equal "$(cat /etc/resolv.conf)" "$resolv"
	assert_equal "$(ls /sys/class/net)" "$sys"
	wait
	assert_equal "$(view_mounts)" "$before"
}

@test "--view needs an inet or inet6 kernel stack, and a first netsup" {
	local ns mark="$BATS_TEST_TMPDIR/started"
	ns_new ns
	run "$NETSUP" --view -d netlink="$ns" -- touch "$mark"
	assert_equal "$status" 125
	assert_output "netsup: --view: no inet or inet6 stack to show (give one with -d)"
	run "$NETSUP" --view -- touch "$mark"
	assert_equal "$status" 125
	assert_file_not_exists "$mark"
	# inet6 alone is shown
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
	run "$NETSUP" --view -d inet6="$ns" -- sysctl -n net.ipv6.conf.all.forwarding
	assert_output 1
	# inside a session: refused
	run "$NETSUP" -d "$ns" -- "$NETSUP" --view -d "$ns" -- touch "$mark"
	assert_equal "$status" 125
	assert_output --partial "--view cannot be used inside a netsup session"
	assert_file_not_exists "$mark"
}
