/* loket compare: paired differences computed by hand on tiny run folders
 * written here, refusals with their exact messages, and variants of one
 * scenario run with common random numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testing.h"
#include "models/metrics.h"

static bool exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* Writes a run folder of 4 replications, one department, two intervals:
 * the summary's wait_mean is `wait`, every other number is the
 * replication's index plus a constant, the same in every folder. */
static void write_run(const char *dir, const char *seed, const char *replications,
                      const char *department, const double wait[4])
{
  test_sh("rm -rf %s && mkdir -p %s", dir, dir);
  char path[512];
  snprintf(path, sizeof path, "%s/about.csv", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "key,value\nname,Tiny\ntime_unit,minutes\nhorizon,60\ninterval,30\n"
             "service_level_within,5\nreplications,%s\nseed,%s\ndepartments,1\n",
          replications, seed);
  fclose(f);

  snprintf(path, sizeof path, "%s/summary.csv", dir);
  f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "replication");
  for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
    fprintf(f, ",%s", model_summary_columns[c]);
  fprintf(f, "\n");
  for (int i = 0; i < 4; i++) {
    fprintf(f, "%d", i + 1);
    for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
      if (c == MODEL_SUMMARY_wait_mean)
        fprintf(f, ",%.17g", wait[i]);
      else
        fprintf(f, ",%.17g", i + 0.385);
    fprintf(f, "\n");
  }
  fclose(f);

  snprintf(path, sizeof path, "%s/departments.csv", dir);
  f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "replication,department");
  for (size_t c = 0; c < MODEL_DEPARTMENT_NCOLS; c++)
    fprintf(f, ",%s", model_department_columns[c]);
  fprintf(f, "\n");
  for (int i = 0; i < 4; i++) {
    fprintf(f, "%d,%s", i + 1, department);
    for (size_t c = 0; c < MODEL_DEPARTMENT_NCOLS; c++)
      fprintf(f, ",%.17g", c == MODEL_DEPARTMENT_wait_mean ? wait[i] : 1.25);
    fprintf(f, "\n");
  }
  fclose(f);

  /* Only the columns compare reads, in an order of their own: the reader
   * finds them by name. */
  snprintf(path, sizeof path, "%s/timeseries.csv", dir);
  f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "wait_mean,t_start,department,service_level,replication\n");
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 2; k++)
      fprintf(f, "%.17g,%d,%s,%.17g,%d\n", k ? 0.5 : wait[i], 30 * k, department,
              k ? 0.75 : 0.5 + 0.125 * i, i + 1);
  fclose(f);
}

/* The numbers of compare.csv's row "SCOPE,METRIC,VARIANT,..." (NaN for an
 * empty field). */
static void row_of(const char *csv, const char *key, double out[4])
{
  char *text = test_slurp(csv);
  assert_non_null(text);
  char *line = strstr(text, key);
  if (!line)
    fail_msg("no row '%s' in %s", key, csv);
  line += strlen(key);
  for (int i = 0; i < 4; i++) {
    char *end;
    out[i] = *line == ',' || *line == '\n' ? NAN : strtod(line, &end);
    if (!isnan(out[i]))
      line = end;
    if (i < 3) {
      assert_int_equal(*line, ',');
      line++;
    }
  }
  free(text);
}

static const double wait_a[4] = {2.0, 4.5, 3.25, 5.125};
/* b: a less 1.75, with the two largest swapped: strongly but not
 * perfectly correlated with a, and of the same variance. */
static const double wait_b[4] = {0.25, 3.375, 1.5, 2.75};

