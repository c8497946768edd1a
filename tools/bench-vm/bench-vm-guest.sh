#!/bin/sh
# The benchmark cases that need openvswitch.ko, run in the test VM (guest
# side of tools/run-benchmarks.sh).  Every rate case is measured side by
# side in this one run: the kernel datapath alone, the same with ovs-xdpd,
# and a bare XDP redirect between the same two ports.  The datapath is
# driven without ovs-vswitchd (flows are loaded with ovsx-flowload), so
# the same megaflow table is measured every time.  One JSON object per line
# goes to $VM_OUT/vm.jsonl.
#
# Variables: OVS_XDP_BENCH_SECONDS (per rate case, default 5),
# OVS_XDP_BENCH_ROUNDS (rate rounds, default 5: every workload three ways
# in each round, so that a ratio is taken between neighbours in time; the
# kernel datapath's rate under emulation varies most between rounds),
# OVS_XDP_BENCH_SMOKE=1 (1 s cases, small tables: for the test suite),
# OVS_XDP_BENCH_PARTS (default "rates lag churn resources tcp").
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
. "$OVS_XDP_SRC/tests/system/lib-agent.sh"
xdpctl="$OVS_XDP_BUILD/ovs-xdpctl"
bench="$OVS_XDP_BUILD/tools/bench/ovsx-xdpbench"
flowload="$OVS_XDP_BUILD/tools/bench-vm/ovsx-flowload"
lagbench="$OVS_XDP_BUILD/tools/bench-vm/ovsx-lagbench"
churn="$OVS_XDP_BUILD/tests/ovsx-flowchurn"
S=${OVS_XDP_BENCH_SECONDS:-5}
SMOKE=${OVS_XDP_BENCH_SMOKE:-}
R=${OVS_XDP_BENCH_ROUNDS:-5}
TCP_R=3
BIG=100000
if [ -n "$SMOKE" ]; then S=1 R=1 TCP_R=1 BIG=2000; fi
ROUND=1
OUT="$VM_OUT/vm.jsonl"
: >"$OUT"

# record JSON: one result line (the caller gives a complete object).
record() { echo "$1" >>"$OUT"; echo "$1"; }

setup() {
	vm_must modprobe openvswitch
	vm_must ovs-dpctl add-dp ovs-system
	for n in gen sink; do
		vm_must ip netns add $n
		vm_must ip link add ovs-$n type veth peer name eth0 netns $n
		vm_must ip link set ovs-$n up
		# The generator's frames come in as XDP transmits, which a veth
		# takes only in NAPI mode (GRO on, or an XDP program attached):
		# without it the kernel-datapath case would see nothing.
		vm_must ethtool -K ovs-$n gro on >/dev/null
		vm_must ip -n $n link set eth0 up
		vm_must ip -n $n link set lo up
		vm_must ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		vm_must sysctl -qw net.ipv6.conf.ovs-$n.disable_ipv6=1
		# Tags in frame data, redirects received (NAPI), as the agent
		# needs; checksums as the workload sends them.
		vm_must ip netns exec $n ethtool -K eth0 gro on txvlan off \
			tx-vlan-stag-hw-insert off >/dev/null
	done
	vm_must ip -n gen addr add 10.9.0.1/24 dev eth0
	vm_must ip -n sink addr add 10.9.0.2/24 dev eth0
	vm_must ovs-dpctl add-if ovs-system ovs-gen # port 1
	vm_must ovs-dpctl add-if ovs-system ovs-sink # port 2
	sysctl -qw kernel.bpf_stats_enabled=0 2>/dev/null || true
	mem=$(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/meminfo)
	record "{\"case\": \"machine\", \"kernel\": \"$(uname -r)\", \"cpus\": $(nproc), \"mem_kib\": $mem, \"openvswitch\": \"$(ovs-dpctl --version | sed -n '1s/.* //p')\", \"emulation\": \"qemu -cpu max -smp 2, TCG (no KVM)\"}"
}

load_flows() { # ARGS of `ovsx-xdpbench flows`
	vm_must ovs-dpctl del-flows
	"$bench" flows --in-port 1 --out-port 2 "$@" >"$VM_OUT/flows.txt" ||
		vm_die "ovsx-xdpbench flows $*"
	vm_must "$flowload" "$VM_OUT/flows.txt" >/dev/null
}

