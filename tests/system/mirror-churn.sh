#!/bin/sh
# The mirror under churn: thousands of flow additions, modifications and
# deletions per second on a datapath (written directly over netlink, no
# ovs-vswitchd), then quiet.  The mirror must equal the kernel's table
# within one reconcile period after the churn stops, and when no
# notification was lost (no overrun), notifications alone must have kept it
# exact: its reconciles found nothing to fix.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
churn="$OVS_XDP_BUILD/tests/ovsx-flowchurn"

vm_must modprobe openvswitch
vm_must ovs-dpctl add-dp ovs-system
# Long enough that no periodic reconcile hides a lost notification, however
# long a busy host takes over the three rounds (the final statistics would
# show a reconcile's fixes anyway).
MIRROR_RECONCILE=3600
mirror_start

# kernel_dpctl: the kernel's table, normalised, in $VM_OUT/kernel.txt.
kernel_dpctl() {
	timeout 90 ovs-dpctl dump-flows -m >"$VM_OUT/kernel-raw.txt" || vm_die "ovs-dpctl dump-flows -m"
	normalize_dump <"$VM_OUT/kernel-raw.txt" >"$VM_OUT/kernel.txt"
}

# mirror_equals_dpctl: one snapshot of the mirror against one kernel dump.
mirror_equals_dpctl() {
	mirror_snapshot
	kernel_dpctl
	cmp -s "$VM_OUT/mirror.txt" "$VM_OUT/kernel.txt"
}

for round in 1 2 3; do
	vm_must "$churn" ovs-system 2000 5 "$round" >>"$VM_OUT/churn.txt"
	tail -n 1 "$VM_OUT/churn.txt"
	# Only notifications can bring the mirror here (no reconcile runs in
	# this phase), but the probe may still be reading them when the churn
	# ends: it gets MIRROR_SLACK seconds to catch up.
	_deadline=$(($(_vm_uptime) + MIRROR_SLACK))
	until mirror_equals_dpctl; do
		[ "$(_vm_uptime)" -lt "$_deadline" ] || break
		sleep 0.5
	done
	if cmp -s "$VM_OUT/mirror.txt" "$VM_OUT/kernel.txt"; then
		vm_log "round $round: mirror exact from notifications alone ($(wc -l <"$VM_OUT/kernel.txt") flows)"
	else
		vm_log "round $round: mirror differs before any reconcile"
		diff "$VM_OUT/kernel.txt" "$VM_OUT/mirror.txt" | head -n 10
		MISSED=1
	fi
done
mirror_stop >"$VM_OUT/watch-final.log"
cat "$VM_OUT/watch-final.log"
overruns=$(sed -n 's/.*overruns \([0-9]*\).*/\1/p' "$VM_OUT/watch-final.log")
fixes=$(sed -n 's/.*(fixes \([0-9]*\)).*/\1/p' "$VM_OUT/watch-final.log")
[ -n "$overruns" ] && [ -n "$fixes" ] || vm_die "no mirror statistics from ovs-xdpctl watch"
if [ "$overruns" -eq 0 ] && { [ -n "${MISSED:-}" ] || [ "$fixes" -ne 0 ]; }; then
	vm_die "the mirror missed changes although no notification was lost"
fi
vm_log "churn rounds: $overruns overruns, $fixes changes found by reconcile"

# With a reconcile period of 2 s, a mirror that lost notifications (or
# started late) converges after the churn stops.
MIRROR_RECONCILE=2
mirror_start
vm_must "$churn" ovs-system 2000 5 9 >>"$VM_OUT/churn.txt"
tail -n 1 "$VM_OUT/churn.txt"
# Within one reconcile period plus MIRROR_SLACK.
mirror_settle_and_compare_dpctl() {
	_deadline=$(($(_vm_uptime) + MIRROR_RECONCILE + MIRROR_SLACK))
	until mirror_equals_dpctl; do
		[ "$(_vm_uptime)" -lt "$_deadline" ] || vm_die "mirror differs after churn"
		sleep 0.5
	done
}
mirror_settle_and_compare_dpctl
n=$(grep -c . "$VM_OUT/kernel.txt")

vm_log "the datapath deleted under the mirror, then created again"
vm_must ovs-dpctl del-dp ovs-system
# The probe learns of the deletion from a notification: polled for.
mirror_empty() {
	mirror_snapshot
	[ ! -s "$VM_OUT/mirror.txt" ]
}
vm_poll "the mirror of the deleted datapath to empty" 60 mirror_empty
kill -0 "$MIRROR_PID" || vm_die "ovs-xdpctl watch died with the datapath"
vm_must ovs-dpctl add-dp ovs-system
vm_must "$churn" ovs-system 500 2 11 >>"$VM_OUT/churn.txt"
mirror_settle_and_compare_dpctl
[ -s "$VM_OUT/mirror.txt" ] || vm_die "no flow mirrored from the new datapath"
mirror_stop
vm_log "PASS: mirror exact after churn ($n flows) and across a datapath deletion"
