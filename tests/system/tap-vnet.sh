#!/bin/sh
# A VM's frames on its tap, as vhost-net writes them (tests/tools/
# vnet-tap-send.py): UDP with VIRTIO_NET_HDR_F_NEEDS_CSUM and only the
# pseudo-header sum in the checksum.  The kernel datapath hands them on as
# CHECKSUM_PARTIAL and the sum is completed on output.  Every datagram
# reaches the namespace behind a veth port intact, without the agent and
# with it.  With it, the partial ones go to the kernel, whether tun ran
# the program on an xdp_buff (a non-blocking writer) or on an skb that
# stays CHECKSUM_PARTIAL (a blocking one): XDP cannot tell the two apart,
# and completing the sum in the second would have it completed twice on
# output.  Datagrams with full checksums (a VM without checksum offload)
# go through XDP.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

send="$OVS_XDP_SRC/tests/tools/vnet-tap-send.py"
check="$OVS_XDP_SRC/tests/tools/stream-check.py"
N=200
ovs_bridge_with_namespaces 2
# The tap's megaflow must outlive the pauses between batches (10 s idle on
# a busy guest), or a batch only remakes it.
ovs_keep_flows
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

# run_batch NAME FIRST [SEND-OPTION...]: N datagrams from the "VM" to
# ns2:5001, counted there; the receiver's JSON summary in $VM_OUT/NAME.json.
run_batch() {
	ip netns exec ns2 python3 "$check" recv udp 5001 "$N" >"$VM_OUT/$1.json" 2>&1 &
	_rx=$!
	vm_wait_for "the receiver in ns2" 60 sh -c "ip netns exec ns2 ss -lun | grep -q :5001"
	_name=$1 _first=$2
	shift 2
	vm_must python3 "$send" "$@" vmtap0 02:00:00:00:00:09 02:00:00:00:00:02 \
		10.0.0.9 10.0.0.2 5001 "$_first" "$N"
	_rc=0
	wait "$_rx" || _rc=$?
	cat "$VM_OUT/$_name.json"
	[ "$_rc" -eq 0 ] || ip netns exec ns2 nstat -az 'Udp*' >&2 || true
	[ "$_rc" -eq 0 ] || vm_die "$_name: not every datagram arrived intact"
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
# beat_keep: frames passed for the heartbeat (a busy guest let the
# agent's heartbeat lapse: the fail-safe) or as keepalives so far.
beat_keep() { echo $(($(agent_counter pass_heartbeat) + $(agent_counter pass_keepalive))); }
# fail MESSAGE: the fast path's counters, then the failure.
fail() {
	"$xdpctl" stats | grep -E 'fastpath_events|port_' || true
	"$xdpctl" dump-flows || true
	vm_die "$1"
}
# A batch in which the heartbeat lapsed throughout (or that ran before the
# agent had the flow again) shows nothing of the fast path's choice: such
# a batch is sent again, up to TRIES times.
TRIES=5
for writer in blocking nonblock; do
	opt=
	[ "$writer" = blocking ] || opt=--nonblock
	try=1
	while :; do
		r0=$(agent_counter redirect)
		c0=$(agent_counter pass_csum)
		b0=$(beat_keep)
		# shellcheck disable=SC2086
		run_batch "agent-partial-$writer-$try" 0 $opt
		redirected=$(($(agent_counter redirect) - r0))
		passed=$(($(agent_counter pass_csum) - c0))
		other=$(($(beat_keep) - b0))
		vm_log "partial sums, $writer writer: $passed of $N passed to the kernel for their checksum, $other as keepalives or for a late heartbeat, $redirected redirected in XDP"
		[ "$redirected" -eq 0 ] || fail "$writer: partial sums went through XDP"
		[ "$passed" -eq 0 ] || break
		[ "$try" -lt "$TRIES" ] || fail "$writer: the heartbeat lapsed through $TRIES batches"
		try=$((try + 1))
	done
done
try=1
while :; do
	r0=$(agent_counter redirect)
	c0=$(agent_counter pass_csum)
	b0=$(beat_keep)
	run_batch "agent-complete-$try" 0 --complete
	redirected=$(($(agent_counter redirect) - r0))
	passed=$(($(agent_counter pass_csum) - c0))
	other=$(($(beat_keep) - b0))
	vm_log "full sums: $redirected of $N redirected in XDP, $other passed as keepalives or for a late heartbeat, $passed for their checksum"
	[ "$passed" -eq 0 ] || fail "full sums passed for their checksum"
	[ "$redirected" -lt $((N / 10)) ] || break
	[ "$try" -lt "$TRIES" ] || fail "full sums: the heartbeat lapsed through $TRIES batches"
	try=$((try + 1))
done
agent_stop
vm_log "PASS: $N of $N datagrams from a tap intact each way: partial sums through the kernel, full ones through XDP"
