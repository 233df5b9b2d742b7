#!/bin/sh
# Builds loket and runs the default scenario: CSVs land in out/.
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
exec ./build/loket run "$scenario" "$@"
