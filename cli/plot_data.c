/*
 * cli/plot_data.c — the data files for gnuplot of a run's figures
 * (cli/plot.c): stats.csv read back, waits.csv, the day in intervals and
 * the bars of the departments, as gnuplot reads them.
 */
#include "cli/plot_data.h"
#include "cli/plot_parts.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/gnuplot.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"


/* Opens DIR/NAME and finds the columns; -1 with the reader's message. */
/* ---- stats.csv ----------------------------------------------------------- */


void plot_scopes_fini(struct scopes *sc)
{
  for (size_t i = 0; i < sc->n; i++)
    free(sc->s[i].label);
  free(sc->s);
  memset(sc, 0, sizeof *sc);
}

/* The department's scope (never s[0], even for a department named "whole
 * journey"), added when new. */
static size_t scope_of(struct scopes *sc, const char *label, size_t last)
{
  /* Rows come grouped by scope: the last one found is the likely one. */
  if (last > 0 && last < sc->n && !strcmp(sc->s[last].label, label))
    return last;
  for (size_t i = 1; i < sc->n; i++)
    if (!strcmp(sc->s[i].label, label))
      return i;
  sc->s = sim_xrealloc(sc->s, sc->n + 1, sizeof *sc->s);
  sc->s[sc->n] = (struct scope){.label = sim_xstrdup(label)};
  return sc->n++;
}

int plot_read_stats(const char *dir, struct scopes *sc, char *err, size_t errlen)
{
  static const char *const names[] = {"scope", "metric", "mean", "ci95_low",
                                      "ci95_high", NULL};
  int col[5];
  struct sim_csv_reader r;
  memset(sc, 0, sizeof *sc);
  sc->s = sim_xcalloc(1, sizeof *sc->s);
  sc->s[0].label = sim_xstrdup("whole journey");
  sc->n = 1;
  int rc = plot_open_table(&r, dir, "stats.csv", names, col), got = 0;
  size_t last = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *scope = sim_csv_reader_field(&r, (size_t)col[0]);
    const char *metric = sim_csv_reader_field(&r, (size_t)col[1]);
    bool journey = !strcmp(scope, "summary");
    if (!journey && strncmp(scope, "department:", 11) != 0)
      continue;
    if (!journey && !scope[11]) {
      rc = sim_csv_reader_fail(&r, "a department without a name");
      break;
    }
    size_t i = journey ? 0 : scope_of(sc, scope + 11, last);
    last = i;
    struct scope *s = &sc->s[i];
    double mean, lo, hi;
    if (sim_csv_reader_num(&r, (size_t)col[2], true, &mean) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[3], true, &lo) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[4], true, &hi) != 0) {
      rc = -1;
      break;
    }
    if (!strcmp(metric, "service_level")) {
      s->sl = mean;
      s->sl_low = isnan(lo) ? mean : lo;
      s->sl_high = isnan(hi) ? mean : hi;
    } else if (!strcmp(metric, "satisfaction_low")) {
      s->low = mean;
    } else if (!strcmp(metric, "satisfaction_mid")) {
      s->mid = mean;
    } else if (!strcmp(metric, "satisfaction_high")) {
      s->high = mean;
    } else if (!strcmp(metric, "satisfaction_mean")) {
      s->satisfaction = mean;
    }
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc == 0 && sc->n < 2)
    rc = sim_csv_reader_fail(&r, "stats.csv names no departments");
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

/* ---- data files for gnuplot ---------------------------------------------- */

/* waits.csv as gnuplot reads it (wait, share, cumulative), and the bin
 * width and x range of its histogram: 40 bins up to the 99th percentile,
 * on a round number (1, 2 or 5 times a power of ten). */
