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
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "testing.h"

#define MMC LOKET_SOURCE_DIR "/scenarios/mmc.yaml"
#define VARY " --vary departments.counter.staff=4,5 --vary arrivals.0.rate=2.4:2.7:0.3" \
             " --replications 5 --quiet"

static void same_outputs(const char *a, const char *b)
{
  char pa[256], pb[256];
  snprintf(pa, sizeof pa, "%s/sweep.csv", a);
  snprintf(pb, sizeof pb, "%s/sweep.csv", b);
  test_same_file(pa, pb);
  snprintf(pa, sizeof pa, "%s/sweep_replications.csv", a);
  snprintf(pb, sizeof pb, "%s/sweep_replications.csv", b);
  test_same_file(pa, pb);
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

static void stderr_has(const char *text);

static void merge_refuses_missing_and_duplicates(void **state)
{
  (void)state;
  test_sh("rm -rf sw-part");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-part --shard 0/2"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-part 2> sw-err.txt"), 1);
  char *err = test_slurp("sw-err.txt");
  assert_non_null(strstr(err, "10 of 20 tasks are missing"));
  free(err);
  /* The same tasks again, to the bit (what a sweep resumed with other
   * shards does): still the same 10 missing. */
  assert_int_equal(test_sh("cp sw-part/tasks-0-of-2.csv sw-part/tasks-1-of-2.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-part 2> sw-err.txt"), 1);
  err = test_slurp("sw-err.txt");
  assert_non_null(strstr(err, "10 of 20 tasks are missing"));
  free(err);
  /* A task with other results is refused at its line, as damage. */
  assert_int_equal(test_sh("sed -i '2s/^\\([^,]*,[^,]*,[^,]*\\),[0-9]*/\\1,99999/' "
                           "sw-part/tasks-1-of-2.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-part 2> sw-err.txt"), 2);
  stderr_has("sw-part/tasks-|-of-2.csv:2: task |was read before with other results");
  assert_int_equal(test_sh("test -e sw-part/sweep.csv"), 1);
  /* A copy of a journal under another name is not a journal. */
  assert_int_equal(test_sh("rm sw-part/tasks-1-of-2.csv && cp sw-part/tasks-0-of-2.csv "
                           "sw-part/tasks-0-of-2.csv.bak && cp sw-part/tasks-0-of-2.csv "
                           "sw-part/tasks-01-of-2.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-part 2> sw-err.txt"), 1);
  stderr_has("10 of 20 tasks are missing (the first is task 1: point 1, replication 2) "
             "in 1 shard file in");
  /* A FIFO where a journal would be is refused at once, not waited on. */
  assert_int_equal(test_sh("mkfifo sw-part/tasks-1-of-2.csv && timeout 10 " LOKET_BINARY
                           " merge sw-part 2> sw-err.txt"), 2);
  stderr_has("cannot read 'sw-part/tasks-1-of-2.csv': it is not a plain file");
  assert_int_equal(test_sh(LOKET_BINARY " merge no-such-folder 2> sw-err.txt"), 2);
}

/* A sweep run again with another division of its tasks (shards, then the
 * plain command; or ranks) skips what the other journals hold: nothing
 * runs twice, and the folder merges to the serial result. (Each process
 * read only its own journal: every task ran again and the folder could
 * not be merged any more.) */
static void resumed_with_other_shards_skips_done_tasks(void **state)
{
  (void)state;
  test_sh("rm -rf sw-layout sw-layout-serial");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-layout-serial"), 0);
  for (int i = 0; i < 2; i++)
    assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-layout --shard %d/2",
                             i), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --progress --out sw-layout "
                           "2> sw-err.txt"), 0);
  stderr_has("loket: 20 tasks of this sweep already done in 'sw-layout', skipped");
  assert_int_equal(test_sh("test $(wc -l < sw-layout/tasks-0-of-1.csv) -eq 1"), 0);
  same_outputs("sw-layout-serial", "sw-layout");
  /* Half of them in shards of three, the rest by the plain command; two
   * other shards have only just begun their journals (empty; half a
   * header): no task done there, nothing refused. */
  test_sh("rm -rf sw-layout");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-layout --shard 1/3"), 0);
  assert_int_equal(test_sh(": > sw-layout/tasks-0-of-3.csv && printf 'format,ta' > "
                           "sw-layout/tasks-2-of-3.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --progress --out sw-layout "
                           "2> sw-err.txt"), 0);
  stderr_has("loket: 7 tasks of this sweep already done");
  same_outputs("sw-layout-serial", "sw-layout");
}

