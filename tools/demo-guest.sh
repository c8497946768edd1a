#!/bin/sh
# The demo, inside the test VM: real Open vSwitch on its kernel datapath, a
# bridge with two namespaces, traffic, and what ovs-xdp sees of it.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
xdpctl="$OVS_XDP_BUILD/ovs-xdpctl"

step() { printf '\n######## %s\n' "$*"; }

step "Start Open vSwitch (ovsdb-server, ovs-vswitchd) on the kernel datapath"
ovs_start
ovs_add_bridge br0
ovs_add_ns_port br0 ns1 10.0.0.1/24
ovs_add_ns_port br0 ns2 10.0.0.2/24
vm_must ovs-vsctl show

step "Mirror the datapath live with 'ovs-xdpctl watch' while traffic flows"
"$xdpctl" watch >"$VM_OUT/watch.txt" 2>&1 &
watch_pid=$!
sleep 1
ns_ping ns1 10.0.0.2 3
vm_must ip netns exec ns2 iperf3 -s -D -1 -p 5201
sleep 0.5
vm_must ip netns exec ns1 iperf3 -c 10.0.0.2 -p 5201 -t 1 -i 0 --connect-timeout 2000
sleep 1
kill "$watch_pid"
wait "$watch_pid" 2>/dev/null || true
cat "$VM_OUT/watch.txt"

step "The kernel datapath as ovs-dpctl shows it"
vm_must ovs-dpctl show
vm_must ovs-dpctl dump-flows

step "The same datapath through ovs-xdpctl (netlink, no Open vSwitch code)"
vm_must "$xdpctl" show
vm_must "$xdpctl" dump-flows -m
