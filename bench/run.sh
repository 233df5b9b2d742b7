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
#   BENCH_SCALING  0 to skip the scaling table (default 1)
#   BENCH_TRACE    0 to skip the trace's ratio (default 1)
#   BENCH_VISITS   visits per timed scaling run (default 1000000)
#   BENCH_IR_VISITS  visits per scaling run under callgrind, which counts
#                  instructions (default 100000; 0 or no valgrind: skipped)
#   BENCH_PEER     a peer simulator's own M/M/1 benchmark program (run with
#                  no arguments, its output ignored), timed beside case A;
#                  see bench/README.md, "Against a peer simulator"
#   BENCH_PEER_CUSTOMERS  customers that program simulates (default 1000000)
set -euo pipefail

script_start=$EPOCHREALTIME
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

repeat=${BENCH_REPEAT:-3}
build=${BENCH_BUILD:-build-bench}
opt=${BENCH_OPT:--O3 -DNDEBUG}
cases=${BENCH_CASES:-A B}
peer=${BENCH_PEER:-}
peer_n=${BENCH_PEER_CUSTOMERS:-1000000}
if [[ -n $peer && ! -x $peer ]]; then
  echo "run.sh: BENCH_PEER '$peer' is not an executable program" >&2
  exit 2
fi
if ! [[ $peer_n =~ ^[1-9][0-9]*$ ]]; then
  echo "run.sh: BENCH_PEER_CUSTOMERS '$peer_n' is not a positive whole number" >&2
  exit 2
fi
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

peer_row="not timed: case A was not run"
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
  best_peer=""
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
    if [[ $c == A && -n $peer ]]; then
      timed "$peer"
      best_peer=$(min "$best_peer" "$elapsed")
      echo "case $c run $i: peer ${elapsed}s" >&2
    fi
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

  if [[ -n $best_peer ]]; then
    peer_row=$(awk -v ls="$best_loket" -v n="$loket_n" -v ps="$best_peer" -v pn="$peer_n" 'BEGIN {
      l = 1e9 * ls / n; p = 1e9 * ps / pn
      printf "%.1f ns per customer (%d customers); loket %.1f ns: %.2f times the peer'"'"'s throughput", p, pn, l, p / l }')
  fi

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

# ---- the trace --------------------------------------------------------------
# Each case of 10^6 customers with --trace (customers.csv into the build
# folder) against the same run without, alternating, best of $repeat each;
# the goal is at most 3 times.
trace=${BENCH_TRACE:-1}
trace_table=$(mktemp)
trap 'rm -f "$table" "$sanity" "$trace_table"' EXIT
if [[ $trace != 0 ]]; then
  printf '%-4s %-9s %9s %10s %10s %6s %6s  %s\n' case model customers untraced traced ratio goal \
    result >"$trace_table"
  for c in $cases; do
    case $c in
    A) model="M/M/1"; yaml=bench/mm1.yaml; horizon=1111111.111111 ;;
    B) model="M/M/10+M"; yaml=bench/mmcm.yaml; horizon=111111.111111 ;;
    esac
    out="$build/bench-out/trace-$c"
    best_plain=""
    best_traced=""
    for ((i = 1; i <= repeat; i++)); do
      timed "$build/loket" run "$yaml" --set horizon=$horizon --out "$out" --replications 1 \
        --jobs 1 --quiet
      best_plain=$(min "$best_plain" "$elapsed")
      timed "$build/loket" run "$yaml" --set horizon=$horizon --out "$out" --replications 1 \
        --jobs 1 --quiet --trace
      best_traced=$(min "$best_traced" "$elapsed")
      echo "trace $c run $i: traced ${elapsed}s, best untraced ${best_plain}s" >&2
    done
    n=$(csv_field "$out/summary.csv" arrivals)
    awk -v c="$c" -v m="$model" -v n="$n" -v p="$best_plain" -v t="$best_traced" 'BEGIN {
      r = t / p
      printf "%-4s %-9s %9d %9.3fs %9.3fs %6.2f %6s  %s\n", c, m, n, p, t, r, "3.0", r <= 3 ? "PASS" : "MISS" }' \
      >>"$trace_table"
  done
fi

# ---- the scaling table ------------------------------------------------------
# ns per visit (a customer's stay at one department) as a model grows, for
# the families of issue 14. Each scenario is generated here with a horizon
# that gives about $visits (and twice as many) visits; visits = arrivals x
# visits_mean.
#   fan-out N   a front desk (load 0.45) sends every customer on to one of N
#               departments, each with probability 1/N
#   classes K   K classes of equal share with distinct priorities, at one
#               M/M/1 (load 0.9)
#   tandem N    N departments in series, each an M/M/1 at load 0.9
#   servers c   one M/M/c at load 0.9
# A marked family (*) must be flat: its last size within 20 % of its first.
scaling=${BENCH_SCALING:-1}
visits=${BENCH_VISITS:-1000000}
scaling_table=$(mktemp)
trap 'rm -f "$table" "$sanity" "$trace_table" "$scaling_table"' EXIT
scen="$build/scaling"
mkdir -p "$scen"

