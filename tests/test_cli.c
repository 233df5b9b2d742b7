/* The loket command end to end: outputs, reproducibility, errors, exit codes. */
#define _GNU_SOURCE 1  /* sched_setaffinity, CPU_SET */
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "testing.h"
#include "cli/options.h"

static const char *const outputs[] = {"summary.csv", "departments.csv",
                                      "classes.csv", "stats.csv", "timeseries.csv",
                                      "waits.csv", "about.csv"};
#define NOUTPUTS (sizeof outputs / sizeof outputs[0])

/* Runs loket with the arguments, stdout and stderr to files; exit status. */
static int loket(const char *args)
{
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s %s >cli-stdout.txt 2>cli-stderr.txt",
           LOKET_BINARY, args);
  int rc = system(cmd);
  assert_true(WIFEXITED(rc));
  return WEXITSTATUS(rc);
}

static bool exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* The first line of text, without its line end. */
static char *first_line(const char *text)
{
  static char line[1024];
  size_t n = strcspn(text, "\n");
  assert_true(n < sizeof line);
  memcpy(line, text, n);
  line[n] = '\0';
  return line;
}

static void same_files(const char *dir_a, const char *dir_b)
{
  test_same_files(dir_a, dir_b, outputs, NOUTPUTS);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

#define MMC LOKET_SOURCE_DIR "/scenarios/mmc.yaml"

static void run_writes_four_csvs_with_contract_headers(void **state)
{
  (void)state;
  system("rm -rf cli-out");
  assert_int_equal(loket("run " MMC " --out cli-out/a --replications 3 --jobs 1"), 0);
  char *summary = test_slurp("cli-out/a/summary.csv");
  assert_non_null(summary);
  assert_string_equal(first_line(summary),
    "replication,arrivals,served,abandoned,balked,blocked,wait_mean,wait_p50,"
    "wait_p90,wait_p95,wait_p99,service_level,sojourn_mean,visits_mean,"
    "handoffs_mean,satisfaction_mean,utilization,staff_cost,sent_away,retrials,"
    "satisfaction_low,satisfaction_mid,satisfaction_high,service_level_alt,"
    "repeat_contacts,first_contact_resolution,returns_next_day");
  size_t lines = 0;
  for (char *p = summary; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, 4); /* header + 3 replications */
  free(summary);
  char *dept = test_slurp("cli-out/a/departments.csv");
  assert_string_equal(first_line(dept),
    "replication,department,arrivals,served,abandoned,balked,blocked,"
    "handoffs_out,wait_mean,wait_p90,service_level,queue_mean,busy_mean,"
    "staff_mean,utilization,staff_cost,overtime_hours,satisfaction_mean,"
    "satisfaction_low,satisfaction_mid,satisfaction_high,service_level_alt,"
    "wrap_up_hours,coordination_hours,repeat_contacts,first_contact_resolution,"
    "returns_caused,returns_next_day");
  assert_non_null(strstr(dept, "\n1,counter,"));
  free(dept);
  char *classes = test_slurp("cli-out/a/classes.csv");
  assert_string_equal(first_line(classes),
    "replication,class,arrivals,served,abandoned,wait_mean,wait_p90,"
    "service_level,sojourn_mean,satisfaction_mean,satisfaction_low,"
    "satisfaction_mid,satisfaction_high,service_level_alt,repeat_contacts,"
    "first_contact_resolution,no_shows,lateness_mean,slot_wait_mean");
  assert_non_null(strstr(classes, "\n1,customer,"));
  free(classes);
  char *stats = test_slurp("cli-out/a/stats.csv");
  assert_string_equal(first_line(stats), "scope,metric,mean,sd,ci95_low,ci95_high,n");
  assert_non_null(strstr(stats, "\nsummary,arrivals,"));
  assert_non_null(strstr(stats, "\ndepartment:counter,wait_mean,"));
  assert_non_null(strstr(stats, "\nclass:customer,service_level,"));
  free(stats);
  /* The summary on stdout names the results folder; no temporary files. */
  char *out = test_slurp("cli-stdout.txt");
  assert_non_null(strstr(out, "results in cli-out/a/"));
  assert_non_null(strstr(out, "±"));
  free(out);
  assert_int_equal(system("ls -a cli-out/a | grep -q tmp"), 256);
}

static void same_seed_same_bytes_any_jobs(void **state)
{
  (void)state;
  system("rm -rf cli-out/j1 cli-out/j2 cli-out/again");
  assert_int_equal(loket("run " MMC " --out cli-out/j1 --replications 6 --jobs 1"), 0);
  assert_int_equal(loket("run " MMC " --out cli-out/j2 --replications 6 --jobs 2"), 0);
  assert_int_equal(loket("run " MMC " --out cli-out/again --replications 6 --jobs 2"), 0);
  same_files("cli-out/j1", "cli-out/j2");
  same_files("cli-out/j1", "cli-out/again");
}

static void seed_and_set_change_results(void **state)
{
  (void)state;
  system("rm -rf cli-out/s1 cli-out/s2 cli-out/set");
  assert_int_equal(loket("run " MMC " --out cli-out/s1 --replications 2 --seed 1"), 0);
  assert_int_equal(loket("run " MMC " --out cli-out/s2 --replications 2 --seed 2"), 0);
  char *a = test_slurp("cli-out/s1/summary.csv"), *b = test_slurp("cli-out/s2/summary.csv");
  assert_true(strcmp(a, b) != 0);
  free(b);
  assert_int_equal(loket("run " MMC " --out cli-out/set --replications 2 --seed 1"
                         " --set departments.counter.staff=5"), 0);
  b = test_slurp("cli-out/set/departments.csv");
  /* 5 staff on duty instead of 3, same arrivals (separate streams). */
  assert_non_null(strstr(b, ",5,"));
  char *sa = test_slurp("cli-out/s1/summary.csv"), *sb = test_slurp("cli-out/set/summary.csv");
  assert_true(strncmp(strchr(sa, '\n') + 1, strchr(sb, '\n') + 1, 8) == 0);
  free(a);
  free(b);
  free(sa);
  free(sb);
}

static void invalid_scenario_exit_2_and_no_output(void **state)
{
  (void)state;
  system("rm -rf cli-out/bad");
  write_file("bad.yaml",
             "horizon: 100\n"
             "arrivals: [{to: desk, rate: 1}]\n"
             "departments:\n"
             "  desk:\n"
             "    staff: three\n"
             "    service: {dist: exponential, mean: 1}\n");
  assert_int_equal(loket("run bad.yaml --out cli-out/bad"), 2);
  char *err = test_slurp("cli-stderr.txt");
  assert_string_equal(err,
      "bad.yaml:5:12: error: staff must be a whole number >= 0, got 'three'\n");
  free(err);
  assert_false(exists("cli-out/bad"));
  assert_int_equal(loket("check bad.yaml"), 2);
  /* An override that fixes it makes the scenario valid. */
  assert_int_equal(loket("check bad.yaml --set departments.desk.staff=2"), 0);
  char *out = test_slurp("cli-stdout.txt");
  assert_non_null(strstr(out, "bad.yaml: ok"));
  free(out);
  /* A bad override is named. */
  assert_int_equal(loket("run bad.yaml --set departments.desk.staff=-1 --out cli-out/bad"), 2);
  err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "--set departments.desk.staff=-1: error:"));
  free(err);
  assert_false(exists("cli-out/bad"));
}

