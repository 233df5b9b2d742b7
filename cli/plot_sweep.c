/* The figures of a sweep folder: each metric against a varied parameter,
 * and a trade-off between two metrics (see cli/plot.h). The varied
 * parameters and their values come from sweep-plan.csv; sweep.csv must
 * hold one row per point, in the plan's order, with the plan's values, and
 * its metric columns are found by name. What the figures call things comes
 * from about.csv (the scenario's labels and currency). */
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
#include "models/metrics.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

/* Every summary metric: its name on a figure, its scale (shares are shown
 * in %), what it is measured in, which way is better (for the efficient
 * frontier: +1 higher, -1 lower, 0 neither), and the file of its own
 * figure (NULL: none, but it may be an axis of the trade-off). */
enum unit { PLAIN, TIME, MONEY, SHARE };
static const struct metric {
  const char *metric, *label;
  enum unit unit;
  int better;
  const char *file;
} metrics[] = {
  {"arrivals", "arrivals", PLAIN, 0, NULL},
  {"served", "customers served", PLAIN, 1, NULL},
  {"abandoned", "customers who gave up", PLAIN, -1, "sweep-abandoned"},
  {"balked", "customers who turned away", PLAIN, -1, NULL},
  {"blocked", "customers turned away by a full room", PLAIN, -1, NULL},
  {"wait_mean", "mean wait", TIME, -1, "sweep-wait"},
  {"wait_p50", "median wait", TIME, -1, NULL},
  {"wait_p90", "90th percentile of the wait", TIME, -1, NULL},
  {"wait_p95", "95th percentile of the wait", TIME, -1, NULL},
  {"wait_p99", "99th percentile of the wait", TIME, -1, NULL},
  {"service_level", "service level", SHARE, 1, "sweep-service_level"},
  {"sojourn_mean", "mean time in the building", TIME, -1, NULL},
  {"visits_mean", "visits per journey", PLAIN, 0, NULL},
  {"handoffs_mean", "handoffs per journey", PLAIN, -1, NULL},
  {"satisfaction_mean", "satisfaction (0-10)", PLAIN, 1, "sweep-satisfaction"},
  {"utilization", "utilization", SHARE, 0, "sweep-utilization"},
  {"staff_cost", "staff cost", MONEY, -1, "sweep-staff_cost"},
  {"sent_away", "customers sent away at closing", PLAIN, -1, NULL},
  {"retrials", "retrials", PLAIN, -1, NULL},
  {"satisfaction_low", "share with low satisfaction (0-6)", SHARE, -1, NULL},
  {"satisfaction_mid", "share with middle satisfaction (7-8)", SHARE, 0, NULL},
  {"satisfaction_high", "share with high satisfaction (9-10)", SHARE, 1, NULL},
  {"service_level_alt", "service level (abandoned early left out)", SHARE, 1, NULL},
};
enum { NMETRICS = sizeof metrics / sizeof metrics[0] };

static size_t metric_index(const char *name)
{
  for (size_t m = 0; m < NMETRICS; m++)
    if (!strcmp(metrics[m].metric, name))
      return m;
  return NMETRICS;
}

/* Text joined from parts: titles, series names and point labels. */
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

/* A metric as a figure names it: the scenario's label for the metric, or
 * ours, with its unit ("mean wait (minutes)", "staff cost per day (EUR)",
 * "service level (%)"). Free it. */
static char *metric_name(const struct plot_about *f, size_t m)
{
  const char *label = plot_label(f, metrics[m].metric);
  struct text t = {0};
  text_add(&t, label ? label : metrics[m].label, "", "");
  if (metrics[m].unit == TIME)
    text_add(&t, " (", f->unit, ")");
  else if (metrics[m].unit == MONEY && f->currency)
    text_add(&t, " (", f->currency, ")");
  else if (metrics[m].unit == SHARE)
    text_add(&t, " (%)", "", "");
  return t.s;
}

static double metric_scale(size_t m)
{
  return metrics[m].unit == SHARE ? 100 : 1;
}

/* An interval's end as shown: every summary metric is >= 0 and a share
 * at most 100 %, so an interval is cut there (a normal interval of three
 * replications may well reach below 0). */
static double shown_end(size_t m, double x)
{
  x = fmax(x, 0);
  return metrics[m].unit == SHARE ? fmin(x, 100) : x;
}

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

/* ---- one metric against a varied parameter -------------------------------- */

