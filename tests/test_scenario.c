/* The scenario loader: valid scenarios give the expected model, every
 * problem gives one compiler-style message with the exact line and column,
 * and --set overrides are applied (and blamed) before validation.
 *
 * Scenarios are written by the test into a fresh folder under the working
 * directory, so each expected position sits next to its YAML text. Lines
 * and columns are 1-based. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testing.h"

#include "models/model.h"
#include "models/model_hash.h"
#include "models/scenario.h"

/* ---- scratch files ---------------------------------------------------- */

static char dir[64];
static char *made[128]; /* files and folders, removed in reverse order */
static size_t nmade;

static void track(const char *path)
{
  for (size_t i = 0; i < nmade; i++)
    if (strcmp(made[i], path) == 0)
      return;
  assert_true(nmade < sizeof made / sizeof made[0]);
  made[nmade] = strdup(path);
  assert_non_null(made[nmade]);
  nmade++;
}

static int make_dir(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "scenario-test-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
  (void)state;
  while (nmade > 0) {
    nmade--;
    remove(made[nmade]);
    free(made[nmade]);
  }
  return rmdir(dir);
}

static void put_dir(const char *name)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat st;
  if (stat(path, &st) != 0)
    assert_int_equal(mkdir(path, 0777), 0);
  track(path);
}

static void put_file(const char *name, const char *text)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_true(fputs(text, f) >= 0);
  assert_int_equal(fclose(f), 0);
  track(path);
}

/* Writes n bytes (NULs included) to NAME in the scratch folder. */
static void put_bytes(const char *name, const char *bytes, size_t n)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(bytes, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
  track(path);
}

/* Writes `yaml` to NAME in the scratch folder and loads it. */
static struct model *load_as(const char *name, const char *yaml,
                             const char *const *sets, size_t nsets, char *err)
{
  put_file(name, yaml);
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return model_scenario_load(path, sets, nsets, err, MODEL_ERROR_MAX);
}

static struct model *load_ok(const char *yaml, const char *const *sets,
                             size_t nsets)
{
  char err[MODEL_ERROR_MAX];
  struct model *m = load_as("s.yaml", yaml, sets, nsets, err);
  if (!m)
    fail_msg("did not load: %s", err);
  assert_string_equal(err, "");
  return m;
}

/* "<dir>/s.yaml:" followed by the formatted text. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static const char *in_file(const char *fmt, ...)
{
  static char buf[MODEL_ERROR_MAX];
  int n = snprintf(buf, sizeof buf, "%s/s.yaml:", dir);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
  va_end(ap);
  return buf;
}

#define assert_error_sets(yaml, sets, nsets, expected)                     \
  do {                                                                     \
    char err_[MODEL_ERROR_MAX];                                            \
    struct model *m_ = load_as("s.yaml", (yaml), (sets), (nsets), err_);   \
    if (m_) {                                                              \
      model_free(m_);                                                      \
      fail_msg("loaded, expected: %s", (expected));                        \
    }                                                                      \
    assert_string_equal(err_, (expected));                                 \
  } while (0)

/* `where` is "LINE:COL: error: MESSAGE" in s.yaml. */
#define assert_error(yaml, ...) \
  assert_error_sets((yaml), NULL, 0, in_file(__VA_ARGS__))

/* Building blocks. COUNTER is a complete rest of a scenario (5 lines) for
 * tests of top-level keys. HEAD is lines 1-4 of a scenario whose single
 * department 'counter' has its keys from line 5 on, at column 5. */
#define COUNTER                                       \
  "departments:\n"                                    \
  "  counter:\n"                                      \
  "    staff: 3\n"                                    \
  "    service: {dist: exponential, mean: 2.385}\n"   \
  "arrivals: [{to: counter, rate: 1.125}]\n"
#define HEAD                                          \
  "horizon: 480\n"                                    \
  "arrivals: [{to: counter, rate: 1.125}]\n"          \
  "departments:\n"                                    \
  "  counter:\n"
#define STAFF "    staff: 3\n"
#define SERVICE "    service: {dist: exponential, mean: 2.385}\n"

/* ---- valid scenarios -------------------------------------------------- */

static void loads_mmc(void **state)
{
  (void)state;
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(LOKET_SOURCE_DIR "/scenarios/mmc.yaml",
                                        NULL, 0, err, sizeof err);
  if (!m)
    fail_msg("%s", err);
  assert_string_equal(m->name, "M/M/c counter");
  assert_string_equal(m->time_unit, "minutes");
  assert_near(m->units_per_hour, 60, 0);
  assert_near(m->horizon, 6000, 0);
  assert_near(m->warmup, 600, 0);
  assert_int_equal(m->replications, 20);
  assert_true(m->seed == 20261123);
  assert_near(m->service_level_within, 1, 0);

  assert_int_equal(m->ndepartments, 1);
  const struct model_department *d = &m->departments[0];
  assert_string_equal(d->name, "counter");
  assert_int_equal(d->staff, 3);
  assert_int_equal(d->service.kind, MODEL_DIST_EXPONENTIAL);
  assert_near(d->service.mean, 1, 0);
  assert_true(d->capacity == MODEL_UNLIMITED);
  assert_false(d->has_patience);
  assert_int_equal(d->nroutes, 0);
  assert_near(d->cost_per_staff_hour, 38, 0);

  assert_int_equal(m->narrivals, 1);
  assert_int_equal(m->arrivals[0].to, 0);
  assert_near(m->arrivals[0].rate, 2.7, 0);
  assert_int_equal(m->nclasses, 1);
  assert_string_equal(m->classes[0].name, "customer");
  assert_near(m->classes[0].share, 1, 0);
  model_free(m);
}

static void absent_keys_get_defaults(void **state)
{
  (void)state;
  char err[MODEL_ERROR_MAX];
  struct model *m = load_as("walk-in.yaml",
                            "horizon: 417.5\n" COUNTER, NULL, 0, err);
  if (!m)
    fail_msg("%s", err);
  assert_string_equal(m->name, "walk-in"); /* the file name, no extension */
  assert_string_equal(m->time_unit, "minutes");
  assert_near(m->units_per_hour, 60, 0);
  assert_near(m->horizon, 417.5, 0);
  assert_near(m->warmup, 0, 0);
  assert_int_equal(m->replications, 10);
  assert_true(m->seed == 1);
  assert_near(m->service_level_within, 0, 0);
  const struct model_department *d = &m->departments[0];
  assert_true(d->capacity == MODEL_UNLIMITED);
  assert_false(d->has_patience);
  assert_near(d->cost_per_staff_hour, 0, 0);
  assert_int_equal(d->nroutes, 0);
  model_free(m);

  /* Only the last extension goes; the folder is not part of the name. */
  put_dir("sub");
  m = load_as("sub/late.shift.yaml", "horizon: 417.5\n" COUNTER, NULL, 0, err);
  if (!m)
    fail_msg("%s", err);
  assert_string_equal(m->name, "late.shift");
  model_free(m);
}

static void time_units_and_extremes(void **state)
{
  (void)state;
  struct model *m = load_ok("time_unit: seconds\n"
                            "horizon: 28800\n"
                            "warmup: 3599.5\n"
                            "seed: 18446744073709551615\n"
                            "replications: 1000000\n"
                            "name: \"Balie 3: 'avond'\"\n" COUNTER,
                            NULL, 0);
  assert_string_equal(m->time_unit, "seconds");
  assert_near(m->units_per_hour, 3600, 0);
  assert_near(m->warmup, 3599.5, 0);
  assert_true(m->seed == UINT64_MAX);
  assert_int_equal(m->replications, 1000000);
  assert_string_equal(m->name, "Balie 3: 'avond'");
  model_free(m);

  /* A long horizon with few arrivals (at most 1e9 are expected). */
  const char *sparse[] = {"arrivals.0.rate=1e-3"};
  m = load_ok("time_unit: hours\nhorizon: 1e12\nseed: 0\n" COUNTER, sparse, 1);
  assert_string_equal(m->time_unit, "hours");
  assert_near(m->units_per_hour, 1, 0);
  assert_near(m->horizon, 1e12, 0);
  assert_true(m->seed == 0);
  model_free(m);
}

static void departments_routes_and_arrivals(void **state)
{
  (void)state;
  struct model *m = load_ok(
    "horizon: 480\n"
    "service_level: {within: 4.75}\n"
    "arrivals:\n"
    "  - {to: reception, rate: 1.385}\n"
    "  - to: taxes\n"
    "    rate: 0.215\n"
    "departments:\n"
    "  reception:\n"
    "    staff: 3\n"
    "    service: {dist: exponential, mean: 2.385}\n"
    "    cost_per_staff_hour: 41.75\n"
    "    routes:\n"
    "      - {to: permits, p: 0.55}\n"
    "      - {to: taxes, p: 0.35}\n"
    "  permits:\n"
    "    staff: 2\n"
    "    service: {dist: exponential, mean: 11.5}\n"
    "    routes: [{to: permits, p: 0.125}, {to: reception, p: 0.0}]\n"
    "  taxes:\n"
    "    staff: 1\n"
    "    service: {dist: exponential, mean: 7.75}\n"
    "    routes: [{to: reception, p: 1}]\n",
    NULL, 0);
  assert_near(m->service_level_within, 4.75, 0);
  assert_int_equal(m->ndepartments, 3);
  assert_string_equal(m->departments[0].name, "reception");
  assert_string_equal(m->departments[1].name, "permits");
  assert_string_equal(m->departments[2].name, "taxes");
  assert_near(m->departments[0].cost_per_staff_hour, 41.75, 0);

  const struct model_department *r = &m->departments[0];
  assert_int_equal(r->nroutes, 2);
  assert_int_equal(r->routes[0].to, 1);
  assert_near(r->routes[0].p, 0.55, 0);
  assert_int_equal(r->routes[1].to, 2);
  assert_near(r->routes[1].p, 0.35, 0);

  const struct model_department *p = &m->departments[1];
  assert_int_equal(p->nroutes, 2);
  assert_int_equal(p->routes[0].to, 1); /* a repeat visit */
  assert_near(p->routes[0].p, 0.125, 0);
  assert_int_equal(p->routes[1].to, 0);
  assert_near(p->routes[1].p, 0, 0);

  /* taxes always goes back to reception, which lets customers leave. */
  assert_int_equal(m->departments[2].nroutes, 1);
  assert_int_equal(m->departments[2].routes[0].to, 0);
  assert_near(m->departments[2].routes[0].p, 1, 0);

  assert_int_equal(m->narrivals, 2);
  assert_int_equal(m->arrivals[0].to, 0);
  assert_near(m->arrivals[0].rate, 1.385, 0);
  assert_int_equal(m->arrivals[1].to, 2);
  assert_near(m->arrivals[1].rate, 0.215, 0);
  model_free(m);
}

static void patience_capacity_and_idle_departments(void **state)
{
  (void)state;
  struct model *m = load_ok(
    "horizon: 480\n"
    "patience: {dist: exponential, mean: 17.25}\n"
    "arrivals: [{to: front, rate: 0.875}]\n"
    "departments:\n"
    "  front:\n"
    "    staff: 2\n"
    "    service: {dist: exponential, mean: 2.385}\n"
    "    capacity: 0\n"
    "    routes: [{to: back, p: 0.4}, {to: closed, p: 0.1}]\n"
    "  back:\n"
    "    staff: 1\n"
    "    service: {dist: exponential, mean: 3.125}\n"
    "    capacity: 1000000000\n"
    "    patience: {dist: empirical, values: [4.5, 9.25]}\n"
    "  closed:\n" /* no staff, but top-level patience lets them leave */
    "    staff: 0\n"
    "    service: {dist: deterministic, value: 1.5}\n",
    NULL, 0);
  const struct model_department *front = &m->departments[0];
  assert_true(front->capacity == 0);
  /* No patience of its own: the top-level one applies. */
  assert_false(front->has_patience);
  assert_non_null(front->visit[0].patience);
  assert_int_equal(front->visit[0].patience->kind, MODEL_DIST_EXPONENTIAL);
  assert_near(front->visit[0].patience->mean, 17.25, 0);

  const struct model_department *back = &m->departments[1];
  assert_true(back->capacity == 1000000000);
  assert_true(back->has_patience);
  assert_ptr_equal(back->visit[0].patience, &back->patience);
  assert_int_equal(back->patience.kind, MODEL_DIST_EMPIRICAL);
  assert_near(back->patience.mean, 6.875, 1e-12);
  assert_int_equal(back->patience.nvalues, 2);

  const struct model_department *closed = &m->departments[2];
  assert_int_equal(closed->staff, 0);
  assert_true(closed->capacity == MODEL_UNLIMITED);
  assert_non_null(closed->visit[0].patience);
  assert_near(closed->visit[0].patience->mean, 17.25, 0);
  model_free(m);

  /* Without any patience a department with no staff must turn customers
   * away (capacity 0); an empirical top-level patience is shared by the
   * departments' rules, and stored (and freed) once. */
  m = load_ok("horizon: 480\n"
              "arrivals: [{to: a, rate: 0.875}]\n"
              "departments:\n"
              "  a:\n"
              "    staff: 0\n"
              "    capacity: 0\n"
              "    service: {dist: exponential, mean: 2.385}\n",
              NULL, 0);
  assert_int_equal(m->departments[0].staff, 0);
  assert_true(m->departments[0].capacity == 0);
  assert_false(m->departments[0].has_patience);
  model_free(m);

  m = load_ok("horizon: 480\n"
              "patience: {dist: empirical, values: [2.5, 3.75, 11]}\n"
              "arrivals: [{to: a, rate: 0.875}]\n"
              "departments:\n"
              "  a: {staff: 1, service: {dist: exponential, mean: 2.385}}\n"
              "  b: {staff: 1, service: {dist: exponential, mean: 2.385}}\n",
              NULL, 0);
  assert_ptr_equal(m->departments[0].visit[0].patience, &m->patience);
  assert_ptr_equal(m->departments[1].visit[0].patience, &m->patience);
  assert_int_equal(m->patience.nvalues, 3);
  assert_near(m->departments[1].visit[0].patience->mean, 17.25 / 3, 1e-12);
  model_free(m);
}

/* E[X | X >= 0] for X ~ N(mu, sigma). */
static double truncated_normal_mean(double mu, double sigma)
{
  double a = -mu / sigma;
  double phi = exp(-0.5 * a * a) / sqrt(2 * 3.14159265358979323846);
  return mu + sigma * phi / (0.5 * erfc(a / sqrt(2.0)));
}

static void every_distribution_kind(void **state)
{
  (void)state;
  const struct {
    const char *yaml;
    enum model_dist_kind kind;
    double mean;
  } cases[] = {
    {"{dist: exponential, mean: 2.385}", MODEL_DIST_EXPONENTIAL, 2.385},
    {"{dist: deterministic, value: 1.75}", MODEL_DIST_DETERMINISTIC, 1.75},
    {"{dist: deterministic, value: 0}", MODEL_DIST_DETERMINISTIC, 0},
    {"{dist: uniform, min: 0.5, max: 3.25}", MODEL_DIST_UNIFORM, 1.875},
    {"{dist: triangular, min: 0.5, mode: 1.25, max: 4.75}",
     MODEL_DIST_TRIANGULAR, 6.5 / 3},
    {"{dist: triangular, min: 0, mode: 0, max: 2.5}", MODEL_DIST_TRIANGULAR,
     2.5 / 3},
    {"{dist: normal, mean: 1.2, sd: 0.9}", MODEL_DIST_NORMAL,
     truncated_normal_mean(1.2, 0.9)},
    {"{dist: normal, mean: 3.5, sd: 0}", MODEL_DIST_NORMAL, 3.5},
    {"{dist: lognormal, mean: 4.125, sd: 1.5}", MODEL_DIST_LOGNORMAL, 4.125},
    {"{dist: gamma, mean: 2.875, sd: 1.125}", MODEL_DIST_GAMMA, 2.875},
    {"{dist: erlang, k: 3, mean: 2.55}", MODEL_DIST_ERLANG, 2.55},
    {"{dist: weibull, mean: 3.1, shape: 1.7}", MODEL_DIST_WEIBULL, 3.1},
    {"{dist: weibull, scale: 2.2, shape: 0.85}", MODEL_DIST_WEIBULL,
     2.2 * tgamma(1 + 1 / 0.85)},
    {"{dist: empirical, values: [1.5, 2.25, 4.125, 0]}", MODEL_DIST_EMPIRICAL,
     1.96875},
    /* block style, too */
    {"\n      dist: gamma\n      mean: 6.25\n      sd: 2.5", MODEL_DIST_GAMMA,
     6.25},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml, HEAD STAFF "    service: %s\n", cases[i].yaml);
    struct model *m = load_ok(yaml, NULL, 0);
    const struct model_dist *d = &m->departments[0].service;
    if (d->kind != cases[i].kind ||
        !(fabs(d->mean - cases[i].mean) <= 1e-12 * cases[i].mean))
      fail_msg("%s: kind %d mean %.17g, expected kind %d mean %.17g",
               cases[i].yaml, (int)d->kind, d->mean, (int)cases[i].kind,
               cases[i].mean);
    model_free(m);
  }

  /* Parameters as the samplers want them. */
  struct model *m = load_ok(HEAD STAFF
                            "    service: {dist: weibull, scale: 2.2, shape: 0.85}\n"
                            "    patience: {dist: erlang, k: 4, mean: 9.5}\n",
                            NULL, 0);
  assert_near(m->departments[0].service.a, 2.2, 0);
  assert_near(m->departments[0].service.b, 0.85, 0);
  assert_near(m->departments[0].patience.a, 4, 0);
  assert_near(m->departments[0].patience.b, 9.5 / 4, 1e-15);
  model_free(m);
}

static void empirical_file_is_relative_to_the_scenario(void **state)
{
  (void)state;
  put_dir("office");
  put_dir("office/data");
  put_file("office/data/times.csv",
           "minutes,clerk\n"
           "1.25,anna\n"
           "3.5,bram\n"
           "\n"
           "# a comment\n"
           "2.75,cor\r\n");
  put_file("office/data/bare.csv", "0.5\n4.25\n");
  char err[MODEL_ERROR_MAX];
  struct model *m = load_as("office/s.yaml",
                            HEAD STAFF
                            "    service: {dist: empirical, file: data/times.csv}\n"
                            "    patience: {dist: empirical, file: data/bare.csv}\n",
                            NULL, 0, err);
  if (!m)
    fail_msg("%s", err);
  const struct model_dist *d = &m->departments[0].service;
  assert_int_equal(d->kind, MODEL_DIST_EMPIRICAL);
  assert_int_equal(d->nvalues, 3);
  assert_near(d->values[0], 1.25, 0);
  assert_near(d->values[1], 3.5, 0);
  assert_near(d->values[2], 2.75, 0);
  assert_near(d->mean, 2.5, 1e-15);
  /* Without a header the first line is a value. */
  assert_int_equal(m->departments[0].patience.nvalues, 2);
  assert_near(m->departments[0].patience.mean, 2.375, 1e-15);
  model_free(m);
}