/* A killed sweep: its journal holds some finished tasks and half a line.
 * Running again skips the finished ones and gives the serial result. (The
 * killed sweep's folder is made from a whole serial sweep of its own, so
 * this test needs no other test to have run first.) */
static void resume_after_kill(void **state)
{
  (void)state;
  /* Its own uninterrupted sweep to compare with: no test depends on
   * another's folder. */
  test_sh("rm -rf sw-resume sw-resume-ref && mkdir sw-resume");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-resume-ref"), 0);
  assert_int_equal(test_sh("cp sw-resume-ref/sweep-plan.csv sw-resume/"), 0);
  assert_int_equal(test_sh("head -n 8 sw-resume-ref/tasks-0-of-1.csv > sw-resume/tasks-0-of-1.csv"
                      " && printf '2,7,1234' >> sw-resume/tasks-0-of-1.csv"), 0);
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
  /* If common random numbers bought nothing, both sds would estimate the
   * same sigma from 20 differences each, and their squared ratio would
   * follow F(19, 19) (roughly: the two share one point's rows). Require it
   * below F's 1 % quantile (0.34: the sd at most 0.59 of the other's), so
   * a run without the correlation fails with probability about 0.99; the
   * correlation here (two loads 4 % apart) makes the sd far smaller. */
  double bound = sqrt(gsl_cdf_fdist_Pinv(0.01, 19, 19));
  printf("  sd of the difference in mean wait: %.4f with common random "
         "numbers, %.4f without (must be below %.3f of it)\n", crn, independent, bound);
  assert_true(crn < independent * bound);
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
  /* A sign is no digit (sscanf's %llu took 0/-18446744073709551615 as 0/1). */
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary a=1 --shard "
                           "0/-18446744073709551615 2> sw-err.txt"), 2);
  stderr_has("--shard must be I/N with 0 <= I < N, got '0/-18446744073709551615'");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary a=1 --shard ' 0/2' "
                           "2> sw-err.txt"), 2);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Every part of `text` between '|' is in sw-err.txt. */
static void stderr_has(const char *text)
{
  char *err = test_slurp("sw-err.txt"), part[512];
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, "|");
    snprintf(part, sizeof part, "%.*s", (int)n, p);
    if (!err || !strstr(err, part))
      fail_msg("expected '%s' in: %s", part, err ? err : "(no sw-err.txt)");
    p += n + (p[n] == '|');
  }
  free(err);
}

#define SMALL " --vary departments.counter.staff=4,5 --replications 2 --quiet" \
              " --set horizon=200 --set warmup=10"

/* A journal planted as a symbolic link is refused, its target untouched. */
static void planted_journal_link_refused(void **state)
{
  (void)state;
  test_sh("rm -rf sw-link && mkdir sw-link");
  write_file("sw-victim.txt", "precious\n");
  assert_int_equal(test_sh("ln -s ../sw-victim.txt sw-link/tasks-0-of-1.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC SMALL " --out sw-link 2> sw-err.txt"), 1);
  stderr_has("cannot open the journal 'sw-link/tasks-0-of-1.csv': it is a symbolic link");
  char *victim = test_slurp("sw-victim.txt");
  assert_string_equal(victim, "precious\n");
  free(victim);
}

/* Two sweeps into one folder at once: the second finds the journal locked
 * and is refused; once the lock is gone the sweep runs. */
static void concurrent_sweep_refused(void **state)
{
  (void)state;
  test_sh("rm -rf sw-lock && mkdir sw-lock");
  int fd = open("sw-lock/tasks-0-of-1.csv", O_RDWR | O_CREAT, 0644);
  assert_true(fd >= 0);
  assert_int_equal(flock(fd, LOCK_EX), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC SMALL " --out sw-lock 2> sw-err.txt"), 1);
  stderr_has("another loket sweep is running into 'sw-lock/tasks-0-of-1.csv'");
  assert_int_equal(test_sh("test -s sw-lock/tasks-0-of-1.csv"), 1);  /* untouched */
  /* No about.csv either: the refused run writes nothing (it wrote about.csv
   * before it found the lock taken). */
  assert_int_equal(test_sh("test -e sw-lock/about.csv"), 1);
  close(fd);
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC SMALL " --out sw-lock 2> sw-err.txt"), 0);
  assert_int_equal(test_sh("test -s sw-lock/sweep.csv"), 0);
}

