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
  struct gp_drawn *drawn;
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
                    p->drawn, err, errlen);
  gp_vars_fini(&all);
  gp_vars_fini(own);
  gp_vars_init(own);
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
  if (!(out = gp_data_create("waits", &waits, err, errlen)))
    goto done_io;
  double nowait;
  size_t wait_rows = 0;
  int bad = plot_write_waits(dir, out, f.within, &binwidth, &xmax, &nowait, &wait_rows, err,
                        errlen);
  if (!plot_close_data(out, waits, err, errlen) || bad)
    goto done;
  if (!(out = gp_data_create("day", &day, err, errlen)))
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
  if (!(out = gp_data_create("kpi", &kpi, err, errlen)))
    goto done;
  plot_write_bars(out, &f, &sc, false);
  if (!plot_close_data(out, kpi, err, errlen))
    goto done;
  if (!(out = gp_data_create("satisfaction", &sat, err, errlen)))
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

/* ---- the figures of an earlier plot -------------------------------------- */

/* plots/.figures lists the figures that plots of the folder drew, one file
 * name a line, so that a new plot in a format can remove the figures of
 * that format it does not draw again (a department renamed, a day without
 * customers, a staffing run replaced by a plain run) and never touches a
 * file it did not draw. Figures of the other formats stay listed. */
#define MANIFEST ".figures"

/* A name loket could have drawn: no folder, not hidden, a figure format. */
static bool figure_file_name(const char *s, size_t n)
{
  if (n < 5 || n > 255 || s[0] == '.' || memchr(s, '/', n) || memchr(s, '\0', n))
    return false;
  const char *ext = s + n - 4;
  return !memcmp(ext, ".png", 4) || !memcmp(ext, ".svg", 4) || !memcmp(ext, ".pdf", 4);
}

static bool drawn_has(const struct gp_drawn *d, const char *file)
{
  for (size_t i = 0; i < d->n; i++)
    if (!strcmp(d->files[i], file))
      return true;
  return false;
}

/* The figures listed by an earlier plot; lines that cannot be a figure's
 * name are ignored, as is a missing or unreadable list. */
static void read_manifest(const char *outdir, struct gp_drawn *old)
{
  char *path = plot_path_in(outdir, MANIFEST);
  size_t len = 0;
  int error = 0;
  char *text = sim_file_read_all(path, (size_t)1 << 20, true, &len, &error);
  free(path);
  for (size_t at = 0; text && at < len;) {
    const char *line = text + at;
    const char *nl = memchr(line, '\n', len - at);
    size_t n = nl ? (size_t)(nl - line) : len - at;
    if (figure_file_name(line, n)) {
      char name[256];
      memcpy(name, line, n);
      name[n] = '\0';
      if (!drawn_has(old, name))
        gp_drawn_add(old, line, n);
    }
    at += n + 1;
  }
  free(text);
}

/* After drawing in format `fmt`: with every figure drawn (`complete`),
 * removes the earlier figures of that format not drawn again; lists the
 * new figures and the earlier ones kept, for the next plot to clean up.
 * 0, or -1 with a message. */
static int update_manifest(const char *outdir, const char *fmt, const struct gp_drawn *old,
                           struct gp_drawn *now, bool complete, char *err, size_t errlen)
{
  for (size_t i = 0; i < old->n; i++) {
    if (drawn_has(now, old->files[i]))
      continue;
    size_t len = strlen(old->files[i]);
    if (!complete || strcmp(old->files[i] + len - 3, fmt) != 0) {
      gp_drawn_add(now, old->files[i], strlen(old->files[i]));
      continue;
    }
    char *stale = plot_path_in(outdir, old->files[i]);
    if (unlink(stale) != 0 && errno != ENOENT) {
      snprintf(err, errlen, "cannot remove '%.900s', drawn by an earlier plot: %s", stale,
               strerror(errno));
      free(stale);
      return -1;
    }
    free(stale);
  }
  if (now->n == 0 && old->n == 0)
    return 0;   /* nothing drawn here, then or now */
  char *path = plot_path_in(outdir, MANIFEST);
  char *base = plot_path_in(outdir, MANIFEST ".tmp");
  char *tmp = NULL;
  FILE *f = sim_file_create_unique(base, &tmp);
  int rc = 0;
  if (!f) {
    snprintf(err, errlen, "cannot create '%.900s': %s", base, strerror(errno));
    rc = -1;
  } else {
    for (size_t i = 0; i < now->n; i++)
      fprintf(f, "%s\n", now->files[i]);
    if ((ferror(f) | fclose(f)) || rename(tmp, path) != 0) {
      snprintf(err, errlen, "cannot write '%.900s': %s", path, strerror(errno));
      unlink(tmp);
      rc = -1;
    }
  }
  free(tmp);
  free(base);
  free(path);
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
  char *outdir = plot_path_in(dir, "plots");
  struct gp_drawn old = {0}, drawn = {0};
  read_manifest(outdir, &old);
  /* A folder of `loket staff` also gets its staffing figure. */
  int rc = cli_plot_staffing(dir, fmt, scripts, gnuplot, err, errlen, &drawn);
  char *sweep_csv = plot_path_in(dir, "sweep.csv");
  char *compare_csv = plot_path_in(dir, "compare.csv");
  if (rc != 0) {
    /* nothing more is drawn */
  } else if (access(compare_csv, F_OK) == 0) {
    rc = plot_compare(dir, outdir, fmt, scripts, gnuplot, err, errlen, &drawn);
  } else if (access(sweep_csv, F_OK) == 0) {
    rc = plot_sweep(dir, outdir, fmt, x_metric, y_metric, scripts, gnuplot, err, errlen,
                    &drawn);
  } else if (x_metric || y_metric) {
    snprintf(err, errlen, "--x and --y choose the axes of a sweep's trade-off figure; "
                          "'%.200s' holds no sweep.csv", dir);
    rc = 2;
  } else {
    struct run_plot p = {.gnuplot = gnuplot, .scripts = scripts, .outdir = outdir,
                         .fmt = fmt, .drawn = &drawn};
    rc = plot_run(dir, &p, err, errlen);
    if (rc == 0)
      rc = plot_journeys(dir, outdir, fmt, scripts, gnuplot, err, errlen, &drawn);
  }
  *figures = (int)drawn.n;
  /* After a failure the earlier figures stay, and stay listed. */
  char merr[1200];
  if (update_manifest(outdir, fmt, &old, &drawn, rc == 0, merr, sizeof merr) != 0 && rc == 0) {
    snprintf(err, errlen, "%s", merr);
    rc = 1;
  }
  gp_drawn_fini(&old);
  gp_drawn_fini(&drawn);
  free(sweep_csv);
  free(compare_csv);
  free(outdir);
  free(gnuplot);
  return rc;
}