# One interval of the time series, so that the table measures the event
# loop, not the writing of a time series whose rows grow with the number of
# departments.
scenario_head() {   # NAME HORIZON
  printf 'loket: 1\nname: %s\ntime_unit: minutes\nhorizon: %s\nwarmup: 0\nreplications: 1\nseed: 20261125\nservice_level: {within: 1}\noutput: {interval: %s}\n' "$1" "$2" "$2"
}
horizon_for() { awk -v v="$run_visits" -v per="$1" 'BEGIN { printf "%.6f", v / per }'; }

make_fanout() {   # N -> file
  local n=$1 f="$scen/fanout-$1-$run_visits.yaml"
  {
    scenario_head "fan-out $n" "$(horizon_for 0.9)"
    printf 'arrivals:\n  - to: front\n    rate: 0.45\ndepartments:\n  front:\n'
    printf '    staff: 1\n    service: {dist: exponential, mean: 1}\n    routes:\n'
    awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
      printf "      - {to: d%d, p: %.17g}\n", i, (i < n) ? 1 / n : 1 - (n - 1) * (1 / n) }'
    for ((i = 1; i <= n; i++)); do
      printf '  d%d:\n    staff: 1\n    service: {dist: exponential, mean: 1}\n' "$i"
    done
  } >"$f"
  echo "$f"
}
make_classes() {   # K
  local k=$1 f="$scen/classes-$1-$run_visits.yaml"
  {
    scenario_head "classes $k" "$(horizon_for 0.9)"
    printf 'classes:\n'
    awk -v k="$k" 'BEGIN { for (i = 1; i <= k; i++)
      printf "  c%d: {share: %.17g, priority: %d}\n", i, 1 / k, i }'
    printf 'arrivals:\n  - to: desk\n    rate: 0.9\ndepartments:\n  desk:\n'
    printf '    staff: 1\n    service: {dist: exponential, mean: 1}\n'
  } >"$f"
  echo "$f"
}
make_tandem() {   # N
  local n=$1 f="$scen/tandem-$1-$run_visits.yaml"
  {
    scenario_head "tandem $n" "$(horizon_for "$(awk -v n="$n" 'BEGIN { print 0.9 * n }')")"
    printf 'arrivals:\n  - to: d1\n    rate: 0.9\ndepartments:\n'
    for ((i = 1; i <= n; i++)); do
      printf '  d%d:\n    staff: 1\n    service: {dist: exponential, mean: 1}\n' "$i"
      if ((i < n)); then printf '    routes: [{to: d%d, p: 1}]\n' $((i + 1)); fi
    done
  } >"$f"
  echo "$f"
}
make_servers() {   # c
  local c=$1 f="$scen/servers-$1-$run_visits.yaml"
  {
    scenario_head "servers $c" "$(horizon_for "$(awk -v c="$c" 'BEGIN { print 0.9 * c }')")"
    printf 'arrivals:\n  - to: desk\n    rate: %s\ndepartments:\n  desk:\n' "$(awk -v c="$c" 'BEGIN { print 0.9 * c }')"
    printf '    staff: %d\n    service: {dist: exponential, mean: 1}\n' "$c"
  } >"$f"
  echo "$f"
}

# Best wall-clock seconds and the visits of one scenario over $repeat runs.
best_run() {
  local yaml=$1 out="$build/bench-out/scaling" best=""
  for ((i = 1; i <= repeat; i++)); do
    timed "$build/loket" run "$yaml" --out "$out" --replications 1 --jobs 1 --quiet
    best=$(min "$best" "$elapsed")
  done
  echo "$best $(awk -v a="$(csv_field "$out/summary.csv" arrivals)" \
    -v v="$(csv_field "$out/summary.csv" visits_mean)" 'BEGIN { printf "%.0f", a * v }')"
}

# ns per visit of family $1 at size $2: the difference between runs of
# 2 x $visits and $visits visits over the difference in visits, so that
# what does not grow with the visits (starting the process, reading the
# scenario, setting up the departments, writing the CSVs) drops out.
ns_per_visit() {
  local s1 v1 s2 v2
  run_visits=$visits
  read -r s1 v1 < <(best_run "$("make_$1" "$2")")
  run_visits=$((2 * visits))
  read -r s2 v2 < <(best_run "$("make_$1" "$2")")
  awk -v s1="$s1" -v v1="$v1" -v s2="$s2" -v v2="$v2" \
    'BEGIN { printf "%.0f", 1e9 * (s2 - s1) / (v2 - v1) }'
}

