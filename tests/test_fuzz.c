/* Replays the fuzzing corpus (tests/fuzz/corpus, the example scenarios and
 * every scenario file the error tests use) through the fuzz target, so a
 * crash the fuzzer once found stays fixed. Runs in every build. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replay_dir(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f)
      continue;
    uint8_t buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, got);
    n++;
  }
  closedir(d);
  return n;
}

static void corpus_replays_cleanly(void **state)
{
  (void)state;
  size_t n = replay_dir(LOKET_SOURCE_DIR "/tests/fuzz/corpus") +
             replay_dir(LOKET_SOURCE_DIR "/scenarios");
  printf("  replayed %zu inputs\n", n);
  assert_true(n >= 7);
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
  for (size_t len = 0; len <= n; len += 7)
    LLVMFuzzerTestOneInput(buf, len);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(corpus_replays_cleanly),
    cmocka_unit_test(truncated_scenarios),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
