/*
 * cli/compare_folder.c — `loket compare`: reads a run folder back (every
 * file with sim/csvread.h, its columns by name) and checks that two folders
 * can be compared replication by replication.
 */
#include "cli/compare_parts.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/metrics.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

void compare_folder_fini(struct folder *f)
{
  free(f->name);
  free(f->dir);
  free(f->seed);
  free(f->replications);
  free(f->horizon);
  free(f->interval);
  free(f->within);
  free(f->departments);
  free(f->version);
  for (size_t d = 0; d < f->ndepts; d++) {
    free(f->dept_names[d]);
    if (f->dept_suffix)
      free(f->dept_suffix[d]);
  }
  free(f->dept_names);
  free(f->dept_suffix);
  for (size_t i = 0; i < f->nseries; i++) {
    free(f->series[i].scope);
    free(f->series[i].metric);
    free(f->series[i].values);
  }
  free(f->series);
}

/* The values of (scope, metric), made (all NaN) when new. Rows come in the
 * same order replication after replication, so the search starts where the
 * last one ended. */
static double *series_at(struct folder *f, const char *scope, const char *metric)
{
  for (size_t k = 0; k < f->nseries; k++) {
    size_t i = (f->hint + k) % f->nseries;
    if (!strcmp(f->series[i].metric, metric) && !strcmp(f->series[i].scope, scope)) {
      f->hint = i + 1;
      return f->series[i].values;
    }
  }
  if (f->nseries == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 64;
    f->series = sim_xrealloc(f->series, f->cap, sizeof *f->series);
  }
  struct series *s = &f->series[f->nseries++];
  s->scope = sim_xstrdup(scope);
  s->metric = sim_xstrdup(metric);
  s->values = sim_xmalloc(f->n * sizeof *s->values);
  for (size_t i = 0; i < f->n; i++)
    s->values[i] = NAN;
  f->hint = f->nseries;
  return s->values;
}

char *compare_path_in(const char *dir, const char *name)
{
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = sim_xmalloc(len);
  snprintf(p, len, "%s/%s", dir, name);
  return p;
}

static int open_file(struct sim_csv_reader *r, const char *dir, const char *name)
{
  char *path = compare_path_in(dir, name);
  int rc = sim_csv_reader_open(r, path);
  free(path);
  return rc;
}

/* about.csv: the facts that must agree between variants. */
static int read_about(struct folder *f, char *err, size_t errlen)
{
  struct sim_csv_reader r;
  int rc = open_file(&r, f->dir, "about.csv");
  int key = -1, value = -1;
  if (rc == 0 && ((key = sim_csv_reader_require(&r, "key")) < 0 ||
                  (value = sim_csv_reader_require(&r, "value")) < 0))
    rc = -1;
  int got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *k = sim_csv_reader_field(&r, (size_t)key);
    char **slot = !strcmp(k, "seed") ? &f->seed
                : !strcmp(k, "replications") ? &f->replications
                : !strcmp(k, "horizon") ? &f->horizon
                : !strcmp(k, "interval") ? &f->interval
                : !strcmp(k, "departments") ? &f->departments
                : !strcmp(k, "output_version") ? &f->version
                : !strcmp(k, "service_level_within") ? &f->within : NULL;
    if (slot && !*slot)
      *slot = sim_xstrdup(sim_csv_reader_field(&r, (size_t)value));
    if (slot == &f->replications) {
      uint64_t n;
      rc = sim_csv_reader_count(&r, (size_t)value, 1, 1000000, &n);
      f->n = (size_t)n;
    }
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc == 0 && !(f->seed && f->replications && f->horizon && f->interval &&
                   f->departments))
    rc = sim_csv_reader_fail(&r, "about.csv lacks one of seed, replications, "
                                 "horizon, interval, departments");
  if (rc != 0) {
    snprintf(err, errlen, "%s", r.error);
    if (errno == ENOENT && !r.header)
      snprintf(err + strlen(err), errlen - strlen(err),
               " (is '%.200s' the folder of a loket run?)", f->dir);
  }
  sim_csv_reader_fini(&r);
  return rc;
}

/* Reads the numeric columns `names` of DIR/FILE into series: a row's scope
 * comes from `scope_of` (given the row; 1 from it skips the row), the
 * replication from its column. */
typedef int (*scope_fn)(struct sim_csv_reader *r, struct folder *f, const int *keys,
                        char *scope, size_t len, const char **suffix);

