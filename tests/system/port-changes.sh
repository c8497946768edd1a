#!/bin/sh
# Port properties and the kernel stages around the module, changed while
# the agent runs, are followed at once from the kernel's link and tc
# events, not at the next periodic probe (which this scenario puts an hour
# away with --probe-interval, so that only the events can explain a
# re-classification).  Each change takes effect in the kernel on the next
# frame:
#
# 1. GRO turned off at ns2's end of its veth: ovs-ns2 can no longer take
#    redirected frames (the 6.1 veth drops them silently without NAPI on
#    the peer), so it stops being an XDP output; on again, it is one again.
# 2. tx VLAN offload turned on at ns1's end: tags would travel in skb
#    metadata, invisible to XDP, so ovs-ns1's frames go to the kernel.
# 3. (below, last) ovs-ns2's MTU lowered to 1000: the kernel drops a
#    1242-byte frame sent to it (ovs_vport_send(): over-MTU), so the fast
#    path must stop redirecting such frames there too.
# 4. ingress_policing_rate on ovs-ns1: Open vSwitch installs a tc ingress
#    policer, which runs after XDP: ovs-ns1's frames stay in the kernel,
#    and none of ns1's datagrams takes the XDP path.
# 5. linux-htb QoS on ovs-ns2: a root htb qdisc, which XDP_REDIRECT would
#    bypass: ovs-ns2 is no XDP output, and none of the datagrams sent to
#    it takes the XDP path.
# 6. A VLAN device on ovs-ns1 (outside Open vSwitch): it takes its VLAN's
#    frames before the bridge, so ovs-ns1 leaves the fast path.
# 7. ovs-ns3 and ovs-ns4 made a balance-slb bond: its rebalancing reads
#    the kernel flows' byte counts, so the members are no XDP output (read
#    from Open vSwitch's database when the bond's vports change).
# After each change, once the agent shows it, every echo request gets its
# reply (and, for 3, no oversized request reaches ns2); each port comes
# back when the change is undone.  Traffic runs across the link changes;
# frames in flight at the moment of a change may be lost on either path,
# so only the traffic after it is counted.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

check="$OVS_XDP_SRC/tests/tools/stream-check.py"
N=2000

ovs_bridge_with_namespaces 1 2 3 4
ovs_keep_flows
ns_xdp_ready ns1 ns2 ns3 ns4
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
# 60 frames; a busy guest may let the heartbeat lapse for some (they go
# to the kernel, the fail-safe), so only a share is required.
[ $(($(agent_counter redirect) - redirect0)) -ge 10 ] ||
	vm_die "ovs-ns2 is an XDP output again, yet the frames did not take the XDP path"

change "tx VLAN offload on at ns1's end" ip netns exec ns1 ethtool -K eth0 txvlan on
settled ovs-ns1 accelerated False
agent_port_field ovs-ns1 reason | grep -q VLAN ||
	vm_die "ovs-ns1: unexpected reason: $(agent_port_field ovs-ns1 reason)"
ns_ping ns1 10.0.0.2 30 0.05
vm_must ip netns exec ns1 ethtool -K eth0 txvlan off
vm_poll "ovs-ns1 accelerated again" 120 agent_port_is ovs-ns1 accelerated True

