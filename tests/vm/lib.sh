# shellcheck shell=sh
# Scenario library for guest scripts run by vm-run.sh. POSIX sh; source it:
#   . "$(dirname "$0")/../lib.sh"
# Every command it runs is bounded (timeout, ping -W), and every helper that
# changes state stops the script with "FAILED: <what>" when that fails.
#
# Timing: the guest is emulated and its host may be busy (other builds, other
# guests): everything in it can run ten times slower than on an idle host.
# A scenario never assumes that something happened within N seconds: it
# polls for it (vm_wait_for, vm_poll) with a generous deadline, which only
# bounds a failure; traffic that a check needs runs until the check is made
# (ns_ping_start/ns_ping_stop); tables compared after traffic are kept from
# idling out (max-idle raised, see lib-system.sh).
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
#   OVS_XDP_CMD_TIMEOUT  bound for one command, in seconds (default 120: a
#                        bound for a hang, not an expected duration)
#   VM_OUT               set by vm-run.sh; OVS logs go to $VM_OUT/ovs/

VM_CMD_TIMEOUT=${OVS_XDP_CMD_TIMEOUT:-120}
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

# vm_wait_for DESC SEC CMD...: retries CMD (an external command, each try
# bounded by OVS_XDP_CMD_TIMEOUT) every 0.2 s until it succeeds; dies after
# SEC seconds.  SEC bounds a failure: make it generous.
vm_wait_for() {
	_desc=$1 _end=$(($(_vm_uptime) + $2))
	shift 2
	until timeout -k 2 "$VM_CMD_TIMEOUT" "$@" >/dev/null 2>&1; do
		[ "$(_vm_uptime)" -lt "$_end" ] || vm_die "timed out waiting for $_desc"
		sleep 0.2
	done
}

# vm_poll DESC SEC CMD...: the same for a shell function or builtin, run in
# this shell (not bounded as a whole: bound what it runs), output kept.
vm_poll() {
	_pdesc=$1 _pend=$(($(_vm_uptime) + $2))
	shift 2
	until "$@"; do
		[ "$(_vm_uptime)" -lt "$_pend" ] || vm_die "timed out waiting for $_pdesc"
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
	vm_wait_for "ovs-vswitchd to answer" 120 ovs-appctl --timeout=5 -t ovs-vswitchd version
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
	vm_wait_for "ovs-vswitchd to answer" 120 ovs-appctl --timeout=5 -t ovs-vswitchd version
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

# ns_icmp_echo NS: prints "OutEchos InEchoReps", NS's kernel counters of
# ICMP echo requests sent and echo replies received (by any program, at any
# time: a reply that comes after ping gave up is counted too).
ns_icmp_echo() {
	ip netns exec "$1" awk '$1 == "Icmp:" {
		if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["OutEchos"], $c["InEchoReps"] }' /proc/net/snmp
}

