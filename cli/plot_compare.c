/* `loket plot` on the folder of `loket compare` (see cli/plot.h): the
 * key figures of the variants side by side, and their service level
 * through the day with 95 % bands. Every file is read with sim/csvread.h
 * by column name; every name reaches gnuplot as data (cli/gnuplot.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/gnuplot.h"
#include "cli/plot_parts.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

/* The panels of the KPI figure, in the order of plots/compare_kpi.gp. */
static const char *const kpi_metrics[] = {"service_level", "abandoned", "wait_mean",
                                          "satisfaction_mean"};
enum { NKPI = sizeof kpi_metrics / sizeof kpi_metrics[0] };

struct variant_figures {
  char *name, *folder;
  double mean[NKPI], low[NKPI], high[NKPI], diff[NKPI], half[NKPI];
};

static int kpi_index(const char *metric)
{
  for (int k = 0; k < NKPI; k++)
    if (!strcmp(metric, kpi_metrics[k]))
      return k;
  return -1;
}

/* Opens DIR/NAME and finds the columns; -1 with the reader's message. */
/* variants.csv: the name and folder of each variant (a relative folder is
 * inside the compare folder). */
static int read_variants(const char *dir, struct variant_figures **out, size_t *n,
                         char *err, size_t errlen)
{
  static const char *const names[] = {"variant", "folder", NULL};
  int col[2];
  struct sim_csv_reader r;
  int rc = plot_open_table(&r, dir, "variants.csv", names, col), got = 0;
  *out = NULL;
  *n = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *folder = sim_csv_reader_field(&r, (size_t)col[1]);
    if (!*folder) {
      rc = sim_csv_reader_fail(&r, "a variant without a folder");
      break;
    }
    *out = sim_xrealloc(*out, *n + 1, sizeof **out);
    struct variant_figures *v = &(*out)[(*n)++];
    memset(v, 0, sizeof *v);
    v->name = sim_xstrdup(sim_csv_reader_field(&r, (size_t)col[0]));
    v->folder = folder[0] == '/' ? sim_xstrdup(folder) : plot_path_in(dir, folder);
    for (int k = 0; k < NKPI; k++)
      v->mean[k] = v->low[k] = v->high[k] = v->diff[k] = v->half[k] = NAN;
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc == 0 && *n < 2)
    rc = sim_csv_reader_fail(&r, "variants.csv names fewer than two variants");
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

/* The summary's means and intervals of a variant, from its stats.csv. */
static int read_variant_stats(struct variant_figures *v, char *err, size_t errlen)
{
  static const char *const names[] = {"scope", "metric", "mean", "ci95_low",
                                      "ci95_high", NULL};
  int col[5];
  struct sim_csv_reader r;
  int rc = plot_open_table(&r, v->folder, "stats.csv", names, col), got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    int k = kpi_index(sim_csv_reader_field(&r, (size_t)col[1]));
    if (k < 0 || strcmp(sim_csv_reader_field(&r, (size_t)col[0]), "summary"))
      continue;
    if (sim_csv_reader_num(&r, (size_t)col[2], true, &v->mean[k]) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[3], true, &v->low[k]) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[4], true, &v->high[k]) != 0)
      rc = -1;
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

