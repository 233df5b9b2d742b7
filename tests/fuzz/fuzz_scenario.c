/*
 * A libFuzzer target for the scenario loader and the --set / --vary
 * parsers: the input format and the promise are in fuzz.h. The loaded
 * model is not simulated here (fuzz_simulate.c does that, on a short day).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  return fuzz_load(data, size);
}
