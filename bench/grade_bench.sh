#!/bin/sh
# Benchmark (not a test): `fmsolve grade` of a class of N students (default
# 1000), each sheet graded against the student's own variant of the
# Discussion 11 template, in one process, with and without feedback files.
#   bench/grade_bench.sh [FMSOLVE] [N]
# Prints the wall time of each run.  Every sheet is the same answer key (of
# one variant), so most answers are wrong on the other variants: grading
# wrong answers (reason codes, feedback) is the slower path.
set -eu
F=${1:-build/solver/fmsolve}
case $F in /*) ;; *) F=$(pwd)/$F ;; esac
N=${2:-1000}
src=$(cd "$(dirname "$0")/.." && pwd)
T=$src/exercises/discussion11-variants.ini
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
printf 'bench-secret-0123456789abcdef\n' >course.key
echo id >roster.csv
i=0
while [ $i -lt "$N" ]; do echo "s$i" >>roster.csv; i=$((i + 1)); done
mkdir subs
"$F" variant --student s0 --secret-file course.key --exercises "$T" >s0.ini
"$F" key --exercises s0.ini >key.txt
i=0
while [ $i -lt "$N" ]; do cp key.txt "subs/s$i.txt"; i=$((i + 1)); done

now() { date +%s.%N; }
for mode in csv feedback; do
  extra=""
  [ $mode = feedback ] && extra="--feedback fb"
  t0=$(now)
  # shellcheck disable=SC2086
  "$F" grade subs --roster roster.csv --secret-file course.key --csv grades.csv --exercises "$T" $extra >/dev/null
  t1=$(now)
  echo "$N sheets, $mode: $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }") s"
done
graded=$(grep -c ',graded' grades.csv)
echo "$graded of $N students graded"
