# shellcheck shell=sh
# Shared pieces of the system scenarios (sourced after tests/vm/lib.sh):
# a varied OpenFlow table, traffic that exercises it, and the mirror probe
# (`ovs-xdpctl watch`) with its comparison against the kernel's dump.

xdpctl="$OVS_XDP_BUILD/ovs-xdpctl"
frames="$OVS_XDP_SRC/tests/tools/frames.py"

# ovs_keep_flows: keeps ovs-vswitchd from deleting megaflows that traffic
# made before a later check reads or compares the table, however slowly the
# (emulated, maybe busy) guest gets there.  Two defaults change:
# - max-idle, 10 s -> 600 s: no flow idles out meanwhile.  A scenario that
#   tests expiry lowers it itself.
# - max-revalidator, 500 ms -> 20 s: when a revalidation is due (a MAC
#   learnt, a table changed) and its last dump took max-revalidator/2 or
#   more, which on a busy guest it does, OVS 3.1 deletes instead of
#   revalidating every flow that gets fewer than min-revalidate-pps (5)
#   packets a second: every flow of a scenario's test traffic.  Due
#   revalidations still run at once; the periodic one runs every
#   min(max-idle, max-revalidator).
OVS_KEEP_MAX_IDLE_MS=600000
ovs_keep_flows() {
	vsctl set Open_vSwitch . other_config:max-idle=$OVS_KEEP_MAX_IDLE_MS \
		other_config:max-revalidator=20000
}

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
	vm_must ip netns exec ns1 python3 "$frames" send --gap-us 1000 eth0 \
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

# spread_flows: how many megaflows the spread source MACs of traffic_varied
# have in the kernel.
spread_flows() {
	timeout 60 ovs-dpctl dump-flows | grep -c 'src=02:00:00:01:' || true
}

# traffic_spread_complete: sends the spread's frames again, paced, until
# every source MAC has its megaflow.  A busy ovs-vswitchd misses upcalls of
# a burst (its socket overflows; `ovs-dpctl show` counts them as lost); a
# frame whose megaflow is there makes no upcall, so each round asks less.
traffic_spread_complete() {
	_want=${TRAFFIC_SPREAD:-200}
	_end=$(($(_vm_uptime) + 180))
	while :; do
		# The upcalls still queued get some seconds before a resend.
		_t=$(($(_vm_uptime) + 5))
		while _n=$(spread_flows) && [ "$_n" -lt "$_want" ] && [ "$(_vm_uptime)" -lt "$_t" ]; do
			sleep 0.5
		done
		[ "$_n" -lt "$_want" ] || return 0
		[ "$(_vm_uptime)" -lt "$_end" ] ||
			vm_die "only $_n of the $_want megaflows of the spread source MACs"
		vm_log "$_n of the $_want megaflows of the spread ($(timeout 60 ovs-dpctl show | grep -o 'lost:[0-9]*')): sending again"
		vm_must ip netns exec ns1 python3 "$frames" send --gap-us 2000 eth0 \
			"udp4:src=02:00:00:01:00:00,src_spread=$_want,count=$_want" >/dev/null
	done
}

# Drops the parts of a dump-flows -m line that move with traffic and time
# (packets, bytes, used, flags) and the dp: layer; sorts the lines.
normalize_dump() {
	sed -E 's/, packets:[0-9]+, bytes:[0-9]+, used:(never|[0-9.]+s)(, flags:[^,]+)?//; s/, dp:[a-z]+//' | sort
}

# _sigusr1_blocked PID: true once process PID blocks SIGUSR1 (signal 10,
# mask 0x200 in its SigBlk); dies if it is gone.
_sigusr1_blocked() {
	_blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$_blk" ] || vm_die "process $1 is gone: $(cat "$VM_OUT/watch.log" 2>/dev/null)"
	[ $((0x$_blk & 0x200)) -ne 0 ]
}

