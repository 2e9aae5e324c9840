#!/usr/bin/env python3
"""The worked answers render: Markdown through pandoc, LaTeX through TeX.

    markdown_render.py FMSOLVE SRCDIR [SETS]

For the seed sheet and SETS random sheets (claims_property.py's generator;
SETS defaults to 30, or 2000 when FMS_LONG=1):

  - `fmsolve --all --format markdown` is rendered with
    `pandoc -f markdown -t html --mathml` (many sheets per pandoc run): it
    must print no warning (a formula pandoc cannot read is one), and no '$'
    and no TeX control word may be left in the HTML's text (a formula that
    did not become math);
  - `fmsolve --all --format latex` is compiled with pdflatex when it is
    installed (`command -v pdflatex`), and otherwise checked by a parser:
    balanced braces, \\begin/\\end pairs, '$' pairs, no character above
    Latin-1 (pdflatex with inputenc could not typeset it);
  - the handouts of `fmsolve variant --roster` (three students, on each
    template of HANDOUT_TEMPLATES, questions only and --with-answers) go
    through the same two checks; a handout with answers is the worked
    answers of the student's ID.ini byte for byte but for its "Variant for:
    ID" line, and one without answers has every question once, no worked
    step, and the answer sheet ("ID =" per key item) at the end.

Exits 0 when every sheet passes, 1 otherwise, 2 on bad usage.
"""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import claims_property  # noqa: E402 (the random sheets)

BATCH = 50
HANDOUT_TEMPLATES = ["exercises/discussion11-variants.ini", "exercises/three-points-unequal-variants.ini"]


def run(fmsolve, fmt, path):
    args = [fmsolve, "--all", "--format", fmt] + (["-e", path] if path else [])
    r = subprocess.run(args, capture_output=True, env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        raise RuntimeError("fmsolve failed: " + r.stderr.decode())
    return r.stdout.decode()


def check_html(html, names):
    """Errors of one pandoc run: '$' or TeX left in the text outside <math>."""
    errors = []
    text = re.sub(r"<math.*?</math>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    for line in text.split("\n"):
        if "$" in line or re.search(r"\\(varepsilon|mathrm|cdot|mathbb|frac|approx|theta|text)\b", line):
            errors.append("not rendered: " + line.strip()[:160])
    return errors


def check_markdown(sheets):
    """sheets: list of (name, markdown). One pandoc run for all of them."""
    doc = "\n\n".join(md for _, md in sheets)
    r = subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "--mathml"], input=doc.encode(),
                       capture_output=True)
    errors = []
    if r.returncode != 0 or r.stderr.strip():
        errors.append("pandoc: " + r.stderr.decode().strip()[:400])
    errors += check_html(r.stdout.decode(), [n for n, _ in sheets])
    return errors


def check_batch(batch):
    """1 when the batch of sheets fails (and says why), else 0."""
    errors = check_markdown(batch)
    if errors:
        print("markdown, sheets %s .. %s:\n  %s" % (batch[0][0], batch[-1][0], "\n  ".join(errors[:10])))
    return 1 if errors else 0


def tex_parse_errors(tex):
    """A TeX syntax check for machines without pdflatex."""
    errors, depth, envs = [], 0, []
    body = re.sub(r"\\[\\{}$%&#_^~]", "", tex)
    for ch in body:
        depth += 1 if ch == "{" else -1 if ch == "}" else 0
        if depth < 0:
            errors.append("unbalanced }")
            break
    if depth > 0:
        errors.append("unbalanced {")
    for kind, name in re.findall(r"\\(begin|end)\{(\w+)\}", tex):
        if kind == "begin":
            envs.append(name)
        elif not envs or envs.pop() != name:
            errors.append("\\end{%s} without its \\begin" % name)
    if envs:
        errors.append("unclosed environment " + envs[-1])
    for n, line in enumerate(tex.split("\n"), 1):
        if re.sub(r"\\\$", "", line).count("$") % 2:
            errors.append("line %d: odd number of $" % n)
        if any(ord(c) > 0xFF for c in line):
            errors.append("line %d: a character pdflatex cannot typeset: %s" % (n, line[:80]))
    if not tex.startswith("\\documentclass") or not tex.rstrip().endswith("\\end{document}"):
        errors.append("not a whole document")
    return errors


def check_latex(tex, workdir):
    if shutil.which("pdflatex") is None:
        return tex_parse_errors(tex)
    with open(os.path.join(workdir, "sheet.tex"), "w") as f:
        f.write(tex)
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"], cwd=workdir,
                       capture_output=True)
    if r.returncode != 0:
        lines = [l for l in r.stdout.decode(errors="replace").split("\n") if l.startswith("!") or "Error" in l]
        return ["pdflatex failed: " + " | ".join(lines[:5])]
    return []


