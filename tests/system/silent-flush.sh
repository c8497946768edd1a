#!/bin/sh
# Silent flushes: the datapath's table emptied without a notification
# (OVS_FLOW_CMD_DEL without a key, as `ovs-dpctl del-flows` and some
# ovs-vswitchd restarts do; here by tests/tools/dp-flush.c, which sends
# nothing else), while the fast path still holds the old entries.  The
# agent's periodic dump is put an hour away (--reconcile-interval), so
# that only its own detection can repair the table.
#
# 1. Flush alone, under traffic: the keepalives (every 100 ms here) make
#    ovs-vswitchd install the same flows again under the same UFIDs, NEWs
#    for flows the mirror holds: the silent-delete proof, counted as
#    ovs_xdp_silent_deletes_total, and a resynchronisation at once.
# 2. A rule change to drop, then a flush: the flows made again differ (no
#    proof then; the flow-count check over a quiet second finds the
#    missing ones); once the agent has resynchronised, not one echo
#    request may reach ns2.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

flush="$OVS_XDP_BUILD/tests/ovsx-dp-flush"
ovs_bridge_with_namespaces 1 2
ovs_keep_flows
ns_xdp_ready ns1 ns2
agent_start --reconcile-interval 3600 --keepalive 100
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
above() { [ "$(mirror_number "$1")" -gt "$2" ]; }

vm_log "1. a silent flush under traffic"
silent0=$(mirror_number ovs_xdp_silent_deletes_total)
ns_ping_start ns1 10.0.0.2 0.05
# A flush, then up to 10 s for the proof.  On a very slow guest the
# flow-count check may resynchronise before ovs-vswitchd has made a flow
# again (then no flow is held any more, and there is nothing to prove):
# flush again then.
flushed_and_proven() {
	vm_must "$flush" ovs-system
	_end=$(($(_vm_uptime) + 10))
	while [ "$(_vm_uptime)" -lt "$_end" ]; do
		above ovs_xdp_silent_deletes_total "$silent0" && return 0
		sleep 0.2
	done
	vm_log "no proof within 10 s of the flush: $("$xdpctl" stats | grep -E 'mismatch|reconciles' | tr '\n' ' ')"
	return 1
}
vm_poll "the silent delete proven" 240 flushed_and_proven
ns_ping_stop "ping across the flush"
vm_poll "the IPv4 flows offloaded again" 120 offloaded_ipv4
"$xdpctl" stats | grep -E 'silent|reconcil|mismatch' || true

vm_log "2. a rule change to drop, then a silent flush"
resync0=$(mirror_number ovs_xdp_reconciles_total)
ns_ping_start ns1 10.0.0.2 0.05
vm_must ovs-ofctl add-flow br0 "priority=1000,icmp,actions=drop"
vm_must "$flush" ovs-system
vm_poll "the agent to resynchronise" 120 above ovs_xdp_reconciles_total "$resync0"
kill -INT "$PING_PID" 2>/dev/null || true
wait "$PING_PID" 2>/dev/null || true
PING_PID=
"$xdpctl" dump-flows --cached
"$xdpctl" stats | grep -E 'silent|reconcil|mismatch' || true
# From now on the drop rule holds on every path.
e0=$(in_echos ns2)
ns_exec ns1 ping -c 20 -i 0.05 -W 1 10.0.0.2 >/dev/null 2>&1 || true
leaked=$(($(in_echos ns2) - e0))
[ "$leaked" -eq 0 ] ||
	vm_die "$leaked echo requests reached ns2 through a stale fast-path entry"
agent_stop
vm_log "PASS: silent flushes found by the agent itself; nothing forwarded through a stale entry after"
