#!/bin/sh
# Offloaded flows carrying steady traffic stay installed in the kernel (and
# offloaded) for at least 3x max-idle: the fast path lets one frame per flow
# per keepalive interval take the kernel path, which keeps ovs-vswitchd
# from expiring the flow.  The control run, with keepalive off, shows the
# flows being deleted for idleness while all their frames go through XDP.
# Both runs last 20 s, 10x max-idle.
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

# steady LABEL SECONDS: pings at 10/s for SECONDS; checks none is lost and
# both directions' flows are offloaded all along; prints the deletions.
steady() {
	ns_exec ns1 ping -q -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null || vm_die "$1: warm-up ping"
	sleep 1
	xdp0=$(agent_counter redirect)
	# A second mirror that prints every change: expiries show as removals.
	"$xdpctl" watch --reconcile-interval 60 >"$VM_OUT/watch-$1.txt" 2>&1 &
	watch_pid=$!
	ip netns exec ns1 ping -q -i 0.1 -w "$2" 10.0.0.2 >"$VM_OUT/ping-$1.txt" 2>&1 &
	ping_pid=$!
	t=0
	# Samples while the pings run; one taken as they end is dropped (the
	# flow may rightly start to age then).
	while kill -0 $ping_pid 2>/dev/null; do
		sleep 1
		t=$((t + 1))
		"$xdpctl" dump-flows >"$VM_OUT/flows-$1-$t.txt"
		ovs-dpctl dump-flows >"$VM_OUT/dpctl-$1-$t.txt"
		if ! kill -0 $ping_pid 2>/dev/null; then
			t=$((t - 1))
			break
		fi
	done
	SAMPLES=$t
	kill $watch_pid
	wait $watch_pid || true
	wait $ping_pid || true
	grep -q " 0% packet loss" "$VM_OUT/ping-$1.txt" ||
		vm_die "$1: pings lost: $(tail -n 2 "$VM_OUT/ping-$1.txt")"
	[ "$SAMPLES" -ge 5 ] || vm_die "$1: only $SAMPLES samples"
	count_resets "$1" "$SAMPLES"
	XDP=$(($(agent_counter redirect) - xdp0))
	# A kernel flow that expires comes back with the next frame's upcall,
	# with the same UFID: the mirror's removals are what show it.
	EXPIRED=$(grep -c '^remove .*in_port(2),.*eth_type(0x0800)' "$VM_OUT/watch-$1.txt" || true)
	vm_log "$1: the IPv4 flow expired $EXPIRED times, its kernel counters reset $RESETS times, $XDP frames redirected over $2 s"
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