/* At most this many series share one panel, with their bands; more become
 * small multiples (one panel each), and beyond SWEEP_MAX_PANELS lines
 * without bands or a key in one panel, as panels would be too small to
 * read. */
#define SWEEP_MAX_OVERLAID 4
#define SWEEP_MAX_PANELS 16

static bool numeric_values(const struct model_axis *axis)
{
  for (size_t i = 0; i < axis->nvalues; i++) {
    char *end;
    strtod(axis->values[i], &end);
    if (!*axis->values[i] || *end)
      return false;
  }
  return true;
}

/* The x axis of the metric figures: the first varied parameter with
 * numbers for values (a scale), else the first that is not the variants
 * (named settings), else the variants. The other parameters make the
 * series; if they would make more than SWEEP_MAX_PANELS, the parameter
 * with the most values is the x axis instead (2 staffings x 1000 rates: 2
 * lines over the rates). */
static size_t x_axis(const struct sweep_plan *p)
{
  size_t first = p->nvariants && p->naxes > 1 ? 1 : 0, most = first;
  for (size_t a = first; a < p->naxes; a++)
    if (numeric_values(&p->axes[a])) {
      first = most = a;
      break;
    }
  if (p->npoints / p->axes[first].nvalues <= SWEEP_MAX_PANELS)
    return first;
  for (size_t a = 0; a < p->naxes; a++)
    if (p->axes[a].nvalues > p->axes[most].nvalues)
      most = a;
  return most;
}

/* Series k of the points: every combination of the parameters other than
 * x, in the plan's order; point(k, i) is its point at x value i. */
static size_t series_point(const struct sweep_plan *p, size_t xa, size_t k, size_t i)
{
  size_t stride = 1;
  for (size_t a = xa + 1; a < p->naxes; a++)
    stride *= p->axes[a].nvalues;
  /* k splits into the axes before x (high part) and after x (low part). */
  return (k / stride) * stride * p->axes[xa].nvalues + i * stride + k % stride;
}

/* A series' name: "lunch-cut, arrival rate = 2.4" (a variant by its name,
 * a parameter by its label). Free it. */
static char *series_name(const struct plot_about *f, const struct sweep_plan *p,
                         size_t xa, size_t point)
{
  struct text t = {0};
  for (size_t a = 0; a < p->naxes; a++) {
    if (a == xa)
      continue;
    const char *value = p->axes[a].values[sweep_plan_value(p, point, a)];
    text_add(&t, t.len ? ", " : "", "", "");
    if (p->nvariants && a == 0) {
      text_add(&t, value, "", "");
    } else {
      char *name = plot_path_name(f, p->axes[a].path);
      text_add(&t, name, " = ", value);
      free(name);
    }
  }
  if (!t.s)
    text_add(&t, "mean and 95% interval", "", "");
  return t.s;
}

/* The metric against the x axis, one block per series: x, label, mean,
 * low, high (shown units). Numeric values are placed at their value,
 * others at their position. The series are named series1, series2, ... in
 * `v`; the range of every band in *lo, *hi. */
/* Whether the sweep's points have targets of their own (service_level or
 * its target varied, or set by a variant): then about.csv's target, the
 * base scenario's, is no point's, and no target line is drawn. */
static bool target_varies(const struct sweep_plan *p)
{
  for (size_t a = 0; a < p->naxes; a++)
    if (!strcmp(p->axes[a].path, "service_level.target") ||
        !strcmp(p->axes[a].path, "service_level"))
      return true;
  for (size_t i = 0; i < p->nvariants; i++)
    for (size_t k = 0; k < p->variants[i].nsets; k++)
      if (!strncmp(p->variants[i].sets[k], "service_level.target=", 21) ||
          !strncmp(p->variants[i].sets[k], "service_level=", 14))
        return true;
  return false;
}

