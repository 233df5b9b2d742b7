#include "cli/plot.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/check.h"
#include "sim/csv.h"

/* ---- reading the run's CSV files ----------------------------------------- */

/* Splits one CSV line into at most `max` fields in place, undoing RFC 4180
 * quoting. Returns the number of fields. Lines are those loket writes. */
static size_t split_csv(char *line, char **fields, size_t max)
{
  size_t n = 0;
  char *p = line;
  line[strcspn(line, "\r\n")] = '\0';
  while (n < max) {
    if (*p == '"') {
      char *out = ++p;
      fields[n++] = out;
      while (*p) {
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          *out++ = *p++;
        }
      }
      *out = '\0';
      if (*p == ',')
        p++;
      else
        break;
    } else {
      fields[n++] = p;
      char *comma = strchr(p, ',');
      if (!comma)
        break;
      *comma = '\0';
      p = comma + 1;
    }
  }
  return n;
}

struct run_facts {
  char name[256], unit[32], opens[16];
  double horizon, within, target;
  long replications;
  char **departments;
  size_t ndepartments;
};

static bool read_about(const char *dir, struct run_facts *f, char *err, size_t errlen)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/about.csv", dir);
  FILE *in = fopen(path, "r");
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s (is '%s' the folder of a loket run?)",
             path, strerror(errno), dir);
    return false;
  }
  char line[1024];
  f->target = NAN;
  while (fgets(line, sizeof line, in)) {
    char *field[2];
    if (split_csv(line, field, 2) != 2)
      continue;
    if (!strcmp(field[0], "name"))
      snprintf(f->name, sizeof f->name, "%s", field[1]);
    else if (!strcmp(field[0], "time_unit"))
      snprintf(f->unit, sizeof f->unit, "%s", field[1]);
    else if (!strcmp(field[0], "opens"))
      snprintf(f->opens, sizeof f->opens, "%s", field[1]);
    else if (!strcmp(field[0], "horizon"))
      f->horizon = atof(field[1]);
    else if (!strcmp(field[0], "service_level_within"))
      f->within = atof(field[1]);
    else if (!strcmp(field[0], "service_level_target"))
      f->target = field[1][0] ? atof(field[1]) : NAN;
    else if (!strcmp(field[0], "replications"))
      f->replications = atol(field[1]);
  }
  fclose(in);
  return true;
}

/* Rows of stats.csv: the department names (in order) and, for the KPI and
 * satisfaction figures, a few metrics per scope. */
struct scope_stats {
  char label[256];
  double sl, sl_low, sl_high, low, mid, high, satisfaction;
};

static bool read_stats(const char *dir, struct run_facts *f,
                       struct scope_stats **scopes, size_t *nscopes, char *err,
                       size_t errlen)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/stats.csv", dir);
  FILE *in = fopen(path, "r");
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return false;
  }
  char line[2048];
  struct scope_stats *s = NULL;
  size_t n = 0;
  while (fgets(line, sizeof line, in)) {
    char *field[7];
    if (split_csv(line, field, 7) < 5)
      continue;
    const char *scope = field[0], *metric = field[1];
    bool journey = !strcmp(scope, "summary");
    if (!journey && strncmp(scope, "department:", 11) != 0)
      continue;
    const char *label = journey ? "whole journey" : scope + 11;
    size_t i = 0;
    while (i < n && strcmp(s[i].label, label) != 0)
      i++;
    if (i == n) {
      s = sim_xrealloc(s, n + 1, sizeof *s);
      memset(&s[n], 0, sizeof s[n]);
      snprintf(s[n].label, sizeof s[n].label, "%s", label);
      n++;
      if (!journey) {
        f->departments = sim_xrealloc(f->departments, f->ndepartments + 1,
                                      sizeof *f->departments);
        f->departments[f->ndepartments++] = sim_xstrdup(label);
      }
    }
    double mean = atof(field[2]);
    if (!strcmp(metric, "service_level")) {
      s[i].sl = mean;
      s[i].sl_low = field[4][0] ? atof(field[4]) : mean;
      s[i].sl_high = field[5][0] ? atof(field[5]) : mean;
    } else if (!strcmp(metric, "satisfaction_low")) {
      s[i].low = mean;
    } else if (!strcmp(metric, "satisfaction_mid")) {
      s[i].mid = mean;
    } else if (!strcmp(metric, "satisfaction_high")) {
      s[i].high = mean;
    } else if (!strcmp(metric, "satisfaction_mean")) {
      s[i].satisfaction = mean;
    }
  }
  fclose(in);
  *scopes = s;
  *nscopes = n;
  if (f->ndepartments == 0) {
    snprintf(err, errlen, "'%s' names no departments", path);
    return false;
  }
  return true;
}