static void usage_errors_exit_2(void **state)
{
  (void)state;
  assert_int_equal(loket(""), 2);
  assert_int_equal(loket("frobnicate " MMC), 2);
  assert_int_equal(loket("run"), 2);
  assert_int_equal(loket("run " MMC " --jobs 0"), 2);
  assert_int_equal(loket("run " MMC " --replications many"), 2);
  assert_int_equal(loket("run " MMC " --bogus"), 2);
  char *err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "loket: error: unknown or incomplete option '--bogus'"));
  free(err);
  assert_int_equal(loket("run no-such-file.yaml"), 2);
  err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "no-such-file.yaml: error: cannot read the scenario"));
  free(err);
  /* An option of another command is named as such, not by its value. */
  assert_int_equal(loket("check " MMC " --out x"), 2);
  err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "loket: error: option '--out' does not apply to 'loket check'"));
  free(err);
  assert_int_equal(loket("run " MMC " --vary departments.counter.staff=3,4"), 2);
  err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "option '--vary' does not apply to 'loket run'"));
  free(err);
  assert_int_equal(loket("--help"), 0);
  assert_int_equal(loket("--version"), 0);
}

static void unwritable_output_exit_1(void **state)
{
  (void)state;
  write_file("cli-plain-file", "not a folder\n");
  /* The folder is checked before simulating: no replication runs. */
  assert_int_equal(loket("run " MMC " --replications 3 --progress"
                         " --out cli-plain-file/out"), 1);
  char *err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "loket: error: cannot create output folder "
                              "'cli-plain-file/out': Not a directory"));
  assert_null(strstr(err, "replications"));
  free(err);
  /* An empty --out is a usage error (it used to overrun a buffer). */
  assert_int_equal(loket("run " MMC " --replications 1 --out ''"), 2);
  err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "--out must name a folder, got ''"));
  free(err);
  assert_int_equal(loket("sweep " MMC " --vary departments.counter.staff=3 --out ''"), 2);
}

