#!/bin/sh
# netns tier: the host benchmark (tools/bench/bench-host.sh --smoke) runs
# end to end in namespaces of its own: every case delivers frames to the
# sink and the per-packet cost is measured.  No rate is asserted (figures
# are ratios for people to read, not test verdicts): only that each case
# produced one.
# Usage: test-bench-smoke.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (namespaces, XDP)"
	exit 77
fi
out=$(mktemp -d /tmp/ovsx-bench-smoke.XXXXXX)
trap 'rm -rf "$out"' EXIT
rc=0
"$src/tools/bench/bench-host.sh" --smoke --bin "$build/tools/bench" "$out" || rc=$?
[ "$rc" -ne 77 ] || exit 77
[ "$rc" -eq 0 ] || { echo "FAIL: bench-host.sh exited $rc"; exit 1; }
python3 - "$out/host.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
want = ["direct", "redirect", "fp-1flow", "fp-1000x1", "fp-1000x8",
        "fp-1000x32", "fp-mixed"]
bad = [n for n in want
       if not (doc["cases"].get(n, {}).get("sink_pps") or {}).get("value")]
for n in want[1:]:
    if not (doc["cases"].get(n, {}).get("ratio_to_redirect") or
            n == "redirect"):
        bad.append(n + " (no ratio)")
mixed = doc["cases"].get("fp-mixed", {}).get("xdp_share") or {}
if not 0 < mixed.get("value", 0) < 1:
    bad.append("fp-mixed (xdp share %s)" % mixed.get("value"))
cost = doc.get("costbench") or {}
if not cost.get("redirect_ns") or not all(
        m["worst"]["emc_ns"] > 0 and m["worst"]["no_emc_ns"] > 0
        for m in cost.get("by_masks", [{"worst": {"emc_ns": 0}}])):
    bad.append("costbench")
if bad:
    print("FAIL: no figure for: " + ", ".join(bad))
    sys.exit(1)
print("ok: %d cases and the per-packet cost" % len(want))
PY
