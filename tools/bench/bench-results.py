#!/usr/bin/env python3
"""bench-results.py OUTDIR: the report of tools/run-benchmarks.sh.

Reads OUTDIR/host/host.json (tools/bench/bench-host.sh) and
OUTDIR/vm/vm.jsonl (tools/bench-vm/bench-vm-guest.sh) and writes
OUTDIR/results.json (every figure with its unit and source),
OUTDIR/results.md (the same as tables, the targets of issue 6 with how far
each is from its target) and PNG plots drawn by gnuplot.  Ratios are taken
between cases of the same round, then their median is reported.
Exit: 0, 1 (a result is missing), 2 (usage)."""
import json
import os
import statistics
import subprocess
import sys
import time


def median_figure(values, unit, source):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"value": statistics.median(values), "unit": unit,
            "min": min(values), "max": max(values), "runs": values,
            "source": source}


def load_vm(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


VM_WORKLOADS = [
    ("single", "64-byte UDP, one flow"),
    ("masks-1", "1000 flows over 1 mask"),
    ("masks-8", "1000 flows over 8 masks"),
    ("masks-32", "1000 flows over 32 masks"),
    ("mixed", "1000 flows over 8 masks, 30% not offloadable"),
]


def vm_rates(lines):
    """{workload: {case: {round: pps}}} of the VM rate cases."""
    rates = {}
    for r in lines:
        if r["case"] in ("kernel", "agent", "redirect"):
            w = rates.setdefault(r["workload"], {})
            w.setdefault(r["case"], {})[r.get("round", 1)] = r["pps"]
    return rates


def round_ratio(rates, wa, ca, wb, cb, source):
    a = rates.get(wa, {}).get(ca, {})
    b = rates.get(wb, {}).get(cb, {})
    return median_figure([a[r] / b[r] for r in sorted(a) if b.get(r)],
                         "ratio", source)


def vm_section(lines):
    rates = vm_rates(lines)
    out = {"rates": {}, "ratios": {}}
    for w, desc in VM_WORKLOADS:
        for c, runs in rates.get(w, {}).items():
            out["rates"]["%s/%s" % (w, c)] = dict(
                median_figure([runs[r] for r in sorted(runs)], "packets/s",
                              "sink pps in the guest"), workload=desc)
        out["ratios"]["%s agent/kernel" % w] = round_ratio(
            rates, w, "agent", w, "kernel",
            "agent pps / kernel pps, same round")
    out["ratios"]["single agent/redirect"] = round_ratio(
        rates, "single", "agent", "single", "redirect",
        "agent pps / bare redirect pps, same round")
    out["ratios"]["single kernel/redirect"] = round_ratio(
        rates, "single", "kernel", "single", "redirect",
        "kernel pps / bare redirect pps, same round")
    out["ratios"]["agent masks-32/masks-1"] = round_ratio(
        rates, "masks-32", "agent", "masks-1", "agent",
        "agent pps at 32 masks / at 1 mask, same round")
    shares = {}  # {workload: [share of frames forwarded in XDP]}
    for r in lines:
        if r["case"] == "agent-xdp-share":
            shares.setdefault(r["workload"], []).append(r["share"])
    out["xdp_share"] = {w: median_figure(v, "ratio",
                                         "redirected / seen by the program")
                        for w, v in shares.items()}
    tcp_runs = {}  # {case: {round: bits/s}}
    for r in lines:
        if r["case"] == "machine":
            out["machine"] = {k: v for k, v in r.items() if k != "case"}
        elif r["case"] == "lag":
            out["lag"] = r["result"]
        elif r["case"] == "churn":
            out["churn"] = dict(r["result"], mirror_exact=r["mirror_exact"],
                                kernel_alone=r.get("kernel_alone"),
                                agent_cpu_percent=r.get("agent_cpu_percent"))
        elif r["case"] == "agent-resources":
            out.setdefault("resources", {})[r["state"]] = {
                k: v for k, v in r.items() if k not in ("case", "state")}
        elif r["case"].startswith("tcp-"):
            tcp_runs.setdefault(r["case"][4:], {})[r.get("round", 1)] = \
                r["bits_per_second"]
    if tcp_runs:
        out["tcp"] = {c: statistics.median(runs.values())
                      for c, runs in tcp_runs.items()}
    for c in ("agent", "agent-tx-csum-off", "agent-kernel-port"):
        base = "kernel-tx-csum-off" if c == "agent-tx-csum-off" else "kernel"
        if c in tcp_runs and base in tcp_runs:
            out["ratios"]["tcp %s/%s" % (c, base)] = round_ratio(
                {"tcp": tcp_runs}, "tcp", c, "tcp", base,
                "iperf3 received bits/s, same round")
    return out


def value(f):
    return f["value"] if f else None


def targets(host, vm):
    """The targets of issue 6: (figure, target text, met?, value, note)."""
    def big_rss():
        res = vm.get("resources", {})
        big = [v for k, v in res.items() if k != "idle"]
        return (big[0]["rss_kib"] / 1024.0, big[0]["flows"]) if big \
            else (None, 0)

    rss, rss_flows = big_rss()
    hh = host.get("headline", {})
    lag = vm.get("lag", {})
    churn = vm.get("churn", {})
    rows = [
        ("offloaded / kernel datapath, 64 B single flow (VM)", ">= 5x", 5,
         value(vm["ratios"].get("single agent/kernel")), "x"),
        ("fast path / bare XDP redirect, one flow (VM)", ">= 0.8", 0.8,
         value(vm["ratios"].get("single agent/redirect")), ""),
        ("fast path / bare XDP redirect, one flow (host)", ">= 0.8", 0.8,
         value(hh.get("fast_path_over_bare_redirect_1flow")), ""),
        ("32 masks / 1 mask, 1,000 flows (host)", ">= 0.85", 0.85,
         value(hh.get("masks32_over_masks1_1000flows")), ""),
        ("32 masks / 1 mask, 1,000 flows (VM)", ">= 0.85", 0.85,
         value(vm["ratios"].get("agent masks-32/masks-1")), ""),
        ("offload lag p99 (VM)", "<= 5 ms", -5.0,
         -lag["p99_ms"] if "p99_ms" in lag else None, " ms"),
        ("churn absorbed, mirror exact (VM, one netlink client)",
         ">= 20,000/s", 20000,
         churn.get("per_second") if churn.get("mirror_exact") else None,
         "/s"),
        ("flow installs absorbed by the engine and BPF maps (host)",
         ">= 20,000/s", 20000,
         (host.get("install") or {}).get("flows_per_second"), "/s"),
        ("TCP bulk with agent / without (VM)", ">= 0.95", 0.95,
         value(vm["ratios"].get("tcp agent/kernel")), ""),
        ("TCP bulk, sender's port kept on the kernel path / without (VM)",
         ">= 0.95", 0.95,
         value(vm["ratios"].get("tcp agent-kernel-port/kernel")), ""),
        ("agent RSS at %d flows (VM)" % rss_flows, "<= 64 MiB", -64.0,
         -rss if rss is not None else None, " MiB"),
    ]
    out = []
    for name, text, goal, v, unit in rows:
        if v is None:
            out.append({"figure": name, "target": text, "value": None,
                        "met": False, "note": "no result"})
            continue
        shown, want = abs(v), abs(goal)
        met = v >= goal
        if goal < 0:  # an upper bound, kept negated above
            note = "%.0f%% of the bound" % (100 * shown / want)
        else:
            note = "%.0f%% of the target" % (100 * shown / want)
        out.append({"figure": name, "target": text, "value": shown,
                    "unit": unit.strip(), "met": met, "note": note})
    return out


def fmt(v, digits=2):
    return "-" if v is None else "%.*f" % (digits, v)


def markdown(doc):
    host, vm = doc["host"], doc["vm"]
    m, gm = host.get("machine", {}), vm.get("machine", {})
    L = ["# ovs-xdp benchmark results", "",
         "Produced by `tools/run-benchmarks.sh%s` on %s." % (
             " --smoke" if doc["smoke"] else "", doc["date"]), "",
         "## Machine", "",
         "- host: Linux %s, %s CPUs (%s), virtualized: %s" % (
             m.get("kernel"), m.get("cpus"), m.get("cpu_model"),
             m.get("virtualized")),
         "- test VM: Linux %s, %s CPUs, %s MiB, Open vSwitch %s, %s" % (
             gm.get("kernel"), gm.get("cpus"),
             (gm.get("mem_kib") or 0) // 1024, gm.get("openvswitch"),
             gm.get("emulation")),
         "- host CPUs busy before the run: %s%%; "
         "kernel.bpf_stats_enabled during the rate runs: %s" % (
             host.get("params", {}).get("cpu_busy_before_run", {})
             .get("value"), host.get("params", {}).get("bpf_stats_enabled")),
         "", "## Targets (issue 6)", "",
         "| figure | target | measured | met | |", "|---|---|---|---|---|"]
    for t in doc["targets"]:
        L.append("| %s | %s | %s%s | %s | %s |" % (
            t["figure"], t["target"], fmt(t["value"]),
            (" " + t["unit"]) if t.get("unit") and t["value"] is not None
            else "", "yes" if t["met"] else "**no**", t["note"]))
    L += ["", "## Host kernel (native XDP on veth, no openvswitch.ko)", "",
          "Flows installed through the offline path from `dump-flows` text;"
          " generator, device under test and sink share the CPUs. Median of"
          " %s rounds of %s s." % (host.get("params", {}).get("rounds"),
                                   host.get("params", {})
                                   .get("seconds_per_case")), "",
          "| case | sink Mpps | min-max | / redirect | DUT ns/packet |",
          "|---|---|---|---|---|"]
    for name, c in host.get("cases", {}).items():
        p = c.get("sink_pps")
        L.append("| %s: %s | %s | %s-%s | %s | %s |" % (
            name, c.get("description", ""), fmt(p and p["value"] / 1e6),
            fmt(p and p["min"] / 1e6), fmt(p and p["max"] / 1e6),
            fmt(value(c.get("ratio_to_redirect"))),
            fmt(value(c.get("dut_ns_per_packet")), 0)))
    cost = host.get("costbench")
    if cost:
        L += ["", "Per-packet cost of the XDP program by bpf_prog_test_run "
              "(`%s`), %s flows; bare redirect %.1f ns:" % (
                  cost.get("command", ""), cost.get("flows"),
                  cost.get("redirect_ns", 0)), "",
              "| masks | worst ns, EMC | worst ns, no EMC | average ns, EMC "
              "| average ns, no EMC |", "|---|---|---|---|---|"]
        for b in cost.get("by_masks", []):
            L.append("| %d | %.1f | %.1f | %.1f | %.1f |" % (
                b["masks"], b["worst"]["emc_ns"], b["worst"]["no_emc_ns"],
                b["average"]["emc_ns"], b["average"]["no_emc_ns"]))
    L += ["", "## Test VM (Debian's kernel with openvswitch.ko, emulated)", "",
          "Same megaflow table in every case (loaded over netlink, no "
          "ovs-vswitchd). Median over rounds.", "",
          "| workload | kernel kpps | agent kpps | redirect kpps | "
          "agent / kernel | agent's frames forwarded in XDP |",
          "|---|---|---|---|---|---|"]
    for w, desc in VM_WORKLOADS:
        def k(c):
            f = vm["rates"].get("%s/%s" % (w, c))
            return fmt(f and f["value"] / 1e3, 0)
        share = vm.get("xdp_share", {}).get(w)
        L.append("| %s | %s | %s | %s | %s | %s |" % (
            desc, k("kernel"), k("agent"), k("redirect"),
            fmt(value(vm["ratios"].get("%s agent/kernel" % w))),
            "%.0f%%" % (100 * share["value"]) if share else "-"))
    L += ["", "| ratio | median | min-max over rounds | source |",
          "|---|---|---|---|"]
    for name, f in vm["ratios"].items():
        if f:
            spread = ("%s-%s" % (fmt(f["min"]), fmt(f["max"]))
                      if "min" in f else "-")
            L.append("| %s | %s | %s | %s |" % (name, fmt(f["value"]),
                                                spread, f["source"]))
    lag = vm.get("lag", {})
    L += ["", "Offload lag (flow put over netlink to the flow in the fast "
          "path's map), %s flows: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms."
          % (lag.get("flows"), lag.get("p50_ms"), lag.get("p90_ms"),
             lag.get("p99_ms"), lag.get("max_ms"))]
    ch = vm.get("churn", {})
    alone = ch.get("kernel_alone") or {}
    L += ["", "Churn (one client adding, modifying and deleting flows as fast"
          " as the kernel takes them): %s/s with the agent following, its "
          "CPU %s%% meanwhile; %s/s with no agent; mirror exact afterwards: "
          "%s." % (ch.get("per_second"), ch.get("agent_cpu_percent"),
                   alone.get("per_second"), ch.get("mirror_exact"))]
    ins = host.get("install")
    if ins:
        L += ["", "Flow installs on the host: %d flows parsed, planned and "
              "written to the BPF maps in %.3f s (%d flows/s)." % (
                  ins["offloaded"], ins["seconds"], ins["flows_per_second"])]
    L += ["", "| agent state | flows | RSS MiB | peak RSS MiB | CPU % |",
          "|---|---|---|---|---|"]
    for state, r in vm.get("resources", {}).items():
        L.append("| %s | %s | %.1f | %.1f | %s |" % (
            state, r["flows"], r["rss_kib"] / 1024.0,
            r.get("rss_peak_kib", 0) / 1024.0, r["cpu_percent"]))
    L += ["", "| TCP bulk (iperf3) | Gbit/s |", "|---|---|"]
    for c, b in vm.get("tcp", {}).items():
        L.append("| %s | %.2f |" % (c, b / 1e9))
    L += ["", "Plots: rate-vs-masks.png, cost-vs-masks.png, lag.png.",
          "Raw results and the exact commands: host/host.json, host/raw/, "
          "vm/vm.jsonl.", ""]
    return "\n".join(L)


def plot(out, doc):
    """PNG plots by gnuplot; returns the files written."""
    host, vm = doc["host"], doc["vm"]
    d = os.path.join(out, "plot-data")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "rates.dat"), "w") as f:
        f.write("# masks host-fastpath-Mpps vm-agent-Mpps vm-kernel-Mpps\n")
        for k in (1, 8, 32):
            hc = host.get("cases", {}).get("fp-1000x%d" % k, {})
            hp = value(hc.get("sink_pps"))
            va = value(vm["rates"].get("masks-%d/agent" % k))
            vk = value(vm["rates"].get("masks-%d/kernel" % k))
            f.write("%d %s %s %s\n" % (k, *[
                "NaN" if v is None else v / 1e6 for v in (hp, va, vk)]))
    with open(os.path.join(d, "cost.dat"), "w") as f:
        f.write("# masks worst-emc worst-no-emc avg-emc avg-no-emc\n")
        for b in (host.get("costbench") or {}).get("by_masks", []):
            f.write("%d %f %f %f %f\n" % (
                b["masks"], b["worst"]["emc_ns"], b["worst"]["no_emc_ns"],
                b["average"]["emc_ns"], b["average"]["no_emc_ns"]))
    lag = vm.get("lag", {})
    with open(os.path.join(d, "lag.dat"), "w") as f:
        for i, p in enumerate(("p50", "p90", "p99", "max")):
            f.write("%d %s %s\n" % (i, p, lag.get(p + "_ms", "NaN")))
    script = """
set terminal pngcairo noenhanced size 800,500 font ",11"
set grid
set key top right
set output "{o}/rate-vs-masks.png"
set terminal pngcairo noenhanced size 1000,450 font ",11"
set multiplot layout 1,2 title "1,000 flows, 64-byte UDP: rate versus number of masks"
set key bottom left
set xlabel "masks"
set logscale x 2
set xtics (1, 8, 32)
set yrange [0:*]
set title "host kernel, native XDP"
set ylabel "Mpps received by the sink"
plot "{d}/rates.dat" using 1:2 with linespoints lw 2 title "fast path"
set title "test VM (emulated), real openvswitch.ko"
set key center right
set ylabel "kpps received by the sink"
plot "{d}/rates.dat" using 1:($3*1000) with linespoints lw 2 title "ovs-xdpd", \\
     "" using 1:($4*1000) with linespoints lw 2 title "kernel datapath alone"
unset multiplot
set terminal pngcairo noenhanced size 800,500 font ",11"
set key top right
set output "{o}/cost-vs-masks.png"
set title "XDP program cost per packet (bpf_prog_test_run)"
set ylabel "ns per packet"
set xtics auto
set logscale y
set yrange [*:*]
plot "{d}/cost.dat" using 1:2 with linespoints lw 2 title "worst flow, exact-match cache", \\
     "" using 1:3 with linespoints lw 2 title "worst flow, no cache", \\
     "" using 1:4 with linespoints lw 2 title "average flow, cache", \\
     "" using 1:5 with linespoints lw 2 title "average flow, no cache"
unset logscale
set output "{o}/lag.png"
set title "Offload lag: flow put in the kernel to flow in the fast path (VM)"
set ylabel "ms"
set xlabel ""
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
plot "{d}/lag.dat" using 1:3:xtic(2) with boxes notitle
""".format(o=out, d=d)
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("bench-results: gnuplot failed: %s" % e, file=sys.stderr)
        return []
    return ["rate-vs-masks.png", "cost-vs-masks.png", "lag.png"]


def main():
    if len(sys.argv) != 2:
        print("usage: bench-results.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    try:
        with open(os.path.join(out, "host", "host.json")) as f:
            host = json.load(f)
        vm = vm_section(load_vm(os.path.join(out, "vm", "vm.jsonl")))
    except (OSError, ValueError, KeyError) as e:
        print("bench-results: cannot read the results in %s: %s" % (out, e),
              file=sys.stderr)
        return 1
    # The run's own date (when the VM part ended), also when the report
    # is made again later from the same raw results.
    ended = os.path.getmtime(os.path.join(out, "vm", "vm.jsonl"))
    doc = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ended)),
           "smoke": bool(host.get("params", {}).get("smoke")),
           "host": host, "vm": vm}
    doc["targets"] = targets(host, vm)
    doc["plots"] = plot(out, doc)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    md = markdown(doc)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(md)
    print(md)
    missing = [t["figure"] for t in doc["targets"] if t["value"] is None]
    if missing or len(doc["plots"]) != 3:
        print("bench-results: missing: %s" % ", ".join(
            missing + ([] if len(doc["plots"]) == 3 else ["plots"])),
            file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
