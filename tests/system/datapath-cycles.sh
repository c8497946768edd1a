#!/bin/sh
# A datapath that comes and goes, as Open vSwitch's own test suite and a
# host's boot order make it: ovs-xdpd started before the datapath exists
# waits for it; then, CYCLES times, the datapath is deleted (the last bridge
# removed) and re-created with its ports, with traffic in between.  One
# agent process throughout, which offloads each time (its redirect counter
# grows in every cycle) and takes its program off the ports while the
# datapath is gone.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

# 12 in the suite (about 15 s each under emulation); OVS_XDP_DP_CYCLES=30
# for the full count.
CYCLES=${OVS_XDP_DP_CYCLES:-12}
ovs_start
# The namespaces and their veths stay; the bridge (and so the datapath)
# comes and goes around them.
for n in 1 2; do
	vm_must ip netns add "ns$n"
	vm_must ip link add "ovs-ns$n" type veth peer name eth0 netns "ns$n"
	vm_must sysctl -qw "net.ipv6.conf.ovs-ns$n.disable_ipv6=1"
	vm_must ip netns exec "ns$n" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	vm_must ip -n "ns$n" link set eth0 address "02:00:00:00:00:0$n"
	vm_must ip -n "ns$n" addr add "10.0.0.$n/24" dev eth0
	vm_must ip -n "ns$n" link set eth0 up
	vm_must ip link set "ovs-ns$n" up
done
ns_xdp_ready ns1 ns2
# Static neighbours: every ping of a cycle is a unicast IPv4 frame.
vm_must ip -n ns1 neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0
vm_must ip -n ns2 neigh replace 10.0.0.1 lladdr 02:00:00:00:00:01 dev eth0

has_our_xdp() { ip -d link show "$1" | grep -q "prog/xdp"; }
dp_present() { "$xdpctl" --json show | python3 -c '
import json, sys
sys.exit(0 if json.load(sys.stdin)["datapath_present"] else 1)'; }

vm_log "ovs-xdpd starts before the datapath exists"
! ovs-dpctl show ovs-system >/dev/null 2>&1 || vm_die "the datapath exists already"
agent_start
"$xdpctl" show | tee "$VM_OUT/show-waiting.txt"
grep -q "datapath ovs-system: not present (waiting for it)" "$VM_OUT/show-waiting.txt" ||
	vm_die "show does not say it is waiting"
pid=$AGENT_PID

i=1
while [ "$i" -le "$CYCLES" ]; do
	vsctl add-br br0 -- add-port br0 ovs-ns1 -- add-port br0 ovs-ns2
	vm_must ip link set br0 up
	vm_wait_for "cycle $i: ovs-ns1 and ovs-ns2 accelerated" 60 sh -c \
		"ip -d link show ovs-ns1 | grep -q prog/xdp && ip -d link show ovs-ns2 | grep -q prog/xdp"
	r0=$(agent_counter redirect)
	# Pings until the fast path forwards some of them (the first ones
	# make the megaflows; offloading them takes a moment).
	t=0
	until [ "$(agent_counter redirect)" -gt "$r0" ]; do
		t=$((t + 1))
		[ "$t" -le 60 ] || vm_die "cycle $i: nothing forwarded in XDP"
		ip netns exec ns1 ping -q -c 5 -i 0.1 -W 1 10.0.0.2 >/dev/null 2>&1 || true
	done
	vsctl del-br br0
	vm_wait_for "cycle $i: the datapath to go" 30 sh -c "! ovs-dpctl show ovs-system"
	vm_wait_for "cycle $i: the agent to see it gone" 30 sh -c \
		"! ip -d link show ovs-ns1 | grep -q prog/xdp && ! ip -d link show ovs-ns2 | grep -q prog/xdp"
	kill -0 "$pid" || vm_die "cycle $i: ovs-xdpd exited: $(tail -n 5 "$VM_OUT/ovs-xdpd.log")"
	[ "$(cat "$VM_OUT/ovs-xdpd.pid")" = "$pid" ] || vm_die "cycle $i: another ovs-xdpd"
	i=$((i + 1))
done
! dp_present || vm_die "show says the datapath is present after the last deletion"
n=$(grep -c "datapath ovs-system is back" "$VM_OUT/ovs-xdpd.log" || true)
vm_log "datapath found $n times by one agent (pid $pid)"
[ "$n" -ge "$CYCLES" ] || vm_die "the agent saw the datapath come back $n times, want $CYCLES"
agent_stop
vm_log "PASS: $CYCLES datapath cycles, one agent, offloading in each"
