#!/bin/sh
# Runs the walk-through of docs/teaching.md as a TA would: every ```sh block
# of its "## Walk-through" section, in order, in one bash with -e, in a
# temporary copy of exercises/, with the fmsolve under test first on PATH —
# once per sheet below (the doc's SHEET= line is changed to each).  Then
# checks the files the walk-through says it makes.
#   teaching_walkthrough.sh FMSOLVE SRCDIR
set -u
F=$1
case $F in /*) ;; *) F=$(pwd)/$F ;; esac
SRC=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL ($sheet): $*"; status=1; }

# The walk-through's commands: the ```sh blocks between "## Walk-through" and
# the next "## " heading outside a fenced block (``` or ~~~; a block closes
# only at the kind of fence that opened it).
awk '/^(```|~~~)/ { m = substr($0, 1, 3)
                    if (!fence) { fence = 1; opened = m; sh = ($0 == "```sh") } else if (m == opened) { fence = 0; sh = 0 }
                    next }
     !fence && /^## / { on = ($0 == "## Walk-through") }
     on && sh' \
  "$SRC/docs/teaching.md" >"$tmp/walkthrough.sh"
grep -q '^SHEET=' "$tmp/walkthrough.sh" || { echo "docs/teaching.md: no SHEET= line in the walk-through"; exit 1; }
[ "$(grep -c fmsolve "$tmp/walkthrough.sh")" -ge 8 ] || { echo "docs/teaching.md: the walk-through is too short"; exit 1; }

for sheet in exercises/discussion11-variants.ini exercises/three-points-unequal-variants.ini \
             exercises/three-points-unequal.ini; do
  dir=$tmp/$(basename "$sheet" .ini)
  mkdir -p "$dir" && cp -r "$SRC/exercises" "$dir/"
  sed "s|^SHEET=.*|SHEET=$sheet|" "$tmp/walkthrough.sh" >"$dir/run.sh"
  (cd "$dir" && PATH="$(dirname "$F"):$PATH" bash -eu run.sh >log 2>&1) || { fail "the walk-through stopped:"; tail -n 5 "$dir/log"; continue; }
  cd "$dir" || exit 2
  for id in ada bob cy; do
    for f in handouts/$id.ini handouts/$id.md handouts/$id.tex feedback/$id.txt solutions/$id.md; do
      [ -s "$f" ] || fail "$f was not made"
    done
  done
  # ada: full marks; bob: one answer short; cy: not graded.
  max=$(awk -F, '$1 == "ada" { print $3 }' grades.csv)
  grep -q "^ada,$max,$max," grades.csv || fail "ada's row: $(grep '^ada' grades.csv)"
  grep -q "^bob,$((max - 1)),$max," grades.csv || fail "bob's row: $(grep '^bob' grades.csv)"
  grep -q "^cy,,$max,.*,missing: no submission" grades.csv || fail "cy's row: $(grep '^cy' grades.csv)"
  grep -q 'exit status 2' log || fail "grade did not exit 2 for the missing sheet"
  grep -q 'ZERO_FOR_TINY\|incorrect' feedback/bob.txt || fail "bob's feedback has no wrong answer"
  python3 -c "
import json, sys
r = json.load(open('ag/results/results.json'))
sys.exit(0 if r['score'] == $max - 1 and any(t['visibility'] == 'after_published' for t in r['tests']) else 1)" ||
    fail "ag/results/results.json: $(head -c 300 ag/results/results.json)"
  cd "$tmp" || exit 2
done
[ $status -eq 0 ] && echo "teaching walk-through: ran on 3 sheets"
exit $status
