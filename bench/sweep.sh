#!/usr/bin/env bash
# bench/sweep.sh — what one tiny task of a sweep costs.
#
# Runs `loket sweep bench/tiny.yaml` (one department, about 40 customers,
# one replication per point) over P and 2P points of a numeric key with
# --jobs 1, and prints the cost per task — a point with its one
# replication: building its model, running it, journaling its row and
# merging it into sweep.csv — as the difference of the two runs over P, so
# that starting the process and the fixed work of a sweep drop out:
#
#   µs/task           best wall clock of BENCH_REPEAT runs (default 3),
#                     P = BENCH_POINTS (default 2000), and the best CPU time
#                     (user + system), steadier on a shared machine
#   instructions/task callgrind (deterministic), P = BENCH_IR_POINTS
#                     (default 200; 0 or no valgrind: skipped)
#
# Uses the Release build of build-bench/ (bench/run.sh makes it), or
# LOKET=path.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
loket=${LOKET:-$root/build-bench/loket}
repeat=${BENCH_REPEAT:-3}
points=${BENCH_POINTS:-2000}
ir_points=${BENCH_IR_POINTS:-200}
command -v valgrind >/dev/null || ir_points=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# --vary over N points: service means 0.5, 0.501, ...
vary() { echo "departments.desk.service.mean=0.5:$(awk -v n="$1" 'BEGIN { printf "%.3f", 0.5 + (n - 1) / 1000 }'):0.001"; }
sweep() { rm -rf "$out/s"; "$@" "$loket" sweep "$root/bench/tiny.yaml" --vary "$(vary "$n")" --jobs 1 --out "$out/s" --quiet; }

# Best wall-clock and CPU seconds of $repeat sweeps of N points.
best_seconds() {   # N
  local n=$1 best="" best_cpu="" cpu
  local TIMEFORMAT='%3U %3S'
  for ((i = 1; i <= repeat; i++)); do
    local t0=$EPOCHREALTIME
    cpu=$({ time sweep 2>/dev/null; } 2>&1 | awk '{ print $1 + $2 }')
    local t1=$EPOCHREALTIME
    read -r best best_cpu < <(awk -v a="$t0" -v b="$t1" -v c="$cpu" -v best="$best" \
      -v best_cpu="$best_cpu" 'BEGIN { s = b - a
        print (best == "" || s < best + 0) ? s : best, (best_cpu == "" || c < best_cpu + 0) ? c : best_cpu }')
  done
  echo "$best $best_cpu"
}

instructions() {   # N
  local n=$1
  sweep valgrind --tool=callgrind --callgrind-out-file=/dev/null 2>&1 |
    awk '/Collected/ { print $NF }'
}

read -r s1 c1 < <(best_seconds "$points")
read -r s2 c2 < <(best_seconds $((2 * points)))
us=$(awk -v a="$s1" -v b="$s2" -v n="$points" 'BEGIN { printf "%.1f", 1e6 * (b - a) / n }')
cpu_us=$(awk -v a="$c1" -v b="$c2" -v n="$points" 'BEGIN { printf "%.1f", 1e6 * (b - a) / n }')
ir=-
if ((ir_points > 0)); then
  i1=$(instructions "$ir_points")
  i2=$(instructions $((2 * ir_points)))
  ir=$(awk -v a="$i1" -v b="$i2" -v n="$ir_points" 'BEGIN { printf "%.0f", (b - a) / n }')
fi
echo "loket sweep, tiny tasks (1 department, ~40 customers, 1 replication), --jobs 1"
printf '%s points: %.3f s (CPU %.3f s), %s points: %.3f s (CPU %.3f s), best of %s\n' \
  "$points" "$s1" "$c1" $((2 * points)) "$s2" "$c2" "$repeat"
echo "per task: $us µs wall clock, $cpu_us µs CPU, $ir instructions (callgrind, $ir_points and $((2 * ir_points)) points)"
