#!/bin/sh
# Offloaded flows carrying steady traffic stay installed in the kernel (and
# offloaded) for at least 3x max-idle: the fast path lets one frame per flow
# per keepalive interval take the kernel path, which keeps ovs-vswitchd
# from expiring the flow.  The control run, with keepalive off, shows the
# flows being deleted for idleness while all their frames go through XDP.
# Both runs last at least 20 s, 10x max-idle, and 10 samples.
#
# Timing: the pings run until the samples are taken (and the second mirror
# stopped), so that no sample or removal comes from the traffic ending;
# sampling starts once both flows are offloaded; the run lasts as long as a
# busy host needs to take its samples.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

MAX_IDLE_MS=2000
ovs_bridge_with_namespaces 1 2
ns_xdp_ready ns1 ns2
vsctl set Open_vSwitch . other_config:max-idle=$MAX_IDLE_MS
vm_must ovs-ofctl add-flow br0 "in_port=ovs-ns1,actions=output:ovs-ns2"
vm_must ovs-ofctl add-flow br0 "in_port=ovs-ns2,actions=output:ovs-ns1"

# ipv4_packets FILE: the kernel's packet count of the ns1->ns2 IPv4 flow
# in an ovs-dpctl dump, or -1 if the flow is not there.
ipv4_packets() {
	sed -n 's/^recirc_id(0),in_port(2),.*eth_type(0x0800).*packets:\([0-9]*\),.*/\1/p' "$1" |
		head -n 1 | grep . || echo -1
}

# RESETS: samples where the kernel flow was missing or its count went back
# (ovs-vswitchd deleted it as idle, and an upcall made it again).
count_resets() {
	RESETS=0
	prev=0
	for t in $(seq "$2"); do
		n=$(ipv4_packets "$VM_OUT/dpctl-$1-$t.txt")
		if [ "$n" -lt 0 ] || [ "$n" -lt "$prev" ]; then
			RESETS=$((RESETS + 1))
		fi
		prev=$n
	done
}

# both_offloaded: true when the two IPv4 flows are offloaded.
both_offloaded() {
	[ "$(timeout 60 "$xdpctl" dump-flows type=offloaded | grep -c 'eth_type(0x0800)')" -ge 2 ]
}

# steady LABEL SECONDS: pings at 10/s for at least SECONDS and 10 samples;
# checks none is lost and both directions' flows are offloaded all along;
# prints the deletions.
steady() {
	ns_ping ns1 10.0.0.2 3
	ns_ping_start ns1 10.0.0.2 0.1
	vm_poll "$1: both IPv4 flows offloaded" 120 both_offloaded
	xdp0=$(agent_counter redirect)
	# A second mirror that prints every change: expiries show as removals.
	"$xdpctl" watch --reconcile-interval 60 >"$VM_OUT/watch-$1.txt" 2>&1 &
	watch_pid=$!
	watch_wait_ready "$watch_pid"
	t=0
	end=$(($(_vm_uptime) + $2))
	# Samples while the pings run, a second apart at most.
	while [ "$t" -lt 10 ] || [ "$(_vm_uptime)" -lt "$end" ]; do
		sleep 1
		t=$((t + 1))
		timeout 60 "$xdpctl" dump-flows >"$VM_OUT/flows-$1-$t.txt"
		timeout 60 ovs-dpctl dump-flows >"$VM_OUT/dpctl-$1-$t.txt"
		[ "$t" -lt 600 ] || vm_die "$1: $t samples and still not done"
	done
	SAMPLES=$t
	# The mirror first, while the traffic still keeps the flows alive.
	kill $watch_pid
	wait $watch_pid || true
	XDP=$(($(agent_counter redirect) - xdp0))
	ns_ping_stop "$1"
	[ "$SAMPLES" -ge 5 ] || vm_die "$1: only $SAMPLES samples"
	count_resets "$1" "$SAMPLES"
	# A kernel flow that expires comes back with the next frame's upcall,
	# with the same UFID: the mirror's removals are what show it.
	EXPIRED=$(grep -c '^remove .*in_port(2),.*eth_type(0x0800)' "$VM_OUT/watch-$1.txt" || true)
	vm_log "$1: the IPv4 flow expired $EXPIRED times, its kernel counters reset $RESETS times, $XDP frames redirected over $SAMPLES samples"
}

agent_start --keepalive 500
steady keepalive 20
[ "$RESETS" -eq 0 ] && [ "$EXPIRED" -eq 0 ] ||
	vm_die "the kernel flow expired despite the keepalive"
for t in $(seq "$SAMPLES"); do
	f="$VM_OUT/flows-keepalive-$t.txt"
	n=$(grep -c "offloaded:yes" "$f" || true)
	[ "$n" -ge 2 ] || vm_die "$(basename "$f"): $n flows offloaded, want 2: $(cat "$f")"
done
[ "$XDP" -ge 100 ] || vm_die "only $XDP frames went through XDP"
keep=$(agent_counter pass_keepalive)
[ "$keep" -gt 0 ] || vm_die "no keepalive frame was sent"
agent_stop

# Control: without keepalive the kernel flows starve and expire.
agent_start --keepalive 0
steady starved 20
[ "$EXPIRED" -ge 1 ] || vm_die "without keepalive no flow expired: the test proves nothing"
agent_stop
vm_log "PASS: with keepalive the flows stayed installed and offloaded for 10x max-idle; without, they expired"
