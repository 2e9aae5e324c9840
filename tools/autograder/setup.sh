#!/usr/bin/env bash
# Made by `fmsolve autograder` (tools/autograder/setup.sh).  Gradescope runs
# this once, as root, when it builds the autograder's image (Ubuntu 22.04 or
# later): it installs what fmsolve needs to build and builds it from the
# sources in fmsolve/ beside this script.  Nothing else is downloaded.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")/fmsolve"
apt-get update
apt-get install -y build-essential meson ninja-build pkg-config python3 python3-pip libgsl-dev libinih-dev libjansson-dev libcairo2-dev nettle-dev libzip-dev
# fmsolve needs meson 1.0 or later; Ubuntu 22.04 has 0.61: take a newer one from PyPI then.
if ! meson --version | awk -F. '{ exit !($1 >= 1) }'; then
  python3 -m pip install 'meson>=1.0'
  hash -r
fi
meson setup build -Dtests=false --buildtype=release
meson compile -C build
build/solver/fmsolve --version
