#!/bin/sh
# Frames from a local stack whose veth has tx checksum offload carry only
# the pseudo-header sum (CHECKSUM_PARTIAL): the fast path completes the
# sum as the device would have, and the data arrives intact.  TCP and UDP
# between two namespaces through the agent, every byte checked at the
# receiver, with the fast path's counters showing that the segments took
# the XDP path rather than the kernel's.
#
# Timing: the receiver is known to listen before the sender starts, and
# the sender is already loaded then (the UDP receiver gives up 5 s after
# its last datagram, or before the first); ovs-vswitchd keeps its
# megaflows (ovs_keep_flows: max-idle 10 s -> 600 s, max-revalidator
# 500 ms -> 20 s), so that the flows offloaded before the transfers still
# carry them however slowly they start.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

check="$OVS_XDP_SRC/tests/tools/stream-check.py"
UDP_N=2000
TCP_BYTES=8000000

ovs_bridge_with_namespaces 1 2
ovs_keep_flows
ns_xdp_ready ns1 ns2
for ns in ns1 ns2; do
	ip netns exec $ns ethtool -k eth0 | grep -q "^tx-checksumming: on" ||
		vm_die "$ns: tx checksum offload is off; the test needs it on"
done
agent_start
# The megaflows NORMAL installs for the pair cover every IPv4 frame.
ns_ping ns1 10.0.0.2 3
vm_wait_for "the IPv4 flows offloaded" 120 sh -c \
	"[ \$(\"$xdpctl\" dump-flows type=offloaded | grep -c 'eth_type(0x0800)') -ge 2 ]"
"$xdpctl" dump-flows
redirect0=$(agent_counter redirect)
csum0=$(agent_counter pass_csum) beat0=$(agent_counter pass_heartbeat)

# listening NS PROTO PORT: a socket of NS is bound to PROTO (tcp, udp) PORT.
listening() {
	[ -n "$(ip netns exec "$1" ss -Hln --"$2" "sport = :$3")" ]
}

# transfer PROTO PORT COUNT: ns1 sends, ns2 receives and checks every byte.
# The sender is started first and waits for a go file, so that once the
# receiver listens the first datagram follows at once.
transfer() {
	vm_log "$1: $3 (datagrams or bytes), ns1 -> ns2"
	rm -f "$VM_OUT/$1.go"
	ip netns exec ns1 timeout 300 python3 - "$check" "$VM_OUT/$1.go" "$1" 10.0.0.2 "$2" "$3" \
		>"$VM_OUT/$1-send.log" 2>&1 <<'PY' &
import importlib.util, os, sys, time
spec = importlib.util.spec_from_file_location("stream_check", sys.argv[1])
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
deadline = time.monotonic() + 240
while not os.path.exists(sys.argv[2]):
    if time.monotonic() > deadline:
        sys.exit("no go from the receiver's side")
    time.sleep(0.05)
sys.exit(check.main(["stream-check.py", "send"] + sys.argv[3:]))
PY
	tx=$!
	ip netns exec ns2 timeout 300 python3 "$check" recv "$1" "$2" "$3" \
		>"$VM_OUT/$1.json" 2>&1 &
	rx=$!
	vm_poll "the $1 receiver to listen on $2" 120 listening ns2 "$1" "$2"
	: >"$VM_OUT/$1.go"
	wait $tx || vm_die "$1 sender failed: $(cat "$VM_OUT/$1-send.log")"
	wait $rx || vm_die "$1 receiver: $(cat "$VM_OUT/$1.json")"
	cat "$VM_OUT/$1.json"
}
transfer udp 5000 $UDP_N
transfer tcp 5001 $TCP_BYTES

# What the receiving stack says of the checksums it saw.
csum_errors() { # NS PROTO: InCsumErrors of Udp or Tcp in /proc/net/snmp
	ip netns exec "$1" awk -v p="$2:" '$1 == p { if (!h) { for (i = 2; i <= NF; i++) if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' /proc/net/snmp
}
for ns in ns1 ns2; do
	for proto in Udp Tcp; do
		n=$(csum_errors $ns $proto)
		[ "$n" = 0 ] || vm_die "$ns: $proto InCsumErrors is '$n'"
	done
done
redirected=$(($(agent_counter redirect) - redirect0))
passed=$(($(agent_counter pass_csum) - csum0))
beat=$(($(agent_counter pass_heartbeat) - beat0))
vm_log "redirected in XDP: $redirected; passed for their checksum: $passed; for a late heartbeat (a busy guest): $beat"
# TCP alone makes over 5,000 segments of at most 1,448 bytes; each one
# redirected, or passed because the agent's heartbeat lapsed (the
# fail-safe), but most through XDP.
[ $((redirected + beat)) -ge $((UDP_N + 5000)) ] && [ "$redirected" -ge $(((UDP_N + 5000) / 2)) ] ||
	vm_die "only $redirected frames took the XDP path ($beat passed for the heartbeat)"
[ "$passed" -eq 0 ] || vm_die "$passed frames were passed for their checksum"
agent_stop
vm_log "PASS: partial checksums completed in XDP, data intact"