# rate CASE WORKLOAD FLOWS MASKS SIZE: the sink's rate with the generator
# running for the whole measurement: it runs until the sink is done and is
# stopped then (SIGTERM ends it cleanly), so that a generator slow to start
# on a busy host still covers the sink's window.
rate() {
	ip netns exec gen "$bench" gen --dev eth0 --seconds $((S + 60)) \
		--size "$5" --flows "$3" --masks "$4" >"$VM_OUT/gen.json" 2>&1 &
	gen_pid=$!
	r=$(ip netns exec sink "$bench" sink --dev eth0 --seconds "$S" --warmup 1500) ||
		{ kill "$gen_pid" 2>/dev/null; vm_die "sink: $r"; }
	kill -TERM "$gen_pid" 2>/dev/null || true
	wait $gen_pid || vm_die "generator: $(cat "$VM_OUT/gen.json")"
	pps=$(echo "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pps"])')
	record "{\"case\": \"$1\", \"round\": $ROUND, \"workload\": \"$2\", \"flows\": $3, \"masks\": $4, \"size\": $5, \"pps\": $pps, \"seconds\": $S, \"sink\": $r}"
}

agent_up() { # ARGS: extra agent options; waits until N flows are offloaded
	want=$1
	shift
	agent_start --metrics none "$@"
	i=0
	until [ "$("$xdpctl" --json show | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdicts"]["offloaded"])')" -ge "$want" ]; do
		i=$((i + 1))
		[ $i -lt 1500 ] || vm_die "the agent did not offload $want flows in 5 minutes"
		sleep 0.2
	done
}

# The same workload three ways: kernel, agent, bare redirect (optional).
three_ways() { # WORKLOAD FLOWS MASKS SIZE KERNEL_PCT WITH_REDIRECT
	load_flows --flows "$2" --masks "$3" --kernel-pct "$5"
	rate kernel "$1" "$2" "$3" "$4"
	offloadable=$(grep -vc "skb_mark" "$VM_OUT/flows.txt" || true)
	agent_up "$offloadable"
	rate agent "$1" "$2" "$3" "$4"
	# Which share of the frames the program saw it forwarded itself: a
	# rate near the kernel's with a low share means frames are passed.
	share=$("$xdpctl" --json stats | python3 -c '
import json, sys
e = json.load(sys.stdin)["ovs_xdp_fastpath_events_total"]
print(round(e.get("redirect", 0) / max(e.get("rx_packets", 0), 1), 4))')
	record "{\"case\": \"agent-xdp-share\", \"round\": $ROUND, \"workload\": \"$1\", \"share\": $share}"
	agent_stop
	if [ "$6" = yes ]; then
		"$bench" redirect --from ovs-gen --to ovs-sink &
		red_pid=$!
		sleep 1
		rate redirect "$1" "$2" "$3" "$4"
		kill $red_pid
		wait $red_pid || true
	fi
}

bench_rates() {
	for ROUND in $(seq "$R"); do
		vm_log "round $ROUND/$R: 64-byte UDP, one flow"
		three_ways single 1 1 64 0 yes
		for k in 1 8 32; do
			vm_log "round $ROUND/$R: 1000 flows over $k masks"
			three_ways "masks-$k" 1000 "$k" 64 0 no
		done
		vm_log "round $ROUND/$R: a mixed table, 30% of the flows kept in the kernel"
		three_ways mixed 1000 8 64 30 no
	done
}

bench_lag() {
	vm_log "offload lag"
	load_flows --flows 1 --masks 1
	agent_up 1
	n=1000
	[ -z "$SMOKE" ] || n=20
	lag=$("$lagbench" --flows $n 1 2) || vm_die "lagbench: $lag"
	record "{\"case\": \"lag\", \"result\": $lag}"
	agent_stop
}

# cpu_ticks PID: user + system clock ticks the process has used.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# churn: ovsx-flowchurn's JSON figures (2000 slots for S seconds).
churn() {
	"$churn" ovs-system 2000 "$S" "$1" |
		sed -n 's/^churn: \([0-9]*\) operations in \([0-9.]*\) s (\([0-9]*\)\/s).*/{"operations": \1, "seconds": \2, "per_second": \3}/p'
}

# The churn the kernel takes from one netlink client without the agent,
# then the same with the agent following it (and the agent's CPU meanwhile:
# what it would take to absorb more than one client can make), then the
# mirror compared with the kernel.
bench_churn() {
	vm_log "churn absorbed with the mirror exact"
	vm_must ovs-dpctl del-flows
	alone=$(churn 5)
	[ -n "$alone" ] || vm_die "churn (kernel alone) failed"
	vm_must ovs-dpctl del-flows
	agent_start --metrics none
	t0=$(cpu_ticks "$AGENT_PID")
	c=$(churn 6)
	[ -n "$c" ] || vm_die "churn failed"
	t1=$(cpu_ticks "$AGENT_PID")
	cpu=$(python3 -c "print(round(100.0 * ($t1 - $t0) / $(getconf CLK_TCK) / $S, 1))")
	sleep 3
	"$xdpctl" --json dump-flows >"$VM_OUT/churn-flows.json"
	ovs-dpctl dump-flows -m >"$VM_OUT/churn-dpctl.txt"
	exact=$(python3 - "$VM_OUT/churn-flows.json" "$VM_OUT/churn-dpctl.txt" <<'PY'
import json, re, sys
ours = {f["ufid"] for f in json.load(open(sys.argv[1]))}
theirs = set(re.findall(r"^ufid:([0-9a-f-]+)", open(sys.argv[2]).read(), re.M))
print("true" if ours == theirs else "false")
PY
	)
	record "{\"case\": \"churn\", \"result\": $c, \"kernel_alone\": $alone, \"agent_cpu_percent\": $cpu, \"mirror_exact\": $exact}"
	rm -f "$VM_OUT/churn-flows.json" "$VM_OUT/churn-dpctl.txt"
	agent_stop
}

bench_resources() {
	vm_log "agent memory and CPU, idle and at $BIG flows"
	# measure LABEL: RSS now, CPU over S seconds of no change.
	measure() {
		pid=$AGENT_PID
		rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$pid/status)
		hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$pid/status)
		t0=$(cpu_ticks "$pid")
		sleep "$S"
		t1=$(cpu_ticks "$pid")
		hz=$(getconf CLK_TCK)
		cpu=$(python3 -c "print(round(100.0 * ($t1 - $t0) / $hz / $S, 2))")
		flows=$("$xdpctl" --json show | python3 -c 'import json,sys; print(json.load(sys.stdin)["flows"])')
		record "{\"case\": \"agent-resources\", \"state\": \"$1\", \"flows\": $flows, \"rss_kib\": $rss, \"rss_peak_kib\": $hwm, \"cpu_percent\": $cpu, \"seconds\": $S}"
	}
	vm_must ovs-dpctl del-flows
	agent_start --metrics none --max-flows 131072
	sleep 2
	measure idle
	agent_stop
	load_flows --flows "$BIG" --masks 8
	agent_up "$BIG" --max-flows 131072
	measure "$BIG-flows"
	agent_stop
	rm -f "$VM_OUT/flows.txt" # ovsx-xdpbench flows makes it again
}

