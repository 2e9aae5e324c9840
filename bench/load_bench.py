#!/usr/bin/python3
"""Benchmark: loading, keying, querying, grading and rendering at scale.

    /usr/bin/python3 bench/load_bench.py [--build-dir DIR] [--repeat R]

It runs DIR/solver/fmsolve (default: build/, which meson compile made).  It generates
exercise sets of K = 10^3, 10^4 and 10^5 data points (one exercise with an
eps, a target, a share and a limit part: 3K + 2 key items) and one of 10^4
exercises (two points each), and times the whole command (best of R, wall
clock) for

    key         load the set, build the key, print it
    query       load the set, evaluate one point
    check       grade the key itself (cut to the 1 MiB a sheet may hold)
    answers     every worked answer as text (--all)
    json        every worked answer as JSON (--all --format json)

It prints each time and the time per 10,000 key items, which stays flat when
the cost is linear in the input (issue 14: it grew with K before), and the
peak memory of the command (max RSS), which the budgets of docs/limits.md
estimate.  Times are of the machine it runs on; tests/unit/test_scale.c
checks linearity with counted operations instead.

For comparison, `numpy key` does in this process what `key` computes, the
straightforward way: ε_k, u_k and the shares by log-sum-exp in float64,
every value printed with 15 significant digits, and no bound (so no digit of
it is proven, and a share below 1e-308 prints as 0).  The gap between the two
lines is what loading the file, proving each digit and cutting it cost.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_fmsolve(build_dir):
    path = os.path.join(build_dir, "solver", "fmsolve")
    if not os.access(path, os.X_OK):
        sys.exit("load_bench: no %s; build first: meson setup %s && meson compile -C %s" % (path, build_dir, build_dir))
    return path


def make_set(path, points, exercises):
    """Points as people write them, label, value and probability: 10^5 of
    them take about 3 MB of the 8 MiB an exercise file may hold."""
    lines = ["[data]"] + ["x%05d = %.9f, %.5f" % (i, (i * 0.618034) % 6 - 3, 0.00001 * (1 + i % 9))
                          for i in range(points)]
    for e in range(exercises):
        lines += ["[%d.1]" % (e + 1), "t=0.%d" % (e % 9 + 1), "x_t=0.25", "parts=eps,target,share,limit"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# Runs argv[2:] and writes its peak RSS (KB) to the file argv[1]; exits with
# its status.  A small process of its own: Linux counts in a child's peak RSS
# the memory of the process it was forked from, here a few MB of this helper
# instead of all that the benchmark holds.
PEAK_HELPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def timed(cmd, repeat):
    """Best wall time of repeat runs (which includes the helper's start, a few
    ms), and the largest peak RSS (MB) among them; (None, message) when
    fmsolve refuses the request past a budget."""
    best, rss = float("inf"), 0
    with tempfile.NamedTemporaryFile() as peak:
        for _ in range(repeat):
            t = time.monotonic()
            p = subprocess.run([sys.executable, "-c", PEAK_HELPER, peak.name, *cmd], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            best = min(best, time.monotonic() - t)
            if p.returncode == 2 and b"the limit is" in p.stderr:
                return None, p.stderr.decode().strip().split(": ", 1)[-1]
            if p.returncode not in (0, 1):
                sys.exit("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr.decode()))
            rss = max(rss, int(open(peak.name).read()))
    return best, rss / 1024.0


def numpy_key(ini, repeat):
    """The key of a one-exercise set the numpy way (see the docstring): best time of repeat."""
    try:
        import numpy as np
    except ImportError:
        return None
    x, p, q, section = [], [], {}, None
    for line in open(ini):
        if line.startswith("["):
            section = line.strip()
        elif section == "[data]":
            v = line.split("=", 1)[1].split(",")
            x.append(float(v[0]))
            p.append(float(v[1]) if len(v) > 1 else 1.0)
        elif "=" in line:
            q[line.split("=")[0].strip()] = line.split("=", 1)[1].strip()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.monotonic()
        xk, logp = np.array(x), np.log(np.array(p) / sum(p))
        t, x_t = float(q["t"]), float(q["x_t"])
        eps = (x_t - t * xk) / (1 - t)
        u = xk - eps
        a = logp - eps * eps / 2
        m = a.max()
        w = np.exp(a - m) / np.exp(a - m).sum()
        lines = ["1.1a.x%05d = %.15g" % (k, v) for k, v in enumerate(eps)]
        lines += ["1.1b.x%05d = %.15g" % (k, v) for k, v in enumerate(u)]
        lines += ["1.1c.x%05d = %.15g" % (k, v) for k, v in enumerate(w)]
        lines += ["1.1d = %.15g" % float((w * u).sum()), "1.1d.x1 = %.15g" % float((w * xk).sum())]
        with open(os.devnull, "w") as f:
            f.write("\n".join(lines) + "\n")
        best = min(best, time.monotonic() - t0)
    return best


def bench(fmsolve, tmp, name, points, exercises, repeat):
    ini = os.path.join(tmp, "set.ini")
    make_set(ini, points, exercises)
    key = subprocess.run([fmsolve, "-e", ini, "key"], check=True, capture_output=True).stdout
    items = key.count(b"\n")
    sheet = os.path.join(tmp, "sheet.txt")
    with open(sheet, "wb") as f:
        cut = key[: 1024 * 1024]
        f.write(cut[: cut.rfind(b"\n") + 1])
    runs = [
        ("key", [fmsolve, "-e", ini, "key"]),
        ("query", [fmsolve, "-e", ini, "query", "--t", "0.5", "--x", "0.25"]),
        ("check", [fmsolve, "-e", ini, "check", sheet]),
        ("answers", [fmsolve, "-e", ini, "--all"]),
        ("json", [fmsolve, "-e", ini, "--all", "--format", "json"]),
    ]
    for what, cmd in runs:
        secs, mb = timed(cmd, repeat)
        if secs is None:
            print("%-26s %-11s %9d items  refused: %s" % (name, what, items, mb))
            continue
        print("%-26s %-11s %9d items  %8.3f s  %8.4f s per 10^4 items  %7.1f MB"
              % (name, what, items, secs, secs / (items / 1e4), mb))
        sys.stdout.flush()
    secs = numpy_key(ini, repeat) if exercises == 1 else None
    if secs is not None:
        print("%-26s %-11s %9d items  %8.3f s  %8.4f s per 10^4 items  (float64, no digit proven)"
              % (name, "numpy key", items, secs, secs / (items / 1e4)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=os.path.join(SRC, "build"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    fmsolve = find_fmsolve(args.build_dir)
    print("load_bench: %s, best of %d" % (fmsolve, args.repeat))
    with tempfile.TemporaryDirectory() as tmp:
        for k in (1000, 10000, 100000):
            bench(fmsolve, tmp, "K = %d points" % k, k, 1, args.repeat)
        bench(fmsolve, tmp, "10000 exercises, 2 points", 2, 10000, args.repeat)


if __name__ == "__main__":
    main()
