#!/bin/sh
# System smoke test: real Open vSwitch forwards a ping between two
# namespaces through its kernel datapath, and ovs-xdpctl sees the same
# datapath, ports and flows as ovs-dpctl.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
xdpctl="$OVS_XDP_BUILD/ovs-xdpctl"

ovs_start
# The two dumps compared below, after the ping, must see the same flows
# however slowly a busy host gets there: max-idle raised from 10 s to
# 600 s, max-revalidator from 500 ms to 20 s (see ovs_keep_flows in
# lib-system.sh).
vsctl set Open_vSwitch . other_config:max-idle=600000 other_config:max-revalidator=20000
ovs_add_bridge br0
ovs_add_ns_port br0 ns1 10.0.0.1/24
ovs_add_ns_port br0 ns2 10.0.0.2/24
ns_ping ns1 10.0.0.2 3
ovs_dump

vm_must "$xdpctl" --kernel show >"$VM_OUT/show.txt"
cat "$VM_OUT/show.txt"
grep -q "port [0-9]*: ovs-ns1 (netdev" "$VM_OUT/show.txt" ||
	vm_die "ovs-xdpctl show does not list ovs-ns1"

# Same flows, same text: compare without the fields that move (used:).
strip_used() { sed 's/used:[^,]*,/used:X,/' | sort; }
vm_must ovs-dpctl dump-flows | strip_used >"$VM_OUT/dpctl.txt"
vm_must "$xdpctl" --kernel dump-flows | strip_used >"$VM_OUT/xdpctl.txt"
diff -u "$VM_OUT/dpctl.txt" "$VM_OUT/xdpctl.txt" ||
	vm_die "ovs-xdpctl dump-flows differs from ovs-dpctl dump-flows"
[ -s "$VM_OUT/dpctl.txt" ] || vm_die "no megaflow after the ping"

# Clear errors, defined exit status.
if "$xdpctl" --kernel --datapath nosuchdp show 2>"$VM_OUT/err.txt"; then
	vm_die "show on a missing datapath succeeded"
fi
grep -q "datapath nosuchdp not found" "$VM_OUT/err.txt" ||
	vm_die "unexpected error text: $(cat "$VM_OUT/err.txt")"
vm_log "PASS: $(wc -l <"$VM_OUT/dpctl.txt") flows, identical text"
