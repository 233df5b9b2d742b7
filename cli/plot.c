#include "cli/plot.h"
#include "cli/plot_staff.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/gnuplot.h"
#include "cli/plot_data.h"
#include "cli/plot_parts.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

/* ---- the figures of a run ------------------------------------------------ */

struct run_plot {
  const char *gnuplot, *scripts, *outdir, *fmt;
  struct gp_vars common;
  int figures;
};

/* Draws one figure: the shared variables, then `own`'s; a figure without
 * data (`draw` false: a day without customers) is left out, as gnuplot
 * would fail on it. */
static bool figure(struct run_plot *p, bool draw, const char *script, const char *name,
                   struct gp_vars *own, char *err, size_t errlen)
{
  if (!draw) {
    gp_vars_fini(own);
    gp_vars_init(own);
    return true;
  }
  struct gp_vars all;
  gp_vars_init(&all);
  gp_vars_add(&all, &p->common);
  gp_vars_add(&all, own);
  bool ok = gp_draw(p->gnuplot, p->scripts, script, &all, p->outdir, name, p->fmt,
                    err, errlen);
  gp_vars_fini(&all);
  gp_vars_fini(own);
  gp_vars_init(own);
  p->figures += ok;
  return ok;
}

static char *title_of(const char *name, const char *what)
{
  size_t len = strlen(name) + strlen(what) + 4;
  char *t = sim_xmalloc(len);
  snprintf(t, len, "%s: %s", name, what);
  return t;
}

static void add_title(struct gp_vars *v, const char *name, const char *what)
{
  char *t = title_of(name, what);
  gp_title(v, "title", t);
  free(t);
}

static int plot_run(const char *dir, struct run_plot *p, char *err, size_t errlen)
{
  struct plot_about f;
  struct scopes sc = {0};
  struct plot_names names = {0};
  char *day = NULL, *kpi = NULL, *sat = NULL, *waits = NULL;
  FILE *out = NULL;
  struct gp_vars v;
  gp_vars_init(&v);
  gp_vars_init(&p->common);
  int rc = 2;
  err[0] = '\0';
  if (plot_about_read(dir, &f, err, errlen) != 0)
    goto done;
  if (plot_read_stats(dir, &sc, err, errlen) != 0)
    goto done;
  rc = 1;
  if (sim_mkdir_p(p->outdir) != 0) {
    snprintf(err, errlen, "cannot create '%s': %s", p->outdir, strerror(errno));
    goto done;
  }
  double binwidth, xmax;
  rc = 2;
  if (!(out = gp_data_create(p->outdir, "waits", &waits, err, errlen)))
    goto done_io;
  double nowait;
  size_t wait_rows = 0;
  int bad = plot_write_waits(dir, out, f.within, &binwidth, &xmax, &nowait, &wait_rows, err,
                        errlen);
  if (!plot_close_data(out, waits, err, errlen) || bad)
    goto done;
  if (!(out = gp_data_create(p->outdir, "day", &day, err, errlen)))
    goto done_io;
  bool any_sl = false, any_kpi = false, any_sat = false;
  bad = plot_write_day(dir, out, &sc, &any_sl, err, errlen);
  for (size_t i = 0; i < sc.n; i++) {
    any_kpi |= !isnan(sc.s[i].sl);
    any_sat |= !isnan(sc.s[i].low);
  }
  if (!plot_close_data(out, day, err, errlen) || bad)
    goto done;
  rc = 1;
  if (!(out = gp_data_create(p->outdir, "kpi", &kpi, err, errlen)))
    goto done;
  plot_write_bars(out, &f, &sc, false);
  if (!plot_close_data(out, kpi, err, errlen))
    goto done;
  if (!(out = gp_data_create(p->outdir, "satisfaction", &sat, err, errlen)))
    goto done;
  plot_write_bars(out, &f, &sc, true);
  if (!plot_close_data(out, sat, err, errlen))
    goto done;

  /* Shared variables. Clock times on the x axis for a day of at most 24
   * hours; beyond that, time since opening. */
  double hours = f.horizon / (!strcmp(f.unit, "hours") ? 1
                              : !strcmp(f.unit, "seconds") ? 3600 : 60);
  char sub[256];
  snprintf(sub, sizeof sub, "%llu replication%s; means over replications",
           (unsigned long long)f.replications, f.replications == 1 ? "" : "s");
  gp_string(&p->common, "day", day);
  gp_string(&p->common, "unit", f.unit);
  gp_title(&p->common, "sub", sub);
  gp_number(&p->common, "within", f.within);
  gp_number(&p->common, "target", f.target);
  gp_number(&p->common, "clock", hours <= 24 ? 1 : 0);

  add_title(&v, f.name, "how long customers wait");
  snprintf(sub, sizeof sub, "served customers of %llu replication%s together; "
           "waits summed over a journey's queues",
           (unsigned long long)f.replications, f.replications == 1 ? "" : "s");
  gp_title(&v, "sub", sub);
  gp_string(&v, "data", waits);
  gp_number(&v, "binwidth", binwidth);
  gp_number(&v, "xmax", xmax);
  gp_number(&v, "nowait", nowait);
  if (!figure(p, wait_rows > 0, "waits", plot_names_make(&names, "waits", ""), &v, err, errlen))
    goto done;

  size_t nd = sc.n - 1;
  for (size_t d = 0; d < nd; d++) {
    char *what = title_of(plot_department_name(&f, sc.s[d + 1].label), "over the day");
    add_title(&v, f.name, what);
    free(what);
    gp_number(&v, "dept", (double)d);
    if (!figure(p, true, "day", plot_names_make(&names, "day-", sc.s[d + 1].label), &v, err,
                errlen))
      goto done;
  }

  add_title(&v, f.name, "service level through the day");
  snprintf(sub, sizeof sub, "%llu replication%s; means over replications, bands: 95%% "
           "confidence intervals", (unsigned long long)f.replications,
           f.replications == 1 ? "" : "s");
  gp_title(&v, "sub", sub);
  gp_number(&v, "ndepts", (double)nd);
  for (size_t d = 0; d < nd; d++) {
    char key[32];
    snprintf(key, sizeof key, "dept%zu", d + 1);
    gp_string(&v, key, plot_department_name(&f, sc.s[d + 1].label));
  }
  if (!figure(p, any_sl, "service_level", plot_names_make(&names, "service_level", ""), &v,
              err, errlen))
    goto done;

  add_title(&v, f.name, "each department against the whole journey");
  gp_string(&v, "kpi", kpi);
  gp_number(&v, "last", (double)sc.n - 1);
  if (!figure(p, any_kpi, "kpi", plot_names_make(&names, "kpi", ""), &v, err, errlen))
    goto done;
  add_title(&v, f.name, "how satisfied customers leave");
  gp_string(&v, "sat", sat);
  if (!figure(p, any_sat, "satisfaction", plot_names_make(&names, "satisfaction", ""), &v, err,
              errlen))
    goto done;
  rc = 0;
  goto done;

done_io:
  rc = 1;
done:
  plot_about_fini(&f);
  char *data[] = {waits, day, kpi, sat};
  for (size_t i = 0; i < 4; i++)
    if (data[i]) {
      unlink(data[i]);
      free(data[i]);
    }
  plot_scopes_fini(&sc);
  plot_names_fini(&names);
  gp_vars_fini(&v);
  gp_vars_fini(&p->common);
  return rc;
}

