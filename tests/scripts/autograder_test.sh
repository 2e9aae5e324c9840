#!/bin/sh
# The Gradescope autograder as Gradescope runs it, in a temporary folder:
# `fmsolve autograder` writes the archive; it is unpacked into ROOT/source
# (what Gradescope does), a submission and submission_metadata.json are put
# beside it, and run_autograder runs with AUTOGRADER_ROOT=ROOT and
# FMSOLVE=the binary under test (instead of the one setup.sh would build).
# results.json is checked against Gradescope's specification (python3), and
# the expected answers must not show before publication.
#   autograder_test.sh FMSOLVE SRCDIR
set -u
F=$1
case $F in /*) ;; *) F=$(pwd)/$F ;; esac
SRC=$(cd "$2" && pwd)
T=$SRC/exercises/discussion11-variants.ini
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
status=0
fail() { echo "FAIL: $*"; status=1; }

printf 'autograder-test-secret-0123456789\n' >course.key
"$F" autograder --out autograder.zip --exercises "$T" --secret-file course.key >build.out 2>&1 ||
  fail "autograder --out: $(cat build.out)"

# The archive: the two scripts at the root, executable; the secret owner-only; the sources.
unzip -Z autograder.zip >listing.txt || fail "unzip cannot list autograder.zip"
grep -Eq '^-rwxr-xr-x .* setup\.sh$' listing.txt || fail "setup.sh is not at the root with mode 0755"
grep -Eq '^-rwxr-xr-x .* run_autograder$' listing.txt || fail "run_autograder is not at the root with mode 0755"
grep -Eq '^-rw------- .* secret$' listing.txt || fail "the secret is not owner-only"
for f in exercises.ini fmsolve/meson.build fmsolve/meson_options.txt fmsolve/solver/cli/main.c \
         fmsolve/solver/model/variant.c fmsolve/tools/embed.py fmsolve/tools/srclist.py fmsolve/docs/fmsolve.1; do
  grep -Eq " $f\$" listing.txt || fail "the archive lacks $f"
done
grep -Eq ' fmsolve/(build|tests|golden)' listing.txt && fail "the archive holds build outputs or tests"

# A fresh root per run: ROOT/source (the archive), ROOT/submission, the metadata.
new_root() {
  rm -rf root && mkdir -p root/source root/submission
  (cd root/source && unzip -q ../../autograder.zip) || fail "cannot unpack the archive"
  printf '{"id": 1, "users": [{"email": "%s", "id": 42, "name": "A Student"}], "previous_submissions": []}\n' \
    "$1" >root/submission_metadata.json
}
run_ag() {
  AUTOGRADER_ROOT=$tmp/root FMSOLVE=${2:-$F} bash root/source/run_autograder >run.out 2>run.err
  rc=$?
  [ "$rc" -eq "$1" ] || fail "run_autograder: exit $rc, expected $1: $(cat run.err)"
  [ -s root/results/results.json ] || fail "run_autograder wrote no results.json"
}

# Validates results.json against Gradescope's specification; $1 is the
# expected score, $2 a key file whose values must not appear in visible tests
# of wrong answers ("-" for none).
check_results() {
  python3 - root/results/results.json "$1" "$2" <<'EOF' || fail "results.json: see above"
import json, sys
path, want, keyfile = sys.argv[1], float(sys.argv[2]), sys.argv[3]
r = json.load(open(path, encoding="utf-8"))
top = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
       "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
vis = {"hidden", "after_due_date", "after_published", "visible"}
bad = []
def need(cond, msg):
    if not cond:
        bad.append(msg)
need(isinstance(r, dict), "not an object")
need(set(r) <= top, "unknown top-level keys %s" % (set(r) - top))
need(isinstance(r.get("score"), (int, float)) and not isinstance(r.get("score"), bool), "score is not a number")
need(r.get("score") == want, "score %s, expected %s" % (r.get("score"), want))
need(isinstance(r.get("output", ""), str), "output is not text")
need(r.get("visibility", "visible") in vis, "bad visibility")
need(r.get("stdout_visibility", "hidden") in vis, "bad stdout_visibility")
tests = r.get("tests", [])
need(isinstance(tests, list), "tests is not a list")
keys = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
        "visibility", "extra_data"}
for t in tests:
    need(set(t) <= keys, "unknown test keys %s" % (set(t) - keys))
    need(isinstance(t.get("name"), str), "a test without a name")
    for k in ("score", "max_score"):
        need(isinstance(t.get(k), (int, float)) and not isinstance(t.get(k), bool), "%s: %s is not a number" % (t.get("name"), k))
    need(isinstance(t.get("output"), str), "%s: output is not text" % t.get("name"))
    need(t.get("visibility") in vis, "%s: bad visibility" % t.get("name"))
    need(t.get("status", "passed") in ("passed", "failed"), "%s: bad status" % t.get("name"))
    need(t.get("score", 0) <= t.get("max_score", 0), "%s: score above max_score" % t.get("name"))
if tests:
    need(sum(t["score"] for t in tests) == r["score"], "the tests' scores do not add up to the score")
if keyfile != "-":
    key = dict(l.split(" = ", 1) for l in open(keyfile, encoding="utf-8").read().splitlines() if " = " in l)
    by_name = {t["name"]: t for t in tests}
    wrong = [t["name"] for t in tests if t.get("status") == "failed"]
    need(wrong, "no wrong answer to check")
    # What the student wrote is shown back to them; anything else is ours.
    ours = lambda out: out.split("You wrote: ")[0]
    for name in wrong:
        v = key[name]
        shown = [t["name"] for t in tests if t["visibility"] != "after_published" and v in ours(t["output"])]
        need(not shown, "%s: the answer %s shows in %s before publication" % (name, v, shown))
        need(v not in r.get("output", ""), "%s: the answer %s shows in the summary" % (name, v))
        ans = by_name.get(name + ": the expected answer")
        need(ans is not None and ans["visibility"] == "after_published" and v in ans["output"],
             "%s: no after_published test with the answer" % name)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

# 1. The right answers of the student's own variant: full marks.
"$F" variant --student ada@example.org --secret-file course.key --exercises "$T" >ada.ini
"$F" key --exercises ada.ini >ada.key
new_root ada@example.org
cp ada.key root/submission/answers.txt
run_ag 0
check_results 30 -
grep -q 'variant of ada@example.org' root/results/results.json || fail "the results do not name the variant"

# 2. Some wrong answers: right or wrong and why, the answer only after publication.
new_root ada@example.org
sed -e 's/^\(1\.3a\.B\) = .*/\1 = 1/' -e 's/^\(1\.3c\.B\) = .*/\1 = 0/' -e 's/^\(1\.2b\.A\) = \(.*\)/\1 = -(\2)/' \
    -e 's/^2\.1 = .*/2.1 = (x_t + eps)\/t/' ada.key >root/submission/sheet.txt
