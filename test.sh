#!/bin/sh
# Builds loket with warnings as errors and runs the whole test suite.
#   ./test.sh              normal build (build-test/)
#   ./test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
set -eu
cd "$(dirname "$0")"
. ./.ci/deps.sh
loket_install_deps "$loket_test_packages"
dir=build-test
flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  # Known leaks inside libfyaml are suppressed; see tests/lsan.supp.
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  flags="-DCMAKE_BUILD_TYPE=Debug -DLOKET_SANITIZE=ON"
  # The validation runs are 20 times slower here: run a twentieth of them
  # (their tolerances follow the run; only the normal build is held to
  # detecting a 2 % bias, see tests/test_office.c).
  export LOKET_VALIDATION_SCALE=${LOKET_VALIDATION_SCALE:-0.05}
fi
cmake -S . -B "$dir" -DLOKET_WERROR=ON $flags >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure -j"$(nproc)"
