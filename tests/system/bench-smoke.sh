#!/bin/sh
# system tier: the VM part of the benchmarks (tools/bench-vm/bench-vm-guest.sh)
# in its smoke variant (1 s cases, 2000 flows), so that the benchmark keeps
# working.  No figure is asserted: benchmarks are read by people, not
# judged by tests.  What is checked is that every case produced its result,
# that the agent offloaded what the lag case put in, and that the mirror
# stayed exact under churn.
set -eu
. "$OVS_XDP_SRC/tests/vm/lib.sh"
OVS_XDP_BENCH_SMOKE=1 "$OVS_XDP_SRC/tools/bench-vm/bench-vm-guest.sh" ||
	vm_die "bench-vm-guest.sh failed"
python3 - "$VM_OUT/vm.jsonl" <<'PY' || vm_die "results incomplete"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {}
for r in lines:
    by.setdefault(r["case"], []).append(r)
bad = []
for w in ("single", "masks-1", "masks-8", "masks-32", "mixed"):
    for c in ("kernel", "agent") + (("redirect",) if w == "single" else ()):
        if not [r for r in by.get(c, []) if r["workload"] == w and r["pps"] > 0]:
            bad.append("%s/%s: no frame received" % (w, c))
lag = by.get("lag", [{}])[0].get("result", {})
if not lag or lag["offloaded"] != lag["flows"] or lag["p99_ms"] <= 0:
    bad.append("lag: %s" % lag)
churn = by.get("churn", [{}])[0]
if not churn.get("mirror_exact") or churn["result"]["per_second"] <= 0:
    bad.append("churn: %s" % churn)
res = {r["state"]: r for r in by.get("agent-resources", [])}
if "idle" not in res or not [s for s in res if s.endswith("-flows") and
                             res[s]["flows"] == 2000]:
    bad.append("agent resources: %s" % res)
for c in ("kernel", "agent", "agent-tx-csum-off", "kernel-tx-csum-off",
          "agent-kernel-port"):
    if not [r for r in by.get("tcp-" + c, []) if r["bits_per_second"] > 0]:
        bad.append("tcp-%s: nothing received" % c)
for b in bad:
    print("FAIL:", b)
print("bench-smoke: %d results, %d problems" % (len(lines), len(bad)))
sys.exit(1 if bad else 0)
PY
vm_log "PASS"