# _echo_replied NS OUT0 IN0: true once NS has received as many echo replies
# since the counters were OUT0 IN0 as it has sent requests; sets
# ECHO_SENT and ECHO_RECEIVED.
_echo_replied() {
	# shellcheck disable=SC2046 # two numbers
	set -- "$1" "$2" "$3" $(ns_icmp_echo "$1")
	[ $# -eq 5 ] || vm_die "cannot read the ICMP counters of $1"
	ECHO_SENT=$(($4 - $2)) ECHO_RECEIVED=$(($5 - $3))
	[ "$ECHO_RECEIVED" -ge "$ECHO_SENT" ]
}

# ns_ping NS DST [COUNT [INTERVAL]]: pings DST from NS; dies unless every
# reply comes.  ping itself gives up on a reply later than twice the
# slowest round trip so far (-W only covers the case of no reply at all),
# which a busy host can make happen: when it fails, the namespace's own
# counters decide, as the late replies arrive.
ns_ping() {
	_png_ns=$1 _png_dst=$2 _png_n=${3:-3} _png_out=${VM_OUT:-/tmp}/ns-ping.txt
	vm_log "ping $_png_dst from $_png_ns"
	_png_e0=$(ns_icmp_echo "$_png_ns")
	_png_rc=0
	ns_exec "$_png_ns" ping -c "$_png_n" -i "${4:-0.2}" -W 10 "$_png_dst" >"$_png_out" 2>&1 ||
		_png_rc=$?
	cat "$_png_out"
	[ "$_png_rc" -ne 0 ] || return 0
	_png_end=$(($(_vm_uptime) + 30))
	# shellcheck disable=SC2086 # $_png_e0: two numbers
	until _echo_replied "$_png_ns" $_png_e0; do
		[ "$(_vm_uptime)" -lt "$_png_end" ] ||
			vm_die "ping $_png_dst from $_png_ns: $ECHO_SENT requests, $ECHO_RECEIVED replies"
		sleep 0.2
	done
	[ "$ECHO_SENT" -eq "$_png_n" ] && [ "$ECHO_RECEIVED" -eq "$_png_n" ] ||
		vm_die "ping $_png_dst from $_png_ns: $ECHO_SENT requests, $ECHO_RECEIVED replies, want $_png_n"
	vm_log "ping $_png_dst from $_png_ns: all $_png_n replies, some after ping gave up"
}

# ns_ping_start NS DST [INTERVAL]: pings DST from NS in the background
# (default every 0.05 s) until ns_ping_stop; its deadline (-w 1800) only
# bounds a script that forgets to stop it.  One at a time.
ns_ping_start() {
	PING_NS=$1
	PING_E0=$(ns_icmp_echo "$1")
	ip netns exec "$1" ping -q -i "${3:-0.05}" -w 1800 "$2" \
		>"${VM_OUT:-/tmp}/ping-$1.txt" 2>&1 &
	PING_PID=$!
	vm_log "ping $2 from $1 in the background (pid $PING_PID)"
}

# ns_ping_stop LABEL: stops the ping with SIGINT (it prints its summary),
# waits for the replies still in flight, and dies unless NS received
# exactly as many echo replies as it sent requests, and sent some: no frame
# lost, none duplicated.  ping's own summary counts a request still in
# flight at the SIGINT as lost, so the namespace's counters decide.
ns_ping_stop() {
	kill -INT "$PING_PID" 2>/dev/null || vm_die "$1: the background ping had ended"
	wait "$PING_PID" || true
	_pst_sum=$(grep "packets transmitted" "${VM_OUT:-/tmp}/ping-$PING_NS.txt")
	# shellcheck disable=SC2086 # $PING_E0: two numbers
	vm_poll "$1: the echo replies in flight (ping: $_pst_sum)" 30 _echo_replied "$PING_NS" $PING_E0
	[ "$ECHO_SENT" -gt 0 ] || vm_die "$1: no echo request was sent"
	[ "$ECHO_RECEIVED" -eq "$ECHO_SENT" ] ||
		vm_die "$1: $ECHO_SENT echo requests, $ECHO_RECEIVED replies (ping: $_pst_sum)"
	vm_log "$1: $ECHO_SENT echo requests, as many replies (ping: $_pst_sum)"
	PING_PID=
}

# ovs_dump: prints the kernel datapath and its megaflows.
ovs_dump() {
	vm_log "ovs-dpctl show"
	timeout 60 ovs-dpctl show
	vm_log "ovs-dpctl dump-flows"
	timeout 60 ovs-dpctl dump-flows
	vm_log "ovs-appctl dpctl/dump-flows -m"
	timeout 60 ovs-appctl --timeout=30 dpctl/dump-flows -m
}

# ovs_flow_count: prints the number of megaflows in the kernel datapath.
ovs_flow_count() {
	_flows=$(timeout 60 ovs-dpctl dump-flows) || vm_die "ovs-dpctl dump-flows"
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