int plot_write_waits(const char *dir, FILE *out, double within, double *binwidth,
                     double *xmax, double *nowait, size_t *rows, char *err,
                     size_t errlen)
{
  *nowait = 0;
  static const char *const names[] = {"wait", "share", "cumulative", NULL};
  int col[3];
  struct sim_csv_reader r;
  int rc = plot_open_table(&r, dir, "waits.csv", names, col), got = 0;
  double p99 = NAN, previous = -INFINITY;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    double wait, share, cumulative;
    if (sim_csv_reader_num(&r, (size_t)col[0], false, &wait) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[1], false, &share) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[2], false, &cumulative) != 0) {
      rc = -1;
      break;
    }
    if (wait < previous || wait < 0 || share < 0 || share > 1 || cumulative < 0 ||
        cumulative > 1 + 1e-9) {
      rc = sim_csv_reader_fail(&r, "waits must ascend from 0 and shares lie from 0 to 1");
      break;
    }
    previous = wait;
    if (wait == 0)
      *nowait = share;
    if (isnan(p99) && cumulative >= 0.99)
      p99 = wait;
    (*rows)++;
    fprintf(out, "%.10g,%.10g,%.10g\n", wait, share, cumulative);
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  if (isnan(p99))
    p99 = previous > 0 ? previous : 0;
  double top = fmax(p99, within) * 1.1;
  if (!(top > 0))
    top = 1;
  double raw = top / 40, power = pow(10, floor(log10(raw)));
  double step = raw / power < 2 ? 1 : raw / power < 5 ? 2 : 5;
  *binwidth = step * power;
  *xmax = ceil(top / *binwidth) * *binwidth;
  return rc;
}

/* The time series averaged over replications, one block per department
 * (gnuplot's `index`): t_start, clock, waiting, staff, busy, service level
 * (empty where no customer started service in that interval of any
 * replication). Interval k of a department is its k-th row within a
 * replication. */
struct cell {
  double t, queue, staff, busy, sl;
  double sl_low, sl_high;   /* 95 % intervals from timeseries_stats.csv */
  double queue_low, queue_high;
  bool band, queue_band;
  long n, nsl;
  char clock[16];
};
struct series { struct cell *cells; size_t n, cap; };


static bool is_clock(const char *s)
{
  size_t h = strspn(s, "0123456789");
  return h >= 1 && h <= 6 && s[h] == ':' && strspn(s + h + 1, "0123456789") == 2 &&
         !s[h + 3];
}

/* The 95 % intervals of each department's service level and people
 * waiting per interval, from timeseries_stats.csv (a run of an older loket
 * has none: no bands). An interval is found by its t_start. */
static int read_bands(const char *dir, const struct scopes *sc, struct series *series,
                      size_t nd, char *err, size_t errlen)
{
  static const char *const names[] = {"scope", "t_start", "metric", "ci95_low",
                                      "ci95_high", NULL};
  int col[5];
  struct sim_csv_reader r;
  char *path = plot_path_in(dir, "timeseries_stats.csv");
  bool absent = access(path, F_OK) != 0 && errno == ENOENT;
  free(path);
  if (absent)
    return 0;
  int rc = plot_open_table(&r, dir, "timeseries_stats.csv", names, col), got = 0;
  size_t d = 0, k = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *scope = sim_csv_reader_field(&r, (size_t)col[0]);
    const char *metric = sim_csv_reader_field(&r, (size_t)col[2]);
    bool sl = !strcmp(metric, "service_level");
    if ((!sl && strcmp(metric, "queue_mean") != 0) || strncmp(scope, "department:", 11) != 0)
      continue;
    if (d >= nd || strcmp(sc->s[d + 1].label, scope + 11) != 0)
      for (d = 0, k = 0; d < nd && strcmp(sc->s[d + 1].label, scope + 11) != 0; d++)
        ;
    if (d == nd) {
      rc = sim_csv_reader_fail(&r, "department '%.60s' is not in stats.csv", scope + 11);
      break;
    }
    double t, low, high;
    if (sim_csv_reader_num(&r, (size_t)col[1], false, &t) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[3], true, &low) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[4], true, &high) != 0) {
      rc = -1;
      break;
    }
    /* Rows come by interval, several metrics each: the interval is most
     * likely this one or the next; else it is searched for. */
    struct series *s = &series[d];
    if (k + 1 < s->n && s->cells[k].t != t && s->cells[k + 1].t == t)
      k++;
    else if (k >= s->n || s->cells[k].t != t)
      for (k = 0; k < s->n && s->cells[k].t != t; k++)
        ;
    if (k == s->n) {
      rc = sim_csv_reader_fail(&r, "no interval of timeseries.csv starts at %g", t);
      break;
    }
    struct cell *x = &s->cells[k];
    if (!isnan(low) && !isnan(high) && sl) {
      x->sl_low = fmax(low, 0);
      x->sl_high = fmin(high, 1);
      x->band = true;
    } else if (!isnan(low) && !isnan(high)) {
      x->queue_low = fmax(low, 0);
      x->queue_high = high;
      x->queue_band = true;
    }
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

