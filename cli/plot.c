#include "cli/plot.h"
#include "cli/plot_staff.h"

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

/* A title for gnuplot's enhanced text: _ ^ { } @ & ~ shown as themselves. */
static void add_title(char *buf, size_t len, const char *name, const char *text)
{
  char escaped[2048];
  size_t n = 0;
  for (const char *p = text; *p && n + 3 < sizeof escaped; p++) {
    if (strchr("_^{}@&~", *p))
      escaped[n++] = '\\';
    escaped[n++] = *p;
  }
  escaped[n] = '\0';
  add_string(buf, len, name, escaped);
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

/* ---- sweeps -------------------------------------------------------------- */

/* sweep.csv in memory: the varied parameters' texts and the metrics. */
struct sweep_table {
  size_t naxes, ncols, nrows;
  char **header;         /* ncols names */
  char ***cells;         /* nrows x ncols texts */
};

static void sweep_table_free(struct sweep_table *t)
{
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++)
      free(t->cells[r][c]);
    free(t->cells[r]);
  }
  for (size_t c = 0; c < t->ncols; c++)
    free(t->header[c]);
  free(t->cells);
  free(t->header);
}

static bool read_sweep(const char *dir, struct sweep_table *t, char *err, size_t errlen)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/sweep.csv", dir);
  FILE *in = fopen(path, "r");
  memset(t, 0, sizeof *t);
  if (!in) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return false;
  }
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) {
    char *fields[512];
    size_t n = split_csv(line, fields, 512);
    if (!t->header) {
      t->ncols = n;
      t->header = sim_xcalloc(n, sizeof *t->header);
      for (size_t c = 0; c < n; c++) {
        t->header[c] = sim_xstrdup(fields[c]);
        if (!t->naxes && !strcmp(fields[c], "arrivals_mean"))
          t->naxes = c;
      }
      continue;
    }
    t->cells = sim_xrealloc(t->cells, t->nrows + 1, sizeof *t->cells);
    char **row = sim_xcalloc(t->ncols, sizeof *row);
    for (size_t c = 0; c < t->ncols; c++)
      row[c] = sim_xstrdup(c < n ? fields[c] : "");
    t->cells[t->nrows++] = row;
  }
  free(line);
  fclose(in);
  if (!t->naxes || !t->nrows) {
    snprintf(err, errlen, "'%s' is not a sweep result", path);
    return false;
  }
  return true;
}

static int column_of(const struct sweep_table *t, const char *name)
{
  for (size_t c = 0; c < t->ncols; c++)
    if (!strcmp(t->header[c], name))
      return (int)c;
  return -1;
}

/* The metric against the first varied parameter, one block per
 * combination of the others: x, label, mean, low, high. Numeric values
 * are placed at their value, others at their position. */
static bool write_sweep_series(const struct sweep_table *t, int mean_col,
                               const char *path, size_t *nseries, char *titles,
                               size_t titles_len)
{
  FILE *f = fopen(path, "w");
  if (!f)
    return false;
  bool numeric = true;
  for (size_t r = 0; r < t->nrows; r++) {
    char *end;
    strtod(t->cells[r][0], &end);
    numeric &= *t->cells[r][0] && !*end;
  }
  /* Rows come grouped: the first axis varies slowest, so the series of one
   * combination of the others are the rows with the same remainder. */
  size_t first_values = 0;
  for (size_t r = 0; r < t->nrows; r++)
    if (!strcmp(t->cells[r][0], t->cells[0][0]))
      first_values++;
  size_t series = first_values, per = t->nrows / series;
  titles[0] = '\0';
  for (size_t k = 0; k < series; k++) {
    char title[512] = "";
    for (size_t a = 1; a < t->naxes; a++) {
      size_t n = strlen(title);
      snprintf(title + n, sizeof title - n, "%s%s=%s", a > 1 ? ", " : "",
               t->header[a], t->cells[k][a]);
    }
    size_t n = strlen(titles);
    snprintf(titles + n, titles_len - n, "%s%s", k ? "|" : "", *title ? title : "mean");
    for (size_t i = 0; i < per; i++) {
      char **row = t->cells[i * series + k];
      double mean = atof(row[mean_col]);
      double half = row[mean_col + 1][0] ? atof(row[mean_col + 1]) : 0;
      fprintf(f, "%s,\"%s\",%.10g,%.10g,%.10g\n",
              numeric ? row[0] : "", row[0], mean, mean - half, mean + half);
    }
    fputs("\n\n", f);
  }
  *nseries = series;
  fclose(f);
  if (!numeric) {
    /* Positions instead of values: rewrite the x column. */
    FILE *in = fopen(path, "r");
    char *text = NULL;
    size_t cap = 0, len = 0;
    char buf[4096];
    size_t got;
    while (in && (got = fread(buf, 1, sizeof buf, in)) > 0) {
      text = sim_xrealloc(text, len + got + 1, 1);
      memcpy(text + len, buf, got);
      len += got;
    }
    if (in)
      fclose(in);
    (void)cap;
    FILE *out = fopen(path, "w");
    size_t pos = 0;
    for (size_t i = 0; out && text && i < len; i++) {
      bool line_start = i == 0 || text[i - 1] == '\n';
      if (line_start && text[i] == ',')
        fprintf(out, "%zu", pos++);
      if (line_start && text[i] == '\n')
        pos = 0;
      fputc(text[i], out);
    }
    if (out)
      fclose(out);
    free(text);
  }
  return true;
}

