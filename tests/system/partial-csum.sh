#!/bin/sh
# Frames from a local stack whose veth has tx checksum offload carry only
# the pseudo-header sum (CHECKSUM_PARTIAL): the fast path completes the
# sum as the device would have, and the data arrives intact.  TCP and UDP
# between two namespaces through the agent, every byte checked at the
# receiver, with the fast path's counters showing that the segments took
# the XDP path rather than the kernel's.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

check="$OVS_XDP_SRC/tests/tools/stream-check.py"
UDP_N=2000
TCP_BYTES=8000000

ovs_bridge_with_namespaces 1 2
ns_xdp_ready ns1 ns2
for ns in ns1 ns2; do
	ip netns exec $ns ethtool -k eth0 | grep -q "^tx-checksumming: on" ||
		vm_die "$ns: tx checksum offload is off; the test needs it on"
done
agent_start
# The megaflows NORMAL installs for the pair cover every IPv4 frame.
ns_ping ns1 10.0.0.2 3
vm_wait_for "the IPv4 flows offloaded" 20 sh -c \
	"[ \$(\"$xdpctl\" dump-flows type=offloaded | grep -c 'eth_type(0x0800)') -ge 2 ]"
"$xdpctl" dump-flows
redirect0=$(agent_counter redirect)
csum0=$(agent_counter pass_csum)

# transfer PROTO PORT COUNT: ns1 sends, ns2 receives and checks every byte.
transfer() {
	vm_log "$1: $3 (datagrams or bytes), ns1 -> ns2"
	ip netns exec ns2 timeout 90 python3 "$check" recv "$1" "$2" "$3" \
		>"$VM_OUT/$1.json" 2>&1 &
	rx=$!
	sleep 1
	ns_exec ns1 python3 "$check" send "$1" 10.0.0.2 "$2" "$3" ||
		vm_die "$1 sender failed"
	wait $rx || vm_die "$1 receiver: $(cat "$VM_OUT/$1.json")"
	cat "$VM_OUT/$1.json"
}
transfer udp 5000 $UDP_N
transfer tcp 5001 $TCP_BYTES

# What the receiving stack says of the checksums it saw.
csum_errors() { # NS PROTO: InCsumErrors of Udp or Tcp in /proc/net/snmp
	ip netns exec "$1" awk -v p="$2:" '$1 == p { if (!h) { for (i = 2; i <= NF; i++) if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' /proc/net/snmp
}
for ns in ns1 ns2; do
	for proto in Udp Tcp; do
		n=$(csum_errors $ns $proto)
		[ "$n" = 0 ] || vm_die "$ns: $proto InCsumErrors is '$n'"
	done
done
redirected=$(($(agent_counter redirect) - redirect0))
passed=$(($(agent_counter pass_csum) - csum0))
vm_log "redirected in XDP: $redirected; passed for their checksum: $passed"
# TCP alone makes over 5,000 segments of at most 1,448 bytes.
[ "$redirected" -ge $((UDP_N + 5000)) ] ||
	vm_die "only $redirected frames took the XDP path"
[ "$passed" -eq 0 ] || vm_die "$passed frames were passed for their checksum"
agent_stop
vm_log "PASS: partial checksums completed in XDP, data intact"
