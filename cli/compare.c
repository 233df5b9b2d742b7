/* `loket compare` (see cli/compare.h): every file is read back with
 * sim/csvread.h, its columns by name. */
#define _GNU_SOURCE 1  /* realpath */
#include "cli/compare.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/run.h"
#include "cli/options.h"
#include "models/metrics.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"
#include "sim/stats.h"
#include "models/scenario.h"

/* One measured quantity of a run: its value in each replication (NaN where
 * undefined or absent). */
struct series {
  char *scope, *metric;
  double *values;
};

/* A run folder read back. */
struct folder {
  char *name;         /* the variant's name */
  char *dir;
  char *seed, *replications, *horizon, *interval, *departments; /* about.csv */
  char *version;      /* output_version, NULL when absent */
  size_t n;           /* replications */
  char **dept_names;
  char **dept_suffix;  /* ":NAME" for the interval metrics */
  size_t ndepts;
  struct series *series;
  size_t nseries, cap;
  size_t hint;        /* where the last lookup found its series */
};

static void folder_fini(struct folder *f)
{
  free(f->name);
  free(f->dir);
  free(f->seed);
  free(f->replications);
  free(f->horizon);
  free(f->interval);
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

static char *path_in(const char *dir, const char *name)
{
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = sim_xmalloc(len);
  snprintf(p, len, "%s/%s", dir, name);
  return p;
}

static int open_file(struct sim_csv_reader *r, const char *dir, const char *name)
{
  char *path = path_in(dir, name);
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
                : !strcmp(k, "output_version") ? &f->version : NULL;
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

static int read_folder(struct folder *f, bool journeys, char *err, size_t errlen)
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
  return journeys ? read_rows(f, "journeys.csv", group_key, model_journey_columns,
                              MODEL_JOURNEY_NCOLS, journey_scope, err, errlen)
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
static int comparable(const struct folder *a, const struct folder *b, char *err,
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

/* ---- differences ---------------------------------------------------------- */

struct difference {
  double mean;                /* of the variant, over its replications */
  double diff, paired, unpaired;
};

/* The variant's values x against the first variant's x0, over the
 * replications where both are defined. */
static struct difference difference_of(const double *x0, const double *x, size_t n,
                                       bool first)
{
  struct sim_tally all, d, a, b;
  sim_tally_init(&all);
  sim_tally_init(&d);
  sim_tally_init(&a);
  sim_tally_init(&b);
  for (size_t i = 0; i < n; i++) {
    if (!isnan(x[i]))
      sim_tally_add(&all, x[i]);
    if (!isnan(x[i]) && !isnan(x0[i])) {
      sim_tally_add(&d, x[i] - x0[i]);
      sim_tally_add(&a, x0[i]);
      sim_tally_add(&b, x[i]);
    }
  }
  struct difference r = {sim_tally_mean(&all), 0, NAN, NAN};
  if (!first) {
    r.diff = sim_tally_mean(&d);
    r.paired = sim_tally_ci95_halfwidth(&d);
    r.unpaired = sim_tally_welch_ci95_halfwidth(&a, &b);
  }
  return r;
}

static int write_compare(const char *dir, const struct folder *f, size_t nf,
                         bool ran_here, char *err, size_t errlen)
{
  static const char *const header[] = {"scope", "metric", "variant", "mean", "diff",
                                       "diff_ci95", "diff_ci95_unpaired", NULL};
  static const char *const vheader[] = {"variant", "folder", NULL};
  struct sim_csv csv, variants;
  if (sim_csv_open(&csv, dir, "compare.csv") != 0) {
    snprintf(err, errlen, "%s", csv.error);
    sim_csv_abort(&csv);
    return -1;
  }
  if (sim_csv_open(&variants, dir, "variants.csv") != 0) {
    snprintf(err, errlen, "%s", variants.error);
    sim_csv_abort(&variants);
    sim_csv_abort(&csv);
    return -1;
  }
  sim_csv_header(&csv, header);
  for (size_t k = 0; k < f[0].nseries; k++)
    for (size_t v = 0; v < nf; v++) {
      struct difference d = difference_of(f[0].series[k].values, f[v].series[k].values,
                                          f[0].n, v == 0);
      sim_csv_str(&csv, f[0].series[k].scope);
      sim_csv_str(&csv, f[0].series[k].metric);
      sim_csv_str(&csv, f[v].name);
      sim_csv_num(&csv, d.mean);
      sim_csv_num(&csv, d.diff);
      sim_csv_num(&csv, d.paired);
      sim_csv_num(&csv, d.unpaired);
      sim_csv_end_row(&csv);
    }
  sim_csv_header(&variants, vheader);
  /* A variant run here is the folder of its name inside DIR; a folder
   * given is written as its absolute path, so `loket plot DIR` finds it
   * from anywhere. */
  for (size_t v = 0; v < nf; v++) {
    char *real = ran_here ? NULL : realpath(f[v].dir, NULL);
    sim_csv_str(&variants, f[v].name);
    sim_csv_str(&variants, ran_here ? f[v].name : real ? real : f[v].dir);
    sim_csv_end_row(&variants);
    free(real);
  }
  int rc = 0;
  if (sim_csv_commit(&csv) != 0) {
    snprintf(err, errlen, "%s", csv.error);
    rc = -1;
  } else if (sim_csv_commit(&variants) != 0) {
    snprintf(err, errlen, "%s", variants.error);
    rc = -1;
  }
  sim_csv_abort(&csv);
  sim_csv_abort(&variants);
  return rc;
}

/* The terminal table: the key metrics of the day, the first variant's
 * mean, then for each other variant its mean and its paired difference
 * with the 95 % half-width, starred when the interval excludes 0. */
static void print_table(FILE *out, const struct folder *f, size_t nf)
{
  static const struct { const char *metric, *label; double scale; } rows[] = {
    {"arrivals", "customers", 1}, {"abandoned", "abandoned", 1},
    {"service_level", "service level (%)", 100}, {"wait_mean", "wait, mean", 1},
    {"wait_p90", "wait, 90th percentile", 1}, {"sojourn_mean", "time in system", 1},
    {"satisfaction_mean", "satisfaction (0-10)", 1},
    {"utilization", "utilization (%)", 100}, {"staff_cost", "staff cost", 1},
  };
  fprintf(out, "%zu variants, %zu replications each with seed %s; differences to "
               "'%s' paired by replication, with 95 %% half-widths (* the interval "
               "excludes 0)\n", nf, f[0].n, f[0].seed, f[0].name);
  fprintf(out, "  %-22s %12.12s", "", f[0].name);
  for (size_t v = 1; v < nf; v++)
    fprintf(out, "  %32.32s", f[v].name);
  fputc('\n', out);
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    size_t k = 0;
    while (k < f[0].nseries && (strcmp(f[0].series[k].scope, "summary") ||
                                strcmp(f[0].series[k].metric, rows[i].metric)))
      k++;
    if (k == f[0].nseries)
      continue;
    double s = rows[i].scale;
    struct difference d0 = difference_of(f[0].series[k].values, f[0].series[k].values,
                                         f[0].n, true);
    fprintf(out, "  %-22s %12.2f", rows[i].label, s * d0.mean);
    for (size_t v = 1; v < nf; v++) {
      struct difference d = difference_of(f[0].series[k].values,
                                          f[v].series[k].values, f[0].n, false);
      char cell[96];
      bool sure = !isnan(d.paired) && fabs(d.diff) > d.paired;
      if (isnan(d.paired))
        snprintf(cell, sizeof cell, "%.2f  %+.2f", s * d.mean, s * d.diff);
      else
        snprintf(cell, sizeof cell, "%.2f  %+.2f ± %.2f%s", s * d.mean, s * d.diff,
                 s * d.paired, sure ? " *" : "  ");
      /* "±" is two bytes and one column wide. */
      fprintf(out, "  %*s", strstr(cell, "±") ? 33 : 32, cell);
    }
    fputc('\n', out);
  }
}

/* ---- the command ----------------------------------------------------------- */

static const char compare_usage[] =
  "usage: loket compare DIR_A DIR_B [DIR_C ...] [--out DIR]\n"
  "       loket compare SCENARIO.yaml --variant NAME:PATH=VALUE[,PATH=VALUE...]...\n"
  "                     [--out DIR] [--jobs N] [--replications R] [--set PATH=VALUE]...\n";

__attribute__((format(printf, 1, 2)))
static int compare_usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "loket: error: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n%s", compare_usage);
  return LOKET_EXIT_USAGE;
}