run_ag 0
check_results 26 ada.key
grep -q 'ZERO_FOR_TINY' root/results/results.json || fail "the reason code is not shown"

# 3. The same sheet from another student: graded on that student's variant.
new_root bob@example.org
cp ada.key root/submission/answers.txt
run_ag 0
python3 -c "import json,sys; sys.exit(json.load(open('root/results/results.json'))['score'] >= 30)" ||
  fail "ada's key got full marks on bob's variant"

# 4. What cannot be graded still gets results.json, with score 0 and why.
new_root ada@example.org
run_ag 0
check_results 0 -
grep -q 'No file was submitted' root/results/results.json || fail "empty submission: $(cat root/results/results.json)"
new_root ada@example.org
printf 'x\0y' >root/submission/answers.txt
run_ag 0
check_results 0 -
grep -q 'NUL' root/results/results.json || fail "binary submission: $(cat root/results/results.json)"
new_root ada@example.org
cp ada.key root/submission/a.txt && cp ada.key root/submission/b.txt
run_ag 0
check_results 0 -

# 5. A broken autograder says so to the student and fails for the staff.
new_root ada@example.org
rm root/source/secret
cp ada.key root/submission/answers.txt
run_ag 2
check_results 0 -
grep -q 'course staff' root/results/results.json || fail "a missing secret is not reported as the staff's problem"
grep -q 'secret' run.err || fail "run_autograder's stderr does not name the secret: $(cat run.err)"
new_root ada@example.org
run_ag 1 "$tmp/no-fmsolve"
check_results 0 -

# 6. Without a secret, a plain sheet: everyone on the same set; a template is refused.
"$F" autograder --out plain.zip --exercises "$SRC/exercises/three-points-unequal.ini" >/dev/null 2>&1 ||
  fail "autograder of a plain sheet"
unzip -l plain.zip | grep -q ' secret$' && fail "a plain autograder holds a secret"
"$F" autograder --out t.zip --exercises "$T" >t.out 2>t.err && fail "a template without a secret was accepted"
[ -e t.zip ] && fail "a refused autograder left t.zip"
"$F" autograder --out no/such/dir/a.zip >t.out 2>t.err && fail "an unwritable archive path was accepted"
[ "$(wc -l <t.err)" -eq 1 ] || fail "unwritable archive: $(cat t.err)"

[ $status -eq 0 ] && echo "autograder: all checks passed"
exit $status
