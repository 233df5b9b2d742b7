#include "cli/plot_staff.h"

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

enum { C_DEPT, C_T, C_CLOCK, C_ARR, C_REQ, C_PAID, C_ERL, C_SL, C_SLH, C_ESL, NCOLS };

/* One department's rows of staffing.csv, being copied into a data file. */
struct series {
  FILE *file;
  char *path;
  char dept[512];
  double first_t, interval, last_t;
  long last_minutes;               /* clock of the last row, minutes */
  double last_req, last_paid, last_erl;
  double lowest;                   /* lowest service level drawn, % */
};

static void number(FILE *f, double x, const char *end)
{
  char buf[32];
  sim_csv_format_num(buf, x);
  fprintf(f, "%s%s", buf, end);
}

/* Ends the data file with a row at the end of the last interval that
 * carries the staff on, so the steps reach the end of the day, and draws
 * the figure. */
static bool draw_series(struct series *s, const struct plot_about *a, double per_hour,
                        bool clock, const char *gnuplot, const char *scripts,
                        const char *outdir, const char *fmt, struct plot_names *names,
                        struct gp_drawn *drawn, char *err, size_t errlen)
{
  double interval = isnan(s->interval) ? a->horizon : s->interval;
  long end = s->last_minutes + lround(interval * 60 / per_hour);
  fprintf(s->file, "%02ld:%02ld,", end / 60, end % 60);
  number(s->file, s->last_t + interval, ",,");
  number(s->file, s->last_req, ",");
  number(s->file, s->last_paid, ",");
  number(s->file, s->last_erl, ",,,,\n");
  bool ok = fclose(s->file) == 0;
  s->file = NULL;
  if (!ok) {
    snprintf(err, errlen, "cannot write '%.900s': %s", s->path, strerror(errno));
    return false;
  }
  struct gp_vars v;
  gp_vars_init(&v);
  char title[1200];
  snprintf(title, sizeof title, "%s: staff for %s per interval", a->name,
           plot_department_name(a, s->dept));
  gp_title(&v, "title", title);
  gp_title(&v, "sub", "found by simulation, against the per-interval Erlang C plan "
                      "(gaps: none up to max_staff); means over replications");
  gp_string(&v, "data", s->path);
  gp_string(&v, "unit", a->unit);
  gp_number(&v, "within", a->within);
  /* The plan's own target (staffing.target.service_level), none without */
  gp_number(&v, "target", a->staffing_target);
  gp_number(&v, "lowest", s->lowest);
  gp_number(&v, "clock", clock);
  gp_number(&v, "interval", clock ? interval * 3600 / per_hour : interval);
  ok = gp_draw(gnuplot, scripts, "staffing", &v, outdir,
               plot_names_make(names, "staffing-", s->dept), fmt, drawn, err, errlen);
  gp_vars_fini(&v);
  return ok;
}

