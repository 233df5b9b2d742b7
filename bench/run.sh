#!/usr/bin/env bash
# bench/run.sh — times `loket run` against the hand-written floor programs.
#
# Builds loket and the floors in a Release build folder (build-bench/ at the
# top of the repository, all at the same optimisation level), runs each case
# several times, alternating loket and the two floors (GSL's generator, and
# xoshiro256++ with a ziggurat: the fast floor), keeps the best wall-clock
# time of each program, and prints a table of nanoseconds per customer and
# loket's ratio to each floor; the goal is on the ratio to the fast floor.
# The table is also written to bench/results/latest.txt.
#
# Environment:
#   BENCH_REPEAT   runs per program and case, best one kept (default 3)
#   BENCH_BUILD    build folder (default build-bench)
#   BENCH_OPT      optimisation flags for loket and the floors alike
#                  (default "-O3 -DNDEBUG", what a Release build of loket uses)
#   BENCH_CASES    which cases to run, e.g. "A" (default "A B")
set -euo pipefail

script_start=$EPOCHREALTIME
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

repeat=${BENCH_REPEAT:-3}
build=${BENCH_BUILD:-build-bench}
opt=${BENCH_OPT:--O3 -DNDEBUG}
cases=${BENCH_CASES:-A B}
results=bench/results
mkdir -p "$results"

echo "building loket and the floors in $build/ (Release, $opt) ..." >&2
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS_RELEASE="$opt" -DLOKET_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target loket floor_mm1_gsl floor_mm1_fast \
  floor_mmcm_gsl floor_mmcm_fast >/dev/null

# Wall-clock seconds of one command, with its stdout left in $run_out.
run_out=""
elapsed=""
timed() {
  local t0=$EPOCHREALTIME
  run_out=$("$@")
  local t1=$EPOCHREALTIME
  elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
}

# The minimum of two numbers.
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

# Column $2 of the first data row of CSV file $1, found by its header name.
csv_field() {
  awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i }
                       NR == 2 { print $c; exit }' "$1"
}

# Value of key $2 in a floor's "key=value ..." line $1.
floor_field() {
  tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# One row of the sanity table for case $c: statistic, loket, GSL floor,
# fast floor.
stat() { printf '%-4s %-17s %14s %10s %10s\n' "$c" "$1" "$2" "$3" "$4" >>"$sanity"; }

# The scenario's seed, so the floors replay loket's random streams.
yaml_seed() { awk '$1 == "seed:" { print $2; exit }' "$1"; }

table=$(mktemp)
sanity=$(mktemp)
trap 'rm -f "$table" "$sanity"' EXIT
printf '%-4s %-9s %9s %8s %8s %8s %6s %6s %6s %6s  %s\n' \
  case model customers loket gsl fast /gsl /fast goal ns_goal result >"$table"
printf '%-4s %-17s %14s %10s %10s\n' case statistic loket gsl_floor fast_floor >"$sanity"

for c in $cases; do
  # goal: ratio to the fast floor; ns_goal: loket's ns per customer ("-": none)
  case $c in
  A) model="M/M/1"; yaml=bench/mm1.yaml; floor=floor_mm1; goal=5.5; ns_goal=80 ;;
  B) model="M/M/10+M"; yaml=bench/mmcm.yaml; floor=floor_mmcm; goal=4.0; ns_goal=- ;;
  *) echo "run.sh: unknown case '$c'" >&2; exit 2 ;;
  esac
  seed=$(yaml_seed "$yaml")
  out="$build/bench-out/$c"
  best_loket=""
  best_gsl=""
  best_fast=""
  for ((i = 1; i <= repeat; i++)); do
    timed "$build/loket" run "$yaml" --out "$out" --replications 1 --jobs 1 --quiet
    best_loket=$(min "$best_loket" "$elapsed")
    echo "case $c run $i: loket ${elapsed}s" >&2
    # The floors simulate exactly as many customers as loket did (the
    # arrival count is fixed by the seed), so they replay the same customers
    # when they use loket's generator.
    loket_n=$(csv_field "$out/summary.csv" arrivals)
    timed "$build/bench/${floor}_gsl" "$loket_n" "$seed"
    best_gsl=$(min "$best_gsl" "$elapsed")
    gsl_line=$run_out
    echo "case $c run $i: gsl floor ${elapsed}s ($gsl_line)" >&2
    timed "$build/bench/${floor}_fast" "$loket_n" "$seed"
    best_fast=$(min "$best_fast" "$elapsed")
    fast_line=$run_out
    echo "case $c run $i: fast floor ${elapsed}s ($fast_line)" >&2
  done

  for line in "$gsl_line" "$fast_line"; do
    if [[ $(floor_field "$line" customers) != "$loket_n" ]]; then
      echo "run.sh: case $c: a floor ran a different number of customers than loket ($loket_n)" >&2
      exit 1
    fi
  done
  read -r loket_ns gsl_ns fast_ns r_gsl r_fast verdict < <(awk -v ls="$best_loket" \
    -v gs="$best_gsl" -v fs="$best_fast" -v n="$loket_n" -v g="$goal" -v ng="$ns_goal" 'BEGIN {
      l = 1e9 * ls / n; gf = 1e9 * gs / n; f = 1e9 * fs / n
      ok = (l / f <= g) && (ng == "-" || l <= ng + 0)
      printf "%.1f %.1f %.1f %.2f %.2f %s\n", l, gf, f, l / gf, l / f, ok ? "PASS" : "MISS" }')
  printf '%-4s %-9s %9s %8s %8s %8s %6s %6s %6s %6s  %s\n' \
    "$c" "$model" "$loket_n" "$loket_ns" "$gsl_ns" "$fast_ns" "$r_gsl" "$r_fast" \
    "$goal" "$ns_goal" "$verdict" >>"$table"

  stat wait_mean "$(csv_field "$out/summary.csv" wait_mean)" \
    "$(floor_field "$gsl_line" wait_mean)" "$(floor_field "$fast_line" wait_mean)"
  stat service_level "$(csv_field "$out/summary.csv" service_level)" \
    "$(floor_field "$gsl_line" service_level)" "$(floor_field "$fast_line" service_level)"
  if [[ $c == B ]]; then
    ab=$(awk -v a="$(csv_field "$out/summary.csv" abandoned)" -v n="$loket_n" \
      'BEGIN { printf "%.6f", a / n }')
    stat abandon_fraction "$ab" "$(floor_field "$gsl_line" abandon_fraction)" \
      "$(floor_field "$fast_line" abandon_fraction)"
  fi
done

total=$(awk -v a="$script_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
{
  echo "loket benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')"
  echo "$(uname -m), $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "flags: $opt; best of $repeat wall-clock runs per program; loket --jobs 1"
  echo "columns loket, gsl, fast: ns per customer (wall clock) of loket and of the floors with"
  echo "GSL's MT19937 + inversion and with xoshiro256++ + ziggurat; /gsl, /fast: loket's ratio to each."
  echo "PASS when /fast <= goal and, where given, loket's ns per customer <= ns_goal"
  echo
  cat "$table"
  echo
  echo "sanity (same seeds and streams: the floor with loket's generator should agree with loket"
  echo "to rounding; the other floor draws other numbers and agrees only statistically):"
  cat "$sanity"
  echo
  echo "whole script: ${total}s"
} | tee "$results/latest.txt"