/* Cost against satisfaction, every point; column 4 marks the efficient
 * points (no other point is at most as costly and at least as satisfying,
 * and better in one), which are listed again in cost order in block 1. */
static bool write_tradeoff(const struct sweep_table *t, const char *path)
{
  int cost = column_of(t, "staff_cost_mean"), sat = column_of(t, "satisfaction_mean_mean");
  if (cost < 0 || sat < 0)
    return false;
  FILE *f = fopen(path, "w");
  if (!f)
    return false;
  bool *efficient = sim_xcalloc(t->nrows, sizeof *efficient);
  for (size_t i = 0; i < t->nrows; i++) {
    double ci = atof(t->cells[i][cost]), si = atof(t->cells[i][sat]);
    efficient[i] = true;
    for (size_t j = 0; j < t->nrows && efficient[i]; j++) {
      double cj = atof(t->cells[j][cost]), sj = atof(t->cells[j][sat]);
      if (j != i && cj <= ci && sj >= si && (cj < ci || sj > si))
        efficient[i] = false;
    }
  }
  for (int block = 0; block < 2; block++) {
    size_t *order = sim_xcalloc(t->nrows, sizeof *order), n = 0;
    for (size_t i = 0; i < t->nrows; i++)
      if (block == 0 || efficient[i])
        order[n++] = i;
    for (size_t a = 0; a < n; a++)   /* by cost, for the frontier's line */
      for (size_t b = a + 1; b < n; b++)
        if (atof(t->cells[order[b]][cost]) < atof(t->cells[order[a]][cost])) {
          size_t x = order[a];
          order[a] = order[b];
          order[b] = x;
        }
    for (size_t k = 0; k < n; k++) {
      char **row = t->cells[order[k]];
      char label[512] = "";
      for (size_t a = 0; a < t->naxes; a++) {
        size_t len = strlen(label);
        snprintf(label + len, sizeof label - len, "%s%s", a ? ", " : "", row[a]);
      }
      fprintf(f, "%s,%s,\"%s\",%d\n", row[cost], row[sat], label,
              efficient[order[k]] ? 1 : 0);
    }
    fputs("\n\n", f);
    free(order);
  }
  free(efficient);
  return fclose(f) == 0;
}

