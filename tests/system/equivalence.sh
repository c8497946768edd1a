#!/bin/sh
# vm-run: --nic-pair --timeout 900
# (the longest scenario: on a busy host it needs more than the default)
# Equivalence: the same generated traffic (many flows; IPv4, IPv6, ARP,
# VLAN, fragments, TCP/UDP/ICMP, some malformed) through real Open vSwitch,
# once with ovs-xdpd and once without.  What arrives at every namespace
# must be the same multiset of frames, byte for byte, and with the agent
# the fast path must have handled most frames of the offloaded flows.
#
# The ports are of every kind the agent classifies:
# - veths to namespaces ns1..ns5 (ns4 a VLAN trunk);
# - a VM's tap, written as a VM's virtio-net writes it (tests/tools/
#   vnet-tap-send.py): UDP with NEEDS_CSUM and only the pseudo-header sum,
#   by a blocking and by a non-blocking writer (tun runs XDP on an skb that
#   stays CHECKSUM_PARTIAL, or on an xdp_buff), and UDP with full sums.
#   The kernel hands partial frames on as CHECKSUM_PARTIAL, and the
#   captures write such a frame completed as skb_checksum_help() would on
#   output, so a frame that the fast path had completed (or completed
#   twice) must carry the same bytes; the full sums go through XDP;
# - a virtio-net NIC (a real driver, native XDP) as input and as output,
#   its far end in namespace "wire" (tests/vm/vm-run.sh --nic-pair);
# - ovs-ns5 with ingress policing and linux-htb QoS configured through
#   ovs-vsctl (rates far above the test's, so neither run drops a frame):
#   its frames stay in the kernel and it is no XDP output;
# - port properties changed while phase B's traffic runs, in both runs: the
#   MTU of ovs-ns3 lowered to 1400 (every frame is shorter) and tx checksum
#   offload turned on at ns1's end of its veth (the agent then verifies
#   ovs-ns1's checksums); undone after each run.  Once the agent shows the
#   change, ns1's own stack sends UDP datagrams, which now leave it with
#   partial sums: the kernel hands them on as CHECKSUM_PARTIAL, the fast
#   path completes them.
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

send_tap="$OVS_XDP_SRC/tests/tools/vnet-tap-send.py"
NSS="ns1 ns2 ns3 ns4 ns5"
ovs_bridge_with_namespaces 1 2 3 4 5
ovs_keep_flows
ns_xdp_ready $NSS
ovs_port_trunk ovs-ns4 10
# (veths start with tx checksum offload on; off, so that the change made
# under traffic below is a change in both runs)
vm_must ip netns exec ns1 ethtool -K eth0 tx off >/dev/null

# The VM's tap: persistent, with a virtio-net header, in the bridge.
vm_must modprobe tun
vm_must ip tuntap add dev vmtap0 mode tap vnet_hdr
vm_must sysctl -qw net.ipv6.conf.vmtap0.disable_ipv6=1
vm_must ip link set vmtap0 up
vsctl add-port br0 vmtap0

# The NIC pair: $nic in the bridge, $far in namespace wire.
nic_pair
vm_must sysctl -qw "net.ipv6.conf.$nic.disable_ipv6=1"
vm_must ip link set "$nic" up
vsctl add-port br0 "$nic"
vm_must ip netns add wire
vm_must ip link set "$far" netns wire
vm_must ip netns exec wire sysctl -qw "net.ipv6.conf.$far.disable_ipv6=1"
vm_must ip -n wire link set "$far" up
CAPS="$NSS wire"
# cap_dev NS: the device captured (and sent from) in NS.
cap_dev() { if [ "$1" = wire ]; then echo "$far"; else echo eth0; fi; }

# Policing and QoS on ovs-ns5, as OpenStack's QoS sets them.
vsctl set interface ovs-ns5 ingress_policing_rate=1000000 ingress_policing_burst=100000
vsctl -- set port ovs-ns5 qos=@q -- --id=@q create qos type=linux-htb \
	other-config:max-rate=1000000000 >/dev/null

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
cat >>"$VM_OUT/openflow.txt" <<FLOWS
priority=300,in_port=vmtap0,actions=output:ovs-ns2
priority=300,in_port=ovs-ns1,udp,tp_dst=6000,actions=mod_dl_dst:02:00:00:00:99:0e,output:$nic
priority=300,in_port=$nic,actions=output:ovs-ns2
priority=300,in_port=ovs-ns1,udp,tp_dst=6001,actions=output:ovs-ns5
priority=300,in_port=ovs-ns5,actions=output:ovs-ns2
FLOWS
vm_must ovs-ofctl del-flows br0
vm_must ovs-ofctl add-flows br0 "$VM_OUT/openflow.txt"