/* A variant's name becomes a folder: letters, digits, '.', '-', '_', not
 * starting with '.'. */
static bool good_name(const char *s, size_t len)
{
  if (len == 0 || len > 80 || s[0] == '.')
    return false;
  for (size_t i = 0; i < len; i++)
    if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
      return false;
  return true;
}

struct variant {
  char *name;
  char **sets;      /* PATH=VALUE */
  size_t nsets;
};

/* NAME:PATH=VALUE,PATH=VALUE: the assignments are split at commas outside
 * brackets, braces and quotes, so a value may be a flow list or mapping
 * ("cut:departments.desk.staff=[{at: '09:00', staff: 4}, ...]"). An empty
 * list (NAME:) is the scenario as written. */
static bool parse_variant(const char *spec, struct variant *v)
{
  const char *colon = strchr(spec, ':');
  if (!colon || !good_name(spec, (size_t)(colon - spec)))
    return false;
  v->name = sim_xmalloc((size_t)(colon - spec) + 1);
  memcpy(v->name, spec, (size_t)(colon - spec));
  v->name[colon - spec] = '\0';
  const char *p = colon + 1;
  while (*p) {
    int depth = 0;
    char quote = 0;
    const char *q = p;
    for (; *q && (quote || depth || *q != ','); q++) {
      if (quote) {
        if (*q == quote)
          quote = 0;
      } else if (*q == '\'' || *q == '"') {
        quote = *q;
      } else if (*q == '[' || *q == '{') {
        depth++;
      } else if ((*q == ']' || *q == '}') && depth > 0) {
        depth--;
      }
    }
    size_t len = (size_t)(q - p);
    char *set = sim_xmalloc(len + 1);
    memcpy(set, p, len);
    set[len] = '\0';
    v->sets = sim_xrealloc(v->sets, v->nsets + 1, sizeof *v->sets);
    v->sets[v->nsets++] = set;
    if (!strchr(set, '=') || set[0] == '=')
      return false;
    p = *q ? q + 1 : q;
  }
  return true;
}

