#!/usr/bin/python3
"""Benchmark: `fmsolve sample` against straightforward numpy and torch samplers.

Run with Debian's Python and numpy (python3-numpy; torch is used when it
can be imported, and skipped with a note otherwise):

    /usr/bin/python3 bench/sample_bench.py [--build-dir DIR] [--particles N]
                                           [--steps K] [--repeat R]

Without --build-dir it configures and builds build-bench/ in the source tree
(meson setup + ninja, the project's default build type).  In one run it

1. times `fmsolve sample --method euler --rho 1 --particles N --steps K
   --quiet --json` (best of R, the whole command);
2. runs the numpy version of the same Euler loop (the exact velocity of the
   seed sheet, log-sum-exp over the data points, float64) on the same
   inputs: the starting noise is the one fmsolve draws, written out by
   bench/kernel_bench, and its end points are compared with fmsolve's; then
   the same loop in torch (float64, torch.set_num_threads(2));
3. prints the times, the ratios, and kernel terms (particle x point x step)
   per second, then the effective terms per second of the sampler with 100
   and with 10^4 data points (bench/kernel_bench terms ...: wall time, and
   per CPU second, which on a shared machine says what the cores did).
"""
import argparse
import configparser
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from common import SRC, build


def seed_data():
    """The seed sheet's data, read from the exercise file (label = value, prob)."""
    ini = configparser.ConfigParser(inline_comment_prefixes=(";",))
    ini.read(os.path.join(SRC, "exercises", "discussion11.ini"), encoding="utf-8")
    xs, ps = [], []
    for _, value in ini["data"].items():
        x, p = (float(v) for v in value.split(","))
        xs.append(x)
        ps.append(p)
    p = np.array(ps)
    return np.array(xs), np.log(p / p.sum())


def numpy_sampler(eps, xk, logp, steps):
    """K Euler steps of x <- x + dt * (x1hat - x) / (1 - t), straight numpy."""
    x = eps.copy()
    dt = 1.0 / steps
    for j in range(steps):
        t = j * dt
        e = (x[:, None] - t * xk[None, :]) / (1.0 - t)
        a = logp[None, :] - 0.5 * e * e
        a -= a.max(axis=1, keepdims=True)
        w = np.exp(a)
        x1hat = (w @ xk) / w.sum(axis=1)
        x += dt * (x1hat - x) / (1.0 - t)
    return x


def torch_sampler(eps, xk, logp, steps):
    """The numpy loop in torch, float64 on two threads; None when torch is missing."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    x = torch.tensor(eps, dtype=torch.float64)
    xkt = torch.tensor(xk, dtype=torch.float64)
    lp = torch.tensor(logp, dtype=torch.float64)
    dt = 1.0 / steps
    for j in range(steps):
        t = j * dt
        e = (x[:, None] - t * xkt[None, :]) / (1.0 - t)
        a = lp[None, :] - 0.5 * e * e
        w = torch.softmax(a, dim=1)
        x = x + dt * (w @ xkt - x) / (1.0 - t)
    return x.numpy()


def machine():
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "%s, %d CPUs (nproc), load average %.2f %.2f %.2f" % ((model or "unknown CPU", os.cpu_count()) + os.getloadavg())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir")
    ap.add_argument("--particles", type=int, default=1000000)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    bdir = build(args.build_dir)
    fmsolve = os.path.join(bdir, "solver", "fmsolve")
    kbench = os.path.join(bdir, "bench", "kernel_bench")
    xk, logp = seed_data()
    n, N, K = len(xk), args.particles, args.steps
    terms = float(N) * K * n

    print("machine: " + machine())
    print("OMP_NUM_THREADS=%s, numpy %s" % (os.environ.get("OMP_NUM_THREADS", "(unset)"), np.__version__))
    cmd = [fmsolve, "sample", "--method", "euler", "--rho", "1", "--particles", str(N), "--steps", str(K),
           "--seed", str(args.seed), "--quiet", "--json"]
    best = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    res = json.loads(out)

    with tempfile.TemporaryDirectory() as tmp:
        noise_f, end_f = os.path.join(tmp, "noise"), os.path.join(tmp, "end")
        subprocess.run([kbench, "euler", str(N), str(K), str(args.seed), noise_f, end_f], check=True)
        eps = np.fromfile(noise_f, dtype=np.float64)
        c_end = np.fromfile(end_f, dtype=np.float64)
    t0 = time.perf_counter()
    np_end = numpy_sampler(eps, xk, logp, K)
    np_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    torch_end = torch_sampler(eps, xk, logp, K)
    torch_time = time.perf_counter() - t0
    diff = np.abs(np_end - c_end)
    np_share = [float(np.mean(np.argmin(np.abs(np_end[:, None] - xk[None, :]), axis=1) == k)) for k in range(n)]

    print("\nsampler: %d particles, %d steps, %d data points = %.3g kernel terms" % (N, K, n, terms))
    print("  fmsolve sample   %8.3f s  %10.3g terms/s   (best of %d, whole command)" % (best, terms / best, args.repeat))
    print("  numpy            %8.3f s  %10.3g terms/s   ratio %.1f x" % (np_time, terms / np_time, np_time / best))
    if torch_end is None:
        print("  torch            not installed here (not a Debian package): skipped")
    else:
        print("  torch            %8.3f s  %10.3g terms/s   ratio %.1f x, max |torch - fmsolve| %.3g" % (
            torch_time, terms / torch_time, torch_time / best, float(np.max(np.abs(torch_end - c_end)))))
    print("  same inputs: max |numpy - fmsolve| over the end points %.3g (%d of %d differ by more than 1e-9)"
          % (diff.max(), int(np.sum(diff > 1e-9)), N))
    print("  shares: fmsolve %s, numpy %s" % ([round(l["share"], 6) for l in res["labels"]], [round(s, 6) for s in np_share]))

    print()
    for points, particles, steps, method, rho in ((100, 400000, 50, "euler", "1"), (100, 400000, 49, "rk4", "2"),
                                                  (10000, 131072, 20, "euler", "1"), (10000, 131072, 21, "rk4", "2")):
        out = subprocess.run([kbench, "terms", str(points), str(particles), str(steps), method, rho], check=True,
                             capture_output=True, text=True).stdout
        f = out.split()
        vals = dict(zip(f[0::2], f[1::2]))
        print("sampler with %5d data points, %s rho=%s: %s particles x %s evaluations, %s threads: %.3f s, "
              "%.3g effective terms/s (%.3g per CPU second)"
              % (points, method, rho, vals["particles"], vals["evaluations"], vals["threads"],
                 float(vals["seconds"]), float(vals["terms_per_second"]), float(vals["terms_per_cpu_second"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
