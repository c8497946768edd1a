#!/bin/sh
# A silent flush followed by a rule change: ovs-dpctl del-flows empties the
# kernel's table without a notification, and an OpenFlow rule now drops
# what was forwarded.  The fast path still holds the forwarding entries;
# the first frame that reaches the kernel (a keepalive) makes ovs-vswitchd
# install the drop flow under the same UFID, a NEW for a flow the mirror
# holds: proof of a silent delete, and the agent resynchronises at once
# (counted as ovs_xdp_silent_deletes_total).  The flow-count check (a
# mismatch over a quiet second) may get there first on a quiet datapath
# like this one; either way the agent must resynchronise by itself, and
# after that not one echo request may reach ns2.  The agent's periodic
# dump is put an hour away (--reconcile-interval), so that it cannot be
# what repaired the table.  (The proof alone is tested in
# unit/test-mirror, where no count check races with it.)
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

ovs_bridge_with_namespaces 1 2
ovs_keep_flows
ns_xdp_ready ns1 ns2
agent_start --reconcile-interval 3600
offloaded_ipv4() {
	[ "$("$xdpctl" dump-flows --cached type=offloaded | grep -c 'eth_type(0x0800)')" -ge 2 ]
}
ns_ping ns1 10.0.0.2 3
vm_poll "the IPv4 flows offloaded" 120 offloaded_ipv4
"$xdpctl" dump-flows --cached

mirror_number() { # NAME: a scalar of the daemon's stats
	"$xdpctl" --json stats | python3 -c '
import json, sys
print(int(json.load(sys.stdin)[sys.argv[1]]))' "$1"
}
in_echos() {
	ip netns exec "$1" awk '$1 == "Icmp:" {
		if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["InEchos"] }' /proc/net/snmp
}
silent0=$(mirror_number ovs_xdp_silent_deletes_total)
count0=$(mirror_number ovs_xdp_flow_count_mismatches_total)
resync0=$(mirror_number ovs_xdp_reconciles_total)

# Traffic throughout: its keepalives are what reach the kernel.
ns_ping_start ns1 10.0.0.2 0.05
vm_log "rule change to drop, then a flush before any revalidation"
vm_must ovs-ofctl add-flow br0 "priority=1000,icmp,actions=drop"
vm_must ovs-dpctl del-flows
resynced() { [ "$(mirror_number ovs_xdp_reconciles_total)" -gt "$resync0" ]; }
vm_poll "the agent to resynchronise" 120 resynced
vm_log "resynchronised: $(($(mirror_number ovs_xdp_silent_deletes_total) - silent0)) silent deletes proven, $(($(mirror_number ovs_xdp_flow_count_mismatches_total) - count0)) flow-count mismatches"
kill -INT "$PING_PID" 2>/dev/null || true
wait "$PING_PID" 2>/dev/null || true
PING_PID=
"$xdpctl" dump-flows --cached
"$xdpctl" stats | grep -E 'silent|reconcile' || true

# From now on the drop rule holds on every path.
e0=$(in_echos ns2)
ns_exec ns1 ping -c 20 -i 0.05 -W 1 10.0.0.2 >/dev/null 2>&1 || true
leaked=$(($(in_echos ns2) - e0))
[ "$leaked" -eq 0 ] ||
	vm_die "$leaked echo requests reached ns2 through a stale fast-path entry"
agent_stop
vm_log "PASS: a silent flush repaired by the agent itself; nothing forwarded through a stale entry after it"
