#!/usr/bin/python3
"""Checks `fmsolve query --schedule` and `fmsolve convert` as a user runs them
(--json) against an independent 60-digit computation with mpmath, for every
schedule, both time conventions and every pair of parameterizations.

Usage: verify_pathcli.py FMSOLVE SRCDIR

The reference is verify_schedules.py's (imported: the schedules, the
conversions and the exact model written from the definitions).  Checked:
  - query at random interior times: alpha, sigma and their rates (1e-15
    relative), each data point's eps_k, u_k and weight, and the exact model
    in all five parameterizations (1e-12 relative);
  - query at both ends (t = 0 and t = 1) at a data point and off it: the
    exact model's limits, a divergent one null with its word ("+inf",
    "-inf") of the right sign, "limit" true exactly where sigma = 0;
  - convert at random interior points: the value (1e-12 relative) and the
    formula it prints, explicit in t, evaluated here in 60 digits;
  - convert at both ends (at t = 1 with x_t on a data point, and with
    FMS_LONG=1 off it too): undetermined exactly where the rule of param.h
    says (P or Q not defined, or D_P = 0 and D_Q != 0), then with a reason
    and the exact model's limit from the data (exact_limit); determined
    otherwise;
  - the key of every exercise file on another path (exercises/, the fuzz
    corpus): every digit it prints is right (the value within half a unit of
    its last printed digit), shares far below a double through their log.
"""
import configparser
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys

import mpmath as mp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verify_schedules as ref  # noqa: E402

mp.mp.dps = 60
BIN, SRC = sys.argv[1], sys.argv[2]
random.seed(1212)
report = ref.report  # one count of checks, kept by verify_schedules
SCHEDULES = ref.SCHEDULES
CONVS = ref.CONVS
PARAMS = ref.PARAMS
VAR = {"velocity": "u", "epsilon": "eps", "x1": "x1", "score": "s", "v": "v"}
OUTPUT = {"velocity": "velocity", "x1": "x1_mean", "epsilon": "eps_mean", "score": "score", "v": "v_pred"}


def run_all(arglists):
    """Runs fmsolve once per argument list (two at a time); returns the parsed JSON outputs."""
    def one(args):
        out = subprocess.run([BIN] + args + ["--json"], capture_output=True, text=True, cwd=SRC)
        if out.returncode != 0:
            return {"error": out.stderr.strip()}
        return json.loads(out.stdout)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, arglists))


def value(obj, key):
    """A JSON value as an mpf: null is read through its word under "nonfinite"."""
    v = obj.get(key)
    if v is None:
        word = obj.get("nonfinite", {}).get(key)
        return {"+inf": mp.inf, "-inf": -mp.inf, "undetermined": mp.nan}.get(word, None)
    return mp.mpf(repr(v)) if isinstance(v, float) else mp.mpf(v)


def close(got, want, rel, absolute=mp.mpf(0)):
    return got is not None and ref.close(got, want, rel, absolute)


def eval_formula(text, t, xt, var, y):
    """The formula convert prints (lhs = expression in x_t, t and var), in 60 digits."""
    expr = text.split("=", 1)[1].replace("^", "**")
    expr = re.sub(r"(?<![A-Za-z_0-9.])(\d+(?:\.\d*)?(?:e-?\d+)?)", r"mpf('\1')", expr)
    env = {"mpf": mp.mpf, "sin": mp.sin, "cos": mp.cos, "exp": mp.exp, "sqrt": mp.sqrt, "log": mp.log, "pi": mp.pi,
           "t": t, "x_t": xt, var: y}
    return eval(expr, {"__builtins__": {}}, env)


def path_args(name, conv, t, xt):
    return ["--schedule", name, "--convention", conv, "--t", t, "--x", xt]


# ---- query ----

