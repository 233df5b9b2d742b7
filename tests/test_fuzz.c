/* Replays the fuzzing corpora (tests/fuzz/corpus and corpus-simulate, the
 * example scenarios and every truncation of one) through both fuzz
 * targets, so a crash the fuzzers once found stays fixed. Runs in every
 * build. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fuzz/fuzz.h"

struct replayed {
  size_t inputs, simulated;
};

static void replay_dir(const char *dir, struct replayed *r)
{
  DIR *d = opendir(dir);
  if (!d)
    fail_msg("cannot open %s", dir);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f)
      continue;
    static uint8_t buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fuzz_load(buf, got);
    r->simulated += (size_t)fuzz_simulate(buf, got);
    r->inputs++;
  }
  closedir(d);
}

static void corpus_replays_cleanly(void **state)
{
  (void)state;
  struct replayed loader = {0}, engine = {0}, examples = {0};
  replay_dir(LOKET_SOURCE_DIR "/tests/fuzz/corpus", &loader);
  replay_dir(LOKET_SOURCE_DIR "/tests/fuzz/corpus-simulate", &engine);
  replay_dir(LOKET_SOURCE_DIR "/scenarios", &examples);
  printf("  replayed %zu inputs, %zu of them valid and simulated\n",
         loader.inputs + engine.inputs + examples.inputs,
         loader.simulated + engine.simulated + examples.simulated);
  assert_true(loader.inputs >= 9);
  /* Every input of the simulate corpus is a valid scenario within the
   * target's bounds, and so is every example: one not simulated means a
   * bound has gone wrong or the loader has stopped accepting it. */
  assert_true(engine.inputs >= 8);
  assert_int_equal(engine.simulated, engine.inputs);
  assert_true(examples.simulated >= 8);
}

/* Every prefix of a scenario: truncated files, the commonest damage. */
static void truncated_scenarios(void **state)
{
  (void)state;
  FILE *f = fopen(LOKET_SOURCE_DIR "/scenarios/gemeente.yaml", "rb");
  assert_non_null(f);
  uint8_t buf[1 << 14];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  size_t simulated = 0;
  for (size_t len = 0; len < n + 7; len += 7) {
    size_t cut = len < n ? len : n;
    fuzz_load(buf, cut);
    simulated += (size_t)fuzz_simulate(buf, cut);
  }
  /* The whole file is valid, and so are some of its longer prefixes. */
  assert_true(simulated >= 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(corpus_replays_cleanly),
    cmocka_unit_test(truncated_scenarios),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
