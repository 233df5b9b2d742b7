/* The figures of a sweep folder: each metric against the first varied
 * parameter, and the cost-satisfaction trade-off (see cli/plot.h). The
 * varied parameters and their values come from sweep-plan.csv; sweep.csv
 * must hold one row per point, in the plan's order, with the plan's
 * values, and its metric columns are found by name. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/gnuplot.h"
#include "cli/plot_parts.h"
#include "cli/sweep_plan.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

static const struct metric {
  const char *metric, *label, *file;
  double scale;
} metrics[] = {
  {"wait_mean", "mean wait", "sweep-wait", 1},
  {"service_level", "service level (%)", "sweep-service_level", 100},
  {"abandoned", "customers who gave up", "sweep-abandoned", 1},
  {"satisfaction_mean", "satisfaction (0-10)", "sweep-satisfaction", 1},
  {"staff_cost", "staff cost per replication", "sweep-staff_cost", 1},
  {"utilization", "utilization (%)", "sweep-utilization", 100},
};
enum { NMETRICS = sizeof metrics / sizeof metrics[0] };

/* sweep.csv in memory: per point and metric its mean and half-width
 * (NaN where absent). */
struct sweep_table {
  const struct sweep_plan *plan;
  bool has[NMETRICS];
  double *mean, *half;      /* npoints x NMETRICS */
};

static int read_table(const char *dir, struct sweep_table *t, char *err, size_t errlen)
{
  const struct sweep_plan *p = t->plan;
  size_t len = strlen(dir) + 16;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/sweep.csv", dir);
  struct sim_csv_reader r;
  int rc = sim_csv_reader_open(&r, path);
  free(path);
  int *axis = sim_xcalloc(p->naxes, sizeof *axis);
  int mean_col[NMETRICS], half_col[NMETRICS];
  for (size_t a = 0; rc == 0 && a < p->naxes; a++)
    if ((axis[a] = sim_csv_reader_require(&r, p->axes[a].path)) < 0)
      rc = -1;
  for (size_t m = 0; rc == 0 && m < NMETRICS; m++) {
    char name[96];
    snprintf(name, sizeof name, "%s_mean", metrics[m].metric);
    mean_col[m] = sim_csv_reader_column(&r, name);
    snprintf(name, sizeof name, "%s_ci95", metrics[m].metric);
    half_col[m] = sim_csv_reader_column(&r, name);
    t->has[m] = mean_col[m] >= 0 && half_col[m] >= 0;
  }
  t->mean = sim_xcalloc(p->npoints * NMETRICS, sizeof *t->mean);
  t->half = sim_xcalloc(p->npoints * NMETRICS, sizeof *t->half);
  size_t point = 0;
  int got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    if (point == p->npoints) {
      rc = sim_csv_reader_fail(&r, "more rows than the %zu points of sweep-plan.csv",
                               p->npoints);
      break;
    }
    for (size_t a = 0; rc == 0 && a < p->naxes; a++) {
      const char *want = p->axes[a].values[sweep_plan_value(p, point, a)];
      if (strcmp(sim_csv_reader_field(&r, (size_t)axis[a]), want) != 0)
        rc = sim_csv_reader_fail(&r, "column '%.60s' should be '%.60s' (point %zu of "
                                     "sweep-plan.csv)", p->axes[a].path, want, point + 1);
    }
    for (size_t m = 0; rc == 0 && m < NMETRICS; m++) {
      double *mean = &t->mean[point * NMETRICS + m], *half = &t->half[point * NMETRICS + m];
      *mean = *half = NAN;
      if (t->has[m] &&
          (sim_csv_reader_num(&r, (size_t)mean_col[m], true, mean) != 0 ||
           sim_csv_reader_num(&r, (size_t)half_col[m], true, half) != 0))
        rc = -1;
    }
    point++;
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc == 0 && point != p->npoints)
    rc = sim_csv_reader_fail(&r, "%zu rows, but sweep-plan.csv has %zu points", point,
                             p->npoints);
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  free(axis);
  return rc;
}

/* Text joined from parts: series titles and point labels. */
struct text {
  char *s;
  size_t len;
};

static void text_add(struct text *t, const char *a, const char *b, const char *c)
{
  const char *parts[3] = {a, b, c};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(parts[i]);
    t->s = sim_xrealloc(t->s, t->len + n + 1, 1);
    memcpy(t->s + t->len, parts[i], n + 1);
    t->len += n;
  }
}