# tc_packets DEV filter|qdisc: frames the device's policers (filters on
# its ingress hook) or its root qdisc have seen: the policers' packets
# (passed or not), the qdisc's sent packets plus its drops.
tc_packets() {
	if [ "$2" = filter ]; then
		tc -s -j filter show dev "$1" ingress
	else
		tc -s -j qdisc show dev "$1"
	fi | python3 -c '
import json, sys
what = sys.argv[1]
def walk(x):
    if isinstance(x, dict):
        if what == "filter" and x.get("kind") == "police":
            yield x.get("stats", {}).get("packets", 0)
        elif what == "qdisc" and x.get("root") and "packets" in x:
            yield x["packets"] + x.get("drops", 0)
        else:
            for v in x.values():
                yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
print(sum(walk(json.load(sys.stdin))))' "$2"
}
# udp_noports NS: UDP datagrams NS received for a port nobody listens on.
udp_noports() {
	ip netns exec "$1" awk '$1 == "Udp:" {
		if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["NoPorts"] }' /proc/net/snmp
}
# through STAGE DEV filter|qdisc: sends N datagrams from ns1 to ns2 and
# requires that none took the XDP path on ovs-ns1 (each one went through
# the kernel, and so through the stage).  What the stage and ns2 counted
# is logged: the stage's counters are no exact measure, since Open
# vSwitch may replace its qdisc or filter (which resets them) while it
# settles the configuration.
through() {
	_t0=$(tc_packets "$2" "$3") _r0=$(udp_noports ns2)
	_x0=$(agent_port_xdp_packets ovs-ns1)
	send_udp
	_seen=$(($(tc_packets "$2" "$3") - _t0)) _got=$(($(udp_noports ns2) - _r0))
	_xdp=$(($(agent_port_xdp_packets ovs-ns1) - _x0))
	vm_log "$1 counted $_seen frames; ns2 received $_got of the $N datagrams sent; $_xdp took the XDP path"
	[ "$_got" -gt 0 ] || vm_die "no datagram reached ns2"
	[ "$_xdp" -eq 0 ] || vm_die "$_xdp datagrams bypassed $1 in XDP"
}
# send N UDP datagrams from ns1 to ns2 (nobody listens: only the path counts).
send_udp() {
	ns_exec ns1 python3 "$check" send udp 10.0.0.2 5000 "$N" >/dev/null ||
		vm_die "the UDP sender failed"
}
reason_has() { # PORT FIELD TEXT
	agent_port_field "$1" "$2" | grep -q "$3" ||
		vm_die "$1: $2 is '$(agent_port_field "$1" "$2")', not about $3"
}

vm_log "4. ingress policing on ovs-ns1"
vsctl set interface ovs-ns1 ingress_policing_rate=1000 ingress_policing_burst=100
vm_poll "ovs-ns1 kept on the kernel path" 120 agent_port_is ovs-ns1 accelerated False
reason_has ovs-ns1 reason "tc ingress"
tc -s filter show dev ovs-ns1 ingress
through "the policer" ovs-ns1 filter
vsctl set interface ovs-ns1 ingress_policing_rate=0
vm_poll "ovs-ns1 accelerated again" 120 agent_port_is ovs-ns1 accelerated True

vm_log "5. linux-htb QoS on ovs-ns2"
vsctl -- set port ovs-ns2 qos=@q -- --id=@q create qos type=linux-htb \
	other-config:max-rate=1000000 >/dev/null
vm_poll "ovs-ns2 no XDP output" 120 agent_port_is ovs-ns2 xdp_output False
reason_has ovs-ns2 output_reason qdisc
tc -s qdisc show dev ovs-ns2
through htb ovs-ns2 qdisc
vsctl clear port ovs-ns2 qos
vm_poll "ovs-ns2 an XDP output again" 120 agent_port_is ovs-ns2 xdp_output True

vm_log "6. a VLAN device on ovs-ns1"
vm_must modprobe 8021q
vm_must ip link add link ovs-ns1 name ovs-ns1.7 type vlan id 7
vm_poll "ovs-ns1 kept on the kernel path" 120 agent_port_is ovs-ns1 accelerated False
reason_has ovs-ns1 reason VLAN
vm_must ip link del ovs-ns1.7
vm_poll "ovs-ns1 accelerated again" 120 agent_port_is ovs-ns1 accelerated True

vm_log "7. a balance-slb bond of ovs-ns3 and ovs-ns4"
vm_poll "ovs-ns3 an XDP output" 120 agent_port_is ovs-ns3 xdp_output True
vsctl del-port ovs-ns3 -- del-port ovs-ns4 -- add-bond br0 bond0 ovs-ns3 ovs-ns4 \
	bond_mode=balance-slb
for p in ovs-ns3 ovs-ns4; do
	vm_poll "$p no XDP output" 120 agent_port_is $p xdp_output False
	reason_has $p output_reason bond
done
ns_ping ns1 10.0.0.2 10 0.05

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
vm_log "PASS: GRO, tx VLAN offload, MTU, policing, QoS, a VLAN device and a bond followed from link, tc and vport events"