static void anchors_and_merge_keys_are_resolved(void **state)
{
  (void)state;
  struct model *m = load_ok("horizon: 480\n"
                            "arrivals: [{to: a, rate: 0.875}]\n"
                            "departments:\n"
                            "  a:\n"
                            "    staff: &n 4\n"
                            "    service: &svc {dist: gamma, mean: 2.385, sd: 1.5}\n"
                            "  b:\n"
                            "    staff: *n\n"
                            "    service:\n"
                            "      <<: *svc\n"
                            "      mean: 3.125\n",
                            NULL, 0);
  assert_int_equal(m->departments[1].staff, 4);
  assert_int_equal(m->departments[1].service.kind, MODEL_DIST_GAMMA);
  assert_near(m->departments[1].service.mean, 3.125, 0);
  model_free(m);
}

/* ---- errors: the file as a whole -------------------------------------- */

static void file_errors(void **state)
{
  (void)state;
  char err[MODEL_ERROR_MAX], expected[MODEL_ERROR_MAX];

  /* Missing file. */
  char path[256];
  snprintf(path, sizeof path, "%s/absent.yaml", dir);
  assert_null(model_scenario_load(path, NULL, 0, err, sizeof err));
  snprintf(expected, sizeof expected,
           "%s: error: cannot read the scenario: No such file or directory", path);
  assert_string_equal(err, expected);

  /* YAML syntax errors (the messages are libfyaml's). */
  assert_error("horizon: 480\n"
               "departments:\n"
               "  counter:\n"
               "    staff: 3\n"
               "   service: {dist: exponential, mean: 2.385}\n",
               "5:4: error: invalid indentation in mapping");
  assert_error("horizon: 480\n"
               "name: \"unclosed\n",
               "2:8: error: double-quoted scalar without closing quote");
  assert_error("horizon: 480\n"
               "horizon: 417.5\n" COUNTER,
               "2:1: error: duplicate key 'horizon'");
  assert_error("horizon: 480\n"
               "arrivals: [{to: counter, rate: *fast}]\n",
               "2:33: error: invalid alias"); /* at the name after '*' */

  /* Empty, only comments, an empty document. */
  assert_error("", "1:1: error: the scenario is empty");
  assert_error("# nothing yet\n\n", "1:1: error: the scenario is empty");
  assert_error("---\n", "1:1: error: the scenario is empty");

  /* One document: a second is refused where it begins (it used to be left
   * out without a word), whether it parses or not; an end marker, or a
   * last "---" with only comments after it, is fine. */
  assert_error("---\nhorizon: 480\n" COUNTER "---\nhorizon: 20\n",
               "8:1: error: a scenario is one YAML document, but another one "
               "follows here; put each scenario in a file of its own");
  assert_error("horizon: 480\n" COUNTER "...\n[not closed\n",
               "7:1: error: a scenario is one YAML document, but another one "
               "follows here; put each scenario in a file of its own");
  model_free(load_ok("horizon: 480\n" COUNTER "...\n", NULL, 0));
  model_free(load_ok("horizon: 480\n" COUNTER "---\n# later\n\n", NULL, 0));

  /* Not a mapping at the top. */
  assert_error("- horizon: 480\n",
               "1:1: error: a scenario must be a mapping of keys to values, "
               "got a list");
  assert_error("# a comment first\n"
               "just some text\n",
               "2:1: error: a scenario must be a mapping of keys to values, "
               "got a single value");
}

/* ---- errors: top-level keys ------------------------------------------- */

static void top_level_errors(void **state)
{
  (void)state;
  assert_error("horizon: 480\n"
               "horizn: 480\n" COUNTER,
               "2:1: error: unknown key 'horizn' in the scenario; "
               "did you mean 'horizon'?");
  assert_error("horizon: 480\n"
               "replicatoins: 12\n" COUNTER,
               "2:1: error: unknown key 'replicatoins' in the scenario; "
               "did you mean 'replications'?");
  assert_error("horizon: 480\n"
               "classes: [{name: walk-in, share: 0.6}]\n" COUNTER,
               "2:10: error: classes must be a mapping of keys to values, got a list");
  assert_error("horizon: 480\n"
               "sweep: {vary: [staff]}\n" COUNTER,
               "2:15: error: vary must be a mapping of keys to values, got a list");
  assert_error("horizon: 480\n"
               "sweep: {vary: {departments.counter.staff: \"5:2:1\"}}\n" COUNTER,
               "2:44: error: in '5:2:1' the step must be > 0 and HI at least LO");
  assert_error("horizon: 480\n"
               "sweep: {vary: {departments.counter.staff: []}}\n" COUNTER,
               "2:43: error: the values of 'departments.counter.staff' must not be empty");
  assert_error("horizon: 480\n"
               "sweep: {steps: 3}\n" COUNTER,
               "2:9: error: unknown key 'steps' in sweep");
  assert_error("horizon: 480\n"
               "output: {interval: 0.001}\n" COUNTER,
               "2:20: error: interval 0.001 gives 480000 intervals in the horizon; "
               "at most 100000 are kept (make the interval longer)");
  assert_error("horizon: 480\n"
               "output: {customers: yes}\n" COUNTER,
               "2:21: error: customers must be true or false, got 'yes'");
  assert_error("horizon: 480\n"
               "output: {intervals: 15}\n" COUNTER,
               "2:10: error: unknown key 'intervals' in output; did you mean 'interval'?");
  assert_error("horizon: 480\n"
               "satisfaction: {wait: 2}\n" COUNTER,
               "2:16: error: unknown key 'wait' in satisfaction");
  assert_error("horizon: 480\n"
               "satisfaction: {base: 12}\n" COUNTER,
               "2:22: error: base must be at most 10 (points on the 0-10 scale), got 12");
  assert_error("horizon: 480\n"
               "satisfaction: {route: -0.5}\n" COUNTER,
               "2:23: error: route must be a number >= 0, got '-0.5'");
  assert_error("horizon: 480\n"
               "satisfaction: {repeat: -1}\n" COUNTER,
               "2:24: error: repeat must be a number >= 0, got '-1'");
  assert_error("horizon: 480\n"
               "satisfaction: {repeat: 11}\n" COUNTER,
               "2:24: error: repeat must be at most 10 (points on the 0-10 scale), got 11");
  assert_error("horizon: 480\n"
               "satisfaction: {wait_range: 0}\n" COUNTER,
               "2:28: error: wait_range must be a number > 0, got '0'");
  assert_error("horizon: 480\n"
               "service_level: {within: 5, target: 80}\n" COUNTER,
               "2:36: error: target must be a probability between 0 and 1, got '80'");
  assert_error("horizon: 480\n"
               "  # indented comment\n"
               "sweep: {departments.counter.staff: [2, 3]}\n" COUNTER,
               "3:9: error: unknown key 'departments.counter.staff' in sweep");
  assert_error("{horizon: 480, [a]: 1}\n",
               "1:16: error: keys in the scenario must be plain names");

  /* loket: the schema version */
  assert_error("loket: 2\nhorizon: 480\n" COUNTER,
               "1:8: error: loket (the schema version) must be at most 1, got '2'");
  assert_error("loket: 0\nhorizon: 480\n" COUNTER,
               "1:8: error: loket (the schema version) must be a whole number "
               ">= 1, got '0'");

  /* name */
  /* libfyaml places a quoted scalar after its opening quote */
  assert_error("name: ''\nhorizon: 480\n" COUNTER,
               "1:8: error: name must not be empty");
  assert_error("name: [a, b]\nhorizon: 480\n" COUNTER,
               "1:7: error: name must be a single value, got a list");

  /* time_unit */
  assert_error("horizon: 480\ntime_unit: days\n" COUNTER,
               "2:12: error: time_unit must be seconds, minutes or hours, "
               "got 'days'");
  assert_error("horizon: 480\ntime_unit: Minutes\n" COUNTER,
               "2:12: error: time_unit must be seconds, minutes or hours, "
               "got 'Minutes'");

  /* horizon */
  assert_error("name: no horizon\n" COUNTER,
               "1:1: error: the scenario needs 'horizon'");
  assert_error("horizon: 0\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got '0'");
  assert_error("horizon: -417.5\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got '-417.5'");
  assert_error("horizon: .inf\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got '.inf'");
  assert_error("horizon: inf\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got 'inf'");
  assert_error("horizon: .nan\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got '.nan'");
  assert_error("horizon: nan\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got 'nan'");
  assert_error("horizon: 1e400\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got '1e400'");
  assert_error("horizon: 2.5e12\n" COUNTER,
               "1:10: error: horizon must be at most 1e12, got 2.5e+12");
  assert_error("horizon: 8 hours\n" COUNTER,
               "1:10: error: horizon must be a number > 0, got '8 hours'");
  assert_error("horizon: [480]\n" COUNTER,
               "1:10: error: horizon must be a single value, got a list");
  assert_error("horizon: {value: 480}\n" COUNTER,
               "1:10: error: horizon must be a single value, got a mapping");
  assert_error("horizon:\n" COUNTER,
               "1:1: error: horizon must be a number > 0, got ''");

  /* warmup */
  assert_error("horizon: 417.5\nwarmup: 417.5\n" COUNTER,
               "2:9: error: warmup must be shorter than the horizon (417.5), "
               "got 417.5");
  assert_error("horizon: 417.5\nwarmup: 600\n" COUNTER,
               "2:9: error: warmup must be shorter than the horizon (417.5), "
               "got 600");
  assert_error("horizon: 417.5\nwarmup: -0.25\n" COUNTER,
               "2:9: error: warmup must be a number >= 0, got '-0.25'");

  /* replications */
  assert_error("horizon: 480\nreplications: 0\n" COUNTER,
               "2:15: error: replications must be a whole number >= 1, got '0'");
  assert_error("horizon: 480\nreplications: 2.5\n" COUNTER,
               "2:15: error: replications must be a whole number >= 1, got '2.5'");
  assert_error("horizon: 480\nreplications: 1000001\n" COUNTER,
               "2:15: error: replications must be at most 1000000, got '1000001'");

  /* seed */
  assert_error("horizon: 480\nseed: -1\n" COUNTER,
               "2:7: error: seed must be a whole number >= 0, got '-1'");
  assert_error("horizon: 480\nseed: 18446744073709551616\n" COUNTER,
               "2:7: error: seed must be at most 18446744073709551615, "
               "got '18446744073709551616'");
  assert_error("horizon: 480\nseed: 0x2f\n" COUNTER,
               "2:7: error: seed must be a whole number >= 0, got '0x2f'");

  /* service_level */
  assert_error("horizon: 480\nservice_level: {}\n" COUNTER,
               "2:16: error: service_level needs 'within'");
  assert_error("horizon: 480\nservice_level: 80%\n" COUNTER,
               "2:16: error: service_level must be a mapping of keys to values, "
               "got a single value");
  assert_error("horizon: 480\nservice_level: {within: -0.5}\n" COUNTER,
               "2:25: error: within must be a number >= 0, got '-0.5'");
  assert_error("horizon: 480\nservice_level: {within: soon}\n" COUNTER,
               "2:25: error: within must be a number >= 0, got 'soon'");
  assert_error("horizon: 480\nservice_level:\n  within: 2.5\n  percent: 80\n" COUNTER,
               "4:3: error: unknown key 'percent' in service_level");

  /* top-level patience */
  assert_error("horizon: 480\npatience: {dist: exponential, mean: 0}\n" COUNTER,
               "2:37: error: patience: mean must be > 0, got 0");
  assert_error("horizon: 480\npatience:\n" COUNTER,
               "2:1: error: patience must be a mapping of keys to values, "
               "got a single value");
}

/* ---- errors: arrivals ------------------------------------------------- */

#define DEPARTMENTS                                   \
  "horizon: 480\n"                                    \
  "departments:\n"                                    \
  "  counter:\n"                                      \
  "    staff: 3\n"                                    \
  "    service: {dist: exponential, mean: 2.385}\n"

static void arrival_errors(void **state)
{
  (void)state;
  assert_error(DEPARTMENTS, "1:1: error: the scenario needs 'arrivals'");
  assert_error(DEPARTMENTS "arrivals: []\n",
               "6:11: error: arrivals must list at least one arrival stream");
  assert_error(DEPARTMENTS "arrivals: {to: counter, rate: 1.125}\n",
               "6:11: error: arrivals must be a list, got a mapping");
  assert_error(DEPARTMENTS "arrivals:\n",
               "6:1: error: arrivals must be a list, got a single value");
  assert_error(DEPARTMENTS "arrivals: [counter]\n",
               "6:12: error: an arrival stream must be a mapping of keys to "
               "values, got a single value");
  assert_error(DEPARTMENTS "arrivals:\n"
                           "  - {to: counter, rate: 1.125}\n"
                           "  -\n",
               "6:1: error: an arrival stream must be a mapping of keys to "
               "values, got a single value");
  assert_error(DEPARTMENTS "arrivals:\n"
                           "  - to: counter\n"
                           "    rate: 0\n",
               "8:11: error: rate must be a number > 0, got '0'");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: -1.125}]\n",
               "6:32: error: rate must be a number > 0, got '-1.125'");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: [1.125, 2]}]\n",
               "6:32: error: rate must be a single value, got a list");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: }]\n",
               "6:26: error: rate must be a number > 0, got ''");
  assert_error(DEPARTMENTS "arrivals: [{to: countr, rate: 1.125}]\n",
               "6:17: error: unknown department 'countr'; did you mean 'counter'?");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rat: 1.125}]\n",
               "6:26: error: unknown key 'rat' in an arrival stream; "
               "did you mean 'rate'?");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: 1.125, class: vip}]\n",
               "6:46: error: unknown class 'vip'");
  assert_error(DEPARTMENTS "arrivals: [{to: counter}]\n",
               "6:12: error: an arrival stream needs exactly one of 'rate', "
               "'schedule', 'trace' and 'appointments'");
  assert_error(DEPARTMENTS "arrivals: [{rate: 1.125}]\n",
               "6:12: error: an arrival stream needs 'to'");
}

/* ---- errors: departments ---------------------------------------------- */

static void department_errors(void **state)
{
  (void)state;
  assert_error("horizon: 480\narrivals: [{to: counter, rate: 1.125}]\n",
               "1:1: error: the scenario needs 'departments'");
  assert_error("horizon: 480\ndepartments: {}\n",
               "2:14: error: departments must name at least one department");
  assert_error("horizon: 480\ndepartments: [counter]\n",
               "2:14: error: departments must be a mapping of keys to values, "
               "got a list");
  assert_error("horizon: 480\ndepartments:\n",
               "2:1: error: departments must be a mapping of keys to values, "
               "got a single value");
  assert_error(HEAD, "4:3: error: department 'counter' must be a mapping of "
                     "keys to values, got a single value");
  assert_error("horizon: 480\ndepartments: {'': {staff: 1}}\n",
               "2:16: error: a department name must not be empty");

  /* unknown and planned keys */
  assert_error(HEAD "    stafff: 3\n" SERVICE,
               "5:5: error: unknown key 'stafff' in department 'counter'; "
               "did you mean 'staff'?");
  assert_error(HEAD STAFF SERVICE "    cost_per_hour: 41.5\n",
               "7:5: error: unknown key 'cost_per_hour' in department 'counter'; "
               "did you mean 'cost_per_staff_hour'?");
  assert_error(HEAD STAFF SERVICE "    balking: {threshold: 12}\n",
               "7:15: error: unknown key 'threshold' in balking");

  /* staff */
  assert_error(HEAD SERVICE, "5:5: error: department 'counter' needs 'staff'");
  assert_error(HEAD "    staff: three\n" SERVICE,
               "5:12: error: staff must be a whole number >= 0, got 'three'");
  assert_error(HEAD "    staff: -2\n" SERVICE,
               "5:12: error: staff must be a whole number >= 0, got '-2'");
  assert_error(HEAD "    staff: 2.5\n" SERVICE,
               "5:12: error: staff must be a whole number >= 0, got '2.5'");
  assert_error(HEAD "    staff: 1000001\n" SERVICE,
               "5:12: error: staff must be at most 1000000, got '1000001'");
  assert_error(HEAD "    staff: 99999999999999999999999\n" SERVICE,
               "5:12: error: staff must be at most 1000000, "
               "got '99999999999999999999999'");
  assert_error(HEAD "    staff: [2, 3, 2]\n" SERVICE,
               "5:13: error: a step of staff must be a mapping of keys to values, "
               "got a single value");
  assert_error(HEAD "    staff:\n"
                    "      - {from: 0, staff: 2}\n" SERVICE,
               "6:10: error: unknown key 'from' in a step of staff");
  assert_error(HEAD "    staff: {n: 3}\n" SERVICE,
               "5:12: error: staff must be a single value, got a mapping");
  assert_error(HEAD "    staff:\n" SERVICE,
               "5:5: error: staff must be a whole number >= 0, got ''");

  /* service */
  assert_error(HEAD STAFF, "5:5: error: department 'counter' needs 'service'");
  assert_error(HEAD STAFF "    service: 2.385\n",
               "6:14: error: service must be a mapping of keys to values, "
               "got a single value");

  /* capacity */
  assert_error(HEAD STAFF SERVICE "    capacity: -1\n",
               "7:15: error: capacity must be a whole number >= 0, got '-1'");
  assert_error(HEAD STAFF SERVICE "    capacity: unlimited\n",
               "7:15: error: capacity must be a whole number >= 0, got 'unlimited'");
  assert_error(HEAD STAFF SERVICE "    capacity: 12.5\n",
               "7:15: error: capacity must be a whole number >= 0, got '12.5'");
  assert_error(HEAD STAFF SERVICE "    capacity: 1000000001\n",
               "7:15: error: capacity must be at most 1000000000, got '1000000001'");

  /* cost */
  assert_error(HEAD STAFF SERVICE "    cost_per_staff_hour: -41.5\n",
               "7:26: error: cost_per_staff_hour must be a number >= 0, "
               "got '-41.5'");

  /* patience */
  assert_error(HEAD STAFF SERVICE "    patience: {dist: exponential}\n",
               "7:15: error: patience: exponential needs 'mean'");

  /* staff 0 without patience and with room to wait */
  assert_error(HEAD "    staff: 0\n" SERVICE,
               "5:12: error: department 'counter' has no staff, no patience and "
               "room to wait: its customers would wait forever");
  assert_error(HEAD "    staff: 0\n" SERVICE "    capacity: 3\n",
               "5:12: error: department 'counter' has no staff, no patience and "
               "room to wait: its customers would wait forever");
  /* A schedule that is 0 all day has no staff either. */
  assert_error(HEAD "    staff: [{at: 0, staff: 0}, {at: 240, staff: 0}]\n" SERVICE,
               "5:12: error: department 'counter' has no staff, no patience and "
               "room to wait: its customers would wait forever");
}

/* ---- errors: distributions -------------------------------------------- */

/* `service` is on line 6; its flow mapping starts at column 14. */
#define SVC(flow) HEAD STAFF "    service: " flow "\n"
#define MAX_LINE_TEST 4096