/* A folder where an output file goes fails the run before any file is
 * replaced: the earlier run's files stay as they were, and no temporary
 * file is left. (The files were renamed one by one until the folder's
 * turn, leaving a mix of two runs.) */
static void a_folder_in_the_way_replaces_nothing(void **state)
{
  (void)state;
  test_sh("rm -rf cli-in-way");
  assert_int_equal(loket("run " MMC " --replications 1 --out cli-in-way --quiet"), 0);
  char *before = test_slurp("cli-in-way/summary.csv");
  assert_non_null(before);
  test_sh("rm cli-in-way/waits.csv && mkdir cli-in-way/waits.csv");
  assert_int_equal(loket("run " MMC " --replications 2 --out cli-in-way --quiet"), 1);
  char *err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "cannot replace 'cli-in-way/waits.csv': Is a directory"));
  free(err);
  char *after = test_slurp("cli-in-way/summary.csv");
  assert_string_equal(after, before);
  free(after);
  free(before);
  assert_int_equal(test_sh("ls -a cli-in-way | grep -q tmp"), 1);
  test_sh("rm -rf cli-in-way");
}

/* Without --jobs, loket uses the processors it may run on: under Slurm or
 * taskset that is the affinity mask, not every processor of the node. */
static void default_jobs_follow_affinity(void **state)
{
  (void)state;
  cpu_set_t all, one;
  assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
  assert_int_equal((int)cli_default_jobs(), CPU_COUNT(&all));
  if (CPU_COUNT(&all) < 2) {
    printf("  only one processor here: the narrowed mask is not tested\n");
    return;
  }
  int first = 0;
  while (!CPU_ISSET(first, &all))
    first++;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
  unsigned jobs = cli_default_jobs();
  assert_int_equal(sched_setaffinity(0, sizeof all, &all), 0);
  assert_int_equal(jobs, 1);
}

/* Symbolic links planted at the temporary names of the outputs and of
 * the customer trace's pieces are not written through: the run writes
 * under other names and the link's target is untouched. */
static void planted_links_are_not_followed(void **state)
{
  (void)state;
  system("rm -rf cli-links && mkdir cli-links");
  write_file("cli-victim.txt", "precious\n");
  /* exec keeps the shell's process id, which names the temporary files. */
  int rc = system("sh -c 'for f in .summary.csv.tmp.$$ .stats.csv.tmp.$$ "
                  ".customers.csv.1.tmp.$$ .customers.csv.tmp.$$; do"
                  " ln -s ../cli-victim.txt cli-links/$f; done;"
                  " exec " LOKET_BINARY " run " MMC " --replications 2 --trace --quiet"
                  " --set horizon=100 --set warmup=10 --out cli-links'");
  assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
  char *victim = test_slurp("cli-victim.txt");
  assert_string_equal(victim, "precious\n");
  free(victim);
  assert_true(exists("cli-links/summary.csv"));
  assert_true(exists("cli-links/customers.csv"));
  char *summary = test_slurp("cli-links/summary.csv");
  assert_true(strncmp(summary, "replication,arrivals,", 21) == 0);
  free(summary);
}

