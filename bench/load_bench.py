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


def timed(cmd, repeat):
    """Best wall time of repeat runs, and the largest peak RSS (MB) among them."""
    best, rss = float("inf"), 0
    for _ in range(repeat):
        t = time.monotonic()
        with open(os.devnull, "rb") as inp, open(os.devnull, "wb") as out:
            p = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=subprocess.PIPE)
            err = p.stderr.read()
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
        best = min(best, time.monotonic() - t)
        if p.returncode not in (0, 1):
            sys.exit("%s: exit %d: %s" % (" ".join(cmd), p.returncode, err.decode()))
        rss = max(rss, usage.ru_maxrss)
    return best, rss / 1024.0


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
        print("%-26s %-8s %9d items  %8.3f s  %8.4f s per 10^4 items  %7.1f MB"
              % (name, what, items, secs, secs / (items / 1e4), mb))
        sys.stdout.flush()


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