int plot_write_day(const char *dir, FILE *out, const struct scopes *sc,
                   bool *any_service_level, char *err, size_t errlen)
{
  static const char *const names[] = {"replication", "department", "t_start",
                                      "queue_mean", "staff", "busy_mean",
                                      "service_level", "clock", NULL};
  int col[8];
  size_t nd = sc->n - 1;
  struct series *series = sim_xcalloc(nd, sizeof *series);
  struct sim_csv_reader r;
  int rc = plot_open_table(&r, dir, "timeseries.csv", names, col), got = 0;
  uint64_t last_rep = 0;
  size_t last_dept = SIZE_MAX, k = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    uint64_t rep;
    double t, queue, staff, busy, sl;
    const char *dept = sim_csv_reader_field(&r, (size_t)col[1]);
    const char *clock = sim_csv_reader_field(&r, (size_t)col[7]);
    size_t d = last_dept < nd && !strcmp(sc->s[last_dept + 1].label, dept) ? last_dept : 0;
    while (d < nd && strcmp(sc->s[d + 1].label, dept) != 0)
      d++;
    if (sim_csv_reader_count(&r, (size_t)col[0], 1, 1000000, &rep) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[2], false, &t) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[3], false, &queue) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[4], false, &staff) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[5], false, &busy) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[6], true, &sl) != 0) {
      rc = -1;
      break;
    }
    if (d == nd) {
      rc = sim_csv_reader_fail(&r, "department '%.60s' is not in stats.csv", dept);
      break;
    }
    if (!is_clock(clock)) {
      rc = sim_csv_reader_fail(&r, "column 'clock': expected HH:MM, got '%.20s'", clock);
      break;
    }
    if (rep != last_rep || d != last_dept)
      k = 0;
    last_rep = rep;
    last_dept = d;
    struct series *s = &series[d];
    if (k >= s->cap) {
      size_t cap = s->cap ? 2 * s->cap : 64;
      s->cells = sim_xrealloc(s->cells, cap, sizeof *s->cells);
      memset(s->cells + s->cap, 0, (cap - s->cap) * sizeof *s->cells);
      s->cap = cap;
    }
    struct cell *x = &s->cells[k];
    x->t = t;
    snprintf(x->clock, sizeof x->clock, "%s", clock);
    x->queue += queue;
    x->staff += staff;
    x->busy += busy;
    x->n++;
    if (!isnan(sl)) {
      x->sl += sl;
      x->nsl++;
      *any_service_level = true;
    }
    if (++k > s->n)
      s->n = k;
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  if (rc == 0)
    rc = read_bands(dir, sc, series, nd, err, errlen);
  for (size_t d = 0; d < nd; d++) {
    for (size_t i = 0; rc == 0 && i < series[d].n; i++) {
      const struct cell *x = &series[d].cells[i];
      if (!x->n)
        continue;
      fprintf(out, "%.10g,%s,%.10g,%.10g,%.10g,", x->t, x->clock, x->queue / x->n,
              x->staff / x->n, x->busy / x->n);
      if (x->nsl)
        fprintf(out, "%.10g", x->sl / x->nsl);
      if (x->band)
        fprintf(out, ",%.10g,%.10g", x->sl_low, x->sl_high);
      else
        fputs(",,", out);
      if (x->queue_band)
        fprintf(out, ",%.10g,%.10g", x->queue_low, x->queue_high);
      else
        fputs(",,", out);
      fputc('\n', out);
    }
    fputs("\n\n", out);
    free(series[d].cells);
  }
  free(series);
  return rc;
}

/* Departments first, the whole journey last; the first column numbers the
 * bars from 0. */
void plot_write_bars(FILE *f, const struct plot_about *a, const struct scopes *sc,
                     bool satisfaction)
{
  for (size_t k = 0; k < sc->n; k++) {
    const struct scope *s = &sc->s[(k + 1) % sc->n];
    fprintf(f, "%zu,", k);
    gp_data_label(f, k + 1 < sc->n ? plot_department_name(a, s->label) : s->label);
    if (satisfaction)
      fprintf(f, ",%.10g,%.10g,%.10g,%.10g\n", s->low, s->mid, s->high, s->satisfaction);
    else
      fprintf(f, ",%.10g,%.10g,%.10g\n", s->sl, s->sl_low, s->sl_high);
  }
}

/* Closes a data file; false with a message if writing failed. */
bool plot_close_data(FILE *f, const char *path, char *err, size_t errlen)
{
  bool failed = ferror(f) | fclose(f);
  /* A write error is reported unless an earlier error holds the message. */
  if (failed && !err[0])
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
  return !failed;
}