/* The metric against the first varied parameter, one block per
 * combination of the others: x, label, mean, low, high. Numeric values
 * are placed at their value, others at their position. The series are
 * named series1, series2, ... in `v`. */
static void write_series(FILE *f, const struct sweep_table *t, size_t m,
                         struct gp_vars *v, size_t *nseries)
{
  const struct sweep_plan *p = t->plan;
  const struct model_axis *first = &p->axes[0];
  bool numeric = true;
  for (size_t i = 0; i < first->nvalues; i++) {
    char *end;
    strtod(first->values[i], &end);
    numeric &= *first->values[i] && !*end;
  }
  /* The first axis varies slowest: series k is every point whose index
   * modulo `series` is k. */
  size_t per = first->nvalues, series = p->npoints / per;
  for (size_t k = 0; k < series; k++) {
    struct text title = {0};
    for (size_t a = 1; a < p->naxes; a++) {
      text_add(&title, a > 1 ? ", " : "", p->axes[a].path, "=");
      text_add(&title, p->axes[a].values[sweep_plan_value(p, k, a)], "", "");
    }
    char key[32];
    snprintf(key, sizeof key, "series%zu", k + 1);
    gp_string(v, key, title.s && title.len ? title.s : "mean");
    free(title.s);
    for (size_t i = 0; i < per; i++) {
      size_t point = i * series + k;
      double mean = t->mean[point * NMETRICS + m], half = t->half[point * NMETRICS + m];
      if (isnan(half))
        half = 0;
      if (numeric)
        fputs(first->values[i], f);
      else
        fprintf(f, "%zu", i);
      fputc(',', f);
      gp_data_label(f, first->values[i]);
      fprintf(f, ",%.10g,%.10g,%.10g\n", mean, mean - half, mean + half);
    }
    fputs("\n\n", f);
  }
  *nseries = series;
}

struct by_cost { double cost; size_t point; };

static int cmp_cost(const void *a, const void *b)
{
  const struct by_cost *x = a, *y = b;
  if (isnan(x->cost) != isnan(y->cost))
    return isnan(x->cost) ? 1 : -1;  /* undefined costs last */
  if (x->cost < y->cost || x->cost > y->cost)
    return x->cost < y->cost ? -1 : 1;
  return x->point < y->point ? -1 : x->point > y->point;
}

/* Cost against satisfaction, every point; column 4 marks the efficient
 * points (no other point is at most as costly and at least as satisfying,
 * and better in one), which are listed again in cost order in block 1. */
static void write_tradeoff(FILE *f, const struct sweep_table *t, size_t cost_m,
                           size_t sat_m)
{
  const struct sweep_plan *p = t->plan;
  size_t n = p->npoints;
  struct by_cost *order = sim_xcalloc(n, sizeof *order);
  bool *efficient = sim_xcalloc(n, sizeof *efficient);
  for (size_t i = 0; i < n; i++)
    order[i] = (struct by_cost){t->mean[i * NMETRICS + cost_m], i};
  qsort(order, n, sizeof *order, cmp_cost);
  /* In cost order, a point is efficient when it is more satisfying than
   * every cheaper one (ties in cost: the most satisfying of them). */
  double best = -INFINITY;
  for (size_t k = 0; k < n;) {
    size_t end = k;
    double top = -INFINITY;
    while (end < n && order[end].cost == order[k].cost)
      top = fmax(top, t->mean[order[end++].point * NMETRICS + sat_m]);
    for (size_t j = k; j < end; j++) {
      double s = t->mean[order[j].point * NMETRICS + sat_m];
      efficient[order[j].point] = s == top && s > best;
    }
    best = fmax(best, top);
    k = end;
  }
  for (int block = 0; block < 2; block++) {
    for (size_t k = 0; k < n; k++) {
      size_t point = order[k].point;
      if (block == 1 && !efficient[point])
        continue;
      struct text label = {0};
      for (size_t a = 0; a < p->naxes; a++)
        text_add(&label, a ? ", " : "", p->axes[a].values[sweep_plan_value(p, point, a)],
                 "");
      fprintf(f, "%.10g,%.10g,", t->mean[point * NMETRICS + cost_m],
              t->mean[point * NMETRICS + sat_m]);
      gp_data_label(f, label.s ? label.s : "");
      fprintf(f, ",%d\n", efficient[point] ? 1 : 0);
      free(label.s);
    }
    fputs("\n\n", f);
  }
  free(order);
  free(efficient);
}

