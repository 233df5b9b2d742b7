#!/bin/sh
# Pipes loket's generator (raw 64-bit outputs of one stream, from
# `test_rng --raw`) into a handful of dieharder tests chosen to finish in
# about 15 s: birthday spacings, overlapping 5-permutations, 6x8 binary
# rank, bitstream, count-the-1s, runs, STS monobit and RGB permutations.
# Fails when dieharder marks any result FAILED (p < 1e-6 or > 1 - 1e-6);
# WEAK results (p < 0.005) are printed but pass, as dieharder intends.
#   usage: tests/dieharder.sh PATH/TO/test_rng
set -u
test_rng=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for d in 0 1 3 4 8 15 100 202; do
  "$test_rng" --raw 20261123 0 1 | dieharder -g 200 -d "$d" >>"$out" 2>&1
done
grep -E 'PASSED|WEAK|FAILED' "$out"
passed=$(grep -c -E 'PASSED|WEAK' "$out")
if grep -q FAILED "$out" || [ "$passed" -lt 8 ]; then
  echo "dieharder: loket's generator failed (or a test did not run)" >&2
  cat "$out" >&2
  exit 1
fi
