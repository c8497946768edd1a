#!/bin/sh
# ovs-xdpd when its notification socket fails (injected with the LD_PRELOAD
# fault injector, tests/tools/fault-inject.c): the error is fatal, named
# in the log, the daemon exits with status 1 (for its service manager to
# start a new one) and leaves no program of ours behind; the same failure
# on the first turn of the loop is named the same way.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"

fault="$OVS_XDP_BUILD/tests/libovsx-fault.so"
trigger="$VM_OUT/notifications-fail"
ovs_bridge_with_namespaces 1 2
ns_xdp_ready ns1 ns2
has_our_xdp() { ip -d link show "$1" | grep -q "prog/xdp"; }

# faulty_agent LOG: ovs-xdpd in the foreground, in the background, with the
# injector; its pid in $pid.
faulty_agent() {
	env LD_PRELOAD="$fault" OVSX_FAULT_NOTIFY_FILE="$trigger" "$xdpd" \
		--log-file="$1" --metrics none >/dev/null 2>&1 </dev/null &
	pid=$!
}

# wait_exit PID: waits (with a deadline) for it to end; its status in $rc.
wait_exit() {
	vm_wait_for "ovs-xdpd (pid $1) to exit" 60 sh -c "! kill -0 $1"
	rc=0
	wait "$1" || rc=$?
}

vm_log "the notification socket fails under a running agent"
faulty_agent "$VM_OUT/running.log"
vm_wait_for "ovs-xdpd to answer" 60 "$xdpctl" show
vm_wait_for "ovs-ns1 to be accelerated" 60 sh -c "ip -d link show ovs-ns1 | grep -q prog/xdp"
touch "$trigger"
wait_exit "$pid"
[ "$rc" -eq 1 ] || vm_die "status $rc after the socket failed, want 1"
grep -q "cannot read notifications from the kernel: Bad file descriptor" \
	"$VM_OUT/running.log" || vm_die "error not named: $(tail -n 3 "$VM_OUT/running.log")"
! has_our_xdp ovs-ns1 || vm_die "a program was left on ovs-ns1"

vm_log "the same failure on the first turn"
faulty_agent "$VM_OUT/start.log"
wait_exit "$pid"
[ "$rc" -eq 1 ] || vm_die "status $rc when failing at start, want 1"
grep -q "cannot read notifications from the kernel: Bad file descriptor" \
	"$VM_OUT/start.log" || vm_die "error not named: $(tail -n 3 "$VM_OUT/start.log")"
vm_log "PASS: notification socket failures are fatal and named"