static int loket(const char *args)
{
  return test_sh("%s %s >cmp-stdout.txt 2>cmp-stderr.txt", LOKET_BINARY, args);
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int loket_fmt(const char *fmt, ...)
{
  char args[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  return loket(args);
}

static void paired_differences_by_hand(void **state)
{
  (void)state;
  write_run("cmp-a", "20261122", "4", "desk", wait_a);
  write_run("cmp-b", "20261122", "4", "desk", wait_b);
  test_sh("rm -rf cmp-out");
  assert_int_equal(loket("compare cmp-a cmp-b --out cmp-out"), 0);
  char *head = test_slurp("cmp-out/compare.csv");
  assert_non_null(head);
  assert_true(!strncmp(head, "scope,metric,variant,mean,diff,diff_ci95,"
                             "diff_ci95_unpaired\n", 60));
  free(head);

  /* The differences b - a are -1.75, -1.125, -1.75, -2.375: mean -1.75,
   * squares of the deviations 0 + 0.390625 + 0 + 0.390625, variance
   * 0.78125 / 3, half-width t(0.975, 3) sqrt(variance / 4). */
  double r[4];
  row_of("cmp-out/compare.csv", "summary,wait_mean,cmp-b,", r);
  assert_near(r[0], (0.25 + 3.375 + 1.5 + 2.75) / 4, 1e-9);
  assert_near(r[1], -1.75, 1e-9);
  double paired = 3.182446305 * sqrt(0.78125 / 3 / 4);
  assert_near(r[2], paired, 1e-8);
  /* Unpaired: both samples have the variance of a, 5.76171875 / 3, so
   * Welch's degrees of freedom are 2 (4 - 1) = 6. */
  double unpaired = 2.446911851 * sqrt(2 * (5.76171875 / 3) / 4);
  assert_near(r[3], unpaired, 1e-8);
  /* What the common random numbers bought. */
  assert_true(r[2] < r[3] / 2.5);

  /* The first variant: its mean, diff 0 and no intervals. */
  row_of("cmp-out/compare.csv", "summary,wait_mean,cmp-a,", r);
  assert_near(r[0], (2.0 + 4.5 + 3.25 + 5.125) / 4, 1e-9);
  assert_near(r[1], 0, 0);
  assert_true(isnan(r[2]) && isnan(r[3]));

  /* Equal in every replication: the difference is exactly 0, and so is its
   * paired interval; the unpaired one is not. */
  row_of("cmp-out/compare.csv", "summary,arrivals,cmp-b,", r);
  assert_near(r[1], 0, 0);
  assert_near(r[2], 0, 0);
  assert_true(r[3] > 1);

  /* Per department and per interval of the day (one department: the
   * interval rows are its own). */
  row_of("cmp-out/compare.csv", "department:desk,wait_mean,cmp-b,", r);
  assert_near(r[1], -1.75, 1e-9);
  assert_near(r[2], paired, 1e-8);
  row_of("cmp-out/compare.csv", "interval:0,wait_mean,cmp-b,", r);
  assert_near(r[1], -1.75, 1e-9);
  row_of("cmp-out/compare.csv", "interval:30,service_level,cmp-b,", r);
  assert_near(r[0], 0.75, 1e-12);
  assert_near(r[1], 0, 0);

  char *variants = test_slurp("cmp-out/variants.csv");
  assert_non_null(variants);
  /* Folders given are written as absolute paths. */
  assert_true(!strncmp(variants, "variant,folder\ncmp-a,/", 22));
  assert_non_null(strstr(variants, "/cmp-a\ncmp-b,/"));
  assert_non_null(strstr(variants, "/cmp-b\n"));
  free(variants);

  /* The table: the difference with its half-width, starred when the
   * interval excludes 0 (|-1.75| > 0.81). */
  char *out = test_slurp("cmp-stdout.txt");
  assert_non_null(out);
  assert_non_null(strstr(out, "wait, mean                     3.72              "
                              "1.97  -1.75 ± 0.81 *\n"));
  free(out);
}

/* Characters of a UTF-8 line: "±" is two bytes and one column. */
static size_t columns_of(const char *s, size_t n)
{
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* The table's columns are as wide as their widest cell or name: a name
 * longer than the old 12 characters is shown whole and numbers of ten
 * billion keep the columns in line. With fixed widths the names were cut
 * and such rows ran past the header. */
static void table_columns_fit_names_and_numbers(void **state)
{
  (void)state;
  static const double big_a[4] = {1.5e10, 2.5e10, 2.0e10, 3.0e10};
  static const double big_b[4] = {1.0e10, 2.25e10, 1.0e10, 2.5e10};
  const char *a = "cmp-the-office-as-it-stands-today";
  write_run(a, "20261122", "4", "desk", big_a);
  write_run("cmp-b", "20261122", "4", "desk", big_b);
  test_sh("rm -rf cmp-out");
  assert_int_equal(loket_fmt("compare %s cmp-b --out cmp-out", a), 0);
  char *out = test_slurp("cmp-stdout.txt");
  assert_non_null(out);
  /* The first line is the heading, then the names, then the rows, then
   * "results in ...". */
  char *line = strchr(out, '\n') + 1;
  char *eol = strchr(line, '\n');
  assert_non_null(eol);
  assert_non_null(strstr(line, a));
  assert_true(strstr(line, a) < eol);
  size_t width = columns_of(line, (size_t)(eol - line)), rows = 0;
  for (line = eol + 1; strncmp(line, "results in", 10) != 0; line = eol + 1, rows++) {
    eol = strchr(line, '\n');
    assert_non_null(eol);
    if (columns_of(line, (size_t)(eol - line)) != width)
      fail_msg("row not as wide as the names (%zu): %.*s", width, (int)(eol - line), line);
  }
  assert_true(rows >= 5);
  assert_non_null(strstr(out, "  wait, mean "));
  /* b - a: -0.5, -0.25, -1, -0.5 (times 1e10), mean -0.5625e10, half-width
   * t(0.975, 3) sqrt(0.296875 / 3 / 4) 1e10. */
  assert_non_null(strstr(out, " 22500000000.00  16875000000.00  -5625000000.00 "
                              "\xc2\xb1 5005613063.34 *\n"));
  free(out);
}

static void refusals(void **state)
{
  (void)state;
  write_run("cmp-a", "20261122", "4", "desk", wait_a);
  write_run("cmp-seed", "7", "4", "desk", wait_b);
  write_run("cmp-reps", "20261122", "5", "desk", wait_b);
  write_run("cmp-dept", "20261122", "4", "front", wait_b);
  write_run("cmp-a2", "20261122", "4", "desk", wait_a);
  write_run("cmp-ver", "20261122", "4", "desk", wait_b);
  test_sh("echo output_version,2 >>cmp-a2/about.csv && "
          "echo output_version,1 >>cmp-ver/about.csv && rm -rf cmp-no");
  static const struct { const char *args, *message; } cases[] = {
    {"compare cmp-a cmp-seed --out cmp-no",
     "loket: error: 'cmp-seed' and 'cmp-a' differ in their seed (7 against "
     "20261122): a paired comparison needs the same seed and replications "
     "(common random numbers)\n"},
    {"compare cmp-a cmp-reps --out cmp-no",
     "loket: error: 'cmp-reps' and 'cmp-a' differ in their replications (5 "
     "against 4): a paired comparison needs the same seed and replications "
     "(common random numbers)\n"},
    {"compare cmp-a cmp-dept --out cmp-no",
     "loket: error: 'cmp-dept' and 'cmp-a' differ in their departments (front "
     "against desk): compare runs of the same scenario\n"},
    {"compare cmp-a2 cmp-ver --out cmp-no",
     "loket: error: 'cmp-ver' and 'cmp-a2' differ in their output_version (1 "
     "against 2): the same seed gave other numbers then; run both again\n"},
    {"compare cmp-a cmp-missing --out cmp-no",
     "loket: error: cannot read 'cmp-missing/about.csv': No such file or directory (is "
     "'cmp-missing' the folder of a loket run?)\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(loket(cases[i].args), 2);
    char *err = test_slurp("cmp-stderr.txt");
    assert_non_null(err);
    assert_string_equal(err, cases[i].message);
    free(err);
    assert_false(exists("cmp-no"));
  }
  /* Usage. */
  assert_int_equal(loket("compare cmp-a"), 2);
  assert_int_equal(loket("compare cmp-a cmp-a --variant x:"), 2);
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--variant 'bad name:' --variant b:"), 2);
  char *err = test_slurp("cmp-stderr.txt");
  assert_non_null(strstr(err, "--variant must be NAME:PATH=VALUE"));
  free(err);
  /* Values are split as sweep's --variant values are, with its messages. */
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--variant 'cut:departments.counter.staff=[{at: 0' --variant b:"), 2);
  err = test_slurp("cmp-stderr.txt");
  assert_non_null(strstr(err, "--variant cut:departments.counter.staff=[{at: 0: in "
                              "'departments.counter.staff=[{at: 0' a '{' is not closed"));
  free(err);
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--variant a: --variant a:seed=3"), 2);
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--variant a:"), 2);
  assert_false(exists("cmp-no"));
  /* Service levels of other thresholds are not compared (the figures
   * labelled both with the first variant's threshold): folders whose
   * about.csv differ in service_level_within, and variants that would,
   * before anything runs. */
  write_run("cmp-w10", "20261122", "4", "desk", wait_a);
  write_run("cmp-w20", "20261122", "4", "desk", wait_b);
  test_sh("sed -i 's/^service_level_within,.*/service_level_within,20/' "
          "cmp-w20/about.csv");
  assert_int_equal(loket("compare cmp-w10 cmp-w20 --out cmp-no"), 2);
  err = test_slurp("cmp-stderr.txt");
  assert_non_null(strstr(err, "'cmp-w20' and 'cmp-w10' differ in their "
                              "service_level_within (20 against 5)"));
  free(err);
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml --variant a: "
                         "--variant b:service_level.within=20 --out cmp-no"), 2);
  err = test_slurp("cmp-stderr.txt");
  assert_non_null(strstr(err, "--variant b: service_level.within is 20"));
  free(err);
  assert_false(exists("cmp-no"));
  /* A variant may not set what pairs them: refused before anything runs
   * (it used to run both and then refuse to compare them). */
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--variant a:seed=5 --variant b: --out cmp-no"), 2);
  err = test_slurp("cmp-stderr.txt");
  assert_non_null(strstr(err, "--variant a: seed: the variants of a comparison share the "
                              "seed and the replications"));
  free(err);
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml --variant a: "
                         "--variant b:departments.counter.staff=4,replications=3 "
                         "--out cmp-no"), 2);
  assert_false(exists("cmp-no"));

  /* Seeds that differ in their twelfth digit are different seeds. */
  assert_int_equal(test_sh("%s run %s --seed 123456789012 --replications 2 "
                           "--set horizon=60 --set warmup=0 --out cmp-s1 --quiet && "
                           "%s run %s --seed 123456789013 --replications 2 "
                           "--set horizon=60 --set warmup=0 --out cmp-s2 --quiet",
                           LOKET_BINARY, LOKET_SOURCE_DIR "/scenarios/mmc.yaml",
                           LOKET_BINARY, LOKET_SOURCE_DIR "/scenarios/mmc.yaml"), 0);
  assert_int_equal(loket("compare cmp-s1 cmp-s2 --out cmp-no"), 2);
  err = test_slurp("cmp-stderr.txt");
  assert_string_equal(err, "loket: error: 'cmp-s2' and 'cmp-s1' differ in their seed "
                           "(123456789013 against 123456789012): a paired comparison "
                           "needs the same seed and replications (common random "
                           "numbers)\n");
  free(err);
  assert_false(exists("cmp-no"));
}

