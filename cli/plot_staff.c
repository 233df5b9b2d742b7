#include "cli/plot_staff.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/check.h"
#include "cli/gnuplot.h"
#include "sim/csv.h"

/* Splits a line of our own CSV at commas; a quoted field (a name with a
 * comma) is unquoted. Returns the number of fields. */
static size_t fields_of(char *line, char **fields, size_t max)
{
  size_t n = 0;
  line[strcspn(line, "\r\n")] = '\0';
  char *p = line;
  while (n < max) {
    if (*p == '"') {
      char *out = ++p;
      fields[n++] = out;
      while (*p && !(*p == '"' && p[1] != '"'))
        *out++ = *p == '"' ? (p++, '"') : *p, p++;
      *out = '\0';
      p += *p == '"';
    } else {
      fields[n++] = p;
      p += strcspn(p, ",");
    }
    if (*p != ',')
      break;
    *p++ = '\0';
  }
  return n;
}

static int column(char **names, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(names[i], name))
      return (int)i;
  return -1;
}

struct facts {
  char name[512], unit[32];
  double within, target, horizon;
};

static bool read_facts(const char *dir, struct facts *f)
{
  char path[4096], line[4096];
  snprintf(path, sizeof path, "%s/about.csv", dir);
  FILE *in = fopen(path, "r");
  if (!in)
    return false;
  *f = (struct facts){.within = NAN, .target = NAN, .horizon = NAN};
  snprintf(f->unit, sizeof f->unit, "minutes");
  while (fgets(line, sizeof line, in)) {
    char *v[4];
    if (fields_of(line, v, 4) < 2)
      continue;
    if (!strcmp(v[0], "name"))
      snprintf(f->name, sizeof f->name, "%s", v[1]);
    else if (!strcmp(v[0], "time_unit"))
      snprintf(f->unit, sizeof f->unit, "%s", v[1]);
    else if (!strcmp(v[0], "service_level_within"))
      f->within = *v[1] ? strtod(v[1], NULL) : NAN;
    else if (!strcmp(v[0], "service_level_target"))
      f->target = *v[1] ? strtod(v[1], NULL) : NAN;
    else if (!strcmp(v[0], "horizon"))
      f->horizon = strtod(v[1], NULL);
  }
  fclose(in);
  return true;
}

enum { C_DEPT, C_T, C_CLOCK, C_ARR, C_REQ, C_PAID, C_ERL, C_SL, C_SLH, C_ESL, NCOLS };