# Instructions per visit of family $1 at size $2 (callgrind, deterministic:
# this VM's wall clock is noisy), by the same difference of two runs.
ir_visits=${BENCH_IR_VISITS:-100000}
command -v valgrind >/dev/null || ir_visits=0
ir_run() {
  local yaml=$1 out="$build/bench-out/scaling-ir" ir
  ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/loket" run "$yaml" \
    --out "$out" --replications 1 --jobs 1 --quiet 2>&1 | awk '/Collected/ { print $NF }')
  echo "$ir $(awk -v a="$(csv_field "$out/summary.csv" arrivals)" \
    -v v="$(csv_field "$out/summary.csv" visits_mean)" 'BEGIN { printf "%.0f", a * v }')"
}
ir_per_visit() {
  local i1 v1 i2 v2
  if ((ir_visits == 0)); then echo "-"; return; fi
  run_visits=$ir_visits
  read -r i1 v1 < <(ir_run "$("make_$1" "$2")")
  run_visits=$((2 * ir_visits))
  read -r i2 v2 < <(ir_run "$("make_$1" "$2")")
  awk -v i1="$i1" -v v1="$v1" -v i2="$i2" -v v2="$v2" \
    'BEGIN { printf "%.0f", (i2 - i1) / (v2 - v1) }'
}

# FLAT when the last of a row's numbers is at most 1.2 times the first.
flatness() {
  awk -v row="$1" 'BEGIN { n = split(row, x, " / ");
    if (x[1] == "-" || x[1] + 0 <= 0) { print "-"; exit }
    print (x[n] <= 1.2 * x[1]) ? "FLAT" : sprintf("NOT FLAT (%.2fx)", x[n] / x[1]) }'
}

if [[ $scaling != 0 ]]; then
  printf '%-8s %-22s %-29s %-18s %-27s %s\n' family sizes "instructions/visit" result \
    "ns/visit" result >"$scaling_table"
  for family in fanout classes tandem servers; do
    case $family in
    fanout) sizes="1 10 100 1000"; label="fan-out routes *"; flat=1 ;;
    classes) sizes="1 2 8 32"; label="classes, priorities *"; flat=1 ;;
    tandem) sizes="1 10 100 1000"; label="tandem departments *"; flat=1 ;;
    servers) sizes="1 10 100 1000 10000"; label="servers"; flat=0 ;;
    esac
    row=""
    ir_row=""
    for n in $sizes; do
      ns=$(ns_per_visit "$family" "$n")
      ir=$(ir_per_visit "$family" "$n")
      echo "scaling $family $n: $ns ns/visit, $ir instructions/visit" >&2
      row="$row${row:+ / }$ns"
      ir_row="$ir_row${ir_row:+ / }$ir"
    done
    ir_verdict=-
    ns_verdict=-
    if ((flat)); then
      ir_verdict=$(flatness "$ir_row")
      ns_verdict=$(flatness "$row")
    fi
    printf '%-8s %-22s %-29s %-18s %-27s %s\n' "$family" "${sizes// / \/ }" "$ir_row" \
      "$ir_verdict" "$row" "$ns_verdict" >>"$scaling_table"
    printf '         (%s)\n' "$label" >>"$scaling_table"
  done
fi

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
  if [[ -n $peer ]]; then
    echo
    echo "peer (case A against $peer, its own M/M/1 benchmark, best of $repeat):"
    echo "  $peer_row"
  fi
  echo
  echo "sanity (same seeds and streams: the floor with loket's generator should agree with loket"
  echo "to rounding; the other floor draws other numbers and agrees only statistically):"
  cat "$sanity"
  if [[ $trace != 0 ]]; then
    echo
    echo "trace (wall clock, best of $repeat, whole runs: customers.csv written to $build/, synced at"
    echo "the end; ratio = traced / untraced):"
    cat "$trace_table"
  fi
  if [[ $scaling != 0 ]]; then
    echo
    echo "scaling: instructions per visit (callgrind, runs of about $ir_visits and $((2 * ir_visits)) visits)"
    echo "and ns per visit (best wall clock, runs of about $visits and $((2 * visits)) visits), both"
    echo "from the difference of the two runs, so that fixed costs drop out; a family marked * is"
    echo "FLAT when its largest size costs at most 1.2 times its smallest"
    cat "$scaling_table"
  fi
  echo
  echo "whole script: ${total}s"
} | tee "$results/latest.txt"
