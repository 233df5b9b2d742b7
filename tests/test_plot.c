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
                                      "satisfaction"};

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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_figure_every_format),
    cmocka_unit_test(clear_errors),
    cmocka_unit_test(sweep_figures),
  };
  return cmocka_run_group_tests(tests, make_run, NULL);
}