/* Bin width and x range of the wait histogram: 40 bins up to the 99th
 * percentile, on a round number (1, 2 or 5 times a power of ten). */
static void wait_axis(const char *dir, double within, double *binwidth, double *xmax)
{
  char path[4096], line[256];
  snprintf(path, sizeof path, "%s/waits.csv", dir);
  double p99 = 0;
  FILE *in = fopen(path, "r");
  if (in) {
    while (fgets(line, sizeof line, in)) {
      char *field[4];
      if (split_csv(line, field, 4) == 4 && field[0][0] >= '0' && field[0][0] <= '9') {
        p99 = atof(field[0]);
        if (atof(field[3]) >= 0.99)
          break;
      }
    }
    fclose(in);
  }
  double top = fmax(p99, within) * 1.1;
  if (!(top > 0))
    top = 1;
  double raw = top / 40, power = pow(10, floor(log10(raw)));
  double step = raw / power < 2 ? 1 : raw / power < 5 ? 2 : 5;
  *binwidth = step * power;
  *xmax = ceil(top / *binwidth) * *binwidth;
}

/* The time series averaged over replications, one block per department
 * (gnuplot's `index`): t_start, clock, waiting, staff, busy, service level
 * (empty where no customer started service in that interval of any
 * replication). */
static bool write_day(const char *dir, const char *path, const struct run_facts *f,
                      char *err, size_t errlen)
{
  char in_path[4096], line[2048];
  snprintf(in_path, sizeof in_path, "%s/timeseries.csv", dir);
  FILE *in = fopen(in_path, "r");
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", in_path, strerror(errno));
    return false;
  }
  struct cell { double t, queue, staff, busy, sl; long n, nsl; char clock[16]; };
  size_t nd = f->ndepartments, cap = 64, nint = 0;
  struct cell *cells = sim_xcalloc(nd * cap, sizeof *cells);
  long last_rep = -1;
  size_t last_dept = SIZE_MAX, k = 0;
  bool header = true;
  while (fgets(line, sizeof line, in)) {
    char *c[11];
    if (header || split_csv(line, c, 11) < 11) {
      header = false;
      continue;
    }
    long rep = atol(c[0]);
    size_t d = 0;
    while (d < nd && strcmp(f->departments[d], c[1]) != 0)
      d++;
    if (d == nd)
      continue;
    if (rep != last_rep || d != last_dept)
      k = 0;
    last_rep = rep;
    last_dept = d;
    if (k >= cap) {
      size_t bigger = cap * 2;
      struct cell *grown = sim_xcalloc(nd * bigger, sizeof *grown);
      for (size_t i = 0; i < nd; i++)
        memcpy(grown + i * bigger, cells + i * cap, cap * sizeof *cells);
      free(cells);
      cells = grown;
      cap = bigger;
    }
    struct cell *x = &cells[d * cap + k];
    x->t = atof(c[2]);
    snprintf(x->clock, sizeof x->clock, "%s", c[10]);
    x->queue += atof(c[4]);
    x->staff += atof(c[5]);
    x->busy += atof(c[6]);
    x->n++;
    if (c[8][0]) {
      x->sl += atof(c[8]);
      x->nsl++;
    }
    if (++k > nint)
      nint = k;
  }
  fclose(in);
  FILE *out = fopen(path, "w");
  if (!out) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    free(cells);
    return false;
  }
  for (size_t d = 0; d < nd; d++) {
    for (size_t i = 0; i < nint; i++) {
      const struct cell *x = &cells[d * cap + i];
      if (!x->n)
        continue;
      fprintf(out, "%.10g,%s,%.10g,%.10g,%.10g,", x->t, x->clock, x->queue / x->n,
              x->staff / x->n, x->busy / x->n);
      if (x->nsl)
        fprintf(out, "%.10g", x->sl / x->nsl);
      fputc('\n', out);
    }
    fputs("\n\n", out);
  }
  free(cells);
  return fclose(out) == 0;
}

/* ---- running gnuplot ----------------------------------------------------- */

/* The first executable "gnuplot" on PATH, or NULL. */
static char *find_gnuplot(void)
{
  const char *path = getenv("PATH");
  if (!path)
    return NULL;
  char *copy = sim_xstrdup(path), *save = NULL;
  for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
    char candidate[4096];
    snprintf(candidate, sizeof candidate, "%s/gnuplot", *d ? d : ".");
    if (access(candidate, X_OK) == 0) {
      free(copy);
      return sim_xstrdup(candidate);
    }
  }
  free(copy);
  return NULL;
}

