/*
 * A libFuzzer target that loads a scenario (as fuzz_scenario.c does) and
 * simulates one replication of a day cut to a short horizon, so the
 * engine, the office and the statistics see fuzzed models: the input
 * format and the bounds are in fuzz.h and fuzz.c.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_simulate(data, size);
  return 0;
}
