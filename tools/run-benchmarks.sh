#!/bin/bash
# run-benchmarks.sh [--smoke] [--seconds S] [--rounds R] [OUTDIR]
#
# The whole benchmark suite in one command (issue 6): installs what it
# needs, builds, then
#   1. on this host's kernel: the fast path (flows from dump-flows text
#      through the offline path) against the bare XDP redirect, and the
#      per-packet cost by bpf_prog_test_run (tools/bench/bench-host.sh);
#   2. in the test VM, beside real openvswitch.ko: the kernel datapath
#      alone, the same with ovs-xdpd, the bare redirect; offload lag, churn,
#      agent memory and CPU, TCP bulk (tools/bench-vm/bench-vm-guest.sh);
# and writes OUTDIR/results.md, OUTDIR/results.json and PNG plots
# (tools/bench/bench-results.py).  OUTDIR defaults to
# bench-results/DATE-HOST.  --smoke: one short round of everything (what the
# test suite runs).  Takes about 17 minutes in full, 4 with --smoke.
# Exit: 0, 1 (a step failed), 2 (usage), 77 (not root).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${OVS_XDP_BUILD_DIR:-$top/build}
smoke=0 seconds="" rounds=""
usage() {
	echo "usage: run-benchmarks.sh [--smoke] [--seconds S] [--rounds R] [OUTDIR]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--seconds) [ $# -ge 2 ] || usage; seconds=$2; shift ;;
	--rounds) [ $# -ge 2 ] || usage; rounds=$2; shift ;;
	-*) echo "run-benchmarks: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
	shift
done
[ $# -le 1 ] || usage
for n in $seconds $rounds; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run-benchmarks: '$n' is not a whole number > 0" >&2; exit 2; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "run-benchmarks: needs root (packages, namespaces, XDP, the test VM)" >&2
	exit 77
fi
out=${1:-$top/bench-results/$(date -u +%Y-%m-%d)-$(hostname -s)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

"$top/tools/install-deps.sh"
CC=${CC:-clang} cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

host_args=()
[ $smoke -eq 0 ] || host_args+=(--smoke)
[ -z "$seconds" ] || host_args+=(--seconds "$seconds")
[ -z "$rounds" ] || host_args+=(--rounds "$rounds")
echo "run-benchmarks: host part (tools/bench/bench-host.sh)"
"$top/tools/bench/bench-host.sh" "${host_args[@]}" --bin "$build/tools/bench" "$out/host"

echo "run-benchmarks: VM part (tools/bench-vm/bench-vm-guest.sh in tests/vm/vm-run.sh)"
rm -rf "$out/vm"
mkdir -p "$out/vm"
export OVS_XDP_BUILD=$build OVS_XDP_SRC=$top
[ $smoke -eq 0 ] || export OVS_XDP_BENCH_SMOKE=1
[ -z "$seconds" ] || export OVS_XDP_BENCH_SECONDS=$seconds
[ -z "$rounds" ] || export OVS_XDP_BENCH_ROUNDS=$rounds
"$top/tests/vm/vm-run.sh" --timeout 3600 --mem 3072 --share "$out/vm" \
	"$top/tools/bench-vm/bench-vm-guest.sh" >"$out/vm/console.log" 2>&1 || {
	echo "run-benchmarks: the VM part failed; its last lines:" >&2
	tail -n 15 "$out/vm/console.log" >&2
	exit 1
}

python3 "$top/tools/bench/bench-results.py" "$out"