D=02:00:00:00:99:02
vm_must ip -n ns1 neigh replace 10.0.0.2 lladdr $D dev eth0
# The flows, one frame each (phase A installs the megaflows); phase B sends
# each again ROUNDS times.
SPECS1="udp4:dst=$D,dport_spread=40,count=40 udp4:dst=$D,dport=53,count=3 \
udp4:dst=$D,dport=4789 udp4:dst=$D,dport=5000 tcp4:dst=$D,dport=80 \
udp4:dst=$D,dip=10.0.0.99 icmp4:dst=$D,count=4 udp4:dst=$D,dport=7 \
tcp4:dst=$D,dport=22,sport_spread=4,count=4 arp udp6:dst=$D,count=3 \
icmp6:dst=$D ns6:dst=$D tcp6:dst=$D,dport=443 frag4:dst=$D,count=4 \
frag6:dst=$D,count=4 vlan-udp4:dst=$D,vid=10 qinq-udp4:dst=$D \
short-ip4:dst=$D bad-ihl4:dst=$D udp4:dst=$D,dport=6000,count=4 \
udp4:dst=$D,dport=6001,count=2"
SPECS2="udp4:src=02:00:00:00:00:02,dst=$D,dport_spread=8,count=8 icmp4:src=02:00:00:00:00:02,dst=$D"
SPECS4="vlan-udp4:src=02:00:00:00:00:04,dst=$D,vid=10,count=3"
SPECS5="udp4:src=02:00:00:00:00:05,dst=$D,count=3"
SPECSW="udp4:src=02:00:00:00:00:0e,dst=$D,sport_spread=3,count=3 tcp4:src=02:00:00:00:00:0e,dst=$D"
# The tap's datagrams, TAP_PER_ROUND of each writer: TAP_SENT so far
# (each one distinct, the same sequence in both runs).
TAP_PER_ROUND=3
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
	# shellcheck disable=SC2086
	vm_must ip netns exec ns5 python3 "$frames" send --repeat "$1" --gap-us 1000 eth0 $SPECS5 >/dev/null
	# shellcheck disable=SC2086
	vm_must ip netns exec wire python3 "$frames" send --repeat "$1" --gap-us 1000 "$far" $SPECSW >/dev/null
	_n=$(($1 * TAP_PER_ROUND)) _writers='"" --nonblock --complete'
	# (phase A: one writer makes the tap's megaflow, which matches on
	# in_port alone)
	[ "$1" -gt 1 ] || _writers=--complete
	eval "set -- $_writers"
	for _w in "$@"; do
		# shellcheck disable=SC2086
		vm_must python3 "$send_tap" $_w vmtap0 02:00:00:00:00:09 $D 10.0.0.9 10.0.0.2 5001 "$TAP_SENT" "$_n"
		TAP_SENT=$((TAP_SENT + _n))
	done
}

