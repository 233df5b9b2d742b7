/* `loket plot` on a run: the journeys figure (see cli/plot.h), from the
 * journeys:handoffs=N rows of stats.csv, read by column name with
 * sim/csvread.h. */
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

enum { GROUPS = 4 };  /* handoffs=0, 1, 2, 3+ */
static const char *const group_names[GROUPS] = {"handoffs=0", "handoffs=1",
                                                 "handoffs=2", "handoffs=3+"};
static const char *const labels[GROUPS] = {"none", "1", "2", "3 or more"};

struct journey_bar {
  double customers, sojourn[3], satisfaction[3];  /* mean, low, high */
};

static int read_groups(const char *dir, struct journey_bar *bars, char *err,
                       size_t errlen)
{
  static const char *const names[] = {"scope", "metric", "mean", "ci95_low",
                                      "ci95_high", NULL};
  int col[5];
  size_t len = strlen(dir) + 16;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/stats.csv", dir);
  struct sim_csv_reader r;
  int rc = sim_csv_reader_open(&r, path);
  free(path);
  for (size_t i = 0; rc == 0 && names[i]; i++)
    if ((col[i] = sim_csv_reader_require(&r, names[i])) < 0)
      rc = -1;
  int got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *scope = sim_csv_reader_field(&r, (size_t)col[0]);
    if (strncmp(scope, "journeys:", 9))
      continue;
    int g = 0;
    while (g < GROUPS && strcmp(scope + 9, group_names[g]))
      g++;
    if (g == GROUPS)
      continue;
    const char *metric = sim_csv_reader_field(&r, (size_t)col[1]);
    double x[3];
    for (int k = 0; rc == 0 && k < 3; k++)
      rc = sim_csv_reader_num(&r, (size_t)col[2 + k], true, &x[k]);
    if (rc != 0)
      break;
    for (int k = 1; k < 3; k++)
      if (isnan(x[k]))
        x[k] = x[0];
    if (!strcmp(metric, "customers"))
      bars[g].customers = x[0];
    else if (!strcmp(metric, "sojourn_mean"))
      memcpy(bars[g].sojourn, x, sizeof x);
    else if (!strcmp(metric, "satisfaction_mean"))
      memcpy(bars[g].satisfaction, x, sizeof x);
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

int plot_journeys(const char *dir, const char *outdir, const char *fmt,
                  const char *scripts, const char *gnuplot, char *err, size_t errlen,
                  struct gp_drawn *drawn)
{
  struct journey_bar bars[GROUPS];
  for (int g = 0; g < GROUPS; g++)
    bars[g] = (struct journey_bar){0, {NAN, NAN, NAN}, {NAN, NAN, NAN}};
  if (read_groups(dir, bars, err, errlen) != 0)
    return 2;
  /* A day where (nearly) nobody moves on has nothing to show. */
  int shown = 0;
  for (int g = 0; g < GROUPS; g++)
    shown += bars[g].customers > 0 && !isnan(bars[g].sojourn[0]);
  if (shown < 2)
    return 0;
  struct plot_about about;
  if (plot_about_read(dir, &about, err, errlen) != 0)
    return 2;
  char *data = NULL;
  int rc = 1;
  FILE *f = gp_data_create("journeys", &data, err, errlen);
  if (!f)
    goto done;
  double top = 0;
  int bar = 0;
  for (int g = 0; g < GROUPS; g++) {
    const struct journey_bar *b = &bars[g];
    if (!(b->customers > 0) || isnan(b->sojourn[0]))
      continue;
    fprintf(f, "%d,", bar++);
    gp_data_label(f, labels[g]);
    fprintf(f, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n", b->sojourn[0],
            b->sojourn[1], b->sojourn[2], b->satisfaction[0], b->satisfaction[1],
            b->satisfaction[2], b->customers);
    top = fmax(top, b->sojourn[2]);
  }
  bool failed = ferror(f) | fclose(f);
  if (failed) {
    snprintf(err, errlen, "cannot write '%s': %s", data, strerror(errno));
    goto done;
  }
  struct gp_vars v;
  gp_vars_init(&v);
  size_t len = strlen(about.name) + 64;
  char *title = sim_xmalloc(len);
  snprintf(title, len, "%s: journeys by their handoffs", about.name);
  char sub[256];
  snprintf(sub, sizeof sub, "customers grouped by the moves between departments "
           "(routes and handoffs); means over %llu replication%s with 95 %% intervals",
           (unsigned long long)about.replications, about.replications == 1 ? "" : "s");
  gp_title(&v, "title", title);
  gp_title(&v, "sub", sub);
  gp_string(&v, "data", data);
  gp_string(&v, "unit", about.unit);
  gp_number(&v, "last", bar - 1);
  gp_number(&v, "ymax", top > 0 ? top * 1.1 : 1);
  bool ok = gp_draw(gnuplot, scripts, "journeys", &v, outdir, "journeys", fmt, drawn,
                    err, errlen);
  rc = ok ? 0 : 1;
  free(title);
  gp_vars_fini(&v);
done:
  if (data) {
    unlink(data);
    free(data);
  }
  plot_about_fini(&about);
  return rc;
}
