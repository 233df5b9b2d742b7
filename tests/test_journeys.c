/* journeys.csv: journeys grouped by handoffs and by path, on trace
 * scenarios whose every journey is worked out by hand below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testing.h"
#include "models/metrics.h"

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Runs SCENARIO into DIR and returns DIR/FILE (free it). */
static char *run(const char *scenario, const char *dir, const char *file)
{
  assert_int_equal(test_sh("%s run %s --out %s --quiet", LOKET_BINARY, scenario, dir), 0);
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  char *text = test_slurp(path);
  assert_non_null(text);
  return text;
}

/* Three departments, staff 1 each, deterministic service:
 *   R arrives at reception at 0: served 0-2, routed to the desk, served
 *     from 2, handed off after 1 (at 3) to the office, arrives 3.5, served
 *     3.5-5.5. Wait 0, sojourn 5.5, 2 handoffs (1 route, 1 mid-service):
 *     satisfaction 8 + 1.5 (no wait) - 1.5 - 0.5 = 7.5.
 *   D arrives at the desk at 20: handed off at 21, office 21.5-23.5.
 *     Wait 0, sojourn 3.5, 1 handoff: 8 + 1.5 - 1.5 = 8.
 *   O1 arrives at the office at 40: served 40-42, sojourn 2: 9.5.
 *   O2 arrives at 41, waits 1 (more than 0.5: not within), served 42-44,
 *     sojourn 3: 8 (the wait is under `expect`).
 * So handoffs=0 is O1 and O2 (service level 1/2, wait 0.5, sojourn 2.5,
 * satisfaction 8.75), handoffs=1 is D, handoffs=2 is R. The paths: office
 * (2), then desk>office and reception>desk>office (1 each, in the order
 * of their codes). Both replications are the same day. */
static void groups_by_handoffs_and_path(void **state)
{
  (void)state;
  write_file("jt-r.csv", "0\n");
  write_file("jt-d.csv", "20\n");
  write_file("jt-o.csv", "40\n41\n");
  write_file("jt.yaml",
             "loket: 1\nname: Journeys\nhorizon: 60\nreplications: 2\nseed: 3\n"
             "service_level: {within: 0.5}\n"
             "satisfaction: {base: 8, no_wait_bonus: 1.5, handoff: 1.5, route: 0.5, "
             "expect: 10}\n"
             "arrivals:\n"
             "  - {to: reception, trace: jt-r.csv}\n"
             "  - {to: desk, trace: jt-d.csv}\n"
             "  - {to: office, trace: jt-o.csv}\n"
             "departments:\n"
             "  reception: {staff: 1, service: {dist: deterministic, value: 2}, "
             "routes: [{to: desk, p: 1}]}\n"
             "  desk:\n"
             "    staff: 1\n"
             "    service: {dist: deterministic, value: 3}\n"
             "    handoff: {p: 1, after: {dist: deterministic, value: 1}, to: office, "
             "delay: {dist: deterministic, value: 0.5}}\n"
             "  office: {staff: 1, service: {dist: deterministic, value: 2}}\n");
  char *csv = run("jt.yaml", "jt-out", "journeys.csv");
  static const char day[] =
    "handoffs=0,2,2,0.5,0.5,2.5,8.75,0\n"
    "handoffs=1,1,1,1,0,3.5,8,0\n"
    "handoffs=2,1,1,1,0,5.5,7.5,0\n"
    "handoffs=3+,0,0,,,,,0\n"
    "path=office,2,2,0.5,0.5,2.5,8.75,0\n"
    "path=desk>office,1,1,1,0,3.5,8,0\n"
    "path=reception>desk>office,1,1,1,0,5.5,7.5,0\n";
  char expected[4096];
  char one[1024], two[1024];
  size_t a = 0, b = 0;
  for (const char *p = day; *p; ) {
    size_t len = strcspn(p, "\n") + 1;
    a += (size_t)snprintf(one + a, sizeof one - a, "1,%.*s", (int)len, p);
    b += (size_t)snprintf(two + b, sizeof two - b, "2,%.*s", (int)len, p);
    p += len;
  }
  snprintf(expected, sizeof expected,
           "replication,group,customers,served,service_level,wait_mean,"
           "sojourn_mean,satisfaction_mean,abandoned\n%s%s", one, two);
  assert_string_equal(csv, expected);
  free(csv);

  /* Across the two (equal) replications: sd 0, the interval a point. */
  char *stats = run("jt.yaml", "jt-out", "stats.csv");
  assert_non_null(strstr(stats, "journeys:handoffs=0,sojourn_mean,2.5,0,2.5,2.5,2\n"));
  assert_non_null(strstr(stats, "journeys:path=reception>desk>office,"
                                "satisfaction_mean,7.5,0,7.5,7.5,2\n"));
  /* No customer with 3 handoffs: counts are 0, means undefined (n 0). */
  assert_non_null(strstr(stats, "journeys:handoffs=3+,customers,0,0,0,0,2\n"));
  assert_non_null(strstr(stats, "journeys:handoffs=3+,wait_mean,,,,,0\n"));
  free(stats);

  /* The figure, drawn without a word from gnuplot. */
  if (test_sh("command -v gnuplot >/dev/null") == 0) {
    assert_int_equal(test_sh("%s plot jt-out >jt-plot.txt 2>jt-plot-err.txt",
                             LOKET_BINARY), 0);
    char *err = test_slurp("jt-plot-err.txt");
    assert_string_equal(err, "");
    free(err);
    FILE *png = fopen("jt-out/plots/journeys.png", "rb");
    assert_non_null(png);
    fclose(png);
  }
}

