#include "cli/report.h"
#include "cli/report_parts.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/check.h"
#include "sim/csv.h"
#include "sim/stats.h"

static const double *summary_row(const struct model_result *res, size_t r,
                                 size_t ncols)
{
  (void)r;
  (void)ncols;
  return res->summary;
}

static const double *department_row(const struct model_result *res, size_t r,
                                    size_t ncols)
{
  return res->departments + r * ncols;
}

static const double *class_row(const struct model_result *res, size_t r,
                               size_t ncols)
{
  return res->classes + r * ncols;
}

void report_tables(const struct model *m, struct table t[3],
                   const char **dept_names, const char **class_names)
{
  for (size_t d = 0; d < m->ndepartments; d++)
    dept_names[d] = m->departments[d].name;
  for (size_t c = 0; c < m->nclasses; c++)
    class_names[c] = m->classes[c].name;
  t[0] = (struct table){model_summary_columns, MODEL_SUMMARY_NCOLS, 1, NULL,
                        NULL, summary_row};
  t[1] = (struct table){model_department_columns, MODEL_DEPARTMENT_NCOLS,
                        m->ndepartments, "department", dept_names,
                        department_row};
  t[2] = (struct table){model_class_columns, MODEL_CLASS_NCOLS, m->nclasses,
                        "class", class_names, class_row};
}

static void write_table(struct sim_csv *csv, const struct table *t,
                        const struct model_result *results, size_t n)
{
  sim_csv_str(csv, "replication");
  if (t->key_column)
    sim_csv_str(csv, t->key_column);
  sim_csv_header(csv, t->columns);
  for (size_t i = 0; i < n; i++)
    for (size_t r = 0; r < t->nrows; r++) {
      sim_csv_int(csv, (int64_t)i + 1);
      if (t->key_column)
        sim_csv_str(csv, t->keys[r]);
      const double *row = t->row(&results[i], r, t->ncols);
      for (size_t c = 0; c < t->ncols; c++)
        sim_csv_num(csv, row[c]);
      sim_csv_end_row(csv);
    }
}

/* "09:15" for a time since opening (hours beyond 24 keep counting). */
void report_clock(char *buf, size_t len, const struct model *m, double t)
{
  double minutes = (m->opens + t) * 60.0 / m->units_per_hour;
  long whole = (long)floor(minutes + 1e-6);
  snprintf(buf, len, "%02ld:%02ld", whole / 60, whole % 60);
}

static void write_timeseries(struct sim_csv *csv, const struct model *m,
                             const struct model_result *results, size_t n)
{
  /* `clock` keeps its place after the first seven columns, where readers
   * by position found it before the later columns were added. */
  sim_csv_str(csv, "replication");
  sim_csv_str(csv, "department");
  sim_csv_str(csv, "t_start");
  for (size_t c = 0; c < MODEL_TIMESERIES_NCOLS; c++) {
    sim_csv_str(csv, model_timeseries_columns[c]);
    if (c == MODEL_TIMESERIES_abandoned)
      sim_csv_str(csv, "clock");
  }
  sim_csv_end_row(csv);
  for (size_t i = 0; i < n; i++)
    for (size_t d = 0; d < m->ndepartments; d++)
      for (uint32_t k = 0; k < m->nintervals; k++) {
        const double *row = results[i].timeseries +
                            (d * m->nintervals + k) * MODEL_TIMESERIES_NCOLS;
        char clock[32];
        report_clock(clock, sizeof clock, m, k * m->interval);
        sim_csv_int(csv, (int64_t)i + 1);
        sim_csv_str(csv, m->departments[d].name);
        sim_csv_num(csv, k * m->interval);
        for (size_t c = 0; c < MODEL_TIMESERIES_NCOLS; c++) {
          sim_csv_num(csv, row[c]);
          if (c == MODEL_TIMESERIES_abandoned)
            sim_csv_str(csv, clock);
        }
        sim_csv_end_row(csv);
      }
}

/* Across replications, per department and interval, and for the whole
 * journey per interval (customers by the interval of their first
 * arrival): the mean, sd and t-based 95 % interval of every column of the
 * time series, like stats.csv. The journey has no occupancy columns. */
