#!/bin/sh
# The README's two quick-start commands are the ones .ci/run runs: each line
# that follows a "# --- README quick start, command N" marker in .ci/run must
# appear, whole, as a line of README.md.
#   quickstart_sync.sh SRCDIR
set -u
src=$1
# The line after each marker, one per output line.
commands=$(awk 'marker { print; marker = 0 } /^# --- README quick start, command/ { marker = 1 }' "$src/.ci/run")
n=$(printf '%s\n' "$commands" | grep -c .)
if [ "$n" -ne 2 ]; then
  echo ".ci/run has $n quick-start commands after the markers, expected 2"
  exit 1
fi
status=0
printf '%s\n' "$commands" | {
  while IFS= read -r line; do
    if ! grep -qxF -- "$line" "$src/README.md"; then
      echo "README.md lacks this line, which .ci/run runs as a quick-start command:"
      echo "  $line"
      status=1
    fi
  done
  exit $status
}