/* A resumed sweep with another scenario text, other overrides or another
 * trace file is refused, saying which; the same sweep is accepted. */
static void resume_refuses_changed_model(void **state)
{
  (void)state;
  const char *yaml = "horizon: 300\nreplications: 2\n"
                     "arrivals: [{to: desk, trace: sw-pin-trace.csv}, {to: desk, rate: 0.5}]\n"
                     "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n";
  write_file("sw-pin.yaml", yaml);
  write_file("sw-pin-trace.csv", "at\n1.5\n2.25\n40\n");
  test_sh("rm -rf sw-pin");
  const char *vary = " --vary departments.desk.staff=1,2 --quiet --out sw-pin";
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-pin.yaml%s --shard 0/2", vary), 0);

  test_sh("echo '# a comment' >> sw-pin.yaml");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-pin.yaml%s --shard 1/2 2> sw-err.txt", vary), 2);
  stderr_has("the scenario file changed since this sweep started");
  write_file("sw-pin.yaml", yaml);

  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-pin.yaml%s --shard 1/2 --set warmup=1"
                           " 2> sw-err.txt", vary), 2);
  stderr_has("--set differs: the sweep has none, this run has warmup=1");

  write_file("sw-pin-trace.csv", "at\n1.5\n2.5\n40\n");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-pin.yaml%s --shard 1/2 2> sw-err.txt", vary), 2);
  stderr_has("a file the scenario reads (a trace or empirical values) changed");
  write_file("sw-pin-trace.csv", "at\n1.5\n2.25\n40\n");

  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-pin.yaml%s --shard 1/2 2> sw-err.txt", vary), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-pin > /dev/null"), 0);
}

/* A sweep that cannot write about.csv (a folder is in its way) fails with
 * the reason instead of going on without it. */
static void about_csv_failure_reported(void **state)
{
  (void)state;
  test_sh("rm -rf sw-about && mkdir -p sw-about/about.csv");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC SMALL " --out sw-about 2> sw-err.txt"), 1);
  stderr_has("loket: error: cannot replace 'sw-about/about.csv': Is a directory");
  assert_int_equal(test_sh("test -e sw-about/sweep.csv"), 1);
}

/* Parameters a sweep cannot vary, and one path varied twice. */
static void vary_refusals(void **state)
{
  (void)state;
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary seed=1,2 --out sw-no 2> sw-err.txt"), 2);
  stderr_has("--vary seed: every point of a sweep uses the same seed");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary replications=2,3 --out sw-no"
                           " 2> sw-err.txt"), 2);
  stderr_has("--vary replications: every point of a sweep has the same replications");
  /* Nor can a variant set them (it was silently ignored: every point ran
   * with the scenario's seed and replications). */
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --variant a:seed=3 --variant "
                           "b:departments.counter.staff=4 --out sw-no 2> sw-err.txt"), 2);
  stderr_has("--variant a: seed: every point of a sweep uses the same seed");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --variant a:departments.counter."
                           "staff=3,replications=5 --variant b:departments.counter.staff=4"
                           " --out sw-no 2> sw-err.txt"), 2);
  stderr_has("--variant a: replications: every point of a sweep has the same");
  /* In the scenario's sweep: block, with the place. */
  write_file("sw-shared.yaml", "horizon: 300\nreplications: 2\n"
             "sweep:\n  variants:\n    one: {departments.desk.staff: 1}\n"
             "    two: {seed: 99, departments.desk.staff: 2}\n"
             "arrivals: [{to: desk, rate: 0.5}]\n"
             "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-shared.yaml --out sw-no 2> sw-err.txt"), 2);
  stderr_has("sw-shared.yaml:6:11: error: a sweep cannot set 'seed' per point: every "
             "point uses the scenario's seed");
  write_file("sw-shared.yaml", "horizon: 300\nreplications: 2\n"
             "sweep: {vary: {replications: [2, 3]}}\n"
             "arrivals: [{to: desk, rate: 0.5}]\n"
             "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-shared.yaml --out sw-no 2> sw-err.txt"), 2);
  stderr_has("sw-shared.yaml:3:16: error: a sweep cannot set 'replications' per point|"
             "give replications at the top level or --replications R");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC " --vary departments.counter.staff=3,4"
                           " --vary departments.counter.staff=5 --out sw-no 2> sw-err.txt"), 2);
  stderr_has("--vary departments.counter.staff is given twice");
  assert_int_equal(test_sh("test -e sw-no"), 1);
}