bench_tcp() {
	vm_log "TCP bulk (iperf3), kernel datapath against the agent"
	vm_must ovs-dpctl del-flows
	cat >"$VM_OUT/tcp-flows.txt" <<'TXT'
recirc_id(0),in_port(1),eth(),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:2
recirc_id(0),in_port(2),eth(),eth_type(0x0800),ipv4(frag=no), packets:0, bytes:0, used:never, actions:1
TXT
	# Static neighbours: no ARP, so the two IPv4 flows are the whole table.
	mac() { ip -n "$1" -o link show eth0 | sed 's/.*link\/ether \([0-9a-f:]*\).*/\1/'; }
	vm_must ip -n gen neigh replace 10.9.0.2 lladdr "$(mac sink)" dev eth0 nud permanent
	vm_must ip -n sink neigh replace 10.9.0.1 lladdr "$(mac gen)" dev eth0 nud permanent
	vm_must "$flowload" "$VM_OUT/tcp-flows.txt" >/dev/null
	ip netns exec sink iperf3 -s -D -p 5201 >/dev/null
	sleep 1
	tcp() { # CASE ROUND
		b=$(ip netns exec gen iperf3 -c 10.9.0.2 -p 5201 -t "$S" -J 2>/dev/null |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])') ||
			vm_die "iperf3 ($1)"
		record "{\"case\": \"tcp-$1\", \"round\": $2, \"bits_per_second\": $b, \"seconds\": $S}"
	}
	# Rounds, each case once in every round: one 5 s run of each is
	# within noise of another (a kernel-port ratio of 1.11 once, 0.93
	# the next time).
	r=1
	while [ $r -le "$TCP_R" ]; do
		tcp kernel $r
		agent_up 2
		tcp agent $r
		# Partial checksums from the sender's tx offload keep TCP on
		# the kernel path; with it off the segments can take XDP.
		vm_must ip netns exec gen ethtool -K eth0 tx off >/dev/null
		tcp agent-tx-csum-off $r
		agent_stop
		tcp kernel-tx-csum-off $r
		vm_must ip netns exec gen ethtool -K eth0 tx on >/dev/null
		# The operator's policy for such ports: the sender's port kept
		# on the kernel path (no XDP program on it, so its peer keeps
		# software GSO), the replies still offloaded.
		agent_up 1 --kernel-port ovs-gen
		tcp agent-kernel-port $r
		agent_stop
		r=$((r + 1))
	done
}

setup
for part in ${OVS_XDP_BENCH_PARTS:-rates lag churn resources tcp}; do
	case $part in
	rates | lag | churn | resources | tcp) "bench_$part" ;;
	*) vm_die "unknown benchmark part $part" ;;
	esac
done
vm_log "done: $(grep -c . "$OUT") results in $OUT"
