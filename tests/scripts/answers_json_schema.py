#!/usr/bin/env python3
"""The JSON of the worked answers matches the schema in docs/answers-json.md.

    answers_json_schema.py FMSOLVE SRCDIR [SETS]

Reads the schema (the ```json block under "## Schema") and validates, with
the small validator below (type, required, properties, items, enum,
additionalProperties, $ref to #/$defs/...), the output of the seed sheet
(one id, one part, several ids, --all) and of SETS random sheets
(claims_property.py's generator; 20 by default).  Exits 0 when all match,
1 otherwise, 2 on bad usage.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import claims_property  # noqa: E402

TYPES = {"object": dict, "array": list, "string": str, "number": (int, float), "integer": int}


def load_schema(srcdir):
    text = open(os.path.join(srcdir, "docs", "answers-json.md"), encoding="utf-8").read()
    block = re.search(r"## Schema.*?```json\n(.*?)```", text, re.S)
    return json.loads(block.group(1))


def validate(v, s, root, path, errors):
    if "$ref" in s:
        name = s["$ref"].split("/")[-1]
        return validate(v, root["$defs"][name], root, path, errors)
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(isinstance(v, TYPES[t]) and not (t != "boolean" and isinstance(v, bool)) for t in types):
            errors.append("%s: %r is not %s" % (path, v, "/".join(types)))
            return
    if "enum" in s and v not in s["enum"]:
        errors.append("%s: %r is not one of %s" % (path, v, s["enum"]))
    if isinstance(v, dict):
        for key in s.get("required", []):
            if key not in v:
                errors.append("%s: no %s" % (path, key))
        props = s.get("properties", {})
        for key, val in v.items():
            if key in props:
                validate(val, props[key], root, path + "." + key, errors)
            elif s.get("additionalProperties") is False:
                errors.append("%s: unexpected key %s" % (path, key))
            elif isinstance(s.get("additionalProperties"), dict):
                validate(val, s["additionalProperties"], root, path + "." + key, errors)
    if isinstance(v, list) and "items" in s:
        for i, item in enumerate(v):
            validate(item, s["items"], root, "%s[%d]" % (path, i), errors)


def output(fmsolve, args):
    r = subprocess.run([fmsolve] + args + ["--format", "json"], capture_output=True,
                       env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        raise RuntimeError("fmsolve %s: %s" % (" ".join(args), r.stderr.decode()))
    return json.loads(r.stdout)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    fmsolve, schema = sys.argv[1], load_schema(sys.argv[2])
    nsets = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    exercise, everything = schema, {"$defs": schema["$defs"], "$ref": "#/$defs/all"}
    several = {"$defs": schema["$defs"], "type": "array", "items": {"$ref": "#/$defs/exercise"}}
    cases = [(["1.3"], exercise), (["1.3c"], exercise), (["2.1"], exercise), (["1.4"], exercise),
             (["1.1", "2.2"], several), (["--all"], everything)]
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(nsets):
            text, _, _ = claims_property.write_set(random.Random(70000 + i), claims_property.CASES[i % 7])
            path = os.path.join(tmp, "set%d.ini" % i)
            with open(path, "w") as f:
                f.write(text)
            cases.append((["--all", "-e", path], everything))
        failed = 0
        for args, s in cases:
            errors = []
            validate(output(fmsolve, args), s, schema, "$", errors)
            if errors:
                failed += 1
                print("fmsolve %s --format json:\n  %s" % (" ".join(args), "\n  ".join(errors[:10])))
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