int cli_plot(const char *dir, const char *fmt, const char *x_metric,
             const char *y_metric, const char *scripts, char *err, size_t errlen,
             int *figures)
{
  *figures = 0;
  char *gnuplot = gp_find();
  if (!gnuplot) {
    snprintf(err, errlen, "gnuplot is not on PATH; install it (Debian: "
                          "apt-get install gnuplot-nox) and try again");
    return 1;
  }
  /* A folder of `loket staff` also gets its staffing figure. */
  int rc = cli_plot_staffing(dir, fmt, scripts, gnuplot, err, errlen, figures);
  if (rc != 0) {
    free(gnuplot);
    return rc;
  }
  char *sweep_csv = plot_path_in(dir, "sweep.csv");
  char *compare_csv = plot_path_in(dir, "compare.csv");
  char *outdir = plot_path_in(dir, "plots");
  if (access(compare_csv, F_OK) == 0) {
    rc = plot_compare(dir, outdir, fmt, scripts, gnuplot, err, errlen, figures);
  } else if (access(sweep_csv, F_OK) == 0) {
    rc = plot_sweep(dir, outdir, fmt, x_metric, y_metric, scripts, gnuplot, err, errlen,
                    figures);
  } else if (x_metric || y_metric) {
    snprintf(err, errlen, "--x and --y choose the axes of a sweep's trade-off figure; "
                          "'%.200s' holds no sweep.csv", dir);
    rc = 2;
  } else {
    int staffing_figures = *figures;
    struct run_plot p = {.gnuplot = gnuplot, .scripts = scripts, .outdir = outdir,
                         .fmt = fmt};
    rc = plot_run(dir, &p, err, errlen);
    *figures = staffing_figures + p.figures;
    if (rc == 0)
      rc = plot_journeys(dir, outdir, fmt, scripts, gnuplot, err, errlen, figures);
  }
  free(sweep_csv);
  free(compare_csv);
  free(outdir);
  free(gnuplot);
  return rc;
}
