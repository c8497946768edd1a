#!/bin/sh
# The mirror under churn: thousands of flow additions, modifications and
# deletions per second on a datapath (written directly over netlink, no
# ovs-vswitchd), then quiet.  The mirror must equal the kernel's table
# within one reconcile period after the churn stops, and when no
# notification was lost (no overrun), notifications alone must have kept it
# exact: its reconciles found nothing to fix.
#
# The daemon (ovs-xdpd, its periodic dump an hour away like the probe's,
# its flow-count check at the default second) runs through the three churn
# rounds too: after each, its own table (`dump-flows -m --cached`, no dump
# first) must hold the kernel's UFIDs, and with no overrun the reconciles
# its count checks started must have fixed nothing.  (A periodic dump in
# the middle of the churn would count as fixes the changes made while it
# ran; the count check acts only over a quiet second.)  How long after the
# churn it got there is logged, not asserted (a busy host decides that).
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"
churn="$OVS_XDP_BUILD/tests/ovsx-flowchurn"

vm_must modprobe openvswitch
vm_must ovs-dpctl add-dp ovs-system
# Long enough that no periodic reconcile hides a lost notification, however
# long a busy host takes over the three rounds (the final statistics would
# show a reconcile's fixes anyway).
MIRROR_RECONCILE=3600
mirror_start
agent_start --ovsdb none --reconcile-interval 3600

# ufids: the sorted UFIDs of a dump-flows -m on stdin.
ufids() { grep -o '^ufid:[0-9a-f-]*' | sort; }
# daemon_stat NAME: one counter of the daemon's `stats --json`.
daemon_stat() {
	timeout 60 "$xdpctl" --json stats | python3 -c '
import json, sys
print(int(json.load(sys.stdin)[sys.argv[1]]))' "$1"
}
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# daemon_equals_kernel: the daemon's table holds the kernel's UFIDs (the
# churn is over: the kernel's table no longer changes).  DAEMON_READ_MS:
# when the daemon's table was read.
daemon_equals_kernel() {
	DAEMON_READ_MS=$(uptime_ms)
	timeout 90 "$xdpctl" -m dump-flows --cached | ufids >"$VM_OUT/daemon-ufids.txt"
	timeout 90 ovs-dpctl dump-flows -m | ufids >"$VM_OUT/kernel-ufids.txt"
	cmp -s "$VM_OUT/daemon-ufids.txt" "$VM_OUT/kernel-ufids.txt"
}

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
	churn_end=$(uptime_ms)
	tail -n 1 "$VM_OUT/churn.txt"
	_deadline=$(($(_vm_uptime) + 10 + MIRROR_SLACK))
	until daemon_equals_kernel; do
		if [ "$(_vm_uptime)" -ge "$_deadline" ]; then
			diff "$VM_OUT/kernel-ufids.txt" "$VM_OUT/daemon-ufids.txt" | head -n 10
			vm_die "round $round: the daemon's flows differ from the kernel's"
		fi
		sleep 0.5
	done
	vm_log "round $round: the daemon holds the kernel's $(wc -l <"$VM_OUT/kernel-ufids.txt") flows, seen $((DAEMON_READ_MS - churn_end)) ms after the churn ended"
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
d_overruns=$(daemon_stat ovs_xdp_notification_overruns_total)
d_fixes=$(daemon_stat ovs_xdp_reconcile_fixes_total)
vm_log "daemon: $d_overruns overruns, $d_fixes changes found by its reconciles"
if [ "$d_overruns" -eq 0 ] && [ "$d_fixes" -ne 0 ]; then
	"$xdpctl" stats
	vm_die "the daemon's reconciles had to fix its table although no notification was lost"
fi
agent_stop
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
