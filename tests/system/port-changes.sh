#!/bin/sh
# Port properties changed while traffic runs are followed at once, from
# the kernel's link events, not at the next periodic probe (which this
# scenario puts an hour away with --probe-interval, so that only the
# events can explain a re-classification).  Each change takes effect in
# the kernel on the next frame:
#
# 1. GRO turned off at ns2's end of its veth: ovs-ns2 can no longer take
#    redirected frames (the 6.1 veth drops them silently without NAPI on
#    the peer), so it stops being an XDP output; on again, it is one again.
# 2. tx VLAN offload turned on at ns1's end: tags would travel in skb
#    metadata, invisible to XDP, so ovs-ns1's frames go to the kernel.
# 3. ovs-ns2's MTU lowered to 1000: the kernel drops a 1228-byte frame
#    sent to it (ovs_vport_send(): over-MTU), so the fast path must stop
#    redirecting such frames there too.
# After each change, once the agent shows it, every echo request gets its
# reply (and, for 3, no oversized request reaches ns2).  Traffic runs
# across each change; frames in flight at the moment of a change may be
# lost on either path, so only the traffic after it is counted.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

ovs_bridge_with_namespaces 1 2
ovs_keep_flows
ns_xdp_ready ns1 ns2
agent_start --probe-interval 3600
"$xdpctl" show
offloaded_ipv4() {
	[ "$("$xdpctl" dump-flows type=offloaded | grep -c 'eth_type(0x0800)')" -ge 2 ]
}
ns_ping ns1 10.0.0.2 3
vm_poll "the IPv4 flows offloaded" 120 offloaded_ipv4

# change DESC CMD...: runs CMD under a background ping (not counted).
change() {
	_desc=$1
	shift
	ip netns exec ns1 ping -q -i 0.02 -w 600 10.0.0.2 >/dev/null 2>&1 &
	_bg=$!
	vm_log "change under traffic: $_desc"
	vm_must "$@"
}
# settled PORT FIELD VALUE: the agent shows the change; the background
# traffic stops.
settled() {
	vm_poll "$1: $2 = $3" 120 agent_port_is "$1" "$2" "$3"
	kill "$_bg" 2>/dev/null || true
	wait "$_bg" 2>/dev/null || true
	vm_log "$1: $2 is $3 ($(grep -c 'changed' "$VM_OUT/ovs-xdpd.log") port changes logged)"
}

change "GRO off at ns2's end" ip netns exec ns2 ethtool -K eth0 gro off
settled ovs-ns2 xdp_output False
ns_ping ns1 10.0.0.2 30 0.05

change "GRO on again" ip netns exec ns2 ethtool -K eth0 gro on
settled ovs-ns2 xdp_output True
vm_poll "the IPv4 flows offloaded again" 120 offloaded_ipv4
redirect0=$(agent_counter redirect)
ns_ping ns1 10.0.0.2 30 0.05
[ $(($(agent_counter redirect) - redirect0)) -ge 30 ] ||
	vm_die "ovs-ns2 is an XDP output again, yet the frames did not take the XDP path"

change "tx VLAN offload on at ns1's end" ip netns exec ns1 ethtool -K eth0 txvlan on
settled ovs-ns1 accelerated False
agent_port_field ovs-ns1 reason | grep -q VLAN ||
	vm_die "ovs-ns1: unexpected reason: $(agent_port_field ovs-ns1 reason)"
ns_ping ns1 10.0.0.2 30 0.05
vm_must ip netns exec ns1 ethtool -K eth0 txvlan off
vm_poll "ovs-ns1 accelerated again" 120 agent_port_is ovs-ns1 accelerated True

change "ovs-ns2's MTU lowered to 1000" ip link set ovs-ns2 mtu 1000
settled ovs-ns2 mtu 1000
vm_poll "the IPv4 flows offloaded again" 120 offloaded_ipv4
# in_echos NS: echo requests NS's kernel received.
in_echos() {
	ip netns exec "$1" awk '$1 == "Icmp:" {
		if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["InEchos"] }' /proc/net/snmp
}
before=$(in_echos ns2)
# 1200 bytes of payload: a 1242-byte frame, over ovs-ns2's 1000 + 14.
ns_exec ns1 ping -c 10 -i 0.05 -W 1 -s 1200 10.0.0.2 || true
got=$(($(in_echos ns2) - before))
[ "$got" -eq 0 ] ||
	vm_die "$got oversized echo requests reached ns2 through an MTU-1000 port (the kernel drops them)"
ns_ping ns1 10.0.0.2 30 0.05
agent_stop
vm_log "PASS: GRO, tx VLAN offload and MTU changes followed from link events"
