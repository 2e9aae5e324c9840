#!/usr/bin/env python3
"""Lists the source files that `fmsolve autograder` packs into Gradescope's
archive: what `meson setup build -Dtests=false && meson compile -C build`
needs to build fmsolve on Gradescope's image.

Usage: srclist.py SRCDIR
Prints one path per line, relative to SRCDIR, sorted.  Meson runs it at
configure time (solver/cli/meson.build) and builds the list into fmsolve;
meson configures again whenever a meson.build changes, which every new
source file needs.  In a git checkout only files git would track are listed
(tracked, or new and not ignored), so build folders and editor files stay
out; elsewhere (an unpacked archive) every file under the paths below is.
"""
import os
import subprocess
import sys

# The top-level paths the build reads (tests/ and fuzz/ are not built there).
PATHS = ["meson.build", "meson_options.txt", "README.md", "solver", "bench",
         "exercises", "tools", "docs/fmsolve.1"]


def git_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(p for p in out.decode("utf-8", "replace").split("\0") if p)


def walk(root, top):
    full = os.path.join(root, top)
    if os.path.isfile(full):
        yield top
        return
    for base, dirs, files in os.walk(full):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not d.startswith("build")
                   and d != "__pycache__"]
        for f in files:
            if not f.startswith("."):
                yield os.path.relpath(os.path.join(base, f), root)


def main():
    root = sys.argv[1]
    tracked = git_files(root) if os.path.exists(os.path.join(root, ".git")) else None
    found = set()
    for top in PATHS:
        for p in walk(root, top):
            p = p.replace(os.sep, "/")
            if (tracked is None or p in tracked) and os.path.isfile(os.path.join(root, p)):
                found.add(p)
    for p in sorted(found):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