static void variant_fini(struct variant *v)
{
  free(v->name);
  for (size_t i = 0; i < v->nsets; i++)
    free(v->sets[i]);
  free(v->sets);
}

/* The folder's last path element ("out/lunch-cut/" -> "lunch-cut"). */
static char *base_name(const char *dir)
{
  size_t end = strlen(dir);
  while (end > 1 && dir[end - 1] == '/')
    end--;
  size_t start = end;
  while (start > 0 && dir[start - 1] != '/')
    start--;
  char *s = sim_xmalloc(end - start + 1);
  memcpy(s, dir + start, end - start);
  s[end - start] = '\0';
  return s;
}

static bool is_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct compare_options {
  const char *out;
  const char **positional;
  size_t npositional;
  struct variant *variants;
  size_t nvariants;
  const char **sets;
  size_t nsets;
  unsigned jobs;
  uint32_t replications;
  bool quiet;
  int progress;
};

static int parse(int argc, char **argv, struct compare_options *o)
{
  memset(o, 0, sizeof *o);
  o->progress = -1;
  o->positional = sim_xcalloc((size_t)argc, sizeof *o->positional);
  o->sets = sim_xcalloc((size_t)argc, sizeof *o->sets);
  o->variants = sim_xcalloc((size_t)argc, sizeof *o->variants);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool takes = !strcmp(a, "--out") || !strcmp(a, "--variant") || !strcmp(a, "--set") ||
                 !strcmp(a, "--jobs") || !strcmp(a, "--replications");
    if (takes && i + 1 >= argc)
      return compare_usage_error("%s needs a value", a);
    unsigned long long x;
    char extra;
    if (!strcmp(a, "--out")) {
      o->out = argv[++i];
      if (!*o->out)
        return compare_usage_error("%s", "--out must name a folder, got ''");
    } else if (!strcmp(a, "--variant")) {
      struct variant *v = &o->variants[o->nvariants++];
      if (!parse_variant(argv[++i], v))
        return compare_usage_error("--variant must be NAME:PATH=VALUE[,PATH=VALUE...] "
                                   "with a NAME of letters, digits, '.', '-' and '_', "
                                   "got '%s'", argv[i]);
      for (size_t k = 0; k + 1 < o->nvariants; k++)
        if (!strcmp(o->variants[k].name, v->name))
          return compare_usage_error("two variants are named '%s'", v->name);
    } else if (!strcmp(a, "--set")) {
      o->sets[o->nsets++] = argv[++i];
    } else if (!strcmp(a, "--jobs")) {
      if (sscanf(argv[++i], "%llu%c", &x, &extra) != 1 || x < 1 || x > 1024 ||
          !isdigit((unsigned char)argv[i][0]))
        return compare_usage_error("--jobs must be a whole number from 1 to 1024, "
                                   "got '%s'", argv[i]);
      o->jobs = (unsigned)x;
    } else if (!strcmp(a, "--replications")) {
      if (sscanf(argv[++i], "%llu%c", &x, &extra) != 1 || x < 1 || x > 1000000 ||
          !isdigit((unsigned char)argv[i][0]))
        return compare_usage_error("--replications must be a whole number from 1 "
                                   "to 1000000, got '%s'", argv[i]);
      o->replications = (uint32_t)x;
    } else if (!strcmp(a, "--quiet")) {
      o->quiet = true;
      o->progress = 0;
    } else if (!strcmp(a, "--progress")) {
      o->progress = 1;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(compare_usage, stdout);
      return LOKET_EXIT_OK;
    } else if (a[0] == '-' && a[1]) {
      return compare_usage_error("unknown option '%s' for 'loket compare'", a);
    } else {
      o->positional[o->npositional++] = a;
    }
  }
  if (o->nvariants) {
    if (o->npositional != 1)
      return compare_usage_error("%s", "--variant needs exactly one scenario file");
    if (o->nvariants < 2)
      return compare_usage_error("%s", "give at least two variants to compare");
  } else {
    if (o->npositional == 1 && is_file(o->positional[0]))
      return compare_usage_error("%s", "name the variants of the scenario with "
                                       "--variant NAME:PATH=VALUE");
    if (o->npositional < 2)
      return compare_usage_error("%s", "give at least two run folders to compare");
    if (o->nsets || o->jobs || o->replications)
      return compare_usage_error("%s", "--set, --jobs and --replications apply only "
                                       "to variants of a scenario");
  }
  return -1;
}

