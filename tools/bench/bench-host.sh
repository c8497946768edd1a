#!/bin/bash
# bench-host.sh [--smoke] [--rounds R] [--seconds S] [--bin DIR] OUTDIR
#
# The host-native part of the benchmarks (issue 6): the XDP fast path, with
# flows installed from `ovsx-xdpbench flows` text through the offline path
# (ovsx-fastpath-load), against the bare XDP redirect, in one run, on
# namespaces this script creates and removes (nothing in the machine's own
# namespace is touched):
#
#   gen ns: xbg0 ==veth== xbd0 :DUT ns: xbd1 ==veth== xbs0 :sink ns
#
# Every veth has one queue per CPU.  A frame sent from CPU n lands on queue
# n of the peer, whose NAPI runs on CPU n, so each CPU runs a whole
# pipeline (generator -> device under test -> sink) for its own frames, as
# RSS would spread a NIC's flows, and no page of the generator's pool is
# freed on another CPU (with one queue, that contended spinlock was most of
# what was measured).  The generator, the device under test and the sink
# therefore share both CPUs: the rates are those of the whole machine, and
# the "direct" case (generator straight into the sink, no device under
# test) tells what the generator and sink take of them.
#
# Cases, run round-robin in every round so that a drift of the machine hits
# all of them alike: direct, redirect (bare), fp-1flow (64-byte UDP, one
# flow), fp-1000x1, fp-1000x8, fp-1000x32 (1000 flows over 1, 8, 32
# masks), fp-mixed (1000 flows over 8 masks, 30% not offloadable: those
# frames are XDP_PASSed into the DUT namespace, where nothing forwards
# them; the sink sees the offloaded 70%).  Then ovsx-costbench.
#
# Writes OUTDIR/host.json (every figure, its unit, the commands), the raw
# results (OUTDIR/raw/), and prints a table.  --smoke: one round of ~1 s
# per case and a short costbench, for the test suite.
# Exit: 0, 1 (a step failed), 2 (usage), 77 (not root).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${OVSX_BENCH_BIN:-$top/build/tools/bench}
rounds=5 seconds=3 warmup_ms=300 smoke=0
while [ $# -gt 1 ]; do
	case $1 in
	--smoke) smoke=1 rounds=1 seconds=1 warmup_ms=100 ;;
	--rounds) rounds=$2; shift ;;
	--seconds) seconds=$2; shift ;;
	--bin) bin=$2; shift ;;
	*) echo "bench-host: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
if [ $# -ne 1 ] || [ "${1#-}" != "$1" ]; then
	echo "usage: bench-host.sh [--smoke] [--rounds R] [--seconds S] [--bin DIR] OUTDIR" >&2
	exit 2
fi
out=$1
case "$rounds$seconds" in *[!0-9.]*) echo "bench-host: bad number" >&2; exit 2 ;; esac
if [ "$(id -u)" -ne 0 ]; then
	echo "bench-host: needs root (namespaces, XDP)" >&2
	exit 77
fi
for b in ovsx-xdpbench ovsx-fastpath-load ovsx-costbench; do
	[ -x "$bin/$b" ] || { echo "bench-host: no $bin/$b (build first, or --bin)" >&2; exit 1; }
done

NS_GEN=ovsxbh-gen NS_DUT=ovsxbh-dut NS_SINK=ovsxbh-sink
ncpu=$(nproc)
stats_sysctl=/proc/sys/kernel/bpf_stats_enabled
stats_before=$(cat $stats_sysctl 2>/dev/null || echo -1)
bg_pids=""

cleanup() {
	for p in $bg_pids; do kill "$p" 2>/dev/null || true; done
	for p in $bg_pids; do wait "$p" 2>/dev/null || true; done
	for ns in $NS_GEN $NS_DUT $NS_SINK; do ip netns del "$ns" 2>/dev/null || true; done
	if [ "$stats_before" -gt 0 ] 2>/dev/null; then echo "$stats_before" >$stats_sysctl; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "bench-host: $*" >&2; exit 1; }

