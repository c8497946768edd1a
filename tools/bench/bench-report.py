#!/usr/bin/env python3
"""Turns the raw results of bench-host.sh into host.json and a table.

Every figure is {"value", "unit", ...} with the runs it is the median of,
and every case carries the exact commands that produced it.  Ratios are
taken round by round (the case and the bare redirect measured minutes
apart at most) and then their median is reported, never a ratio of
medians."""
import argparse
import json
import os
import platform
import statistics
import sys

DESCRIPTIONS = {
    "direct": "generator straight into the sink (the sink on the DUT's "
              "ingress veth): what the generator and the sink cost",
    "redirect": "bare XDP redirect (devmap, no parsing, no lookup): the "
                "limit of this path",
    "fp-1flow": "fast path, one flow, 64-byte UDP",
    "fp-1000x1": "fast path, 1000 flows over 1 mask",
    "fp-1000x8": "fast path, 1000 flows over 8 masks",
    "fp-1000x32": "fast path, 1000 flows over 32 masks",
    "fp-mixed": "fast path, 1000 flows over 8 masks, 30% not offloadable "
                "(XDP_PASSed, then dropped by the DUT namespace's stack: "
                "the sink sees the offloaded part only)",
}


def load_json_lines(path):
    try:
        with open(path) as f:
            return [json.loads(l) for l in f if l.startswith("{")]
    except (OSError, ValueError):
        return []