static void write_timeseries_stats(struct sim_csv *csv, const struct model *m,
                                   const struct model_result *results, size_t n)
{
  static const char *const header[] = {"scope", "t_start", "clock", "metric",
                                       "mean", "sd", "ci95_low", "ci95_high",
                                       "n", NULL};
  sim_csv_header(csv, header);
  for (size_t d = 0; d <= m->ndepartments; d++) {
    bool journey = d == m->ndepartments;
    char scope[64 + 256];
    if (journey)
      snprintf(scope, sizeof scope, "journey");
    else
      snprintf(scope, sizeof scope, "department:%s", m->departments[d].name);
    for (uint32_t k = 0; k < m->nintervals; k++) {
      char clock[32];
      report_clock(clock, sizeof clock, m, k * m->interval);
      for (size_t c = 0; c < MODEL_TIMESERIES_NCOLS; c++) {
        if (journey && (c == MODEL_TIMESERIES_queue_mean || c == MODEL_TIMESERIES_staff ||
                        c == MODEL_TIMESERIES_busy_mean))
          continue;
        struct sim_tally tally;
        sim_tally_init(&tally);
        for (size_t i = 0; i < n; i++) {
          double x = results[i].timeseries[(d * m->nintervals + k) * MODEL_TIMESERIES_NCOLS + c];
          if (!isnan(x))
            sim_tally_add(&tally, x);
        }
        sim_csv_str(csv, scope);
        sim_csv_num(csv, k * m->interval);
        sim_csv_str(csv, clock);
        sim_csv_str(csv, model_timeseries_columns[c]);
        report_stats_columns(csv, &tally);
      }
    }
  }
}

static void write_stats(struct sim_csv *csv, const struct table t[3],
                        const struct model_result *results, size_t n)
{
  static const char *const header[] = {"scope", "metric", "mean", "sd",
                                       "ci95_low", "ci95_high", "n", NULL};
  sim_csv_header(csv, header);
  for (size_t k = 0; k < 3; k++)
    for (size_t r = 0; r < t[k].nrows; r++) {
      char scope[256];
      if (t[k].key_column)
        snprintf(scope, sizeof scope, "%s:%s", t[k].key_column, t[k].keys[r]);
      else
        snprintf(scope, sizeof scope, "summary");
      for (size_t c = 0; c < t[k].ncols; c++) {
        struct sim_tally tally = report_across(&t[k], r, c, results, n);
        sim_csv_str(csv, scope);
        sim_csv_str(csv, t[k].columns[c]);
        report_stats_columns(csv, &tally);
      }
    }
}

/* The distribution of journeys' total waits over all replications: one row
 * per histogram bucket that holds customers (see sim/stats.h). */
static void write_waits(struct sim_csv *csv, const struct sim_sketch *w)
{
  static const char *const header[] = {"wait", "customers", "share",
                                       "cumulative", NULL};
  sim_csv_header(csv, header);
  double n = (double)w->n, seen = 0;
  uint64_t zeros = sim_sketch_zeros(w);
  if (zeros) {
    seen += (double)zeros;
    sim_csv_num(csv, 0);
    sim_csv_int(csv, (int64_t)zeros);
    sim_csv_num(csv, (double)zeros / n);
    sim_csv_num(csv, seen / n);
    sim_csv_end_row(csv);
  }
  for (size_t i = w->lo; i < w->hi; i++) {
    uint64_t count = sim_sketch_count(w, i);
    if (!count)
      continue;
    seen += (double)count;
    sim_csv_num(csv, sim_sketch_bucket_middle(i));
    sim_csv_int(csv, (int64_t)count);
    sim_csv_num(csv, (double)count / n);
    sim_csv_num(csv, seen / n);
    sim_csv_end_row(csv);
  }
}

/* ---- journeys.csv ----------------------------------------------------------- */

/* The paths shown on their own; the others are joined as path=other. */
enum { REPORT_PATHS = 20 };

/* The groups of journeys.csv: by handoffs (always four), then the most
 * frequent paths over all replications together (so that every
 * replication has the same groups, and stats.csv can take a path across
 * them), then path=other when any journey falls there. rows holds
 * n x ngroups rows of MODEL_JOURNEY_NCOLS. */
struct journey_groups {
  size_t ngroups;
  char **names;
  double *rows;
};