# Three namespaces, two veth pairs, one queue per CPU, no IPv6 chatter.
setup() {
	local q="numtxqueues $ncpu numrxqueues $ncpu"
	for ns in $NS_GEN $NS_DUT $NS_SINK; do
		ip netns del "$ns" 2>/dev/null || true
		ip netns add "$ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	# shellcheck disable=SC2086 # $q is two options
	ip -n $NS_GEN link add xbg0 $q type veth peer name xbd0 $q netns $NS_DUT
	# shellcheck disable=SC2086
	ip -n $NS_DUT link add xbd1 $q type veth peer name xbs0 $q netns $NS_SINK
	ip -n $NS_GEN link set xbg0 up
	ip -n $NS_DUT link set xbd0 up
	ip -n $NS_DUT link set xbd1 up
	ip -n $NS_SINK link set xbs0 up
}

# Runs a DUT program in the background until its JSON ready line.
start_dut() { # file cmd...
	local file=$1; shift
	exec "$@" >"$file" 2>"$file.err" &
	dut_pid=$!
	bg_pids="$bg_pids $dut_pid"
	for _ in $(seq 100); do
		grep -q '^{' "$file" 2>/dev/null && return 0
		kill -0 $dut_pid 2>/dev/null || break
		sleep 0.1
	done
	die "DUT program did not start: $(cat "$file.err")"
}

stop_dut() {
	kill -TERM "$dut_pid"
	wait "$dut_pid" || die "DUT program failed: $(cat "$1.err")"
	bg_pids=${bg_pids/ $dut_pid/}
}

q() { printf '%q ' "$@"; }

# Frames a veth could not pass to its peer (the peer's ring was full).
xmit_errors() { # ns dev
	ip netns exec "$1" ethtool -S "$2" 2>/dev/null |
		awk '/tx_queue_[0-9]+_xdp_xmit_errors/ { n += $2 } END { print n + 0 }'
}

# One case, one round: DUT up, the sink waiting for the first frame, the
# generator until the sink is done, then everything down.
run_case() { # round name kind flows-args
	local r=$1 name=$2 kind=$3 fargs=$4
	local d=$out/raw/$name.$r sink_ns=$NS_SINK sink_dev=xbs0 dutcmd=""
	local sinkcmd gencmd sink_pid gen_pid e0 e1 f0 f1
	mkdir -p "$d"
	# shellcheck disable=SC2086
	"$bin/ovsx-xdpbench" flows $fargs >"$d/flows.txt"
	case $kind in
	direct) sink_ns=$NS_DUT sink_dev=xbd0 ;;
	redirect)
		dutcmd=$(q ip netns exec $NS_DUT "$bin/ovsx-xdpbench" redirect --from xbd0 --to xbd1) ;;
	fp)
		dutcmd=$(q ip netns exec $NS_DUT "$bin/ovsx-fastpath-load" --port 1=xbd0 --port 2=xbd1 "$d/flows.txt") ;;
	esac
	[ -z "$dutcmd" ] || eval "start_dut $d/dut.json $dutcmd"
	sinkcmd=$(q ip netns exec $sink_ns "$bin/ovsx-xdpbench" sink --dev $sink_dev \
		--seconds "$seconds" --warmup "$warmup_ms" --hold)
	# Stopped by SIGTERM once the sink is done, so that its rate covers
	# the same time.
	# shellcheck disable=SC2086
	gencmd=$(q ip netns exec $NS_GEN "$bin/ovsx-xdpbench" gen --dev xbg0 \
		--seconds 60 $fargs)
	e0=$(xmit_errors $NS_GEN xbg0) f0=$(xmit_errors $NS_DUT xbd1)
	eval "exec $sinkcmd" >"$d/sink.json" 2>"$d/sink.err" &
	sink_pid=$!
	bg_pids="$bg_pids $sink_pid"
	sleep 0.2
	eval "exec $gencmd" >"$d/gen.json" 2>"$d/gen.err" &
	gen_pid=$!
	bg_pids="$bg_pids $gen_pid"
	# The sink prints its figures and holds on until told.
	until grep -q '^{' "$d/sink.json" 2>/dev/null; do
		kill -0 $sink_pid 2>/dev/null || die "sink failed ($name): $(cat "$d/sink.err")"
		sleep 0.05
	done
	e1=$(xmit_errors $NS_GEN xbg0) f1=$(xmit_errors $NS_DUT xbd1)
	kill -TERM $gen_pid
	wait $gen_pid || die "generator failed ($name): $(cat "$d/gen.err")"
	kill -TERM $sink_pid
	wait $sink_pid || die "sink failed ($name): $(cat "$d/sink.err")"
	bg_pids=${bg_pids/ $sink_pid/}
	bg_pids=${bg_pids/ $gen_pid/}
	[ -z "$dutcmd" ] || stop_dut "$d/dut.json"
	printf '{"gen_to_dut": %d, "dut_to_sink": %d}\n' $((e1 - e0)) $((f1 - f0)) >"$d/xmit_errors.json"
	printf '%s\n' "$dutcmd" >"$d/dut.cmd"
	printf '%s\n' "$sinkcmd" >"$d/sink.cmd"
	printf '%s\n' "$gencmd (stopped by SIGTERM when the sink is done)" >"$d/gen.cmd"
	printf '%s\n' "$(q "$bin/ovsx-xdpbench" flows)$fargs" >"$d/flows.cmd"
	rm -f "$d/flows.txt" # flows.cmd makes it again
	printf '  round %s %-10s %s\n' "$r" "$name" \
		"$(grep -o '"pps": [0-9]*' "$d/sink.json" | head -1)"
}