def read_cmd(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def figure(values, unit, **extra):
    values = [v for v in values if v is not None]
    if not values:
        return None
    f = {"value": statistics.median(values), "unit": unit,
         "min": min(values), "max": max(values), "runs": values}
    f.update(extra)
    return f


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    hypervisor = "none"
    try:
        with open("/proc/cpuinfo") as f:
            if " hypervisor" in f.read():
                hypervisor = "yes (CPU flag 'hypervisor')"
    except OSError:
        pass
    return {"kernel": platform.release(), "cpu_model": model,
            "cpus": os.cpu_count(), "virtualized": hypervisor}


def one_round(raw, name, r):
    d = os.path.join(raw, "%s.%d" % (name, r))
    sink = load_json_lines(os.path.join(d, "sink.json"))
    gen = load_json_lines(os.path.join(d, "gen.json"))
    dut = load_json_lines(os.path.join(d, "dut.json"))
    errs = load_json_lines(os.path.join(d, "xmit_errors.json"))
    res = {"sink": sink[0] if sink else {}, "gen": gen[0] if gen else {},
           "ready": dut[0] if dut else {}, "counters": {},
           "xmit_errors": errs[0] if errs else {}}
    if len(dut) > 1:
        res["counters"] = dut[-1].get("counters", {})
    res["cmds"] = {k: read_cmd(os.path.join(d, k + ".cmd"))
                   for k in ("flows", "dut", "sink", "gen")}
    return res


def share(c, part, whole="rx_packets"):
    return c[part] / c[whole] if c.get(whole) else None


def build_case(name, runs, redirect, direct, r_range):
    pps = [runs[r]["sink"].get("pps") for r in r_range]
    ns = [runs[r]["sink"].get("cpu_ns_per_packet") for r in r_range]
    case = {"description": DESCRIPTIONS.get(name, name),
            "commands": runs[r_range[0]]["cmds"],
            "sink_pps": figure(pps, "packets/s", source="sink: pps"),
            "gen_pps": figure([runs[r]["gen"].get("pps") for r in r_range],
                              "packets/s",
                              source="gen: pps (offered, over its whole run)"),
            "xmit_errors": figure(
                [sum(runs[r]["xmit_errors"].values()) for r in r_range
                 if runs[r]["xmit_errors"]], "frames",
                source="veth tx_queue_*_xdp_xmit_errors of xbg0 and xbd1 "
                       "(peer ring full)"),
            "cpu_ns_per_packet": figure(
                ns, "ns of CPU (all CPUs) per packet received",
                source="sink: cpu_ns_per_packet")}
    if name != "redirect" and redirect:
        case["ratio_to_redirect"] = figure(
            [p / redirect[r]["sink"]["pps"] if p and
             redirect[r]["sink"].get("pps") else None
             for r, p in zip(r_range, pps)],
            "ratio", source="sink pps / redirect sink pps, same round")
    if name != "direct" and direct:
        dut = [n - direct[r]["sink"]["cpu_ns_per_packet"]
               if n and direct[r]["sink"].get("cpu_ns_per_packet") else None
               for r, n in zip(r_range, ns)]
        case["dut_ns_per_packet"] = figure(
            dut, "ns of CPU per packet",
            source="cpu_ns_per_packet - that of 'direct', same round")
    c = [runs[r]["counters"] for r in r_range if runs[r]["counters"]]
    if c:
        case["xdp_share"] = figure([share(x, "redirect") for x in c],
                                   "fraction of DUT input frames",
                                   source="DUT counters: redirect/rx")
        case["emc_hit_rate"] = figure([share(x, "emc_hits") for x in c],
                                      "fraction of DUT input frames",
                                      source="DUT counters: emc_hits/rx")
        case["mask_probes_per_packet"] = figure(
            [share(x, "mask_probes") for x in c], "probes per frame",
            source="DUT counters: mask_probes/rx")
        ready = runs[r_range[0]]["ready"]
        case["flows"] = {"value": ready.get("flows"), "unit": "flows",
                         "offloaded": ready.get("offloaded"),
                         "by_verdict": ready.get("by_verdict")}
    return case


def headline(cases):
    def ratio(a, b):
        if a not in cases or b not in cases:
            return None
        x, y = cases[a]["sink_pps"]["runs"], cases[b]["sink_pps"]["runs"]
        return figure([p / q for p, q in zip(x, y) if q], "ratio",
                      source="%s / %s sink pps, same round" % (a, b))
    return {
        "fast_path_over_bare_redirect_1flow": ratio("fp-1flow", "redirect"),
        "masks32_over_masks1_1000flows": ratio("fp-1000x32", "fp-1000x1"),
    }


def fmt(f, scale=1.0, digits=2):
    if not f:
        return "-"
    return "%.*f" % (digits, f["value"] * scale)


def print_table(doc, cost):
    print("\n%-11s %22s %9s %9s %9s  %s" % (
        "case", "sink Mpps (range)", "/redirect", "CPU ns/p", "DUT ns/p",
        "notes"))
    for name, c in doc["cases"].items():
        p = c["sink_pps"]
        rng = "%.2f (%.2f-%.2f)" % (p["value"] / 1e6, p["min"] / 1e6,
                                    p["max"] / 1e6) if p else "-"
        notes = []
        if c.get("xdp_share"):
            notes.append("xdp %.0f%%" % (100 * c["xdp_share"]["value"]))
        if c.get("emc_hit_rate"):
            notes.append("emc hit %.0f%%" % (100 * c["emc_hit_rate"]["value"]))
        print("%-11s %22s %9s %9s %9s  %s" % (
            name, rng, fmt(c.get("ratio_to_redirect")),
            fmt(c.get("cpu_ns_per_packet"), digits=0),
            fmt(c.get("dut_ns_per_packet"), digits=0), ", ".join(notes)))
    for k, f in doc["headline"].items():
        print("%s: %s" % (k, fmt(f)))
    if not cost:
        return
    print("\nper-packet cost (bpf_prog_test_run), %s flows; bare redirect "
          "%.1f ns" % (cost.get("flows"), cost.get("redirect_ns", 0)))
    print("%6s %14s %14s %14s %14s" % ("masks", "worst emc", "worst no-emc",
                                       "avg emc", "avg no-emc"))
    for m in cost.get("by_masks", []):
        print("%6d %14.1f %14.1f %14.1f %14.1f" % (
            m["masks"], m["worst"]["emc_ns"], m["worst"]["no_emc_ns"],
            m["average"]["emc_ns"], m["average"]["no_emc_ns"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--rounds", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--smoke", type=int, default=0)
    ap.add_argument("--bpf-stats", type=int, default=-1)
    ap.add_argument("--busy-before", type=int, default=-1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    r_range = list(range(1, a.rounds + 1))
    names = a.cases.split()
    runs = {n: {r: one_round(a.raw, n, r) for r in r_range} for n in names}
    cases = {n: build_case(n, runs[n], runs.get("redirect"),
                           runs.get("direct"), r_range) for n in names}
    try:
        with open(os.path.join(a.raw, "costbench.json")) as f:
            cost = json.load(f)
    except (OSError, ValueError):
        cost = None
    if cost:
        cost["command"] = read_cmd(os.path.join(a.raw, "costbench.cmd"))
        cost["units"] = {"redirect_ns": "ns per run",
                         "emc_ns": "ns per run", "no_emc_ns": "ns per run",
                         "probes": "mask probes per lookup"}
    install = load_json_lines(os.path.join(a.raw, "install.json"))
    if install and install[0].get("load_seconds"):
        r = install[0]
        cost_install = {
            "flows": r["flows"], "offloaded": r["offloaded"],
            "seconds": r["load_seconds"],
            "flows_per_second": round(r["offloaded"] / r["load_seconds"]),
            "source": "ovsx-fastpath-load load_seconds: text parse, planner,"
                      " engine and BPF map writes, natively"}
    else:
        cost_install = None
    doc = {"machine": machine(),
           "params": {"rounds": a.rounds, "seconds_per_case": a.seconds,
                      "frame_bytes": 64, "smoke": bool(a.smoke),
                      "veth_queues": os.cpu_count(),
                      "bpf_stats_enabled": a.bpf_stats,
                      "cpu_busy_before_run": {
                          "value": a.busy_before, "unit": "% of all CPUs",
                          "source": "/proc/stat over 1 s before the first "
                                    "case"}},
           "method": __doc__.strip().split("\n")[0] + " See bench-host.sh.",
           "cases": cases, "headline": headline(cases), "costbench": cost,
           "install": cost_install}
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print_table(doc, cost)
    if cost_install:
        print("\ninstall: %d flows in %.3f s (%d flows/s)" % (
            cost_install["offloaded"], cost_install["seconds"],
            cost_install["flows_per_second"]))
    missing = [n for n, c in cases.items() if not c["sink_pps"]]
    if not cost_install:
        missing.append("install")
    if missing or not cost:
        print("bench-report: missing results: %s" %
              " ".join(missing + ([] if cost else ["costbench"])),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