static void compare_options_fini(struct compare_options *o)
{
  for (size_t v = 0; v < o->nvariants; v++)
    variant_fini(&o->variants[v]);
  free(o->variants);
  free(o->positional);
  free(o->sets);
}

/* The options of `loket run` for variant v, into DIR/NAME. */
static struct options run_options(const struct compare_options *c,
                                  const struct variant *v, const char **sets,
                                  char *out)
{
  size_t n = 0;
  for (size_t i = 0; i < c->nsets; i++)
    sets[n++] = c->sets[i];
  for (size_t i = 0; i < v->nsets; i++)
    sets[n++] = v->sets[i];
  return (struct options){
    .scenario = c->positional[0], .out = out, .sets = sets, .nsets = n,
    .have_replications = c->replications != 0, .replications = c->replications,
    .jobs = c->jobs ? c->jobs : cli_default_jobs(), .progress = c->progress,
    .quiet = true,
  };
}

/* Runs every variant into DIR/NAME/. Every variant is loaded (and so
 * checked) before the first is run: a bad one writes nothing. */
static int run_variants(const struct compare_options *c, const char *dir,
                        char **dirs)
{
  int rc = LOKET_EXIT_OK;
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < c->nvariants; v++) {
    const char **sets = sim_xcalloc(c->nsets + c->variants[v].nsets + 1, sizeof *sets);
    struct options o = run_options(c, &c->variants[v], sets, NULL);
    char why[MODEL_ERROR_MAX];
    struct model *m = model_scenario_load(o.scenario, o.sets, o.nsets, why, sizeof why);
    if (!m) {
      fprintf(stderr, "%s\n(in variant '%s')\n", why, c->variants[v].name);
      rc = LOKET_EXIT_USAGE;
    }
    model_free(m);
    free(sets);
  }
  char err[1024];
  if (rc == LOKET_EXIT_OK && cli_prepare_output_folder(dir, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < c->nvariants; v++) {
    dirs[v] = path_in(dir, c->variants[v].name);
    const char **sets = sim_xcalloc(c->nsets + c->variants[v].nsets + 1, sizeof *sets);
    struct options o = run_options(c, &c->variants[v], sets, dirs[v]);
    if (!c->quiet)
      fprintf(stderr, "variant %s: running into %s/\n", c->variants[v].name, dirs[v]);
    rc = cli_run(&o);
    free(sets);
  }
  return rc;
}

