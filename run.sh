#!/bin/sh
# Builds loket, runs the default scenario and draws its figures: CSVs land
# in out/<scenario name>/, figures in out/<scenario name>/plots/.
#   ./run.sh                      scenarios/mmc.yaml
#   ./run.sh SCENARIO.yaml [loket run options]
set -eu
cd "$(dirname "$0")"
. ./.ci/deps.sh
loket_install_deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLOKET_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
scenario="${1:-scenarios/mmc.yaml}"
[ $# -gt 0 ] && shift
# The run names its output folder in the summary's last line.
./build/loket run "$scenario" "$@" | tee out.summary.txt
dir=$(sed -n 's/^results in \(.*\)\/$/\1/p' out.summary.txt | tail -1)
rm -f out.summary.txt
[ -n "$dir" ] && ./build/loket plot "$dir"
