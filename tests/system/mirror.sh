#!/bin/sh
# The datapath mirror equals the kernel's flow table (same UFIDs, same
# normalised dump-flows -m text) after every change settles: under varied
# OpenFlow tables and traffic that makes hundreds of megaflows, after
# ovs-dpctl del-flows (a silent flush), after an ovs-vswitchd restart, and
# after flows expire by idle timeout.  The mirror is `ovs-xdpctl watch`,
# asked for its table with SIGUSR1.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"

ovs_start
ovs_add_bridge br0
ovs_add_ns_port br0 ns1 10.0.0.1/24 02:00:00:00:00:01
ovs_add_ns_port br0 ns2 10.0.0.2/24 02:00:00:00:00:02
ovs_add_ns_port br0 ns3 10.0.0.3/24 02:00:00:00:00:03
ovs_add_ns_port br0 ns4 10.0.0.4/24 02:00:00:00:00:04
# ns3 is an access port of VLAN 10; ns4 a trunk, talking VLAN 10 on eth0.10.
ovs_port_access ovs-ns3 10
ovs_port_trunk ovs-ns4 10
ns_add_vlan ns4 10 10.0.10.4/24
vm_must ip -n ns3 addr add 10.0.10.3/24 dev eth0
for ns in ns1 ns2; do
	vm_must ip netns exec $ns sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
	vm_must ip -n $ns addr add fd00::${ns#ns}/64 dev eth0 nodad
done
install_varied_openflow br0

mirror_start
traffic_varied
mirror_settle_and_compare "varied traffic"
n=$(wc -l <"$VM_OUT/kernel.txt")
[ "$n" -ge 200 ] || vm_die "only $n megaflows; the test wants hundreds"
cp "$VM_OUT/kernel.txt" "$VM_OUT/dump-varied.txt"

vm_log "ovs-dpctl del-flows: a flush, which the kernel does not notify"
vm_must ovs-dpctl del-flows
mirror_settle_and_compare "del-flows"

traffic_varied
mirror_settle_and_compare "traffic again"

vm_log "restart ovs-vswitchd (it flushes the datapath on start)"
ovs_restart_vswitchd
mirror_settle_and_compare "vswitchd restart"
traffic_varied
mirror_settle_and_compare "traffic after restart"

vm_log "idle expiry: max-idle 1 s, no traffic"
vsctl set Open_vSwitch . other_config:max-idle=1000
vm_wait_for "flows to expire" 30 sh -c '[ -z "$(ovs-dpctl dump-flows)" ]'
mirror_settle_and_compare "idle expiry"
[ ! -s "$VM_OUT/kernel.txt" ] || vm_die "flows left after idle expiry"

mirror_stop
vm_log "PASS: mirror equal to the kernel in every phase"
