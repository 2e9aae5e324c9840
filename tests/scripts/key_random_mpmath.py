#!/usr/bin/python3
"""Every printed digit of `fmsolve key` and `fmsolve query --json`, on random sets.

Usage: key_random_mpmath.py FMSOLVE SRCDIR [SEED]

Generates random exercise sets (200; 5,000 with FMS_LONG=1): 1-6 points with
random labels, values and probabilities, query points with t in [0, 0.999]
and x_t in [-50, 50], and the special cases t = 0, one point, symmetric data,
x_t on a data point (the velocity then underflows a double when t is near 1),
x_t = t*x_k (an exact zero noise), x_t at the prior mean at t = 0 (v = 0
exactly), and far tails whose weights lie far below the range of a double.
The reference is computed from the definitions with 80-digit mpmath
(python3-mpmath), the inputs taken as the decimals written in the file:
    eps_k = (x_t - t x_k)/(1 - t),  u_k = x_k - eps_k,
    w_k = p_k exp(-eps_k^2/2) / sum_j p_j exp(-eps_j^2/2),
    v = sum_k w_k u_k,  x1hat = sum_k w_k x_k.

The rule checked (key): the printed decimal is the reference rounded to the
number of significant digits printed (trailing zeros are not printed, so
"0.5" may stand for fifteen digits 0.500000000000000; rounding to fewer digits
is implied).  No tolerance of one in the last digit is given.  "0" must be 0
to within 1e-17 of the largest term |w_k c_k| (exact.h: a sum that cancels to
within its bound; the sets here only make exact zeros), never a tiny non-zero
value.  "exp(L)" (a share of which no mantissa digit is known) checks L's
digits.  The test also counts digits cut below 15 and fails when more than 5%
of the values whose weights lie inside the range of a double lose a digit
(the bound must be tight, not only safe).

query --json prints doubles with 17 digits, more than a double holds, from
the engine's fast path (engine.h): each must lie within one unit in the last
place of the reference (a faithful double), plus what rounding the decimal
inputs to 2^-64 can move it by (log_weight_slack: the first-order condition
of each l_k).  Values below the range of a double, and means that cancel to
less than 1e-12 of their terms, are not compared: the JSON holds doubles only.
"""
import json
import math
import os
from fractions import Fraction
import random
import subprocess
import sys
import tempfile
from decimal import Context, Decimal, MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, getcontext

import mpmath as mp

mp.mp.dps = 80
getcontext().prec = 100
getcontext().Emax, getcontext().Emin = MAX_EMAX, MIN_EMIN
BIN, SRC = sys.argv[1], sys.argv[2]
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 20240611
NSETS = 5000 if os.environ.get("FMS_LONG") == "1" else 200
PARTS = ["eps", "target", "share", "limit"]

stats = {"values": 0, "zeros": 0, "exp_form": 0, "cut": 0, "cut_normal": 0, "normal": 0, "json": 0,
         "below_double": 0}
failures = []


def fail(msg):
    failures.append(msg)
    if len(failures) <= 30:
        print("FAIL " + msg)


# ---- the reference --------------------------------------------------------------

def mpq(q):
    return mp.mpf(q.numerator) / q.denominator


def posterior(data, t, xt):
    """data: [(label, x, p)] decimal strings; returns {label: dict} and the posterior means.
    eps_k and u_k are exact rationals (Fraction) first, so exact zeros are 0."""
    tq, xq = Fraction(t), Fraction(xt)
    total = mp.fsum(mp.mpf(p) for _, _, p in data)
    rows = []
    for label, x, p in data:
        eq = (xq - tq * Fraction(x)) / (1 - tq)
        eps, u = mpq(eq), mpq(Fraction(x) - eq)
        rows.append((label, mp.mpf(x), mp.log(mp.mpf(p) / total) - eps * eps / 2, eps, u))
    top = max(range(len(rows)), key=lambda i: rows[i][2])
    amax = rows[top][2]
    # log1p: the dominant l_k is -log1p(s), as small as 1e-233, not 0
    l1p = mp.log1p(mp.fsum(mp.exp(r[2] - amax) for i, r in enumerate(rows) if i != top))
    comps = {}
    for label, x, a, eps, u in rows:
        lw = (a - amax) - l1p
        comps[label] = {"eps": eps, "u": u, "x": x, "lw": lw, "w": mp.exp(lw)}

    def mean(key):
        terms = [c["w"] * c[key] for c in comps.values()]
        return mp.fsum(terms), max(abs(v) for v in terms)
    return comps, {"v": mean("u"), "x1": mean("x"), "eps": mean("eps")}


