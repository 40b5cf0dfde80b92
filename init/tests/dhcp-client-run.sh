#!/bin/sh
# init/tests/dhcp-client-run.sh — init/dhcp_client.c and init/netif.c (dhcp-client-cli, ASan/UBSan) in
# a network namespace of their own, on one end of a veth pair: busybox udhcpd serving on the other end
# (a lease: its address, mask, router, DNS, MTU, root path; applied with netif.c and read back with
# ip(8)); no server (gives up within its bound, saying so); a server that refuses every REQUEST and
# sends noise before each OFFER (dhcp-nak-server.py). Prints TAP; skips when not root or without
# ip/busybox. Nothing leaves the namespace.
#   --cross ARCH:EMULATOR  the same with $BUILD/ARCH/tests/dhcp-client-cli (init/cross-tests.mk, static
#                          musl, no sanitizers) under qemu-user's EMULATOR: the packets' byte order and
#                          the netlink calls on a big-endian or 32-bit machine, against the same udhcpd.
# shellcheck disable=SC2015 # "check && tap_ok || tap_fail": tap_ok only prints, it cannot fail
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
B=${BUILD:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
CLI=$B/tests/dhcp-client-cli
emu=
if [ "${1:-}" = --cross ] && [ $# = 2 ]; then
	CLI=$B/${2%%:*}/tests/dhcp-client-cli emu=${2#*:}
	if ! command -v "$emu" >/dev/null 2>&1; then
		tap_skip "DHCP exchanges under $emu" "$emu is not installed (Debian package qemu-user)"
		tap_done
		exit 0
	fi
elif [ $# != 0 ]; then
	echo "usage: $0 [--cross ARCH:EMULATOR]" >&2
	exit 2
fi

[ -x "$CLI" ] || { tap_fail "prerequisite $CLI exists" "build it first (make $CLI)"; tap_done; exit 1; }
if [ "$(id -u)" != 0 ]; then
	tap_skip "DHCP exchanges in a network namespace" "needs root (ip netns, veth)"
	tap_done
	exit 0
fi
for t in ip busybox; do
	command -v $t >/dev/null || { tap_skip "DHCP exchanges in a network namespace" "$t not installed"; tap_done; exit 0; }
done

ns=earlyroot-dhcp-$$
work=$(mktemp -d /tmp/earlyroot-dhcp.XXXXXX)
# the servers this script started are the namespace's only processes: ended by their ids
cleanup() {
	for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p"; done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
in_ns() { ip netns exec "$ns" "$@"; }
ip netns add "$ns" || { tap_fail "a network namespace" "ip netns add failed"; tap_done; exit 1; }
in_ns ip link set lo up
in_ns ip link add ve0 type veth peer name ve1
in_ns ip addr add 10.77.0.1/24 dev ve0
in_ns ip link set ve0 up

# value KEY FILE
value() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# 1. busybox udhcpd
cat >"$work/udhcpd.conf" <<CONF
start 10.77.0.100
end 10.77.0.150
interface ve0
lease_file $work/leases
pidfile $work/udhcpd.pid
option subnet 255.255.255.0
option router 10.77.0.1
option dns 10.77.0.1 10.77.0.2
option domain example.test
option lease 3600
option mtu 1400
option rootpath 10.77.0.1:/srv/nfsroot
CONF
: >"$work/leases"
ip netns exec "$ns" busybox udhcpd -f "$work/udhcpd.conf" >"$work/udhcpd.log" 2>&1 &
srv=$!
sleep 0.3
in_ns ${emu:+"$emu"} "$CLI" ve1 15 apply >"$work/lease" 2>"$work/lease.err"
rc=$?
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
out=$(cat "$work/lease" "$work/lease.err")
list=$(value list "$work/lease")
[ "$list" = ve0,ve1 ] && tap_ok "netif_list: the two veth ends, by name ($list)" || tap_fail "netif_list: ve0,ve1" "$out"
[ "$(value carrier_before "$work/lease")" = -1 ] && [ "$(value carrier "$work/lease")" = 1 ] &&
	tap_ok "netif_carrier: -1 while down, 1 once up" || tap_fail "netif_carrier: -1 then 1" "$out"
addr=$(value yiaddr "$work/lease")
case $rc.$addr in
0.10.77.0.1[0-4][0-9] | 0.10.77.0.150) tap_ok "udhcpd's lease: $addr in $(value ms "$work/lease") ms" ;;
*) tap_fail "udhcpd's lease" "$out" ;;
esac
[ "$(value mask "$work/lease")/$(value router "$work/lease")/$(value dns "$work/lease")" = 255.255.255.0/10.77.0.1/10.77.0.1,10.77.0.2 ] &&
	tap_ok "its mask, router and DNS servers" || tap_fail "its mask, router and DNS servers" "$out"
[ "$(value lease "$work/lease")/$(value mtu "$work/lease")/$(value domain "$work/lease")/$(value root_path "$work/lease")" = 3600/1400/example.test/10.77.0.1:/srv/nfsroot ] &&
	tap_ok "its lease time, MTU, domain and root path" || tap_fail "its lease time, MTU, domain and root path" "$out"
in_ns ip -4 addr show dev ve1 | grep -q "inet $addr/24 brd 10.77.0.255 " &&
	tap_ok "netif_add_address: $addr/24 on ve1, broadcast 10.77.0.255" || tap_fail "netif_add_address" "$out" "$(in_ns ip addr show dev ve1)"
in_ns ip link show dev ve1 | grep -q "mtu 1400 " && tap_ok "netif_set_mtu: 1400" || tap_fail "netif_set_mtu: 1400" "$(in_ns ip link show dev ve1)"
in_ns ip -4 route show default | grep -q "^default via 10.77.0.1 dev ve1 " &&
	tap_ok "netif_add_default_route: via 10.77.0.1" || tap_fail "netif_add_default_route" "$out" "$(in_ns ip route)"
[ "$(value address_again "$work/lease")" = ok ] && tap_ok "the same address again: replaced, no error" ||
	tap_fail "the same address again" "$out"
# ENETUNREACH's text: glibc's (the host build), or musl's (the init, and the cross builds)
case $(value route_offlink "$work/lease") in
"Network is unreachable" | "Network unreachable") tap_ok "a gateway on no subnet of the interface: ENETUNREACH" ;;
*) tap_fail "an off-link gateway refused" "$out" ;;
esac

# 2. nobody answers: 4 s, then the message
in_ns ip addr flush dev ve1
in_ns ${emu:+"$emu"} "$CLI" ve1 4 >"$work/none" 2>"$work/none.err"
rc=$?
out=$(cat "$work/none" "$work/none.err")
ms=$(value ms "$work/none")
why=$(value why "$work/none")
[ "$rc" = 2 ] && [ "${ms:-0}" -ge 4000 ] && [ "${ms:-0}" -lt 4500 ] && tap_ok "no server: gives up after $ms ms (deadline 4 s)" ||
	tap_fail "no server: gives up at the deadline" "$out"
case $why in
"no DHCP server answered on ve1 in 4 s ("[0-9]" DISCOVERs sent)") tap_ok "and says so: $why" ;;
*) tap_fail "no server: the message" "$out" ;;
esac
grep -q '^earlyroot: ve1: no DHCP answer yet (attempt 2, 1 s)$' "$work/none.err" &&
	grep -q '^earlyroot: ve1: no DHCP answer yet (attempt 3, 3 s)$' "$work/none.err" &&
	tap_ok "one line per retransmission after the first second (1 s, then 2 s later)" ||
	tap_fail "the retransmission lines" "$out"