/* Plans and journals are read back row by row, with FILE:LINE errors. */
static void damaged_plans_and_journals_refused(void **state)
{
  (void)state;
  test_sh("rm -rf sw-dmg && mkdir sw-dmg");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC SMALL " --out sw-dmg"), 0);
  struct { const char *edit, *message; int status; } cases[] = {
    {"sed -i '/^format,/d' sw-dmg/sweep-plan.csv",
     "sweep-plan.csv:2: the plan has no format version", 2},
    {"sed -i 's/^format,.*/format,2/' sw-dmg/sweep-plan.csv",
     "sweep-plan.csv:2: the plan is of format 2, this loket reads format 3", 2},
    {"sed -i 's/^replications,.*/replications,99999999999999999999/' sw-dmg/sweep-plan.csv",
     "sweep-plan.csv:3: column 'value': expected a whole number from 1 to 1000000", 2},
    {"for a in a b c d e f g; do printf 'vary,%s\n' $a; for v in 0 1 2 3 4 5 6 7 8 9; do"
     " printf 'value,%s\n' $v; done; done >> sw-dmg/sweep-plan.csv",
     "sweep-plan.csv: the sweep has more than a million points", 2},
    {"printf 'variant,x\n' >> sw-dmg/sweep-plan.csv",
     "sweep-plan.csv: |the variant 'x' has no variant_set row", 2},
    {"printf 'variant_set,name=x\n' >> sw-dmg/sweep-plan.csv",
     "sweep-plan.csv:12: a variant_set before the first 'variant' row", 2},
    {"printf 'variant,a:b\nvariant_set,name=x\n' >> sw-dmg/sweep-plan.csv",
     "sweep-plan.csv:12: a variant name holds no control characters", 2},
    {"sed -i '3s/,[^,]*$//' sw-dmg/tasks-0-of-1.csv",
     "tasks-0-of-1.csv:3: |fields, but the header has", 2},
    {"sed -i '4s/^3,[0-9]*,/3,77,/' sw-dmg/tasks-0-of-1.csv",
     "tasks-0-of-1.csv:4: column 'task': expected a whole number from 0 to 3", 2},
    {"sed -i '1s/^format,//; s/^3,//' sw-dmg/tasks-0-of-1.csv",
     "tasks-0-of-1.csv:1: there is no column 'format'", 2},
    {"sed -i '2s/,[^,]*,/,zz,/' sw-dmg/tasks-0-of-1.csv",
     "expected a whole number from 0 to 3, got 'zz'", 2},
    /* A row of another sweep, of a journal of the older format. */
    {"sed -i '3s/^\\(3,[0-9]*,\\)[0-9a-f]*/\\10123456789abcdef/' sw-dmg/tasks-0-of-1.csv",
     "tasks-0-of-1.csv:3: this row belongs to another sweep (plan '0123456789abcdef', "
     "this folder's ", 2},
    {"sed -i '1s/^format,task,plan,/format,task,/; s/^\\(3,[0-9]*\\),[0-9a-f]*/\\1/; "
     "s/^3,/2,/' sw-dmg/tasks-0-of-1.csv",
     "tasks-0-of-1.csv:2: a row of format 2; this loket writes format 3", 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    test_sh("rm -rf sw-dmg2 && cp -r sw-dmg sw-dmg2");
    char edit[1024];
    snprintf(edit, sizeof edit, "%s", cases[i].edit);
    for (char *p = strstr(edit, "sw-dmg/"); p; p = strstr(p + 1, "sw-dmg/"))
      memmove(p + 7, p + 6, strlen(p + 6) + 1), memcpy(p, "sw-dmg2", 7);
    assert_int_equal(test_sh("%s", edit), 0);
    int rc = test_sh(LOKET_BINARY " merge sw-dmg2 2> sw-err.txt > /dev/null");
    if (rc != cases[i].status)
      fail_msg("case %zu: exit %d, expected %d", i, rc, cases[i].status);
    stderr_has(cases[i].message);
  }
}