static void distribution_errors(void **state)
{
  (void)state;
  assert_error(SVC("{mean: 2.385}"), "6:14: error: service needs 'dist'");
  assert_error(SVC("{dist: exponentail, mean: 2.385}"),
               "6:21: error: unknown distribution 'exponentail'; "
               "did you mean 'exponential'?");
  assert_error(SVC("{dist: weibul, mean: 2.385, shape: 1.5}"),
               "6:21: error: unknown distribution 'weibul'; did you mean 'weibull'?");
  assert_error(SVC("{dist: erlong, k: 2, mean: 2.385}"),
               "6:21: error: unknown distribution 'erlong'; did you mean 'erlang'?");
  assert_error(SVC("{dist: [exponential], mean: 2.385}"),
               "6:21: error: dist must be a single value, got a list");
  assert_error(SVC("{dist: exponential, maen: 2.385}"),
               "6:34: error: unknown key 'maen' in exponential distribution; "
               "did you mean 'mean'?");
  assert_error(SVC("{dist: uniform, min: 1.5, max: 3.25, mean: 2.385}"),
               "6:51: error: unknown key 'mean' in uniform distribution; "
               "did you mean 'min'?");
  assert_error(HEAD STAFF "    service:\n"
                          "      dist: gamma\n"
                          "      mean: 2.385\n"
                          "      sd: 1.5\n"
                          "      sdev: 1.5\n",
               "10:7: error: unknown key 'sdev' in gamma distribution; "
               "did you mean 'sd'?");
  assert_error(SVC("{dist: exponential, mean: abc}"),
               "6:40: error: mean must be a number, got 'abc'");
  assert_error(SVC("{dist: exponential, mean: [2.385]}"),
               "6:40: error: mean must be a single value, got a list");

  /* exponential */
  assert_error(SVC("{dist: exponential}"),
               "6:14: error: service: exponential needs 'mean'");
  assert_error(SVC("{dist: exponential, mean: 0}"),
               "6:40: error: service: mean must be > 0, got 0");
  assert_error(SVC("{dist: exponential, mean: -2.385}"),
               "6:40: error: service: mean must be > 0, got -2.385");
  assert_error(HEAD STAFF "    service:\n"
                          "      dist: exponential\n"
                          "      mean: -2.385\n",
               "8:13: error: service: mean must be > 0, got -2.385");
  /* deterministic */
  assert_error(SVC("{dist: deterministic, valeu: 2.385}"),
               "6:36: error: unknown key 'valeu' in deterministic distribution; "
               "did you mean 'value'?");
  assert_error(SVC("{dist: deterministic}"),
               "6:14: error: service: deterministic needs 'value'");
  assert_error(SVC("{dist: deterministic, value: -0.5}"),
               "6:43: error: service: value must be >= 0, got -0.5");
  /* uniform */
  assert_error(SVC("{dist: uniform, min: 1.5}"),
               "6:14: error: service: uniform needs 'min' and 'max'");
  assert_error(SVC("{dist: uniform, min: 3.5, max: 3.5}"),
               "6:45: error: service: max must be > min (3.5), got 3.5");
  assert_error(SVC("{dist: uniform, min: 4.25, max: 3.5}"),
               "6:46: error: service: max must be > min (4.25), got 3.5");
  assert_error(SVC("{dist: uniform, min: -1.5, max: 3.5}"),
               "6:35: error: service: min must be >= 0, got -1.5");
  /* triangular */
  assert_error(SVC("{dist: triangular, min: 0.5, max: 4.75}"),
               "6:14: error: service: triangular needs 'min', 'mode' and 'max'");
  assert_error(SVC("{dist: triangular, min: 0.5, mode: 5.25, max: 4.75}"),
               "6:49: error: service: mode must lie between min and max, got 5.25");
  assert_error(SVC("{dist: triangular, min: 0.5, mode: 0.25, max: 4.75}"),
               "6:49: error: service: mode must lie between min and max, got 0.25");
  assert_error(SVC("{dist: triangular, min: 4.75, mode: 4.75, max: 4.75}"),
               "6:61: error: service: max must be > min (4.75), got 4.75");
  /* normal, lognormal, gamma */
  assert_error(SVC("{dist: normal, mean: 2.385}"),
               "6:14: error: service: normal needs 'mean' and 'sd'");
  assert_error(SVC("{dist: normal, mean: 2.385, sd: -0.25}"),
               "6:46: error: service: sd must be >= 0, got -0.25");
  assert_error(SVC("{dist: normal, mean: 0, sd: 0.25}"),
               "6:35: error: service: mean must be > 0, got 0");
  assert_error(SVC("{dist: lognormal, mean: 2.385, sd: 0}"),
               "6:49: error: service: sd must be > 0, got 0");
  assert_error(SVC("{dist: lognormal, mean: -2.385, sd: 1.5}"),
               "6:38: error: service: mean must be > 0, got -2.385");
  assert_error(SVC("{dist: gamma, sd: 1.5}"),
               "6:14: error: service: gamma needs 'mean' and 'sd'");
  assert_error(SVC("{dist: gamma, mean: 2.385, sd: -1.5}"),
               "6:45: error: service: sd must be > 0, got -1.5");
  /* Finite parameters whose derived parameters are not (NaN draws). */
  assert_error(SVC("{dist: lognormal, mean: 2.385, sd: 1e200}"),
               "6:49: error: service: sd 1e+200 is too large for mean 2.385: "
               "with sd/mean above 1000 the lognormal's mean lies in draws "
               "too rare to occur");
  assert_error(SVC("{dist: gamma, mean: 2.385, sd: 1e-200}"),
               "6:45: error: service: sd 1e-200 is too small for mean 2.385: "
               "the gamma's shape (mean/sd)^2 is not a finite number (a fixed "
               "duration is deterministic)");
  /* erlang */
  assert_error(SVC("{dist: erlang, mean: 2.385}"),
               "6:14: error: service: erlang needs 'k' and 'mean'");
  assert_error(SVC("{dist: erlang, k: 2.5, mean: 2.385}"),
               "6:32: error: service: k must be a whole number >= 1, got 2.5");
  assert_error(SVC("{dist: erlang, k: 0, mean: 2.385}"),
               "6:32: error: service: k must be a whole number >= 1, got 0");
  assert_error(SVC("{dist: erlang, k: 3, mean: 0}"),
               "6:41: error: service: mean must be > 0, got 0");
  /* weibull */
  assert_error(SVC("{dist: weibull, mean: 2.385, scale: 2.5, shape: 1.5}"),
               "6:14: error: service: weibull needs exactly one of 'mean' and "
               "'scale'");
  assert_error(SVC("{dist: weibull, shape: 1.5}"),
               "6:14: error: service: weibull needs exactly one of 'mean' and "
               "'scale'");
  assert_error(SVC("{dist: weibull, mean: 2.385}"),
               "6:14: error: service: weibull needs 'shape' and one of 'mean' "
               "or 'scale'");
  assert_error(SVC("{dist: weibull, mean: 2.385, shape: 0}"),
               "6:50: error: service: shape must be > 0, got 0");
  assert_error(SVC("{dist: weibull, scale: -2.5, shape: 1.5}"),
               "6:37: error: service: scale must be > 0, got -2.5");
  /* empirical */
  assert_error(SVC("{dist: empirical}"),
               "6:14: error: empirical needs exactly one of 'values' (a list) "
               "and 'file'");
  assert_error(SVC("{dist: empirical, values: [1.5], file: t.csv}"),
               "6:40: error: empirical needs exactly one of 'values' (a list) "
               "and 'file'");
  assert_error(SVC("{dist: empirical, values: []}"),
               "6:14: error: service: empirical needs at least one value");
  assert_error(SVC("{dist: empirical, values: 2.385}"),
               "6:40: error: values must be a list, got a single value");
  assert_error(SVC("{dist: empirical, values: [1.5, -0.75, 2]}"),
               "6:46: error: each of values must be a number >= 0, got '-0.75'");
  assert_error(SVC("{dist: empirical, values: [1.5, .inf]}"),
               "6:46: error: each of values must be a number >= 0, got '.inf'");
  assert_error(SVC("{dist: empirical, file: [a.csv]}"),
               "6:38: error: file must be a single value, got a list");

  /* patience is checked the same way */
  assert_error(HEAD STAFF SERVICE "    patience: {dist: erlang, k: 1.5, mean: 9.5}\n",
               "7:33: error: patience: k must be a whole number >= 1, got 1.5");
}

static void empirical_file_errors(void **state)
{
  (void)state;
  assert_error(SVC("{dist: empirical, file: nope.csv}"),
               "6:38: error: cannot read '%s/nope.csv': No such file or directory",
               dir);
  put_file("bad.csv", "minutes\n1.25\nn/a\n3.5\n");
  assert_error(SVC("{dist: empirical, file: bad.csv}"),
               "6:38: error: %s/bad.csv:3: expected a number >= 0, got 'n/a'",
               dir);
  put_file("negative.csv", "minutes\n1.25\n\n-3.5\n");
  assert_error(SVC("{dist: empirical, file: negative.csv}"),
               "6:38: error: %s/negative.csv:4: expected a number >= 0, "
               "got '-3.5'", dir);
  /* A negative number on the first line is a bad value, not a header. */
  put_file("first.csv", "-1.25\n3.5\n");
  assert_error(SVC("{dist: empirical, file: first.csv}"),
               "6:38: error: %s/first.csv:1: expected a number >= 0, "
               "got '-1.25'", dir);
  put_file("header.csv", "minutes,clerk\n# none yet\n");
  assert_error(SVC("{dist: empirical, file: header.csv}"),
               "6:38: error: '%s/header.csv' holds no values", dir);
  put_file("empty.csv", "");
  assert_error(SVC("{dist: empirical, file: empty.csv}"),
               "6:38: error: '%s/empty.csv' holds no values", dir);

  /* What a file holds is shown as a short printable excerpt. */
  put_file("noise.csv", "minutes\n1.25\n\x1b[31mred\x7f and then a very long "
                        "tail of text that goes on\n");
  assert_error(SVC("{dist: empirical, file: noise.csv}"),
               "6:38: error: %s/noise.csv:3: expected a number >= 0, got "
               "'?[31mred? and then a very long tail of t...'", dir);
  /* Separators other than commas would make a first line a header and
   * every other line an error, or silently drop the first value. */
  put_file("semicolons.csv", "1.25;2.5\n3.5;4\n");
  assert_error(SVC("{dist: empirical, file: semicolons.csv}"),
               "6:38: error: %s/semicolons.csv:1: fields must be separated by "
               "commas, not ';', got '1.25;2.5'", dir);
  put_file("tabs.csv", "minutes\tclerk\n1.25\tanna\n");
  assert_error(SVC("{dist: empirical, file: tabs.csv}"),
               "6:38: error: %s/tabs.csv:1: fields must be separated by "
               "commas, not tabs, got 'minutes?clerk'", dir);
  put_bytes("nul.csv", "1.25\n2\0.5\n", 10);
  assert_error(SVC("{dist: empirical, file: nul.csv}"),
               "6:38: error: %s/nul.csv:2: holds a NUL byte (column 2): not a "
               "text file", dir);
  char huge_line[MAX_LINE_TEST + 16];
  memset(huge_line, '7', sizeof huge_line - 2);
  huge_line[sizeof huge_line - 2] = '\n';
  huge_line[sizeof huge_line - 1] = '\0';
  put_file("long.csv", huge_line);
  assert_error(SVC("{dist: empirical, file: long.csv}"),
               "6:38: error: %s/long.csv:1: the line is longer than 4096 bytes",
               dir);
  /* Not regular files: a device that never ends, a folder. */
  assert_error(SVC("{dist: empirical, file: /dev/zero}"),
               "6:38: error: cannot read '/dev/zero': not a regular file");
  put_dir("folder.csv");
  assert_error(SVC("{dist: empirical, file: folder.csv}"),
               "6:38: error: cannot read '%s/folder.csv': not a regular file", dir);
  /* A file too large to be values is refused before it is read (sparse:
   * no disk space is used). */
  char big[256];
  snprintf(big, sizeof big, "%s/big.csv", dir);
  put_file("big.csv", "1\n");
  assert_int_equal(truncate(big, (off_t)65 << 20), 0);
  assert_error(SVC("{dist: empirical, file: big.csv}"),
               "6:38: error: '%s/big.csv' is larger than 64 MiB; is it really "
               "a file of values?", dir);
}

/* Long lines, a byte order mark and Windows line ends are read as they
 * are meant. */
static void data_files_read_whole_lines(void **state)
{
  (void)state;
  /* A 300-byte line has one value: its first field. */
  char text[512] = "minutes,remark\n1.25,";
  size_t n = strlen(text);
  memset(text + n, 'x', 300);
  strcpy(text + n + 300, ",2\n2.5\r\n");
  put_file("wide.csv", text);
  put_file("bom.csv", "\xef\xbb\xbf" "0.5\n4.25\n");
  struct model *m = load_ok(HEAD STAFF
                            "    service: {dist: empirical, file: wide.csv}\n"
                            "    patience: {dist: empirical, file: bom.csv}\n",
                            NULL, 0);
  const struct model_dist *d = &m->departments[0].service;
  assert_int_equal(d->nvalues, 2);
  assert_near(d->values[0], 1.25, 0);
  assert_near(d->values[1], 2.5, 0);
  d = &m->departments[0].patience;
  assert_int_equal(d->nvalues, 2); /* the BOM does not make 0.5 a header */
  assert_near(d->values[0], 0.5, 0);
  model_free(m);
}

/* ---- errors: routes --------------------------------------------------- */

/* Two departments; a's routes are on line 6 (flow list at column 13), b's
 * on line 10. */
#define ROUTES(a, b)                                        \
  "horizon: 480\n"                                          \
  "departments:\n"                                          \
  "  a:\n"                                                  \
  "    staff: 3\n"                                          \
  "    service: {dist: exponential, mean: 2.385}\n"         \
  "    routes: " a "\n"                                     \
  "  b:\n"                                                  \
  "    staff: 2\n"                                          \
  "    service: {dist: exponential, mean: 1.125}\n"         \
  "    routes: " b "\n"                                     \
  "arrivals: [{to: a, rate: 0.875}]\n"

static void route_errors(void **state)
{
  (void)state;
  assert_error(ROUTES("[{to: b, p: 1.5}]", "[]"),
               "6:25: error: p must be a probability between 0 and 1, got '1.5'");
  assert_error(ROUTES("[{to: b, p: -0.25}]", "[]"),
               "6:25: error: p must be a probability between 0 and 1, got '-0.25'");
  assert_error(ROUTES("[{to: b, p: often}]", "[]"),
               "6:25: error: p must be a probability between 0 and 1, got 'often'");
  assert_error(ROUTES("[{to: b, p: 0.6}, {to: a, p: 0.5}]", "[]"),
               "6:42: error: route probabilities add up to 1.1, more than 1");
  assert_error(ROUTES("[{to: c, p: 0.5}]", "[]"),
               "6:19: error: unknown department 'c'; did you mean 'a'?");
  assert_error(ROUTES("[]", "[{to: aa, p: 0.5}]"),
               "10:19: error: unknown department 'aa'; did you mean 'a'?");
  assert_error(ROUTES("[{to: b, p: 0.25}, {to: b, p: 0.375}]", "[]"),
               "6:37: error: department 'b' is listed twice in these routes");
  assert_error(ROUTES("[{too: b, p: 0.5}]", "[]"),
               "6:15: error: unknown key 'too' in a route; did you mean 'to'?");
  assert_error(ROUTES("[{to: b, p: 0.5, handoff: 2}]", "[]"),
               "6:30: error: unknown key 'handoff' in a route");
  assert_error(ROUTES("[{to: b}]", "[]"),
               "6:14: error: a route needs 'p'");
  assert_error(ROUTES("[{p: 0.5}]", "[]"),
               "6:14: error: a route needs 'to'");
  assert_error(ROUTES("{to: b, p: 0.5}", "[]"),
               "6:13: error: routes must be a list, got a mapping");
  assert_error(ROUTES("[b]", "[]"),
               "6:14: error: a route must be a mapping of keys to values, "
               "got a single value");

  /* Customers who can never leave. */
  assert_error(ROUTES("[{to: a, p: 1}]", "[]"),
               "6:13: error: customers can never leave department 'a': its "
               "routes add up to 1 and lead only to departments they cannot "
               "leave either");
  assert_error(ROUTES("[{to: b, p: 1}]", "[{to: a, p: 0.625}, {to: b, p: 0.375}]"),
               "6:13: error: customers can never leave department 'a': its "
               "routes add up to 1 and lead only to departments they cannot "
               "leave either");
  /* b is trapped even though a lets customers leave. */
  assert_error(ROUTES("[{to: b, p: 0.5}]", "[{to: b, p: 1}]"),
               "10:13: error: customers can never leave department 'b': its "
               "routes add up to 1 and lead only to departments they cannot "
               "leave either");
  /* Block style: the position is the list's first '-'. */
  assert_error("horizon: 480\n"
               "arrivals: [{to: a, rate: 0.875}]\n"
               "departments:\n"
               "  a:\n"
               "    staff: 3\n"
               "    service: {dist: exponential, mean: 2.385}\n"
               "    routes:\n"
               "    - to: a\n"
               "      p: 1.0\n",
               "8:5: error: customers can never leave department 'a': its "
               "routes add up to 1 and lead only to departments they cannot "
               "leave either");
}

/* Whether customers can leave, on random networks of five departments
 * (routes, handoffs, loops), against the definition computed the slow
 * way: sweep over all departments until nothing changes. The loader must
 * accept a network exactly when every department exits, and otherwise
 * name the first that does not. */