static void default_output_folder_from_name(void **state)
{
  (void)state;
  system("rm -rf out/m-m-c-counter");
  assert_int_equal(loket("run " MMC " --replications 1 --quiet"), 0);
  assert_true(exists("out/m-m-c-counter/summary.csv"));
  char *out = test_slurp("cli-stdout.txt");
  assert_string_equal(out, ""); /* --quiet */
  free(out);
}

/* --progress draws the progress line on stderr even when it is not a
 * terminal; without it a redirected stderr stays empty. */
static void progress_on_request_only(void **state)
{
  (void)state;
  assert_int_equal(loket("run " MMC " --out cli-out/p --replications 3 --jobs 1 --progress"), 0);
  char *err = test_slurp("cli-stderr.txt");
  assert_non_null(strstr(err, "replications 3/3"));
  assert_non_null(strstr(err, "elapsed"));
  free(err);
  assert_int_equal(loket("run " MMC " --out cli-out/p --replications 3 --jobs 1"), 0);
  err = test_slurp("cli-stderr.txt");
  assert_string_equal(err, "");
  free(err);
}

/* The KPI view: departments against the whole journey and the target. */
static void kpi_view_side_by_side(void **state)
{
  (void)state;
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/gemeente.yaml --out "
                         "cli-out/kpi --replications 3 --set service_level.target=0.7"), 0);
  char *out = test_slurp("cli-stdout.txt");
  assert_non_null(strstr(out, "  reception "));
  assert_non_null(strstr(out, "  whole journey "));
  assert_non_null(strstr(out, " of 3 departments met the 70 % target; "));
  assert_non_null(strstr(out, "% of journeys were served within 10 minutes."));
  free(out);
}

static size_t count_lines(const char *text)
{
  size_t lines = 0;
  for (; *text; text++)
    lines += *text == '\n';
  return lines;
}

/* customers.csv: one row per counted journey, the same whatever --jobs,
 * asked for by --trace or by output.customers; absent otherwise. */
static void customer_trace(void **state)
{
  (void)state;
  system("rm -rf cli-out/t1 cli-out/t2 cli-out/t3");
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/gemeente.yaml --out "
                         "cli-out/t1 --replications 3 --jobs 1 --trace"), 0);
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/gemeente.yaml --out "
                         "cli-out/t2 --replications 3 --jobs 2 "
                         "--set output.customers=true"), 0);
  char *a = test_slurp("cli-out/t1/customers.csv"), *b = test_slurp("cli-out/t2/customers.csv");
  assert_non_null(a);
  assert_string_equal(a, b);
  assert_string_equal(first_line(a), "replication,customer,class,arrived,outcome,"
                      "wait,sojourn,visits,handoffs,retrials,satisfaction");
  /* Rows: the customers of the three replications in summary.csv. */
  char *summary = test_slurp("cli-out/t1/summary.csv");
  double total = 0;
  for (char *line = strchr(summary, '\n') + 1; *line; line = strchr(line, '\n') + 1)
    total += strtod(strchr(line, ',') + 1, NULL);
  assert_int_equal(count_lines(a) - 1, (size_t)total);
  free(a);
  free(b);
  free(summary);
  /* No pieces left behind; no trace unless asked. */
  assert_int_equal(system("ls -a cli-out/t1 | grep -q 'customers.csv.'"), 256);
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/gemeente.yaml --out "
                         "cli-out/t3 --replications 1"), 0);
  assert_false(exists("cli-out/t3/customers.csv"));
  assert_true(exists("cli-out/t3/timeseries.csv"));
  /* A run without the trace into a traced run's folder removes the
   * earlier journeys, which are not this run's. */
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/gemeente.yaml --out "
                         "cli-out/t1 --replications 1"), 0);
  assert_false(exists("cli-out/t1/customers.csv"));
}