static void write_series(FILE *out, const struct plot_about *f, const struct sweep_table *t,
                         size_t m, size_t xa, struct gp_vars *v, size_t *nseries,
                         double *lo, double *hi)
{
  const struct sweep_plan *p = t->plan;
  const struct model_axis *x = &p->axes[xa];
  bool numeric = numeric_values(x);
  size_t per = x->nvalues, series = p->npoints / per;
  double scale = metric_scale(m);
  *lo = INFINITY;
  *hi = -INFINITY;
  for (size_t k = 0; k < series; k++) {
    char *name = series_name(f, p, xa, series_point(p, xa, k, 0));
    char key[32];
    snprintf(key, sizeof key, "series%zu", k + 1);
    gp_string(v, key, name);
    free(name);
    for (size_t i = 0; i < per; i++) {
      size_t point = series_point(p, xa, k, i);
      double mean = t->mean[point * NMETRICS + m], half = t->half[point * NMETRICS + m];
      if (isnan(half))
        half = 0;
      if (numeric)
        fputs(x->values[i], out);
      else
        fprintf(out, "%zu", i);
      fputc(',', out);
      gp_data_label(out, x->values[i]);
      double low = shown_end(m, (mean - half) * scale), high = shown_end(m, (mean + half) * scale);
      fprintf(out, ",%.10g,%.10g,%.10g\n", mean * scale, low, high);
      if (!isnan(mean)) {
        *lo = fmin(*lo, low);
        *hi = fmax(*hi, high);
      }
    }
    fputs("\n\n", out);
  }
  if (!(*lo <= *hi))
    *lo = *hi = 0;
  gp_number(v, "numeric", numeric ? 1 : 0);
  double xlo = numeric ? INFINITY : 0, xhi = numeric ? -INFINITY : (double)per - 1;
  for (size_t i = 0; numeric && i < per; i++) {
    xlo = fmin(xlo, strtod(x->values[i], NULL));
    xhi = fmax(xhi, strtod(x->values[i], NULL));
  }
  gp_number(v, "xlow", xlo);
  gp_number(v, "xhigh", xhi);
  /* Each value named on the axis, unless there are too many to read;
   * long names are set at a slant. */
  gp_number(v, "ticks", !numeric || per <= 12 ? 1 : 0);
  size_t longest = 0;
  for (size_t i = 0; i < per; i++)
    longest = strlen(x->values[i]) > longest ? strlen(x->values[i]) : longest;
  gp_number(v, "slant", !numeric && longest > 10 ? 1 : 0);
  *nseries = series;
}

/* ---- the trade-off ------------------------------------------------------- */

struct by_x { double x, y; size_t point; };

static int cmp_x(const void *a, const void *b)
{
  const struct by_x *p = a, *q = b;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return p->point < q->point ? -1 : p->point > q->point;
}

/* Every point (x, y, their 95 % intervals, label, efficient) in block 0;
 * the efficient ones again in block 1, in order of x. A point is efficient
 * when no other point is at least as good on both axes and better on one
 * ("good" as the metric's direction says; with a metric of no direction
 * there is no frontier and nothing is marked). */
static size_t write_tradeoff(FILE *out, const struct sweep_table *t, size_t xm, size_t ym,
                             double range[4])
{
  range[0] = range[2] = INFINITY;
  range[1] = range[3] = -INFINITY;
  const struct sweep_plan *p = t->plan;
  size_t n = p->npoints, nefficient = 0;
  struct by_x *order = sim_xcalloc(n, sizeof *order);
  bool *efficient = sim_xcalloc(n, sizeof *efficient);
  double sx = metric_scale(xm), sy = metric_scale(ym);
  int bx = metrics[xm].better, by = metrics[ym].better;
  /* In "lower is better" terms on both axes: sorted by x, a point is
   * efficient when its y is below that of every point before it (among
   * equal x, the lowest y; ties are all efficient). */
  for (size_t i = 0; i < n; i++) {
    double x = -bx * t->mean[i * NMETRICS + xm], y = -by * t->mean[i * NMETRICS + ym];
    /* A point without a value (NaN) is never efficient, and sorts last. */
    order[i] = (struct by_x){isnan(x) ? INFINITY : x, isnan(y) ? INFINITY : y, i};
  }
  qsort(order, n, sizeof *order, cmp_x);
  double best = INFINITY;
  for (size_t k = 0; bx && by && k < n;) {
    size_t end = k;
    double low = INFINITY;
    while (end < n && order[end].x == order[k].x)
      low = fmin(low, order[end++].y);
    for (size_t j = k; j < end; j++)
      if (order[j].y == low && low < best && isfinite(order[j].x)) {
        efficient[order[j].point] = true;
        nefficient++;
      }
    best = fmin(best, low);
    k = end;
  }
  /* Block 1 in order of the shown x (which may be the reverse). */
  for (int block = 0; block < 2; block++) {
    for (size_t k = 0; k < n; k++) {
      size_t point = block == 0 || bx < 0 ? order[k].point : order[n - 1 - k].point;
      if (block == 1 && !efficient[point])
        continue;
      struct text label = {0};
      for (size_t a = 0; a < p->naxes; a++)
        text_add(&label, a ? ", " : "", p->axes[a].values[sweep_plan_value(p, point, a)],
                 "");
      double x = t->mean[point * NMETRICS + xm], hx = t->half[point * NMETRICS + xm];
      double y = t->mean[point * NMETRICS + ym], hy = t->half[point * NMETRICS + ym];
      hx = isnan(hx) ? 0 : hx;
      hy = isnan(hy) ? 0 : hy;
      double ends[4] = {shown_end(xm, (x - hx) * sx), shown_end(xm, (x + hx) * sx),
                        shown_end(ym, (y - hy) * sy), shown_end(ym, (y + hy) * sy)};
      fprintf(out, "%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,", x * sx, y * sy, ends[0],
              ends[1], ends[2], ends[3]);
      for (int e = 0; e < 4 && !isnan(x) && !isnan(y); e++)
        range[e] = e % 2 ? fmax(range[e], ends[e]) : fmin(range[e], ends[e]);
      gp_data_label(out, label.s ? label.s : "");
      fprintf(out, ",%d\n", efficient[point] ? 1 : 0);
      free(label.s);
    }
    fputs("\n\n", out);
  }
  free(order);
  free(efficient);
  return nefficient;
}