static void exits_match_the_definition(void **state)
{
  (void)state;
  enum { N = 5 };
  uint64_t x = 20261202;
  int refused = 0;
  for (int trial = 0; trial < 300; trial++) {
    int nroutes[N], to[N][2], handoff_to[N];
    double p[N][2], handoff_p[N];
    char yaml[4096];
    int len = snprintf(yaml, sizeof yaml,
                       "horizon: 100\narrivals: [{to: d0, rate: 1}]\ndepartments:\n");
    for (int d = 0; d < N; d++) {
      x = x * 6364136223846793005u + 1442695040888963407u;
      nroutes[d] = (int)(x >> 33) % 3;
      const double splits[3][2] = {{0.5, 0.5}, {0.25, 0.5}, {0.5, 0.25}};
      int split = (int)(x >> 40) % 3;
      to[d][0] = (int)(x >> 45) % N;
      to[d][1] = (to[d][0] + 1 + (int)(x >> 49) % (N - 1)) % N;   /* another */
      for (int i = 0; i < 2; i++)
        p[d][i] = nroutes[d] == 1 ? (split == 0 ? 1 : 0.5) : splits[split][i];
      handoff_p[d] = (x >> 55) % 3 == 0 ? ((x >> 58) % 2 ? 1 : 0.5) : 0;
      handoff_to[d] = (d + 1 + (int)(x >> 60) % (N - 1)) % N;   /* not d */
      len += snprintf(yaml + len, sizeof yaml - (size_t)len,
                      "  d%d:\n    staff: 1\n    service: {dist: exponential, mean: 1}\n", d);
      if (nroutes[d] > 0) {
        len += snprintf(yaml + len, sizeof yaml - (size_t)len, "    routes: [");
        for (int i = 0; i < nroutes[d]; i++)
          len += snprintf(yaml + len, sizeof yaml - (size_t)len, "%s{to: d%d, p: %g}",
                          i ? ", " : "", to[d][i], p[d][i]);
        len += snprintf(yaml + len, sizeof yaml - (size_t)len, "]\n");
      }
      if (handoff_p[d] > 0)
        len += snprintf(yaml + len, sizeof yaml - (size_t)len,
                        "    handoff: {p: %g, after: {dist: deterministic, value: 1}, to: d%d}\n",
                        handoff_p[d], handoff_to[d]);
    }
    /* The definition, by sweeps. */
    bool exits[N] = {false};
    for (bool changed = true; changed;) {
      changed = false;
      for (int d = 0; d < N; d++) {
        if (exits[d])
          continue;
        double sum = 0;
        bool onward = false;
        for (int i = 0; i < nroutes[d]; i++) {
          sum += p[d][i];
          onward |= exits[to[d][i]];
        }
        if ((handoff_p[d] < 1 && (sum < 1 - 1e-9 || onward)) ||
            (handoff_p[d] > 0 && exits[handoff_to[d]]))
          exits[d] = changed = true;
      }
    }
    int trapped = -1;
    for (int d = N - 1; d >= 0; d--)
      if (!exits[d])
        trapped = d;
    char err[MODEL_ERROR_MAX];
    struct model *m = load_as("s.yaml", yaml, NULL, 0, err);
    if (trapped < 0) {
      if (!m)
        fail_msg("refused, every department exits:\n%s\n%s", yaml, err);
      model_free(m);
    } else {
      if (m) {
        model_free(m);
        fail_msg("loaded, d%d cannot be left:\n%s", trapped, yaml);
      }
      char name[64];
      snprintf(name, sizeof name, "can never leave department 'd%d'", trapped);
      if (!strstr(err, name))
        fail_msg("expected \"%s\", got: %s\n%s", name, err, yaml);
      refused++;
    }
  }
  /* Both outcomes are common enough to be tested. */
  assert_true(refused > 30 && refused < 270);
}

/* ---- --set overrides -------------------------------------------------- */

#define MMC LOKET_SOURCE_DIR "/scenarios/mmc.yaml"

static struct model *load_mmc(const char *const *sets, size_t nsets)
{
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(MMC, sets, nsets, err, sizeof err);
  if (!m)
    fail_msg("did not load: %s", err);
  return m;
}

static void overrides_apply(void **state)
{
  (void)state;
  const char *scalar[] = {"departments.counter.staff=5"};
  struct model *m = load_mmc(scalar, 1);
  assert_int_equal(m->departments[0].staff, 5);
  assert_near(m->arrivals[0].rate, 2.7, 0); /* the rest is untouched */
  model_free(m);

  const char *element[] = {"arrivals.0.rate=1.5"};
  m = load_mmc(element, 1);
  assert_near(m->arrivals[0].rate, 1.5, 0);
  assert_int_equal(m->departments[0].staff, 3);
  model_free(m);

  const char *added[] = {"departments.counter.capacity=7",
                         "patience={dist: exponential, mean: 7.25}"};
  m = load_mmc(added, 2);
  assert_true(m->departments[0].capacity == 7);
  assert_true(m->has_patience);
  assert_near(m->departments[0].visit[0].patience->mean, 7.25, 0);
  model_free(m);

  /* A missing top-level block is created on the way. */
  const char *blocks[] = {"output.customers=true", "satisfaction.base=7.25",
                          "output.interval=30"};
  m = load_mmc(blocks, 3);
  assert_true(m->trace_customers);
  assert_near(m->interval, 30, 0);
  assert_int_equal(m->nintervals, 200);
  assert_near(m->satisfaction.base, 7.25, 0);
  model_free(m);

  const char *dist[] = {"departments.counter.service={dist: deterministic, value: 2.125}"};
  m = load_mmc(dist, 1);
  assert_int_equal(m->departments[0].service.kind, MODEL_DIST_DETERMINISTIC);
  assert_near(m->departments[0].service.mean, 2.125, 0);
  model_free(m);

  /* In order, the last one wins; a whole list element may be replaced. */
  const char *several[] = {"departments.counter.staff=4",
                           "arrivals.0={to: counter, rate: 0.875}",
                           "departments.counter.staff=6", "seed=77",
                           "name=late shift", "time_unit=seconds"};
  m = load_mmc(several, 6);
  assert_int_equal(m->departments[0].staff, 6);
  assert_int_equal(m->narrivals, 1);
  assert_near(m->arrivals[0].rate, 0.875, 0);
  assert_true(m->seed == 77);
  assert_string_equal(m->name, "late shift");
  assert_near(m->units_per_hour, 3600, 0);
  model_free(m);

  /* A value containing '=' keeps everything after the first '='. */
  const char *eq[] = {"name=a=b"};
  m = load_mmc(eq, 1);
  assert_string_equal(m->name, "a=b");
  model_free(m);
}

#define assert_set_error(sets, expected)                                   \
  do {                                                                     \
    char err_[MODEL_ERROR_MAX];                                            \
    struct model *m_ = model_scenario_load(MMC, (sets),                    \
                                           sizeof(sets) / sizeof(sets)[0], \
                                           err_, sizeof err_);             \
    if (m_) {                                                              \
      model_free(m_);                                                      \
      fail_msg("loaded, expected: %s", (expected));                        \
    }                                                                      \
    assert_string_equal(err_, (expected));                                 \
  } while (0)

/* An error reported on a mapping that holds a node an override put there
 * (the class shares after --set changed one, the root after --set added a
 * key) is placed at the mapping's start; libfyaml crashed on it. */
static void override_inside_reported_mapping(void **state)
{
  (void)state;
  const char *share[] = {"classes.walk-in.share=0.8"};
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(LOKET_SOURCE_DIR "/scenarios/gemeente.yaml",
                                        share, 1, err, sizeof err);
  assert_null(m);
  assert_non_null(strstr(err, "gemeente.yaml:18:3: error: class shares must add up to 1, got 0.95"));
  const char *seed[] = {"seed=3"};
  m = model_scenario_load_text("nohorizon.yaml",
                               "arrivals: [{to: a, rate: 1}]\n"
                               "departments: {a: {staff: 1, service: {dist: exponential, mean: 0.5}}}\n",
                               strlen("arrivals: [{to: a, rate: 1}]\n"
                                      "departments: {a: {staff: 1, service: {dist: exponential, mean: 0.5}}}\n"),
                               seed, 1, err, sizeof err);
  assert_null(m);
  assert_string_equal(err, "nohorizon.yaml:1:1: error: the scenario needs 'horizon'");
}

static void override_errors(void **state)
{
  (void)state;
  const char *no_eq[] = {"departments.counter.staff"};
  assert_set_error(no_eq, "--set departments.counter.staff: error: expected "
                          "PATH=VALUE, e.g. departments.desk.staff=4");
  const char *no_path[] = {"=5"};
  assert_set_error(no_path, "--set =5: error: expected PATH=VALUE, e.g. "
                            "departments.desk.staff=4");
  const char *unknown[] = {"departments.desk.staff=4"};
  assert_set_error(unknown, "--set departments.desk.staff=4: error: the "
                            "scenario has no 'desk' here");
  const char *range[] = {"arrivals.1.rate=1.5"};
  assert_set_error(range, "--set arrivals.1.rate=1.5: error: '1' is not an "
                          "index of this list (0 to 0)");
  const char *negative[] = {"arrivals.-1.rate=1.5"};
  assert_set_error(negative, "--set arrivals.-1.rate=1.5: error: '-1' is not "
                             "an index of this list (0 to 0)");
  const char *not_index[] = {"arrivals.first.rate=1.5"};
  assert_set_error(not_index, "--set arrivals.first.rate=1.5: error: 'first' "
                              "is not an index of this list (0 to 0)");
  const char *inside[] = {"horizon.value=600"};
  assert_set_error(inside, "--set horizon.value=600: error: 'value' is inside "
                           "a single value");
  const char *bad_yaml[] = {"departments.counter.service={dist: gamma, mean: 2"};
  assert_set_error(bad_yaml, "--set departments.counter.service={dist: gamma, "
                             "mean: 2: error: the value is not valid YAML");

  /* A path is compared as text, never parsed as YAML: a '%' would start a
   * directive, on which libfyaml hung. */
  /* ... nor reach libfyaml unless they are UTF-8 (a value "%\xf6" hung it). */
  const char *not_utf8[] = {".=%%\xf6"};
  assert_set_error(not_utf8, "--set: error: an override must be UTF-8 text; "
                             "byte 5 (0xf6) is not");
  const char *directive[] = {"%YAML=1"};
  assert_set_error(directive, "--set %YAML=1: error: unknown key '%YAML' in the scenario");

  /* Errors in the value name the override, not a file position. */
  const char *bad_value[] = {"departments.counter.staff=x"};
  assert_set_error(bad_value, "--set departments.counter.staff=x: error: staff "
                              "must be a whole number >= 0, got 'x'");
  const char *added[] = {"departments.counter.capacity=-7"};
  assert_set_error(added, "--set departments.counter.capacity=-7: error: "
                          "capacity must be a whole number >= 0, got '-7'");
  const char *new_key[] = {"horizn=600"};
  assert_set_error(new_key, "--set horizn=600: error: unknown key 'horizn' in "
                            "the scenario; did you mean 'horizon'?");
  const char *inner[] = {"departments.counter.service={dist: deterministic}"};
  assert_set_error(inner, "--set departments.counter.service={dist: "
                          "deterministic}: error: service: deterministic "
                          "needs 'value'");
  const char *element[] = {"arrivals.0={to: countr, rate: 1.5}"};
  assert_set_error(element, "--set arrivals.0={to: countr, rate: 1.5}: error: "
                            "unknown department 'countr'; did you mean "
                            "'counter'?");
  const char *consequence[] = {"departments.counter.staff=0"};
  assert_set_error(consequence, "--set departments.counter.staff=0: error: "
                                "department 'counter' has no staff, no "
                                "patience and room to wait: its customers "
                                "would wait forever");
  /* The first bad override is named; a later good one does not hide it. */
  const char *two[] = {"seed=-1", "departments.counter.staff=4"};
  assert_set_error(two, "--set seed=-1: error: seed must be a whole number "
                        ">= 0, got '-1'");

  /* An error elsewhere still points into the file. */
  const char *fine[] = {"departments.counter.staff=4"};
  assert_error_sets("horizon: 0\n" COUNTER, fine, 1,
                    in_file("1:10: error: horizon must be a number > 0, got '0'"));
}

/* ---- edit distance ---------------------------------------------------- */

static void edit_distance(void **state)
{
  (void)state;
  assert_int_equal(model_edit_distance("", ""), 0);
  assert_int_equal(model_edit_distance("staff", "staff"), 0);
  assert_int_equal(model_edit_distance("", "mean"), 4);
  assert_int_equal(model_edit_distance("mean", ""), 4);
  assert_int_equal(model_edit_distance("horizn", "horizon"), 1);   /* insert */
  assert_int_equal(model_edit_distance("stafff", "staff"), 1);     /* delete */
  assert_int_equal(model_edit_distance("maen", "mean"), 2);        /* swap */
  assert_int_equal(model_edit_distance("kitten", "sitting"), 3);
  assert_int_equal(model_edit_distance("sitting", "kitten"), 3);
  assert_int_equal(model_edit_distance("flaw", "lawn"), 2);
  assert_int_equal(model_edit_distance("abc", "xyz"), 3);
  assert_int_equal(model_edit_distance("Mean", "mean"), 1); /* case counts */
}


/* ---- the organisation's keys ------------------------------------------ */

static void organisation_loads(void **state)
{
  (void)state;
  struct model *m = load_ok(
    "opens: \"08:30\"\n"
    "horizon: \"17:00\"\n"
    "closing: cut\n"
    "warmup: \"09:00\"\n"
    "classes:\n"
    "  regular: {share: 0.75}\n"
    "  urgent: {share: 0.25, priority: 2, patience: {dist: exponential, mean: 4.5}}\n"
    "balking: {above: 12, p: 0.375}\n"
    "retrial: {p: 0.25, after: {dist: exponential, mean: 45}}\n"
    "arrivals:\n"
    "  - {to: desk, schedule: [{at: \"09:00\", per_hour: 30}, {at: \"12:00\", per_hour: 45}]}\n"
    "  - {to: desk, rate: 0.125, class: urgent}\n"
    "departments:\n"
    "  desk:\n"
    "    staff: [{at: \"08:30\", staff: 3}, {at: \"12:00\", staff: 1}]\n"
    "    service: {dist: exponential, mean: 2.385}\n"
    "    backlog: 7\n"
    "    handoff: {p: 0.125, after: {dist: uniform, min: 1, max: 3}, to: back}\n"
    "    classes:\n"
    "      urgent: {service: {dist: deterministic, value: 5.5}, routes: [{to: back, p: 1}]}\n"
    "  back:\n"
    "    staff: 2\n"
    "    service: {dist: exponential, mean: 8}\n"
    "    balking: {above: 3, p: 0.5}\n",
    NULL, 0);
  assert_near(m->opens, 510, 1e-9);
  assert_near(m->horizon, 510, 1e-9);
  assert_near(m->warmup, 30, 1e-9);
  assert_int_equal(m->closing, MODEL_CLOSING_CUT);
  assert_int_equal(m->nclasses, 2);
  assert_int_equal(m->npriorities, 2);
  assert_int_equal(m->priority_level[1], 0); /* urgent first */
  assert_int_equal(m->priority_level[0], 1);
  const struct model_arrival *a = &m->arrivals[0];
  assert_int_equal(a->kind, MODEL_ARRIVAL_SCHEDULE);
  assert_int_equal(a->nsteps, 3); /* 0 until 09:00 */
  assert_near(a->schedule[1].at, 30, 1e-9);
  assert_near(a->schedule[1].value, 0.5, 1e-12); /* per minute */
  assert_int_equal(m->arrivals[1].cls, 1);
  const struct model_department *desk = &m->departments[0], *back = &m->departments[1];
  assert_int_equal(desk->nstaff_steps, 2);
  assert_int_equal(desk->staff, 3);
  assert_near(desk->staff_schedule[1].at, 210, 1e-9);
  assert_true(desk->backlog == 7);
  assert_true(desk->has_handoff);
  assert_int_equal(desk->handoff.to, 1);
  assert_false(desk->handoff.has_delay);
  /* Rules: class at department, then department, then class, then top. */
  assert_ptr_equal(desk->visit[0].service, &desk->service);
  assert_near(desk->visit[1].service->mean, 5.5, 0);
  assert_int_equal(desk->visit[1].nroutes, 1);
  assert_int_equal(desk->visit[0].nroutes, 0);
  assert_null(desk->visit[0].patience);
  assert_ptr_equal(desk->visit[1].patience, &m->classes[1].patience);
  assert_ptr_equal(desk->visit[0].balking, &m->balking);
  assert_ptr_equal(back->visit[1].balking, &back->balking);
  assert_ptr_equal(back->visit[0].retrial, &m->retrial);
  model_free(m);
}

/* Not UTF-8 (a file saved in Latin-1, a binary file): refused with the
 * position of the first bad byte, before the YAML parser sees it. */
static void not_utf8(void **state)
{
  (void)state;
  assert_error("name: caf\xe9\nhorizon: 480\n" COUNTER,
               "1:10: error: the scenario must be UTF-8 text; byte 0xe9 is not "
               "(save the file as UTF-8)");
  char err[MODEL_ERROR_MAX];
  static const char nul[] = "horizon: 480\n\0more";
  assert_null(model_scenario_load_text("mem.yaml", nul, sizeof nul - 1, NULL, 0,
                                       err, sizeof err));
  assert_string_equal(err, "mem.yaml:2:1: error: the scenario must be UTF-8 text; "
                           "byte 0x00 is not (save the file as UTF-8)");
  /* UTF-8 itself is fine, also in names. */
  struct model *m = load_ok("name: \"Caf\xc3\xa9 \xe2\x82\xac\"\nhorizon: 480\n" COUNTER,
                            NULL, 0);
  assert_string_equal(m->name, "Caf\xc3\xa9 \xe2\x82\xac");
  model_free(m);
}