CASES="direct:direct:--flows 1 --masks 1
redirect:redirect:--flows 1 --masks 1
fp-1flow:fp:--flows 1 --masks 1
fp-1000x1:fp:--flows 1000 --masks 1
fp-1000x8:fp:--flows 1000 --masks 8
fp-1000x32:fp:--flows 1000 --masks 32
fp-mixed:fp:--flows 1000 --masks 8 --kernel-pct 30"

# How busy the machine is before we start: everything here shares two
# CPUs, so another job's load shows up in every figure.
busy_pct() { # seconds
	local a b
	a=$(head -n1 /proc/stat)
	sleep "$1"
	b=$(head -n1 /proc/stat)
	echo "$a $b" | awk '{ busy = ($13 + $14 + $15 + $18 + $19) - ($2 + $3 + $4 + $7 + $8)
		idle = ($16 + $17 + $20) - ($5 + $6 + $9)
		print (busy + idle) ? int(100 * busy / (busy + idle)) : 0 }'
}

rm -rf "$out/raw"
mkdir -p "$out/raw"
busy_before=$(busy_pct 1)
[ "$busy_before" -le 10 ] ||
	echo "bench-host: warning: the CPUs were ${busy_before}% busy before the run: figures will be low" >&2
# kernel.bpf_stats_enabled costs two clock reads per program run.
if [ "$stats_before" -gt 0 ] 2>/dev/null; then echo 0 >$stats_sysctl; fi
setup
echo "bench-host: $rounds round(s) of $seconds s per case, $ncpu CPUs, results in $out"
for r in $(seq "$rounds"); do
	while IFS=: read -r name kind fargs; do
		run_case "$r" "$name" "$kind" "$fargs"
	done <<<"$CASES"
done

# How fast flows go in: N flows through the text parser, the planner, the
# engine and the BPF maps (ovsx-fastpath-load's load_seconds), natively.
install_flows=100000
[ $smoke -eq 0 ] || install_flows=5000
echo "bench-host: installing $install_flows flows (ovsx-fastpath-load)"
"$bin/ovsx-xdpbench" flows --flows $install_flows --masks 8 >"$out/raw/install-flows.txt"
eval "start_dut $out/raw/install.json $(q ip netns exec $NS_DUT "$bin/ovsx-fastpath-load" --port 1=xbd0 --port 2=xbd1 "$out/raw/install-flows.txt")"
stop_dut "$out/raw/install.json"
rm -f "$out/raw/install-flows.txt"

costargs=""
[ $smoke -eq 0 ] || costargs="--quick --masks 1,8"
# shellcheck disable=SC2086
costcmd="$(q ip netns exec $NS_DUT "$bin/ovsx-costbench")$costargs"
echo "bench-host: per-packet cost (ovsx-costbench)"
eval "$costcmd" >"$out/raw/costbench.json" 2>"$out/raw/costbench.err" ||
	die "costbench failed: $(cat "$out/raw/costbench.err")"
printf '%s\n' "$costcmd" >"$out/raw/costbench.cmd"
stats_during=$(cat $stats_sysctl 2>/dev/null || echo -1)

python3 "$top/tools/bench/bench-report.py" --raw "$out/raw" \
	--cases "$(echo "$CASES" | cut -d: -f1 | tr '\n' ' ')" \
	--rounds "$rounds" --seconds "$seconds" --smoke "$smoke" \
	--bpf-stats "$stats_during" --busy-before "$busy_before" \
	--out "$out/host.json"