/* Two variants that are the same scenario see the same customers: every
 * paired difference is exactly 0, with a paired interval of 0. A bad
 * variant writes nothing at all. */
static void variants_share_random_numbers(void **state)
{
  (void)state;
  test_sh("rm -rf cmp-var cmp-bad");
  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--replications 3 --set horizon=600 --set warmup=0 "
                         "--variant same: --variant again: "
                         "--variant more:departments.counter.staff=4 "
                         "--out cmp-var --quiet"),
                   0);
  assert_true(exists("cmp-var/same/summary.csv"));
  assert_true(exists("cmp-var/more/timeseries_stats.csv"));
  char *variants = test_slurp("cmp-var/variants.csv");
  assert_string_equal(variants, "variant,folder\nsame,same\nagain,again\nmore,more\n");
  free(variants);
  double r[4];
  row_of("cmp-var/compare.csv", "summary,wait_mean,again,", r);
  assert_near(r[1], 0, 0);
  assert_near(r[2], 0, 0);
  assert_true(r[3] > 0);
  row_of("cmp-var/compare.csv", "summary,arrivals,more,", r);
  assert_near(r[1], 0, 0);   /* the same arrivals with a fourth server */
  row_of("cmp-var/compare.csv", "summary,wait_mean,more,", r);
  assert_true(r[1] < 0);
  /* The groups of journeys.csv by handoffs are compared too. */
  row_of("cmp-var/compare.csv", "journeys:handoffs=0,sojourn_mean,again,", r);
  assert_near(r[1], 0, 0);
  assert_near(r[2], 0, 0);

  /* Its figures, without a word from gnuplot (an error or a warning). */
  if (test_sh("command -v gnuplot >/dev/null") == 0) {
    assert_int_equal(loket("plot cmp-var"), 0);
    char *out = test_slurp("cmp-stdout.txt"), *err = test_slurp("cmp-stderr.txt");
    assert_string_equal(out, "2 figures in cmp-var/plots/\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
    assert_true(exists("cmp-var/plots/compare_kpi.png"));
    assert_true(exists("cmp-var/plots/compare_day.png"));
  }

  assert_int_equal(loket("compare " LOKET_SOURCE_DIR "/scenarios/mmc.yaml "
                         "--variant a: --variant b:departments.nowhere.staff=2 "
                         "--out cmp-bad"),
                   2);
  char *err = test_slurp("cmp-stderr.txt");
  assert_non_null(strstr(err, "(in variant 'b')"));
  free(err);
  assert_false(exists("cmp-bad/a"));
  assert_false(exists("cmp-bad/compare.csv"));
}