static void sweep_block(void **state)
{
  (void)state;
  struct model *m = load_ok("horizon: 480\n"
                            "sweep:\n  vary:\n"
                            "    departments.counter.staff: [2, 3, 5]\n"
                            "    arrivals.0.rate: \"0.5:1.25:0.25\"\n" COUNTER,
                            NULL, 0);
  assert_int_equal(m->naxes, 2);
  assert_string_equal(m->axes[0].path, "departments.counter.staff");
  assert_int_equal(m->axes[0].nvalues, 3);
  assert_string_equal(m->axes[0].values[2], "5");
  assert_int_equal(m->axes[1].nvalues, 4);
  assert_string_equal(m->axes[1].values[0], "0.5");
  assert_string_equal(m->axes[1].values[3], "1.25");
  model_free(m);
  struct model_axis a = {0};
  char err[128];
  assert_int_equal(model_axis_values(&a, "2,3.5,x", err, sizeof err), 0);
  assert_int_equal(a.nvalues, 3);
  assert_string_equal(a.values[2], "x");
  model_axis_fini(&a);
  assert_int_equal(model_axis_values(&a, "1:2:0", err, sizeof err), -1);
  model_axis_fini(&a);
  assert_int_equal(model_axis_values(&a, "0.1:0.3:0.1", err, sizeof err), 0);
  assert_int_equal(a.nvalues, 3); /* 0.3 within rounding */
  assert_string_equal(a.values[2], "0.3");
  model_axis_fini(&a);
  assert_int_equal(model_axis_values(&a, "1,,2", err, sizeof err), -1);
  assert_string_equal(err, "'1,,2' has an empty value");
  model_axis_fini(&a);

  /* Commas inside brackets, braces and quoted values do not split. */
  assert_int_equal(model_axis_values(&a, "[{at: 0, staff: 2}],[{at: 0, staff: 3}]", err,
                                     sizeof err), 0);
  assert_int_equal(a.nvalues, 2);
  assert_string_equal(a.values[0], "[{at: 0, staff: 2}]");
  assert_string_equal(a.values[1], "[{at: 0, staff: 3}]");
  model_axis_fini(&a);
  assert_int_equal(model_axis_values(&a, "{dist: uniform, min: 1, max: 3}", err,
                                     sizeof err), 0);  /* one value, not a range */
  assert_int_equal(a.nvalues, 1);
  model_axis_fini(&a);
  assert_int_equal(model_axis_values(&a, "'a, b',O'Brien,\"[x\"", err, sizeof err), 0);
  assert_int_equal(a.nvalues, 3);
  assert_string_equal(a.values[0], "'a, b'");
  assert_string_equal(a.values[1], "O'Brien");
  assert_string_equal(a.values[2], "\"[x\"");
  model_axis_fini(&a);
  const char *broken[][2] = {
    {"[1, 2", "in '[1, 2' a '[' is not closed"},
    {"{a: [1}]", "in '{a: [1}]' a '}' closes nothing"},
    {"1],2", "in '1],2' a ']' closes nothing"},
    {"'a, b", "in ''a, b' a quote is not closed"},
  };
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(model_axis_values(&a, broken[i][0], err, sizeof err), -1);
    assert_string_equal(err, broken[i][1]);
    model_axis_fini(&a);
  }

  /* Variants: any YAML, as flow text applied like --set. */
  m = load_ok("horizon: 480\n"
              "sweep:\n"
              "  variants:\n"
              "    no-cut: {departments.counter.staff: 3}\n"
              "    cut 1: {departments.counter.staff: [{at: 0, staff: 3}, {at: \"04:00\","
              " staff: 2}], name: 'x: y'}\n"
              "  vary: {departments.counter.service: [{dist: exponential, mean: 2.385}]}\n"
              COUNTER, NULL, 0);
  assert_int_equal(m->nvariants, 2);
  assert_string_equal(m->variants[0].name, "no-cut");
  assert_int_equal(m->variants[0].nsets, 1);
  assert_string_equal(m->variants[0].sets[0], "departments.counter.staff=3");
  assert_string_equal(m->variants[1].name, "cut 1");
  assert_int_equal(m->variants[1].nsets, 2);
  assert_string_equal(m->variants[1].sets[0],
                      "departments.counter.staff=[{at: 0, staff: 3}, {at: \"04:00\", staff: 2}]");
  assert_string_equal(m->variants[1].sets[1], "name='x: y'");
  assert_string_equal(m->axes[0].values[0], "{dist: exponential, mean: 2.385}");
  /* The texts load as the values they were. */
  char path[256];
  snprintf(path, sizeof path, "%s/s.yaml", dir);
  const char *const *sets = (const char *const *)m->variants[1].sets;
  struct model *cut = model_scenario_load(path, sets, 2, err, sizeof err);
  assert_non_null(cut);
  assert_string_equal(cut->name, "x: y");
  assert_int_equal(cut->departments[0].nstaff_steps, 2);
  assert_near(cut->departments[0].staff_schedule[1].at, 240, 1e-9);
  model_free(cut);
  model_free(m);
  m = load_ok("horizon: 480\nsweep: {variants: {a: {departments.counter.staff: 4}}}\n"
              COUNTER, NULL, 0);
  assert_int_equal(m->naxes, 0);
  assert_int_equal(m->nvariants, 1);
  model_free(m);
  assert_error("horizon: 480\nsweep: {}\n" COUNTER,
               "2:8: error: sweep needs 'vary' or 'variants'");
  assert_error("horizon: 480\nsweep: {variants: [a]}\n" COUNTER,
               "2:19: error: variants must be a mapping of keys to values, got a list");
  assert_error("horizon: 480\nsweep: {variants: {}}\n" COUNTER,
               "2:19: error: variants must name at least one variant");
  assert_error("horizon: 480\nsweep: {variants: {a: {}}}\n" COUNTER,
               "2:23: error: variant 'a' changes nothing: give {PATH: VALUE, ...}");
  assert_error("horizon: 480\nsweep: {variants: {a: 3}}\n" COUNTER,
               "2:23: error: variant 'a' must be a mapping of keys to values, got a "
               "single value");
  assert_error("horizon: 480\nsweep: {variants: {\"a:b\": {x: 1}}}\n" COUNTER,
               "2:21: error: a variant name holds no control characters and none of "
               ", : = \", got 'a:b'");
  assert_error("horizon: 480\nsweep: {variants: {a: {\"x=1\": 2}}}\n" COUNTER,
               "2:25: error: 'x=1' is not a path like departments.desk.staff");

  struct model_variant v;
  assert_int_equal(model_variant_parse(&v, "lunch:departments.a.staff=[{at: 0, staff: 2},"
                                       " {at: 60, staff: 1}],arrivals.0.rate=2", err,
                                       sizeof err), 0);
  assert_string_equal(v.name, "lunch");
  assert_int_equal(v.nsets, 2);
  assert_string_equal(v.sets[0], "departments.a.staff=[{at: 0, staff: 2}, {at: 60, staff: 1}]");
  assert_string_equal(v.sets[1], "arrivals.0.rate=2");
  model_variant_fini(&v);
  const char *bad_variants[][2] = {
    {"nocolon", "expected NAME:PATH=VALUE[,PATH=VALUE...]"},
    {":a=1", "a variant needs a name"},
    {"a:b", "'b' is not PATH=VALUE"},
    {"a:b=1,=2", "'=2' is not PATH=VALUE"},
    {"a:b=[1,2", "in 'b=[1,2' a '[' is not closed"},
  };
  for (size_t i = 0; i < 5; i++) {
    assert_int_equal(model_variant_parse(&v, bad_variants[i][0], err, sizeof err), -1);
    assert_string_equal(err, bad_variants[i][1]);
    model_variant_fini(&v);
  }
}

static void organisation_errors(void **state)
{
  (void)state;
  /* the day */
  assert_error("opens: 25:00\nhorizon: 480\n" COUNTER,
               "1:8: error: opens must be a clock time like \"09:00\", got '25:00'");
  assert_error("opens: \"09:00\"\nhorizon: \"08:00\"\n" COUNTER,
               "2:11: error: horizon '08:00' is before opening time");
  assert_error("horizon: \"9:7x\"\n" COUNTER,
               "1:11: error: horizon must be a clock time like \"13:00\" or a "
               "number, got '9:7x'");
  assert_error("horizon: 480\nclosing: early\n" COUNTER,
               "2:10: error: closing must be drain or cut, got 'early'");
  /* staff schedules */
  assert_error(HEAD "    staff: [{at: 60, staff: 2}, {at: 30, staff: 1}]\n" SERVICE,
               "5:38: error: schedule steps must be in increasing time order");
  assert_error(HEAD "    staff: [{at: 480, staff: 2}]\n" SERVICE,
               "5:18: error: at must be before the horizon (480), got 480");
  assert_error(HEAD "    staff: [{at: 0, staff: 1.5}]\n" SERVICE,
               "5:28: error: staff must be a whole number >= 0, got '1.5'");
  assert_error(HEAD "    staff: []\n" SERVICE,
               "5:12: error: staff must list at least one step");
  /* arrivals */
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: 1, schedule: []}]\n",
               "6:32: error: an arrival stream needs exactly one of 'rate', "
               "'schedule', 'trace' and 'appointments'");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: [{at: 0, per_hour: -3}]}]\n",
               "6:55: error: per_hour must be a number >= 0, got '-3'");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: nowhere.csv}]\n",
               "6:33: error: cannot read '%s/nowhere.csv': No such file or directory",
               dir);
  put_file("unsorted.csv", "time\n1.5\n09:00\n0.5\n");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: unsorted.csv}]\n",
               "6:33: error: %s/unsorted.csv:4: arrival times must be >= 0 "
               "(opening) and in increasing order, got '0.5'", dir);
  /* Order is checked on every time, also those after the horizon. */
  put_file("late.csv", "10\n500\n20\n");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: late.csv}]\n",
               "6:33: error: %s/late.csv:3: arrival times must be >= 0 "
               "(opening) and in increasing order, got '20'", dir);
  put_file("none.csv", "time\n");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: none.csv}]\n",
               "6:33: error: '%s/none.csv' holds no arrival times", dir);
  put_file("after.csv", "480\n600.5\n");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: after.csv}]\n",
               "6:33: error: '%s/after.csv' holds no arrival times before the "
               "horizon (480)", dir);
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: /dev/zero}]\n",
               "6:33: error: cannot read '/dev/zero': not a regular file");
  put_file("garbled.csv", "time\n1.5\nsoon\n");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, trace: garbled.csv}]\n",
               "6:33: error: %s/garbled.csv:3: expected an arrival time, got 'soon'",
               dir);
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: [{at: \"8:7x\", per_hour: 3}]}]\n",
               "6:43: error: at must be a clock time like \"13:00\" or a number, got '8:7x'");
  /* classes */
  assert_error("horizon: 480\nclasses: {a: {share: 0.5}, b: {share: 0.25}}\n" COUNTER,
               "2:10: error: class shares must add up to 1, got 0.75");
  assert_error("horizon: 480\nclasses: {a: {share: 0.5}, b: {priority: 1}}\n" COUNTER,
               "2:28: error: class 'b' needs a 'share' (of arriving customers)");
  assert_error("horizon: 480\nclasses: {a: {share: 1, priority: 1.5}}\n" COUNTER,
               "2:35: error: priority must be a whole number from -1000 to 1000, "
               "got '1.5'");
  assert_error("horizon: 480\nclasses: {a: {share: 1, colour: red}}\n" COUNTER,
               "2:25: error: unknown key 'colour' in class 'a'");
  /* behaviour */
  assert_error("horizon: 480\nbalking: {above: -1, p: 0.5}\n" COUNTER,
               "2:18: error: above must be a whole number >= 0, got '-1'");
  assert_error("horizon: 480\nbalking: {above: 3, p: 1.5}\n" COUNTER,
               "2:24: error: p must be a probability between 0 and 1, got '1.5'");
  assert_error("horizon: 480\nretrial: {p: 0.5}\n" COUNTER,
               "2:10: error: retrial needs 'after'");
  assert_error(HEAD STAFF SERVICE "    retrial: {p: 0.5, after: {dist: exponential}}\n",
               "7:30: error: after: exponential needs 'mean'");
  /* handoff, backlog, classes at a department */
  assert_error(HEAD STAFF SERVICE
               "    handoff: {p: 0.5, after: {dist: deterministic, value: 1}, to: counter}\n",
               "7:67: error: a handoff must go to another department than 'counter'");
  assert_error(HEAD STAFF SERVICE
               "    handoff: {p: 0.5, after: {dist: deterministic, value: 1}, to: desk}\n",
               "7:67: error: unknown department 'desk'");
  assert_error(HEAD STAFF SERVICE "    handoff: {p: 0.5, to: counter}\n",
               "7:14: error: handoff needs 'after'");
  assert_error(HEAD STAFF SERVICE "    backlog: -4\n",
               "7:14: error: backlog must be a whole number >= 0, got '-4'");
  assert_error(HEAD STAFF SERVICE "    classes: {vip: {service: {dist: exponential, mean: 1}}}\n",
               "7:15: error: unknown class 'vip'");
  assert_error(HEAD STAFF SERVICE "    classes: {customer: {share: 1}}\n",
               "7:26: error: unknown key 'share' in class 'customer' at department "
               "'counter'");
}

/* wrap_up and handoff.coordination: read, defaulted to none, errors
 * located at the value. */
#define AFTER_WORK(lines)                                         \
  HEAD STAFF SERVICE lines                                        \
  "  b: {staff: 1, service: {dist: exponential, mean: 1}}\n"
static void after_work(void **state)
{
  (void)state;
  struct model *m = load_ok(AFTER_WORK(
      "    wrap_up: {dist: gamma, mean: 1.25, sd: 0.5}\n"
      "    handoff: {p: 0.25, after: {dist: deterministic, value: 1}, to: b,\n"
      "              coordination: {dist: exponential, mean: 2.385}}\n"), NULL, 0);
  const struct model_department *counter = &m->departments[0], *b = &m->departments[1];
  assert_true(counter->has_wrap_up);
  assert_int_equal(counter->wrap_up.kind, MODEL_DIST_GAMMA);
  assert_near(counter->wrap_up.mean, 1.25, 1e-12);
  assert_true(counter->handoff.has_coordination);
  assert_near(counter->handoff.coordination.mean, 2.385, 1e-12);
  assert_false(b->has_wrap_up);
  assert_false(b->handoff.has_coordination);
  model_free(m);
  /* Overrides reach the keys like any other. */
  const char *sets[] = {"departments.b.wrap_up={dist: deterministic, value: 0.5}"};
  m = load_ok(AFTER_WORK(""), sets, 1);
  assert_true(m->departments[1].has_wrap_up);
  assert_near(m->departments[1].wrap_up.mean, 0.5, 0);
  model_free(m);

  assert_error(AFTER_WORK("    wrap_up: {dist: exponential, mean: -2}\n"),
               "7:40: error: wrap_up: mean must be > 0, got -2");
  assert_error(AFTER_WORK("    wrap_up: 3\n"),
               "7:14: error: wrap_up must be a mapping of keys to values, got a "
               "single value");
  assert_error(AFTER_WORK("    wrap-up: {dist: deterministic, value: 1}\n"),
               "7:5: error: unknown key 'wrap-up' in department 'counter'; did "
               "you mean 'wrap_up'?");
  assert_error(AFTER_WORK("    handoff: {p: 0.5, after: {dist: deterministic, value: 1}, "
                          "to: b, coordination: {dist: normal, mean: 1}}\n"),
               "7:84: error: coordination: normal needs 'mean' and 'sd'");
  assert_error(AFTER_WORK("    handoff: {p: 0.5, after: {dist: deterministic, value: 1}, "
                          "to: b, coordinaton: {dist: normal, mean: 1}}\n"),
               "7:70: error: unknown key 'coordinaton' in handoff; did you mean "
               "'coordination'?");
}

/* pools: read with defaults, links numbered pool by pool, a department
 * without staff of its own is staffed by a pool, overrides reach them,
 * errors at the value. POOLS(lines) has the pools from line 9. */
#define POOLS(lines)                                              \
  HEAD STAFF SERVICE                                              \
  "  b: {staff: 0, service: {dist: exponential, mean: 1}}\n"      \
  "pools:\n" lines
static void pools(void **state)
{
  (void)state;
  struct model *m = load_ok(POOLS(
      "  one: {staff: 2, serves: [b, counter], speed: 0.8, cost_per_staff_hour: 45}\n"
      "  two: {staff: [{at: 0, staff: 1}, {at: 60, staff: 3}], serves: [b],\n"
      "        order: serves}\n"), NULL, 0);
  assert_int_equal(m->npools, 2);
  assert_int_equal(m->npool_links, 3);
  const struct model_pool *one = &m->pools[0], *two = &m->pools[1];
  assert_string_equal(one->name, "one");
  assert_int_equal(one->staff, 2);
  assert_int_equal(one->nserves, 2);
  assert_int_equal(one->serves[0], 1);
  assert_int_equal(one->serves[1], 0);
  assert_near(one->speed, 0.8, 0);
  assert_near(one->cost_per_staff_hour, 45, 0);
  assert_false(one->in_order);
  assert_int_equal(two->first_link, 2);
  assert_int_equal(two->nstaff_steps, 2);
  assert_int_equal(two->staff, 1);
  assert_near(two->speed, 1, 0);
  assert_true(two->in_order);
  /* b is served by link 0 (one) and link 2 (two), counter by link 1. */
  assert_int_equal(m->departments[1].npool_links, 2);
  assert_int_equal(m->departments[1].pool_links[0], 0);
  assert_int_equal(m->departments[1].pool_links[1], 2);
  assert_int_equal(m->departments[0].npool_links, 1);
  assert_int_equal(m->departments[0].pool_links[0], 1);
  model_free(m);
  const char *sets[] = {"pools.one.staff=5", "pools.one.serves=[counter]"};
  m = load_ok(POOLS("  one: {staff: 2, serves: [b, counter]}\n"
                    "  two: {staff: 1, serves: [b]}\n"), sets, 2);
  assert_int_equal(m->pools[0].staff, 5);
  assert_int_equal(m->pools[0].nserves, 1);
  assert_int_equal(m->departments[1].npool_links, 1);
  model_free(m);

  assert_error(POOLS("  one: {staff: 2, serves: [b, cuonter]}\n"),
               "9:31: error: unknown department 'cuonter'; did you mean 'counter'?");
  assert_error(POOLS("  one: {staff: 2, serves: [b, b]}\n"),
               "9:31: error: pool 'one' names department 'b' twice");
  assert_error(POOLS("  one: {staff: 2, serves: []}\n"),
               "9:27: error: pool 'one' must serve at least one department");
  assert_error(POOLS("  one: {staff: 2, serves: b}\n"),
               "9:27: error: serves of pool 'one' must be a list, got a single value");
  assert_error(POOLS("  one: {staff: 2}\n"),
               "9:8: error: pool 'one' needs 'serves'");
  assert_error(POOLS("  one: {serves: [b]}\n"),
               "9:8: error: pool 'one' needs 'staff'");
  assert_error(POOLS("  one: {staff: 2, serves: [b], speed: 0}\n"),
               "9:39: error: speed must be a number > 0, got '0'");
  assert_error(POOLS("  one: {staff: 2, serves: [b], order: fifo}\n"),
               "9:39: error: order must be longest_waiting or serves, got 'fifo'");
  assert_error(POOLS("  one: {staff: 2, serves: [b], sped: 2}\n"),
               "9:32: error: unknown key 'sped' in pool 'one'; did you mean 'speed'?");
  assert_error(POOLS("  one: {staff: -1, serves: [b]}\n"),
               "9:16: error: staff must be a whole number >= 0, got '-1'");
  assert_error(HEAD STAFF SERVICE "pools: [a, b]\n",
               "7:8: error: pools must be a mapping of keys to values, got a list");
  /* pools.csv names a pool's total row `all`. */
  assert_error(HEAD STAFF SERVICE
               "  all: {staff: 1, service: {dist: exponential, mean: 1}}\n"
               "pools:\n  one: {staff: 2, serves: [counter, all]}\n",
               "9:37: error: a pool cannot serve a department named 'all': pools.csv "
               "names a pool's total so; rename the department");
  /* stats.csv's pool:NAME:DEPARTMENT splits at the first ':' after the
   * prefix, so a pool's name cannot hold one (a department's can). */
  assert_error(POOLS("  desk:one: {staff: 2, serves: [b]}\n"),
               "9:3: error: pool name 'desk:one' contains ':': stats.csv names a "
               "pool's departments pool:NAME:DEPARTMENT; rename the pool");
  /* b has no staff and no patience: a pool without members does not
   * help. */
  assert_error(POOLS("  one: {staff: 0, serves: [b]}\n"),
               "7:14: error: department 'b' has no staff, no patience and room to "
               "wait: its customers would wait forever");
}

/* rework: read at three levels, resolved most specific first (class at
 * the department, the department, the class), errors at the value. */