def check_query_interior():
    cases = []
    for name in SCHEDULES:
        for conv in CONVS:
            for spec in [ref.SEED, ref.VARIED]:
                for t, xt, _ in ref.random_cases(2):
                    cases.append((name, conv, t, xt, spec))
    outs = run_all([["query", "--data", spec] + path_args(name, conv, t, xt) for name, conv, t, xt, spec in cases])
    for (name, conv, t, xt, spec), out in zip(cases, outs):
        where = f"query {name} {conv} t={t} x_t={xt} data={spec}"
        if "error" in out:
            report(False, f"{where}: {out['error']}")
            continue
        pt = ref.point(name, conv, t)
        for key, want in zip(["alpha", "sigma", "alpha_dot", "sigma_dot"], pt):
            report(close(value(out, key), want, mp.mpf("1e-15")), f"{where} {key}: {out.get(key)}, expected {want}")
        want, scale = ref.exact_model(pt, ref.parse_data(spec), mp.mpf(xt))
        for P in PARAMS:
            got = value(out, OUTPUT[P])
            report(close(got, want[P], mp.mpf("1e-12"), mp.mpf("1e-16") * scale),
                   f"{where} {OUTPUT[P]}: {got}, expected {mp.nstr(want[P], 20)}")
        report(out["limit"] is False and out["schedule"] and out["convention"] == conv, f"{where}: limit/names {out}")
        a, s, da, ds = pt
        data = ref.parse_data(spec)
        logs = [mp.log(p) - (mp.mpf(xt) - a * x) ** 2 / (2 * s * s) for x, p in data]
        z = mp.fsum(mp.exp(lg - max(logs)) for lg in logs)
        for c, (x, _), lg in zip(out["components"], data, logs):
            eps = (mp.mpf(xt) - a * x) / s
            report(close(value(c, "eps"), eps, mp.mpf("1e-12"), mp.mpf("1e-15") * scale), f"{where} eps_{c['label']}")
            report(close(value(c, "u"), da * x + ds * eps, mp.mpf("1e-12"), mp.mpf("1e-15") * scale),
                   f"{where} u_{c['label']}: {c['u']}")
            report(close(value(c, "weight"), mp.exp(lg - max(logs)) / z, mp.mpf("1e-12"), mp.mpf("1e-300")),
                   f"{where} weight_{c['label']}: {c['weight']}")


def limit_ok(got, want, is_limit):
    """A limit: finite to 1e-12; at sigma = 0 a divergent one huge with the right sign; NaN only where left open."""
    if got is None:
        return False
    if mp.isnan(got):
        return True  # the cases affine.h leaves open; verify_schedules.py checks where they occur
    if mp.isinf(got):
        return mp.isfinite(want) and abs(want) > mp.mpf("1e10") and mp.sign(want) == mp.sign(got) if is_limit \
            else got == want
    return ref.close(got, want, mp.mpf("1e-12"), mp.mpf("1e-15"))


def check_query_ends():
    cases = [(name, conv, t, xt) for name in SCHEDULES for conv in CONVS for t in ["0", "1"] for xt in ["0.5", "0.3"]]
    outs = run_all([["query", "--data", ref.SEED] + path_args(*c) for c in cases])
    for (name, conv, t, xt), out in zip(cases, outs):
        where = f"query {name} {conv} t={t} x_t={xt}"
        if "error" in out:
            report(False, f"{where}: {out['error']}")
            continue
        vals, is_limit = ref.limit_model(name, conv, t, ref.parse_data(ref.SEED), mp.mpf(xt))
        report(out["limit"] == is_limit, f"{where}: limit {out['limit']}, expected {is_limit}")
        for P in PARAMS:
            got = value(out, OUTPUT[P])
            report(limit_ok(got, vals[P], is_limit), f"{where} {OUTPUT[P]}: {got}, expected {mp.nstr(vals[P], 20)}")


# ---- convert ----