def fmsolve_out(fmsolve, args):
    r = subprocess.run([fmsolve] + args, capture_output=True, env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        raise RuntimeError("fmsolve %s failed: %s" % (" ".join(args), r.stderr.decode()))
    return r.stdout.decode()


def without_variant_line(doc, sid):
    line = "Variant for: %s\n\n" % sid
    return doc.replace(line, "", 1) if line in doc else None


def check_questions_only(md, tex, sid, key):
    """The shape of a questions-only handout (Markdown and LaTeX)."""
    errors = []
    if ("Variant for: %s\n" % sid) not in md or ("Variant for: %s\n" % sid) not in tex:
        errors.append("no 'Variant for: %s' line" % sid)
    if re.search(r"^\s*- ", md, flags=re.M) or "\\item" in tex:
        errors.append("a worked step in a questions-only handout")
    exercises = md.split("\n## ")[1:-1]  # the last is "Your answers"
    for b in exercises:
        qs = re.findall(r"^(?:\*\*\([^)]*\)\*\* |> )(.*)$", b, flags=re.M)
        if not qs:
            errors.append("no question in ## " + b.split("\n", 1)[0])
        if len(qs) != len(set(qs)):
            errors.append("a question printed twice in ## " + b.split("\n", 1)[0])
    sheet = "".join("%s =\n" % k for k in key)
    if not md.endswith("```\n" + sheet + "```\n"):
        errors.append("the Markdown does not end with the answer sheet")
    if not tex.endswith("\\begin{verbatim}\n" + sheet + "\\end{verbatim}\n\\end{document}\n"):
        errors.append("the LaTeX does not end with the answer sheet")
    return errors


def check_handouts(fmsolve, src, tmp):
    """Handouts of three students per template, both kinds: (passed, failed)."""
    roster = os.path.join(src, "tests/data/teaching/roster.csv")
    secret = os.path.join(src, "tests/data/teaching/secret.txt")
    ids = ["ada", "bob", "cy"]
    passed = failed = 0
    for n, template in enumerate(HANDOUT_TEMPLATES):
        for answers in (False, True):
            out = os.path.join(tmp, "handouts-%d-%d" % (n, answers))
            fmsolve_out(fmsolve, ["variant", "--roster", roster, "--secret-file", secret, "--out", out,
                                  "--exercises", os.path.join(src, template)] + (["--with-answers"] if answers else []))
            for sid in ids:
                name = "%s handout of %s%s" % (template, sid, " with answers" if answers else "")
                md, tex = (open(os.path.join(out, sid + ext)).read() for ext in (".md", ".tex"))
                ini = os.path.join(out, sid + ".ini")
                errors = check_markdown([(name, md)]) + check_latex(tex, tmp)
                if answers:
                    for fmt, doc in (("markdown", md), ("latex", tex)):
                        if without_variant_line(doc, sid) != run(fmsolve, fmt, ini):
                            errors.append("the %s handout is not the worked answers of %s.ini" % (fmt, sid))
                else:
                    key = [l.split(" = ")[0] for l in fmsolve_out(fmsolve, ["key", "-e", ini]).splitlines()]
                    errors += check_questions_only(md, tex, sid, key)
                if errors:
                    failed += 1
                    print("%s:\n  %s" % (name, "\n  ".join(errors[:10])))
                else:
                    passed += 1
    return passed, failed


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    fmsolve = sys.argv[1]
    nsets = int(sys.argv[3]) if len(sys.argv) > 3 else (2000 if os.environ.get("FMS_LONG") == "1" else 30)
    if shutil.which("pandoc") is None:
        print("pandoc is not installed (apt-get install pandoc)", file=sys.stderr)
        return 1
    failed, total = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        batch = [("seed", run(fmsolve, "markdown", None))]
        latex = [("seed", run(fmsolve, "latex", None))]
        for i in range(nsets):
            case = claims_property.CASES[i % len(claims_property.CASES)]
            text, _, _ = claims_property.write_set(random.Random(90000 + i), case)
            path = os.path.join(tmp, "set.ini")
            with open(path, "w") as f:
                f.write(text)
            batch.append(("set %d (%s)" % (90000 + i, case), run(fmsolve, "markdown", path)))
            if i < 2 or i % 25 == 0:
                latex.append(("set %d (%s)" % (90000 + i, case), run(fmsolve, "latex", path)))
            if len(batch) == BATCH or i == nsets - 1:
                failed += check_batch(batch)
                total += len(batch)
                batch = []
        if batch:
            failed += check_batch(batch)
            total += len(batch)
        for name, tex in latex:
            total += 1
            errors = check_latex(tex, tmp)
            if errors:
                failed += 1
                print("latex, %s:\n  %s" % (name, "\n  ".join(errors[:10])))
        passed, hfailed = check_handouts(fmsolve, sys.argv[2], tmp)
        total += passed + hfailed
        failed += hfailed
    print("%d passed, %d failed" % (total - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
