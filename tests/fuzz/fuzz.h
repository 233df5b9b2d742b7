/*
 * tests/fuzz/fuzz.h — what the libFuzzer targets do with one input.
 *
 * An input is YAML, optionally followed by a line "%%" and then one
 * override or sweep value per line:
 *
 *   horizon: 480
 *   ...
 *   %%
 *   departments.desk.staff=4      (a --set)
 *   departments.desk.staff=1:9:2  (also tried as --vary values)
 *
 * fuzz_load() loads the scenario with the overrides and parses each value
 * as a sweep axis; fuzz_simulate() loads it the same way and, when it is
 * valid, simulates one short replication (see fuzz.c for the bounds).
 * Whatever the input, neither may crash, hang or leak.
 *
 * tests/fuzz/fuzz_scenario.c and fuzz_simulate.c make them libFuzzer
 * targets (LOKET_FUZZ=ON, clang); tests/test_fuzz.c replays the corpora
 * through both in every build.
 */
#ifndef LOKET_TESTS_FUZZ_H
#define LOKET_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Both return 0; fuzz_simulate() returns 1 when the model was simulated
 * (for the replay test's count), 0 when it was refused or skipped. */
int fuzz_load(const uint8_t *data, size_t size);
int fuzz_simulate(const uint8_t *data, size_t size);

#endif
