/* `loket sweep` and `loket merge`: the same bytes serial, threaded and
 * sharded; refusing incomplete shards; resuming; common random numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "testing.h"

#define MMC LOKET_SOURCE_DIR "/scenarios/mmc.yaml"
#define VARY " --vary departments.counter.staff=4,5 --vary arrivals.0.rate=2.4:2.7:0.3" \
             " --replications 5 --quiet"

static void same_file(const char *a, const char *b)
{
  char *x = test_slurp(a), *y = test_slurp(b);
  if (!x || !y)
    fail_msg("missing %s or %s", a, b);
  assert_string_equal(x, y);
  free(x);
  free(y);
}

static void same_outputs(const char *a, const char *b)
{
  char pa[256], pb[256];
  snprintf(pa, sizeof pa, "%s/sweep.csv", a);
  snprintf(pb, sizeof pb, "%s/sweep.csv", b);
  same_file(pa, pb);
  snprintf(pa, sizeof pa, "%s/sweep_replications.csv", a);
  snprintf(pb, sizeof pb, "%s/sweep_replications.csv", b);
  same_file(pa, pb);
}

static void serial_threads_shards_agree(void **state)
{
  (void)state;
  test_sh("rm -rf sw-serial sw-threads sw-shards");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-serial --jobs 1"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-threads --jobs 2"), 0);
  for (int i = 0; i < 3; i++)
    assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-shards --shard %d/3", i), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-shards > /dev/null"), 0);
  same_outputs("sw-serial", "sw-threads");
  same_outputs("sw-serial", "sw-shards");
  /* 2 x 2 points, 5 replications; the varied parameters lead. */
  char *points = test_slurp("sw-serial/sweep.csv");
  assert_true(strncmp(points, "departments.counter.staff,arrivals.0.rate,arrivals_mean,"
                      "arrivals_ci95,served_mean,", 82) == 0);
  size_t lines = 0;
  for (char *p = points; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, 5);
  assert_non_null(strstr(points, "\n5,2.7,"));
  free(points);
}

static void merge_refuses_missing_and_duplicates(void **state)
{
  (void)state;
  test_sh("rm -rf sw-part");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-part --shard 0/2"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-part 2> sw-err.txt"), 1);
  char *err = test_slurp("sw-err.txt");
  assert_non_null(strstr(err, "10 of 20 tasks are missing"));
  free(err);
  assert_int_equal(test_sh("cp sw-part/tasks-0-of-2.csv sw-part/tasks-1-of-2.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-part 2> sw-err.txt"), 1);
  err = test_slurp("sw-err.txt");
  assert_non_null(strstr(err, "appear in more than one shard"));
  free(err);
  assert_int_equal(test_sh("test -e sw-part/sweep.csv"), 1);
  assert_int_equal(test_sh(LOKET_BINARY " merge no-such-folder 2> sw-err.txt"), 2);
}

/* A killed sweep: its journal holds some finished tasks and half a line.
 * Running again skips the finished ones and gives the serial result. (The
 * killed sweep's folder is made from a whole serial sweep of its own, so
 * this test needs no other test to have run first.) */
static void resume_after_kill(void **state)
{
  (void)state;
  test_sh("rm -rf sw-resume-ref sw-resume && mkdir sw-resume");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-resume-ref --jobs 1"), 0);
  assert_int_equal(test_sh("cp sw-resume-ref/sweep-plan.csv sw-resume/"), 0);
  assert_int_equal(test_sh("head -n 8 sw-resume-ref/tasks-0-of-1.csv > sw-resume/tasks-0-of-1.csv"
                      " && printf '7,1234' >> sw-resume/tasks-0-of-1.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-resume --progress"
                      " 2> sw-err.txt"), 0);
  char *err = test_slurp("sw-err.txt");
  assert_non_null(strstr(err, "7 tasks of this sweep already done"));
  assert_non_null(strstr(err, "tasks 13/13"));
  free(err);
  same_outputs("sw-resume-ref", "sw-resume");
  /* Another sweep into the same folder is refused. */
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary departments.counter.staff=6"
                      " --out sw-resume --quiet 2> sw-err.txt"), 2);
}