/* The settings a point label lists: "(variant, desk staff, arrival rate)". */
static char *setting_names(const struct plot_about *f, const struct sweep_plan *p)
{
  struct text t = {0};
  text_add(&t, "(", "", "");
  for (size_t a = 0; a < p->naxes; a++) {
    char *name = plot_path_name(f, p->axes[a].path);
    text_add(&t, a ? ", " : "", name, "");
    free(name);
  }
  text_add(&t, ")", "", "");
  return t.s;
}

/* ---- the figures --------------------------------------------------------- */

int plot_sweep_check_metric(const char *name, char *err, size_t errlen)
{
  if (metric_index(name) < NMETRICS)
    return 0;
  size_t n = (size_t)snprintf(err, errlen, "'%s' is not a summary metric; one of:", name);
  for (size_t m = 0; m < NMETRICS && n < errlen; m++)
    n += (size_t)snprintf(err + n, errlen - n, " %s", metrics[m].metric);
  return -1;
}

int plot_sweep(const char *dir, const char *outdir, const char *fmt,
               const char *x_metric, const char *y_metric, const char *scripts,
               const char *gnuplot, char *err, size_t errlen,
               struct gp_drawn *drawn)
{
  if ((x_metric && plot_sweep_check_metric(x_metric, err, errlen) != 0) ||
      (y_metric && plot_sweep_check_metric(y_metric, err, errlen) != 0))
    return 2;
  struct plot_about f;
  struct sweep_plan plan = {0};
  struct sweep_table t = {.plan = &plan};
  struct gp_vars v;
  gp_vars_init(&v);
  char *data = NULL;
  int rc = 2;
  bool failed = false;
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
  size_t xa = x_axis(&plan);
  char *xname = plot_path_name(&f, plan.axes[xa].path);
  char sub[256];
  snprintf(sub, sizeof sub, "%llu replication%s per point; 95%% confidence intervals; "
           "common random numbers", (unsigned long long)f.replications,
           f.replications == 1 ? "" : "s");
  for (size_t m = 0; m < NMETRICS; m++) {
    /* Nothing to show (no one gave up, say, or no one was served). */
    bool all_zero = true;
    for (size_t i = 0; t.has[m] && i < plan.npoints; i++) {
      double x = t.mean[i * NMETRICS + m];
      all_zero &= x == 0 || isnan(x);
    }
    if (!metrics[m].file || !t.has[m] || all_zero)
      continue;
    FILE *out = gp_data_create("sweep", &data, err, errlen);
    if ((failed = !out))
      break;
    size_t nseries;
    double lo, hi;
    write_series(out, &f, &t, m, xa, &v, &nseries, &lo, &hi);
    if (ferror(out) | fclose(out)) {
      snprintf(err, errlen, "cannot write '%s': %s", data, strerror(errno));
      failed = true;
      break;
    }
    char *ylabel = metric_name(&f, m);
    const char *label = plot_label(&f, metrics[m].metric);
    struct text title = {0};
    text_add(&title, f.name, ": ", label ? label : metrics[m].label);
    text_add(&title, plan.nvariants && xa == 0 ? " by " : " against ", xname, "");
    gp_title(&v, "title", title.s);
    gp_title(&v, "sub", sub);
    gp_string(&v, "data", data);
    gp_string(&v, "xlabel", xname);
    gp_string(&v, "ylabel", ylabel);
    gp_number(&v, "nseries", (double)nseries);
    gp_number(&v, "layout", nseries <= SWEEP_MAX_OVERLAID ? 1
                            : nseries <= SWEEP_MAX_PANELS ? 2 : 3);
    gp_number(&v, "ylow", lo);
    gp_number(&v, "yhigh", hi);
    bool share_of_target = !strcmp(metrics[m].metric, "service_level") ||
                           !strcmp(metrics[m].metric, "service_level_alt");
    gp_number(&v, "target", share_of_target && !target_varies(&plan) ? f.target * 100
                                                                      : NAN);
    free(title.s);
    free(ylabel);
    bool ok = gp_draw(gnuplot, scripts, "sweep_metric", &v, outdir, metrics[m].file,
                      fmt, drawn, err, errlen);
    gp_vars_fini(&v);
    gp_vars_init(&v);
    unlink(data);
    free(data);
    data = NULL;
    if ((failed = !ok))
      break;
  }
  size_t xm = metric_index(x_metric ? x_metric : "staff_cost");
  size_t ym = metric_index(y_metric ? y_metric : "satisfaction_mean");
  bool ok = !failed;
  if (ok && (x_metric || y_metric) && (!t.has[xm] || !t.has[ym])) {
    snprintf(err, errlen, "sweep.csv has no column '%s_mean'",
             metrics[t.has[xm] ? ym : xm].metric);
    rc = 2;
    ok = false;
  }
  bool some_point = false;   /* with both defined (someone was served) */
  for (size_t i = 0; ok && t.has[xm] && t.has[ym] && i < plan.npoints; i++)
    some_point |= !isnan(t.mean[i * NMETRICS + xm]) && !isnan(t.mean[i * NMETRICS + ym]);
  if (ok && some_point) {
    FILE *out = gp_data_create("sweep", &data, err, errlen);
    if (!out)
      goto done_x;
    double range[4];
    size_t nefficient = write_tradeoff(out, &t, xm, ym, range);
    if (ferror(out) | fclose(out)) {
      snprintf(err, errlen, "cannot write '%s': %s", data, strerror(errno));
      goto done_x;
    }
    char *xl = metric_name(&f, xm), *yl = metric_name(&f, ym);
    char *settings = setting_names(&f, &plan);
    const char *xlab = plot_label(&f, metrics[xm].metric);
    const char *ylab = plot_label(&f, metrics[ym].metric);
    struct text title = {0}, tsub = {0};
    text_add(&title, f.name, ": ", xlab ? xlab : metrics[xm].label);
    text_add(&title, " against ", ylab ? ylab : metrics[ym].label, "");
    text_add(&tsub, "each point a setting ", settings, " with its 95% intervals");
    if (nefficient)
      text_add(&tsub, "; efficient settings (none as good on both and better on one) "
                      "joined", "", "");
    gp_title(&v, "title", title.s);
    gp_title(&v, "sub", tsub.s);
    gp_string(&v, "data", data);
    gp_string(&v, "xlabel", xl);
    gp_string(&v, "ylabel", yl);
    gp_number(&v, "nefficient", (double)nefficient);
    gp_number(&v, "xlow", range[0]);
    gp_number(&v, "xhigh", range[1]);
    gp_number(&v, "ylow", range[2]);
    gp_number(&v, "yhigh", range[3]);
    bool share_of_target = !strcmp(metrics[ym].metric, "service_level") ||
                           !strcmp(metrics[ym].metric, "service_level_alt");
    gp_number(&v, "target", share_of_target && !target_varies(&plan) ? f.target * 100
                                                                      : NAN);
    free(title.s);
    free(tsub.s);
    free(xl);
    free(yl);
    free(settings);
    if (!gp_draw(gnuplot, scripts, "tradeoff", &v, outdir, "tradeoff", fmt, drawn, err, errlen))
      goto done_x;
  }
  if (ok)
    rc = 0;
done_x:
  free(xname);
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