static int plot_sweep(const char *dir, const char *fmt, const char *scripts,
                      const char *gnuplot, char *err, size_t errlen, int *figures)
{
  struct run_facts f;
  memset(&f, 0, sizeof f);
  struct sweep_table t;
  int rc = 2;
  char outdir[2048], data[4096];
  snprintf(outdir, sizeof outdir, "%s/plots", dir);
  snprintf(data, sizeof data, "%s/.sweep.%ld.dat", outdir, (long)getpid());
  if (!read_about(dir, &f, err, errlen) || !read_sweep(dir, &t, err, errlen)) {
    sweep_table_free(&t);
    return rc;
  }
  rc = 1;
  if (sim_mkdir_p(outdir) != 0) {
    snprintf(err, errlen, "cannot create '%s': %s", outdir, strerror(errno));
    goto done;
  }
  static const struct {
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
  char sub[512];
  snprintf(sub, sizeof sub, "%ld replications per point; bands: 95%% confidence "
           "intervals; common random numbers", f.replications);
  for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
    char name[96], titles[8192], vars[16384] = "", title[512], ylabel[128];
    snprintf(name, sizeof name, "%s_mean", metrics[i].metric);
    int col = column_of(&t, name);
    size_t nseries;
    bool all_zero = true;  /* nothing to show (no one gave up, say) */
    for (size_t r = 0; col >= 0 && r < t.nrows; r++)
      all_zero &= atof(t.cells[r][col]) == 0;
    if (col < 0 || all_zero || !write_sweep_series(&t, col, data, &nseries, titles, sizeof titles))
      continue;
    snprintf(title, sizeof title, "%s: %s against %s", f.name, metrics[i].label,
             t.header[0]);
    if (!strcmp(metrics[i].metric, "wait_mean"))
      snprintf(ylabel, sizeof ylabel, "%s (%s)", metrics[i].label, f.unit);
    else
      snprintf(ylabel, sizeof ylabel, "%s", metrics[i].label);
    add_title(vars, sizeof vars, "title", title);
    add_title(vars, sizeof vars, "sub", sub);
    add_string(vars, sizeof vars, "data", data);
    add_string(vars, sizeof vars, "xlabel", t.header[0]);
    add_string(vars, sizeof vars, "ylabel", ylabel);
    /* Series names one per variable: series1, series2, ... */
    char *save = NULL, *name_of = strtok_r(titles, "|", &save);
    for (size_t k = 1; name_of; k++, name_of = strtok_r(NULL, "|", &save)) {
      char key[32];
      snprintf(key, sizeof key, "series%zu", k);
      add_string(vars, sizeof vars, key, name_of);
    }
    add_number(vars, sizeof vars, "nseries", (double)nseries);
    add_number(vars, sizeof vars, "scale", metrics[i].scale);
    if (!draw(gnuplot, scripts, "sweep_metric", vars, outdir, metrics[i].file, fmt,
              err, errlen))
      goto done;
    (*figures)++;
  }
  if (write_tradeoff(&t, data)) {
    char vars[8192] = "", title[512];
    snprintf(title, sizeof title, "%s: staff cost against satisfaction", f.name);
    add_title(vars, sizeof vars, "title", title);
    char tsub[1024] = "each point a setting (";
    for (size_t a = 0; a < t.naxes; a++) {
      size_t n = strlen(tsub);
      snprintf(tsub + n, sizeof tsub - n, "%s%s", a ? ", " : "", t.header[a]);
    }
    strncat(tsub, "); efficient settings (none cheaper and better) joined",
            sizeof tsub - strlen(tsub) - 1);
    add_title(vars, sizeof vars, "sub", tsub);
    add_string(vars, sizeof vars, "data", data);
    if (!draw(gnuplot, scripts, "tradeoff", vars, outdir, "tradeoff", fmt, err, errlen))
      goto done;
    (*figures)++;
  }
  rc = 0;
done:
  unlink(data);
  sweep_table_free(&t);
  return rc;
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
  /* A folder of `loket staff` also gets its staffing figure. */
  int staffing = cli_plot_staffing(dir, fmt, scripts, gnuplot, err, errlen, figures);
  if (staffing != 0) {
    free(gnuplot);
    return staffing;
  }
  char sweep_csv[4096];
  snprintf(sweep_csv, sizeof sweep_csv, "%s/sweep.csv", dir);
  if (access(sweep_csv, R_OK) == 0) {
    int rc = plot_sweep(dir, fmt, scripts, gnuplot, err, errlen, figures);
    free(gnuplot);
    return rc;
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
  add_title(common, sizeof common, "sub", sub);
  add_number(common, sizeof common, "within", f.within);
  add_number(common, sizeof common, "target", f.target);
  add_number(common, sizeof common, "clock", hours <= 24 ? 1 : 0);

  char vars[16384], title[512];
  double binwidth, xmax;
  wait_axis(dir, f.within, &binwidth, &xmax);
  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: how long customers wait", f.name);
  add_title(vars, sizeof vars, "title", title);
  char pooled[256];
  snprintf(pooled, sizeof pooled, "served customers of %ld replication%s together; "
           "waits summed over a journey's queues", f.replications,
           f.replications == 1 ? "" : "s");
  add_title(vars, sizeof vars, "sub", pooled);
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
    add_title(vars, sizeof vars, "title", title);
    add_number(vars, sizeof vars, "dept", (double)d);
    if (!draw(gnuplot, scripts, "day", vars, outdir, name, fmt, err, errlen))
      goto done;
    (*figures)++;
  }

  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: service level through the day", f.name);
  add_title(vars, sizeof vars, "title", title);
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
  add_title(vars, sizeof vars, "title", title);
  add_string(vars, sizeof vars, "kpi", kpi);
  add_number(vars, sizeof vars, "last", (double)nscopes - 1);
  if (!draw(gnuplot, scripts, "kpi", vars, outdir, "kpi", fmt, err, errlen))
    goto done;
  (*figures)++;
  snprintf(vars, sizeof vars, "%s", common);
  snprintf(title, sizeof title, "%s: how satisfied customers leave", f.name);
  add_title(vars, sizeof vars, "title", title);
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