/* Common random numbers: replication r sees the same customers at every
 * point, so the difference between two staffings varies far less between
 * replications than with independent streams (here: another seed). */
static double sd_of_differences(const char *a_dir, const char *b_dir, int column)
{
  char path[256];
  snprintf(path, sizeof path, "%s/sweep_replications.csv", a_dir);
  char *a = test_slurp(path);
  snprintf(path, sizeof path, "%s/sweep_replications.csv", b_dir);
  char *b = test_slurp(path);
  double d[64], sum = 0;
  int n = 0;
  char *pa = strchr(a, '\n') + 1, *pb = strchr(b, '\n') + 1;
  /* Rows: point 1's replications 1..R, then point 2's. */
  char *rows_a[128], *rows_b[128];
  int na = 0, nb = 0;
  for (; *pa; pa = strchr(pa, '\n') + 1)
    rows_a[na++] = pa;
  for (; *pb; pb = strchr(pb, '\n') + 1)
    rows_b[nb++] = pb;
  int R = na / 2;
  for (int r = 0; r < R; r++) {
    double x[2];
    char *rows[2] = {rows_a[r], rows_b[R + r]};
    for (int k = 0; k < 2; k++) {
      char *p = rows[k];
      for (int c = 0; c < column; c++)
        p = strchr(p, ',') + 1;
      x[k] = strtod(p, NULL);
    }
    d[n] = x[0] - x[1];
    sum += d[n++];
  }
  double mean = sum / n, ss = 0;
  for (int i = 0; i < n; i++)
    ss += (d[i] - mean) * (d[i] - mean);
  free(a);
  free(b);
  return sqrt(ss / (n - 1));
}

static void common_random_numbers_narrow_differences(void **state)
{
  (void)state;
  test_sh("rm -rf sw-crn sw-other");
  /* A small change (mean service 0.95 against 1 at 3 staff, loads 0.86
   * and 0.9), where the two points' queues move together. */
  const char *vary = " --vary departments.counter.service.mean=0.95,1 --replications 20"
                     " --quiet --set horizon=1500 --set warmup=100";
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC "%s --out sw-crn", vary), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC "%s --out sw-other --seed 99", vary), 0);
  /* Column 7 of sweep_replications.csv (0-based: the varied value,
   * replication, then the summary columns) is wait_mean. The CI of the
   * difference is proportional to this sd. */
  double crn = sd_of_differences("sw-crn", "sw-crn", 7);
  double independent = sd_of_differences("sw-crn", "sw-other", 7);
  printf("  sd of the difference in mean wait: %.4f with common random "
         "numbers, %.4f without\n", crn, independent);
  assert_true(crn < independent / 1.5);
}

static void scenario_sweep_block_and_errors(void **state)
{
  (void)state;
  FILE *f = fopen("sw-block.yaml", "w");
  fputs("horizon: 300\nreplications: 2\n"
        "sweep: {vary: {departments.desk.staff: [1, 2]}}\n"
        "arrivals: [{to: desk, rate: 0.5}]\n"
        "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n", f);
  fclose(f);
  test_sh("rm -rf sw-block");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-block.yaml --out sw-block --quiet"), 0);
  char *points = test_slurp("sw-block/sweep.csv");
  assert_non_null(strstr(points, "\n1,"));
  assert_non_null(strstr(points, "\n2,"));
  free(points);
  /* A bad value is reported with its override; nothing to vary; bad --vary. */
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-block.yaml --vary departments.desk.staff=2,-1"
                      " --out sw-bad 2> sw-err.txt"), 2);
  char *err = test_slurp("sw-err.txt");
  assert_non_null(strstr(err, "--set departments.desk.staff=-1: error: staff must be"));
  free(err);
  assert_int_equal(test_sh("test -e sw-bad"), 1);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " 2> sw-err.txt"), 2);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary staff 2> sw-err.txt"), 2);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary a=1:0:1 2> sw-err.txt"), 2);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary a=1 --shard 3/3 2> sw-err.txt"), 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(serial_threads_shards_agree),
    cmocka_unit_test(merge_refuses_missing_and_duplicates),
    cmocka_unit_test(resume_after_kill),
    cmocka_unit_test(common_random_numbers_narrow_differences),
    cmocka_unit_test(scenario_sweep_block_and_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
