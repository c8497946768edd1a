# shellcheck shell=sh
# Scenario library for guest scripts run by vm-run.sh. POSIX sh; source it:
#   . "$(dirname "$0")/../lib.sh"
# Every command it runs is bounded (timeout, ping -W), and every helper that
# changes state stops the script with "FAILED: <what>" when that fails.
# Sourcing it registers vm_teardown on EXIT, INT and TERM.
#
# IPv6 is off on the devices these helpers make (its neighbour discovery and
# MLD chatter would add megaflows at random moments); a test that wants it
# turns it back on with sysctl net.ipv6.conf.DEV.disable_ipv6=0.
#
# Names: ovs_add_ns_port BR NS ... makes namespace NS holding "eth0" (the
# inside end of a veth pair) and puts the outside end, "ovs-NS", on BR as the
# OVS port of the same name. NS is at most 11 characters (IFNAMSIZ).
#
# Variables (all optional):
#   OVS_XDP_CMD_TIMEOUT  bound for one command, in seconds (default 30)
#   VM_OUT               set by vm-run.sh; OVS logs go to $VM_OUT/ovs/

VM_CMD_TIMEOUT=${OVS_XDP_CMD_TIMEOUT:-30}
OVS_RUN=/run/openvswitch
OVS_LOGS=${VM_OUT:-$OVS_RUN}/ovs

vm_log() { echo "== [$(cut -d' ' -f1 /proc/uptime)s] $*"; }

# Stops the script; the EXIT trap then tears everything down.
vm_die() {
	echo "FAILED: $*" >&2
	exit 1
}

# vm_must CMD...: runs an external command, bounded; dies naming it if it fails.
vm_must() {
	timeout -k 5 "$VM_CMD_TIMEOUT" "$@" || vm_die "$* (exit status $?)"
}

# vm_wait_for DESC SEC CMD...: retries CMD every 0.2 s until it succeeds; dies
# after SEC seconds.
vm_wait_for() {
	_desc=$1 _end=$(($(_vm_uptime) + $2))
	shift 2
	until timeout -k 2 5 "$@" >/dev/null 2>&1; do
		[ "$(_vm_uptime)" -lt "$_end" ] || vm_die "timed out waiting for $_desc"
		sleep 0.2
	done
}

_vm_uptime() { cut -d. -f1 /proc/uptime; }

# vm_wait_uptime SEC: waits until the guest has been up for SEC seconds.
# Open vSwitch 3.1 counts 0 CPUs during its first 10 s of monotonic time and
# then starts 0 upcall handlers: every miss is lost (see test-vm.md).
vm_wait_uptime() {
	if [ "$(_vm_uptime)" -lt "$1" ]; then
		vm_log "waiting for uptime ${1}s (OVS 3.1 CPU-count quirk)"
		while [ "$(_vm_uptime)" -lt "$1" ]; do sleep 0.2; done
	fi
}

# vsctl ARGS...: ovs-vsctl with a bound on its own waits too.
vsctl() { vm_must ovs-vsctl --timeout=20 "$@"; }

# ovs_start: loads openvswitch.ko, starts ovsdb-server on a fresh database and
# ovs-vswitchd, and returns once ovs-vswitchd answers. Logs: $OVS_LOGS.
ovs_start() {
	mkdir -p "$OVS_RUN" "$OVS_LOGS" || vm_die "cannot create $OVS_RUN and $OVS_LOGS"
	vm_must modprobe openvswitch
	# Never the host's /etc/openvswitch/conf.db: a fresh one per guest.
	vm_must ovsdb-tool create "$OVS_RUN/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	vm_must ovsdb-server "$OVS_RUN/conf.db" --remote="punix:$OVS_RUN/db.sock" \
		--pidfile="$OVS_RUN/ovsdb-server.pid" --detach \
		--log-file="$OVS_LOGS/ovsdb-server.log" -vconsole:warn
	vsctl --no-wait init
	vm_wait_uptime 11
	vm_must ovs-vswitchd "unix:$OVS_RUN/db.sock" --pidfile="$OVS_RUN/ovs-vswitchd.pid" \
		--detach --log-file="$OVS_LOGS/ovs-vswitchd.log" -vconsole:warn
	vm_wait_for "ovs-vswitchd to answer" 30 ovs-appctl --timeout=2 -t ovs-vswitchd version
	vm_log "Open vSwitch started, logs in $OVS_LOGS"
}

# ovs_stop: stops ovs-vswitchd and ovsdb-server (politely, then by force).
ovs_stop() {
	for _d in ovs-vswitchd ovsdb-server; do
		_pidf=$OVS_RUN/$_d.pid
		[ -f "$_pidf" ] || continue
		timeout 10 ovs-appctl --timeout=5 -t "$_d" exit >/dev/null 2>&1 ||
			kill -9 "$(cat "$_pidf")" 2>/dev/null
		rm -f "$_pidf"
	done
}