/* The trace streams: ten times the customers, about the same memory. */
static void customer_trace_bounded_memory(void **state)
{
  (void)state;
  write_file("cli-big.yaml",
             "horizon: 1000\nreplications: 1\nseed: 3\n"
             "arrivals: [{to: desk, rate: 50}]\n"
             "departments:\n  desk: {staff: 60, service: {dist: exponential, mean: 1}}\n");
  long rss[2];
  for (int k = 0; k < 2; k++) {
    char args[256];
    /* About 5e4 and 5e5 customers. */
    snprintf(args, sizeof args, "run cli-big.yaml --out cli-out/big --trace --quiet "
             "--set horizon=%d", k == 0 ? 1000 : 10000);
    pid_t pid = fork();
    if (pid == 0) {
      char cmd[512];
      snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>&1", LOKET_BINARY, args);
      execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
      _exit(127);
    }
    int status;
    assert_true(waitpid(pid, &status, 0) == pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The largest resident size of any child so far, in KiB: the second
     * value covers the big run. */
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    rss[k] = usage.ru_maxrss;
  }
  char *trace = test_slurp("cli-out/big/customers.csv");
  size_t rows = count_lines(trace) - 1;
  free(trace);
  assert_true(rows > 450000 && rows < 550000);
  printf("  max RSS: %ld KiB for ~5e4 customers, %ld KiB for %zu\n", rss[0], rss[1], rows);
  /* The bound, 16 MiB: keeping the big run's at least 4e5 extra journeys
   * in memory would take at least 4e5 x 64 bytes (sizeof(struct
   * model_journey), models/metrics.h) = 24 MiB, and more as text (a row of
   * customers.csv is about 55 bytes, plus allocation overhead); streaming
   * them adds only the longer time series (600 more intervals x 7 columns
   * x 8 bytes, with its accumulators under 100 KiB) and nothing per
   * customer. 16 MiB lies between: a trace held in memory fails, page and
   * allocator rounding (well under 1 MiB) cannot. rss[0] is the largest
   * of all children so far, at least the small run's; a larger earlier
   * child only loosens the bound. */
  assert_true(rss[1] < rss[0] + 16 * 1024);
}

/* Every example under scenarios/ checks and runs. */
static void example_scenarios_run(void **state)
{
  (void)state;
  assert_int_equal(system("ls " LOKET_SOURCE_DIR "/scenarios/*.yaml > cli-examples.txt"), 0);
  FILE *f = fopen("cli-examples.txt", "r");
  char path[512];
  int count = 0;
  while (fgets(path, sizeof path, f)) {
    path[strcspn(path, "\n")] = '\0';
    char args[1024];
    snprintf(args, sizeof args, "check %s", path);
    assert_int_equal(loket(args), 0);
    /* With its default replications, and its figures. */
    snprintf(args, sizeof args, "run %s --out cli-out/example", path);
    if (loket(args) != 0)
      fail_msg("loket %s failed", args);
    if (loket("plot cli-out/example") != 0)
      fail_msg("loket plot of %s failed", path);
    count++;
  }
  fclose(f);
  assert_true(count >= 2);
}

/* pools.csv: written for a scenario with pools, with the contract's
 * columns, a row per department served and the total; not written
 * without pools. The summary's staff cost includes the pool's. */
static void pools_csv_only_with_pools(void **state)
{
  (void)state;
  system("rm -rf cli-out/pools cli-out/nopools");
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/een-loket.yaml "
                         "--out cli-out/pools --replications 2"), 0);
  char *pools = test_slurp("cli-out/pools/pools.csv");
  assert_non_null(pools);
  assert_string_equal(first_line(pools),
    "replication,pool,department,served,busy_mean,staff_mean,utilization,staff_cost,"
    "overtime_hours");
  assert_non_null(strstr(pools, "\n1,generalists,passports,"));
  assert_non_null(strstr(pools, "\n1,generalists,permits,"));
  /* 2 members for 7 hours at 40: 560, the staff_cost of the total row
   * (then its overtime). */
  char *all = strstr(pools, "\n2,generalists,all,");
  assert_non_null(all);
  char *end = strchr(all + 1, '\n'), *cost = strstr(all, ",560,");
  assert_non_null(end);
  assert_true(cost && cost < end && !memchr(cost + 5, ',', (size_t)(end - cost - 5)));
  free(pools);
  char *stats = test_slurp("cli-out/pools/stats.csv");
  assert_non_null(strstr(stats, "\npool:generalists,utilization,"));
  assert_non_null(strstr(stats, "\npool:generalists:permits,served,"));
  /* Specialists 4 x 7 h x 48 = 1344, plus the pool's 560. */
  assert_non_null(strstr(stats, "\nsummary,staff_cost,1904,"));
  free(stats);
  /* A pool without members all day has no utilization: a dash in the
   * terminal's summary, as for any metric without a value, not "nan". */
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/een-loket.yaml "
                         "--out cli-out/pools --replications 2 "
                         "--set pools.generalists.staff=0"), 0);
  char *said = test_slurp("cli-stdout.txt");
  assert_non_null(said);
  assert_non_null(strstr(said, "  pool generalists: utilization - at passports, - at "
                               "permits; - in all\n"));
  assert_null(strstr(said, "nan"));
  free(said);
  /* A run without pools into a folder that holds an earlier run's
   * pools.csv removes it: it would describe pools this run had not. */
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/een-loket.yaml "
                         "--out cli-out/pools --replications 2 --set 'pools={}'"), 0);
  assert_false(exists("cli-out/pools/pools.csv"));
  assert_int_equal(loket("run " LOKET_SOURCE_DIR "/scenarios/een-loket.yaml "
                         "--out cli-out/nopools --replications 2 --set 'pools={}'"), 0);
  assert_false(exists("cli-out/nopools/pools.csv"));
  assert_true(exists("cli-out/nopools/summary.csv"));
}

