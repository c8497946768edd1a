# shellcheck shell=sh
# Running ovs-xdpd in the guest (sourced after tests/vm/lib.sh).

xdpd="$OVS_XDP_BUILD/ovs-xdpd"

# ns_xdp_ready NS...: the namespace ends of the veths take XDP redirects
# (GRO on) and show VLAN tags in frame data (VLAN tx offload off), so the
# agent accelerates their OVS ports.
ns_xdp_ready() {
	for _ns in "$@"; do
		vm_must ip netns exec "$_ns" ethtool -K eth0 gro on txvlan off \
			tx-vlan-stag-hw-insert off >/dev/null
	done
}

# agent_start [ARGS...]: starts ovs-xdpd in the background, logging to
# $VM_OUT/ovs-xdpd.log, and waits until it answers.
agent_start() {
	"$xdpd" --log-file="$VM_OUT/ovs-xdpd.log" --pidfile="$VM_OUT/ovs-xdpd.pid" \
		--detach "$@" || vm_die "ovs-xdpd did not start: $(tail -n 5 "$VM_OUT/ovs-xdpd.log")"
	vm_wait_for "ovs-xdpd to answer" 120 "$xdpctl" show
	AGENT_PID=$(cat "$VM_OUT/ovs-xdpd.pid")
	vm_log "ovs-xdpd running (pid $AGENT_PID)"
}

agent_stop() {
	[ -n "${AGENT_PID:-}" ] || return 0
	kill "$AGENT_PID" 2>/dev/null || true
	vm_wait_for "ovs-xdpd to exit" 120 sh -c "! kill -0 $AGENT_PID 2>/dev/null"
	AGENT_PID=
}

# agent_counter NAME: one fast-path event counter (e.g. redirect).
agent_counter() {
	"$xdpctl" --json stats | python3 -c '
import json, sys
print(int(json.load(sys.stdin)["ovs_xdp_fastpath_events_total"][sys.argv[1]]))' "$1"
}

# agent_port_xdp_packets PORT: frames that arrived on PORT and were
# handled in XDP (0 while our program is not on it: then none is).
agent_port_xdp_packets() {
	"$xdpctl" --json stats | python3 -c '
import json, sys
print(int(json.load(sys.stdin)["ovs_xdp_port_xdp_packets_total"].get(sys.argv[1], 0)))' "$1"
}

# agent_port_field PORT FIELD: one field of PORT in `ovs-xdpctl --json
# show` (Python's spelling: True, False, None).
agent_port_field() {
	"$xdpctl" --json show | python3 -c '
import json, sys
for p in json.load(sys.stdin)["ports"]:
    if p["name"] == sys.argv[1]:
        print(p.get(sys.argv[2]))' "$1" "$2"
}

# agent_port_is PORT FIELD VALUE: true when the agent says so (for vm_poll).
agent_port_is() {
	[ "$(agent_port_field "$1" "$2")" = "$3" ]
}