/* Three routes in a row are "3+"; in a scenario of 15 departments no path
 * is kept apart (docs/outputs.md): both journeys are "other". */
static void three_handoffs_and_other(void **state)
{
  (void)state;
  write_file("jt-a0.csv", "0\n");
  write_file("jt-a14.csv", "10\n");
  char yaml[8192];
  char fixed[4096];
  size_t m = 0;
  for (int d = 0; d < 15; d++)
    m += (size_t)snprintf(fixed + m, sizeof fixed - m,
                          "  a%d: {staff: 1, service: {dist: deterministic, value: 1}"
                          "%s}\n", d, d == 0 ? ", routes: [{to: a1, p: 1}]"
                                     : d == 1 ? ", routes: [{to: a2, p: 1}]"
                                     : d == 2 ? ", routes: [{to: a3, p: 1}]" : "");
  snprintf(yaml, sizeof yaml,
           "loket: 1\nname: Chain\nhorizon: 30\nreplications: 1\n"
           "arrivals:\n  - {to: a0, trace: jt-a0.csv}\n  - {to: a14, trace: jt-a14.csv}\n"
           "departments:\n%s", fixed);
  write_file("jt-chain.yaml", yaml);
  char *csv = run("jt-chain.yaml", "jt-chain", "journeys.csv");
  /* a0 > a1 > a2 > a3 at 0-4 (no wait, sojourn 4, 9.5 points: routes cost
   * nothing by default); the customer of a14 at 10-11. */
  assert_string_equal(csv,
    "replication,group,customers,served,service_level,wait_mean,sojourn_mean,"
    "satisfaction_mean,abandoned\n"
    "1,handoffs=0,1,1,1,0,1,9.5,0\n"
    "1,handoffs=1,0,0,,,,,0\n"
    "1,handoffs=2,0,0,,,,,0\n"
    "1,handoffs=3+,1,1,1,0,4,9.5,0\n"
    "1,path=other,2,2,1,0,2.5,9.5,0\n");
  free(csv);

  /* With 13 departments (a0 to a12) the chain is a path of its own. */
  char fewer[8192];
  snprintf(fewer, sizeof fewer, "%s", yaml);
  char *last = strstr(fewer, "  a13:");
  assert_non_null(last);
  *last = '\0';
  char *arrival = strstr(fewer, "to: a14");
  assert_non_null(arrival);
  memcpy(arrival, "to: a12", 7);
  write_file("jt-chain14.yaml", fewer);
  csv = run("jt-chain14.yaml", "jt-chain14", "journeys.csv");
  assert_string_equal(csv,
    "replication,group,customers,served,service_level,wait_mean,sojourn_mean,"
    "satisfaction_mean,abandoned\n"
    "1,handoffs=0,1,1,1,0,1,9.5,0\n"
    "1,handoffs=1,0,0,,,,,0\n"
    "1,handoffs=2,0,0,,,,,0\n"
    "1,handoffs=3+,1,1,1,0,4,9.5,0\n"
    "1,path=a12,1,1,1,0,1,9.5,0\n"            /* code 0xd: first of equals */
    "1,path=a0>a1>a2>a3,1,1,1,0,4,9.5,0\n");  /* code 0x4321 */
  free(csv);
}