def check_convert_interior():
    pairs = [(P, Q) for P in PARAMS for Q in PARAMS if P != Q]
    cases = []
    for name in SCHEDULES:
        for conv in CONVS:
            for P, Q in pairs:
                cases.append((name, conv, P, Q) + ref.random_cases(1)[0])
    outs = run_all([["convert", "--from", P, "--to", Q, "--value", y] + path_args(name, conv, t, xt)
                    for name, conv, P, Q, t, xt, y in cases])
    for (name, conv, P, Q, t, xt, y), out in zip(cases, outs):
        where = f"convert {P}->{Q} {name} {conv} t={t} x_t={xt} y={y}"
        if "error" in out or not out.get("determined"):
            report(False, f"{where}: {out}")
            continue
        pt = ref.point(name, conv, t)
        want, scale = ref.ref_convert(pt, P, Q, mp.mpf(xt), mp.mpf(y))
        got = value(out, "value")
        report(close(got, want, mp.mpf("1e-12"), mp.mpf("1e-15") * scale), f"{where}: {got}, expected {mp.nstr(want, 20)}")
        f = eval_formula(out["formula"], mp.mpf(t), mp.mpf(xt), VAR[P], mp.mpf(y))
        report(close(f, want, mp.mpf("1e-13"), mp.mpf("1e-15") * scale),
               f"formula {out['formula']} at {where}: {f}, expected {mp.nstr(want, 20)}")
        report(out["formula"].startswith(VAR[Q] + " = "), f"{where}: formula {out['formula']}")


def check_convert_ends():
    # At t = 1 x_t on a data point (finite limits); with FMS_LONG=1 also off it (divergent ones).
    far = ["0.5", "0.3"] if os.environ.get("FMS_LONG") == "1" else ["0.5"]
    cases = [(name, conv, P, Q, t, xt) for name in SCHEDULES for conv in CONVS for t in ["0", "1"]
             for P in PARAMS for Q in PARAMS if P != Q for xt in (far if t == "1" else ["0.3"])]
    outs = run_all([["convert", "--data", ref.SEED, "--from", P, "--to", Q, "--value", "0.25"] +
                    path_args(name, conv, t, xt) for name, conv, P, Q, t, xt in cases])
    models = {}
    undetermined = 0
    for (name, conv, P, Q, t, xt), out in zip(cases, outs):
        where = f"convert {P}->{Q} {name} {conv} t={t} x_t={xt}"
        if "error" in out:
            report(False, f"{where}: {out['error']}")
            continue
        pt = ref.point(name, conv, t)
        determined = ref.defined(P, pt) and ref.defined(Q, pt) and (ref.det(P, pt) != 0 or ref.det(Q, pt) == 0)
        report(out["determined"] == determined, f"{where}: determined {out['determined']}, expected {determined}")
        if determined:
            report(out["value"] is not None and "exact_limit" not in out, f"{where}: {out}")
            continue
        undetermined += 1
        report(out["value"] is None and len(out.get("reason", "")) > 20, f"{where}: value/reason {out}")
        key = (name, conv, t, xt)
        if key not in models:
            models[key] = ref.limit_model(name, conv, t, ref.parse_data(ref.SEED), mp.mpf(xt))
        vals, is_limit = models[key]
        got = value(out, "exact_limit")
        report(limit_ok(got, vals[Q], is_limit), f"{where}: exact_limit {got}, expected {mp.nstr(vals[Q], 20)}")
    print(f"convert at the ends: {len(cases)} conversions, {undetermined} undetermined with their exact limits")


# ---- the key of sheets on other paths ----

