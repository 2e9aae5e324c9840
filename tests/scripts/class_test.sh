#!/bin/sh
# Per-student variants and class grading as a TA runs them (fmsolve variant,
# fmsolve grade): seeds are keyed (the variant changes with the secret, and
# the secret appears in no output), reproducible (--student gives the roster's
# file again), and bad input ends in exit 2 with a clear message and nothing
# half-written.
#   class_test.sh FMSOLVE SRCDIR
set -u
F=$1
case $F in /*) ;; *) F=$(pwd)/$F ;; esac
SRC=$(cd "$2" && pwd)
T=$SRC/exercises/discussion11-variants.ini
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
status=0
fail() { echo "FAIL: $*"; status=1; }

# Runs fmsolve with the arguments; keeps stdout in LAST.out, stderr in
# LAST.err (and appends both to all.log, searched for the secret at the end).
run() {
  "$F" "$@" >LAST.out 2>LAST.err
  rc=$?
  cat LAST.out LAST.err >>all.log
  return $rc
}

# A bad input: exit 2, one line on stderr matching $1, nothing on stdout.
bad() {
  want=$1; shift
  run "$@"; rc=$?
  [ $rc -eq 2 ] || fail "fmsolve $*: exit $rc, expected 2"
  [ -s LAST.out ] && fail "fmsolve $*: wrote on stdout: $(head -c 200 LAST.out)"
  [ "$(wc -l <LAST.err)" -eq 1 ] || fail "fmsolve $*: stderr is not one line: $(cat LAST.err)"
  grep -qF -- "$want" LAST.err || fail "fmsolve $*: stderr lacks '$want': $(cat LAST.err)"
}

printf 'id,name\nada,Ada\nbob,"Bob, Jr."\ncy,Cy\n' >roster.csv
printf 'first-course-secret-0123456789\n' >k1
printf 'second-course-secret-9876543210\n' >k2

# ---- keyed and reproducible ---------------------------------------------------
run variant --roster roster.csv --secret-file k1 --out v1 --exercises "$T" || fail "variant k1: $(cat LAST.err)"
run variant --roster roster.csv --secret-file k2 --out v2 --exercises "$T" || fail "variant k2: $(cat LAST.err)"
run variant --roster roster.csv --secret-file k1 --out v1b --exercises "$T" || fail "variant k1 again"
for id in ada bob cy; do
  for ext in ini md tex; do
    [ -s "v1/$id.$ext" ] || fail "v1/$id.$ext is missing"
  done
done
diff -r v1 v1b >/dev/null || fail "the same secret gave other files"
changed=0
for id in ada bob cy; do cmp -s "v1/$id.ini" "v2/$id.ini" || changed=$((changed + 1)); done
[ $changed -ge 2 ] || fail "another secret changed only $changed of 3 variants"
run variant --student bob --secret-file k1 --exercises "$T"
cmp -s LAST.out v1/bob.ini || fail "--student bob differs from the roster's bob.ini"
cmp -s v1/ada.ini v1/bob.ini && cmp -s v1/bob.ini v1/cy.ini && fail "all three students got the same variant"
grep -q '^1.1a.A =$' v1/ada.md || fail "the handout lacks the answer sheet"
run variant --roster roster.csv --secret-file k1 --out va --with-answers --exercises "$T"
grep -q '⇒' va/ada.md || fail "--with-answers: no worked answers in va/ada.md"

# ---- a class graded in one command ----------------------------------------------
mkdir subs
for id in ada cy; do "$F" key --exercises "v1/$id.ini" >"subs/$id.txt"; done
"$F" key --exercises v1/bob.ini | sed 's/^1.3c.B = .*/1.3c.B = 0/' >subs/bob_hw.txt
run grade subs --roster roster.csv --secret-file k1 --csv grades.csv --feedback fb --exercises "$T"
[ $? -eq 0 ] || fail "grade: $(cat LAST.err)"
grep -q '^graded 3 of 3 students; grades in grades.csv$' LAST.out || fail "grade summary: $(cat LAST.out)"
grep -q '^ada,30,30,' grades.csv || fail "ada's row: $(grep ^ada grades.csv)"
grep -q '^bob,29,30,' grades.csv || fail "bob's row: $(grep ^bob grades.csv)"
grep -q 'ZERO_FOR_TINY' fb/bob.txt || fail "bob's feedback lacks the reason"
# Every student graded on their own variant: ada's key fails on bob's.
cp subs/ada.txt subs2_bob.txt
mkdir subs2 && mv subs2_bob.txt subs2/bob.txt
run grade subs2 --roster roster.csv --secret-file k1 --csv g2.csv --exercises "$T"
grep -q '^bob,30,' g2.csv && fail "ada's answers got full marks on bob's variant"