int cli_plot_staffing(const char *dir, const char *fmt, const char *scripts,
                      const char *gnuplot, char *err, size_t errlen,
                      struct gp_drawn *drawn)
{
  static const char *const wanted[NCOLS] = {
    "department", "t_start", "clock", "arrivals_mean", "required_staff",
    "paid_staff", "erlang_c_staff", "service_level", "service_level_ci95",
    "erlang_c_service_level"};
  char path[4096], outdir[4096];
  snprintf(path, sizeof path, "%s/staffing.csv", dir);
  snprintf(outdir, sizeof outdir, "%s/plots", dir);
  if (access(path, F_OK) != 0)
    return 0;   /* not a folder of `loket staff` */
  struct plot_about a;
  if (plot_about_read(dir, &a, err, errlen) != 0)
    return 2;
  struct sim_csv_reader r;
  if (sim_csv_reader_open(&r, path) != 0) {
    snprintf(err, errlen, "%s", r.error);
    plot_about_fini(&a);
    return 2;
  }
  int col[NCOLS];
  int rc = 0;
  for (int c = 0; c < NCOLS && rc == 0; c++)
    if ((col[c] = sim_csv_reader_require(&r, wanted[c])) < 0)
      rc = 2;
  if (rc == 0 && sim_mkdir_p(outdir) != 0) {
    snprintf(r.error, sizeof r.error, "cannot create '%.900s': %s", outdir,
             strerror(errno));
    rc = 1;
  }
  double per_hour = !strcmp(a.unit, "hours") ? 1 : !strcmp(a.unit, "seconds") ? 3600 : 60;
  bool clock = a.horizon / per_hour <= 24;
  struct plot_names names = {0};
  struct series s = {.file = NULL};
  char msg[1024] = "";
  while (rc == 0) {
    int got = sim_csv_reader_next(&r);
    if (got < 0) {
      rc = 2;
      break;
    }
    const char *dept = got ? sim_csv_reader_field(&r, (size_t)col[C_DEPT]) : "";
    if (s.file && (!got || strcmp(dept, s.dept) != 0)) {
      if (!draw_series(&s, &a, per_hour, clock, gnuplot, scripts, outdir, fmt, &names,
                       drawn, msg, sizeof msg)) {
        rc = 1;
        break;
      }
      unlink(s.path);
      free(s.path);
      s.path = NULL;
    }
    if (!got)
      break;
    if (!s.file) {
      s = (struct series){.first_t = NAN, .interval = NAN, .lowest = 100,
                          .last_erl = NAN};
      snprintf(s.dept, sizeof s.dept, "%s", dept);
      if (!(s.file = gp_data_create("staffing", &s.path, msg, sizeof msg))) {
        rc = 1;
        break;
      }
    }
    double x[NCOLS];
    for (int c = C_T; c < NCOLS && rc == 0; c++)
      if (c != C_CLOCK && sim_csv_reader_num(&r, (size_t)col[c], c != C_T, &x[c]) != 0)
        rc = 2;
    const char *clock_text = sim_csv_reader_field(&r, (size_t)col[C_CLOCK]);
    int hh, mm;
    if (rc == 0 && sscanf(clock_text, "%d:%d", &hh, &mm) != 2) {
      sim_csv_reader_fail(&r, "column 'clock': expected HH:MM, got '%.40s'", clock_text);
      rc = 2;
    }
    if (rc != 0)
      break;
    if (isnan(s.first_t))
      s.first_t = x[C_T];
    else if (isnan(s.interval) || x[C_T] - s.first_t < s.interval)
      s.interval = x[C_T] - s.first_t;
    /* Erlang C has no staff up to max_staff here: its steps break (a
     * literal NaN; an empty field would be skipped and the last value
     * carried across the gap), after a row that ends the last step. */
    bool gap = isnan(x[C_ERL]);
    if (gap && !isnan(s.last_erl)) {
      fprintf(s.file, "%02d:%02d,", hh, mm);
      number(s.file, x[C_T], ",,,,");
      number(s.file, s.last_erl, ",,,,\n");
    }
    s.last_t = x[C_T];
    s.last_minutes = hh * 60L + mm;
    s.last_req = x[C_REQ];
    s.last_paid = x[C_PAID];
    s.last_erl = x[C_ERL];
    double sl = 100 * x[C_SL], half = isnan(x[C_SLH]) ? 0 : 100 * x[C_SLH];
    s.lowest = fmin(s.lowest, fmin(isnan(sl) ? 100 : sl - half,
                                   isnan(x[C_ESL]) ? 100 : 100 * x[C_ESL]));
    fprintf(s.file, "%02d:%02d,", hh, mm);
    number(s.file, x[C_T], ",");
    number(s.file, x[C_ARR], ",");
    number(s.file, x[C_REQ], ",");
    number(s.file, x[C_PAID], ",");
    if (gap)
      fputs("NaN,", s.file);
    else
      number(s.file, x[C_ERL], ",");
    number(s.file, sl, ",");
    number(s.file, sl - half, ",");
    number(s.file, fmin(sl + half, 100), ",");
    number(s.file, 100 * x[C_ESL], "\n");
  }
  if (rc == 2)
    snprintf(err, errlen, "%s", r.error);
  else if (rc == 1)
    snprintf(err, errlen, "%s", msg[0] ? msg : r.error);
  if (s.file)
    fclose(s.file);
  if (s.path) {
    unlink(s.path);
    free(s.path);
  }
  plot_names_fini(&names);
  sim_csv_reader_fini(&r);
  plot_about_fini(&a);
  return rc;
}