int plot_sweep(const char *dir, const char *outdir, const char *fmt,
               const char *scripts, const char *gnuplot, char *err, size_t errlen,
               int *figures)
{
  struct plot_about f;
  struct sweep_plan plan = {0};
  struct sweep_table t = {.plan = &plan};
  struct gp_vars v;
  gp_vars_init(&v);
  char *data = NULL;
  int rc = 2;
  if (plot_about_read(dir, &f, err, errlen) != 0)
    goto done;
  if (sweep_plan_read(&plan, dir, err, errlen) != 0 ||
      read_table(dir, &t, err, errlen) != 0)
    goto done;
  rc = 1;
  if (sim_mkdir_p(outdir) != 0) {
    snprintf(err, errlen, "cannot create '%s': %s", outdir, strerror(errno));
    goto done;
  }
  char sub[256];
  snprintf(sub, sizeof sub, "%llu replications per point; bands: 95%% confidence "
           "intervals; common random numbers", (unsigned long long)f.replications);
  for (size_t m = 0; m < NMETRICS; m++) {
    /* Nothing to show (no one gave up, say, or no one was served). */
    bool all_zero = true;
    for (size_t i = 0; t.has[m] && i < plan.npoints; i++) {
      double x = t.mean[i * NMETRICS + m];
      all_zero &= x == 0 || isnan(x);
    }
    if (!t.has[m] || all_zero)
      continue;
    FILE *out = gp_data_create(outdir, "sweep", &data, err, errlen);
    if (!out)
      goto done;
    size_t nseries;
    write_series(out, &t, m, &v, &nseries);
    if (ferror(out) | fclose(out)) {
      snprintf(err, errlen, "cannot write '%s': %s", data, strerror(errno));
      goto done;
    }
    struct text title = {0}, ylabel = {0};
    text_add(&title, f.name, ": ", metrics[m].label);
    text_add(&title, " against ", plan.axes[0].path, "");
    text_add(&ylabel, metrics[m].label, "", "");
    if (!strcmp(metrics[m].metric, "wait_mean"))
      text_add(&ylabel, " (", f.unit, ")");
    gp_title(&v, "title", title.s);
    gp_title(&v, "sub", sub);
    gp_string(&v, "data", data);
    gp_string(&v, "xlabel", plan.axes[0].path);
    gp_string(&v, "ylabel", ylabel.s);
    gp_number(&v, "nseries", (double)nseries);
    gp_number(&v, "scale", metrics[m].scale);
    free(title.s);
    free(ylabel.s);
    bool ok = gp_draw(gnuplot, scripts, "sweep_metric", &v, outdir, metrics[m].file,
                      fmt, err, errlen);
    gp_vars_fini(&v);
    gp_vars_init(&v);
    unlink(data);
    free(data);
    data = NULL;
    if (!ok)
      goto done;
    (*figures)++;
  }
  size_t cost = 4, sat = 3;  /* staff_cost, satisfaction_mean in metrics[] */
  bool some_point = false;     /* with both defined (someone was served) */
  for (size_t i = 0; t.has[cost] && t.has[sat] && i < plan.npoints; i++)
    some_point |= !isnan(t.mean[i * NMETRICS + cost]) && !isnan(t.mean[i * NMETRICS + sat]);
  if (some_point) {
    FILE *out = gp_data_create(outdir, "sweep", &data, err, errlen);
    if (!out)
      goto done;
    write_tradeoff(out, &t, cost, sat);
    if (ferror(out) | fclose(out)) {
      snprintf(err, errlen, "cannot write '%s': %s", data, strerror(errno));
      goto done;
    }
    struct text title = {0}, tsub = {0};
    text_add(&title, f.name, ": staff cost against satisfaction", "");
    text_add(&tsub, "each point a setting (", "", "");
    for (size_t a = 0; a < plan.naxes; a++)
      text_add(&tsub, a ? ", " : "", plan.axes[a].path, "");
    text_add(&tsub, "); efficient settings (none cheaper and better) joined", "", "");
    gp_title(&v, "title", title.s);
    gp_title(&v, "sub", tsub.s);
    gp_string(&v, "data", data);
    free(title.s);
    free(tsub.s);
    if (!gp_draw(gnuplot, scripts, "tradeoff", &v, outdir, "tradeoff", fmt, err, errlen))
      goto done;
    (*figures)++;
  }
  rc = 0;
done:
  if (data) {
    unlink(data);
    free(data);
  }
  plot_about_fini(&f);
  sweep_plan_fini(&plan);
  free(t.mean);
  free(t.half);
  gp_vars_fini(&v);
  return rc;
}