struct path_total {
  uint64_t path, customers;
};

static int by_path(const void *a, const void *b)
{
  const struct path_total *x = a, *y = b;
  return x->path < y->path ? -1 : x->path > y->path;
}

/* More customers first; equal counts in the order of their codes (which
 * is deterministic whatever order replications finished in). */
static int by_customers(const void *a, const void *b)
{
  const struct path_total *x = a, *y = b;
  if (x->customers != y->customers)
    return x->customers > y->customers ? -1 : 1;
  return by_path(a, b);
}

static char *path_name(const struct model *m, uint64_t path)
{
  size_t len = 8;
  for (uint64_t p = path; p; p >>= 4)
    len += strlen(m->departments[(p & 0xf) - 1].name) + 1;
  char *s = sim_xmalloc(len);
  size_t at = (size_t)snprintf(s, len, "path=");
  for (uint64_t p = path; p; p >>= 4)
    at += (size_t)snprintf(s + at, len - at, "%s%s", p == path ? "" : ">",
                           m->departments[(p & 0xf) - 1].name);
  return s;
}

static const struct model_group *group_of_path(const struct model_result *r,
                                               uint64_t path)
{
  for (size_t k = 0; k < r->npaths; k++)
    if (r->paths[k].path == path)
      return &r->paths[k].group;
  return NULL;
}

static void journey_groups_init(struct journey_groups *jg, const struct model *m,
                                const struct model_result *results, size_t n)
{
  /* Every path of every replication with its customers over all. */
  size_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += results[i].npaths;
  struct path_total *all = sim_xcalloc(total ? total : 1, sizeof *all);
  size_t nall = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < results[i].npaths; k++)
      if (results[i].paths[k].path != MODEL_PATH_OTHER)
        all[nall++] = (struct path_total){results[i].paths[k].path,
                                          results[i].paths[k].group.customers};
  qsort(all, nall, sizeof *all, by_path);
  size_t distinct = 0;
  for (size_t k = 0; k < nall; k++) {
    if (distinct && all[distinct - 1].path == all[k].path)
      all[distinct - 1].customers += all[k].customers;
    else
      all[distinct++] = all[k];
  }
  qsort(all, distinct, sizeof *all, by_customers);
  size_t shown = distinct < REPORT_PATHS ? distinct : REPORT_PATHS;

  /* Is anyone left for path=other? */
  bool other = false;
  for (size_t i = 0; i < n && !other; i++)
    for (size_t k = 0; k < results[i].npaths && !other; k++) {
      bool top = false;
      for (size_t t = 0; t < shown && !top; t++)
        top = all[t].path == results[i].paths[k].path;
      other = !top && results[i].paths[k].group.customers > 0;
    }

  jg->ngroups = MODEL_HANDOFF_GROUPS + shown + other;
  jg->names = sim_xcalloc(jg->ngroups, sizeof *jg->names);
  static const char *const handoffs[MODEL_HANDOFF_GROUPS] = {
    "handoffs=0", "handoffs=1", "handoffs=2", "handoffs=3+"};
  for (size_t g = 0; g < MODEL_HANDOFF_GROUPS; g++)
    jg->names[g] = sim_xstrdup(handoffs[g]);
  for (size_t t = 0; t < shown; t++)
    jg->names[MODEL_HANDOFF_GROUPS + t] = path_name(m, all[t].path);
  if (other)
    jg->names[jg->ngroups - 1] = sim_xstrdup("path=other");

  jg->rows = sim_xcalloc(n * jg->ngroups * MODEL_JOURNEY_NCOLS, sizeof *jg->rows);
  for (size_t i = 0; i < n; i++) {
    const struct model_result *r = &results[i];
    double *row = jg->rows + i * jg->ngroups * MODEL_JOURNEY_NCOLS;
    for (size_t g = 0; g < MODEL_HANDOFF_GROUPS; g++)
      model_group_columns(&r->handoff_groups[g], row + g * MODEL_JOURNEY_NCOLS);
    /* A path that a replication never saw is a row of 0 customers. */
    for (size_t t = 0; t < shown; t++) {
      const struct model_group *found = group_of_path(r, all[t].path);
      struct model_group none = {0};
      model_group_columns(found ? found : &none,
                          row + (MODEL_HANDOFF_GROUPS + t) * MODEL_JOURNEY_NCOLS);
    }
    if (other) {
      struct model_group left = {0};
      for (size_t k = 0; k < r->npaths; k++) {
        bool top = false;
        for (size_t t = 0; t < shown && !top; t++)
          top = all[t].path == r->paths[k].path;
        if (!top)
          model_group_merge(&left, &r->paths[k].group);
      }
      model_group_columns(&left, row + (jg->ngroups - 1) * MODEL_JOURNEY_NCOLS);
    }
  }
  free(all);
}

