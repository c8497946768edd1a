#!/bin/sh
# The datapath mirror equals the kernel's flow table (same UFIDs, same
# normalised dump-flows -m text) after every change settles: under varied
# OpenFlow tables and traffic that makes hundreds of megaflows, after
# ovs-dpctl del-flows (a silent flush), after an ovs-vswitchd restart, and
# after flows expire by idle timeout.  The mirror is `ovs-xdpctl watch`,
# asked for its table with SIGUSR1.
#
# The daemon (ovs-xdpd with its default options, 10 s reconcile period)
# is compared too, through its own `dump-flows -m --cached` (its table as
# notifications left it, no dump first): the set of UFIDs it holds must
# equal the kernel's after each change settles, within one of its
# reconcile periods plus the slack; and in the phases where every change
# is notified (all but the flushes) no reconcile may have had anything to
# fix: the notifications alone kept the table exact.
#
# max-idle: every phase but the last runs with ovs-vswitchd keeping its
# megaflows (ovs_keep_flows: max-idle 10 s -> 600 s, max-revalidator
# 500 ms -> 20 s), so that the hundreds of megaflows the traffic makes are
# all still there when the tables are compared, however long a busy host
# takes to get there; only the idle-expiry phase lowers max-idle, to 1 s.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

# ufids: the sorted UFIDs of a dump-flows -m on stdin.
ufids() { grep -o '^ufid:[0-9a-f-]*' | sort; }

# daemon_compare LABEL: the daemon's UFIDs equal the kernel's (read again
# at each try), within its reconcile period (10 s) plus MIRROR_SLACK.
daemon_compare() {
	_dl=$(($(_vm_uptime) + 10 + MIRROR_SLACK))
	while :; do
		"$xdpctl" -m dump-flows --cached | ufids >"$VM_OUT/daemon-ufids.txt"
		kernel_dump
		ufids <"$VM_OUT/kernel-raw.txt" >"$VM_OUT/kernel-ufids.txt"
		if cmp -s "$VM_OUT/daemon-ufids.txt" "$VM_OUT/kernel-ufids.txt"; then
			vm_log "$1: the daemon holds the kernel's $(wc -l <"$VM_OUT/kernel-ufids.txt") flows"
			return 0
		fi
		if [ "$(_vm_uptime)" -ge "$_dl" ]; then
			diff -u "$VM_OUT/kernel-ufids.txt" "$VM_OUT/daemon-ufids.txt" | head -n 20
			vm_die "$1: the daemon's flows differ from the kernel's ($(diff "$VM_OUT/kernel-ufids.txt" "$VM_OUT/daemon-ufids.txt" | grep -c '^[<>]') lines)"
		fi
		sleep 0.5
	done
}
fixes() { "$xdpctl" --json stats | python3 -c '
import json, sys
print(int(json.load(sys.stdin)["ovs_xdp_reconcile_fixes_total"]))'; }
# settle LABEL [notified]: both views equal the kernel's; with 'notified',
# the daemon's reconciles fixed nothing since the previous settle.
settle() {
	mirror_settle_and_compare "$1"
	daemon_compare "$1"
	_fixes=$(fixes)
	vm_log "$1: $((_fixes - ${FIXES0:-0})) reconcile fixes in the daemon"
	if [ "${2:-}" = notified ] && [ "$_fixes" -ne "${FIXES0:-0}" ]; then
		"$xdpctl" stats
		vm_die "$1: the daemon's reconciles had to fix its table: notifications were lost"
	fi
	FIXES0=$_fixes
}

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

agent_start
mirror_start
traffic_varied
# Hundreds of megaflows, even from an ovs-vswitchd too busy for a burst.
traffic_spread_complete
settle "varied traffic" notified
n=$(wc -l <"$VM_OUT/kernel.txt")
[ "$n" -ge 200 ] || vm_die "only $n megaflows; the test wants hundreds"
cp "$VM_OUT/kernel.txt" "$VM_OUT/dump-varied.txt"

vm_log "ovs-dpctl del-flows: a flush, which the kernel does not notify"
vm_must ovs-dpctl del-flows
settle "del-flows"

traffic_varied
settle "traffic again" notified

vm_log "restart ovs-vswitchd (it flushes the datapath on start)"
ovs_restart_vswitchd
settle "vswitchd restart"
traffic_varied
settle "traffic after restart" notified

vm_log "idle expiry: max-idle 1 s, no traffic"
vsctl set Open_vSwitch . other_config:max-idle=1000
vm_wait_for "flows to expire" 120 sh -c '[ -z "$(ovs-dpctl dump-flows)" ]'
settle "idle expiry" notified
[ ! -s "$VM_OUT/kernel.txt" ] || vm_die "flows left after idle expiry"

mirror_stop
"$xdpctl" stats | grep -i -E "reconcil|overrun|resync" || true
agent_stop
vm_log "PASS: mirror and daemon equal to the kernel in every phase"