# ---- the secret is written nowhere ---------------------------------------------------
for k in k1 k2; do
  s=$(head -n 1 $k)
  if grep -rlF -- "$s" . | grep -v "^\./$k\$"; then fail "the secret of $k is in the files above"; fi
done

# ---- bad input: one line, exit 2, nothing half-written ------------------------------------
printf 'id\nada\nbob\nada\n' >dup.csv
bad "dup.csv:4: id 'ada' appears twice (first at line 2)" variant --roster dup.csv --secret-file k1 --out o1 --exercises "$T"
printf 'id,name\nada,A\n ,B\n' >empty.csv
bad "empty.csv:3: the id is empty" variant --roster empty.csv --secret-file k1 --out o1 --exercises "$T"
bad "empty.csv:3: the id is empty" grade subs --roster empty.csv --secret-file k1 --csv o1.csv --exercises "$T"
bad "nokey: cannot open the secret file" variant --roster roster.csv --secret-file nokey --out o1 --exercises "$T"
: >emptykey
bad "emptykey: the secret file is empty" variant --roster roster.csv --secret-file emptykey --out o1
bad "emptykey: the secret file is empty" grade subs --roster roster.csv --secret-file emptykey --csv o1.csv
bad "has choices: give the course secret" grade subs --roster roster.csv --csv o1.csv --exercises "$T"
[ -e o1 ] || [ -e o1.csv ] && fail "a refused run left o1 or o1.csv"
bad "roster.csv/out: cannot create the folder" variant --roster roster.csv --secret-file k1 --out roster.csv/out --exercises "$T"
bad "roster.csv/grades.csv: cannot create the file" grade subs --roster roster.csv --secret-file k1 --csv roster.csv/grades.csv --exercises "$T"
bad "roster.csv/fb: cannot create the folder" grade subs --roster roster.csv --secret-file k1 --csv o1.csv --feedback roster.csv/fb --exercises "$T"
if [ "$(id -u)" -ne 0 ]; then # root writes into read-only folders
  mkdir ro && chmod 555 ro
  bad "ro: cannot write into the folder" variant --roster roster.csv --secret-file k1 --out ro --exercises "$T"
fi

# Submissions that cannot be graded are reported, the others graded, exit 2.
mkdir bad_subs
cp subs/ada.txt bad_subs/ada.txt
printf '1.1a.A = 1\n\0\001\002' >bad_subs/bob.txt                         # binary
head -c 1100000 /dev/zero | tr '\0' '#' >bad_subs/cy_huge.txt           # over 1 MiB
cp subs/ada.txt bad_subs/zed.txt                                       # named for no one
run grade bad_subs --roster roster.csv --secret-file k1 --csv bad.csv --exercises "$T"
[ $? -eq 2 ] || fail "grade of bad submissions: exit $rc, expected 2"
grep -q "^bad_subs/zed.txt: named for no student" LAST.err || fail "zed.txt not reported: $(cat LAST.err)"
grep -q "^roster.csv:3: student 'bob': .*NUL" LAST.err || fail "binary bob.txt not reported: $(cat LAST.err)"
grep -q "^roster.csv:4: student 'cy': .*larger than" LAST.err || fail "huge cy_huge.txt not reported: $(cat LAST.err)"
grep -q '^ada,30,30,' bad.csv || fail "ada was not graded beside the bad submissions"
grep -q '^bob,,30,' bad.csv || fail "bob's row: $(grep ^bob bad.csv)"
[ -s LAST.out ] && fail "a class with problems wrote on stdout"

leftover=$(find . -name '.fms.*')
[ -z "$leftover" ] || fail "temporary files left behind: $leftover"
[ $status -eq 0 ] && echo "class: all checks passed"
exit $status