# ---- reading printed numbers ------------------------------------------------------

def sig_digits(text):
    """Number of significant digits shown in a %g-style decimal."""
    mant = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return max(len(mant), 1)


def rounded(ref, digits):
    """ref (mpf) rounded to `digits` significant digits, as a Decimal."""
    d = Decimal(mp.nstr(ref, 70, strip_zeros=False, min_fixed=1, max_fixed=0))
    ctx = Context(prec=digits, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return ctx.plus(d)


def check_value(where, printed, ref, scale, in_range):
    """printed: the key's text; ref: mpf; scale: the largest term of the sum (0 for a single value)."""
    stats["values"] += 1
    if printed == "0":
        stats["zeros"] += 1
        if abs(ref) > max(mp.mpf("1e-17") * scale, mp.mpf("1e-50")):
            fail(f"{where}: printed 0, reference {mp.nstr(ref, 20)}")
        return
    if printed.startswith("exp("):
        stats["exp_form"] += 1
        inner = printed[4:-1]
        check_value(where + " (log)", inner, mp.log(ref), 0, False)
        return
    try:
        got = Decimal(printed)
    except Exception:
        fail(f"{where}: cannot read '{printed}'")
        return
    digits = sig_digits(printed)
    want = rounded(ref, digits)
    if got != want:
        fail(f"{where}: printed {printed} ({digits} digits), reference {mp.nstr(ref, 25)} -> {want}")
        return
    if abs(ref) < mp.mpf("2.2e-308"):
        stats["below_double"] += 1
    if ref != 0 and rounded(ref, 15).normalize() != got.normalize():
        stats["cut"] += 1
        if in_range:
            stats["cut_normal"] += 1
    if in_range:
        stats["normal"] += 1


# ---- random sets -------------------------------------------------------------------

LABELS = ["A", "B", "C", "D", "E", "F", "left", "right", "mid", "x_1", "x_2", "Top", "q9", "only"]


def dec(v, places):
    s = f"{v:.{places}f}"
    return "0" if float(s) == 0 else s


def random_data(rng, kind):
    if kind == "one":
        return [(rng.choice(LABELS), dec(rng.uniform(-5, 5), rng.randint(0, 3)), "1")]
    if kind == "symmetric":
        k = rng.randint(1, 3)
        vals = sorted({dec(rng.uniform(0.1, 5), rng.randint(1, 3)) for _ in range(k)})
        labels = rng.sample(LABELS, 2 * len(vals))
        out = []
        for i, v in enumerate(vals):
            w = dec(rng.uniform(0.1, 1), 2)
            out += [(labels[2 * i], v, w), (labels[2 * i + 1], "-" + v, w)]
        return out
    n = rng.randint(1, 6)
    labels = rng.sample(LABELS, n)
    spread = rng.choice([1, 5, 20])
    vals = []
    while len(vals) < n:
        v = dec(rng.uniform(-spread, spread), rng.randint(0, 4))
        if v not in vals:
            vals.append(v)
    style = rng.choice(["equal", "decimal", "count"])
    if style == "equal":
        ws = ["1"] * n
    elif style == "decimal":
        ws = [dec(rng.uniform(0.01, 1), 2) for _ in range(n)]
        ws = [w if float(w) > 0 else "0.01" for w in ws]
    else:
        ws = [str(rng.randint(1, 9)) for _ in range(n)]
    return list(zip(labels, vals, ws))


def prior_mean(data):
    total = sum(Decimal(w) for _, _, w in data)
    return sum(Decimal(x) * Decimal(w) for _, x, w in data) / total


def random_point(rng, data, special):
    t = dec(rng.uniform(0, 0.999), 3)
    t = t[:rng.randint(3, 5)].rstrip(".") or "0"
    xt = dec(rng.uniform(-50, 50), rng.randint(0, 3))
    if rng.random() < 0.3:
        xt = dec(rng.uniform(-3, 3), rng.randint(1, 3))
    if special == "t0":
        t = "0"
    elif special == "on_point":  # u_k = 0; the velocity underflows when t is near 1
        xt = rng.choice(data)[1]
        t = rng.choice(["0.999", "0.99", "0.95", t])
    elif special == "zero_eps":  # x_t = t*x_k exactly
        x = Decimal(rng.choice(data)[1])
        xt = str((Decimal(t) * x).normalize())
    elif special == "mean_t0":  # v = 0 exactly at t = 0
        m = prior_mean(data)
        if len(str(m.normalize())) < 25:
            t, xt = "0", str(m.normalize())
    elif special == "far":
        t = rng.choice(["0.999", "0.998", "0.99"])
        xt = rng.choice(["50", "-50", "49.99", "-37.5"])
    elif special == "zero":
        xt = "0"
    if xt in ("-0", "0.0", "-0.0"):
        xt = "0"
    return t, xt


def random_set(rng):
    kind = rng.choice(["one", "symmetric", "random", "random", "random"])
    data = random_data(rng, kind)
    specials = ["t0", "on_point", "zero_eps", "mean_t0", "far", "zero", None, None]
    points = []
    for _ in range(rng.randint(1, 3)):
        special = "zero" if kind == "symmetric" and rng.random() < 0.5 else rng.choice(specials)
        t, xt = random_point(rng, data, special)
        parts = rng.sample(PARTS, rng.randint(1, 4))
        points.append((t, xt, parts))
    return data, points


def write_set(path, data, points):
    lines = ["[set]", "title = random", "", "[data]"]
    lines += [f"{l} = {x}, {w}" for l, x, w in data]
    ids = []
    for i, (t, xt, parts) in enumerate(points):
        ids.append(f"1.{i + 1}")
        lines += ["", f"[1.{i + 1}]", f"t = {t}", f"x_t = {xt}", "parts = " + ", ".join(parts)]
    if len(points) >= 2:
        lines += ["", f"[1.{len(points) + 1}]", f"compare = {ids[0]}, {ids[1]}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=SRC)
    if p.returncode != 0:
        raise RuntimeError(f"fmsolve {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def check_key(where, data, points, key):
    letters = "abcdefghijklmnopqrstuvwxyz"
    results = [posterior(data, t, xt) for t, xt, _ in points]
    for i, (t, xt, parts) in enumerate(points):
        comps, means = results[i]
        in_range = all(c["lw"] > -700 for c in comps.values())
        for letter, kind in zip(letters, parts):
            kid = f"1.{i + 1}{letter}"
            if kind == "limit":
                v, vs = means["v"]
                x1, xs = means["x1"]
                check_value(f"{where} {kid}", key[kid], v, vs, in_range)
                check_value(f"{where} {kid}.x1", key[kid + ".x1"], x1, xs, in_range)
                continue
            field = {"eps": "eps", "target": "u", "share": "w"}[kind]
            for label, c in comps.items():
                check_value(f"{where} {kid}.{label}", key[f"{kid}.{label}"], c[field], 0, c["lw"] > -700)
    if len(points) >= 2:
        cid = f"1.{len(points) + 1}"
        for i in range(2):
            comps, means = results[i]
            v, vs = means["v"]
            in_range = all(c["lw"] > -700 for c in comps.values())
            check_value(f"{where} {cid}.v(1.{i + 1})", key[f"{cid}.v(1.{i + 1})"], v, vs, in_range)
            for label, c in comps.items():
                check_value(f"{where} {cid}.w(1.{i + 1}).{label}", key[f"{cid}.w(1.{i + 1}).{label}"], c["w"], 0,
                            c["lw"] > -700)


def nearest_double(ref):
    return float(mp.mpf(ref))


U = mp.mpf(2) ** -64


def check_json_number(where, got, ref, extra):
    """got: the JSON double; ref: mpf; extra: the bound (absolute) the error model allows beyond rounding."""
    stats["json"] += 1
    want = float(ref)
    ulp = math.ulp(want)  # also right for subnormal doubles
    if got == want or abs(mp.mpf(got) - ref) <= mp.mpf(ulp) * 1.0000001 + extra:
        return
    fail(f"{where}: json {got!r}, reference {mp.nstr(ref, 20)} (nearest double {want!r})")


def log_weight_slack(data, t, xt, comps):
    """How far each l_k may move when every input is rounded to 2^-64 (first order, exact.h's
    model): dl_k = sum over inputs y of |da_k/dy - sum_j w_j da_j/dy|*u*|y|, a_j = log p_j - eps_j^2/2,
    with t, 1 - t, x_t and each x_j rounded on their own, log p_j to 2u(|log p_j| + 32)."""
    t, om, xt = mp.mpf(t), 1 - mp.mpf(t), mp.mpf(xt)
    labels = [l for l, _, _ in data]
    eps = [comps[l]["eps"] for l in labels]
    xs = [comps[l]["x"] for l in labels]
    w = [comps[l]["w"] for l in labels]
    grads = [([e * x / om for e, x in zip(eps, xs)], t),  # t in t*x_j
             ([e * e / om for e in eps], om),             # 1 - t
             ([-e / om for e in eps], xt)]                # x_t
    out = {}
    for k, label in enumerate(labels):
        d = mp.mpf(0)
        for g, y in grads:
            d += abs(g[k] - mp.fsum(wj * gj for wj, gj in zip(w, g))) * U * abs(y)
        for j in range(len(labels)):  # x_j and log p_j
            gx = eps[j] * t / om
            d += abs((1 if j == k else 0) - w[j]) * (abs(gx) * U * abs(xs[j])
                                                    + 2 * U * (abs(comps[labels[j]]["lw"]) + 32))
        out[label] = d + 16 * U * abs(comps[label]["lw"])
    return out


def check_query(where, data, t, xt):
    """query --json: each double within one unit in the last place of the reference (faithful),
    plus what rounding the inputs to 2^-64 may move it by (log_weight_slack; 4u of the
    uncancelled sizes for eps and u)."""
    spec = ",".join(f"{l}={x}:{w}" for l, x, w in data)
    got = json.loads(run("query", "--data", spec, "--t", t, "--x", xt, "--json"))
    comps, means = posterior(data, t, xt)
    slack = log_weight_slack(data, t, xt, comps)
    tt, xx = abs(mp.mpf(t)), abs(mp.mpf(xt))
    for c in got["components"]:
        r = comps[c["label"]]
        size = 4 * U * (xx + tt * abs(r["x"])) / (1 - tt)
        check_json_number(f"{where} eps[{c['label']}]", c["eps"], r["eps"], size)
        check_json_number(f"{where} u[{c['label']}]", c["u"], r["u"], size)
        check_json_number(f"{where} log_weight[{c['label']}]", c["log_weight"], r["lw"], slack[c["label"]])
        if r["lw"] > -700:
            check_json_number(f"{where} weight[{c['label']}]", c["weight"], r["w"], slack[c["label"]] * r["w"])
    for field, key in (("velocity", "v"), ("x1_mean", "x1"), ("eps_mean", "eps")):
        val, scale = means[key]
        ckey = {"v": "u", "x1": "x", "eps": "eps"}[key]
        bound = mp.fsum(abs(c["w"] * c[ckey]) * (slack[l] + 8 * U) for l, c in comps.items())
        if abs(val) > mp.mpf("1e-300") and abs(val) > mp.mpf("1e-12") * scale:
            check_json_number(f"{where} {field}", got[field], val, bound + 8 * U * len(data) * scale)


def main():
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "set.ini")
        for n in range(NSETS):
            data, points = random_set(rng)
            write_set(path, data, points)
            where = f"set {n} (seed {SEED})"
            try:
                key = dict(line.split(" = ", 1) for line in run("key", "--exercises", path).splitlines())
                check_key(where, data, points, key)
                t, xt, _ = points[0]
                check_query(where, data, t, xt)
            except (RuntimeError, KeyError) as e:
                fail(f"{where}: {e}")
            if failures and len(failures) <= 30 and failures[-1].startswith(where):
                with open(path) as f:
                    print("  the set:\n    " + f.read().replace("\n", "\n    "))
    share = stats["cut_normal"] / max(stats["normal"], 1)
    print(f"key_random_mpmath: {NSETS} sets, {stats['values']} key values ({stats['zeros']} zeros, {stats['below_double']} below a double, "
          f"{stats['exp_form']} as exp(L), {stats['cut']} with fewer than 15 digits; "
          f"{stats['cut_normal']} of {stats['normal']} = {100 * share:.2f}% inside a double's range), "
          f"{stats['json']} query --json numbers; {len(failures)} failures")
    if share > 0.05:
        print("FAIL more than 5% of ordinary values lost a digit: the bound is too loose")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
