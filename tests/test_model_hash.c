/* models/model_hash.h: the same model gives the same hash, and a change of
 * any kind of value a result depends on gives another. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testing.h"
#include "models/model_hash.h"
#include "models/scenario.h"

#define GEMEENTE LOKET_SOURCE_DIR "/scenarios/gemeente.yaml"

static uint64_t hash_with(const char *set)
{
  char err[MODEL_ERROR_MAX];
  const char *sets[1] = {set};
  struct model *m = model_scenario_load(GEMEENTE, sets, set ? 1 : 0, err, sizeof err);
  if (!m)
    fail_msg("%s", err);
  uint64_t h = model_hash(m);
  model_free(m);
  return h;
}

static void same_model_same_hash(void **state)
{
  (void)state;
  assert_true(hash_with(NULL) == hash_with(NULL));
  /* An override to the value the scenario has is the same model. */
  assert_true(hash_with("departments.permits.staff=5") == hash_with(NULL));
}

/* One override of each kind of field: counts, distribution parameters,
 * probabilities, routes, handoffs, classes, satisfaction, clock times,
 * the name. Each must change the hash, and no two may collide. */
static void every_kind_of_change_shows(void **state)
{
  (void)state;
  const char *sets[] = {
    "departments.permits.staff=6",
    "departments.permits.service.mean=12.5",
    "departments.reception.capacity=41",
    "departments.reception.balking.p=0.55",
    "departments.reception.routes.0.p=0.5",
    "departments.permits.handoff.p=0.25",
    "departments.permits.cost_per_staff_hour=49",
    "departments.reception.backlog=7",
    "classes.urgent.priority=3",
    "classes.walk-in.expect=12",
    "patience.mean=26",
    "retrial.p=0.35",
    "satisfaction.base=7.5",
    "horizon=17:15",
    "warmup=5",
    "service_level.within=11",
    "name=Gemeente loket",
    "closing=cut",
  };
  size_t n = sizeof sets / sizeof sets[0];
  uint64_t base = hash_with(NULL), h[sizeof sets / sizeof sets[0]];
  for (size_t i = 0; i < n; i++) {
    h[i] = hash_with(sets[i]);
    if (h[i] == base)
      fail_msg("--set %s does not change the hash", sets[i]);
    for (size_t j = 0; j < i; j++)
      if (h[i] == h[j])
        fail_msg("--set %s and --set %s give the same hash", sets[i], sets[j]);
  }
}

/* The values read from a file count, not the file's name. */
static void trace_values_count(void **state)
{
  (void)state;
  const char *yaml = "horizon: 100\n"
                     "arrivals: [{to: desk, trace: mh-trace.csv}]\n"
                     "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n";
  FILE *f = fopen("mh.yaml", "w");
  fputs(yaml, f);
  fclose(f);
  uint64_t h[2];
  const char *traces[2] = {"at\n1.5\n2.25\n", "at\n1.5\n2.5\n"};
  for (int k = 0; k < 2; k++) {
    f = fopen("mh-trace.csv", "w");
    fputs(traces[k], f);
    fclose(f);
    char err[MODEL_ERROR_MAX];
    struct model *m = model_scenario_load("mh.yaml", NULL, 0, err, sizeof err);
    if (!m)
      fail_msg("%s", err);
    h[k] = model_hash(m);
    model_free(m);
  }
  assert_true(h[0] != h[1]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(same_model_same_hash),
    cmocka_unit_test(every_kind_of_change_shows),
    cmocka_unit_test(trace_values_count),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