/* The paired differences of the summary, from compare.csv. */
static int read_differences(const char *dir, struct variant_figures *v, size_t n,
                            char *err, size_t errlen)
{
  static const char *const names[] = {"scope", "metric", "variant", "diff",
                                      "diff_ci95", NULL};
  int col[5];
  struct sim_csv_reader r;
  int rc = plot_open_table(&r, dir, "compare.csv", names, col), got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    int k = kpi_index(sim_csv_reader_field(&r, (size_t)col[1]));
    if (k < 0 || strcmp(sim_csv_reader_field(&r, (size_t)col[0]), "summary"))
      continue;
    const char *name = sim_csv_reader_field(&r, (size_t)col[2]);
    for (size_t i = 0; i < n; i++)
      if (!strcmp(v[i].name, name) &&
          (sim_csv_reader_num(&r, (size_t)col[3], true, &v[i].diff[k]) != 0 ||
           sim_csv_reader_num(&r, (size_t)col[4], true, &v[i].half[k]) != 0))
        rc = -1;
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

static void write_kpi(FILE *f, const struct variant_figures *v, size_t n)
{
  for (int k = 0; k < NKPI; k++) {
    double scale = k == 0 ? 100 : 1;
    for (size_t i = 0; i < n; i++) {
      char text[96] = "";
      if (i > 0 && !isnan(v[i].diff[k]))
        snprintf(text, sizeof text, isnan(v[i].half[k]) ? "%+.2f" : "%+.2f ± %.2f%s",
                 scale * v[i].diff[k], scale * v[i].half[k],
                 fabs(v[i].diff[k]) > v[i].half[k] ? " *" : "");
      double mean = v[i].mean[k];
      fprintf(f, "%zu,", i);
      gp_data_label(f, v[i].name);
      fprintf(f, ",%.10g,%.10g,%.10g,", mean, isnan(v[i].low[k]) ? mean : v[i].low[k],
              isnan(v[i].high[k]) ? mean : v[i].high[k]);
      gp_data_label(f, text);
      fputc('\n', f);
    }
    fputs("\n\n", f);
  }
}

/* The journey's service level through the day of one variant, from its
 * timeseries_stats.csv: t_start, clock, mean, low, high. */
static int write_day(FILE *f, const struct variant_figures *v, char *err, size_t errlen)
{
  static const char *const names[] = {"scope", "t_start", "clock", "metric", "mean",
                                      "ci95_low", "ci95_high", NULL};
  int col[7];
  struct sim_csv_reader r;
  int rc = plot_open_table(&r, v->folder, "timeseries_stats.csv", names, col), got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    if (strcmp(sim_csv_reader_field(&r, (size_t)col[0]), "journey") ||
        strcmp(sim_csv_reader_field(&r, (size_t)col[3]), "service_level"))
      continue;
    double t, mean, lo, hi;
    const char *clock = sim_csv_reader_field(&r, (size_t)col[2]);
    if (sim_csv_reader_num(&r, (size_t)col[1], false, &t) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[4], true, &mean) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[5], true, &lo) != 0 ||
        sim_csv_reader_num(&r, (size_t)col[6], true, &hi) != 0) {
      rc = -1;
      break;
    }
    if (strspn(clock, "0123456789:") != strlen(clock) || !*clock) {
      rc = sim_csv_reader_fail(&r, "column 'clock': expected HH:MM, got '%.20s'", clock);
      break;
    }
    if (isnan(mean))
      continue;
    /* A share's band ends at 0 and 1, as the run's service-level figure
     * draws it (the t interval of few replications passes them). */
    fprintf(f, "%.10g,%s,%.10g,%.10g,%.10g\n", t, clock, mean,
            isnan(lo) ? mean : fmax(lo, 0), isnan(hi) ? mean : fmin(hi, 1));
  }
  fputs("\n\n", f);
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

static bool close_data(FILE *f, const char *path, char *err, size_t errlen)
{
  bool failed = ferror(f) | fclose(f);
  if (failed && !err[0])
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
  return !failed;
}

