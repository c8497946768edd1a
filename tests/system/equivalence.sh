#!/bin/sh
# Equivalence: the same generated traffic (many flows; IPv4, IPv6, ARP,
# VLAN, fragments, TCP/UDP/ICMP, some malformed) through real Open vSwitch,
# once with ovs-xdpd and once without.  What arrives at every namespace
# must be the same multiset of frames, byte for byte, and with the agent
# the fast path must have handled most frames of the offloaded flows.
#
# Timing: nothing here waits a fixed time.  Captures are known to be
# listening before traffic starts, traffic is known to be delivered (and
# read by the captures) before they stop, and the megaflows known to be
# installed (and, with the agent, given their verdict) before phase B.
# ovs-vswitchd keeps its megaflows in both runs (ovs_keep_flows: max-idle
# 10 s -> 600 s, max-revalidator 500 ms -> 20 s), so that none of phase A
# is deleted before phase B however slow the host, and the agent's keepalive is 5 s instead of its default 1 s: the
# megaflows need no keepalive to live then, and the share of frames that
# XDP handles hardly depends on how fast the senders run (each flow
# still sends some frames through the kernel: the first one after its
# offload, and one every 5 s).
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

NSS="ns1 ns2 ns3 ns4"
ovs_bridge_with_namespaces 1 2 3 4
ovs_keep_flows
ns_xdp_ready $NSS
ovs_port_trunk ovs-ns4 10

cat >"$VM_OUT/openflow.txt" <<'FLOWS'
priority=300,in_port=ovs-ns1,udp,tp_dst=53,actions=mod_nw_dst:10.0.0.3,mod_tp_dst:5353,mod_dl_dst:02:00:00:00:99:03,output:ovs-ns3
priority=300,in_port=ovs-ns1,udp,tp_dst=4789,actions=output:ovs-ns2,output:ovs-ns3
priority=300,in_port=ovs-ns1,udp,tp_dst=5000,actions=mod_vlan_vid:10,output:ovs-ns4
priority=300,in_port=ovs-ns1,tcp,tp_dst=80,actions=ct(commit),output:ovs-ns2
priority=300,in_port=ovs-ns1,ip,nw_dst=10.0.0.99,actions=drop
priority=300,in_port=ovs-ns1,icmp,actions=dec_ttl,mod_nw_tos:32,output:ovs-ns2
priority=300,in_port=ovs-ns1,ipv6,actions=set_field:fd00::99->ipv6_src,dec_ttl,output:ovs-ns2
priority=300,in_port=ovs-ns1,udp,tp_dst=7,actions=mod_nw_src:10.0.0.77,mod_tp_src:7777,output:ovs-ns2
priority=300,in_port=ovs-ns1,tcp,tp_dst=22,actions=mod_tp_dst:2222,mod_nw_dst:10.0.0.88,output:ovs-ns3
priority=250,in_port=ovs-ns1,arp,actions=output:ovs-ns2
priority=200,in_port=ovs-ns1,ip,actions=mod_dl_src:02:00:00:00:aa:01,output:ovs-ns2
priority=200,in_port=ovs-ns4,dl_vlan=10,actions=strip_vlan,output:ovs-ns1
priority=200,in_port=ovs-ns2,actions=in_port
priority=0,actions=drop
FLOWS
vm_must ovs-ofctl del-flows br0
vm_must ovs-ofctl add-flows br0 "$VM_OUT/openflow.txt"

D=02:00:00:00:99:02
# The flows, one frame each (phase A installs the megaflows); phase B sends
# each again ROUNDS times.
SPECS1="udp4:dst=$D,dport_spread=40,count=40 udp4:dst=$D,dport=53,count=3 \
udp4:dst=$D,dport=4789 udp4:dst=$D,dport=5000 tcp4:dst=$D,dport=80 \
udp4:dst=$D,dip=10.0.0.99 icmp4:dst=$D,count=4 udp4:dst=$D,dport=7 \
tcp4:dst=$D,dport=22,sport_spread=4,count=4 arp udp6:dst=$D,count=3 \
icmp6:dst=$D ns6:dst=$D tcp6:dst=$D,dport=443 frag4:dst=$D,count=4 \
frag6:dst=$D,count=4 vlan-udp4:dst=$D,vid=10 qinq-udp4:dst=$D \
short-ip4:dst=$D bad-ihl4:dst=$D"
SPECS2="udp4:src=02:00:00:00:00:02,dst=$D,dport_spread=8,count=8 icmp4:src=02:00:00:00:00:02,dst=$D"
SPECS4="vlan-udp4:src=02:00:00:00:00:04,dst=$D,vid=10,count=3"
ROUNDS=${OVS_XDP_ROUNDS:-20}

send_all() { # ROUNDS: every spec's frames, ROUNDS times, from one process
	# per sender, so that each flow sends many frames per keepalive
	# interval; paced, so that no queue of the kernel path overflows (a
	# dropped frame would be a difference).
	# shellcheck disable=SC2086
	vm_must ip netns exec ns1 python3 "$frames" send --repeat "$1" --gap-us 1000 eth0 $SPECS1 >/dev/null
	# shellcheck disable=SC2086
	vm_must ip netns exec ns2 python3 "$frames" send --repeat "$1" --gap-us 1000 eth0 $SPECS2 >/dev/null
	# shellcheck disable=SC2086
	vm_must ip netns exec ns4 python3 "$frames" send --repeat "$1" --gap-us 1000 eth0 $SPECS4 >/dev/null
}

