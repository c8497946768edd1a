# shellcheck shell=sh
# Shared pieces of the system scenarios (sourced after tests/vm/lib.sh):
# a varied OpenFlow table, traffic that exercises it, and the mirror probe
# (`ovs-xdpctl watch`) with its comparison against the kernel's dump.

xdpctl="$OVS_XDP_BUILD/ovs-xdpctl"
frames="$OVS_XDP_SRC/tests/tools/frames.py"

# ovs_bridge_with_namespaces N...: Open vSwitch with bridge br0 and, for
# each N, namespace nsN (10.0.0.N/24, MAC 02:00:00:00:00:0N) on port
# ovs-nsN.
ovs_bridge_with_namespaces() {
	ovs_start
	ovs_add_bridge br0
	for _n in "$@"; do
		ovs_add_ns_port br0 "ns$_n" "10.0.0.$_n/24" "02:00:00:00:00:0$_n"
	done
}

# install_varied_openflow BR: rules whose megaflows use many key and action
# kinds: NORMAL learning with VLAN access/trunk ports (push/pop_vlan),
# Ethernet, IPv4, IPv6 and port rewrites, dec_ttl, ct() with recirculation,
# explicit drops and multiple outputs.  Ports ovs-ns1..ovs-ns4 must exist.
install_varied_openflow() {
	cat >"$VM_OUT/openflow.txt" <<'FLOWS'
table=0,priority=200,arp,actions=NORMAL
table=0,priority=150,ip,nw_dst=10.0.0.99,actions=drop
table=0,priority=140,icmp,in_port=ovs-ns1,nw_dst=10.0.0.2,actions=mod_dl_src:02:00:00:00:0a:01,output:ovs-ns2
table=0,priority=140,icmp,in_port=ovs-ns2,nw_dst=10.0.0.1,actions=mod_dl_dst:02:00:00:00:00:01,output:ovs-ns1
table=0,priority=130,udp,in_port=ovs-ns1,tp_dst=53,actions=mod_nw_dst:10.0.0.3,mod_tp_dst:5353,output:ovs-ns3
table=0,priority=130,ipv6,in_port=ovs-ns1,ipv6_dst=fd00::2,actions=set_field:fd00::99->ipv6_src,dec_ttl,output:ovs-ns2
table=0,priority=120,tcp,in_port=ovs-ns1,tp_dst=80,actions=ct(commit,table=1)
table=0,priority=120,udp,in_port=ovs-ns1,tp_dst=4789,actions=output:ovs-ns2,output:ovs-ns3,output:ovs-ns4
table=0,priority=110,udp,in_port=ovs-ns1,nw_dst=10.0.0.4,actions=mod_vlan_vid:20,output:ovs-ns4
table=0,priority=110,ip,in_port=ovs-ns2,nw_tos=32,actions=mod_nw_tos:64,mod_nw_ttl:9,NORMAL
table=0,priority=0,actions=NORMAL
table=1,priority=100,ct_state=+trk,actions=output:ovs-ns2
FLOWS
	vm_must ovs-ofctl add-flows "$1" "$VM_OUT/openflow.txt"
}

# traffic_varied: frames and pings through every rule above; the spread
# source MACs alone make 200 NORMAL megaflows.
traffic_varied() {
	vm_log "varied traffic"
	ns_exec ns1 ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null || true
	ns_exec ns4 ping -c 2 -i 0.2 -W 1 10.0.10.3 >/dev/null || true
	vm_must ip netns exec ns1 python3 "$frames" send eth0 \
		"udp4:src=02:00:00:01:00:00,src_spread=${TRAFFIC_SPREAD:-200},count=${TRAFFIC_SPREAD:-200}" \
		"udp4:dport=53,count=3" "udp4:dport=4789,count=3" \
		"udp4:dip=10.0.0.4,dst=02:00:00:00:00:04,dport=7,count=3" \
		"udp4:dip=10.0.0.99,count=2" "tcp4:dport=80,sport_spread=3,count=3" \
		"udp6:count=3" "icmp6:count=2" "ns6" "tcp6:dport=22" \
		"frag4:count=4" "frag6:count=4" "arp:count=2" \
		"qinq-udp4" "short-ip4" "bad-ihl4" "icmp4:count=2" >/dev/null
	vm_must ip netns exec ns2 python3 "$frames" send eth0 \
		"udp4:src=02:00:00:00:00:02,dst=02:00:00:00:00:01,sip=10.0.0.2,dip=10.0.0.1,dport=5,count=2" \
		"vlan-udp4:src=02:00:00:00:00:02,dst=02:00:00:00:00:04,vid=10" >/dev/null
}

