#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pysuite.sh BUILD [MODULE...] - CPython's own tests as the judge
#
# Runs each MODULE of CPython's test suite (Debian's libpython3.11-testsuite,
# unmodified) three ways, side by side in one run:
#   ipnetns  ip netns exec NS, the reference
#   kernel   netsup -d NS (a kernel stack under netsup)
#   lwip     netsup -d inet=SF -d inet6=SF (netsup-lwip on a TAP into a peer
#            namespace, its loopback its own)
# and prints, per module, the three counts (ok, bad: failed or errored,
# skipped; "+hung": regrtest's timeout ended the module) and every
# test case whose result differs from ipnetns ("missing": it did not run,
# because the module hung before it).  The network resource is
# never enabled.  The AF_VSOCK cases are left out everywhere: on a VM with
# a vsock device and no peer they wait for ever, under ip netns exec too.
# Without MODULE: socket, asyncio, ssl, selectors, epoll, select, poll,
# httplib, httpservers, urllib2_localnet and wsgiref.  PYSUITE_TIMEOUT (120)
# is regrtest's per-module timeout; PYSUITE_MODES ("ipnetns kernel lwip").
# Exits 1 if a case differs.
set -u

build=$(cd "${1:-build}" && pwd)
shift
[ $# -gt 0 ] || set -- test_socket test_asyncio test_ssl test_selectors test_epoll \
	test_select test_poll test_httplib test_httpservers test_urllib2_localnet test_wsgiref
modes=${PYSUITE_MODES:-ipnetns kernel lwip}
timeout=${PYSUITE_TIMEOUT:-120}
py=/usr/bin/python3
N=nsuppy$$n
P=nsuppy$$p
tmp=$(mktemp -d)
lwpid=

cleanup() {
	[ -n "$lwpid" ] && kill "$lwpid" 2>/dev/null && wait "$lwpid" 2>/dev/null
	ip netns del "$N" 2>/dev/null
	ip netns del "$P" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -f /usr/lib/python3.11/test/test_socket.py ]; then
	echo "pysuite: CPython's tests are not installed (apt-get install libpython3.11-testsuite)" >&2
	exit 2
fi
ip netns add "$N" && ip -n "$N" link set lo up || exit 2
case " $modes " in *" lwip "*)
	ip netns add "$P"
	ip -n "$P" link set lo up
	ip -n "$P" tuntap add mode tap name lwtap
	ip -n "$P" addr add 10.219.0.1/24 dev lwtap
	ip -n "$P" addr add fd19::1/64 dev lwtap nodad
	ip -n "$P" link set lwtap up
	"$build/netsup-lwip" --link tap://lwtap --netns "/run/netns/$P" --ip 10.219.0.2/24 \
		--ip6 fd19::2/64 --gw 10.219.0.1 "$tmp/lwip.sock" 2>"$tmp/lwip.log" &
	lwpid=$!
	for _ in $(seq 200); do [ -S "$tmp/lwip.sock" ] && break; sleep 0.05; done
esac

# run MODE MODULE: regrtest -v output in $tmp/MODE.MODULE
run() {
	local how
	case $1 in
	ipnetns) how=(ip netns exec "$N") ;;
	kernel)  how=("$build/netsup" -d "$N" --) ;;
	lwip)    how=("$build/netsup" -d "inet=$tmp/lwip.sock" -d "inet6=$tmp/lwip.sock" --) ;;
	esac
	rm -f "$tmp/$1.$2.xml"
	(cd "$tmp" && timeout $((timeout + 60)) "${how[@]}" "$py" -m test --timeout "$timeout" \
		--junit-xml "$tmp/$1.$2.xml" -i '*VSOCK*' "$2") > "$tmp/$1.$2" 2>&1
}

# cases FILE: "name|result" per test case (ok, FAIL, ERROR, skipped), sorted,
# from regrtest's JUnit XML (a module that hung writes none: no cases)
cases() {
	[ -s "$1" ] || return 0
	"$py" -c '
import sys, xml.etree.ElementTree as ET
for c in ET.parse(sys.argv[1]).iter("testcase"):
    r = "ok"
    for tag, name in (("skipped", "skipped"), ("failure", "FAIL"), ("error", "ERROR")):
        if c.find(tag) is not None:
            r = name
    name = c.get("name", "?")
    if c.get("classname"):
        name = c.get("classname") + "." + name
    print("%s|%s" % (name, r))
' "$1" | sort -t'|' -k1,1 -u
}

differ=0
for m in "$@"; do
	line="$m:"
	for mode in $modes; do
		run "$mode" "$m"
		cases "$tmp/$mode.$m.xml" > "$tmp/$mode.$m.cases"
		ok=$(grep -c '|ok$' "$tmp/$mode.$m.cases")
		bad=$(grep -c '|FAIL$\||ERROR$' "$tmp/$mode.$m.cases")
		skip=$(grep -c '|skipped$' "$tmp/$mode.$m.cases")
		grep -q "^Timeout (" "$tmp/$mode.$m" && bad="$bad+hung"
		line="$line  $mode ok=$ok bad=$bad skip=$skip"
	done
	echo "$line"
	for mode in $modes; do
		[ "$mode" = ipnetns ] && continue
		case " $modes " in *" ipnetns "*) ;; *) continue ;; esac
		# the cases whose result is not the reference's (or that did not run)
		d=$(join -t'|' -a1 -e missing -o 0,1.2,2.2 "$tmp/ipnetns.$m.cases" "$tmp/$mode.$m.cases" |
			awk -F'|' '$2 != $3 { printf "    %s: %s (ipnetns: %s)\n", $1, $3, $2 }')
		if [ -n "$d" ]; then
			differ=1
			echo "  $mode differs from ipnetns:"
			echo "$d"
		fi
	done
done
exit $differ