/* One department: every journey has the same path, so there are no path
 * rows; handoffs=0 is everyone. Arrivals at 0 and 1, service 3: waits 0
 * and 2 (within 1: one of two), sojourns 3 and 5. */
static void one_department(void **state)
{
  (void)state;
  write_file("jt-one.csv", "0\n1\n");
  write_file("jt-one.yaml",
             "loket: 1\nname: One\nhorizon: 30\nreplications: 1\n"
             "service_level: {within: 1}\n"
             "arrivals: [{to: desk, trace: jt-one.csv}]\n"
             "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 3}}\n");
  char *csv = run("jt-one.yaml", "jt-one", "journeys.csv");
  assert_string_equal(csv,
    "replication,group,customers,served,service_level,wait_mean,sojourn_mean,"
    "satisfaction_mean,abandoned\n"
    "1,handoffs=0,2,2,0.5,1,4,8.75,0\n"
    "1,handoffs=1,0,0,,,,,0\n"
    "1,handoffs=2,0,0,,,,,0\n"
    "1,handoffs=3+,0,0,,,,,0\n");
  free(csv);
}

/* The trail: a path code while it fits, then the set of departments. */
static void trail_codes_and_overflow(void **state)
{
  (void)state;
  uint64_t t = 0;
  t = model_trail_visit(t, 2, true);
  t = model_trail_visit(t, 0, true);
  t = model_trail_visit(t, 2, true);
  assert_true(model_trail_path(t, true) == 0x313);
  assert_true(model_trail_visited(t, true) == 0x5);
  /* Fifteen visits fit; the sixteenth turns the trail into a set. */
  t = 0;
  for (int v = 0; v < 15; v++)
    t = model_trail_visit(t, (uint32_t)(v % 2 ? 13 : 1), true);
  assert_true(model_trail_path(t, true) != MODEL_PATH_OTHER);
  assert_true(model_trail_visited(t, true) == ((UINT64_C(1) << 13) | 2));
  t = model_trail_visit(t, 6, true);
  assert_true(model_trail_path(t, true) == MODEL_PATH_OTHER);
  assert_true(model_trail_visited(t, true) == ((UINT64_C(1) << 13) | (1 << 6) | 2));
  t = model_trail_visit(t, 9, true);
  assert_true(model_trail_visited(t, true) ==
              ((UINT64_C(1) << 13) | (1 << 9) | (1 << 6) | 2));
  /* More than 14 departments: a set from the start, no path. */
  t = model_trail_visit(0, 40, false);
  t = model_trail_visit(t, 63, false);
  t = model_trail_visit(t, 64, false);   /* beyond the set: not kept */
  assert_true(model_trail_path(t, false) == MODEL_PATH_OTHER);
  assert_true(model_trail_visited(t, false) == ((UINT64_C(1) << 63) | (UINT64_C(1) << 40)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(trail_codes_and_overflow),
    cmocka_unit_test(groups_by_handoffs_and_path),
    cmocka_unit_test(three_handoffs_and_other),
    cmocka_unit_test(one_department),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