# capture_ready NS: true once NS has a running packet socket for every
# protocol (ETH_P_ALL, 0003 in /proc/net/packet): frames.py capture's.
capture_ready() {
	ip netns exec "$1" awk 'NR > 1 && $4 == "0003" && $6 == "1" { f = 1 } END { exit !f }' \
		/proc/net/packet
}

# delivery_state: what changes while frames are still on their way: every
# namespace's eth0 rx count and the bytes waiting in its capture socket, the
# datapath's lookups and its megaflows (without their counters).
delivery_state() {
	for ns in $NSS; do
		ip netns exec $ns cat /sys/class/net/eth0/statistics/rx_packets
		ip netns exec $ns awk 'NR > 1 && $4 == "0003" { print "rmem", $7 }' /proc/net/packet
	done
	timeout 60 ovs-dpctl show | grep lookups
	timeout 60 ovs-dpctl dump-flows | sed 's/, packets:.*actions:/ actions:/' | sort
}

# quiet LABEL: waits until the traffic sent so far has been delivered: no
# change of delivery_state over two seconds, and every capture socket read
# empty (Rmem 0).  With the agent, also until it has every megaflow of the
# kernel's table, each with its verdict.
quiet() {
	_same=0 _prev='' _end=$(($(_vm_uptime) + 180))
	while [ "$_same" -lt 2 ]; do
		sleep 1
		_st=$(delivery_state)
		if [ -n "${AGENT_PID:-}" ]; then
			_k=$(printf '%s\n' "$_st" | grep -c '^recirc_id' || true)
			_a=$(timeout 60 "$xdpctl" dump-flows | grep -c '^recirc_id' || true)
			_st="$_st
agent $_a offloaded $(timeout 60 "$xdpctl" dump-flows type=offloaded | grep -c '^recirc_id' || true)"
			[ "$_a" -eq "$_k" ] || _st="$_st (agent behind)"
		fi
		if [ "$_st" = "$_prev" ] && ! printf '%s\n' "$_st" | grep -q -e '^rmem [1-9]' -e '(agent behind)'; then
			_same=$((_same + 1))
		else
			_same=0
		fi
		_prev=$_st
		[ "$(_vm_uptime)" -lt "$_end" ] || {
			printf '%s\n' "$_st" | grep -v '^recirc_id'
			vm_die "$1: traffic never settled"
		}
	done
}

# run LABEL: a fresh datapath, capture everywhere, traffic.  (Purge, not
# ovs-dpctl del-flows: ovs-vswitchd would keep its flow keys and refuse to
# reinstall the same flows for a while.)
run() {
	vm_must ovs-appctl revalidator/purge
	mkdir -p "$VM_OUT/$1"
	for ns in $NSS; do
		ip netns exec $ns python3 "$frames" capture eth0 "$VM_OUT/$1/$ns.hex" 1800 \
			>"$VM_OUT/$1/$ns.log" 2>&1 &
		eval "CAP_$ns=\$!"
	done
	for ns in $NSS; do
		vm_poll "the capture on $ns to listen" 120 capture_ready $ns
	done
	send_all 1
	# Megaflows installed (and, with the agent, given their verdict).
	quiet "$1, phase A"
	ovs-dpctl dump-flows >"$VM_OUT/$1/dpctl.txt"
	[ -z "${AGENT_PID:-}" ] || "$xdpctl" dump-flows >"$VM_OUT/$1/flows.txt"
	send_all "$ROUNDS"
	# Every frame delivered and read by the captures before they stop.
	quiet "$1, phase B"
	for ns in $NSS; do
		eval "kill \$CAP_$ns"
		eval "wait \$CAP_$ns" || true
		sort "$VM_OUT/$1/$ns.hex" >"$VM_OUT/$1/$ns.sorted"
		# Device counters, to tell a drop from a difference.
		{ ip netns exec $ns ethtool -S eth0; ethtool -S ovs-$ns; } \
			>"$VM_OUT/$1/$ns.devstats" 2>&1 || true
	done
	vm_log "$1: $(cat "$VM_OUT/$1"/*.hex | wc -l) frames captured"
}

run kernel
agent_start --keepalive 5000
run agent
cat "$VM_OUT/agent/flows.txt"
"$xdpctl" stats >"$VM_OUT/agent/stats.txt"
grep fastpath_events "$VM_OUT/agent/stats.txt"

for ns in $NSS; do
	if ! cmp -s "$VM_OUT/kernel/$ns.sorted" "$VM_OUT/agent/$ns.sorted"; then
		diff "$VM_OUT/kernel/$ns.sorted" "$VM_OUT/agent/$ns.sorted" | head -n 10
		vm_die "$ns received different frames with the agent"
	fi
done
xdp=$(($(agent_counter redirect) + $(agent_counter tx) + $(agent_counter broadcast) + $(agent_counter drop)))
offloaded=$(grep -c "offloaded:yes" "$VM_OUT/agent/flows.txt" || true)
# Frames of offloaded flows in phase B, from the flows' own counters is
# what the kernel saw; XDP must have taken most of them: at least half of
# all phase-B frames sent by ns1's 40-port spread alone.
vm_log "agent: $offloaded flows offloaded, $xdp frames handled in XDP"
[ "$offloaded" -ge 20 ] || vm_die "only $offloaded flows offloaded"
[ "$xdp" -ge $((ROUNDS * 40 / 2)) ] || vm_die "only $xdp frames took the XDP path"
agent_stop
vm_log "PASS: every namespace received the same frames with and without the agent"