# 3. a server that refuses (and sends noise first)
if command -v python3 >/dev/null; then
	ip netns exec "$ns" python3 "$top/init/tests/dhcp-nak-server.py" ve0 6 >"$work/nak.srv" 2>&1 &
	srv=$!
	sleep 0.5
	in_ns ${emu:+"$emu"} "$CLI" ve1 4 >"$work/nak" 2>"$work/nak.err"
	rc=$?
	wait "$srv"
	out=$(cat "$work/nak" "$work/nak.err" "$work/nak.srv")
	why=$(value why "$work/nak")
	case $rc.$why in
	"2.no DHCP lease on ve1 in 4 s: the server refused "*" times (DHCPNAK; "*" DISCOVERs sent)")
		tap_ok "a server that NAKs: never a lease, starts over each time, says so: $why" ;;
	*) tap_fail "a server that NAKs" "$out" ;;
	esac
	grep -q '^earlyroot: ve1: 10.77.0.1 refused 10.77.0.200 (DHCPNAK), asking again$' "$work/nak.err" &&
		[ "$(grep -c '^NAK' "$work/nak.srv")" -ge 2 ] && [ "$(grep -c '^NAK' "$work/nak.srv")" -le 9 ] &&
		tap_ok "each NAK logged, at most one every 0.5 s ($(grep -c '^NAK' "$work/nak.srv") in 4 s)" ||
		tap_fail "the NAK lines" "$out"
else
	tap_skip "a server that NAKs" "python3 not installed"
fi
tap_done