static void rework_rules(void **state)
{
  (void)state;
  struct model *m = load_ok(
      "horizon: 480\n"
      "classes:\n"
      "  a: {share: 0.5, rework: {p: 0.125, after: {dist: exponential, mean: 60}, to: b}}\n"
      "  b: {share: 0.5}\n"
      "arrivals: [{to: counter, rate: 1.125}]\n"
      "departments:\n"
      "  counter:\n"
      "    staff: 3\n"
      "    service: {dist: exponential, mean: 2.385}\n"
      "    rework: {p: 0.25, per_handoff: 0.0625, after: {dist: deterministic, value: 30}}\n"
      "    classes: {b: {rework: {p: 0.5, after: {dist: deterministic, value: 15}}}}\n"
      "  b: {staff: 1, service: {dist: exponential, mean: 1}}\n"
      "  c: {staff: 1, service: {dist: exponential, mean: 1}}\n", NULL, 0);
  const struct model_department *counter = &m->departments[0];
  const struct model_department *b = &m->departments[1], *c = &m->departments[2];
  assert_true(m->has_rework);
  assert_true(counter->has_rework);
  assert_near(counter->rework.per_handoff, 0.0625, 0);
  assert_int_equal(counter->rework.to, MODEL_REWORK_FIRST);
  assert_int_equal(m->classes[0].rework.to, 1);
  assert_near(m->classes[0].rework.per_handoff, 0, 0);
  /* At the counter: a takes the department's, b its own there. */
  assert_ptr_equal(counter->rework_rule[0], &counter->rework);
  assert_ptr_equal(counter->rework_rule[1], &counter->class_settings[1].rework);
  /* Elsewhere a takes its class's rule, b has none. */
  assert_ptr_equal(b->rework_rule[0], &m->classes[0].rework);
  assert_null(b->rework_rule[1]);
  assert_ptr_equal(c->rework_rule[0], &m->classes[0].rework);
  model_free(m);
  m = load_ok("horizon: 480\n" COUNTER, NULL, 0);
  assert_false(m->has_rework);
  assert_null(m->departments[0].rework_rule);
  model_free(m);

  assert_error(AFTER_WORK("    rework: {p: 1.5, after: {dist: exponential, mean: 60}}\n"),
               "7:17: error: p must be a probability between 0 and 1, got '1.5'");
  assert_error(AFTER_WORK("    rework: {p: 0.5, after: {dist: deterministic, value: 0}}\n"),
               "7:29: error: a rework's after must have a mean > 0: returns at "
               "once could repeat without end");
  assert_error(AFTER_WORK("    rework: {p: 0.5, after: {dist: exponential, mean: 60}, to: desk}\n"),
               "7:64: error: unknown department 'desk'");
  assert_error(AFTER_WORK("    rework: {p: 0.5}\n"), "7:13: error: rework needs 'after'");
  assert_error(AFTER_WORK("    rework: {p: 0.5, per_handoff: -1, after: {dist: exponential, "
                          "mean: 60}}\n"),
               "7:35: error: per_handoff must be a probability between 0 and 1, "
               "got '-1'");
  assert_error(AFTER_WORK("    rework: {p: 0.5, after: {dist: exponential, mean: 60}, too: b}\n"),
               "7:60: error: unknown key 'too' in rework; did you mean 'to'?");
  assert_error(AFTER_WORK("    classes: {customer: {rework: {p: 0.5, after: {dist: "
                          "exponential, mean: 60}, to: x}}}\n"),
               "7:85: error: unknown department 'x'; did you mean 'b'?");
  assert_error("horizon: 480\n"
               "classes: {a: {share: 1, rework: {p: 0.5, after: {dist: exponential, "
               "mean: 60}, to: nowhere}}}\n" COUNTER,
               "2:84: error: unknown department 'nowhere'");
}

/* appointments: slots, clock times, defaults, a signed punctuality;
 * errors at the value. */
#define BOOKED(spec) DEPARTMENTS "arrivals: [{to: counter, appointments: " spec "}]\n"
static void appointment_streams(void **state)
{
  (void)state;
  struct model *m = load_ok(
      "opens: \"09:00\"\nhorizon: \"17:00\"\n"
      "departments:\n  counter: {staff: 3, service: {dist: exponential, mean: 2.385}}\n"
      "arrivals:\n"
      "  - to: counter\n"
      "    appointments: {from: \"09:30\", to: \"15:48\", every: 12, per_slot: 2,\n"
      "                   no_show: 0.125, early: serve,\n"
      "                   punctuality: {dist: normal, mean: -3, sd: 5}}\n"
      "  - {to: counter, appointments: {from: 0, to: 60, every: \"0:15\"}}\n", NULL, 0);
  assert_true(m->has_appointments);
  const struct model_appointments *ap = &m->arrivals[0].appointments;
  assert_int_equal(m->arrivals[0].kind, MODEL_ARRIVAL_APPOINTMENTS);
  assert_near(ap->from, 30, 1e-9);
  assert_near(ap->to, 408, 1e-9);
  assert_near(ap->every, 12, 0);
  assert_int_equal(ap->per_slot, 2);
  assert_near(ap->no_show, 0.125, 0);
  assert_true(ap->early_serve);
  assert_int_equal(ap->punctuality.kind, MODEL_OFFSET_NORMAL);
  assert_near(ap->punctuality.a, -3, 0);
  assert_near(ap->punctuality.b, 5, 0);
  ap = &m->arrivals[1].appointments;
  assert_near(ap->every, 15, 1e-9);
  assert_int_equal(ap->per_slot, 1);
  assert_false(ap->early_serve);
  assert_int_equal(ap->punctuality.kind, MODEL_OFFSET_DETERMINISTIC);
  assert_near(ap->punctuality.a, 0, 0);
  model_free(m);

  assert_error(BOOKED("{from: 30, to: 10, every: 10}"),
               "6:55: error: the last slot is before the first");
  assert_error(BOOKED("{from: 10, to: 480, every: 10}"),
               "6:55: error: the last slot must be before the horizon (480)");
  assert_error(BOOKED("{from: 10, to: 30, every: 0}"),
               "6:66: error: every must be a number > 0, got '0'");
  assert_error(BOOKED("{from: 10, every: 10}"), "6:40: error: appointments needs 'to'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, per_slot: 0}"),
               "6:80: error: per_slot must be a whole number >= 1, got '0'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, no_show: 1.5}"),
               "6:79: error: no_show must be a probability between 0 and 1, got '1.5'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, early: late}"),
               "6:77: error: early must be wait or serve, got 'late'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, punctuality: {dist: gamma, "
                      "mean: 1, sd: 1}}"),
               "6:90: error: punctuality must be deterministic, uniform or normal "
               "(an offset from the slot time, negative when early), got 'gamma'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, punctuality: {dist: normal, mean: -3}}"),
               "6:83: error: punctuality: normal needs 'sd'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, punctuality: {dist: normal, "
                      "mean: -3, sd: 2, value: 1}}"),
               "6:122: error: punctuality: normal takes no 'value'");
  assert_error(BOOKED("{from: 10, to: 30, every: 10, punctuality: {dist: uniform, "
                      "min: 3, max: -2}}"),
               "6:112: error: punctuality: max must be above min");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: 1, appointments: "
                           "{from: 1, to: 2, every: 1}}]\n",
               "6:32: error: an arrival stream needs exactly one of 'rate', "
               "'schedule', 'trace' and 'appointments'");
}

/* Scenarios whose replications would never end, or need unbounded work,
 * are refused when loaded. */
#define HANDOFFS(a, b)                                         \
  "horizon: 480\n"                                             \
  "departments:\n"                                             \
  "  a:\n"                                                     \
  "    staff: 3\n"                                             \
  "    service: {dist: exponential, mean: 2.385}\n"            \
  "    " a "\n"                                                \
  "  b:\n"                                                     \
  "    staff: 2\n"                                             \
  "    service: {dist: exponential, mean: 1.125}\n"            \
  "    " b "\n"                                                \
  "arrivals: [{to: a, rate: 0.875}]\n"

static void endless_work_is_refused(void **state)
{
  (void)state;
  /* Handoffs with p = 1 in a loop, or into routes that loop back. */
  assert_error(HANDOFFS("handoff: {p: 1, after: {dist: exponential, mean: 0.5}, to: b}",
                        "handoff: {p: 1, after: {dist: exponential, mean: 0.5}, to: a}"),
               "6:18: error: customers can never leave department 'a': every "
               "service there ends in a handoff (p = 1) to departments they "
               "cannot leave either");
  assert_error(HANDOFFS("handoff: {p: 1, after: {dist: exponential, mean: 0.5}, to: b}",
                        "routes: [{to: a, p: 1}]"),
               "6:18: error: customers can never leave department 'a': every "
               "service there ends in a handoff (p = 1) to departments they "
               "cannot leave either");
  /* A handoff that sometimes happens is a way out of a routing loop. */
  struct model *m = load_ok(
      HANDOFFS("routes: [{to: a, p: 1}]\n"
               "    handoff: {p: 0.25, after: {dist: exponential, mean: 0.5}, to: b}",
               "capacity: 10"),
      NULL, 0);
  model_free(m);
  m = load_ok(HANDOFFS("handoff: {p: 0.25, after: {dist: exponential, mean: 0.5}, to: b}",
                       "routes: [{to: a, p: 1}]"), NULL, 0);
  model_free(m);
  assert_error(HANDOFFS("routes: [{to: a, p: 1}]",
                        "handoff: {p: 1, after: {dist: exponential, mean: 0.5}, to: a}"),
               "6:13: error: customers can never leave department 'a': its "
               "routes add up to 1 and lead only to departments they cannot "
               "leave either");

  /* Retrials at once. */
  assert_error("horizon: 480\n"
               "retrial: {p: 1, after: {dist: deterministic, value: 0}}\n" COUNTER,
               "2:24: error: a retrial's after must have a mean > 0: retrials "
               "at once could repeat without end");
  assert_error(HEAD STAFF SERVICE
               "    retrial: {p: 0.5, after: {dist: empirical, values: [0, 0]}}\n",
               "7:30: error: a retrial's after must have a mean > 0: retrials "
               "at once could repeat without end");

  /* Arrivals beyond any run. */
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: 1e300}]\n",
               "6:32: error: the arrivals expected in a replication add up to "
               "4.8e+302; at most 1e9 are simulated (rates are per minute)");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: [{at: 0, per_hour: 1e12}]}]\n",
               "6:36: error: the arrivals expected in a replication add up to "
               "8e+12; at most 1e9 are simulated (rates are per minute)");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, rate: 1.25e6}, "
                           "{to: counter, rate: 1.25e6}]\n",
               "6:61: error: the arrivals expected in a replication add up to "
               "1.2e+09; at most 1e9 are simulated (rates are per minute)");
  assert_error("time_unit: hours\n" DEPARTMENTS "arrivals: [{to: counter, rate: 3e6}]\n",
               "7:32: error: the arrivals expected in a replication add up to "
               "1.44e+09; at most 1e9 are simulated (rates are per hour)");
}

/* A customer's priority level is a byte in the simulation: more than 256
 * distinct priorities are refused, 256 load. */
static void at_most_256_priorities(void **state)
{
  (void)state;
  for (int npriorities = 256; npriorities <= 257; npriorities++) {
    size_t cap = 64 * 300, n = 0;
    char *yaml = malloc(cap);
    assert_non_null(yaml);
    n += (size_t)snprintf(yaml + n, cap - n, "horizon: 480\nclasses:\n");
    for (int c = 0; c < npriorities; c++)
      n += (size_t)snprintf(yaml + n, cap - n,
                            "  c%d: {share: %s, priority: %d}\n", c,
                            c == 0 ? "1" : "0", c - 128);
    snprintf(yaml + n, cap - n, COUNTER);
    if (npriorities == 256) {
      struct model *m = load_ok(yaml, NULL, 0);
      assert_int_equal(m->npriorities, 256);
      assert_int_equal(m->priority_level[255], 0); /* the highest first */
      assert_int_equal(m->priority_level[0], 255);
      model_free(m);
    } else {
      assert_error(yaml, "3:3: error: classes have 257 distinct priorities; "
                         "at most 256 are supported");
    }
    free(yaml);
  }
}

/* Aliases that expand beyond a small budget ("billion laughs") are refused
 * at the alias that crosses it, before anything is expanded. */
static void alias_expansion_is_bounded(void **state)
{
  (void)state;
  assert_error("horizon: 480\n"
               "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
               "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
               "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
               "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" COUNTER,
               "6:37: error: aliases expand the scenario by more than 100000 "
               "values; a scenario needs no more (is it a \"billion laughs\" "
               "file?)");
  /* An alias inside its own anchor, and one without an anchor. */
  assert_error("horizon: 480\na: &a [1, *a]\n" COUNTER,
               "2:12: error: cyclic reference detected");
  assert_error("horizon: 480\na: &a {b: *a}\n" COUNTER,
               "2:12: error: cyclic reference detected");
  assert_error("horizon: 480\nx: *nowhere\n" COUNTER,
               "2:5: error: invalid alias");
  /* Aliases used as keys count too. */
  assert_error("horizon: 480\n"
               "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
               "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
               "e: &e [*d, *d, *d, *d, *d, *d, *d]\n" /* 90 107 so far */
               "? *e\n"
               ": 1\n" COUNTER,
               "7:4: error: aliases expand the scenario by more than 100000 "
               "values; a scenario needs no more (is it a \"billion laughs\" "
               "file?)");
  /* Duplicate keys are found at every depth. */
  assert_error(HEAD STAFF SERVICE "    staff: 4\n",
               "7:5: error: duplicate key 'staff'");
  assert_error("horizon: 480\ndepartments:\n  counter: {staff: 1}\n"
               "  counter: {staff: 2}\n",
               "4:3: error: duplicate key 'counter'");
}

/* Loading is linear in the number of departments: 20 000 departments,
 * each routing to the next and named by an arrival stream, load in well
 * under a second (quadratic look-ups took minutes). The time is printed,
 * not asserted. */
static void many_departments_load(void **state)
{
  (void)state;
  enum { N = 20000 };
  size_t cap = (size_t)N * 128, n = 0;
  char *yaml = malloc(cap);
  assert_non_null(yaml);
  n += (size_t)snprintf(yaml + n, cap - n,
                        "horizon: 60\narrivals:\n  - {to: d0, rate: 1.125}\n"
                        "  - {to: d%d, rate: 0.5}\ndepartments:\n", N - 1);
  for (int d = 0; d < N; d++) {
    n += (size_t)snprintf(yaml + n, cap - n,
                          "  d%d: {staff: 1, service: {dist: exponential, "
                          "mean: 0.5}", d);
    if (d + 1 < N)
      n += (size_t)snprintf(yaml + n, cap - n, ", routes: [{to: d%d, p: 0.5}]",
                            d + 1);
    n += (size_t)snprintf(yaml + n, cap - n, "}\n");
    assert_true(n < cap);
  }
  char err[MODEL_ERROR_MAX];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct model *m = model_scenario_load_text("many.yaml", yaml, n, NULL, 0, err,
                                             sizeof err);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (!m)
    fail_msg("%s", err);
  printf("  %d departments loaded in %.3f s\n", N,
         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
  assert_int_equal(m->ndepartments, N);
  assert_int_equal(m->departments[N - 2].routes[0].to, N - 1);
  assert_int_equal(m->arrivals[1].to, N - 1);
  model_free(m);
  free(yaml);
}

/* The traffic at the end of a long chain: 12 000 departments in series,
 * every customer going on, and only the last overloaded. Substituting all
 * departments at once needed a pass per department and gave up after
 * 10 000 passes, so the last department's traffic stayed 0 and its
 * overload went unwarned; passes upstream first get it in one. */
static void long_chain_overload_is_warned(void **state)
{
  (void)state;
  enum { N = 12000 };
  size_t cap = (size_t)N * 128, n = 0;
  char *yaml = malloc(cap);
  assert_non_null(yaml);
  n += (size_t)snprintf(yaml + n, cap - n,
                        "horizon: 60\narrivals: [{to: d0, rate: 0.9}]\ndepartments:\n");
  for (int d = 0; d < N; d++) {
    n += (size_t)snprintf(yaml + n, cap - n,
                          "  d%d: {staff: 1, service: {dist: exponential, mean: %d}", d,
                          d + 1 < N ? 1 : 2);
    if (d + 1 < N)
      n += (size_t)snprintf(yaml + n, cap - n, ", routes: [{to: d%d, p: 1}]", d + 1);
    n += (size_t)snprintf(yaml + n, cap - n, "}\n");
    assert_true(n < cap);
  }
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load_text("chain.yaml", yaml, n, NULL, 0, err,
                                             sizeof err);
  if (!m)
    fail_msg("%s", err);
  char buf[1024];
  assert_int_equal(model_scenario_warnings(m, "chain.yaml", buf, sizeof buf), 1);
  assert_non_null(strstr(buf, "department 'd11999': offered load 1.8 exceeds its 1 staff"));
  model_free(m);
  free(yaml);
}

/* The checks and warnings stay fast with thousands of pools that all
 * serve the same departments (5 000 pools of 10 departments: 50 000
 * links, 5 000 at each department): a look-up of a link's pool by
 * scanning the pools, and the warning of a pool's departments together,
 * made this take minutes. The time is printed, not asserted. */
static void many_pools_check_quickly(void **state)
{
  (void)state;
  enum { POOLS_N = 5000 };
  size_t cap = (size_t)POOLS_N * 80 + 4096, n = 0;
  char *yaml = malloc(cap);
  assert_non_null(yaml);
  n += (size_t)snprintf(yaml + n, cap - n,
                        "horizon: 60\narrivals: [{to: d0, rate: 0.5}]\ndepartments:\n");
  for (int d = 0; d < 10; d++)
    n += (size_t)snprintf(yaml + n, cap - n,
                          "  d%d: {staff: 0, service: {dist: exponential, mean: 1}}\n", d);
  n += (size_t)snprintf(yaml + n, cap - n, "pools:\n");
  for (int i = 0; i < POOLS_N; i++) {
    n += (size_t)snprintf(yaml + n, cap - n,
                          "  p%d: {staff: 1, serves: [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9]}\n",
                          i);
    assert_true(n < cap);
  }
  char err[MODEL_ERROR_MAX], buf[256];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct model *m = model_scenario_load_text("pools.yaml", yaml, n, NULL, 0, err,
                                             sizeof err);
  if (!m)
    fail_msg("%s", err);
  assert_int_equal(model_scenario_warnings(m, "pools.yaml", buf, sizeof buf), 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("  %d pools loaded and checked in %.3f s\n", POOLS_N,
         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
  assert_int_equal(m->npool_links, 10 * POOLS_N);
  model_free(m);
  free(yaml);
}

/* A loop that customers almost never leave (a route back of p = 1 - 1e-8
 * passes the "can never leave" check) is warned about: its traffic
 * equations do not settle, a journey takes some 10^8 visits and the run
 * practically forever. A loop left often settles and is not warned of. */
static void loops_almost_never_left_are_warned(void **state)
{
  (void)state;
  char buf[1024];
  struct model *m = load_ok("horizon: 10\narrivals: [{to: desk, rate: 0.2}]\n"
                            "departments:\n  desk: {staff: 1, service: {dist: "
                            "exponential, mean: 1}, routes: [{to: desk, p: 0.99999999}]}\n",
                            NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 2);
  assert_true(!strncmp(buf, "s.yaml: warning: department 'desk': customers come back to "
                            "it (by routes or handoffs adding up to nearly 1) so often "
                            "that their visits do not settle", 120));
  model_free(m);
  m = load_ok("horizon: 10\narrivals: [{to: desk, rate: 0.2}]\n"
              "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}, "
              "routes: [{to: desk, p: 0.5}]}\n", NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 0);
  model_free(m);
}

/* Warnings: a department whose offered load, from the traffic equations,
 * reaches its largest staff. */
static void unstable_queues_are_warned(void **state)
{
  (void)state;
  char buf[1024];
  /* 1.125 * 2.385 = 2.683 against 3 staff: stable. */
  struct model *m = load_ok("horizon: 480\n" COUNTER, NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 0);
  assert_string_equal(buf, "");
  model_free(m);
  const char *two[] = {"departments.counter.staff=2"};
  m = load_ok("horizon: 480\n" COUNTER, two, 1);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 1);
  assert_string_equal(buf, "s.yaml: warning: department 'counter': offered "
                           "load 2.68 exceeds its 2 staff; the queue grows "
                           "without bound unless customers abandon\n");
  /* Cut at len, still terminated. */
  char small[16];
  assert_int_equal(model_scenario_warnings(m, "s.yaml", small, sizeof small), 1);
  assert_string_equal(small, "s.yaml: warning");
  model_free(m);
  /* A finite waiting room bounds the queue; a schedule counts its most
   * staff. */
  const char *room[] = {"departments.counter.staff=2",
                        "departments.counter.capacity=10"};
  m = load_ok("horizon: 480\n" COUNTER, room, 2);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 0);
  model_free(m);
  /* The server's wrap-up is load too: 1.125 * (2.385 + 0.375) = 3.105. */
  const char *wrap[] = {"departments.counter.wrap_up={dist: deterministic, value: 0.375}"};
  m = load_ok("horizon: 480\n" COUNTER, wrap, 1);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 1);
  assert_string_equal(buf, "s.yaml: warning: department 'counter': offered "
                           "load 3.1 exceeds its 3 staff; the queue grows "
                           "without bound unless customers abandon\n");
  model_free(m);
  const char *peak[] = {"departments.counter.staff=[{at: 0, staff: 2}, {at: 60, staff: 3}]"};
  m = load_ok("horizon: 480\n" COUNTER, peak, 1);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 0);
  model_free(m);

  /* Traffic equations: a sends half to b, b sends a quarter back to a and
   * hands 0.125 off to a mid-service. With x = a's rate and y = b's:
   * x = 0.875 + y (0.875 * 0.25 + 0.125), y = 0.5 x, so x = 0.875 /
   * (1 - 0.5 * 0.34375) = 1.05660 and y = 0.52830. Loads: a 1.0566 * 2.385
   * = 2.520 (3 staff: stable); b 0.5283 * (0.875 * 4.5 + 0.125 * 0.5) =
   * 2.113 against 2 staff. With coordination 1.5 after b's handoffs
   * b's load is 2.113 + 0.5283 * 0.125 * 1.5 = 2.212. */
