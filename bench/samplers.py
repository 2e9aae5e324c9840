#!/usr/bin/python3
"""Benchmark: which sampling method reaches an accuracy fastest.

Run with Debian's Python (python3; the plot needs python3-matplotlib):

    /usr/bin/python3 bench/samplers.py [--build-dir DIR] [--out docs/figures]
                                       [--particles N] [--time-particles M] [--quick]

For each exercise set (the seed sheet and two variants), each method of
`fmsolve sample` and a range of costs it runs

1. `fmsolve sample --method M --steps K --reference --json` on N particles
   (default 5000): the error against the reference ODE solution (GSL rk8pd,
   tolerance 1e-10), mean and max over the particles, at t = 1/2 and at
   t = 1, and the Wasserstein-1 distance between the end points and the data;
2. the same without --reference on M particles (default 100000), best wall
   time of three runs: the cost.

The fixed-step methods take N = 2, 4, ..., 256 steps (--steps is the model
evaluations these cost) on the uniform grid (ρ = 1) and the graded grid
t_j = 1 − (1 − j/N)² (ρ = 2), the adaptive one tolerances 1e-2 ... 1e-9.
Positions at t = 1/2 between grid times are interpolated (sampler.h).
Wall time is the best of three runs; CPU time (user + system of that run)
is printed beside it, since on a shared machine wall time also measures the
other programs.  It prints a table per set and which
method reaches a mean error of 1e-3 and 1e-6 (at t = 1/2 and at t = 1)
with the fewest model evaluations, the least CPU time and the least wall time,
and writes samplers.md (the tables), samplers.png (error against evaluations,
which cost the same for every method: one kernel call per particle) and
samplers.json (the measurements; --from redoes the rest from it) into --out.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

from common import SRC, build
SETS = [
    ("seed", None),
    ("three-points-unequal", "exercises/three-points-unequal.ini"),
    ("close-pair", "bench/sets/close-pair.ini"),
]
FIXED = ["euler", "midpoint", "heun", "rk4", "dpm2"]
# Evaluations of N steps (sampler.h, "Cost").
COST = {"euler": (1, 0), "midpoint": (2, 0), "heun": (2, 1), "rk4": (4, 3), "dpm2": (2, 1)}
STEPS = [2, 4, 8, 16, 32, 64, 128, 256]
RHOS = [1, 2]
TOLS = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9]
TARGETS = [1e-3, 1e-6]
FLOOR = 1e-17


def run(fmsolve, path, method, extra, particles, reference):
    cmd = [fmsolve, "sample", "--method", method, "--particles", str(particles), "--json", "--quiet"] + extra
    if path:
        cmd += ["--exercises", os.path.join(SRC, path)]
    if reference:
        cmd.append("--reference")
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    return json.loads(out), wall, cpu


def configs(quick):
    """(label, method, extra arguments, knob) of every run."""
    steps = STEPS[:5] if quick else STEPS
    tols = TOLS[:5] if quick else TOLS
    for m in FIXED:
        a, b = COST[m]
        for rho in RHOS:
            for n in steps:
                yield "%s ρ=%d" % (m, rho), m, ["--steps", str(a * n - b), "--rho", str(rho)], n
    for tol in tols:
        yield "adaptive", "adaptive", ["--tol", "%g" % tol], tol


def measure(fmsolve, path, args):
    rows = []
    for label, method, extra, knob in configs(args.quick):
        acc = run(fmsolve, path, method, extra, args.particles, True)[0]
        times = [run(fmsolve, path, method, extra, args.time_particles, False)[1:] for _ in range(3)]
        best = min(times)
        ref = acc["reference"]
        rows.append({
            "method": label, "knob": knob, "evals": acc["evaluations"], "seconds": best[0], "cpu": best[1], "mid_mean": ref["mid_mean_abs_error"], "mid_max": ref["mid_max_abs_error"],
            "end_mean": ref["mean_abs_error"], "end_max": ref["max_abs_error"], "w1": ref["w1"],
        })
        print("  %-13s %-7s evals %7.1f  %.3fs  mid %.2e  end %.2e  W1 %.2e" % (
            label, knob, acc["evaluations"], best[0], ref["mid_mean_abs_error"], ref["mean_abs_error"], ref["w1"]),
            file=sys.stderr)
    return rows


def cheapest(rows, key, target, cost):
    """Per method, its cheapest run (by cost) with rows[key] <= target; sorted by that cost."""
    best = {}
    for r in rows:
        if r[key] <= target and (r["method"] not in best or r[cost] < best[r["method"]][cost]):
            best[r["method"]] = r
    return sorted(best.values(), key=lambda r: r[cost])


def fmt(x):
    return "0" if x == 0 else "%.2e" % x


def table(name, rows, args):
    lines = ["### %s" % name, "",
             "| method | N or tol | evaluations | wall s (%d particles) | CPU s | mean err t=½ | max err t=½ "
             "| mean err t=1 | max err t=1 | W1 |" % args.time_particles,
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        knob = ("%g" % r["knob"]) if r["method"] == "adaptive" else str(r["knob"])
        lines.append("| %s | %s | %.1f | %.4f | %.4f | %s | %s | %s | %s | %s |" % (
            r["method"], knob, r["evals"], r["seconds"], r["cpu"], fmt(r["mid_mean"]), fmt(r["mid_max"]),
            fmt(r["end_mean"]), fmt(r["end_max"]), fmt(r["w1"])))
    lines.append("")
    for r in rows:
        r["both"] = max(r["mid_mean"], r["end_mean"])
    for key, label in (("mid_mean", "mean |error| at t = ½"), ("end_mean", "mean |error| at t = 1"),
                       ("both", "both")):
        for target in TARGETS:
            by = {c: cheapest(rows, key, target, c) for c in ("evals", "cpu", "seconds")}
            if not by["evals"]:
                lines.append("- %s ≤ %g: no run reached it" % (label, target))
                continue
            e = by["evals"]
            lines.append("- %s ≤ %g: fewest evaluations **%s** (%s: %.1f; then %s); least CPU time %s (%.3f s); "
                         "least wall time %s (%.3f s)" % (
                             label, target, e[0]["method"], e[0]["knob"], e[0]["evals"],
                             ", ".join("%s %.1f" % (r["method"], r["evals"]) for r in e[1:3]) or "none",
                             by["cpu"][0]["method"], by["cpu"][0]["cpu"], by["seconds"][0]["method"],
                             by["seconds"][0]["seconds"]))
    lines.append("")
    return "\n".join(lines)


def plot(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("samplers.py: matplotlib is not installed (apt-get install python3-matplotlib): no plot",
              file=sys.stderr)
        return False
    fig, axes = plt.subplots(2, len(results), figsize=(5 * len(results), 8), squeeze=False)
    marks = {"euler": "o", "midpoint": "s", "heun": "^", "rk4": "D", "dpm2": "v", "adaptive": "*"}
    for col, (name, rows) in enumerate(results):
        for row, (key, label) in enumerate((("mid_mean", "mean |error| at t = 1/2"),
                                            ("end_mean", "mean |error| at t = 1"))):
            ax = axes[row][col]
            labels = []
            for r in rows:
                if r["method"] not in labels:
                    labels.append(r["method"])
            for lab in labels:
                # An exact 0 (every end point on its data point) is drawn at the floor.
                pts = [(r["evals"], max(r[key], FLOOR)) for r in rows if r["method"] == lab]
                base = lab.split()[0]
                style = marks[base] + ("--" if lab.endswith("ρ=1") else "-")
                if pts:
                    ax.loglog([p[0] for p in pts], [p[1] for p in pts], style, label=lab, ms=4, lw=1)
            for target in TARGETS:
                ax.axhline(target, color="0.6", lw=0.8, ls="--")
            ax.set_xlabel("model evaluations per particle (the cost)")
            ax.set_ylabel(label + " (0 drawn at 1e-17)" if row else label)
            ax.set_title(name)
            ax.grid(True, which="major", lw=0.3)
            if row == 0 and col == 0:
                ax.legend(fontsize=7, loc="lower left", ncol=2)
    fig.suptitle("fmsolve sample: mean error against the reference ODE solution vs cost")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir")
    ap.add_argument("--out", default=os.path.join(SRC, "docs", "figures"))
    ap.add_argument("--particles", type=int, default=5000)
    ap.add_argument("--time-particles", type=int, default=1000000)
    ap.add_argument("--quick", action="store_true", help="fewer costs (a smoke test)")
    ap.add_argument("--from", dest="source", help="redo the table and plot from a samplers.json of an earlier run")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.source:
        with open(args.source, encoding="utf-8") as f:
            saved = json.load(f)
        heading, results = saved["heading"], [(name, rows) for name, rows in saved["results"]]
    else:
        fmsolve = os.path.join(build(args.build_dir), "solver", "fmsolve")
        load = os.getloadavg()
        heading = ("Measured with `bench/samplers.py --particles %d --time-particles %d%s` (load average %.2f %.2f "
                   "%.2f at the start, %d CPUs).\n" % (args.particles, args.time_particles,
                                                        " --quick" if args.quick else "", load[0], load[1], load[2],
                                                        os.cpu_count()))
        results = []
        for name, path in SETS:
            print("%s:" % name, file=sys.stderr)
            results.append((name, measure(fmsolve, path, args)))
        with open(os.path.join(args.out, "samplers.json"), "w", encoding="utf-8") as f:
            json.dump({"heading": heading, "results": results}, f, indent=1)
    text = [heading] + [table(name, rows, args) for name, rows in results]
    md = os.path.join(args.out, "samplers.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("\n".join(text))
    print("\n".join(text))
    if plot(results, os.path.join(args.out, "samplers.png")):
        print("wrote %s and %s" % (md, os.path.join(args.out, "samplers.png")), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