# change_ports: the port property changes, made while phase B's traffic
# runs (once ns1's sender is under way); undo_ports takes them back.
tx_packets() { ip netns exec ns1 cat /sys/class/net/eth0/statistics/tx_packets; }
sender_running() {
	kill -0 "$SENDER" 2>/dev/null || vm_die "phase B's traffic ended before it was under way"
	[ "$(tx_packets)" -gt $((TX0 + 20)) ]
}
# udp_from_ns1 FIRST COUNT: datagrams from a UDP socket of ns1's stack
# (fixed ports: the same frames in both runs but for their IP ID, see
# ns1_ids_zeroed) to 10.0.0.2:7000 behind $D (a static neighbour: no ARP).
udp_from_ns1() {
	# shellcheck disable=SC2016
	vm_must ip netns exec ns1 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.1", 40001))
for i in range(int(sys.argv[1]), int(sys.argv[1]) + int(sys.argv[2])):
    s.sendto(b"equivalence-%05d" % i + bytes(i % 50), ("10.0.0.2", 7000))
    time.sleep(0.001)' "$1" "$2"
}
# ns1_ids_zeroed: hex frames on stdin, those of udp_from_ns1 with their IP
# ID zeroed (and the header checksum made again to match): the stack picks
# the ID at random in each run, and nothing on either path touches it.
ns1_ids_zeroed() {
	python3 -c '
import sys
def csum(b):
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
for line in sys.stdin:
    f = bytearray.fromhex(line.strip())
    if (len(f) >= 42 and f[12:14] == b"\x08\x00" and f[14] == 0x45 and f[23] == 17
            and f[26:30] == bytes([10, 0, 0, 1]) and f[34:38] == bytes.fromhex("9c411b58")):
        f[18:20] = b"\0\0"
        f[24:26] = b"\0\0"
        f[24:26] = csum(bytes(f[14:34])).to_bytes(2, "big")
    print(f.hex())'
}
change_ports() {
	vm_poll "ns1's sender under way" 300 sender_running
	vm_must ip link set ovs-ns3 mtu 1400
	vm_must ip netns exec ns1 ethtool -K eth0 tx on >/dev/null
	vm_log "$1: ports changed after $(($(tx_packets) - TX0)) frames of ns1's phase B"
}
undo_ports() {
	vm_must ip link set ovs-ns3 mtu 1500
	vm_must ip netns exec ns1 ethtool -K eth0 tx off >/dev/null
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
	for ns in $CAPS; do
		# shellcheck disable=SC2016 # $4, $7 are awk's
		ip netns exec $ns sh -c 'cat "/sys/class/net/$1/statistics/rx_packets"
			awk '"'"'NR > 1 && $4 == "0003" { print "rmem", $7 }'"'"' /proc/net/packet' - "$(cap_dev $ns)"
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
	for ns in $CAPS; do
		ip netns exec $ns python3 "$frames" capture "$(cap_dev $ns)" "$VM_OUT/$1/$ns.hex" 1800 \
			>"$VM_OUT/$1/$ns.log" 2>&1 &
		eval "CAP_$ns=\$!"
	done
	for ns in $CAPS; do
		vm_poll "the capture on $ns to listen" 120 capture_ready $ns
	done
	TAP_SENT=0
	send_all 1
	udp_from_ns1 0 5
	# Megaflows installed (and, with the agent, given their verdict).
	quiet "$1, phase A"
	ovs-dpctl dump-flows >"$VM_OUT/$1/dpctl.txt"
	[ -z "${AGENT_PID:-}" ] || "$xdpctl" dump-flows >"$VM_OUT/$1/flows.txt"
	TX0=$(tx_packets)
	send_all "$ROUNDS" &
	SENDER=$!
	change_ports "$1"
	wait "$SENDER" || vm_die "$1: phase B's traffic failed"
	if [ -n "${AGENT_PID:-}" ]; then
		vm_poll "the agent to see ovs-ns3's MTU" 120 agent_port_is ovs-ns3 mtu 1400
		vm_poll "the agent to verify ovs-ns1's checksums" 120 agent_port_is ovs-ns1 verify_checksums True
		csum0=$(agent_counter redirect)
	fi
	udp_from_ns1 5 $((ROUNDS * 5))
	[ -z "${AGENT_PID:-}" ] || UDP_XDP=$(($(agent_counter redirect) - csum0))
	# Every frame delivered and read by the captures before they stop.
	quiet "$1, phase B"
	undo_ports
	for ns in $CAPS; do
		eval "kill \$CAP_$ns"
		eval "wait \$CAP_$ns" || true
		ns1_ids_zeroed <"$VM_OUT/$1/$ns.hex" | sort >"$VM_OUT/$1/$ns.sorted"
		# Device counters, to tell a drop from a difference.
		{ ip netns exec $ns ethtool -S "$(cap_dev $ns)"; [ $ns = wire ] || ethtool -S ovs-$ns; } \
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

for ns in $CAPS; do
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
# Each kind of port played its part: the tap (its full sums) and the NIC
# as inputs in XDP, the NIC as an XDP output, ovs-ns5 kept in the kernel
# both ways, and the changed properties seen by the agent while phase B
# ran.
tap_xdp=$(agent_port_xdp_packets vmtap0) nic_xdp=$(agent_port_xdp_packets "$nic")
vm_log "agent: in XDP from the tap $tap_xdp (its full sums: $(((ROUNDS + 1) * TAP_PER_ROUND))), from the NIC $nic_xdp; redirected while ns1's stack sent its $((ROUNDS * 5)) partial-sum datagrams: $UDP_XDP"
[ "$tap_xdp" -ge $((ROUNDS * TAP_PER_ROUND / 2)) ] || vm_die "too few of the tap's frames took the XDP path"
[ "$nic_xdp" -ge $((ROUNDS * 3 / 2)) ] || vm_die "too few of the NIC's frames took the XDP path"
[ "$(agent_port_field ovs-ns5 accelerated)" = False ] || vm_die "ovs-ns5 accelerated despite its policer"
agent_port_field ovs-ns5 reason | grep -q "tc ingress" ||
	vm_die "ovs-ns5: unexpected reason: $(agent_port_field ovs-ns5 reason)"
[ "$(agent_port_field ovs-ns5 xdp_output)" = False ] || vm_die "ovs-ns5 an XDP output despite its QoS"
[ "$(agent_port_field "$nic" xdp_output)" = True ] || vm_die "$nic: no XDP output: $(agent_port_field "$nic" output_reason)"
# (the flow towards the NIC is the one that sets this destination)
grep '02:00:00:00:99:0e' "$VM_OUT/agent/flows.txt" | grep -q 'offloaded:yes' || vm_die "the flow to $nic not offloaded"
agent_stop
vm_log "PASS: every namespace received the same frames with and without the agent"
