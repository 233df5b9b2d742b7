#!/usr/bin/env bash
# bench/staff.sh — times `loket staff` planning a 10-hour day of 20 half
# hours for one department with 100 replications (with its roster) on
# BENCH_JOBS threads (default 2). Build Release first (bench/run.sh does).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
loket=${LOKET:-$root/build-bench/loket}
out=$(mktemp -d)
t0=$EPOCHREALTIME
"$loket" staff "$root/scenarios/callcenter-staffing.yaml" --jobs "${BENCH_JOBS:-2}" \
  --out "$out" --quiet
t1=$EPOCHREALTIME
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "loket staff, 20 intervals x 100 replications: %.2f s\n", b - a }'
rm -rf "$out"