/* The pools are compared as pool:NAME and pool:NAME:DEPARTMENT (the
 * scopes of stats.csv) when every variant has the same pools; variants
 * without a pool, or whose pool serves other departments, are still
 * compared, without the pools. */
static void pools_are_compared(void **state)
{
  (void)state;
  test_sh("rm -rf cmp-pools cmp-pools-none cmp-pools-other");
#define EEN_LOKET "compare " LOKET_SOURCE_DIR "/scenarios/een-loket.yaml --replications 3 "
  assert_int_equal(loket(EEN_LOKET "--variant two: --variant three:pools.generalists.staff=3 "
                                   "--out cmp-pools --quiet"), 0);
  double r[4];
  row_of("cmp-pools/compare.csv", "pool:generalists,staff_cost,three,", r);
  assert_near(r[1], 7 * 40, 1e-9);   /* one member more for 7 hours at 40 */
  assert_near(r[2], 0, 0);
  row_of("cmp-pools/compare.csv", "pool:generalists:permits,served,three,", r);
  assert_true(r[1] > 0);
  row_of("cmp-pools/compare.csv", "pool:generalists:passports,overtime_hours,two,", r);
  assert_near(r[1], 0, 0);
  static const char *const unlike[] = {"none:pools={}",
                                       "other:pools.generalists.serves=[permits]"};
  static const char *const out[] = {"cmp-pools-none", "cmp-pools-other"};
  for (int k = 0; k < 2; k++) {
    assert_int_equal(loket_fmt(EEN_LOKET "--variant two: --variant %s --out %s --quiet",
                               unlike[k], out[k]), 0);
    char path[64];
    snprintf(path, sizeof path, "%s/compare.csv", out[k]);
    char *csv = test_slurp(path);
    assert_non_null(csv);
    assert_null(strstr(csv, "\npool:"));
    assert_non_null(strstr(csv, "\nsummary,staff_cost,"));
    free(csv);
    /* Said once (--quiet keeps it quiet), only where every run has pools. */
    assert_int_equal(loket_fmt(EEN_LOKET "--variant two: --variant %s --out %s",
                               unlike[k], out[k]), 0);
    char *err = test_slurp("cmp-stderr.txt");
    assert_non_null(err);
    assert_true((strstr(err, "pools.csv is not compared") != NULL) == (k == 1));
    free(err);
  }
#undef EEN_LOKET
}

/* A folder's name reaches the table, compare.csv and the figures as text,
 * never as gnuplot code. */
static void names_are_data(void **state)
{
  (void)state;
  if (test_sh("command -v gnuplot >/dev/null") != 0)
    skip();
  test_sh("rm -rf cmp-var/pwned cmp-hostile \"cmp-var/x'; system('touch pwned') #\"");
  test_sh("cp -r cmp-var/more \"cmp-var/x'; system('touch pwned') #\"");
  assert_int_equal(loket("compare cmp-var/same \"cmp-var/x'; system('touch pwned') #\" "
                         "--out cmp-hostile --quiet"), 0);
  assert_int_equal(loket("plot cmp-hostile"), 0);
  assert_false(exists("pwned"));
  assert_false(exists("cmp-hostile/pwned"));
  char *csv = test_slurp("cmp-hostile/compare.csv");
  assert_non_null(strstr(csv, "summary,arrivals,x'; system('touch pwned') #,"));
  free(csv);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(paired_differences_by_hand),
    cmocka_unit_test(table_columns_fit_names_and_numbers),
    cmocka_unit_test(refusals),
    cmocka_unit_test(variants_share_random_numbers),
    cmocka_unit_test(names_are_data),
    cmocka_unit_test(pools_are_compared),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