int plot_compare(const char *dir, const char *outdir, const char *fmt,
                 const char *scripts, const char *gnuplot, char *err, size_t errlen,
                 struct gp_drawn *drawn)
{
  struct variant_figures *v = NULL;
  size_t n = 0;
  struct plot_about about;
  memset(&about, 0, sizeof about);
  char *kpi = NULL, *day = NULL;
  struct gp_vars vars;
  gp_vars_init(&vars);
  err[0] = '\0';
  int rc = 2;
  if (read_variants(dir, &v, &n, err, errlen) != 0 ||
      plot_about_read(v[0].folder, &about, err, errlen) != 0 ||
      read_differences(dir, v, n, err, errlen) != 0)
    goto done;
  for (size_t i = 0; i < n; i++)
    if (read_variant_stats(&v[i], err, errlen) != 0)
      goto done;
  rc = 1;
  if (sim_mkdir_p(outdir) != 0) {
    snprintf(err, errlen, "cannot create '%s': %s", outdir, strerror(errno));
    goto done;
  }
  FILE *f = gp_data_create("compare_kpi", &kpi, err, errlen);
  if (!f)
    goto done;
  write_kpi(f, v, n);
  if (!close_data(f, kpi, err, errlen))
    goto done;
  if (!(f = gp_data_create("compare_day", &day, err, errlen)))
    goto done;
  int bad = 0;
  for (size_t i = 0; i < n && !bad; i++)
    bad = write_day(f, &v[i], err, errlen);
  if (!close_data(f, day, err, errlen))
    goto done;
  if (bad) {
    rc = 2;
    goto done;
  }

  double hours = about.horizon / (!strcmp(about.unit, "hours") ? 1
                                  : !strcmp(about.unit, "seconds") ? 3600 : 60);
  char sub[256];
  snprintf(sub, sizeof sub, "%llu replication%s with the same seed; bars: means with "
           "95 %% intervals; above: paired difference to %s",
           (unsigned long long)about.replications, about.replications == 1 ? "" : "s",
           "the first variant");
  size_t tlen = strlen(about.name) + 64;
  char *title = sim_xmalloc(tlen);
  snprintf(title, tlen, "%s: the variants compared", about.name);
  gp_title(&vars, "title", title);
  gp_title(&vars, "sub", sub);
  gp_string(&vars, "kpi", kpi);
  gp_string(&vars, "unit", about.unit);
  gp_number(&vars, "within", about.within);
  gp_number(&vars, "target", about.target);
  gp_number(&vars, "last", (double)n - 1);
  /* Room above the highest interval for the difference's text. */
  for (int k = 1; k < NKPI; k++) {
    double top = 0;
    for (size_t i = 0; i < n; i++)
      top = fmax(top, isnan(v[i].high[k]) ? v[i].mean[k] : v[i].high[k]);
    char key[16];
    snprintf(key, sizeof key, "ymax%d", k);
    gp_number(&vars, key, top > 0 ? top * 1.2 : 1);
  }
  bool ok = gp_draw(gnuplot, scripts, "compare_kpi", &vars, outdir, "compare_kpi", fmt,
                    drawn, err, errlen);
  gp_vars_fini(&vars);
  gp_vars_init(&vars);
  if (ok) {
    snprintf(title, tlen, "%s: service level through the day", about.name);
    snprintf(sub, sizeof sub, "whole journeys by the interval of arrival; means over "
             "%llu replication%s with 95 %% bands",
             (unsigned long long)about.replications, about.replications == 1 ? "" : "s");
    gp_title(&vars, "title", title);
    gp_title(&vars, "sub", sub);
    gp_string(&vars, "day", day);
    gp_string(&vars, "unit", about.unit);
    gp_number(&vars, "within", about.within);
    gp_number(&vars, "target", about.target);
    gp_number(&vars, "clock", hours <= 24 ? 1 : 0);
    gp_number(&vars, "nvariants", (double)n);
    for (size_t i = 0; i < n; i++) {
      char key[32];
      snprintf(key, sizeof key, "variant%zu", i + 1);
      gp_string(&vars, key, v[i].name);
    }
    ok = gp_draw(gnuplot, scripts, "compare_day", &vars, outdir, "compare_day", fmt,
                 drawn, err, errlen);
  }
  free(title);
  rc = ok ? 0 : 1;

done:
  if (kpi) {
    unlink(kpi);
    free(kpi);
  }
  if (day) {
    unlink(day);
    free(day);
  }
  gp_vars_fini(&vars);
  plot_about_fini(&about);
  for (size_t i = 0; i < n; i++) {
    free(v[i].name);
    free(v[i].folder);
  }
  free(v);
  return rc;
}
