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

/* DIR/NAME (free it). */
char *plot_path_in(const char *dir, const char *name)
{
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = sim_xmalloc(len);
  snprintf(p, len, "%s/%s", dir, name);
  return p;
}

/* Opens DIR/NAME and finds the columns; -1 with the reader's message. */
int plot_open_table(struct sim_csv_reader *r, const char *dir, const char *name,
                    const char *const *names, int *columns)
{
  char *path = plot_path_in(dir, name);
  int rc = sim_csv_reader_open(r, path);
  free(path);
  for (size_t i = 0; rc == 0 && names[i]; i++)
    if ((columns[i] = sim_csv_reader_require(r, names[i])) < 0)
      rc = -1;
  return rc;
}

/* ---- about.csv ----------------------------------------------------------- */

void plot_about_fini(struct plot_about *a)
{
  free(a->name);
  free(a->unit);
  free(a->currency);
  for (size_t i = 0; i < a->nlabels; i++) {
    free(a->labels[i].key);
    free(a->labels[i].text);
  }
  free(a->labels);
  memset(a, 0, sizeof *a);
}

const char *plot_label(const struct plot_about *a, const char *key)
{
  for (size_t i = 0; i < a->nlabels; i++)
    if (!strcmp(a->labels[i].key, key))
      return a->labels[i].text;
  return NULL;
}

const char *plot_department_name(const struct plot_about *a, const char *name)
{
  size_t len = strlen(name) + 16;
  char *key = sim_xmalloc(len);
  snprintf(key, len, "departments.%s", name);
  const char *label = plot_label(a, key);
  free(key);
  return label ? label : name;
}

char *plot_path_name(const struct plot_about *a, const char *path)
{
  const char *label = plot_label(a, path);
  if (label)
    return sim_xstrdup(label);
  size_t len = strlen(path);
  char *out = sim_xmalloc(len + 32);
  const char *rest = path;
  size_t n = 0;
  char *end;
  if (!strncmp(path, "departments.", 12) || !strncmp(path, "classes.", 8)) {
    rest = strchr(path, '.') + 1;  /* the name, then its keys */
  } else if (!strncmp(path, "arrivals.", 9) && path[9] >= '0' && path[9] <= '9') {
    unsigned long stream = strtoul(path + 9, &end, 10);
    if (*end == '.' && end[1]) {
      n = (size_t)snprintf(out, len + 32, "arrival ");
      rest = end + 1;
      for (; *rest; rest++)
        out[n++] = *rest == '.' || *rest == '_' ? ' ' : *rest;
      out[n] = '\0';
      if (stream > 0)
        snprintf(out + n, len + 32 - n, " (stream %lu)", stream + 1);
      return out;
    }
  }
  for (; *rest; rest++)
    out[n++] = *rest == '.' || *rest == '_' ? ' ' : *rest;
  out[n] = '\0';
  return out;
}

int plot_about_read(const char *dir, struct plot_about *a, char *err, size_t errlen)
{
  memset(a, 0, sizeof *a);
  a->target = NAN;
  a->staffing_target = NAN;
  struct sim_csv_reader r;
  int col[2];
  static const char *const names[] = {"key", "value", NULL};
  int rc = plot_open_table(&r, dir, "about.csv", names, col);
  if (rc != 0 && errno == ENOENT && !r.header)
    snprintf(r.error + strlen(r.error), sizeof r.error - strlen(r.error),
             " (is '%.200s' the folder of a loket run?)", dir);
  enum { NAME = 1, UNIT = 2, HORIZON = 4, WITHIN = 8, REPLICATIONS = 16 };
  unsigned seen = 0;
  bool have_staffing_target = false;
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
    } else if (!strcmp(key, "staffing_target_service_level")) {
      have_staffing_target = true;
      rc = sim_csv_reader_num(&r, v, true, &a->staffing_target);
      if (rc == 0 && !(isnan(a->staffing_target) ||
                       (a->staffing_target >= 0 && a->staffing_target <= 1)))
        rc = sim_csv_reader_fail(&r, "staffing_target_service_level must be from 0 to 1");
    } else if (!strcmp(key, "replications")) {
      rc = sim_csv_reader_count(&r, v, 1, 1000000, &a->replications);
      seen |= REPLICATIONS;
    } else if (!strcmp(key, "currency") && !a->currency && *value) {
      a->currency = sim_xstrdup(value);
    } else if (!strncmp(key, "label:", 6) && key[6] && *value) {
      a->labels = sim_xrealloc(a->labels, a->nlabels + 1, sizeof *a->labels);
      a->labels[a->nlabels++] = (struct plot_label){sim_xstrdup(key + 6),
                                                    sim_xstrdup(value)};
    }
  }
  if (rc == 0 && got < 0)
    rc = -1;
  if (!have_staffing_target)
    a->staffing_target = a->target;
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