# ovs_restart_vswitchd: kills ovs-vswitchd hard (as a crash would) and starts
# it again on the same database; it flushes the datapath when it comes back.
ovs_restart_vswitchd() {
	kill -9 "$(cat "$OVS_RUN/ovs-vswitchd.pid")" 2>/dev/null || true
	rm -f "$OVS_RUN/ovs-vswitchd.pid"
	vm_must ovs-vswitchd "unix:$OVS_RUN/db.sock" --pidfile="$OVS_RUN/ovs-vswitchd.pid" \
		--detach --log-file="$OVS_LOGS/ovs-vswitchd.log" -vconsole:warn
	vm_wait_for "ovs-vswitchd to answer" 30 ovs-appctl --timeout=2 -t ovs-vswitchd version
	vm_log "ovs-vswitchd restarted"
}

# ovs_add_bridge BR: adds bridge BR (kernel datapath) and brings it up.
ovs_add_bridge() {
	vsctl add-br "$1"
	vm_must sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	vm_must ip link set "$1" up
	# The quirk above, should it ever slip through: fail now, not in a ping.
	if grep -q 'Overriding n-handler-threads to 0' "$OVS_LOGS/ovs-vswitchd.log" 2>/dev/null; then
		vm_die "ovs-vswitchd started 0 upcall handlers (started too early after boot?)"
	fi
}

# ovs_add_ns_port BR NS IP/LEN [MAC]: namespace NS with eth0 at IP/LEN (and
# MAC), its veth peer ovs-NS added to BR as an (untagged, all-VLAN) port.
ovs_add_ns_port() {
	[ $# -ge 3 ] || vm_die "usage: ovs_add_ns_port BR NS IP/LEN [MAC]"
	[ ${#2} -le 11 ] || vm_die "namespace name '$2' longer than 11 characters"
	vm_must ip netns add "$2"
	vm_must ip link add "ovs-$2" type veth peer name eth0 netns "$2"
	vm_must sysctl -qw "net.ipv6.conf.ovs-$2.disable_ipv6=1"
	vm_must ip netns exec "$2" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	if [ -n "${4:-}" ]; then vm_must ip -n "$2" link set eth0 address "$4"; fi
	vm_must ip -n "$2" addr add "$3" dev eth0
	vm_must ip -n "$2" link set lo up
	vm_must ip -n "$2" link set eth0 up
	vm_must ip link set "ovs-$2" up
	vsctl add-port "$1" "ovs-$2"
}

# ovs_port_access PORT VID: makes PORT an access port of VLAN VID.
ovs_port_access() { vsctl set port "$1" tag="$2" vlan_mode=access; }

# ovs_port_trunk PORT VID[,VID...]: makes PORT a trunk carrying those VLANs.
ovs_port_trunk() { vsctl set port "$1" trunks="$2" vlan_mode=trunk; }

# ns_add_vlan NS VID IP/LEN: adds eth0.VID (802.1Q on eth0) in NS at IP/LEN.
# Note: the veth's tx VLAN offload keeps the tag out of the frame data that
# XDP sees; "ns_exec NS ethtool -K eth0 txvlan off" puts it back in.
ns_add_vlan() {
	vm_must modprobe 8021q
	vm_must ip -n "$1" link add link eth0 name "eth0.$2" type vlan id "$2"
	vm_must ip netns exec "$1" sysctl -qw "net.ipv6.conf.eth0/$2.disable_ipv6=1"
	vm_must ip -n "$1" addr add "$3" dev "eth0.$2"
	vm_must ip -n "$1" link set "eth0.$2" up
}

# ns_exec NS CMD...: runs CMD in namespace NS, bounded; returns its status.
ns_exec() {
	_ns=$1
	shift
	timeout -k 5 "$VM_CMD_TIMEOUT" ip netns exec "$_ns" "$@"
}

# ns_ping NS DST [COUNT]: pings DST from NS; dies unless every reply comes.
ns_ping() {
	vm_log "ping $2 from $1"
	ns_exec "$1" ping -c "${3:-3}" -i 0.2 -W 1 "$2" || vm_die "ping $2 from $1"
}

# ovs_dump: prints the kernel datapath and its megaflows.
ovs_dump() {
	vm_log "ovs-dpctl show"
	timeout 10 ovs-dpctl show
	vm_log "ovs-dpctl dump-flows"
	timeout 10 ovs-dpctl dump-flows
	vm_log "ovs-appctl dpctl/dump-flows -m"
	timeout 10 ovs-appctl --timeout=5 dpctl/dump-flows -m
}

# ovs_flow_count: prints the number of megaflows in the kernel datapath.
ovs_flow_count() {
	_flows=$(timeout 10 ovs-dpctl dump-flows) || vm_die "ovs-dpctl dump-flows"
	printf '%s\n' "$_flows" | grep -c '^[a-z]' || true
}

# vm_teardown: kills the daemons and deletes every namespace. On failure it
# first shows the end of ovs-vswitchd's log. Keeps the script's exit status.
vm_teardown() {
	_rc=$?
	trap - EXIT INT TERM
	if [ "$_rc" -ne 0 ] && [ -f "$OVS_LOGS/ovs-vswitchd.log" ]; then
		echo "--- last lines of $OVS_LOGS/ovs-vswitchd.log"
		tail -n 20 "$OVS_LOGS/ovs-vswitchd.log"
	fi
	ovs_stop
	for _ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
		timeout 10 ip netns delete "$_ns"
	done
	exit "$_rc"
}
trap vm_teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
