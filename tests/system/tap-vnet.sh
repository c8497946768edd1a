#!/bin/sh
# A VM's frames on its tap, as vhost-net writes them (tests/tools/
# vnet-tap-send.py): UDP with VIRTIO_NET_HDR_F_NEEDS_CSUM and only the
# pseudo-header sum in the checksum.  The kernel datapath completes the
# sum on output; so must the fast path, which takes the tap's frames in
# native XDP (tun_build_skb() runs it without looking at the flag).  Every
# datagram reaches the namespace behind a veth port intact, without the
# agent and with it, and with it they went through XDP.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

send="$OVS_XDP_SRC/tests/tools/vnet-tap-send.py"
check="$OVS_XDP_SRC/tests/tools/stream-check.py"
N=200
ovs_bridge_with_namespaces 2
ns_xdp_ready ns2
# The VM's tap: persistent, with a virtio-net header, in the bridge.
vm_must modprobe tun
vm_must ip tuntap add dev vmtap0 mode tap vnet_hdr
vm_must sysctl -qw net.ipv6.conf.vmtap0.disable_ipv6=1
vm_must ip link set vmtap0 up
vsctl add-port br0 vmtap0
vm_must ovs-ofctl del-flows br0
vm_must ovs-ofctl add-flow br0 "in_port=vmtap0,actions=output:ovs-ns2"
vm_must ip -n ns2 neigh replace 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth0

# run_batch NAME FIRST: N datagrams from the "VM" to ns2:5001, counted
# there; the receiver's JSON summary in $VM_OUT/NAME.json.
run_batch() {
	ip netns exec ns2 python3 "$check" recv udp 5001 "$N" >"$VM_OUT/$1.json" 2>&1 &
	_rx=$!
	vm_wait_for "the receiver in ns2" 60 sh -c "ip netns exec ns2 ss -lun | grep -q :5001"
	vm_must python3 "$send" vmtap0 02:00:00:00:00:09 02:00:00:00:00:02 \
		10.0.0.9 10.0.0.2 5001 "$2" "$N"
	_rc=0
	wait "$_rx" || _rc=$?
	cat "$VM_OUT/$1.json"
	[ "$_rc" -eq 0 ] || ip netns exec ns2 nstat -az 'Udp*' >&2 || true
	[ "$_rc" -eq 0 ] || vm_die "$1: not every datagram arrived intact"
}

vm_log "without the agent"
run_batch kernel 0

vm_log "with the agent"
agent_start
vm_wait_for "vmtap0 to be accelerated" 60 sh -c \
	"'$xdpctl' show | grep -q 'vmtap0 (netdev.*xdp native'"
# A first batch makes the megaflow (and goes to the kernel until it is
# offloaded); then wait until the fast path holds it.
vm_must python3 "$send" vmtap0 02:00:00:00:00:09 02:00:00:00:00:02 \
	10.0.0.9 10.0.0.2 5002 0 20
tap_no=$(ovs-dpctl show | sed -n 's/^ *port \([0-9]*\): vmtap0.*/\1/p')
[ -n "$tap_no" ] || vm_die "vmtap0 is no datapath port"
if ! timeout 90 sh -c "until '$xdpctl' dump-flows | grep -q 'in_port($tap_no),.*offloaded:yes'; do sleep 0.5; done"; then
	"$xdpctl" show
	"$xdpctl" dump-flows
	vm_die "the tap's flow was not offloaded"
fi
r0=$(agent_counter redirect)
run_batch agent 0
r1=$(agent_counter redirect)
vm_log "redirected in XDP: $((r1 - r0)) of $N"
# All but the keepalive frames (one a second to the kernel flow).
[ $((r1 - r0)) -ge $((N * 9 / 10)) ] || vm_die "only $((r1 - r0)) of $N datagrams went through XDP"
agent_stop
vm_log "PASS: $N of $N partial-checksum datagrams from a tap intact, through XDP"
