/* What the figures of a run and of a sweep share: about.csv and figure
 * names (see cli/plot_parts.h). */
#include "cli/plot_parts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check.h"
#include "sim/csvread.h"

/* ---- about.csv ----------------------------------------------------------- */

void plot_about_fini(struct plot_about *a)
{
  free(a->name);
  free(a->unit);
  memset(a, 0, sizeof *a);
}

int plot_about_read(const char *dir, struct plot_about *a, char *err, size_t errlen)
{
  memset(a, 0, sizeof *a);
  a->target = NAN;
  struct sim_csv_reader r;
  int col[2] = {-1, -1};
  size_t len = strlen(dir) + 16;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/about.csv", dir);
  int rc = sim_csv_reader_open(&r, path);
  free(path);
  if (rc == 0 && ((col[0] = sim_csv_reader_require(&r, "key")) < 0 ||
                  (col[1] = sim_csv_reader_require(&r, "value")) < 0))
    rc = -1;
  if (rc != 0 && errno == ENOENT && !r.header)
    snprintf(r.error + strlen(r.error), sizeof r.error - strlen(r.error),
             " (is '%.200s' the folder of a loket run?)", dir);
  enum { NAME = 1, UNIT = 2, HORIZON = 4, WITHIN = 8, REPLICATIONS = 16 };
  unsigned seen = 0;
  int got = 0;
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *key = sim_csv_reader_field(&r, (size_t)col[0]);
    const char *value = sim_csv_reader_field(&r, (size_t)col[1]);
    size_t v = (size_t)col[1];
    if (!strcmp(key, "name") && !a->name) {
      a->name = sim_xstrdup(value);
      seen |= NAME;
    } else if (!strcmp(key, "time_unit") && !a->unit) {
      a->unit = sim_xstrdup(value);
      seen |= UNIT;
    } else if (!strcmp(key, "horizon")) {
      rc = sim_csv_reader_num(&r, v, false, &a->horizon);
      if (rc == 0 && !(a->horizon > 0))
        rc = sim_csv_reader_fail(&r, "the horizon must be above 0");
      seen |= HORIZON;
    } else if (!strcmp(key, "service_level_within")) {
      rc = sim_csv_reader_num(&r, v, false, &a->within);
      if (rc == 0 && !(a->within >= 0))
        rc = sim_csv_reader_fail(&r, "service_level_within must be >= 0");
      seen |= WITHIN;
    } else if (!strcmp(key, "service_level_target")) {
      rc = sim_csv_reader_num(&r, v, true, &a->target);
      if (rc == 0 && !(isnan(a->target) || (a->target >= 0 && a->target <= 1)))
        rc = sim_csv_reader_fail(&r, "service_level_target must be from 0 to 1");
    } else if (!strcmp(key, "replications")) {
      rc = sim_csv_reader_count(&r, v, 1, 1000000, &a->replications);
      seen |= REPLICATIONS;
    }
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (rc == 0 && seen != (NAME | UNIT | HORIZON | WITHIN | REPLICATIONS))
    rc = sim_csv_reader_fail(&r, "about.csv lacks one of name, time_unit, horizon, "
                                 "service_level_within, replications");
  if (rc != 0) {
    snprintf(err, errlen, "%s", r.error);
    plot_about_fini(a);
  }
  sim_csv_reader_fini(&r);
  return rc;
}

/* ---- figure names -------------------------------------------------------- */

const char *plot_names_make(struct plot_names *names, const char *prefix,
                            const char *user)
{
  size_t len = strlen(prefix) + 80 + 24;
  char *base = sim_xmalloc(len), *name = sim_xmalloc(len);
  size_t n = (size_t)snprintf(base, len, "%s", prefix);
  for (const unsigned char *p = (const unsigned char *)user; *p && n + 24 < len; p++)
    base[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ? (char)*p : '-';
  base[n] = '\0';
  snprintf(name, len, "%s", base);
  for (size_t k = 2;; k++) {
    bool taken = false;
    for (size_t i = 0; i < names->n && !taken; i++)
      taken = !strcmp(names->names[i], name);
    if (!taken)
      break;
    snprintf(name, len, "%s-%zu", base, k);
  }
  free(base);
  names->names = sim_xrealloc(names->names, names->n + 1, sizeof *names->names);
  names->names[names->n++] = name;
  return name;
}

void plot_names_fini(struct plot_names *names)
{
  for (size_t i = 0; i < names->n; i++)
    free(names->names[i]);
  free(names->names);
  memset(names, 0, sizeof *names);
}