/* Appends name="value" (a gnuplot string, escaped) or name=number. */
static void add_string(char *buf, size_t len, const char *name, const char *value)
{
  size_t n = strlen(buf);
  n += (size_t)snprintf(buf + n, len - n, "%s=\"", name);
  for (const char *p = value; *p && n + 3 < len; p++) {
    if (*p == '"' || *p == '\\')
      buf[n++] = '\\';
    buf[n++] = *p;
  }
  snprintf(buf + n, len - n, "\";");
}

static void add_number(char *buf, size_t len, const char *name, double value)
{
  size_t n = strlen(buf);
  if (isnan(value))
    snprintf(buf + n, len - n, "%s=NaN;", name);
  else
    snprintf(buf + n, len - n, "%s=%.17g;", name, value);
}

/* Runs gnuplot on style.gp and the figure's script, writing to a temporary
 * file that is renamed when gnuplot succeeded. */
static bool draw(const char *gnuplot, const char *scripts, const char *figure,
                 const char *vars, const char *outdir, const char *name,
                 const char *fmt, char *err, size_t errlen)
{
  char out[4096], tmp[4096], style[4096], script[4096];
  snprintf(out, sizeof out, "%s/%s.%s", outdir, name, fmt);
  snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp.%ld", outdir, name, fmt, (long)getpid());
  snprintf(style, sizeof style, "%s/style.gp", scripts);
  snprintf(script, sizeof script, "%s/%s.gp", scripts, figure);
  size_t len = strlen(vars) + 2 * strlen(tmp) + 256;
  char *all = sim_xmalloc(len);
  all[0] = '\0';
  add_string(all, len, "fmt", fmt);
  add_string(all, len, "out", tmp);
  strncat(all, vars, len - strlen(all) - 1);

  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
    free(all);
    return false;
  }
  if (pid == 0) {
    execl(gnuplot, "gnuplot", "-e", all, style, script, (char *)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  free(all);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    unlink(tmp);
    snprintf(err, errlen, "gnuplot failed on %s (exit status %d); its message is above",
             script, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return false;
  }
  if (rename(tmp, out) != 0) {
    unlink(tmp);
    snprintf(err, errlen, "cannot write '%s': %s", out, strerror(errno));
    return false;
  }
  return true;
}

/* A file name from a department name: letters, digits, '-', '_'. */
static void file_safe(char *out, size_t len, const char *name)
{
  size_t n = 0;
  for (const char *p = name; *p && n + 1 < len; p++) {
    unsigned char c = (unsigned char)*p;
    out[n++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '-' || c == '_' ? (char)c : '-';
  }
  out[n] = '\0';
}

static bool write_bars(const char *path, const struct scope_stats *s, size_t n,
                       bool satisfaction, char *err, size_t errlen)
{
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    return false;
  }
  /* Departments first, the whole journey last; the first column numbers
   * the bars from 0. */
  int bar = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      bool journey = !strcmp(s[i].label, "whole journey");
      if (journey != (pass == 1))
        continue;
      fprintf(f, "%d,\"", bar++);
      for (const char *p = s[i].label; *p; p++)
        fputc(*p == '"' ? '\'' : *p, f);
      if (satisfaction)
        fprintf(f, "\",%.10g,%.10g,%.10g,%.10g\n", s[i].low, s[i].mid, s[i].high,
                s[i].satisfaction);
      else
        fprintf(f, "\",%.10g,%.10g,%.10g\n", s[i].sl, s[i].sl_low, s[i].sl_high);
    }
  return fclose(f) == 0;
}

