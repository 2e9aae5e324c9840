#!/bin/bash
# Hostile input at scale (issue 14): inputs a hostile user would send, at the
# sizes that used to cost quadratic time or unbounded memory, and the
# documented outcome of each (docs/limits.md).
#
#   tests/scripts/hostile.sh FMSOLVE SRCDIR
#
# Every case asserts the exit status and, for exit 2 (and 130), exactly one
# line on stderr without a raw control character and nothing on stdout; a
# time limit; and, where a file is written, no partial or temporary file.
# Classes: quadratic-load sizes, the amplifier (2,000 points x 2,000
# exercises x 26 share parts in 366 KB) and its kin, control characters in
# labels, ids and file names, /dev/full, a 250-byte file name for plot --out,
# the budgets, Ctrl-C, and docs/limits.md against `fmsolve --limits`.
#
# Quick by default (a few seconds); FMS_LONG=1 (CI) adds the issue's full
# sizes (100,000 points, 10,000 exercises, 1 MiB sheets) and, in a build
# without sanitizers, its time targets in CPU time: 100,000 points load and
# query in under half a second and key in under a second (0.4 s and 0.25 s
# on the 2-core machine of 2026-11), the amplifier is refused in under a
# second, and no run takes more than 600 MB.
set -u
fmsolve=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
long=${FMS_LONG:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fails=0 cases=0

# Sanitized builds run several times slower: only the generous limits apply there.
sanitized=0
if ldd "$fmsolve" 2>/dev/null | grep -q 'lib[at]san\|libubsan'; then sanitized=1; fi

# run SECONDS STDIN COMMAND...: runs COMMAND with a time limit; sets $status,
# $secs (wall), $cpu (user + system seconds), $rss (KB, max resident set) and
# the files out and err.
run() {
  local limit=$1 input=$2
  shift 2
  python3 - "$limit" "$input" "$@" > meas <<'EOF'
import resource, subprocess, sys, time
limit, inp, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
t = time.monotonic()
with open(inp, "rb") as i, open("out", "wb") as o, open("err", "wb") as e:
    try:
        status = subprocess.run(cmd, stdin=i, stdout=o, stderr=e, timeout=limit).returncode
    except subprocess.TimeoutExpired:
        status = "timeout"
secs = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(status, "%.3f" % secs, "%.3f" % (r.ru_utime + r.ru_stime), r.ru_maxrss)
EOF
  read -r status secs cpu rss < meas
}

fail() {
  echo "FAIL $case: $*"
  fails=$((fails + 1))
}

# check NAME WANT_STATUS [GREP]: the outcome of the last run.  Exit 2 and
# 130: one line on stderr (matching GREP when given), no control byte in it,
# nothing on stdout.
check() {
  case=$1
  local want=$2 pattern=${3:-}
  cases=$((cases + 1))
  [ -n "${FMS_HOSTILE_VERBOSE:-}" ] && echo "$case: exit $status, $secs s ($cpu s CPU), $((rss / 1024)) MB"
  if [ "$status" != "$want" ]; then
    fail "exit $status, expected $want ($secs s); stderr: $(head -c 300 err)"
    return
  fi
  if [ "$want" = 2 ] || [ "$want" = 130 ]; then
    [ -s out ] && fail "wrote $(wc -c < out) bytes on stdout"
    [ "$(wc -l < err)" = 1 ] && [ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ] \
      || fail "stderr is not one line: $(head -c 300 err | od -c | head -5)"
    LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' < err) && fail "stderr holds a control byte: $(od -c err | head -3)"
  fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" err; then
    fail "stderr does not say '$pattern': $(head -c 300 err)"
  fi
}

# within NAME SECONDS [MB]: the last run's time (and memory) limits.
within() {
  awk -v s="$secs" -v m="$2" 'BEGIN { exit !(s <= m) }' || fail "$1 took $secs s (limit $2 s)"
  # AddressSanitizer's shadow memory and quarantine: four times the memory.
  local mb=${3:-}
  [ -n "$mb" ] && [ $sanitized = 1 ] && mb=$((mb * 4))
  if [ -n "$mb" ] && [ "$rss" -gt $((mb * 1024)) ]; then fail "$1 took $((rss / 1024)) MB (limit $mb MB)"; fi
}

# target NAME SECONDS MB: the issue's targets, in CPU time (robust on a busy
# machine), for builds without sanitizers.
target() {
  [ $sanitized = 1 ] && return
  awk -v s="$cpu" -v m="$2" 'BEGIN { exit !(s <= m) }' || fail "$1 took $cpu s of CPU (target $2 s)"
  [ "$rss" -gt $(($3 * 1024)) ] && fail "$1 took $((rss / 1024)) MB (target $3 MB)"
}

# Inputs, generated here.  gen POINTS EXERCISES PARTS > FILE: short labels in
# base 52; real (longer) lines are the 'points as people write them' case.
gen() {
  python3 - "$@" <<'EOF'
import string, sys
k, e, parts = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
L = string.ascii_letters
def lab(i):
    s = L[i % 52]; i //= 52
    while i: s += L[i % 52]; i //= 52
    return s
out = ["[data]"] + ["%s=%d" % (lab(i), i % 10) for i in range(k)]
for i in range(e):
    out += ["[%d]" % (i + 1), "t=.5", "x_t=.25", "parts=" + parts]
sys.stdout.write("\n".join(out) + "\n")
EOF
}
: > empty
all4=eps,target,share,limit
share26=$(printf 'share,%.0s' $(seq 25))share

# ---- quadratic-load sizes: linear now ------------------------------------------
if [ "$long" = 1 ]; then sizes="20000 100000"; else sizes="10000"; fi
for k in $sizes; do
  gen "$k" 1 "$all4" > k.ini
  run 10 empty "$fmsolve" -e k.ini key
  check "key, $k points" 0; within "key, $k points" 5
  # The key proves every digit it prints (model/exact): about 0.35 s of CPU
  # here in 2026-11 (0.9 s before its digits were rounded without printf).
  [ "$k" = 100000 ] && target "key, $k points" 1 600
  head -c 1000000 out | sed '$d' > sheet.txt
  run 10 empty "$fmsolve" -e k.ini query --t 0.5 --x 0.25
  check "query, $k points" 0; within "query, $k points" 5
  [ "$k" = 100000 ] && target "query, $k points" 0.5 600
  run 20 empty "$fmsolve" -e k.ini check sheet.txt
  check "check a 1 MB sheet, $k points" 1; within "check, $k points" 10 600
  # Repeated ratio lines of a group cost no pass over the labels.
  yes '1.1c = 1 : 2' | head -c 1000000 | sed '$d' > ratios.txt
  run 20 empty "$fmsolve" -e k.ini check ratios.txt
  check "check 1 MB of ratio lines, $k points" 1; within "ratio lines, $k points" 10 600
done
# Points as people write them (label, value and probability, 31 bytes a line):
# 100,000 of them are 3 MB, inside exercise-file-bytes; past it, a file is
# refused by its size before it is read.
if [ "$long" = 1 ]; then k=100000; else k=10000; fi
python3 -c "
import sys
sys.stdout.write('[data]\n' + ''.join('x%05d = %.9f, %.5f\n' % (i, (i * 0.618034) % 6 - 3, 1e-5 * (1 + i % 9))
                 for i in range($k)) + '[1.1]\nt = 0.5\nx_t = 0.3\nparts = eps, target, share, limit\n')" > real.ini
run 10 empty "$fmsolve" -e real.ini key
check "key, $k points as people write them" 0; within "key, $k real points" 5
[ "$k" = 100000 ] && target "key, $k real points" 1 600
head -c 8388609 /dev/zero | tr '\0' '#' > huge.ini
run 5 empty "$fmsolve" -e huge.ini key
check "an exercise file of 8 MiB + 1" 2 "huge.ini: the file has 8388609 bytes; an exercise file holds at most 8388608 (exercise-file-bytes)"
within "refused by its size" 1
if [ "$long" = 1 ]; then nex=10000; else nex=1000; fi
gen 2 "$nex" "$all4" > ex.ini
for fmt in text json; do
  run 30 empty "$fmsolve" -e ex.ini --all --format "$fmt"
  check "--all --format $fmt, $nex exercises" 0; within "--all $fmt, $nex exercises" 30 600
  # 1.5 s and 2.4 s here (2026-11); wall time on a loaded machine is several times that.
  [ "$nex" = 10000 ] && target "--all $fmt, $nex exercises" 6 600
done

# ---- the amplifier and its kin: refused before the work ------------------------
gen 2000 2000 "$share26" | sed 's/^x_t=.25$/x_t=0/' > amp.ini
size=$(wc -c < amp.ini)
[ "$size" -lt 450000 ] || { case="amplifier size"; fail "amp.ini is $size bytes"; }
for cmd in key --all; do
  run 10 empty "$fmsolve" -e amp.ini $cmd
  check "amplifier ($size bytes): $cmd" 2 "104000000 items; the limit is 500000"
  within "amplifier $cmd" 2 200
  target "amplifier $cmd" 1 200
done
run 10 empty "$fmsolve" -e amp.ini check empty
check "amplifier: check" 2 "104000000 items"
run 10 empty "$fmsolve" -e amp.ini list
check "amplifier: list needs no key" 0
gen 1000 3000 limit > terms.ini
run 10 empty "$fmsolve" -e terms.ini key
check "engine terms (3,000 limit parts x 1,000 points)" 2 "engine terms"
run 10 empty "$fmsolve" -e terms.ini train --steps 1000
check "engine terms: train's report" 2 "engine terms"
gen 100000 1 "$all4" > k5.ini
run 20 empty "$fmsolve" -e k5.ini --all
check "memory of the worked answers of 300,002 items" 2 "bytes of memory; the limit is 805306368"
gen 2 10001 eps > many.ini
run 10 empty "$fmsolve" -e many.ini key
check "10,001 exercises" 2 "a set holds at most 10000"
python3 -c "
import sys; sys.stdout.write('[data]\n' + ''.join('p%d=1\n' % i for i in range(100001)) + '[1]\nt=0\nx_t=0\nparts=eps\n')" > points.ini
run 10 empty "$fmsolve" -e points.ini key
check "100,001 points" 2 "a set holds at most 100000"
run 10 empty "$fmsolve" -e tests.ini key
check "missing file" 2 "cannot open"
gen 1000 1 eps > k1000.ini
run 10 empty "$fmsolve" -e k1000.ini plot field --size 1000x1000 --out big.png
check "plot: heat-map terms" 2 "engine terms (pixels times points); the limit is 200000000"
gen 1001 1 eps > k1001.ini
run 10 empty "$fmsolve" -e k1001.ini plot samples --out pts.png
check "plot: 1,001 data points" 2 "a figure draws at most 1000"
[ -e big.png ] && fail "plot left big.png"
run 10 empty "$fmsolve" plot field --trajectories 100000 --steps 5000 --out curves.svg
check "plot: SVG curves" 2 "would make an SVG"
if [ "$long" = 1 ]; then # cairo strokes 20 million points: a minute under sanitizers
  run 300 empty "$fmsolve" plot field --trajectories 20000 --steps 1000 --size 300x200 --out curves.png --quiet
  check "plot: 20,000 curves in bounded batches" 0; within "plot 20,000 curves" 300 300
fi

# ---- control characters in labels, ids, file names ------------------------------
printf '[data]\nA\033[31m = 1\n[1.1]\nt=0\nx_t=0\nparts=eps\n' > esc_label.ini
run 5 empty "$fmsolve" -e esc_label.ini key
check "escape in a label" 2 'A\\x1b\[31m'
printf '[data]\nA = 1\n[1\033]2J.1]\nt=0\n' > esc_id.ini
run 5 empty "$fmsolve" -e esc_id.ini key
check "escape in an exercise id" 2 '\\x1b'
printf '[data]\nA = 1\nA = 2\n' > "$(printf 'new\nline.ini')"
run 5 empty "$fmsolve" -e "$(printf 'new\nline.ini')" key
check "newline in a file name" 2 'new\\nline.ini:3: data label'
run 5 empty "$fmsolve" "$(printf '1.9\n\033[2Jfake: line')"
check "control characters in an id on the command line" 2 '\\n\\x1b\[2Jfake'
run 5 empty "$fmsolve" query --t 0.5 --x 0 --data "$(printf 'A\r=1,B=\302\2332')"
check "C1 control and CR in --data" 2 '\\r'
run 5 empty "$fmsolve" "$(printf -- '--bad\tflag')"
check "a tab in an option" 2 'bad\\tflag'
run 5 empty "$fmsolve" check "$(printf 'esc\033.txt')"
check "escape in a missing sheet's name" 2 'esc\\x1b.txt'

# ---- /dev/full: every write is checked ------------------------------------------
for args in "--help" "--version" "key" "list" "1.3" "query --t 0.5 --x 0" "check --help" "plot --help" \
            "simulate 1.3 --samples 1000 --quiet" "train --steps 1000 --quiet" "sample --particles 1000 --quiet"; do
  case="/dev/full: $args"
  cases=$((cases + 1))
  # shellcheck disable=SC2086
  "$fmsolve" $args > /dev/full 2> err < /dev/null
  st=$?
  [ $st = 2 ] || fail "exit $st, expected 2"
  [ "$(wc -l < err)" = 1 ] && grep -q 'cannot write the output: No space left on device' err \
    || fail "stderr: $(head -c 200 err)"
done

# ---- files: a 250-byte name, and no partial file --------------------------------
name=$(printf 'n%.0s' $(seq 246)).png
run 20 empty "$fmsolve" plot posterior --size 200x200 --out "$name"
check "plot --out, a 250-byte name" 0
[ -s "$name" ] || fail "no $name"
if [ "$(id -u)" != 0 ]; then # root may write anywhere
  mkdir ro && chmod 555 ro
  run 10 empty "$fmsolve" plot field --out ro/f.png
  check "plot into a read-only directory" 2 "cannot create"
fi
run 10 empty "$fmsolve" plot field --out nodir/f.png
check "plot into a missing directory" 2 "cannot create nodir/f.png"
ls -A | grep -q '^\.fms\.' && { case="temporary files"; fail "left $(ls -A | grep '^\.fms\.')"; }

# ---- Ctrl-C: a clean stop ---------------------------------------------------------
interrupt() { # interrupt SECONDS COMMAND...: SIGINT after SECONDS
  local after=$1
  shift
  "$@" > out 2> err < /dev/null &
  local pid=$!
  sleep "$after"
  kill -INT $pid
  wait $pid
  status=$?
}
interrupt 0.5 "$fmsolve" sample --particles 10000000000 --quiet
check "Ctrl-C in sample" 130 "fmsolve: interrupted"
interrupt 0.5 "$fmsolve" plot field --trajectories 1000000 --steps 100000 --out stop.png --quiet
check "Ctrl-C in plot" 130 "fmsolve: interrupted"
[ -e stop.png ] && fail "plot left stop.png"
ls -A | grep -q '^\.fms\.' && fail "plot left $(ls -A | grep '^\.fms\.')"
"$fmsolve" plot field --trajectories 1000000 --steps 100000 --out term.png --quiet 2> err &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
case="SIGTERM in plot"
cases=$((cases + 1))
ls -A | grep -q '^\.fms\.\|^term.png$' && fail "plot left $(ls -A | grep '^\.fms\.\|^term.png$')"

# ---- docs/limits.md and the man page name the code's limits -----------------------
"$fmsolve" --limits > limits.txt
python3 - "$src/docs/limits.md" "$src/docs/fmsolve.1" limits.txt <<'EOF' || { case="limits tables"; fail "see above"; }
import re, sys
doc, man, code = sys.argv[1:]
code = dict(line.split() for line in open(code))
md = {}
for line in open(doc, encoding="utf-8"):
    m = re.match(r"\|\s*`([a-z0-9-]+)`\s*\|\s*([0-9]+)\s*\|", line)
    if m:
        md[m.group(1)] = m.group(2)
bad = 0
for name in sorted(set(code) | set(md)):
    if code.get(name) != md.get(name):
        print("docs/limits.md: %s is %s, the code says %s" % (name, md.get(name), code.get(name)))
        bad = 1
text = open(man, encoding="ascii").read()
table = text[text.index(".TS"):text.index(".TE")]
for line in table.splitlines():
    cells = line.split("\t")
    if len(cells) >= 2 and cells[1].isdigit():
        if code.get(cells[0]) != cells[1]:
            print("docs/fmsolve.1: %s is %s, the code says %s" % (cells[0], cells[1], code.get(cells[0])))
            bad = 1
sys.exit(bad)
EOF
cases=$((cases + 1))

echo "hostile: $cases cases, $fails failed (FMS_LONG=$long, sanitized=$sanitized)"
[ $fails = 0 ]