#define TRAFFIC                                                               \
  "horizon: 480\n"                                                            \
  "departments:\n"                                                            \
  "  a:\n"                                                                    \
  "    staff: 3\n"                                                            \
  "    service: {dist: exponential, mean: 2.385}\n"                           \
  "    routes: [{to: b, p: 0.5}]\n"                                           \
  "  b:\n"                                                                    \
  "    staff: 2\n"                                                            \
  "    service: {dist: exponential, mean: 4.5}\n"                             \
  "    routes: [{to: a, p: 0.25}]\n"                                          \
  "    handoff: {p: 0.125, after: {dist: deterministic, value: 0.5}, to: a}\n" \
  "arrivals: [{to: a, rate: 0.875}]\n"
  m = load_ok(TRAFFIC, NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 1);
  assert_string_equal(buf, "s.yaml: warning: department 'b': offered load "
                           "2.11 exceeds its 2 staff; the queue grows without "
                           "bound unless customers abandon\n");
  model_free(m);
  const char *coordination[] = {
      "departments.b.handoff.coordination={dist: deterministic, value: 1.5}"};
  m = load_ok(TRAFFIC, coordination, 1);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 1);
  assert_string_equal(buf, "s.yaml: warning: department 'b': offered load "
                           "2.21 exceeds its 2 staff; the queue grows without "
                           "bound unless customers abandon\n");
  model_free(m);

  /* A pool's members are shared: a (load 1) and b (load 1.2), without
   * staff of their own, are each within a pool of 2 but not together. A
   * department of its own staff served too adds its staff; a pool that
   * also serves them adds its members at its pace (1 at 0.5). */
#define SHARED(pools)                                                         \
  "horizon: 480\n"                                                            \
  "arrivals: [{to: a, rate: 1}, {to: b, rate: 1.2}]\n"                        \
  "departments:\n"                                                            \
  "  a: {staff: 0, service: {dist: exponential, mean: 1}}\n"                  \
  "  b: {staff: 0, service: {dist: exponential, mean: 1}}\n"                  \
  "  c: {staff: 1, service: {dist: exponential, mean: 1}}\n"                  \
  "pools:\n" pools
  m = load_ok(SHARED("  g: {staff: 2, serves: [a, b]}\n"), NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 1);
  assert_string_equal(buf, "s.yaml: warning: pool 'g': offered load 2.2 at the "
                           "departments it serves exceeds their own staff and "
                           "every member of the pools that serve them (2 at "
                           "their pace); the queue grows without bound unless "
                           "customers abandon\n");
  model_free(m);
  m = load_ok(SHARED("  g: {staff: 2, serves: [a, b, c]}\n"), NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 0);
  model_free(m);
  m = load_ok(SHARED("  g: {staff: 2, serves: [a, b]}\n"
                     "  h: {staff: 1, serves: [b], speed: 0.5}\n"), NULL, 0);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 0);
  model_free(m);
  const char *slow[] = {"pools.h.speed=0.1"};
  m = load_ok(SHARED("  g: {staff: 2, serves: [a, b]}\n"
                     "  h: {staff: 1, serves: [b], speed: 0.5}\n"), slow, 1);
  assert_int_equal(model_scenario_warnings(m, "s.yaml", buf, sizeof buf), 1);
  assert_non_null(strstr(buf, "pool 'g': offered load 2.2 at the departments"));
  assert_non_null(strstr(buf, "(2.1 at their pace)"));
  model_free(m);
#undef SHARED
}

/* Values and file names quoted in a message come out without control
 * characters, whatever YAML escapes put in them. */
static void messages_are_printable(void **state)
{
  (void)state;
  assert_error(HEAD "    staff: \"\\e[2J\\e[31mthree\\r\"\n" SERVICE,
               "5:13: error: staff must be a whole number >= 0, got "
               "'?[2J?[31mthree?'");
  assert_error(SVC("{dist: empirical, file: \"\\e]0;title\\aname.csv\"}"),
               "6:39: error: cannot read '%s/?]0;title?name.csv': No such file "
               "or directory", dir);
}

/* ---- the staffing block ------------------------------------------------ */

/* Lines 1-10 of a scenario with a staffing: block whose keys start on line
 * 11 at column 3 (after its target on line 10). */
#define STAFFING_HEAD                                 \
  "opens: \"07:00\"\n"                                \
  "horizon: \"17:00\"\n"                              \
  "service_level: {within: 0.5}\n"                    \
  "departments:\n"                                    \
  "  counter:\n"                                      \
  "    staff: 3\n"                                    \
  "    service: {dist: exponential, mean: 2.385}\n"   \
  "arrivals: [{to: counter, rate: 1.125}]\n"          \
  "staffing:\n"
#define STAFFING(lines) STAFFING_HEAD "  target: {service_level: 0.8}\n" lines
/* A shift list whose first shift is on line 12 at column 7. */
#define SHIFT(text) STAFFING("  shifts:\n    - " text "\n")

static void staffing_block(void **state)
{
  (void)state;
  struct model *m = load_ok(
      "opens: \"07:00\"\n"
      "horizon: \"19:00\"\n"
      "service_level: {within: 0.3333}\n"
      "departments:\n"
      "  agents: {staff: 12, service: {dist: exponential, mean: 4.125}}\n"
      "  backoffice: {staff: 2, service: {dist: exponential, mean: 9.5}}\n"
      "arrivals: [{to: agents, rate: 2.375}]\n"
      "staffing:\n"
      "  interval: 20\n"
      "  departments: [agents]\n"
      "  target: {service_level: 0.8, abandoned: 0.05, wait_mean: 0.5}\n"
      "  min_staff: 1\n"
      "  max_staff: 250\n"
      "  shrinkage: 0.3\n"
      "  confidence: 0.95\n"
      "  cost_per_paid_hour: 35.5\n"
      "  shifts:\n"
      "    - {name: full, length: \"8:00\", start: [\"07:00\", \"10:00\"], step: 30,\n"
      "       break: {length: 30, start: [\"3:00\", \"5:00\"], paid: false}}\n"
      "    - {name: part, length: \"4:00\", start: [\"08:00\", \"14:00\"]}\n"
      "    - {name: late, length: 300, start: \"14:00\",\n"
      "       break: {length: 15, start: 120, paid: true}}\n",
      NULL, 0);
  const struct model_staffing *st = &m->staffing;
  assert_true(st->present);
  assert_near(st->interval, 20, 0);
  assert_true(st->plan[0]);
  assert_false(st->plan[1]);
  assert_near(st->target_service_level, 0.8, 0);
  assert_near(st->target_abandoned, 0.05, 0);
  assert_near(st->target_wait_mean, 0.5, 0);
  assert_int_equal(st->min_staff, 1);
  assert_int_equal(st->max_staff, 250);
  assert_near(st->shrinkage, 0.3, 0);
  assert_near(st->confidence, 0.95, 0);
  assert_near(st->cost_per_paid_hour, 35.5, 0);
  assert_int_equal(st->nshifts, 3);
  const struct model_shift *full = &st->shifts[0], *part = &st->shifts[1],
                           *late = &st->shifts[2];
  assert_string_equal(full->name, "full");
  assert_near(full->length, 480, 1e-9);
  assert_near(full->start_first, 0, 0);
  assert_near(full->start_last, 180, 1e-9);
  assert_near(full->step, 30, 0);
  assert_true(full->has_break);
  assert_near(full->break_length, 30, 0);
  assert_near(full->break_first, 180, 1e-9);
  assert_near(full->break_last, 300, 1e-9);
  assert_false(full->break_paid);
  assert_string_equal(part->name, "part");
  assert_near(part->length, 240, 1e-9);
  assert_near(part->start_first, 60, 1e-9);
  assert_near(part->start_last, 420, 1e-9);
  assert_near(part->step, 20, 0); /* the planning interval */
  assert_false(part->has_break);
  assert_near(late->length, 300, 0);
  assert_near(late->start_first, 420, 1e-9);
  assert_near(late->start_last, 420, 1e-9);
  assert_near(late->break_first, 120, 0);
  assert_near(late->break_last, 120, 0);
  assert_true(late->break_paid);
  model_free(m);

  /* Defaults: every department, output.interval, no shifts. Durations in
   * seconds. */
  m = load_ok("time_unit: seconds\n"
              "horizon: 28800\n"
              "output: {interval: 1800}\n" COUNTER
              "staffing:\n"
              "  target: {wait_mean: 20.5}\n"
              "  shifts: [{name: short, length: \"1:30\", start: 0, step: \"0:15\"}]\n",
              NULL, 0);
  st = &m->staffing;
  assert_true(st->present);
  assert_near(st->interval, 1800, 0);
  assert_true(st->plan[0]);
  assert_true(isnan(st->target_service_level));
  assert_true(isnan(st->target_abandoned));
  assert_near(st->target_wait_mean, 20.5, 0);
  assert_int_equal(st->min_staff, 0);
  assert_int_equal(st->max_staff, 1000);
  assert_near(st->shrinkage, 0, 0);
  assert_near(st->confidence, 0, 0);
  assert_true(isnan(st->cost_per_paid_hour));
  assert_int_equal(st->nshifts, 1);
  assert_near(st->shifts[0].length, 5400, 1e-9);
  assert_near(st->shifts[0].step, 900, 1e-9);
  model_free(m);

  /* Without the block: nothing to plan. */
  m = load_ok("horizon: 480\n" COUNTER, NULL, 0);
  assert_false(m->staffing.present);
  assert_null(m->staffing.plan);
  assert_null(m->staffing.shifts);
  model_free(m);

  /* --set reaches into the block like anywhere else. */
  const char *sets[] = {"staffing.max_staff=40", "staffing.target.abandoned=0.1"};
  m = load_ok(STAFFING(""), sets, 2);
  assert_int_equal(m->staffing.max_staff, 40);
  assert_near(m->staffing.target_abandoned, 0.1, 0);
  model_free(m);
}

static void staffing_errors(void **state)
{
  (void)state;
  assert_error(STAFFING_HEAD "  interval: 30\n",
               "10:3: error: staffing needs 'target'");
  assert_error(STAFFING_HEAD "  target: 0.8\n",
               "10:11: error: target must be a mapping of keys to values, "
               "got a single value");
  assert_error(STAFFING_HEAD "  target: {}\n",
               "10:11: error: target needs at least one of 'service_level', "
               "'abandoned' and 'wait_mean'");
  assert_error(STAFFING_HEAD "  target: {servce_level: 0.8}\n",
               "10:12: error: unknown key 'servce_level' in target; did you "
               "mean 'service_level'?");
  assert_error(STAFFING_HEAD "  target: {service_level: 80}\n",
               "10:27: error: service_level must be a probability between 0 "
               "and 1, got '80'");
  assert_error(STAFFING_HEAD "  target: {abandoned: 1.5}\n",
               "10:23: error: abandoned must be a probability between 0 and 1, "
               "got '1.5'");
  assert_error(STAFFING_HEAD "  target: {wait_mean: 0}\n",
               "10:23: error: wait_mean must be a number > 0, got '0'");
  assert_error("horizon: 480\n" COUNTER
               "staffing: {target: {service_level: 0.8}}\n",
               "7:36: error: a service_level target needs service_level.within "
               "at the top of the scenario (the wait that counts as in time)");
  assert_error("horizon: 480\n" COUNTER "staffing: [agents]\n",
               "7:11: error: staffing must be a mapping of keys to values, got a list");
  assert_error(STAFFING("  intervl: 30\n"),
               "11:3: error: unknown key 'intervl' in staffing; did you mean "
               "'interval'?");
  assert_error(STAFFING("  interval: 0\n"),
               "11:13: error: interval must be a number > 0, got '0'");
  assert_error(STAFFING("  interval: 0.001\n"),
               "11:13: error: interval 0.001 gives 600000 planning intervals in "
               "the horizon; at most 100000 (make the interval longer)");
  assert_error(STAFFING("  departments: [desk]\n"),
               "11:17: error: unknown department 'desk'");
  assert_error(STAFFING("  departments: [counter, counter]\n"),
               "11:26: error: department 'counter' is listed twice");
  assert_error(STAFFING("  departments: []\n"),
               "11:16: error: departments must name at least one department "
               "to plan");
  assert_error(STAFFING("  departments: counter\n"),
               "11:16: error: departments must be a list, got a single value");
  assert_error(STAFFING("  min_staff: -1\n"),
               "11:14: error: min_staff must be a whole number >= 0, got '-1'");
  assert_error(STAFFING("  max_staff: 0\n"),
               "11:14: error: max_staff must be a whole number >= 1, got '0'");
  assert_error(STAFFING("  min_staff: 5\n  max_staff: 4\n"),
               "12:14: error: max_staff (4) must be at least min_staff (5)");
  assert_error(STAFFING("  min_staff: 1001\n"),
               "11:14: error: max_staff (1000) must be at least min_staff (1001)");
  assert_error(STAFFING("  shrinkage: 1\n"),
               "11:14: error: shrinkage must be at least 0 and below 1, got '1'");
  assert_error(STAFFING("  shrinkage: -0.25\n"),
               "11:14: error: shrinkage must be a number >= 0, got '-0.25'");
  assert_error(STAFFING("  confidence: 0.3\n"),
               "11:15: error: confidence must be 0 (targets hold for the mean) "
               "or between 0.5 and 1, got '0.3'");
  assert_error(STAFFING("  confidence: 1\n"),
               "11:15: error: confidence must be 0 (targets hold for the mean) "
               "or between 0.5 and 1, got '1'");
  assert_error(STAFFING("  cost_per_paid_hour: -35\n"),
               "11:23: error: cost_per_paid_hour must be a number >= 0, got '-35'");

  /* shifts */
  assert_error(STAFFING("  shifts: {full: 8}\n"),
               "11:11: error: shifts must be a list, got a mapping");
  assert_error(STAFFING("  shifts: []\n"),
               "11:11: error: shifts must list at least one shift");
  assert_error(SHIFT("full"),
               "12:7: error: a shift must be a mapping of keys to values, got "
               "a single value");
  assert_error(SHIFT("{name: full, lenght: 480, start: 0}"),
               "12:20: error: unknown key 'lenght' in a shift; did you mean "
               "'length'?");
  assert_error(SHIFT("{length: 480, start: 0}"),
               "12:7: error: a shift needs 'name'");
  assert_error(SHIFT("{name: '', length: 480, start: 0}"),
               "12:15: error: name must not be empty");
  assert_error(SHIFT("{name: full, start: 0}"),
               "12:7: error: shift 'full' needs 'length'");
  assert_error(SHIFT("{name: full, length: 0, start: 0}"),
               "12:28: error: length must be a number > 0, got '0'");
  assert_error(SHIFT("{name: full, length: \"0:00\", start: 0}"),
               "12:29: error: length must be a duration like \"1:30\" (hours "
               "and minutes) or a number > 0, got '0:00'");
  assert_error(SHIFT("{name: full, length: \"8h30\", start: 0}"),
               "12:29: error: length must be a number > 0, got '8h30'");
  assert_error(SHIFT("{name: full, length: \"8:75\", start: 0}"),
               "12:29: error: length must be a duration like \"1:30\" (hours "
               "and minutes) or a number > 0, got '8:75'");
  assert_error(SHIFT("{name: full, length: 480}"),
               "12:7: error: shift 'full' needs 'start'");
  assert_error(SHIFT("{name: full, length: 480, start: \"06:00\"}"),
               "12:41: error: start '06:00' is before opening time");
  assert_error(SHIFT("{name: full, length: 480, start: [\"10:00\", \"07:00\"]}"),
               "12:51: error: the last start must not be before the first");
  assert_error(SHIFT("{name: full, length: 480, start: [0, 30, 60]}"),
               "12:40: error: start must be one time or a list of two, [first, "
               "last]; got a list of 3");
  assert_error(SHIFT("{name: full, length: 480, start: [0, \"17:00\"]}"),
               "12:40: error: shift 'full' must start before the horizon (600), "
               "got 600");
  assert_error(SHIFT("{name: full, length: 480, start: 0, step: 0}"),
               "12:49: error: step must be a number > 0, got '0'");
  assert_error(STAFFING("  shifts:\n"
                        "    - {name: full, length: 480, start: 0}\n"
                        "    - {name: full, length: 240, start: 60}\n"),
               "13:14: error: shift 'full' is listed twice");

  /* breaks */
  assert_error(SHIFT("{name: full, length: 480, start: 0, break: 30}"),
               "12:50: error: break must be a mapping of keys to values, got "
               "a single value");
  assert_error(SHIFT("{name: full, length: 480, start: 0, break: {length: 30}}"),
               "12:50: error: the break of shift 'full' needs 'start'");
  assert_error(SHIFT("{name: full, length: 480, start: 0, break: {start: 60}}"),
               "12:50: error: the break of shift 'full' needs 'length'");
  assert_error(SHIFT("{name: full, length: 480, start: 0, "
                     "break: {length: 30, start: 60, pay: true}}"),
               "12:74: error: unknown key 'pay' in break; did you mean 'paid'?");
  assert_error(SHIFT("{name: full, length: 480, start: 0, "
                     "break: {length: 30, start: 60, paid: yes}}"),
               "12:80: error: paid must be true or false, got 'yes'");
  assert_error(SHIFT("{name: full, length: 480, start: 0, "
                     "break: {length: -30, start: 60}}"),
               "12:59: error: length must be a number > 0, got '-30'");
  assert_error(SHIFT("{name: full, length: 480, start: 0, "
                     "break: {length: 30, start: [\"5:00\", \"3:00\"]}}"),
               "12:80: error: the last start must not be before the first");
  assert_error(SHIFT("{name: full, length: \"8:00\", start: 0, "
                     "break: {length: 30, start: [\"3:00\", \"7:31\"]}}"),
               "12:73: error: the break of shift 'full' must end within the "
               "shift: starting 451 after the shift's start and lasting 30, "
               "it ends after the shift's length 480");
}

