#!/bin/sh
# Guest side of tools/capture-ovs-fixtures.sh.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-system.sh"
capture="$OVS_XDP_BUILD/tests/ovsx-nlcapture"

ovs_bridge_with_namespaces 1 2 3 4
ovs_port_access ovs-ns3 10
ovs_port_trunk ovs-ns4 10
ns_add_vlan ns4 10 10.0.10.4/24
vm_must ip -n ns3 addr add 10.0.10.3/24 dev eth0
for ns in ns1 ns2; do
	vm_must ip netns exec $ns sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
	vm_must ip -n $ns addr add fd00::${ns#ns}/64 dev eth0 nodad
done
install_varied_openflow br0

# snapshot DIR: the same flows as text (four ways) and as netlink messages.
snapshot() {
	rm -rf "$VM_OUT/$1"
	mkdir -p "$VM_OUT/$1"
	vm_must "$capture" ovs-system "$VM_OUT/$1"
	vm_must ovs-dpctl dump-flows >"$VM_OUT/$1/dpctl.txt"
	vm_must ovs-dpctl dump-flows -m >"$VM_OUT/$1/dpctl-m.txt"
	vm_must ovs-appctl dpctl/dump-flows >"$VM_OUT/$1/appctl.txt"
	vm_must ovs-appctl dpctl/dump-flows -m >"$VM_OUT/$1/appctl-m.txt"
	vm_log "$1: $(wc -l <"$VM_OUT/$1/dpctl.txt") flows"
}

TRAFFIC_SPREAD=8 traffic_varied
sleep 1
snapshot varied

# Flows without UFID: ovs-vswitchd then identifies flows by their key.
vm_must ovs-dpctl del-flows
vm_must ovs-appctl upcall/disable-ufid
TRAFFIC_SPREAD=4 traffic_varied
sleep 1
snapshot no-ufid

cat >"$VM_OUT/README.md" <<'TXT'
# Fixtures captured from Open vSwitch 3.1 (Debian 12) in the test VM

Written by `tools/capture-ovs-fixtures.sh` (do not edit by hand). Each folder
is one moment of the kernel datapath, captured five ways within a second,
with no traffic in between (so the flows are the same; `used:` differs):

- `flows.nlmsg`, `vports.nlmsg`, `datapath.nlmsg`: the raw netlink messages
  the kernel sent for a flow dump, a vport dump and a datapath GET, back to
  back (each starts with its struct nlmsghdr).
- `dpctl.txt`, `dpctl-m.txt`: `ovs-dpctl dump-flows` and `... -m`.
- `appctl.txt`, `appctl-m.txt`: `ovs-appctl dpctl/dump-flows` and `... -m`.

Folders: `varied/` (the OpenFlow table and traffic of
tests/system/lib-system.sh, with UFIDs), `no-ufid/` (the same after
`ovs-appctl upcall/disable-ufid`: flows identified by their key).
TXT
rm -rf "$VM_OUT/ovs"
