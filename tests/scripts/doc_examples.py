#!/usr/bin/env python3
"""Runs the examples shown in the documentation and compares their output.

    doc_examples.py FMSOLVE SRCDIR DOC...

Each DOC is a Markdown file (README.md, docs/*.md) or a man page (docs/*.1),
relative to SRCDIR.  An example is

  - in Markdown, a fenced block opened by ```console;
  - in a man page, an .EX/.EE block whose first line starts with "$ ".

Inside it, a line "$ COMMAND" is a command (a line ending in a backslash
continues on the next), and the lines up to the next "$ " line or the end of
the block are what it prints, standard output and standard error together.
A last line "[exit N]" says the command exits with status N (otherwise it
must exit 0), a line "..." stands for any number of lines, and blank lines
at the end of the output are not compared.

Every command runs under bash from SRCDIR, with LC_ALL=C, standard input
from /dev/null and the fmsolve under test first on PATH, so the docs show
what a user types; examples run in parallel, so none may write files.
(jq's tests/man.test is the model: docs that are run cannot go stale.)
Every DOC must hold at least one example.  Prints each failing example
with a diff; exits 0 when all pass, 1 otherwise, 2 on bad usage.
"""
import difflib
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

TIMEOUT = 120
EXIT_RE = re.compile(r"^\[exit (\d+)\]$")

# The roff escapes the man page uses in examples, and what they print.
ROFF_ESCAPES = {"(aq": "'", "(dq": '"', "(ga": "`", "(ti": "~", "(ha": "^", "(rs": "\\",
                "-": "-", "&": "", "e": "\\", " ": " ", "\\": "\\"}
ROFF_ESCAPE_RE = re.compile(r"\\(\(..|.)")


class Example:
    def __init__(self, doc, line, command):
        self.doc, self.line, self.command = doc, line, command
        self.expected = []


def split_examples(doc, start, lines):
    """Splits the lines of one block into examples (command and expected output)."""
    out, cur, i = [], None, 0
    while i < len(lines):
        text = lines[i]
        if text.startswith("$ "):
            cmd, first = text[2:], i
            while cmd.endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd + "\n" + lines[i]
            cur = Example(doc, start + first, cmd)
            out.append(cur)
        elif cur is None:
            raise ValueError("%s:%d: an example block must start with '$ '" % (doc, start + i))
        else:
            cur.expected.append(text)
        i += 1
    return out


def blocks(doc, text, opening, closing):
    """Yields (line number of the first inner line, inner lines) of each block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == opening:
            j = i + 1
            while j < len(lines) and lines[j].strip() != closing:
                j += 1
            if j == len(lines):
                raise ValueError("%s:%d: unclosed %s block" % (doc, i + 1, opening))
            yield i + 2, lines[i + 1:j]
            i = j
        i += 1


def markdown_examples(doc, text):
    out = []
    for start, block in blocks(doc, text, "```console", "```"):
        out += split_examples(doc, start, block)
    return out


def roff_unescape(line):
    def plain(m):
        if m.group(1) not in ROFF_ESCAPES:
            raise ValueError("unsupported roff escape %r in an example line: %r" % (m.group(0), line))
        return ROFF_ESCAPES[m.group(1)]
    return ROFF_ESCAPE_RE.sub(plain, line)


def man_examples(doc, text):
    out = []
    for start, block in blocks(doc, text, ".EX", ".EE"):
        if block and block[0].startswith("$ "):
            out += split_examples(doc, start, [roff_unescape(x) for x in block])
    return out


def matches(expected, got):
    """expected may hold '...' lines, each standing for any run of lines."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(matches(expected[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and expected[0] == got[0] and matches(expected[1:], got[1:])


def run(example, srcdir, env):
    want = list(example.expected)
    while want and want[-1] == "":
        want.pop()
    status = 0
    if want and EXIT_RE.match(want[-1]):
        status = int(EXIT_RE.match(want[-1]).group(1))
        want.pop()
    try:
        p = subprocess.run(["bash", "-c", example.command], cwd=srcdir, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timed out after %d s" % TIMEOUT
    got = p.stdout.decode("utf-8", "replace").split("\n")
    while got and got[-1] == "":
        got.pop()
    while want and want[-1] == "":
        want.pop()
    problems = []
    if p.returncode != status:
        problems.append("exit status %d, the docs say %d" % (p.returncode, status))
    if not matches(want, got):
        diff = difflib.unified_diff(want, got, "documented", "printed", lineterm="", n=2)
        problems.append("output differs:\n" + "\n".join(diff))
    return "; ".join(problems)


def main(argv):
    if len(argv) < 4:
        sys.stderr.write("usage: doc_examples.py FMSOLVE SRCDIR DOC...\n")
        return 2
    fmsolve, srcdir, docs = os.path.abspath(argv[1]), os.path.abspath(argv[2]), argv[3:]
    examples = []
    for doc in docs:
        with open(os.path.join(srcdir, doc), encoding="utf-8") as f:
            text = f.read()
        try:
            found = (man_examples if re.search(r"\.\d$", doc) else markdown_examples)(doc, text)
        except ValueError as e:
            print("FAIL %s" % e)
            return 1
        if not found:
            print("FAIL %s: no examples found (the marking may have changed)" % doc)
            return 1
        examples += found
    with tempfile.TemporaryDirectory() as bindir:
        os.symlink(fmsolve, os.path.join(bindir, "fmsolve"))
        env = dict(os.environ, LC_ALL="C", PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
        failed = 0
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            problems = list(pool.map(lambda ex: run(ex, srcdir, env), examples))
        for ex, problem in zip(examples, problems):
            if problem:
                failed += 1
                print("FAIL %s:%d: $ %s\n  %s" % (ex.doc, ex.line, ex.command, problem))
    print("%d of %d documented examples print what the docs show" % (len(examples) - failed, len(examples)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
