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

/* gnuplot prints its errors and warnings (a key that does not fit, a
 * label off the page, a bad range) on stderr and may still draw: a figure
 * is only right when it printed nothing. */
static void quiet_gnuplot(const char *what)
{
  char *err = test_slurp("plot-err.txt");
  if (!err || *err)
    fail_msg("plotting %s, gnuplot said: %s", what, err ? err : "(no plot-err.txt)");
  free(err);
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
    assert_int_equal(test_sh("%s plot %s --format %s > plot-out.txt 2> plot-err.txt",
                             LOKET_BINARY, dir, formats[f]), 0);
    quiet_gnuplot(dir);
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

/* A plot into a folder drawn before removes the figures it does not draw
 * again (here: a department renamed), and only those: a file of the
 * user's in plots/, and names in plots/.figures that cannot be a figure
 * of the folder, are left alone. */
static void stale_figures_are_removed(void **state)
{
  (void)state;
#define TWO(second)                                                     \
  "horizon: 60\nreplications: 1\n"                                       \
  "arrivals: [{to: intake, rate: 1}, {to: " second ", rate: 1}]\n"       \
  "departments:\n"                                                       \
  "  intake: {staff: 2, service: {dist: exponential, mean: 1}}\n"        \
  "  " second ": {staff: 2, service: {dist: exponential, mean: 1}}\n"
  write_file("plot-stale.yaml", TWO("permits"));
  assert_int_equal(test_sh("rm -rf plot-stale plot-stale-keep.png && " LOKET_BINARY
                           " run plot-stale.yaml --out plot-stale --quiet && "
                           LOKET_BINARY " plot plot-stale > plot-out.txt"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-permits.png"), 0);
  assert_int_equal(test_sh("grep -qx day-permits.png plot-stale/plots/.figures"), 0);
  write_file("plot-stale/plots/mine.png", "the user's\n");
  write_file("plot-stale-keep.png", "outside\n");
  test_sh("printf '../plot-stale-keep.png\\n.hidden.png\\nnotes.txt\\n' "
          ">> plot-stale/plots/.figures");
  write_file("plot-stale.yaml", TWO("licences"));
  assert_int_equal(test_sh(LOKET_BINARY " run plot-stale.yaml --out plot-stale --quiet && "
                           LOKET_BINARY " plot plot-stale > plot-out.txt"), 0);
  assert_int_equal(test_sh("test -e plot-stale/plots/day-permits.png"), 1);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-licences.png"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-intake.png"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/mine.png"), 0);
  assert_int_equal(test_sh("test -s plot-stale-keep.png"), 0);
  assert_int_equal(test_sh("grep -qx day-licences.png plot-stale/plots/.figures"), 0);
  assert_int_equal(test_sh("grep -q 'permits\\|keep\\|hidden\\|notes' "
                           "plot-stale/plots/.figures"), 1);
  /* Each format is cleaned by a plot in that format: an svg plot leaves
   * the png figures, and a png plot the svg ones. */
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-stale --format svg > plot-out.txt"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-licences.svg"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-licences.png"), 0);
  write_file("plot-stale.yaml", TWO("permits"));
  assert_int_equal(test_sh(LOKET_BINARY " run plot-stale.yaml --out plot-stale --quiet && "
                           LOKET_BINARY " plot plot-stale > plot-out.txt"), 0);
  assert_int_equal(test_sh("test -e plot-stale/plots/day-licences.png"), 1);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-permits.png"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-licences.svg"), 0);
  assert_int_equal(test_sh("grep -qx day-licences.svg plot-stale/plots/.figures"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-stale --format svg > plot-out.txt"), 0);
  assert_int_equal(test_sh("test -e plot-stale/plots/day-licences.svg"), 1);
  assert_int_equal(test_sh("test -s plot-stale/plots/day-permits.svg"), 0);
  assert_int_equal(test_sh("test -s plot-stale/plots/mine.png"), 0);
#undef TWO
  test_sh("rm -f plot-stale-keep.png");
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

/* What gnuplot reads and writes is never in the output folder, where
 * someone who may write there could swap a file between loket closing it
 * and gnuplot opening it by name (a script of their own; a link for `set
 * output` to follow): a gnuplot on PATH that records its script
 * arguments, the folder they are in and the figure it is told to write
 * before running the real one sees them all in a private folder under
 * TMPDIR (mode 700), which is gone when the plot is done. With the files
 * in plots/ (as before), the first check fails. */
static void gnuplot_works_in_a_private_folder(void **state)
{
  (void)state;
  assert_int_equal(test_sh("rm -rf plot-wrap plot-tmp plot-args.txt && "
                           "mkdir plot-wrap plot-tmp"), 0);
  write_file("plot-wrap/gnuplot",
             "#!/bin/sh\n"
             "printf '%s\\n' \"$1\" >>\"$LOKET_ARGS\"\n"
             "stat -c %a \"$(dirname \"$1\")\" >>\"$LOKET_ARGS\"\n"
             "sed -n 's/^out = //p' \"$1\" >>\"$LOKET_ARGS\"\n"
             "exec \"$LOKET_GNUPLOT\" \"$@\"\n");
  assert_int_equal(test_sh("chmod +x plot-wrap/gnuplot && LOKET_ARGS=$PWD/plot-args.txt "
                           "LOKET_GNUPLOT=$(command -v gnuplot) PATH=$PWD/plot-wrap:$PATH "
                           "TMPDIR=$PWD/plot-tmp " LOKET_BINARY
                           " plot plot-run > plot-out.txt 2> plot-err.txt"), 0);
  assert_int_equal(test_sh("grep -q '^8 figures' plot-out.txt"), 0);
  char *args = test_slurp("plot-args.txt");
  assert_non_null(args);
  /* Per figure: the variables' script, its folder's mode, the output. */
  size_t lines = 0;
  for (char *line = args, *eol; (eol = strchr(line, '\n')) != NULL; line = eol + 1, lines++) {
    *eol = '\0';
    if (strstr(line, "plot-run"))
      fail_msg("gnuplot was given a file in the output folder: %s", line);
    if (lines % 3 == 1)
      assert_string_equal(line, "700");
    else if (!strstr(line, "/plot-tmp/loket-plot."))
      fail_msg("gnuplot's file is not in the private folder: %s", line);
  }
  assert_int_equal(lines, 3 * 8);
  free(args);
  /* The private folder is removed, and the figures are in place. */
  assert_int_equal(test_sh("rmdir plot-tmp"), 0);
  assert_memory_equal(head("plot-run/plots/waits.png", 8), "\x89PNG\r\n\x1a\n", 8);
  /* A temporary folder that cannot be used: a clear error. */
  assert_int_equal(test_sh("TMPDIR=$PWD/plot-none " LOKET_BINARY
                           " plot plot-run > plot-out.txt 2> plot-err.txt"), 1);
  assert_non_null(strstr(head("plot-err.txt", 255), "plot-none' for gnuplot's files"));
  test_sh("rm -rf plot-wrap");
}

/* A sweep that varies the service-level target has no one target to draw
 * (about.csv's is the base scenario's, no point's): its service-level
 * figure gets none, seen in the variables a recording gnuplot is given.
 * (It drew the base's 80 % line over points of 70 and 90 %.) */
static void a_varied_target_draws_no_target_line(void **state)
{
  (void)state;
  assert_int_equal(test_sh("rm -rf plot-tv plot-tv-cap plot-tv-wrap && mkdir plot-tv-cap "
                           "plot-tv-wrap && " LOKET_BINARY " sweep " LOKET_SOURCE_DIR
                           "/scenarios/mmc.yaml --vary service_level.target=0.7,0.9 "
                           "--vary departments.counter.staff=3,4 --replications 2 "
                           "--set horizon=120 --set warmup=0 --set service_level.target=0.8 --quiet "
                           "--out plot-tv"), 0);
  write_file("plot-tv-wrap/gnuplot",
             "#!/bin/sh\n"
             "cp \"$1\" \"$LOKET_CAP/$(basename \"$(dirname \"$1\")\")-$$.gp\"\n"
             "exec \"$LOKET_GNUPLOT\" \"$@\"\n");
  assert_int_equal(test_sh("chmod +x plot-tv-wrap/gnuplot && LOKET_CAP=$PWD/plot-tv-cap "
                           "LOKET_GNUPLOT=$(command -v gnuplot) PATH=$PWD/plot-tv-wrap:$PATH "
                           LOKET_BINARY " plot plot-tv > plot-out.txt 2> plot-err.txt"), 0);
  assert_int_equal(test_sh("f=$(grep -l 'sweep-service_level' plot-tv-cap/*.gp) && "
                           "test -n \"$f\" && grep -q '^target = NaN$' $f"), 0);
  test_sh("rm -rf plot-tv-wrap");
}

/* The compare figure's band of a service level ends at 0 and 100 %, as
 * the run's figure's does: with three replications the t interval passes
 * 100 % (it was drawn to 103 %). */
static void compare_bands_stay_within_shares(void **state)
{
  (void)state;
  assert_int_equal(test_sh("rm -rf plot-cmp plot-cmp-cap plot-cmp-wrap && mkdir "
                           "plot-cmp-cap plot-cmp-wrap && " LOKET_BINARY " compare "
                           LOKET_SOURCE_DIR "/scenarios/achter-de-streep.yaml --variant a: "
                           "--variant b:departments.counter.staff=4 --replications 3 "
                           "--quiet --out plot-cmp > /dev/null"), 0);
  write_file("plot-cmp-wrap/gnuplot",
             "#!/bin/sh\n"
             "cp \"$(dirname \"$1\")\"/*.dat \"$LOKET_CAP/\" 2>/dev/null\n"
             "exec \"$LOKET_GNUPLOT\" \"$@\"\n");
  assert_int_equal(test_sh("chmod +x plot-cmp-wrap/gnuplot && LOKET_CAP=$PWD/plot-cmp-cap "
                           "LOKET_GNUPLOT=$(command -v gnuplot) PATH=$PWD/plot-cmp-wrap:$PATH "
                           LOKET_BINARY " plot plot-cmp > plot-out.txt 2> plot-err.txt"), 0);
  /* Rows t,clock,mean,low,high: some band reached 1, none passes 0 or 1. */
  assert_int_equal(test_sh("test -s plot-cmp-cap/compare_day.dat"), 0);
  assert_int_equal(test_sh("awk -F, 'NF == 5 && ($4 < 0 || $5 > 1) { bad = 1 } "
                           "NF == 5 && $5 == 1 { top = 1 } END { exit bad || !top }' "
                           "plot-cmp-cap/compare_day.dat"), 0);
  test_sh("rm -rf plot-cmp-wrap");
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
    {"timeseries_stats.csv", "sed -i '0,/,service_level,/s/^department:[^,]*,/department:nowhere,/'",
     "department 'nowhere' is not in stats.csv"},
    {"timeseries_stats.csv", "sed -i '0,/,service_level,/s/^\\(department:[^,]*\\),[^,]*,/\\1,7777,/'",
     "no interval of timeseries.csv starts at 7777"},
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
  quiet_gnuplot("plot-big");
  /* 2 x 1000 points: the 1000 rates are the x axis, the 2 staffings the
   * lines, each named in the key. */
  assert_int_equal(test_sh("grep -q 'desk staff = 2<' plot-big/plots/sweep-wait.svg"), 0);
}

/* A quiet desk where most customers do not wait: their share is said as
 * a number and the bars show the others. */
static void waits_when_most_do_not_wait(void **state)
{
  (void)state;
  write_file("plot-quiet.yaml", "name: quiet desk\nhorizon: 480\nreplications: 3\n"
             "service_level: {within: 2}\narrivals: [{to: desk, rate: 0.8}]\n"
             "departments:\n  desk: {staff: 3, service: {dist: exponential, mean: 1.5}}\n");
  assert_int_equal(test_sh("rm -rf plot-quiet && " LOKET_BINARY " run plot-quiet.yaml"
                           " --out plot-quiet --quiet"), 0);
  const char *names[] = {"waits", "day-desk", "service_level", "kpi", "satisfaction"};
  draw_and_check("plot-quiet", names, 5);
  assert_int_equal(test_sh("grep -q 'did not wait at all' plot-quiet/plots/waits.svg"), 0);
  assert_int_equal(test_sh("grep -q 'customers who waited' plot-quiet/plots/waits.svg"), 0);
  /* gemeente: most wait, the plain histogram. */
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-run --format svg > plot-out.txt"), 0);
  assert_int_equal(test_sh("grep -q 'did not wait at all' plot-run/plots/waits.svg"), 1);
}

/* The figures of sweeps as a slide needs them: variants, labels and the
 * currency on the axes, the target line, small multiples beyond four
 * series, lines only beyond sixteen, and a trade-off of any two metrics
 * with error bars; gnuplot says nothing about any of them. */
static void sweep_figures_for_slides(void **state)
{
  (void)state;
  write_file("plot-slide.yaml",
             "name: Front office\nhorizon: 240\nreplications: 3\ncurrency: EUR\n"
             "service_level: {within: 2, target: 0.8}\n"
             "labels: {departments.desk.staff: staff at the desk, wait_mean: time in the queue}\n"
             "arrivals: [{to: desk, rate: 1.1}]\n"
             "departments:\n  desk: {staff: 2, service: {dist: exponential, mean: 1.5},"
             " cost_per_staff_hour: 31.5}\n"
             "sweep:\n  variants:\n    flat: {departments.desk.staff: 2}\n"
             "    lunch-cut: {departments.desk.staff: [{at: 0, staff: 2}, {at: 100, staff: 1},"
             " {at: 130, staff: 2}]}\n"
             "  vary: {arrivals.0.rate: [0.8, 1.0, 1.2]}\n");
  assert_int_equal(test_sh("rm -rf plot-slide && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-slide --quiet"), 0);
  const char *names[] = {"sweep-wait", "sweep-service_level", "sweep-satisfaction",
                         "sweep-staff_cost", "sweep-utilization", "tradeoff"};
  draw_and_check("plot-slide", names, 6);
  /* Variants are the lines, the rate the x axis; labels and currency. */
  assert_int_equal(test_sh("grep -q '>lunch-cut<' plot-slide/plots/sweep-wait.svg"), 0);
  assert_int_equal(test_sh("grep -q 'time in the queue (minutes)' "
                           "plot-slide/plots/sweep-wait.svg"), 0);
  assert_int_equal(test_sh("grep -q 'staff cost (EUR)' plot-slide/plots/tradeoff.svg"), 0);
  assert_int_equal(test_sh("grep -q 'arrival rate' plot-slide/plots/sweep-wait.svg"), 0);
  assert_int_equal(test_sh("grep -q 'arrivals.0.rate' plot-slide/plots/sweep-wait.svg"), 1);
  assert_int_equal(test_sh("grep -q '>target<' plot-slide/plots/sweep-service_level.svg"), 0);
  assert_int_equal(test_sh("grep -q '>target<' plot-slide/plots/sweep-wait.svg"), 1);

  /* Any two metrics, error bars on both; the target on a service level. */
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-slide --format svg --x wait_mean"
                           " --y service_level > plot-out.txt 2> plot-err.txt"), 0);
  quiet_gnuplot("plot-slide --x wait_mean --y service_level");
  assert_int_equal(test_sh("grep -q 'time in the queue against service level' "
                           "plot-slide/plots/tradeoff.svg"), 0);
  assert_int_equal(test_sh("grep -q '>target<' plot-slide/plots/tradeoff.svg"), 0);

  /* Eight series (4 rates x 2 service times) over the staff: small
   * multiples. */
  assert_int_equal(test_sh("rm -rf plot-many-series && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-many-series --quiet --replications 2"
                           " --vary departments.desk.staff=2,3 --vary arrivals.0.rate=0.7,0.9,1.1,1.3"
                           " --vary departments.desk.service.mean=1.2,1.5"), 0);
  draw_and_check("plot-many-series", names, 6);
  assert_int_equal(test_sh("grep -c 'arrival rate = ' plot-many-series/plots/sweep-wait.svg"
                           " | grep -qx 8"), 0);
  /* 27 series of 3 points each: lines, without a key. */
  assert_int_equal(test_sh("rm -rf plot-lines && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-lines --quiet --replications 2"
                           " --vary departments.desk.staff=2,3,4 --vary arrivals.0.rate=0.7,0.9,1.1"
                           " --vary departments.desk.service.mean=1.2,1.4,1.6"
                           " --vary warmup=0,10,20"), 0);
  draw_and_check("plot-lines", names, 6);
  assert_int_equal(test_sh("grep -q '27 series, too many to name: means only' "
                           "plot-lines/plots/sweep-wait.svg"), 0);

  /* Variants alone: named settings on the x axis, each with its interval
   * (eight, to have small multiples of names too). */
  assert_int_equal(test_sh("rm -rf plot-by-variant && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-by-variant --quiet --replications 2"
                           " --variant flat:departments.desk.staff=2"
                           " --variant 'lunch-cut:departments.desk.staff=[{at: 0, staff: 2},"
                           " {at: 100, staff: 1}, {at: 130, staff: 2}]'"), 0);
  draw_and_check("plot-by-variant", names, 6);
  assert_int_equal(test_sh("grep -q 'service level by variant' "
                           "plot-by-variant/plots/sweep-service_level.svg"), 0);
  assert_int_equal(test_sh("rm -rf plot-by-variant && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-by-variant --quiet --replications 2"
                           " --variant flat:departments.desk.staff=2"
                           " --variant lunch-cut:departments.desk.staff=1"
                           " --vary 'departments.desk.service={dist: exponential, mean: 1.5},"
                           "{dist: deterministic, value: 1.5}'"
                           " --vary arrivals.0.rate=0.7,0.9,1.1,1.3"), 0);
  draw_and_check("plot-by-variant", names, 6);

  /* Long names on the x axis (set at a slant), every setting of the same
   * cost (one value on the trade-off's x axis), and a single point: no
   * empty range for gnuplot to warn of. */
  assert_int_equal(test_sh("rm -rf plot-names && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-names --quiet --replications 2"
                           " --vary 'departments.desk.service={dist: exponential, mean: 1.5},"
                           "{dist: deterministic, value: 1.5},{dist: uniform, min: 1, max: 2}'"), 0);
  draw_and_check("plot-names", names, 6);
  assert_int_equal(test_sh("rm -rf plot-one && " LOKET_BINARY " sweep plot-slide.yaml"
                           " --out plot-one --quiet --replications 2"
                           " --vary departments.desk.staff=3"), 0);
  draw_and_check("plot-one", names, 6);

  /* --x and --y: summary metrics of a sweep only. */
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-slide --x cost 2> plot-err.txt"), 2);
  assert_int_equal(test_sh("grep -q \"'cost' is not a summary metric; one of: arrivals\""
                           " plot-err.txt"), 0);
  assert_int_equal(test_sh(LOKET_BINARY " plot plot-run --x staff_cost 2> plot-err.txt"), 2);
  assert_int_equal(test_sh("grep -q 'holds no sweep.csv' plot-err.txt"), 0);
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
    cmocka_unit_test(stale_figures_are_removed),
    cmocka_unit_test(planted_links_are_not_followed),
    cmocka_unit_test(gnuplot_works_in_a_private_folder),
    cmocka_unit_test(a_varied_target_draws_no_target_line),
    cmocka_unit_test(compare_bands_stay_within_shares),
    cmocka_unit_test(damaged_files_are_refused),
    cmocka_unit_test(input_sized_data_is_not_truncated),
    cmocka_unit_test(sweep_without_customers),
    cmocka_unit_test(sweep_figures_for_slides),
    cmocka_unit_test(waits_when_most_do_not_wait),
  };
  return cmocka_run_group_tests(tests, make_run, NULL);
}
