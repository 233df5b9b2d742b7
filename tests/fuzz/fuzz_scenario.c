/*
 * A libFuzzer target for the scenario loader and the --set / --vary
 * parsers. An input is YAML, optionally followed by a line "%%" and then
 * one override or sweep value per line:
 *
 *   horizon: 480
 *   ...
 *   %%
 *   departments.desk.staff=4      (a --set)
 *   departments.desk.staff=1:9:2  (also tried as --vary values)
 *
 * Whatever the input, loading must end in a model or a located error, and
 * never crash, hang or leak. The loaded model is not simulated: a fuzzed
 * horizon could be as long as any real day, and the engine is tested
 * elsewhere.
 *
 * Built with -fsanitize=fuzzer it is a fuzzer (LOKET_FUZZ=ON, clang);
 * built without, tests/test_fuzz.c replays the corpus through it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';

  /* Split off the overrides after a "%%" line. */
  size_t yaml_len = size;
  const char *sets[16] = {NULL};
  size_t nsets = 0;
  char *mark = strstr(text, "\n%%\n");
  if (mark) {
    yaml_len = (size_t)(mark - text) + 1;
    char *line = mark + 4, *save = NULL;
    *mark = '\0';
    for (char *s = strtok_r(line, "\n", &save); s && nsets < 16;
         s = strtok_r(NULL, "\n", &save))
      sets[nsets++] = s;
  }

  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load_text("fuzz.yaml", text, yaml_len, sets, nsets,
                                             err, sizeof err);
  model_free(m);

  for (size_t i = 0; i < nsets; i++) {
    const char *eq = strchr(sets[i], '=');
    struct model_axis axis = {0};
    model_axis_values(&axis, eq ? eq + 1 : sets[i], err, sizeof err);
    model_axis_fini(&axis);
  }
  free(text);
  return 0;
}
