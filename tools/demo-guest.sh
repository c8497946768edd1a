#!/bin/sh
# The demo, inside the test VM: real Open vSwitch on its kernel datapath, a
# bridge with three namespaces, ovs-xdpd offloading what it can to XDP,
# and what an operator sees of it.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

step() { printf '\n######## %s\n' "$*"; }

step "Open vSwitch 3.1 on the kernel datapath: br0 with three namespaces"
ovs_bridge_with_namespaces 1 2 3
# ns1 and ns2 show VLAN tags to XDP and take redirects (GRO); ns3 keeps
# veth's defaults, so its port stays on the kernel path (see the reasons).
ns_xdp_ready ns1 ns2
vm_must ovs-vsctl show

step "Start ovs-xdpd and see which ports it accelerates, and why not the others"
agent_start
vm_must "$xdpctl" show

step "Traffic: ping and TCP between the namespaces"
ns_ping ns1 10.0.0.2 20
ns_ping ns1 10.0.0.3 3
vm_must ip netns exec ns2 iperf3 -s -D -1 -p 5201
sleep 0.5
vm_must ip netns exec ns1 iperf3 -c 10.0.0.2 -p 5201 -t 2 -i 0 --connect-timeout 2000 |
	grep -E "sender|receiver"

step "The kernel datapath's flows, as ovs-dpctl shows them"
vm_must ovs-dpctl dump-flows | tee "$VM_OUT/dpctl.txt"

step "The same flows through ovs-xdpctl: merged counters, offloaded or why not"
vm_must "$xdpctl" dump-flows

step "Fast-path counters (ovs-xdpctl stats)"
vm_must "$xdpctl" stats | grep -E "fastpath_events_total\{event=\"(rx_packets|redirect|pass_miss|pass_keepalive|pass_csum|emc_hits)\"|ovs_xdp_flows\{" | grep -v " 0$"

step "An excerpt of /metrics (Prometheus, 127.0.0.1:9477)"
vm_must curl -sf http://127.0.0.1:9477/metrics | grep -E "^ovs_xdp_(flows|table_entries|ports|sync_lag_seconds_count|keepalive)" | grep -v " 0$"

step "The offline planner on the saved dump (no root, no kernel module)"
vm_must "$xdpctl" plan --internal 1 "$VM_OUT/dpctl.txt" | tail -n 6

agent_stop