static int read_rows(struct folder *f, const char *file, const char *const *key_names,
                     const char *const *names, size_t nnames, scope_fn scope_of,
                     char *err, size_t errlen)
{
  struct sim_csv_reader r;
  int rc = open_file(&r, f->dir, file);
  int rep = -1, keys[4] = {-1, -1, -1, -1};
  int *cols = sim_xcalloc(nnames, sizeof *cols);
  if (rc == 0 && (rep = sim_csv_reader_require(&r, "replication")) < 0)
    rc = -1;
  for (size_t k = 0; rc == 0 && key_names[k]; k++)
    if ((keys[k] = sim_csv_reader_require(&r, key_names[k])) < 0)
      rc = -1;
  for (size_t c = 0; rc == 0 && c < nnames; c++)
    if ((cols[c] = sim_csv_reader_require(&r, names[c])) < 0)
      rc = -1;
  int got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    uint64_t i;
    char scope[512];
    const char *suffix = "";
    if ((rc = sim_csv_reader_count(&r, (size_t)rep, 1, f->n, &i)) != 0)
      break;
    /* The scope: 0, -1 (a message), or 1: a row not compared. */
    int kind = scope_of(&r, f, keys, scope, sizeof scope, &suffix);
    if (kind < 0) {
      rc = -1;
      break;
    }
    if (kind > 0)
      continue;
    for (size_t c = 0; rc == 0 && c < nnames; c++) {
      char metric[512];
      snprintf(metric, sizeof metric, "%s%s", names[c], suffix);
      double x;
      rc = sim_csv_reader_num(&r, (size_t)cols[c], true, &x);
      if (rc == 0)
        series_at(f, scope, metric)[i - 1] = x;
    }
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  free(cols);
  return rc;
}

static int summary_scope(struct sim_csv_reader *r, struct folder *f, const int *keys,
                         char *scope, size_t len, const char **suffix)
{
  (void)r, (void)f, (void)keys, (void)suffix;
  snprintf(scope, len, "summary");
  return 0;
}

static int department_scope(struct sim_csv_reader *r, struct folder *f,
                            const int *keys, char *scope, size_t len,
                            const char **suffix)
{
  (void)suffix;
  const char *name = sim_csv_reader_field(r, (size_t)keys[0]);
  size_t d = 0;
  while (d < f->ndepts && strcmp(f->dept_names[d], name))
    d++;
  if (d == f->ndepts) {
    f->dept_names = sim_xrealloc(f->dept_names, f->ndepts + 1, sizeof *f->dept_names);
    f->dept_names[f->ndepts++] = sim_xstrdup(name);
  }
  snprintf(scope, len, "department:%s", name);
  return 0;
}

/* Intervals: with one department its rows are the day's; with several, the
 * metric carries the department's name (service_level:NAME), since a run
 * folder keeps the journey's series through the day only across
 * replications (timeseries_stats.csv), not replication by replication. */
static int interval_scope(struct sim_csv_reader *r, struct folder *f,
                          const int *keys, char *scope, size_t len,
                          const char **suffix)
{
  const char *name = sim_csv_reader_field(r, (size_t)keys[0]);
  double t;
  if (sim_csv_reader_num(r, (size_t)keys[1], false, &t) != 0)
    return -1;
  char text[32];
  sim_csv_format_num(text, t);
  snprintf(scope, len, "interval:%s", text);
  for (size_t d = 0; d < f->ndepts; d++)
    if (!strcmp(f->dept_names[d], name)) {
      *suffix = f->ndepts > 1 ? f->dept_suffix[d] : "";
      return 0;
    }
  return sim_csv_reader_fail(r, "department '%s' is not in departments.csv", name);
}

/* journeys.csv: the groups by handoffs, which every run has (the paths
 * shown depend on the run, so they are not paired). */
static int journey_scope(struct sim_csv_reader *r, struct folder *f, const int *keys,
                         char *scope, size_t len, const char **suffix)
{
  (void)f, (void)suffix;
  const char *group = sim_csv_reader_field(r, (size_t)keys[0]);
  if (strncmp(group, "handoffs=", 9))
    return 1;
  snprintf(scope, len, "journeys:%s", group);
  return 0;
}

/* pools.csv: `pool:NAME` for a pool's total (department `all`),
 * `pool:NAME:DEPARTMENT` for its work at one department, as in stats.csv. */
static int pool_scope(struct sim_csv_reader *r, struct folder *f, const int *keys,
                      char *scope, size_t len, const char **suffix)
{
  (void)f, (void)suffix;
  const char *pool = sim_csv_reader_field(r, (size_t)keys[0]);
  const char *dept = sim_csv_reader_field(r, (size_t)keys[1]);
  if (!strcmp(dept, "all"))
    snprintf(scope, len, "pool:%s", pool);
  else
    snprintf(scope, len, "pool:%s:%s", pool, dept);
  return 0;
}

bool compare_shared_pools(struct folder *f, size_t nf)
{
  bool same = true;
  for (size_t v = 1; v < nf && same; v++) {
    same = f[v].nseries - f[v].pools_from == f[0].nseries - f[0].pools_from;
    for (size_t k = 0; same && k < f[0].nseries - f[0].pools_from; k++) {
      const struct series *a = &f[0].series[f[0].pools_from + k];
      const struct series *b = &f[v].series[f[v].pools_from + k];
      same = !strcmp(a->scope, b->scope) && !strcmp(a->metric, b->metric);
    }
  }
  if (same)
    return true;
  for (size_t v = 0; v < nf; v++) {
    for (size_t k = f[v].pools_from; k < f[v].nseries; k++) {
      free(f[v].series[k].scope);
      free(f[v].series[k].metric);
      free(f[v].series[k].values);
    }
    f[v].nseries = f[v].pools_from;
  }
  return false;
}