static void journey_groups_fini(struct journey_groups *jg)
{
  for (size_t g = 0; g < jg->ngroups; g++)
    free(jg->names[g]);
  free(jg->names);
  free(jg->rows);
}

static void write_journeys(struct sim_csv *csv, const struct journey_groups *jg,
                           size_t n)
{
  sim_csv_str(csv, "replication");
  sim_csv_str(csv, "group");
  sim_csv_header(csv, model_journey_columns);
  for (size_t i = 0; i < n; i++)
    for (size_t g = 0; g < jg->ngroups; g++) {
      const double *row = jg->rows + (i * jg->ngroups + g) * MODEL_JOURNEY_NCOLS;
      sim_csv_int(csv, (int64_t)i + 1);
      sim_csv_str(csv, jg->names[g]);
      for (size_t c = 0; c < MODEL_JOURNEY_NCOLS; c++)
        sim_csv_num(csv, row[c]);
      sim_csv_end_row(csv);
    }
}

/* stats.csv's rows of scope journeys:GROUP, as the others (after them). */
static void write_journey_stats(struct sim_csv *csv, const struct journey_groups *jg,
                                size_t n)
{
  for (size_t g = 0; g < jg->ngroups; g++) {
    char scope[64 + 4096];
    snprintf(scope, sizeof scope, "journeys:%s", jg->names[g]);
    for (size_t c = 0; c < MODEL_JOURNEY_NCOLS; c++) {
      struct sim_tally tally;
      sim_tally_init(&tally);
      for (size_t i = 0; i < n; i++) {
        double x = jg->rows[(i * jg->ngroups + g) * MODEL_JOURNEY_NCOLS + c];
        if (!isnan(x))
          sim_tally_add(&tally, x);
      }
      sim_csv_str(csv, scope);
      sim_csv_str(csv, model_journey_columns[c]);
      report_stats_columns(csv, &tally);
    }
  }
}

/* What was run: the facts a figure needs (title, units, threshold). */
void report_about_rows(struct sim_csv *csv, const struct model *m, size_t n)
{
  static const char *const header[] = {"key", "value", NULL};
  sim_csv_header(csv, header);
  char clock[32];
  report_clock(clock, sizeof clock, m, 0);
  /* The seed in full: as a number of 10 digits two seeds could read the
   * same, and loket compare takes equal seeds for common random numbers. */
  char seed[32];
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->seed);
  struct { const char *key; const char *text; double number; } rows[] = {
    {"name", m->name, 0}, {"time_unit", m->time_unit, 0}, {"opens", clock, 0},
    {"horizon", NULL, m->horizon}, {"interval", NULL, m->interval},
    {"service_level_within", NULL, m->service_level_within},
    {"service_level_target", NULL, m->service_level_target},
    {"replications", NULL, (double)n}, {"seed", seed, 0},
    {"departments", NULL, (double)m->ndepartments},
    {"output_version", NULL, REPORT_OUTPUT_VERSION},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    sim_csv_str(csv, rows[i].key);
    if (rows[i].text)
      sim_csv_str(csv, rows[i].text);
    else
      sim_csv_num(csv, rows[i].number);
    sim_csv_end_row(csv);
  }
  /* What the figures show: `loket plot` reads these back by key. The
   * staffing figure's target is the plan's: with a staffing: block its
   * target.service_level (empty: the plan has none), without one the
   * day's service_level.target, which the plan then aims at. */
  if (m->staffing.present) {
    sim_csv_str(csv, "staffing_target_service_level");
    sim_csv_num(csv, m->staffing.target_service_level);
    sim_csv_end_row(csv);
  }
  if (m->currency) {
    sim_csv_str(csv, "currency");
    sim_csv_str(csv, m->currency);
    sim_csv_end_row(csv);
  }
  for (size_t i = 0; i < m->nlabels; i++) {
    size_t len = strlen(m->labels[i].key) + 8;
    char *key = sim_xmalloc(len);
    snprintf(key, len, "label:%s", m->labels[i].key);
    sim_csv_str(csv, key);
    sim_csv_str(csv, m->labels[i].text);
    sim_csv_end_row(csv);
    free(key);
  }
}

