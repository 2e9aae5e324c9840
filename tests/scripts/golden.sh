#!/bin/sh
# Golden tests: runs every case under golden/ and compares byte for byte.
#
#   tests/scripts/golden.sh FMSOLVE SRCDIR            compare (exit 1 on any difference)
#   tests/scripts/golden.sh --update FMSOLVE SRCDIR   rewrite the expected files
#
# A case is golden/COMMAND/NAME.args (the arguments, one shell line, run from SRCDIR)
# with NAME.out (expected stdout), and for failures NAME.err (expected
# stderr) and NAME.status (expected exit status; 0 when absent).
# Regenerate after a reviewed change with:  meson compile -C build update-golden
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
bin=$1
src=$2
# The binary may be given relative to the current directory (meson does so).
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
export LC_ALL=C
cd "$src" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for args in golden/*/*.args; do
  name=${args%.args}
  base=${name#golden/}
  # shellcheck disable=SC2046
  eval "set -- $(cat "$args")"
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  status=$?
  if [ $update -eq 1 ]; then
    cp "$tmp/out" "$name.out"
    if [ $status -ne 0 ]; then
      echo $status >"$name.status"; cp "$tmp/err" "$name.err"
    else
      rm -f "$name.status" "$name.err"
    fi
    continue
  fi
  want_status=0
  [ -f "$name.status" ] && want_status=$(cat "$name.status")
  ok=1
  cmp -s "$tmp/out" "$name.out" || ok=0
  [ "$status" = "$want_status" ] || ok=0
  if [ -f "$name.err" ]; then cmp -s "$tmp/err" "$name.err" || ok=0
  elif [ -s "$tmp/err" ]; then ok=0; fi
  if [ $ok -eq 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $base: fmsolve $(cat "$args") (exit $status, expected $want_status)"
    diff -u "$name.out" "$tmp/out" | head -n 40
    [ -f "$name.err" ] && diff -u "$name.err" "$tmp/err" | head -n 10
    [ -f "$name.err" ] || head -n 5 "$tmp/err"
  fi
done
if [ $update -eq 1 ]; then
  echo "golden files updated; review them with 'git diff golden/'"
  exit 0
fi
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
