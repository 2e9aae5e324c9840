#!/bin/sh
# The man page is clean: `groff -man -ww -z` (every warning on, no output)
# prints nothing, the source is ASCII (so that any man(1) renders it without
# preconv), and its .TH line names the version that `fmsolve --version` prints.
#   man_lint.sh MANPAGE FMSOLVE
# Exit 77 (skipped) when groff is not installed.
set -u
man=$1 fmsolve=$2
if ! command -v groff >/dev/null 2>&1; then
  echo "groff is not installed (Debian: groff-base): skipped"
  exit 77
fi
status=0
warnings=$(groff -man -ww -z "$man" 2>&1)
if [ -n "$warnings" ]; then
  printf 'groff -man -ww -z %s:\n%s\n' "$man" "$warnings"
  status=1
fi
if LC_ALL=C grep -n '[^[:print:][:space:]]' "$man"; then
  echo "$man: the lines above hold non-ASCII bytes: write them as groff escapes (\\(*e for epsilon)"
  status=1
fi
version=$("$fmsolve" --version)
if ! grep -q "^\.TH .*\"$version\"" "$man"; then
  echo "$man: the .TH line does not name \"$version\" (what fmsolve --version prints)"
  status=1
fi
exit $status