/* Variants are points: a sweep over two named staff schedules, crossed
 * with a varied rate, gives the same bytes serial, in two shards merged
 * and resumed after a kill; the variants share their random numbers, and
 * --variant on the command line is the same as the scenario's block. */
static const char variants_yaml[] =
  "horizon: 240\nreplications: 3\nseed: 7\n"
  "arrivals: [{to: desk, rate: 1.2}]\n"
  "departments:\n  desk: {staff: 2, service: {dist: exponential, mean: 1.5}}\n"
  "sweep:\n"
  "  variants:\n"
  "    flat: {departments.desk.staff: 2}\n"
  "    lunch-cut: {departments.desk.staff: [{at: 0, staff: 2}, {at: 120, staff: 1},"
  " {at: 150, staff: 2}]}\n"
  "  vary: {arrivals.0.rate: [0.9, 1.2]}\n";

static void variants_are_points(void **state)
{
  (void)state;
  write_file("sw-var.yaml", variants_yaml);
  test_sh("rm -rf sw-var sw-var-shards sw-var-cli sw-var-resume");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-var --quiet"), 0);
  for (int i = 0; i < 2; i++)
    assert_int_equal(test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-var-shards --quiet"
                             " --shard %d/2", i), 0);
  assert_int_equal(test_sh(LOKET_BINARY " merge sw-var-shards > /dev/null"), 0);
  same_outputs("sw-var", "sw-var-shards");

  char *points = test_slurp("sw-var/sweep.csv");
  assert_true(strncmp(points, "variant,arrivals.0.rate,arrivals_mean,", 38) == 0);
  char *lines[5] = {0};
  size_t n = 0;
  for (char *p = points; *p && n < 5; p++)
    if (p == points || p[-1] == '\n')
      lines[n++] = p;
  assert_int_equal(n, 5);
  assert_true(strncmp(lines[1], "flat,0.9,", 9) == 0);
  assert_true(strncmp(lines[3], "lunch-cut,0.9,", 14) == 0);
  /* Common random numbers: the same arrivals in both variants. */
  assert_true(strncmp(lines[1] + 9, lines[3] + 14, strcspn(lines[3] + 14, ",")) == 0);
  /* ...and the cut shows: other waits. */
  assert_true(strcmp(strchr(lines[1] + 9, ','), strchr(lines[3] + 14, ',')) != 0);
  free(points);
  char *plan = test_slurp("sw-var/sweep-plan.csv");
  assert_non_null(strstr(plan, "\nvariant,lunch-cut\nvariant_set,\"departments.desk.staff="
                               "[{at: 0, staff: 2}, {at: 120, staff: 1}, {at: 150, staff: 2}]\"\n"
                               "vary,arrivals.0.rate\n"));
  free(plan);

  /* The same from the command line (the block is then not used). */
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-var-cli --quiet"
                           " --variant flat:departments.desk.staff=2"
                           " --variant 'lunch-cut:departments.desk.staff=[{at: 0, staff: 2},"
                           " {at: 120, staff: 1}, {at: 150, staff: 2}]'"
                           " --vary arrivals.0.rate=0.9,1.2"), 0);
  same_outputs("sw-var", "sw-var-cli");

  /* Resumed after a kill: 5 of 12 tasks done and half a line. */
  assert_int_equal(test_sh("mkdir sw-var-resume && cp sw-var/sweep-plan.csv sw-var-resume/ &&"
                           " head -n 6 sw-var/tasks-0-of-1.csv > sw-var-resume/tasks-0-of-1.csv"
                           " && printf '2,9,12' >> sw-var-resume/tasks-0-of-1.csv"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-var-resume --progress"
                           " 2> sw-err.txt"), 0);
  stderr_has("5 tasks of this sweep already done");
  same_outputs("sw-var", "sw-var-resume");
  /* Another variant's values into the same folder are refused. */
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-var-cli --quiet"
                           " --variant flat:departments.desk.staff=2"
                           " --variant lunch-cut:departments.desk.staff=1"
                           " --vary arrivals.0.rate=0.9,1.2 2> sw-err.txt"), 2);
  stderr_has("holds a different sweep: the variants' values differ");
}

