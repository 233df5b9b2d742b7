/* `loket plot`: every figure of a run, in every format, as well-formed files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "testing.h"

/* The first bytes of a file, or "" when it cannot be read. */
static const char *head(const char *path, size_t n)
{
  static char buf[256];
  memset(buf, 0, sizeof buf);
  FILE *f = fopen(path, "rb");
  if (!f)
    return buf;
  size_t got = fread(buf, 1, n < sizeof buf - 1 ? n : sizeof buf - 1, f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

static const char *const figures[] = {"waits", "day-reception", "day-permits",
                                      "day-taxes", "service_level", "kpi",
                                      "satisfaction", "journeys"};

static int make_run(void **state)
{
  (void)state;
  return test_sh("rm -rf plot-run && " LOKET_BINARY " run " LOKET_SOURCE_DIR
            "/scenarios/gemeente.yaml --out plot-run --replications 3 --quiet "
            "--set service_level.target=0.7") == 0 ? 0 : -1;
}

/* Draws the figures of `dir` in every format and checks each file's
 * signature and that it holds more than an empty frame. */
static void draw_and_check(const char *dir, const char *const *names, size_t n)
{
  const char *formats[] = {"png", "svg", "pdf"};
  for (size_t f = 0; f < 3; f++) {
    assert_int_equal(test_sh("%s plot %s --format %s > plot-out.txt", LOKET_BINARY,
                             dir, formats[f]), 0);
    for (size_t i = 0; i < n; i++) {
      char path[256];
      snprintf(path, sizeof path, "%s/plots/%s.%s", dir, names[i], formats[f]);
      if (f == 0)
        assert_memory_equal(head(path, 8), "\x89PNG\r\n\x1a\n", 8);
      else if (f == 1)
        assert_non_null(strstr(head(path, 200), "<svg"));
      else
        assert_memory_equal(head(path, 5), "%PDF-", 5);
      if (test_sh("test $(stat -c %%s %s) -gt 8000", path) != 0)
        fail_msg("%s is too small to hold a figure", path);
    }
  }
  /* No temporary files left behind. */
  assert_int_equal(test_sh("ls -a %s/plots | grep -q tmp", dir), 1);
  assert_int_equal(test_sh("ls -a %s/plots | grep -q '\\.dat'", dir), 1);
}

static void every_figure_every_format(void **state)
{
  (void)state;
  draw_and_check("plot-run", figures, sizeof figures / sizeof figures[0]);
}

static void clear_errors(void **state)
{
  (void)state;
  /* gnuplot missing: how to install it. */
  assert_int_equal(test_sh("PATH=/nonexistent " LOKET_BINARY " plot plot-run 2> plot-err.txt"), 1);
  assert_non_null(strstr(head("plot-err.txt", 255), "gnuplot is not on PATH"));
  assert_non_null(strstr(head("plot-err.txt", 255), "apt-get install gnuplot-nox"));
  /* Not a run folder. */
  assert_int_equal(test_sh(LOKET_BINARY " plot . 2> plot-err.txt"), 2);
  assert_non_null(strstr(head("plot-err.txt", 255), "about.csv"));
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-run --format gif 2> plot-err.txt"), 2);
  assert_int_equal(test_sh(LOKET_BINARY " plot 2> plot-err.txt"), 2);
}

/* From a sweep: each metric against the varied parameter with its band,
 * and the cost-satisfaction trade-off, in every format. */
static void sweep_figures(void **state)
{
  (void)state;
  assert_int_equal(test_sh("rm -rf plot-sweep && " LOKET_BINARY " sweep " LOKET_SOURCE_DIR
                      "/scenarios/mmc.yaml --vary departments.counter.staff=3:5:1"
                      " --vary arrivals.0.rate=2.4,2.7 --replications 3 --quiet"
                      " --set horizon=600 --set warmup=60 --out plot-sweep"), 0);
  const char *sweep_figures[] = {"sweep-wait", "sweep-service_level",
                                 "sweep-satisfaction", "sweep-staff_cost",
                                 "sweep-utilization", "tradeoff"};
  draw_and_check("plot-sweep", sweep_figures,
                 sizeof sweep_figures / sizeof sweep_figures[0]);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* gnuplot runs `...` inside double-quoted strings and system(...) in code:
 * names written as code would run commands. Each would-be command creates
 * a plot-pwned-* file; none may appear, and every figure is still drawn. */
static const char evil_scenario[] =
  "name: \"x`touch plot-pwned-name`'; system(\\\"touch plot-pwned-sys\\\") \\\"q\\\" ; @a\\nline2\"\n"
  "horizon: 60\nreplications: 2\n"
  "arrivals: [{to: \"d`touch plot-pwned-dept`\", rate: 1}]\n"
  "departments:\n"
  "  \"d`touch plot-pwned-dept`\":\n"
  "    staff: 2\n    service: {dist: exponential, mean: 1}\n"
  "    routes: [{to: \"e'; system(\\\"touch plot-pwned-dept2\\\"); '\\n\", p: 1}]\n"
  "  \"e'; system(\\\"touch plot-pwned-dept2\\\"); '\\n\":\n"
  "    staff: 2\n    service: {dist: exponential, mean: 1}\n";

static void no_pwned_files(void)
{
  assert_int_equal(test_sh("ls plot-pwned-* > /dev/null 2>&1"), 2);
}

static void names_are_data_not_code(void **state)
{
  (void)state;
  test_sh("rm -rf plot-evil plot-evil-sweep plot-pwned-*");
  write_file("plot-evil.yaml", evil_scenario);
  assert_int_equal(test_sh(LOKET_BINARY " run plot-evil.yaml --out plot-evil --quiet"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-evil > plot-out.txt 2> plot-err.txt"), 0);
  no_pwned_files();
  const char *run_figures[] = {"waits", "day-d-touch-plot-pwned-dept-",
                               "day-e---system--touch-plot-pwned-dept2------",
                               "service_level", "kpi", "satisfaction"};
  for (size_t i = 0; i < 6; i++)
    if (test_sh("test $(stat -c %%s plot-evil/plots/%s.png) -gt 8000", run_figures[i]))
      fail_msg("figure %s was not drawn", run_figures[i]);
  /* The sweep's values and varied paths reach titles, keys and labels. */
  assert_int_equal(test_sh(LOKET_BINARY " sweep plot-evil.yaml --out plot-evil-sweep --quiet"
                           " --vary \"name=$(printf 'a\\nz')\"'`touch plot-pwned-v1`,"
                           "b;system(\"touch plot-pwned-v2\")'"
                           " --vary 'departments.d`touch plot-pwned-dept`.staff=1,2'"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-evil-sweep > plot-out.txt 2> plot-err.txt"), 0);
  no_pwned_files();
  const char *sweep_names[] = {"sweep-wait", "sweep-service_level", "sweep-satisfaction",
                               "sweep-utilization", "tradeoff"};
  for (size_t i = 0; i < 5; i++)
    if (test_sh("test $(stat -c %%s plot-evil-sweep/plots/%s.png) -gt 8000", sweep_names[i]))
      fail_msg("figure %s was not drawn", sweep_names[i]);
}

/* "front desk" and "front-desk" both make day-front-desk: the second
 * figure gets its own name instead of overwriting the first. */
static void figure_names_do_not_collide(void **state)
{
  (void)state;
  write_file("plot-twins.yaml",
             "horizon: 60\nreplications: 1\n"
             "arrivals: [{to: front desk, rate: 1}, {to: front-desk, rate: 1},"
             " {to: whole journey, rate: 1}]\n"
             "departments:\n"
             "  front desk: {staff: 2, service: {dist: exponential, mean: 1}}\n"
             "  front-desk: {staff: 2, service: {dist: exponential, mean: 1}}\n"
             "  whole journey: {staff: 2, service: {dist: exponential, mean: 1}}\n");
  assert_int_equal(test_sh("rm -rf plot-twins && " LOKET_BINARY " run plot-twins.yaml"
                           " --out plot-twins --quiet && " LOKET_BINARY
                           " plot plot-twins > plot-out.txt"), 0);
  assert_int_equal(test_sh("test -s plot-twins/plots/day-front-desk.png"), 0);
  assert_int_equal(test_sh("test -s plot-twins/plots/day-front-desk-2.png"), 0);
  /* A department may even be called "whole journey": it is a department. */
  assert_int_equal(test_sh("test -s plot-twins/plots/day-whole-journey.png"), 0);
  assert_int_equal(test_sh("grep -q '^7 figures' plot-out.txt"), 0);
}

/* A file planted as a symbolic link at a name loket writes (the figure's
 * temporary file, a data file, the variables) is never written through. */
static void planted_links_are_not_followed(void **state)
{
  (void)state;
  write_file("plot-victim.txt", "precious\n");
  /* exec keeps the shell's process id, which names the temporary files. */
  assert_int_equal(test_sh(
    "sh -c 'for f in .waits.png.tmp.$$ .day.$$.dat .kpi.$$.dat .vars.$$.dat .waits.$$.dat; do"
    " ln -sf ../../plot-victim.txt plot-run/plots/$f; done;"
    " exec " LOKET_BINARY " plot plot-run > plot-out.txt 2> plot-err.txt'"), 0);
  char *victim = test_slurp("plot-victim.txt");
  assert_string_equal(victim, "precious\n");
  free(victim);
  assert_int_equal(test_sh("grep -q '^8 figures' plot-out.txt"), 0);
  test_sh("find plot-run/plots -type l -delete");
}

/* Files read back are checked: a damaged one gives FILE:LINE and exit 2. */
static void damaged_files_are_refused(void **state)
{
  (void)state;
  struct { const char *file, *edit, *message; } cases[] = {
    {"stats.csv", "sed -i '3s/,[^,]*$//'", "stats.csv:3: 6 fields, but the header has 7 columns"},
    {"stats.csv", "sed -i '2s/^summary,arrivals,[^,]*/summary,arrivals,1e999/'",
     "stats.csv:2: column 'mean': expected a finite number, got '1e999'"},
    {"stats.csv", "sed -i '1s/mean/average/'", "stats.csv:1: there is no column 'mean'"},
    {"about.csv", "sed -i 's/^replications,.*/replications,-3/'",
     "column 'value': expected a whole number from 1 to 1000000, got '-3'"},
    {"timeseries.csv", "sed -i '5s/,[0-9][0-9]:[0-9][0-9],/,9x,/'", "timeseries.csv:5: column 'clock': expected HH:MM"},
    {"timeseries.csv", "printf '1,\"unterminated' >>", "timeseries.csv"},
    {"waits.csv", "sed -i '3s/^[^,]*,/-1,/'", "waits.csv:3: waits must ascend"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    test_sh("rm -rf plot-bad && cp -r plot-run plot-bad && rm -rf plot-bad/plots");
    assert_int_equal(test_sh("%s plot-bad/%s", cases[i].edit, cases[i].file), 0);
    assert_int_equal(test_sh(LOKET_BINARY " plot plot-bad 2> plot-err.txt"), 2);
    char *err = test_slurp("plot-err.txt");
    if (!strstr(err, cases[i].message))
      fail_msg("case %zu: expected '%s' in: %s", i, cases[i].message, err);
    free(err);
  }
}

/* No fixed-size buffer holds input-sized data: 60 departments with names
 * of 200 characters (the service-level figure names them all in its key)
 * and a 2 x 1000 sweep (1000 series named in the key). The last name must
 * reach the figure. */
static void input_sized_data_is_not_truncated(void **state)
{
  (void)state;
  FILE *f = fopen("plot-many.yaml", "w");
  assert_non_null(f);
  fputs("horizon: 30\nreplications: 1\narrivals: [{to: d00, rate: 1}]\ndepartments:\n", f);
  for (int i = 0; i < 60; i++)
    fprintf(f, "  d%02d%0200d: {staff: 1, service: {dist: exponential, mean: 0.1}}\n", i, 0);
  fclose(f);
  /* The arrival goes to the first department; its name is d00 + 200 zeros. */
  assert_int_equal(test_sh("sed -i 's/to: d00,/to: d00%0200d,/' plot-many.yaml", 0), 0);
  assert_int_equal(test_sh("rm -rf plot-many && " LOKET_BINARY " run plot-many.yaml"
                           " --out plot-many --quiet && " LOKET_BINARY " plot plot-many"
                           " --format svg > plot-out.txt 2> plot-err.txt"), 0);
  assert_int_equal(test_sh("grep -q '^64 figures' plot-out.txt"), 0);
  assert_int_equal(test_sh("grep -q 'd59%0200d' plot-many/plots/service_level.svg", 0), 0);

  write_file("plot-tiny.yaml", "horizon: 20\nreplications: 1\n"
             "arrivals: [{to: desk, rate: 1}]\n"
             "departments:\n  desk: {staff: 2, service: {dist: exponential, mean: 1},"
             " cost_per_staff_hour: 30}\n");
  assert_int_equal(test_sh("rm -rf plot-big && " LOKET_BINARY " sweep plot-tiny.yaml"
                           " --out plot-big --quiet --vary departments.desk.staff=1,2"
                           " --vary arrivals.0.rate=0.5:1.499:0.001"), 0);
  assert_int_equal(test_sh("test $(wc -l < plot-big/sweep.csv) -eq 2001"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-big --format svg > plot-out.txt"
                           " 2> plot-err.txt"), 0);
  assert_int_equal(test_sh("grep -q 'arrivals.0.rate=1.499<' plot-big/plots/sweep-wait.svg"), 0);
}

/* A sweep or run in which no one is served has undefined waits and
 * satisfaction: those figures are left out rather than failing in gnuplot. */
static void sweep_without_customers(void **state)
{
  (void)state;
  write_file("plot-empty.yaml", "horizon: 10\nreplications: 2\n"
             "arrivals: [{to: desk, rate: 0.0001}]\n"
             "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  assert_int_equal(test_sh("rm -rf plot-empty && " LOKET_BINARY " sweep plot-empty.yaml"
                           " --vary departments.desk.staff=1,2 --out plot-empty --quiet"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-empty > plot-out.txt 2> plot-err.txt"), 0);
  assert_int_equal(test_sh("grep -q '^0 figures' plot-out.txt"), 0);
  /* The same for a run: only the day figure has something to show. */
  assert_int_equal(test_sh("rm -rf plot-empty-run && " LOKET_BINARY " run plot-empty.yaml"
                           " --out plot-empty-run --quiet"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-empty-run > plot-out.txt 2> plot-err.txt"), 0);
  assert_int_equal(test_sh("grep -q '^1 figures' plot-out.txt"), 0);
  assert_int_equal(test_sh("test -s plot-empty-run/plots/day-desk.png"), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_figure_every_format),
    cmocka_unit_test(clear_errors),
    cmocka_unit_test(sweep_figures),
    cmocka_unit_test(names_are_data_not_code),
    cmocka_unit_test(figure_names_do_not_collide),
    cmocka_unit_test(planted_links_are_not_followed),
    cmocka_unit_test(damaged_files_are_refused),
    cmocka_unit_test(input_sized_data_is_not_truncated),
    cmocka_unit_test(sweep_without_customers),
  };
  return cmocka_run_group_tests(tests, make_run, NULL);
}
