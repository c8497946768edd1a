#!/bin/sh
# The kernel stages XDP would skip, configured the way operators do it,
# through Open vSwitch (and one outside it): the affected port leaves the
# fast path with the reason, at once (the agent follows tc and link
# events; --probe-interval puts the periodic probe an hour away), every
# frame meets the stage as it would without the agent, and the port comes
# back when the configuration goes.
#
# 1. ingress_policing_rate on ovs-ns1: Open vSwitch installs a tc ingress
#    policer, which runs after XDP: ovs-ns1's frames stay in the kernel,
#    and the policer sees every datagram ns1 sends.
# 2. linux-htb QoS on ovs-ns2: a root htb qdisc, which XDP_REDIRECT would
#    bypass: ovs-ns2 is no XDP output, and htb sees every datagram sent
#    to it.
# 3. A VLAN device on ovs-ns1 (outside Open vSwitch): it takes its VLAN's
#    frames before the bridge, so ovs-ns1 leaves the fast path.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

check="$OVS_XDP_SRC/tests/tools/stream-check.py"
N=2000

ovs_bridge_with_namespaces 1 2
ovs_keep_flows
ns_xdp_ready ns1 ns2
agent_start --probe-interval 3600
offloaded_ipv4() {
	[ "$("$xdpctl" dump-flows type=offloaded | grep -c 'eth_type(0x0800)')" -ge 2 ]
}
ns_ping ns1 10.0.0.2 3
vm_poll "the IPv4 flows offloaded" 120 offloaded_ipv4

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
# send N UDP datagrams from ns1 to ns2 (nobody listens: only the path counts).
send_udp() {
	ns_exec ns1 python3 "$check" send udp 10.0.0.2 5000 "$N" >/dev/null ||
		vm_die "the UDP sender failed"
}
reason_has() { # PORT FIELD TEXT
	agent_port_field "$1" "$2" | grep -q "$3" ||
		vm_die "$1: $2 is '$(agent_port_field "$1" "$2")', not about $3"
}

vm_log "1. ingress policing on ovs-ns1"
vsctl set interface ovs-ns1 ingress_policing_rate=1000 ingress_policing_burst=100
vm_poll "ovs-ns1 kept on the kernel path" 120 agent_port_is ovs-ns1 accelerated False
reason_has ovs-ns1 reason "tc ingress"
tc -s filter show dev ovs-ns1 ingress
p0=$(tc_packets ovs-ns1 filter)
send_udp
seen=$(($(tc_packets ovs-ns1 filter) - p0))
vm_log "the policer saw $seen frames of the $N datagrams sent"
[ "$seen" -ge "$N" ] || vm_die "the policer saw only $seen of $N frames"
vsctl set interface ovs-ns1 ingress_policing_rate=0
vm_poll "ovs-ns1 accelerated again" 120 agent_port_is ovs-ns1 accelerated True

vm_log "2. linux-htb QoS on ovs-ns2"
vsctl -- set port ovs-ns2 qos=@q -- --id=@q create qos type=linux-htb \
	other-config:max-rate=1000000 >/dev/null
vm_poll "ovs-ns2 no XDP output" 120 agent_port_is ovs-ns2 xdp_output False
reason_has ovs-ns2 output_reason qdisc
tc -s qdisc show dev ovs-ns2
q0=$(tc_packets ovs-ns2 qdisc)
send_udp
seen=$(($(tc_packets ovs-ns2 qdisc) - q0))
vm_log "htb saw $seen frames of the $N datagrams sent"
[ "$seen" -ge "$N" ] || vm_die "htb saw only $seen of $N frames"
vsctl clear port ovs-ns2 qos
vm_poll "ovs-ns2 an XDP output again" 120 agent_port_is ovs-ns2 xdp_output True

vm_log "3. a VLAN device on ovs-ns1"
vm_must modprobe 8021q
vm_must ip link add link ovs-ns1 name ovs-ns1.7 type vlan id 7
vm_poll "ovs-ns1 kept on the kernel path" 120 agent_port_is ovs-ns1 accelerated False
reason_has ovs-ns1 reason VLAN
vm_must ip link del ovs-ns1.7
vm_poll "ovs-ns1 accelerated again" 120 agent_port_is ovs-ns1 accelerated True
ns_ping ns1 10.0.0.2 10 0.05
agent_stop
vm_log "PASS: policing, QoS and a VLAN device keep their ports on the kernel path"
