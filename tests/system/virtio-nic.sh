#!/bin/sh
# vm-run: --nic-pair
# A real NIC driver, virtio_net, as input and as redirect target.  The
# guest has two virtio-net NICs wired back to back (tests/vm/vm-run.sh
# --nic-pair): one is a port of br0, the other sits in namespace "wire"
# as the far end.  ns1 (a veth port) and wire talk through br0.
#
# 1. With the agent's program on the NIC (native mode), both directions
#    take the XDP path: ns1's frames are redirected into virtio_net's
#    ndo_xdp_xmit, the wire's frames arrive in native XDP and are
#    redirected to the veth; every echo request gets its reply.
# 2. With the NIC kept on the kernel path (--kernel-port), virtio_net
#    refuses redirected frames (virtnet_xdp_xmit: -ENXIO without an XDP
#    program on it), so the NIC must not be a redirect target: flows that
#    output to it stay in the kernel, and every request still gets its
#    reply.  Before that rule every frame redirected to it was lost.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

nic_pair
vm_log "bridge NIC $nic, far end $far ($(ethtool -i "$nic" | sed -n 's/^driver: //p'))"

ovs_bridge_with_namespaces 1
ovs_keep_flows
ns_xdp_ready ns1
vm_must sysctl -qw "net.ipv6.conf.$nic.disable_ipv6=1"
vm_must ip link set "$nic" up
vsctl add-port br0 "$nic"
vm_must ip netns add wire
vm_must ip link set "$far" netns wire
vm_must ip netns exec wire sysctl -qw "net.ipv6.conf.$far.disable_ipv6=1"
vm_must ip -n wire addr add 10.0.0.2/24 dev "$far"
vm_must ip -n wire link set lo up
vm_must ip -n wire link set "$far" up

offloaded_ipv4() {
	[ "$("$xdpctl" dump-flows type=offloaded | grep -c 'eth_type(0x0800)')" -ge 2 ]
}

vm_log "phase 1: our program on the NIC"
agent_start
"$xdpctl" show
[ "$(agent_port_field "$nic" mode)" = native ] ||
	vm_die "$nic: not attached natively: $(agent_port_field "$nic" reason)"
[ "$(agent_port_field "$nic" xdp_output)" = True ] ||
	vm_die "$nic: not a redirect target: $(agent_port_field "$nic" output_reason)"
ns_ping ns1 10.0.0.2 3
vm_poll "the IPv4 flows offloaded" 120 offloaded_ipv4
"$xdpctl" dump-flows
redirect0=$(agent_counter redirect) keep0=$(agent_counter pass_keepalive)
beat0=$(agent_counter pass_heartbeat)
veth0=$(agent_port_xdp_packets ovs-ns1) nic0=$(agent_port_xdp_packets "$nic")
ns_ping ns1 10.0.0.2 50 0.05
ns_ping ns1 10.0.0.2 20 0.05
redirected=$(($(agent_counter redirect) - redirect0))
kept=$(($(agent_counter pass_keepalive) - keep0))
beat=$(($(agent_counter pass_heartbeat) - beat0))
veth=$(($(agent_port_xdp_packets ovs-ns1) - veth0))
from_nic=$(($(agent_port_xdp_packets "$nic") - nic0))
vm_log "phase 1: $redirected frames redirected in XDP ($veth from ovs-ns1 to the NIC, $from_nic from the NIC); to the kernel: $kept keepalives, $beat while the agent's heartbeat was late"
"$xdpctl" stats | grep -E 'fastpath_events|port_' || true
ethtool -S "$nic" | grep -i xdp || true
# 70 requests ns1 -> NIC and 70 replies NIC -> ns1: each one redirected,
# or passed to the kernel as a keepalive (about one a second per flow) or
# because a busy guest let the agent's heartbeat lapse (the fail-safe);
# and both directions took the XDP path.
[ $((redirected + kept + beat)) -ge 140 ] ||
	vm_die "only $((redirected + kept + beat)) of 140 frames accounted for"
[ "$veth" -ge 10 ] && [ "$from_nic" -ge 10 ] ||
	vm_die "too few frames took the XDP path: $veth to the NIC, $from_nic from it"
agent_stop

vm_log "phase 2: the NIC kept on the kernel path"
agent_start --kernel-port "$nic"
"$xdpctl" show
[ "$(agent_port_field "$nic" accelerated)" = False ] ||
	vm_die "$nic: accelerated despite --kernel-port"
[ "$(agent_port_field "$nic" xdp_output)" = False ] ||
	vm_die "$nic: a redirect target without our program on it"
agent_port_field "$nic" output_reason | grep -q natively ||
	vm_die "$nic: unexpected output reason: $(agent_port_field "$nic" output_reason)"
ns_ping ns1 10.0.0.2 3
# The flows towards the NIC stay in the kernel, with the reason.
vm_wait_for "the flows planned" 120 sh -c "\"$xdpctl\" dump-flows | grep -q 'eth_type(0x0800)'"
"$xdpctl" dump-flows
ns_ping ns1 10.0.0.2 50 0.05
agent_stop
vm_log "PASS: virtio_net as XDP input and target; not a target without our program"
