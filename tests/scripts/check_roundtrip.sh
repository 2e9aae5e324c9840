#!/bin/sh
# Round trip of `fmsolve check`: the key that fmsolve writes for an exercise
# set must grade all correct against the same set (exit 0, score N/N).
#
#   tests/scripts/check_roundtrip.sh FMSOLVE SRCDIR
set -u
bin=$1
src=$2
export LC_ALL=C
cd "$src" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for set in builtin tests/data/sets/near-one-tiny-shares.ini tests/data/sets/three-points-t0.ini tests/data/sets/one-point.ini \
    exercises/discussion11-cosine.ini exercises/discussion11-vp.ini exercises/conversions.ini \
    exercises/discussion11-diffusers.ini; do
  if [ "$set" = builtin ]; then opt=""; else opt="--exercises $set"; fi
  # shellcheck disable=SC2086
  "$bin" key $opt >"$tmp/key" || { echo "FAIL $set: fmsolve key"; fail=1; continue; }
  n=$(grep -c ' = ' "$tmp/key")
  # shellcheck disable=SC2086
  "$bin" check $opt "$tmp/key" >"$tmp/out" 2>"$tmp/err"
  status=$?
  # The same key read from standard input, with CRLF line ends.
  sed 's/$/\r/' "$tmp/key" | "$bin" check $opt - >"$tmp/out2" 2>>"$tmp/err"
  status2=$?
  if [ $status -ne 0 ] || [ $status2 -ne 0 ] || ! grep -qx "score: $n/$n points" "$tmp/out" ||
     ! cmp -s "$tmp/out" "$tmp/out2" || [ -s "$tmp/err" ]; then
    echo "FAIL $set: exit $status/$status2, $(tail -n 1 "$tmp/out") (expected score: $n/$n points)"
    grep -v ' correct ' "$tmp/out" | head -n 20
    head -n 5 "$tmp/err"
    fail=1
  else
    echo "ok $set: score $n/$n"
  fi
done
exit $fail
