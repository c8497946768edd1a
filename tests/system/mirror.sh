#!/bin/sh
# The datapath mirror equals the kernel's flow table (same UFIDs, same
# normalised dump-flows -m text) after every change settles: under varied
# OpenFlow tables and traffic that makes hundreds of megaflows, after
# ovs-dpctl del-flows (a silent flush), after an ovs-vswitchd restart, and
# after flows expire by idle timeout.  The mirror is `ovs-xdpctl watch`,
# asked for its table with SIGUSR1.
#
# max-idle: every phase but the last runs with ovs-vswitchd keeping its
# megaflows (ovs_keep_flows: max-idle 10 s -> 600 s, max-revalidator
# 500 ms -> 20 s), so that the hundreds of megaflows the traffic makes are
# all still there when the tables are compared, however long a busy host
# takes to get there; only the idle-expiry phase lowers max-idle, to 1 s.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"

ovs_bridge_with_namespaces 1 2 3 4
ovs_keep_flows
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
# Hundreds of megaflows, even from an ovs-vswitchd too busy for a burst.
traffic_spread_complete
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
vm_wait_for "flows to expire" 120 sh -c '[ -z "$(ovs-dpctl dump-flows)" ]'
mirror_settle_and_compare "idle expiry"
[ ! -s "$VM_OUT/kernel.txt" ] || vm_die "flows left after idle expiry"

mirror_stop
vm_log "PASS: mirror equal to the kernel in every phase"