int cli_plot(const char *dir, const char *fmt, const char *scripts, char *err,
             size_t errlen, int *figures)
{
  *figures = 0;
  char *gnuplot = find_gnuplot();
  if (!gnuplot) {
    snprintf(err, errlen, "gnuplot is not on PATH; install it (Debian: "
                          "apt-get install gnuplot-nox) and try again");
    return 1;
  }
  struct run_facts f;
  memset(&f, 0, sizeof f);
  struct scope_stats *scopes = NULL;
  size_t nscopes = 0;
  int rc = 2;
  char outdir[2048], kpi[4096], sat[4096], day[4096];
  snprintf(outdir, sizeof outdir, "%s/plots", dir);
  snprintf(day, sizeof day, "%s/.day.%ld.dat", outdir, (long)getpid());
  snprintf(kpi, sizeof kpi, "%s/.kpi.%ld.dat", outdir, (long)getpid());
  snprintf(sat, sizeof sat, "%s/.satisfaction.%ld.dat", outdir, (long)getpid());
  if (!read_about(dir, &f, err, errlen) ||
      !read_stats(dir, &f, &scopes, &nscopes, err, errlen))
    goto done;
  rc = 1;
  if (sim_mkdir_p(outdir) != 0) {
    snprintf(err, errlen, "cannot create '%s': %s", outdir, strerror(errno));
    goto done;
  }
  if (!write_day(dir, day, &f, err, errlen))
    goto done;

  /* Shared variables. Clock times on the x axis for a day of at most 24
   * hours; beyond that, time since opening. */
  double hours = f.horizon / (!strcmp(f.unit, "hours") ? 1 : !strcmp(f.unit, "seconds") ? 3600 : 60);
  char common[8192] = "";
  char sub[512];
  snprintf(sub, sizeof sub, "%ld replication%s; means over replications",
           f.replications, f.replications == 1 ? "" : "s");
  add_string(common, sizeof common, "dir", dir);
  add_string(common, sizeof common, "day", day);
  add_string(common, sizeof common, "unit", f.unit);
  add_string(common, sizeof common, "sub", sub);
  add_number(common, sizeof common, "within", f.within);
  add_number(common, sizeof common, "target", f.target);
  add_number(common, sizeof common, "clock", hours <= 24 ? 1 : 0);

  char vars[16384], title[512];
  double binwidth, xmax;
  wait_axis(dir, f.within, &binwidth, &xmax);
  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: how long customers wait", f.name);
  add_string(vars, sizeof vars, "title", title);
  char pooled[256];
  snprintf(pooled, sizeof pooled, "served customers of %ld replication%s together; "
           "waits summed over a journey's queues", f.replications,
           f.replications == 1 ? "" : "s");
  add_string(vars, sizeof vars, "sub", pooled);
  add_number(vars, sizeof vars, "binwidth", binwidth);
  add_number(vars, sizeof vars, "xmax", xmax);
  if (!draw(gnuplot, scripts, "waits", vars, outdir, "waits", fmt, err, errlen))
    goto done;
  (*figures)++;

  for (size_t d = 0; d < f.ndepartments; d++) {
    char name[300], safe[256];
    file_safe(safe, sizeof safe, f.departments[d]);
    snprintf(name, sizeof name, "day-%s", safe);
    snprintf(vars, sizeof vars, "%s", common);
    snprintf(title, sizeof title, "%s: %s over the day", f.name, f.departments[d]);
    add_string(vars, sizeof vars, "title", title);
    add_number(vars, sizeof vars, "dept", (double)d);
    if (!draw(gnuplot, scripts, "day", vars, outdir, name, fmt, err, errlen))
      goto done;
    (*figures)++;
  }

  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: service level through the day", f.name);
  add_string(vars, sizeof vars, "title", title);
  add_number(vars, sizeof vars, "ndepts", (double)f.ndepartments);
  for (size_t d = 0; d < f.ndepartments; d++) {
    char key[32];
    snprintf(key, sizeof key, "dept%zu", d + 1);
    add_string(vars, sizeof vars, key, f.departments[d]);
  }
  if (!draw(gnuplot, scripts, "service_level", vars, outdir, "service_level", fmt,
            err, errlen))
    goto done;
  (*figures)++;

  if (!write_bars(kpi, scopes, nscopes, false, err, errlen) ||
      !write_bars(sat, scopes, nscopes, true, err, errlen))
    goto done;
  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: each department against the whole journey", f.name);
  add_string(vars, sizeof vars, "title", title);
  add_string(vars, sizeof vars, "kpi", kpi);
  add_number(vars, sizeof vars, "last", (double)nscopes - 1);
  if (!draw(gnuplot, scripts, "kpi", vars, outdir, "kpi", fmt, err, errlen))
    goto done;
  (*figures)++;
  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: how satisfied customers leave", f.name);
  add_string(vars, sizeof vars, "title", title);
  add_string(vars, sizeof vars, "sat", sat);
  if (!draw(gnuplot, scripts, "satisfaction", vars, outdir, "satisfaction", fmt,
            err, errlen))
    goto done;
  (*figures)++;
  rc = 0;

done:
  unlink(day);
  unlink(kpi);
  unlink(sat);
  for (size_t d = 0; d < f.ndepartments; d++)
    free(f.departments[d]);
  free(f.departments);
  free(scopes);
  free(gnuplot);
  return rc;
}
