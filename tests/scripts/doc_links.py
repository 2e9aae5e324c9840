#!/usr/bin/env python3
"""Every relative link and image in the Markdown docs points at a file that exists.

    doc_links.py SRCDIR DOC.md...

The docs are read with pandoc (GitHub-flavoured Markdown, as the repository
shows them), so a link is what pandoc and GitHub see, not a guess by regex;
a document that pandoc cannot read fails too.  Links with a scheme
(https:, mailto:) and links within the page (#...) are not checked.
Exit 0 when all resolve, 1 otherwise, 77 (skipped) without pandoc.
"""
import json
import os
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlsplit


def targets(node):
    """Yields the target of every Link and Image in a pandoc JSON tree."""
    if isinstance(node, dict):
        if node.get("t") in ("Link", "Image"):
            yield node["c"][2][0]
        for v in node.values():
            yield from targets(v)
    elif isinstance(node, list):
        for v in node:
            yield from targets(v)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: doc_links.py SRCDIR DOC.md...\n")
        return 2
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("pandoc is not installed: skipped")
        return 77
    srcdir, bad, n = argv[1], 0, 0
    for doc in argv[2:]:
        path = os.path.join(srcdir, doc)
        p = subprocess.run([pandoc, "-f", "gfm", "-t", "json", path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            print("FAIL %s: pandoc cannot read it: %s" % (doc, p.stderr.decode(errors="replace").strip()))
            bad += 1
            continue
        for target in targets(json.loads(p.stdout)):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            n += 1
            where = os.path.normpath(os.path.join(os.path.dirname(path), unquote(parts.path)))
            if not os.path.exists(where):
                print("FAIL %s: the link '%s' points at nothing" % (doc, target))
                bad += 1
    print("%d relative links checked, %d broken" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