/* Demand as a forecast has it: volumes per interval, inline or in a file.
 * A volume becomes a rate per time unit over its interval: inline to the
 * next step (the last step's to the horizon), in a file to the next row
 * (the last row's as long as the one before it). */
static void demand_as_forecast(void **state)
{
  (void)state;
  put_file("volumes.csv", "at,volume\n08:00,12\n08:20,33\n09:00,18.5\n");
  put_file("rates.csv", "\xef\xbb\xbf" "at,per_hour\r\n15,30\r\n75,54\r\n200,99\r\n");
  put_file("closing.csv", "at,volume\n0,10\n90,12\n120,500\n");
  /* One row of rates is a whole day's rate (no interval to compute: a
   * read before the first row, caught by the sanitizer build). */
  put_file("one-rate.csv", "at,per_hour\n0,10\n");
  struct model *m = load_ok(
    "opens: \"08:00\"\n"
    "horizon: \"10:00\"\n"
    "arrivals:\n"
    "  - {to: counter, schedule: [{at: \"08:00\", per_interval: 30}, {at: \"08:30\","
    " per_hour: 42}, {at: \"09:15\", per_interval: 27}]}\n"
    "  - {to: counter, schedule: volumes.csv}\n"
    "  - {to: counter, schedule: rates.csv}\n"
    "  - {to: counter, schedule: closing.csv}\n"
    "  - {to: counter, schedule: one-rate.csv}\n"
    "departments:\n"
    "  counter: {staff: 3, service: {dist: exponential, mean: 2.385}}\n",
    NULL, 0);
  const struct model_arrival *a = m->arrivals;
  assert_int_equal(a[0].kind, MODEL_ARRIVAL_SCHEDULE);
  assert_int_equal(a[0].nsteps, 3);
  assert_near(a[0].schedule[0].value, 30.0 / 30, 1e-12);  /* per minute */
  assert_near(a[0].schedule[1].value, 42.0 / 60, 1e-12);
  assert_near(a[0].schedule[2].at, 75, 1e-9);
  assert_near(a[0].schedule[2].value, 27.0 / 45, 1e-12);  /* 09:15 to 10:00 */
  assert_int_equal(a[1].nsteps, 3);
  assert_near(a[1].schedule[1].at, 20, 1e-9);
  assert_near(a[1].schedule[0].value, 12.0 / 20, 1e-12);
  assert_near(a[1].schedule[1].value, 33.0 / 40, 1e-12);
  assert_near(a[1].schedule[2].value, 18.5 / 40, 1e-12);  /* as long as the one before */
  assert_int_equal(a[2].nsteps, 3);                        /* 0 until 15; 200 is after closing */
  assert_near(a[2].schedule[0].at, 0, 0);
  assert_near(a[2].schedule[0].value, 0, 0);
  assert_near(a[2].schedule[1].at, 15, 1e-9);
  assert_near(a[2].schedule[1].value, 30.0 / 60, 1e-12);
  assert_near(a[2].schedule[2].value, 54.0 / 60, 1e-12);
  assert_int_equal(a[3].nsteps, 2);                        /* the row at 120 ends the last interval */
  assert_near(a[3].schedule[0].value, 10.0 / 90, 1e-12);
  assert_near(a[3].schedule[1].value, 12.0 / 30, 1e-12);
  assert_int_equal(a[4].nsteps, 1);
  assert_near(a[4].schedule[0].at, 0, 0);
  assert_near(a[4].schedule[0].value, 10.0 / 60, 1e-12);
  model_free(m);

  /* Inline steps. */
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: [{at: 0, per_hour: 3,"
               " per_interval: 2}]}]\n",
               "6:72: error: a step of schedule gives either 'per_hour' or "
               "'per_interval', not both");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: [{at: 0}]}]\n",
               "6:37: error: a step of schedule needs 'per_hour' or 'per_interval'");
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: [{at: 0, per_interval: -2}]}]\n",
               "6:59: error: per_interval must be a number >= 0, got '-2'");
  /* Files: the message names the file and its line. */
  struct { const char *text, *message; } bad[] = {
    {"at,volume\n08:00,3\nsoon,4\n",
     "%s/f.csv:3: column 'at': expected a time since opening or a clock time like "
     "08:30, got 'soon'"},
    {"at,volume\n30,3\n20,4\n", "%s/f.csv:3: column 'at': times must increase, got "
                                "'20' after '30'"},
    {"at,volume\n0,3\n10,-2\n", "%s/f.csv:3: column 'volume': expected a number >= 0, "
                                "got -2"},
    {"at,volume\n0,3\n10,many\n", "%s/f.csv:3: column 'volume': expected a"},
    {"at,volume\n0,3\n10\n", "%s/f.csv:3: 1 field"},
    {"time,volume\n0,3\n", "%s/f.csv:1: a schedule file needs a column 'at'"},
    {"at,calls\n0,3\n", "%s/f.csv:1: a schedule file needs a column 'volume' "
                        "(customers per interval) or 'per_hour'"},
    {"at,volume,per_hour\n0,3,4\n", "%s/f.csv:1: a schedule file gives either "
                                    "'volume' or 'per_hour', not both"},
    {"at,volume\n0,3\n", "%s/f.csv: the schedule file has one row: a schedule of "
                          "volumes needs at least two"},
    {"at,volume\n", "%s/f.csv: the schedule file has no rows"},
    {"at,per_hour\n480,3\n", "%s/f.csv: the schedule file has no row before the horizon"},
    {"at;volume\n0;3\n", "%s/f.csv:1: fields must be separated by commas, not ';'"},
    {"", "'%s/f.csv' is empty"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    put_file("f.csv", bad[i].text);
    char err[MODEL_ERROR_MAX], prefix[600];
    struct model *mm = load_as("s.yaml", DEPARTMENTS "arrivals: [{to: counter, "
                               "schedule: f.csv}]\n", NULL, 0, err);
    model_free(mm);
    assert_null(mm);
    /* The messages name the file as "%s/f.csv": the scratch folder. */
    const char *rest = strstr(bad[i].message, "%s") + 2;
    snprintf(prefix, sizeof prefix, "%s/s.yaml:6:36: error: %.*s%s%s", dir,
             (int)(strstr(bad[i].message, "%s") - bad[i].message), bad[i].message, dir,
             rest);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
      fail_msg("case %zu: expected '%s...', got '%s'", i, prefix, err);
  }
  /* The example forecast is the call centre's hourly rates as half-hourly
   * volumes: the same rate at every half hour. */
  char err[MODEL_ERROR_MAX];
  const char *forecast[] = {"arrivals.0.schedule=callcenter-forecast.csv"};
  struct model *inline_rates = model_scenario_load(
    LOKET_SOURCE_DIR "/scenarios/callcenter.yaml", NULL, 0, err, sizeof err);
  struct model *volumes = model_scenario_load(
    LOKET_SOURCE_DIR "/scenarios/callcenter.yaml", forecast, 1, err, sizeof err);
  assert_non_null(inline_rates);
  if (!volumes)
    fail_msg("%s", err);
  const struct model_arrival *x = &inline_rates->arrivals[0], *y = &volumes->arrivals[0];
  assert_int_equal(y->nsteps, 20);
  for (size_t k = 0, i = 0; k < y->nsteps; k++) {
    assert_near(y->schedule[k].at, 1800.0 * (double)k, 1e-9);
    while (i + 1 < x->nsteps && x->schedule[i + 1].at <= y->schedule[k].at)
      i++;
    assert_near(y->schedule[k].value, x->schedule[i].value, 1e-15);
  }
  model_free(inline_rates);
  model_free(volumes);
  assert_error(DEPARTMENTS "arrivals: [{to: counter, schedule: nowhere.csv}]\n",
               "6:36: error: cannot read '%s/nowhere.csv': No such file or directory",
               dir);
}

/* labels: and currency: only name things on figures; they are checked as
 * text and kept in the model in their order. */
static void labels_and_currency(void **state)
{
  (void)state;
  struct model *m = load_ok("horizon: 480\ncurrency: EUR\n"
                            "labels: {departments.counter.staff: staff at the desk,"
                            " wait_mean: \"time in the queue\"}\n" COUNTER, NULL, 0);
  assert_string_equal(m->currency, "EUR");
  assert_int_equal(m->nlabels, 2);
  assert_string_equal(m->labels[0].key, "departments.counter.staff");
  assert_string_equal(m->labels[0].text, "staff at the desk");
  assert_string_equal(m->labels[1].key, "wait_mean");
  model_free(m);
  m = load_ok("horizon: 480\n" COUNTER, NULL, 0);
  assert_null(m->currency);
  assert_int_equal(m->nlabels, 0);
  model_free(m);
  assert_error("horizon: 480\ncurrency: \"euros and eurocents\"\n" COUNTER,
               "2:12: error: currency is too long (at most 16 bytes, one line)");
  assert_error("horizon: 480\ncurrency: \"\"\n" COUNTER,
               "2:12: error: currency must not be empty");
  assert_error("horizon: 480\nlabels: [a]\n" COUNTER,
               "2:9: error: labels must be a mapping of keys to values, got a list");
  assert_error("horizon: 480\nlabels: {a: \"two\\nlines\"}\n" COUNTER,
               "2:14: error: a label holds a control character (at most 200 bytes, "
               "one line)");
  assert_error("horizon: 480\nlabels: {a: }\n" COUNTER,
               "2:10: error: a label must not be empty");
  assert_error("horizon: 480\nlabels: {a: [x]}\n" COUNTER,
               "2:13: error: a label must be a single value, got a list");
}

/* ---- a scenario parsed once ------------------------------------------- */

/* model_scenario_build from one parse gives what model_scenario_load
 * gives: the same message, or the same model — by its hash, and by what
 * the hash leaves out (the sweep block, labels, currency). */
static void assert_built_like_loaded(struct model_scenario *s, const char *path,
                                     const char *const *sets, size_t nsets)
{
  char want[MODEL_ERROR_MAX], got[MODEL_ERROR_MAX];
  struct model *a = model_scenario_load(path, sets, nsets, want, sizeof want);
  struct model *b = model_scenario_build(s, sets, nsets, got, sizeof got);
  assert_string_equal(got, want);
  if (!a || !b) {
    if (a || b)
      fail_msg("%s with %zu overrides: one loaded, the other did not", path, nsets);
    return;
  }
  assert_true(model_hash(a) == model_hash(b));
  assert_string_equal(a->name, b->name);
  assert_int_equal(a->naxes, b->naxes);
  for (size_t i = 0; i < a->naxes; i++) {
    assert_string_equal(a->axes[i].path, b->axes[i].path);
    assert_int_equal(a->axes[i].nvalues, b->axes[i].nvalues);
    for (size_t v = 0; v < a->axes[i].nvalues; v++)
      assert_string_equal(a->axes[i].values[v], b->axes[i].values[v]);
  }
  assert_int_equal(a->nvariants, b->nvariants);
  for (size_t i = 0; i < a->nvariants; i++) {
    assert_string_equal(a->variants[i].name, b->variants[i].name);
    assert_int_equal(a->variants[i].nsets, b->variants[i].nsets);
    for (size_t k = 0; k < a->variants[i].nsets; k++)
      assert_string_equal(a->variants[i].sets[k], b->variants[i].sets[k]);
  }
  assert_int_equal(a->nlabels, b->nlabels);
  for (size_t i = 0; i < a->nlabels; i++) {
    assert_string_equal(a->labels[i].key, b->labels[i].key);
    assert_string_equal(a->labels[i].text, b->labels[i].text);
  }
  assert_true((a->currency == NULL) == (b->currency == NULL));
  if (a->currency)
    assert_string_equal(a->currency, b->currency);
  model_free(a);
  model_free(b);
}

/* Overrides tried on every scenario, one after the other on the same
 * parse, so that a build that changed the parsed document would show in
 * the next: valid ones, and ones that fail at the override, at a key of
 * the file and at a mapping of the file. */
static void assert_builds_like_loads(const char *path)
{
  static const char *const sets[][2] = {
    {NULL, NULL},
    {"seed=7", NULL},
    {"arrivals.0.rate=2.385", "replications=3"},
    {"output.customers=true", "output.interval=7.5"},
    {"horizon=0", NULL},
    {"warmup=1e12", NULL},
    {"departments.nope.staff=1", NULL},
    {"sweep={}", NULL},
    {"satisfaction.base=11", NULL},
    {NULL, NULL},
  };
  char err[MODEL_ERROR_MAX];
  struct model_scenario *s = model_scenario_open(path, err, sizeof err);
  if (!s)
    fail_msg("%s did not open: %s", path, err);
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
    assert_built_like_loaded(s, path, sets[i], sets[i][0] ? (sets[i][1] ? 2 : 1) : 0);
  model_scenario_close(s);
}

static void built_once_like_loaded(void **state)
{
  (void)state;
  /* Every example scenario, also those added later. */
  DIR *examples = opendir(LOKET_SOURCE_DIR "/scenarios");
  assert_non_null(examples);
  size_t tried = 0;
  for (struct dirent *e; (e = readdir(examples));) {
    size_t n = strlen(e->d_name);
    if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
      continue;
    char example[512];
    snprintf(example, sizeof example, "%s/scenarios/%s", LOKET_SOURCE_DIR, e->d_name);
    assert_builds_like_loads(example);
    tried++;
  }
  closedir(examples);
  assert_true(tried >= 10);
  char path[256];
  snprintf(path, sizeof path, "%s/s.yaml", dir);
  /* Anchors and merge keys (parsed a second time, resolved), a sweep
   * block with lists and mappings as values, labels. */
  put_file("s.yaml",
           "horizon: 480\n"
           "arrivals: [{to: a, rate: 0.5}, {to: b, rate: 0.25}]\n"
           "departments:\n"
           "  a: &desk {staff: 2, service: {dist: exponential, mean: 2.385}}\n"
           "  b:\n"
           "    <<: *desk\n"
           "    staff: [{at: 0, staff: 3}, {at: 240, staff: 1}]\n"
           "sweep:\n"
           "  vary: {departments.a.staff: [1, 2], arrivals.0.rate: \"0.25:0.75:0.25\"}\n"
           "  variants:\n"
           "    big: {departments.b: {staff: 9, service: {dist: gamma, mean: 3, sd: 1}}}\n"
           "    lunch: {departments.a.staff: [{at: 0, staff: 2}, {at: 120, staff: 1}]}\n"
           "labels: {departments.a: Desk A, wait_mean: 'Wait, mean'}\n"
           "currency: EUR\n");
  assert_builds_like_loads(path);
  /* Errors the file holds: at a mapping (a copied mapping has no position
   * of its own, so this one must come from the text), at a key, a
   * duplicate key, an alias without an anchor, no text at all. */
  put_file("s.yaml", "horizon: 480\nsweep: {}\n" COUNTER);
  assert_builds_like_loads(path);
  {
    char err[MODEL_ERROR_MAX];
    struct model_scenario *s = model_scenario_open(path, err, sizeof err);
    assert_non_null(s);
    assert_null(model_scenario_build(s, NULL, 0, err, sizeof err));
    assert_string_equal(err, in_file("2:8: error: sweep needs 'vary' or 'variants'"));
    model_scenario_close(s);
  }
  put_file("s.yaml", "horizon: 480\nhorizons: 2\n" COUNTER);
  assert_builds_like_loads(path);
  put_file("s.yaml", "horizon: 480\nhorizon: 2\n" COUNTER);
  assert_builds_like_loads(path);
  put_file("s.yaml", "horizon: *h\n" COUNTER);
  assert_builds_like_loads(path);
  put_file("s.yaml", "");
  assert_builds_like_loads(path);
  put_bytes("s.yaml", "horizon: 4\xff\n", 12);
  assert_builds_like_loads(path);
  /* A file that cannot be read does not open, with load's message. */
  char want[MODEL_ERROR_MAX], got[MODEL_ERROR_MAX];
  snprintf(path, sizeof path, "%s/absent.yaml", dir);
  assert_null(model_scenario_load(path, NULL, 0, want, sizeof want));
  assert_null(model_scenario_open(path, got, sizeof got));
  assert_string_equal(got, want);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(loads_mmc),
    cmocka_unit_test(absent_keys_get_defaults),
    cmocka_unit_test(time_units_and_extremes),
    cmocka_unit_test(departments_routes_and_arrivals),
    cmocka_unit_test(patience_capacity_and_idle_departments),
    cmocka_unit_test(every_distribution_kind),
    cmocka_unit_test(empirical_file_is_relative_to_the_scenario),
    cmocka_unit_test(anchors_and_merge_keys_are_resolved),
    cmocka_unit_test(file_errors),
    cmocka_unit_test(top_level_errors),
    cmocka_unit_test(arrival_errors),
    cmocka_unit_test(demand_as_forecast),
    cmocka_unit_test(labels_and_currency),
    cmocka_unit_test(department_errors),
    cmocka_unit_test(distribution_errors),
    cmocka_unit_test(empirical_file_errors),
    cmocka_unit_test(data_files_read_whole_lines),
    cmocka_unit_test(route_errors),
    cmocka_unit_test(exits_match_the_definition),
    cmocka_unit_test(overrides_apply),
    cmocka_unit_test(override_errors),
    cmocka_unit_test(override_inside_reported_mapping),
    cmocka_unit_test(edit_distance),
    cmocka_unit_test(organisation_loads),
    cmocka_unit_test(organisation_errors),
    cmocka_unit_test(after_work),
    cmocka_unit_test(pools),
    cmocka_unit_test(long_chain_overload_is_warned),
    cmocka_unit_test(many_pools_check_quickly),
    cmocka_unit_test(rework_rules),
    cmocka_unit_test(appointment_streams),
    cmocka_unit_test(sweep_block),
    cmocka_unit_test(not_utf8),
    cmocka_unit_test(endless_work_is_refused),
    cmocka_unit_test(at_most_256_priorities),
    cmocka_unit_test(alias_expansion_is_bounded),
    cmocka_unit_test(many_departments_load),
    cmocka_unit_test(unstable_queues_are_warned),
    cmocka_unit_test(loops_almost_never_left_are_warned),
    cmocka_unit_test(messages_are_printable),
    cmocka_unit_test(staffing_block),
    cmocka_unit_test(staffing_errors),
    cmocka_unit_test(built_once_like_loaded),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
