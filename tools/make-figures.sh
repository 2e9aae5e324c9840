#!/bin/sh
# Regenerates the figures shown in docs/figures.md: the three figures of the
# built-in seed sheet and of the variant exercises/three-points-unequal.ini, as PNG at
# the default size (1200x800), with the default seed, and two figures of special
# sets (tests/data/sets/tiny-spread.ini, close-points.ini).
#
#   tools/make-figures.sh [BUILD_DIR]      (default: build, in the source root)
#
# The PNGs are documentation and are committed; rerun this after a change
# that alters the figures and review them before committing.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
fmsolve=$build/solver/fmsolve
if [ ! -x "$fmsolve" ]; then
  echo "make-figures: $fmsolve not found: build first (meson setup build && meson compile -C build)" >&2
  exit 2
fi
cd "$src"
mkdir -p docs/figures
for fig in field posterior samples; do
  "$fmsolve" plot "$fig" --out "docs/figures/$fig.png"
  "$fmsolve" plot "$fig" --exercises exercises/three-points-unequal.ini --out "docs/figures/variant3-$fig.png"
  echo "docs/figures/$fig.png docs/figures/variant3-$fig.png"
done
# Two figures of docs/figures.md: data the default sampler cannot resolve by
# Euler (with its warning on stderr), and labels of close points.
"$fmsolve" plot samples --method euler --exercises tests/data/sets/tiny-spread.ini --out docs/figures/tiny-samples.png
"$fmsolve" plot field --exercises tests/data/sets/close-points.ini --out docs/figures/close-field.png
echo "docs/figures/tiny-samples.png docs/figures/close-field.png"
# The benchmark's plot (docs/figures/samplers.png) is made by bench/samplers.py.