# watch_wait_ready PID: waits until `ovs-xdpctl watch` (PID) listens to
# the kernel's notifications: it blocks SIGUSR1 right after subscribing
# (and reads it from a signalfd); before that a SIGUSR1 would kill it.
watch_wait_ready() {
	vm_poll "ovs-xdpctl watch to start" 120 _sigusr1_blocked "$1"
}

mirror_start() {
	"$xdpctl" watch --quiet --snapshot "$VM_OUT/mirror-raw.txt" \
		--reconcile-interval "${MIRROR_RECONCILE:-3}" >"$VM_OUT/watch.log" 2>&1 &
	MIRROR_PID=$!
	watch_wait_ready "$MIRROR_PID"
}

mirror_stop() {
	kill "$MIRROR_PID" 2>/dev/null || true
	wait "$MIRROR_PID" 2>/dev/null || true
	cat "$VM_OUT/watch.log"
}

# mirror_snapshot: asks the probe for its table; waits for the file (which
# it writes atomically, by rename).
mirror_snapshot() {
	rm -f "$VM_OUT/mirror-raw.txt"
	kill -USR1 "$MIRROR_PID" || vm_die "ovs-xdpctl watch is gone: $(cat "$VM_OUT/watch.log")"
	vm_wait_for "the mirror snapshot" 60 test -f "$VM_OUT/mirror-raw.txt"
	normalize_dump <"$VM_OUT/mirror-raw.txt" >"$VM_OUT/mirror.txt"
}

kernel_dump() {
	timeout 90 ovs-appctl --timeout=60 dpctl/dump-flows -m --no-names >"$VM_OUT/kernel-raw.txt" ||
		vm_die "ovs-appctl dpctl/dump-flows -m"
	normalize_dump <"$VM_OUT/kernel-raw.txt" >"$VM_OUT/kernel.txt"
}

# MIRROR_SLACK: seconds allowed beyond one reconcile period for the mirror
# to equal the kernel: what a busy host may take to run the probe, the
# snapshot and the dumps (a bound for a failure, not an expected time).
MIRROR_SLACK=${OVS_XDP_MIRROR_SLACK:-60}

# mirror_settle_and_compare LABEL: waits until the kernel's table stops
# changing (the same in three dumps a second apart), then requires the
# mirror to equal it within one reconcile period plus MIRROR_SLACK.
mirror_settle_and_compare() {
	_label=$1
	kernel_dump
	cp "$VM_OUT/kernel.txt" "$VM_OUT/kernel.prev"
	_same=0
	_deadline=$(($(_vm_uptime) + 180))
	while [ "$_same" -lt 2 ]; do
		sleep 1
		kernel_dump
		if cmp -s "$VM_OUT/kernel.txt" "$VM_OUT/kernel.prev"; then
			_same=$((_same + 1))
		else
			_same=0
			cp "$VM_OUT/kernel.txt" "$VM_OUT/kernel.prev"
		fi
		[ "$(_vm_uptime)" -lt "$_deadline" ] || vm_die "$_label: the kernel's flow table never settled"
	done
	_deadline=$(($(_vm_uptime) + ${MIRROR_RECONCILE:-3} + MIRROR_SLACK))
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

# nic_by_mac MAC: the guest's device with that address, or nothing.
nic_by_mac() {
	for _d in /sys/class/net/*; do
		[ "$(cat "$_d/address" 2>/dev/null)" = "$1" ] && basename "$_d"
	done
	return 0
}
nics_present() {
	[ -n "$(nic_by_mac 52:54:00:5a:00:01)" ] && [ -n "$(nic_by_mac 52:54:00:5a:00:02)" ]
}
# nic_pair: the two virtio-net NICs of `vm-run.sh --nic-pair`, once the
# driver has made them: NIC (for the bridge) and FAR (its other end).
nic_pair() {
	vm_must modprobe virtio_net
	vm_poll "the two virtio-net NICs" 120 nics_present
	nic=$(nic_by_mac 52:54:00:5a:00:01)
	far=$(nic_by_mac 52:54:00:5a:00:02)
}
