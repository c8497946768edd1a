#!/bin/sh
# Smoke test, run in the guest by vm-run.sh: real Open vSwitch on the kernel
# datapath switches a ping between two namespaces, and the megaflows it
# installed are visible with ovs-dpctl. Exits 0 when all of that holds.
set -eu
# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "$0")/../lib.sh"

ovs_start
ovs_add_bridge br0
ovs_add_ns_port br0 ns1 10.0.0.1/24
ovs_add_ns_port br0 ns2 10.0.0.2/24

ns_ping ns1 10.0.0.2 3
ovs_dump

flows=$(ovs_flow_count)
[ "$flows" -ge 1 ] || vm_die "no megaflow in the kernel datapath after the ping"
vm_log "PASS: ping ns1 -> ns2 through br0, $flows megaflow(s) in the kernel datapath"