int compare_read_folder(struct folder *f, bool journeys, bool pools, char *err,
                        size_t errlen)
{
  if (read_about(f, err, errlen) != 0)
    return -1;
  static const char *const none[] = {NULL};
  static const char *const dept_key[] = {"department", NULL};
  static const char *const interval_keys[] = {"department", "t_start", NULL};
  static const char *const interval_metrics[] = {"service_level", "wait_mean"};
  if (read_rows(f, "summary.csv", none, model_summary_columns, MODEL_SUMMARY_NCOLS,
                summary_scope, err, errlen) != 0 ||
      read_rows(f, "departments.csv", dept_key, model_department_columns,
                MODEL_DEPARTMENT_NCOLS, department_scope, err, errlen) != 0)
    return -1;
  f->dept_suffix = sim_xcalloc(f->ndepts ? f->ndepts : 1, sizeof *f->dept_suffix);
  for (size_t d = 0; d < f->ndepts; d++) {
    size_t len = strlen(f->dept_names[d]) + 2;
    f->dept_suffix[d] = sim_xmalloc(len);
    snprintf(f->dept_suffix[d], len, ":%s", f->dept_names[d]);
  }
  static const char *const group_key[] = {"group", NULL};
  if (read_rows(f, "timeseries.csv", interval_keys, interval_metrics, 2,
                interval_scope, err, errlen) != 0)
    return -1;
  if (journeys && read_rows(f, "journeys.csv", group_key, model_journey_columns,
                            MODEL_JOURNEY_NCOLS, journey_scope, err, errlen) != 0)
    return -1;
  f->pools_from = f->nseries;
  static const char *const pool_keys[] = {"pool", "department", NULL};
  return pools ? read_rows(f, "pools.csv", pool_keys, model_pool_columns,
                           MODEL_POOL_NCOLS, pool_scope, err, errlen)
               : 0;
}

/* ---- the variants must be comparable ------------------------------------ */

static char *joined_departments(const struct folder *f)
{
  size_t len = 1;
  for (size_t d = 0; d < f->ndepts; d++)
    len += strlen(f->dept_names[d]) + 2;
  char *s = sim_xmalloc(len);
  s[0] = '\0';
  for (size_t d = 0; d < f->ndepts; d++) {
    if (d)
      strcat(s, ", ");
    strcat(s, f->dept_names[d]);
  }
  return s;
}

/* 0, or -1 with a message saying what differs between a and b. */
int compare_comparable(const struct folder *a, const struct folder *b, char *err,
                      size_t errlen)
{
  static const char paired[] = "a paired comparison needs the same seed and "
                               "replications (common random numbers)";
  static const char same[] = "compare runs of the same scenario";
  struct { const char *what, *x, *y, *why; } facts[] = {
    {"seed", b->seed, a->seed, paired},
    {"replications", b->replications, a->replications, paired},
    {"horizon", b->horizon, a->horizon, same},
    {"interval", b->interval, a->interval, same},
  };
  for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
    if (strcmp(facts[i].x, facts[i].y)) {
      snprintf(err, errlen, "'%s' and '%s' differ in their %s (%s against %s): %s",
               b->dir, a->dir, facts[i].what, facts[i].x, facts[i].y, facts[i].why);
      return -1;
    }
  if (a->within && b->within && strcmp(a->within, b->within)) {
    snprintf(err, errlen, "'%s' and '%s' differ in their service_level_within (%s "
                          "against %s): their service levels count different waits; "
                          "compare runs with the same service_level.within",
             b->dir, a->dir, b->within, a->within);
    return -1;
  }
  if (a->version && b->version && strcmp(a->version, b->version)) {
    snprintf(err, errlen, "'%s' and '%s' differ in their output_version (%s against "
                          "%s): the same seed gave other numbers then; run both "
                          "again", b->dir, a->dir, b->version, a->version);
    return -1;
  }
  char *da = joined_departments(a), *db = joined_departments(b);
  int rc = 0;
  if (strcmp(da, db)) {
    snprintf(err, errlen, "'%s' and '%s' differ in their departments (%s against "
                          "%s): %s", b->dir, a->dir, db, da, same);
    rc = -1;
  }
  free(da);
  free(db);
  for (size_t i = 0; rc == 0 && i < a->nseries; i++)
    if (i >= b->nseries || strcmp(a->series[i].scope, b->series[i].scope) ||
        strcmp(a->series[i].metric, b->series[i].metric)) {
      snprintf(err, errlen, "'%s' has no %s %s where '%s' has: %s", b->dir,
               a->series[i].scope, a->series[i].metric, a->dir, same);
      rc = -1;
    }
  if (rc == 0 && b->nseries > a->nseries) {
    snprintf(err, errlen, "'%s' has %s %s where '%s' has not: %s", b->dir,
             b->series[a->nseries].scope, b->series[a->nseries].metric, a->dir, same);
    rc = -1;
  }
  return rc;
}
