#!/usr/bin/env python3
"""Property test of the worked answers' claims (answers/claims.h).

    claims_property.py FMSOLVE [SETS] [SEED]

Generates random exercise sets (1-6 points, random and odd labels, random
probabilities, t in [0, 0.999], x_t in [-50, 50], with the special cases
t = 0, one point, symmetric data, the prior mean on a data point and
posteriors at 0.5 +- 1e-15), runs `fmsolve --all --format json` and
`--format text` on each, and checks

  - every claim printed (the JSON's "claims": predicate and inputs) against a
    predicate written here independently, in exact rational arithmetic
    (fractions) and 60-digit mpmath from the decimal text of the inputs;
  - that claims that must be made are made (the posterior equals the prior
    exactly, in every share part);
  - that every qualitative sentence of the steps is a claim's sentence (a
    sentence no predicate supports is not printed), and that every claim's
    sentence is in the text output.

SETS defaults to 300, or 10000 when FMS_LONG=1.  Exits 0 when every check
passes, 1 otherwise (printing the failing set), 2 on bad usage.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import mpmath

mpmath.mp.dps = 60

LABELS = ["A", "B", "C", "D", "E", "F", "only", "x", "t", "eps", "P", "A_1", "_z", "point", "mean", "rare", "B2",
          "Left", "right", "k"]
# Thresholds of the claims, as docs/answers-json.md states them.
RARE, DOMINANT, NEAR_PRIOR, NEGLIGIBLE = 1e-6, 1e-6, 1e-3, 1e-6
# Qualitative phrases that only a claim may print.
PHRASES = ["is rare", "equals the prior", "close to the prior", "almost exactly", "between points",
           "points toward", "it is zero", "identifies", "favours point", "coincides", "the only data point",
           "the mean of the data", "both converge", "limits differ", "posterior is the same",
           "every data point needs the same noise", "heads for the mean"]


def dec(x, places):
    """x rounded to places decimals, as short decimal text."""
    s = ("%." + str(places) + "f") % x
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return "0" if s in ("-0", "") else s


def make_data(rng, case):
    n = rng.randint(1, 6)
    if case == "one":
        n = 1
    labels = rng.sample(LABELS, n)
    xs = [dec(rng.uniform(-5, 5), rng.choice([0, 1, 2, 3])) for _ in range(n)]
    ws = [str(rng.randint(1, 9)) for _ in range(n)]
    if case == "symmetric":
        labels = rng.sample(LABELS, 2)
        m, d = dec(rng.uniform(-2, 2), 2), dec(rng.uniform(0.1, 3), 2)
        xs = [str(Fraction(m) + Fraction(d)), str(Fraction(m) - Fraction(d))]
        xs = [dec(float(Fraction(v)), 2) for v in xs]
        ws = [str(rng.randint(1, 4)), str(rng.randint(1, 4))]
    if case == "mean_on_point":
        labels = rng.sample(LABELS, 3)
        m, d = dec(rng.uniform(-2, 2), 2), dec(rng.uniform(0.1, 3), 2)
        xs = [dec(float(Fraction(m) - Fraction(d)), 2), m, dec(float(Fraction(m) + Fraction(d)), 2)]
        ws = ["1", str(rng.randint(1, 4)), "1"]
    if case == "half":
        labels = rng.sample(LABELS, 2)
        xs, ws = ["0.5", "-0.5"], ["1", "1"]
    # Values must be distinct for the sheet to make sense; duplicates are allowed by the format.
    return labels, xs, ws


def make_points(rng, case, xs):
    pts = []
    for _ in range(rng.randint(2, 4)):
        t = dec(rng.uniform(0, 0.999), 3)
        xt = dec(rng.uniform(-50, 50) if rng.random() < 0.5 else rng.uniform(-3, 3), 2)
        pts.append((t, xt))
    if case == "t0" or rng.random() < 0.2:
        pts[0] = ("0", pts[0][1])
    if case in ("symmetric", "mean_on_point"):
        t = dec(rng.uniform(0.05, 0.95), 2)
        mid = (Fraction(xs[0]) + Fraction(xs[-1])) / 2
        pts[1] = (t, str(float(Fraction(t) * mid)) if (Fraction(t) * mid).denominator in (1, 2, 4, 5, 8, 10, 20, 25,
                  40, 50, 100, 125, 200, 250, 500, 1000, 10000) else dec(float(Fraction(t) * mid), 6))
    if case == "half":
        pts[1] = ("0.5", rng.choice(["0.000000000000001", "-0.000000000000001"]))
    if rng.random() < 0.3:
        pts.append((rng.choice(["0.9", "0.99", "0.999"]), dec(rng.uniform(-50, 50), 1)))
    return pts


def write_set(rng, case):
    labels, xs, ws = make_data(rng, case)
    pts = make_points(rng, case, xs)
    lines = ["[set]", "title = random " + case, "", "[data]"]
    lines += ["%s = %s, %s" % (l, x, w) for l, x, w in zip(labels, xs, ws)]
    ids = []
    for i, (t, xt) in enumerate(pts):
        ids.append("1.%d" % (i + 1))
        lines += ["", "[%s]" % ids[-1], "t = " + t, "x_t = " + xt, "parts = eps, target, share, limit"]
    a, b = rng.sample(ids, 2)
    lines += ["", "[3.1]", "compare = %s, %s" % (a, b), "", "[3.2]", "compare = %s, %s" % (ids[0], ids[-1]),
              "", "[2.1]", "kind = eps_to_velocity", "", "[2.2]", "kind = euler_eps", ""]
    data = [(l, Fraction(x), Fraction(w)) for l, x, w in zip(labels, xs, ws)]
    return "\n".join(lines), data, {i: (Fraction(t), Fraction(xt)) for i, (t, xt) in zip(ids, pts)}


class Point:
    """The exact posterior at (t, x_t): rationals where they are rational, 60-digit mpmath otherwise."""

    def __init__(self, data, t, xt):
        tot = sum(w for _, _, w in data)
        self.labels = [l for l, _, _ in data]
        self.x = [x for _, x, _ in data]
        self.p = [w / tot for _, _, w in data]
        self.t, self.xt = t, xt
        self.eps = [(xt - t * x) / (1 - t) for x in self.x]
        self.u = [(x - xt) / (1 - t) for x in self.x]
        # Gaps to the likeliest point, the rational part exact: g_k = log(p_k/p_m) - (eps_k^2 - eps_m^2)/2.
        score = [mp(p) for p in self.p]
        q = [mpmath.log(s) - mp(e * e) / 2 for s, e in zip(score, self.eps)]
        m = max(range(len(q)), key=lambda k: q[k])
        g = [mpmath.log(mp(p / self.p[m])) - mp((e * e - self.eps[m] * self.eps[m]) / 2) for p, e in
             zip(self.p, self.eps)]
        g[m] = mpmath.mpf(0)
        rest = mpmath.fsum(mpmath.exp(gk) for k, gk in enumerate(g) if k != m)
        self.logw = [gk - mpmath.log1p(rest) for gk in g]
        self.w = [mpmath.exp(l) for l in self.logw]
        self.top = m
        self.prior = t == 0 or len(self.x) == 1 or len({abs(e) for e in self.eps}) == 1
        self.mean = sum(p * x for p, x in zip(self.p, self.x))
        if self.prior:
            self.v = sum(p * u for p, u in zip(self.p, self.u))
            self.xhat = self.mean
        else:
            # Around the likeliest point, so that a tiny difference keeps its digits.
            self.v = mp(self.u[m]) + mpmath.fsum(w * mp(u - self.u[m]) for w, u in zip(self.w, self.u))
            self.xhat_off = mpmath.fsum(w * mp(x - self.x[m]) for w, x in zip(self.w, self.x))
            self.xhat = mp(self.x[m]) + self.xhat_off
        spread = max(self.x) - min(self.x)
        self.scale = spread if spread > 0 else 1


def mp(q):  # noqa: E302 (used by Point)
    return mpmath.mpf(q.numerator) / q.denominator if isinstance(q, Fraction) else mpmath.mpf(q)


def v_is_zero(pt):
    return pt.v == 0 if pt.prior else abs(pt.v) < mpmath.mpf(10) ** -55


COUNTS = {}


def check_claim(c, pt, other, fail):
    name, inp = c["predicate"], c["inputs"]
    COUNTS[name] = COUNTS.get(name, 0) + 1
    lab = {l: k for k, l in enumerate(pt.labels)}
    if name == "t_is_zero":
        ok = pt.t == 0
    elif name == "posterior_is_prior":
        r = inp["reason"]
        ok = pt.prior and {"t_is_zero": pt.t == 0, "one_data_point": len(pt.x) == 1,
                           "equal_candidate_noises": len({abs(e) for e in pt.eps}) == 1}[r]
    elif name == "posterior_near_prior":
        dev = max(abs(w / mp(p) - 1) for w, p in zip(pt.w, pt.p))
        ok = not pt.prior and dev <= inp["max_relative_change"] and dev <= NEAR_PRIOR
    elif name == "rare":
        k = lab[inp["label"]]
        rare = [j for j in range(len(pt.w)) if pt.w[j] < RARE]
        ok = k in rare and pt.w[k] == max(pt.w[j] for j in rare) and len(rare) == inp["count"]
    elif name == "dominant":
        k = lab[inp["label"]]
        ok = k == pt.top and pt.w[k] >= 1 - DOMINANT and len(pt.x) > 1
    elif name == "undecided":
        k = lab[inp["label"]]
        ok = k == pt.top and pt.w[k] < 1 - DOMINANT and not pt.prior and len(pt.x) > 1
    elif name == "xhat_at_point_value":
        ok = abs(mp(pt.xhat) - mp(pt.x[lab[inp["label"]]])) <= inp["bound"]
    elif name == "velocity_zero":
        ok = v_is_zero(pt)
    elif name == "velocity_negligible":
        ok = abs(mp(pt.v)) <= NEGLIGIBLE * mp(pt.scale)
    elif name == "xhat_at_mean":
        ok = pt.prior
    elif name == "mean_is_point":
        ok = pt.mean == pt.x[lab[inp["label"]]]
    elif name == "xhat_near_point":
        k = lab[inp["label"]]
        dist = abs(pt.xhat_off) if k == pt.top and not pt.prior else abs(mp(pt.xhat) - mp(pt.x[k]))
        ok = k == pt.top and pt.w[k] >= 1 - DOMINANT and (dist == 0 or mpmath.log10(dist) <= inp["log10_bound"])
    elif name == "xhat_between":
        lo, hi, xh = mp(pt.x[lab[inp["low"]]]), mp(pt.x[lab[inp["high"]]]), mp(pt.xhat)
        ok = lo < xh < hi and not any(lo < mp(x) < hi for x in pt.x)
    elif name == "limits_differ":
        ok = other is not None and mp(pt.v) != mp(other.v) and not (v_is_zero(pt) and v_is_zero(other))
    elif name == "same_posterior":
        ok = other is not None and pt.prior and other.prior and len(pt.x) == 1
    else:
        ok = False
        fail("unknown predicate %s" % name)
    if not ok:
        fail("false claim %s %s: %s" % (name, json.dumps(inp), c["text"]))


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def check_set(fmsolve, seed, case):
    rng = random.Random(seed)
    text, data, pts = write_set(rng, case)
    errors = []
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        env = dict(os.environ, LC_ALL="C")
        rj = subprocess.run([fmsolve, "--all", "--format", "json", "-e", path], capture_output=True, env=env)
        rt = subprocess.run([fmsolve, "--all", "-e", path], capture_output=True, env=env)
    finally:
        os.unlink(path)
    if rj.returncode != 0 or rt.returncode != 0:
        return ["fmsolve failed: %s" % (rj.stderr or rt.stderr).decode()], text
    doc = json.loads(rj.stdout)
    plain = norm(rt.stdout.decode())
    points = {i: Point(data, t, xt) for i, (t, xt) in pts.items()}
    for ex in doc["exercises"]:
        pt, other = points.get(ex["id"]), None
        if ex["kind"] == "compare":
            pt, other = points[ex["compare"][0]], points[ex["compare"][1]]
        for part in ex["parts"]:
            if "kind" not in part or "question" not in part:
                errors.append("%s: a part without kind or question" % part["id"])
            claimed = {norm(c["text"]) for c in part["claims"]}
            for s in part["steps"]:
                if any(ph in s for ph in PHRASES) and norm(s) not in claimed:
                    errors.append("%s: unsupported sentence: %s" % (part["id"], s))
            for c in part["claims"]:
                if norm(c["text"]) not in plain:
                    errors.append("%s: claim not printed: %s" % (part["id"], c["text"]))
                if pt is None:
                    continue
                side, rest = pt, other
                if "exercise" in c["inputs"]:
                    side = points[c["inputs"]["exercise"]]
                    rest = None
                check_claim(c, side, rest, lambda m: errors.append("%s: %s" % (part["id"], m)))
            if part["kind"] == "share" and pt.prior and not any(c["predicate"] == "posterior_is_prior"
                                                                 for c in part["claims"]):
                errors.append("%s: the posterior equals the prior but no claim says so" % part["id"])
    return errors, text


CASES = ["random", "random", "t0", "one", "symmetric", "mean_on_point", "half"]


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    fmsolve = sys.argv[1]
    nsets = int(sys.argv[2]) if len(sys.argv) > 2 else (10000 if os.environ.get("FMS_LONG") == "1" else 300)
    seed0 = int(sys.argv[3]) if len(sys.argv) > 3 else 20261126
    jobs = [(seed0 + i, CASES[i % len(CASES)]) for i in range(nsets)]
    failed = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for (seed, case), (errors, text) in zip(jobs, pool.map(lambda j: check_set(fmsolve, *j), jobs)):
            if errors:
                failed += 1
                if failed <= 5:
                    print("set %d (%s):\n%s\n  %s\n" % (seed, case, text, "\n  ".join(errors[:10])))
    print("claims checked: " + ", ".join("%s %d" % kv for kv in sorted(COUNTS.items())))
    print("%d passed, %d failed" % (nsets - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