int report_remove_stale(const char *dir, const char *name, const char *what,
                        char *err, size_t errlen)
{
  size_t len = strlen(dir) + strlen(name) + 2;
  char *stale = sim_xmalloc(len);
  snprintf(stale, len, "%s/%s", dir, name);
  int rc = 0;
  if (unlink(stale) != 0 && errno != ENOENT) {
    snprintf(err, errlen, "cannot remove '%s', left by an earlier run %s: %s",
             stale, what, strerror(errno));
    rc = -1;
  }
  free(stale);
  return rc;
}

int report_write_run(const char *dir, const struct model *m,
                     const struct model_result *results, size_t n,
                     const struct sim_sketch *waits, struct sim_csv *also,
                     char *err, size_t errlen)
{
  const char **dept_names = sim_xcalloc(m->ndepartments, sizeof *dept_names);
  const char **class_names = sim_xcalloc(m->nclasses, sizeof *class_names);
  struct table t[3];
  report_tables(m, t, dept_names, class_names);
  struct journey_groups jg;
  journey_groups_init(&jg, m, results, n);

  static const char *const names[] = {"summary.csv", "departments.csv",
                                      "classes.csv", "stats.csv", "timeseries.csv",
                                      "waits.csv", "about.csv",
                                      "timeseries_stats.csv", "journeys.csv",
                                      "pools.csv"};
  enum { FILES = sizeof names / sizeof names[0] };
  struct sim_csv csv[FILES];
  int rc = 0;
  size_t opened = 0;
  /* pools.csv, the last, only for a scenario with pools. */
  size_t files = m->npools ? FILES : FILES - 1;
  for (; opened < files; opened++) {
    if (sim_csv_open(&csv[opened], dir, names[opened]) != 0) {
      snprintf(err, errlen, "%s", csv[opened].error);
      sim_csv_abort(&csv[opened]);
      rc = -1;
      break;
    }
    if (opened < 3)
      write_table(&csv[opened], &t[opened], results, n);
    else if (opened == 3) {
      write_stats(&csv[opened], t, results, n);
      report_pool_stats(&csv[opened], m, results, n);
      write_journey_stats(&csv[opened], &jg, n);
    }
    else if (opened == 4)
      write_timeseries(&csv[opened], m, results, n);
    else if (opened == 5)
      write_waits(&csv[opened], waits);
    else if (opened == 6)
      report_about_rows(&csv[opened], m, n);
    else if (opened == 7)
      write_timeseries_stats(&csv[opened], m, results, n);
    else if (opened == 8)
      write_journeys(&csv[opened], &jg, n);
    else
      report_write_pools(&csv[opened], m, results, n);
  }
  /* Every file is complete under its temporary name before any is renamed,
   * so a failure leaves none of the new files. */
  if (rc == 0) {
    /* `also` first: written first, its last rows are the likeliest to
     * meet a full disk, and its error the one to report. */
    struct sim_csv *all[FILES + 1];
    size_t nall = 0;
    if (also)
      all[nall++] = also;
    for (size_t i = 0; i < opened; i++)
      all[nall++] = &csv[i];
    const struct sim_csv *failed = NULL;
    if (sim_csv_commit_all(all, nall, &failed) != 0) {
      snprintf(err, errlen, "%s", failed->error);
      rc = -1;
    }
  }
  for (size_t i = 0; i < opened; i++)
    sim_csv_abort(&csv[i]);
  /* A pools.csv left by an earlier run into this folder would describe
   * pools this run did not have (and loket compare would read it). */
  if (rc == 0 && !m->npools)
    rc = report_remove_stale(dir, "pools.csv", "with pools", err, errlen);
  journey_groups_fini(&jg);
  free(dept_names);
  free(class_names);
  return rc;
}
