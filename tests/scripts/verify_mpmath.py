#!/usr/bin/python3
"""Checks fmsolve's numbers against an independent 60-digit computation.

Usage: verify_mpmath.py FMSOLVE SRCDIR

The reference is written straight from the definitions with mpmath (Debian's
python3-mpmath), with the inputs taken as the decimals the user typed:
    eps_k = (x_t - t x_k)/(1 - t),  u_k = x_k - eps_k,
    w_k = p_k exp(-eps_k^2/2) / sum_j p_j exp(-eps_j^2/2),  v = sum_k w_k u_k.
It checks `fmsolve key` on the seed sheet and on a variant sheet (each value to
the 15 digits the key prints), and `fmsolve query --json` on arbitrary inputs
(t = 0.999999999, |x_t| = 40, 50 data points, ...) to 1e-14 relative.
"""
import json
import subprocess
import sys

import mpmath as mp

mp.mp.dps = 60
BIN, SRC = sys.argv[1], sys.argv[2]
failures = 0
checked = 0


def run(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True, text=True, cwd=SRC).stdout


def posterior(data, t, xt):
    """data: [(label, x, p)] with decimal strings; returns per-label (eps, u, logw, w) and v, x1hat."""
    t, xt = mp.mpf(t), mp.mpf(xt)
    total = mp.fsum(mp.mpf(p) for _, _, p in data)
    rows = []
    for label, x, p in data:
        x = mp.mpf(x)
        eps = (xt - t * x) / (1 - t)
        rows.append((label, x, mp.log(mp.mpf(p) / total) - eps * eps / 2, eps, x - eps))
    lse = mp.log(mp.fsum(mp.exp(a) for _, _, a, _, _ in rows))
    out = {}
    v = x1 = mp.mpf(0)
    for label, x, a, eps, u in rows:
        lw = a - lse
        w = mp.exp(lw)
        out[label] = (eps, u, lw, w)
        v += w * u
        x1 += w * x
    return out, v, x1


def check(name, got, want, rel, absolute=mp.mpf(0)):
    global failures, checked
    checked += 1
    want = mp.mpf(want)
    got = mp.mpf(got)
    if abs(got - want) <= absolute or (want != 0 and abs(got - want) <= rel * abs(want)):
        return
    failures += 1
    print(f"MISMATCH {name}: fmsolve {mp.nstr(got, 17)}, reference {mp.nstr(want, 20)}")


def key_lines(*args):
    out = {}
    for line in run("key", *args).splitlines():
        k, v = line.split(" = ", 1)
        out[k] = v
    return out


def check_key(ini_data, points, args):
    """points: {exercise id: (t, x_t, parts)}; compares every numeric key line."""
    key = key_lines(*args)
    for ex, (t, xt, parts) in points.items():
        comps, v, x1 = posterior(ini_data, t, xt)
        for letter, kind in zip("abcdefghijklmnopqrstuvwxyz", parts):
            if kind == "limit":
                # 15 significant digits printed: half a unit in the 15th digit, plus
                # cancellation in v = sum w u near 0 (absolute, relative to the targets' size).
                scale = max(abs(c[1]) for c in comps.values())
                check(f"{ex}{letter}", key[f"{ex}{letter}"], v, mp.mpf("1e-14"), scale * mp.mpf("1e-15"))
                check(f"{ex}{letter}.x1", key[f"{ex}{letter}.x1"], x1, mp.mpf("1e-14"), mp.mpf("1e-15"))
                continue
            idx = {"eps": 0, "target": 1, "share": 3}[kind]
            for label, c in comps.items():
                kid = f"{ex}{letter}.{label}"
                scale = max(abs(cc[idx]) for cc in comps.values()) if kind != "share" else 0
                check(kid, key[kid], c[idx], mp.mpf("1e-14"), scale * mp.mpf("1e-15"))


SEED = [("A", "0.5", "0.5"), ("B", "-0.5", "0.5")]
check_key(SEED, {"1.1": ("0", "0.5", ["eps", "target", "share", "limit"]),
                 "1.2": ("0.5", "0", ["eps", "target", "limit"]),
                 "1.3": ("0.9", "0.5", ["eps", "target", "share", "limit"])}, [])
VARIANT = [("L", "-1.25", "0.2"), ("M", "0.375", "0.5"), ("R", "2.385", "0.3")]
check_key(VARIANT, {"1.1": ("0", "0.7", ["eps", "target", "share", "limit"]),
                    "1.2": ("0.35", "-0.42", ["eps", "target", "share", "limit"]),
                    "1.3": ("0.8125", "1.9", ["share", "limit"])},
          ["--exercises", "tests/data/sets/three-points-t0.ini"])


def check_query(data, t, xt):
    spec = ",".join(f"{l}={x}:{p}" for l, x, p in data)
    got = json.loads(run("query", "--data", spec, "--t", t, "--x", xt, "--json"))
    comps, v, x1 = posterior(data, t, xt)
    where = f"query t={t} x={xt} n={len(data)}"
    scale = max(abs(c[1]) for c in comps.values())
    for c in got["components"]:
        eps, u, lw, w = comps[c["label"]]
        check(f"{where} eps[{c['label']}]", c["eps"], eps, mp.mpf("1e-14"), scale * mp.mpf("1e-16"))
        check(f"{where} u[{c['label']}]", c["u"], u, mp.mpf("1e-14"), scale * mp.mpf("1e-16"))
        check(f"{where} log_weight[{c['label']}]", c["log_weight"], lw, mp.mpf("1e-13"), mp.mpf("1e-15"))
        if w > mp.mpf("1e-300"):
            check(f"{where} weight[{c['label']}]", c["weight"], w, mp.mpf("1e-13"))
    check(f"{where} velocity", got["velocity"], v, mp.mpf("1e-13"), scale * mp.mpf("1e-15"))
    check(f"{where} x1_mean", got["x1_mean"], x1, mp.mpf("1e-13"), mp.mpf("1e-15"))


for t, xt in [("0.9", "0.5"), ("0.999999999", "0.5"), ("0.999999999", "40"), ("0.999999999", "-40"),
              ("0.999999999", "0.0000000003"), ("0.5", "1000000"), ("0", "-2.385"), ("0.37", "0.123456789"),
              ("0.999", "-0.4995")]:
    check_query(SEED, t, xt)
check_query(VARIANT, "0.6180339887", "1.1")
FIFTY = [(f"p{k}", repr(round(-3 + 0.1234 * k, 4)), str(1 + k % 7)) for k in range(50)]
for t, xt in [("0", "1.37"), ("0.2", "1.37"), ("0.7", "-2.2"), ("0.95", "0.4321"), ("0.999999999", "40")]:
    check_query(FIFTY, t, xt)

print(f"mpmath: {checked - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
