#!/bin/sh
# A short libFuzzer run for `meson test --suite fuzz` (fuzz builds only):
# starts from the committed corpus and writes new inputs to a temporary
# directory, so the source tree is never changed.
#   fuzz/fuzz_short.sh FUZZER CORPUS [SECONDS]
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec_time=${3:-20}
"$1" -max_total_time="$exec_time" -max_len=4096 -timeout=10 -artifact_prefix="$tmp/" "$tmp" "$2"