int cli_plot_staffing(const char *dir, const char *fmt, const char *scripts,
                      const char *gnuplot, char *err, size_t errlen, int *figures)
{
  static const char *const wanted[NCOLS] = {
    "department", "t_start", "clock", "arrivals_mean", "required_staff",
    "paid_staff", "erlang_c_staff", "service_level", "service_level_ci95",
    "erlang_c_service_level"};
  char path[4096];
  snprintf(path, sizeof path, "%s/staffing.csv", dir);
  FILE *in = fopen(path, "r");
  if (!in)
    return 0;
  struct facts f;
  if (!read_facts(dir, &f)) {
    snprintf(err, errlen, "%.900s has staffing.csv but no about.csv", dir);
    fclose(in);
    return 2;
  }
  char line[8192], *names[64];
  int col[NCOLS];
  size_t n = fgets(line, sizeof line, in) ? fields_of(line, names, 64) : 0;
  for (int c = 0; c < NCOLS; c++)
    if ((col[c] = column(names, n, wanted[c])) < 0) {
      snprintf(err, errlen, "%.900s: no column '%s'", path, wanted[c]);
      fclose(in);
      return 2;
    }
  double per_hour = !strcmp(f.unit, "hours") ? 1 : !strcmp(f.unit, "seconds") ? 3600 : 60;
  bool clock = f.horizon / per_hour <= 24;
  char outdir[4096];
  snprintf(outdir, sizeof outdir, "%s/plots", dir);
  if (sim_mkdir_p(outdir) != 0) {
    snprintf(err, errlen, "cannot create '%.900s': %s", outdir, strerror(errno));
    fclose(in);
    return 1;
  }
  int rc = 0;
  char dept[512] = "";
  char *data = NULL;   /* the data file of the department being read */
  FILE *out = NULL;
  double first_t = NAN, interval = NAN, last_t = 0, last_clock = 0;
  char last_req[32] = "", last_paid[32] = "", last_erl[32] = "";
  bool more = true;
  while (rc == 0 && more) {
    char *v[64];
    more = fgets(line, sizeof line, in) != NULL;
    size_t got = more ? fields_of(line, v, 64) : 0;
    if (more && got < n)
      continue;
    bool next = !more || strcmp(v[col[C_DEPT]], dept) != 0;
    if (next && out) {
      /* A closing row at the end of the last interval carries the staff
       * on, so the steps reach the end of the day. */
      double end_t = last_t + (isnan(interval) ? f.horizon : interval);
      int minutes = (int)lround(last_clock + (isnan(interval) ? f.horizon : interval) *
                                                 60 / per_hour);
      fprintf(out, "%02d:%02d,%.17g,,%s,%s,%s,,,,\n", minutes / 60, minutes % 60, end_t,
              last_req, last_paid, last_erl);
      /* Draw the department just read. */
      fclose(out);
      out = NULL;
      char safe[256], name[300];
      size_t k = 0;
      for (const char *p = dept; *p && k + 1 < sizeof safe; p++)
        safe[k++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ? *p : '-';
      safe[k] = '\0';
      snprintf(name, sizeof name, "staffing-%s", safe);
      char title[1200];
      snprintf(title, sizeof title, "%s: staff for %s per interval", f.name, dept);
      struct gp_vars vars;
      gp_vars_init(&vars);
      gp_string(&vars, "data", data);
      gp_title(&vars, "title", title);
      gp_title(&vars, "sub", "found by simulation, against the per-interval "
                              "Erlang C plan; means over replications");
      gp_string(&vars, "unit", f.unit);
      gp_number(&vars, "within", f.within);
      gp_number(&vars, "target", f.target);
      gp_number(&vars, "clock", clock);
      if (isnan(interval))
        interval = f.horizon;   /* one interval: the whole day */
      gp_number(&vars, "interval", clock ? interval * 3600 / per_hour : interval);
      if (gp_draw(gnuplot, scripts, "staffing", &vars, outdir, name, fmt, err, errlen))
        (*figures)++;
      else
        rc = 1;
      gp_vars_fini(&vars);
      unlink(data);
      free(data);
      data = NULL;
    }
    if (!more || rc != 0)
      break;
    if (next) {
      snprintf(dept, sizeof dept, "%s", v[col[C_DEPT]]);
      out = gp_data_create(outdir, "staffing", &data, err, errlen);
      if (!out) {
        rc = 1;
        break;
      }
      first_t = NAN;
    }
    double t = strtod(v[col[C_T]], NULL);
    int hh = 0, mm = 0;
    sscanf(v[col[C_CLOCK]], "%d:%d", &hh, &mm);
    last_t = t;
    last_clock = hh * 60 + mm;
    snprintf(last_req, sizeof last_req, "%.31s", v[col[C_REQ]]);
    snprintf(last_paid, sizeof last_paid, "%.31s", v[col[C_PAID]]);
    snprintf(last_erl, sizeof last_erl, "%.31s", v[col[C_ERL]]);
    if (isnan(first_t))
      first_t = t;
    else if (isnan(interval) || t - first_t < interval)
      interval = t - first_t;
    double sl = *v[col[C_SL]] ? 100 * strtod(v[col[C_SL]], NULL) : NAN;
    double half = *v[col[C_SLH]] ? 100 * strtod(v[col[C_SLH]], NULL) : 0;
    double esl = *v[col[C_ESL]] ? 100 * strtod(v[col[C_ESL]], NULL) : NAN;
    char a[32], b[32], c[32];
    sim_csv_format_num(a, sl);
    sim_csv_format_num(b, sl - half);
    sim_csv_format_num(c, fmin(sl + half, 100));
    fprintf(out, "%s,%s,%s,%s,%s,%s,%s,%s,%s,", v[col[C_CLOCK]], v[col[C_T]],
            v[col[C_ARR]], v[col[C_REQ]], v[col[C_PAID]], v[col[C_ERL]], a, b, c);
    sim_csv_format_num(a, esl);
    fprintf(out, "%s\n", a);
  }
  if (out)
    fclose(out);
  fclose(in);
  if (data) {
    unlink(data);
    free(data);
  }
  return rc;
}