# Drops the parts of a dump-flows -m line that move with traffic and time
# (packets, bytes, used, flags) and the dp: layer; sorts the lines.
normalize_dump() {
	sed -E 's/, packets:[0-9]+, bytes:[0-9]+, used:(never|[0-9.]+s)(, flags:[^,]+)?//; s/, dp:[a-z]+//' | sort
}

mirror_start() {
	"$xdpctl" watch --quiet --snapshot "$VM_OUT/mirror-raw.txt" \
		--reconcile-interval "${MIRROR_RECONCILE:-3}" >"$VM_OUT/watch.log" 2>&1 &
	MIRROR_PID=$!
	sleep 1
	kill -0 "$MIRROR_PID" || vm_die "ovs-xdpctl watch exited: $(cat "$VM_OUT/watch.log")"
}

mirror_stop() {
	kill "$MIRROR_PID" 2>/dev/null || true
	wait "$MIRROR_PID" 2>/dev/null || true
	cat "$VM_OUT/watch.log"
}

# mirror_snapshot: asks the probe for its table; waits for the file.
mirror_snapshot() {
	rm -f "$VM_OUT/mirror-raw.txt"
	kill -USR1 "$MIRROR_PID" || vm_die "ovs-xdpctl watch is gone: $(cat "$VM_OUT/watch.log")"
	vm_wait_for "the mirror snapshot" 10 test -f "$VM_OUT/mirror-raw.txt"
	normalize_dump <"$VM_OUT/mirror-raw.txt" >"$VM_OUT/mirror.txt"
}

kernel_dump() {
	timeout 20 ovs-appctl --timeout=15 dpctl/dump-flows -m --no-names >"$VM_OUT/kernel-raw.txt" ||
		vm_die "ovs-appctl dpctl/dump-flows -m"
	normalize_dump <"$VM_OUT/kernel-raw.txt" >"$VM_OUT/kernel.txt"
}

# mirror_settle_and_compare LABEL: waits until the kernel's table stops
# changing, then requires the mirror to equal it within one reconcile
# period (plus the count check's second).
mirror_settle_and_compare() {
	_label=$1
	kernel_dump
	cp "$VM_OUT/kernel.txt" "$VM_OUT/kernel.prev"
	_tries=0
	while :; do
		sleep 1
		kernel_dump
		cmp -s "$VM_OUT/kernel.txt" "$VM_OUT/kernel.prev" && break
		cp "$VM_OUT/kernel.txt" "$VM_OUT/kernel.prev"
		_tries=$((_tries + 1))
		[ "$_tries" -lt 30 ] || vm_die "$_label: the kernel's flow table never settled"
	done
	_deadline=$(($(_vm_uptime) + ${MIRROR_RECONCILE:-3} + 3))
	while :; do
		mirror_snapshot
		kernel_dump
		if cmp -s "$VM_OUT/mirror.txt" "$VM_OUT/kernel.txt"; then
			vm_log "$_label: mirror equals the kernel ($(wc -l <"$VM_OUT/kernel.txt") flows)"
			return 0
		fi
		if [ "$(_vm_uptime)" -ge "$_deadline" ]; then
			diff -u "$VM_OUT/kernel.txt" "$VM_OUT/mirror.txt" | head -n 40
			vm_die "$_label: mirror differs from the kernel"
		fi
		sleep 0.5
	done
}