/* A --vary value with commas inside brackets is one value; errors in
 * --variant and --vary say what is wrong. */
static void variant_and_vary_errors(void **state)
{
  (void)state;
  write_file("sw-var.yaml", variants_yaml);
  test_sh("rm -rf sw-flow");
  assert_int_equal(test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-flow --quiet"
                           " --vary 'departments.desk.staff=[{at: 0, staff: 2}],"
                           "[{at: 0, staff: 3}]'"), 0);
  char *points = test_slurp("sw-flow/sweep.csv");
  assert_true(strncmp(points, "departments.desk.staff,arrivals_mean,", 37) == 0);
  assert_non_null(strstr(points, "\n\"[{at: 0, staff: 2}]\","));
  assert_non_null(strstr(points, "\n\"[{at: 0, staff: 3}]\","));
  free(points);
  struct { const char *args, *message; } cases[] = {
    {"--variant nocolon", "--variant nocolon: expected NAME:PATH=VALUE"},
    {"--variant a:staff", "--variant a:staff: 'staff' is not PATH=VALUE"},
    {"--variant 'a:x=[1,2'", "in 'x=[1,2' a '[' is not closed"},
    {"--variant a:name=x --variant a:name=y", "the variant 'a' is given twice"},
    {"--variant a:name=x --vary variant=1,2", "'variant' names the variants' column"},
    {"--vary 'departments.desk.staff=[1,2'", "--vary departments.desk.staff=[1,2: in "
                                             "'[1,2' a '[' is not closed"},
    {"--variant 'bad:departments.desk.staff=[{at: 0, staff: -1}]'",
     "in variant 'bad' of the sweep:|staff must be a whole number >= 0"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = test_sh(LOKET_BINARY " sweep sw-var.yaml --out sw-var-no %s 2> sw-err.txt",
                     cases[i].args);
    if (rc != 2)
      fail_msg("case %zu: exit %d, expected 2", i, rc);
    stderr_has(cases[i].message);
  }
  assert_int_equal(test_sh("test -e sw-var-no"), 1);
}

/* A scenario that can be read only once (a pipe, `loket sweep <(generate)`)
 * sweeps as its file does: the text is read and parsed once for every
 * point (it used to be read again per point, and a pipe then gave an empty
 * scenario). */
static void scenario_through_a_pipe(void **state)
{
  (void)state;
  test_sh("rm -rf sw-file sw-pipe");
  assert_int_equal(test_sh(LOKET_BINARY " sweep " MMC VARY " --out sw-file"), 0);
  assert_int_equal(test_sh("cat " MMC " | " LOKET_BINARY " sweep /dev/stdin" VARY
                           " --out sw-pipe"), 0);
  same_outputs("sw-file", "sw-pipe");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(serial_threads_shards_agree),
    cmocka_unit_test(merge_refuses_missing_and_duplicates),
    cmocka_unit_test(resumed_with_other_shards_skips_done_tasks),
    cmocka_unit_test(resume_after_kill),
    cmocka_unit_test(common_random_numbers_narrow_differences),
    cmocka_unit_test(scenario_sweep_block_and_errors),
    cmocka_unit_test(planted_journal_link_refused),
    cmocka_unit_test(concurrent_sweep_refused),
    cmocka_unit_test(resume_refuses_changed_model),
    cmocka_unit_test(vary_refusals),
    cmocka_unit_test(about_csv_failure_reported),
    cmocka_unit_test(damaged_plans_and_journals_refused),
    cmocka_unit_test(variants_are_points),
    cmocka_unit_test(variant_and_vary_errors),
    cmocka_unit_test(scenario_through_a_pipe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