/* The walkthroughs' numbers come from the runs: rendering them again gives
 * the committed pages, word for word. */
static void walkthroughs_are_current(void **state)
{
  (void)state;
  int rc = system("rm -rf cli-walk && WALKTHROUGHS_OUT=$PWD/cli-walk LOKET=" LOKET_BINARY
                  " bash " LOKET_SOURCE_DIR "/docs/walkthroughs/make.sh > /dev/null");
  assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
  rc = system("for f in cli-walk/*.md; do cmp -s \"$f\" " LOKET_SOURCE_DIR
              "/docs/walkthroughs/$(basename \"$f\") || { echo \"  $f differs from "
              "the committed page: run docs/walkthroughs/make.sh\"; exit 1; }; done");
  assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

/* A department whose offered load exceeds its staff is warned about
 * before a run, on stderr (not with --quiet), and the run goes on. */
static void run_warns_of_unstable_department(void **state)
{
  (void)state;
  assert_int_equal(test_sh(LOKET_BINARY " run " LOKET_SOURCE_DIR "/scenarios/mmc.yaml"
                           " --set departments.counter.staff=2 --replications 2"
                           " --out cli-warn > /dev/null 2> cli-warn.txt"), 0);
  char *err = test_slurp("cli-warn.txt");
  assert_non_null(strstr(err, "warning: department 'counter': offered load 2.7 "
                              "exceeds its 2 staff"));
  free(err);
  assert_int_equal(test_sh(LOKET_BINARY " run " LOKET_SOURCE_DIR "/scenarios/mmc.yaml"
                           " --set departments.counter.staff=2 --replications 2 --quiet"
                           " --out cli-warn-q 2> cli-warn.txt"), 0);
  err = test_slurp("cli-warn.txt");
  assert_string_equal(err, "");
  free(err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(run_writes_four_csvs_with_contract_headers),
    cmocka_unit_test(same_seed_same_bytes_any_jobs),
    cmocka_unit_test(seed_and_set_change_results),
    cmocka_unit_test(run_warns_of_unstable_department),
    cmocka_unit_test(invalid_scenario_exit_2_and_no_output),
    cmocka_unit_test(usage_errors_exit_2),
    cmocka_unit_test(a_folder_in_the_way_replaces_nothing),
    cmocka_unit_test(unwritable_output_exit_1),
    cmocka_unit_test(planted_links_are_not_followed),
    cmocka_unit_test(default_output_folder_from_name),
    cmocka_unit_test(default_jobs_follow_affinity),
    cmocka_unit_test(progress_on_request_only),
    cmocka_unit_test(example_scenarios_run),
    cmocka_unit_test(kpi_view_side_by_side),
    cmocka_unit_test(pools_csv_only_with_pools),
    cmocka_unit_test(walkthroughs_are_current),
    cmocka_unit_test(customer_trace),
    cmocka_unit_test(customer_trace_bounded_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