def sheet_answers(path):
    """The reference value of every numeric key item of an exercise file (mpf, or ("log", l) for a share), by id."""
    ini = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"), inline_comment_prefixes=(" ;",))
    ini.optionxform = str
    ini.read(os.path.join(SRC, path), encoding="utf-8")
    head = ini["set"] if ini.has_section("set") else {}
    name, conv = head.get("schedule", "condot").strip(), head.get("convention", "data-at-1").strip()
    param = head.get("param", "velocity").strip()
    labels = list(ini["data"].keys())
    pts = []
    for lab in labels:
        v = [x.strip() for x in ini["data"][lab].split(",")]
        pts.append((mp.mpf(v[0]), mp.mpf(v[1]) if len(v) > 1 else mp.mpf(1)))
    total = mp.fsum(p for _, p in pts)
    data = [(x, p / total) for x, p in pts]
    out = {}

    def point_values(sec):
        t, xt = sec["t"].strip(), mp.mpf(sec["x_t"].strip())
        a, s_, da, ds = ref.point(name, conv, t)
        eps = [(xt - a * x) / s_ for x, _ in data]
        logs = [mp.log(p) - e * e / 2 for (_, p), e in zip(data, eps)]
        z = max(logs) + mp.log(mp.fsum(mp.exp(lg - max(logs)) for lg in logs))
        logw = [lg - z for lg in logs]
        basis = {"velocity": (da, ds), "epsilon": (0, 1), "x1": (1, 0), "score": (0, -1 / s_), "v": (-s_, a)}[param]
        target = [basis[0] * x + basis[1] * e for (x, _), e in zip(data, eps)]
        lim = mp.fsum(mp.exp(lw) * tg for lw, tg in zip(logw, target))
        x1 = mp.fsum(mp.exp(lw) * x for lw, (x, _) in zip(logw, data))
        return eps, target, logw, lim, x1

    for sec_name in ini.sections():
        sec = ini[sec_name]
        if sec_name in ("set", "data"):
            continue
        if "compare" in sec:
            for other in [x.strip() for x in sec["compare"].split(",")]:
                eps, target, logw, lim, x1 = point_values(ini[other])
                out[f"{sec_name}.v({other})"] = lim
                for lab, lw in zip(labels, logw):
                    out[f"{sec_name}.w({other}).{lab}"] = ("log", lw)
            continue
        if "parts" not in sec:
            continue
        eps, target, logw, lim, x1 = point_values(sec)
        for i, kind in enumerate(x.strip() for x in sec["parts"].split(",")):
            pid = f"{sec_name}{chr(97 + i)}"
            if kind == "limit":
                out[pid], out[pid + ".x1"] = lim, x1
                continue
            vals = {"eps": eps, "target": target, "share": [("log", lw) for lw in logw]}[kind]
            for lab, v in zip(labels, vals):
                out[f"{pid}.{lab}"] = v
    return out


def digits_right(text, want):
    """Every printed digit of text is right: |want - text| <= half a unit of its last digit."""
    if isinstance(want, tuple):
        lw = want[1]
        if text.startswith("exp("):
            return abs(mp.mpf(text[4:-1]) - lw) <= abs(lw) * mp.mpf("1e-14") + mp.mpf("1e-300")
        mant, _, e = text.partition("e")
        e10 = int(e or 0)
        want, text = mp.power(10, lw / mp.log(10) - e10), mant  # the reference as m * 10^e10
    m = re.fullmatch(r"-?(\d+)(?:\.(\d*))?(?:e([-+]?\d+))?", text)
    if not m:
        return False
    ulp = mp.power(10, int(m.group(3) or 0) - len(m.group(2) or ""))
    return abs(mp.mpf(text) - want) <= ulp / 2 * (1 + mp.mpf("1e-9"))


def check_sheet_keys():
    sheets = ["exercises/discussion11-cosine.ini", "exercises/discussion11-vp.ini",
              "exercises/discussion11-diffusers.ini"]
    corpus = os.path.join(SRC, "fuzz", "corpus_exset")
    sheets += sorted(os.path.join("fuzz", "corpus_exset", f) for f in os.listdir(corpus) if f.startswith("path_"))
    for path in sheets:
        out = subprocess.run([BIN, "key", "-e", path], capture_output=True, text=True, cwd=SRC)
        want = sheet_answers(path)
        n = 0
        for row in out.stdout.splitlines():
            ident, _, text = row.partition(" = ")
            if ident in want:
                n += 1
                w = want[ident]
                report(digits_right(text, w),
                       f"key {path} {ident} = {text}, expected {mp.nstr(w[1] if isinstance(w, tuple) else w, 25)}")
        report(out.returncode == 0 and n == len(want), f"key {path}: {n} of {len(want)} numbers found")


check_sheet_keys()
check_query_interior()
check_query_ends()
check_convert_interior()
check_convert_ends()
print(f"path CLI: {ref.checked - ref.failures} passed, {ref.failures} failed")
sys.exit(1 if ref.failures else 0)