int cli_compare(int argc, char **argv)
{
  struct compare_options c;
  int rc = parse(argc, argv, &c);
  if (rc >= 0) {
    compare_options_fini(&c);
    return rc;
  }
  bool variants = c.nvariants > 0;
  size_t nf = variants ? c.nvariants : c.npositional;
  char **names = sim_xcalloc(nf, sizeof *names);
  for (size_t v = 0; v < nf; v++) {
    names[v] = variants ? sim_xstrdup(c.variants[v].name) : base_name(c.positional[v]);
    /* Two folders of one name (a/out, b/out) become out and out-2. */
    for (unsigned k = 2; ; k++) {
      size_t same = 0;
      while (same < v && strcmp(names[same], names[v]))
        same++;
      if (same == v)
        break;
      char *base = variants ? sim_xstrdup(c.variants[v].name) : base_name(c.positional[v]);
      size_t len = strlen(base) + 16;
      free(names[v]);
      names[v] = sim_xmalloc(len);
      snprintf(names[v], len, "%s-%u", base, k);
      free(base);
    }
  }
  size_t len = strlen(names[0]) + 16;
  char *label = sim_xmalloc(len);
  snprintf(label, len, "compare-%s", names[0]);
  char *dir = cli_output_folder(c.out, label, "");
  free(label);

  char **dirs = sim_xcalloc(nf, sizeof *dirs);
  char err[2048];
  if (variants) {
    rc = run_variants(&c, dir, dirs);
  } else {
    for (size_t v = 0; v < nf; v++)
      dirs[v] = sim_xstrdup(c.positional[v]);
    rc = LOKET_EXIT_OK;
  }

  /* Runs written before journeys.csv existed are compared without it. */
  bool journeys = true;
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < nf; v++) {
    char *path = path_in(dirs[v], "journeys.csv");
    journeys = journeys && is_file(path);
    free(path);
  }
  struct folder *f = sim_xcalloc(nf, sizeof *f);
  for (size_t v = 0; rc == LOKET_EXIT_OK && v < nf; v++) {
    f[v].name = sim_xstrdup(names[v]);
    f[v].dir = sim_xstrdup(dirs[v]);
    if (read_folder(&f[v], journeys, err, sizeof err) != 0 ||
        (v > 0 && comparable(&f[0], &f[v], err, sizeof err) != 0)) {
      fprintf(stderr, "loket: error: %s\n", err);
      rc = LOKET_EXIT_USAGE;
    }
  }
  if (rc == LOKET_EXIT_OK && !variants &&
      cli_prepare_output_folder(dir, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  if (rc == LOKET_EXIT_OK && write_compare(dir, f, nf, variants, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  if (rc == LOKET_EXIT_OK && !c.quiet) {
    print_table(stdout, f, nf);
    printf("results in %s/compare.csv\n", dir);
  }
  for (size_t v = 0; v < nf; v++) {
    folder_fini(&f[v]);
    free(names[v]);
    free(dirs[v]);
  }
  free(f);
  free(names);
  free(dirs);
  free(dir);
  compare_options_fini(&c);
  return rc;
}
