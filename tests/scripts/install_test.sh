#!/bin/sh
# `meson install` into a temporary DESTDIR installs a working fmsolve, its man
# page and its bash completion.
#   install_test.sh BUILDDIR SRCDIR        (MESON: the meson command, default meson)
set -eu
build=$1 src=$2
meson=${MESON:-meson}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fail() { echo "install_test: $*"; exit 1; }

DESTDIR=$dest $meson install -C "$build" --no-rebuild --quiet >"$dest.log" 2>&1 ||
  { cat "$dest.log"; rm -f "$dest.log"; fail "meson install failed"; }
rm -f "$dest.log"

# Exactly one of each, under the configured prefix (/usr/local by default).
find_one() {
  found=$(find "$dest" -path "$1" -type f)
  [ -n "$found" ] || fail "nothing matching $1 was installed"
  [ "$(printf '%s\n' "$found" | wc -l)" -eq 1 ] || fail "several files match $1: $found"
  printf '%s\n' "$found"
}
bin=$(find_one '*/bin/fmsolve')
man=$(find_one '*/man1/fmsolve.1')
completion=$(find_one '*/bash-completion/completions/fmsolve')

[ -x "$bin" ] || fail "$bin is not executable"
want=$("$build/solver/fmsolve" --version)
got=$("$bin" --version) || fail "$bin --version failed"
[ "$got" = "$want" ] || fail "$bin --version printed '$got', expected '$want'"
"$bin" key | grep -q '^1.3c.B = ' || fail "$bin key does not print the key"
cmp -s "$man" "$src/docs/fmsolve.1" || fail "$man differs from docs/fmsolve.1"
cmp -s "$completion" "$src/tools/fmsolve-completion.bash" || fail "$completion differs from tools/fmsolve-completion.bash"

# The completion loads in a plain bash and completes a command word.
if command -v bash >/dev/null 2>&1; then
  words=$(bash -c '. "$1"; COMP_WORDS=(fmsolve pl); COMP_CWORD=1; _fmsolve; echo "${COMPREPLY[*]}"' _ "$completion")
  [ "$words" = plot ] || fail "the bash completion of 'fmsolve pl' gave '$words', expected 'plot'"
fi
echo "installed: ${bin#"$dest"}, ${man#"$dest"}, ${completion#"$dest"}"
