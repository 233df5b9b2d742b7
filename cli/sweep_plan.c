#include "cli/sweep_plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model_hash.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"

void sweep_plan_fini(struct sweep_plan *p)
{
  for (size_t i = 0; i < p->naxes; i++)
    model_axis_fini(&p->axes[i]);
  free(p->axes);
  for (size_t i = 0; i < p->nsets; i++)
    free(p->sets[i]);
  free(p->sets);
  for (size_t i = 0; i < p->nvariants; i++)
    model_variant_fini(&p->variants[i]);
  free(p->variants);
  memset(p, 0, sizeof *p);
}

void sweep_plan_add_variant_axis(struct sweep_plan *p)
{
  if (p->nvariants == 0)
    return;
  p->axes = sim_xrealloc(p->axes, p->naxes + 1, sizeof *p->axes);
  memmove(p->axes + 1, p->axes, p->naxes * sizeof *p->axes);
  p->naxes++;
  struct model_axis *a = &p->axes[0];
  a->path = sim_xstrdup(SWEEP_VARIANT_AXIS);
  a->nvalues = p->nvariants;
  a->values = sim_xcalloc(p->nvariants, sizeof *a->values);
  for (size_t v = 0; v < p->nvariants; v++)
    a->values[v] = sim_xstrdup(p->variants[v].name);
}

int sweep_plan_count(struct sweep_plan *p, char *err, size_t errlen)
{
  p->npoints = 1;
  for (size_t a = 0; a < p->naxes; a++) {
    size_t n = p->axes[a].nvalues;
    if (n == 0 || p->npoints > SWEEP_MAX_POINTS / n) {
      snprintf(err, errlen, n ? "the sweep has more than a million points"
                              : "'%s' is varied over no values", p->axes[a].path);
      return -1;
    }
    p->npoints *= n;
  }
  if (p->replications == 0 || p->npoints > SWEEP_MAX_TASKS / p->replications) {
    snprintf(err, errlen, "%zu points x %zu replications is more than 10^8 tasks",
             p->npoints, p->replications);
    return -1;
  }
  return 0;
}

size_t sweep_plan_value(const struct sweep_plan *p, size_t point, size_t axis)
{
  size_t stride = 1;
  for (size_t a = p->naxes; a-- > axis + 1;)
    stride *= p->axes[a].nvalues;
  return (point / stride) % p->axes[axis].nvalues;
}

static void row(struct sim_csv *csv, const char *key, const char *value)
{
  sim_csv_str(csv, key);
  sim_csv_str(csv, value);
  sim_csv_end_row(csv);
}

static void hex(char buf[17], uint64_t x)
{
  snprintf(buf, 17, "%016" PRIx64, x);
}

int sweep_plan_write(const struct sweep_plan *p, const char *dir, char *err,
                     size_t errlen)
{
  struct sim_csv csv;
  char buf[32];
  if (sim_csv_open(&csv, dir, "sweep-plan.csv") == 0) {
    row(&csv, "key", "value");
    snprintf(buf, sizeof buf, "%d", SWEEP_FORMAT);
    row(&csv, "format", buf);
    snprintf(buf, sizeof buf, "%zu", p->replications);
    row(&csv, "replications", buf);
    snprintf(buf, sizeof buf, "%" PRIu64, p->seed);
    row(&csv, "seed", buf);
    hex(buf, p->scenario_hash);
    row(&csv, "scenario", buf);
    hex(buf, p->model_hash);
    row(&csv, "model", buf);
    for (size_t i = 0; i < p->nsets; i++)
      row(&csv, "set", p->sets[i]);
    for (size_t v = 0; v < p->nvariants; v++) {
      row(&csv, "variant", p->variants[v].name);
      for (size_t i = 0; i < p->variants[v].nsets; i++)
        row(&csv, "variant_set", p->variants[v].sets[i]);
    }
    for (size_t a = p->nvariants ? 1 : 0; a < p->naxes; a++) {
      row(&csv, "vary", p->axes[a].path);
      for (size_t v = 0; v < p->axes[a].nvalues; v++)
        row(&csv, "value", p->axes[a].values[v]);
    }
    sim_csv_commit(&csv);
  }
  int rc = csv.failed ? -1 : 0;
  if (rc)
    snprintf(err, errlen, "%s", csv.error);
  sim_csv_abort(&csv);
  return rc;
}

static int parse_hex(struct sim_csv_reader *r, size_t column, uint64_t *out)
{
  const char *s = sim_csv_reader_field(r, column);
  char *end;
  if (strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
    return sim_csv_reader_fail(r, "expected 16 hexadecimal digits");
  *out = strtoull(s, &end, 16);
  return 0;
}

static void push(char ***list, size_t *n, const char *s)
{
  *list = sim_xrealloc(*list, *n + 1, sizeof **list);
  (*list)[(*n)++] = sim_xstrdup(s);
}

/* The rows after the header; 0 or -1 (message in r->error). */
static int read_rows(struct sweep_plan *p, struct sim_csv_reader *r)
{
  int key = sim_csv_reader_require(r, "key"), value = sim_csv_reader_require(r, "value");
  if (key < 0 || value < 0 || r->ncolumns != 2)
    return key < 0 || value < 0 ? -1 : sim_csv_reader_fail(r, "expected the columns key,value");
  enum { FORMAT = 1, REPLICATIONS = 2, SEED = 4, SCENARIO = 8, MODEL = 16 };
  unsigned seen = 0;
  int got;
  uint64_t x;
  while ((got = sim_csv_reader_next(r)) == 1) {
    const char *k = sim_csv_reader_field(r, (size_t)key);
    const char *v = sim_csv_reader_field(r, (size_t)value);
    unsigned once = !strcmp(k, "format") ? FORMAT
                  : !strcmp(k, "replications") ? REPLICATIONS
                  : !strcmp(k, "seed") ? SEED
                  : !strcmp(k, "scenario") ? SCENARIO
                  : !strcmp(k, "model") ? MODEL : 0;
    if (once & seen)
      return sim_csv_reader_fail(r, "'%s' is given twice", k);
    seen |= once;
    if (!(seen & FORMAT))
      return sim_csv_reader_fail(r, "the plan has no format version: it was written "
                                    "by an older loket; run the sweep into a new folder");
    if (once == FORMAT) {
      if (sim_csv_reader_count(r, (size_t)value, 0, UINT32_MAX, &x) != 0)
        return -1;
      if (x != SWEEP_FORMAT)
        return sim_csv_reader_fail(r, "the plan is of format %" PRIu64 ", this loket "
                                      "reads format %d; use the loket that started the "
                                      "sweep, or run it into a new folder",
                                   x, SWEEP_FORMAT);
    } else if (once == REPLICATIONS) {
      if (sim_csv_reader_count(r, (size_t)value, 1, 1000000, &x) != 0)
        return -1;
      p->replications = (size_t)x;
    } else if (once == SEED) {
      if (sim_csv_reader_count(r, (size_t)value, 0, UINT64_MAX, &p->seed) != 0)
        return -1;
    } else if (once == SCENARIO) {
      if (parse_hex(r, (size_t)value, &p->scenario_hash) != 0)
        return -1;
    } else if (once == MODEL) {
      if (parse_hex(r, (size_t)value, &p->model_hash) != 0)
        return -1;
    } else if (!strcmp(k, "set")) {
      push(&p->sets, &p->nsets, v);
    } else if (!strcmp(k, "vary")) {
      if (!*v)
        return sim_csv_reader_fail(r, "a varied parameter without a name");
      p->axes = sim_xrealloc(p->axes, p->naxes + 1, sizeof *p->axes);
      p->axes[p->naxes++] = (struct model_axis){sim_xstrdup(v), NULL, 0};
    } else if (!strcmp(k, "variant")) {
      const char *problem = model_variant_name_problem(v);
      if (problem)
        return sim_csv_reader_fail(r, "%s", problem);
      for (size_t i = 0; i < p->nvariants; i++)
        if (!strcmp(p->variants[i].name, v))
          return sim_csv_reader_fail(r, "the variant '%s' is given twice", v);
      p->variants = sim_xrealloc(p->variants, p->nvariants + 1, sizeof *p->variants);
      p->variants[p->nvariants++] = (struct model_variant){sim_xstrdup(v), NULL, 0};
    } else if (!strcmp(k, "variant_set")) {
      if (p->nvariants == 0)
        return sim_csv_reader_fail(r, "a variant_set before the first 'variant' row");
      if (!strchr(v, '=') || v[0] == '=')
        return sim_csv_reader_fail(r, "a variant_set must be PATH=VALUE");
      struct model_variant *last = &p->variants[p->nvariants - 1];
      push(&last->sets, &last->nsets, v);
    } else if (!strcmp(k, "value")) {
      if (p->naxes == 0)
        return sim_csv_reader_fail(r, "a value before the first 'vary' row");
      struct model_axis *a = &p->axes[p->naxes - 1];
      push(&a->values, &a->nvalues, v);
    } else {
      return sim_csv_reader_fail(r, "unknown key '%.40s'", k);
    }
  }
  if (got < 0)
    return -1;
  if (seen != (FORMAT | REPLICATIONS | SEED | SCENARIO | MODEL) ||
      (p->naxes == 0 && p->nvariants == 0))
    return sim_csv_reader_fail(r, "the plan is incomplete (it needs format, "
                                  "replications, seed, scenario, model and a vary "
                                  "or variant row)");
  for (size_t v = 0; v < p->nvariants; v++)
    if (p->variants[v].nsets == 0) {
      /* A problem of the whole plan: the file, not a line. */
      snprintf(r->error, sizeof r->error, "%s: the variant '%s' has no variant_set row",
               r->path, p->variants[v].name);
      return -1;
    }
  sweep_plan_add_variant_axis(p);
  return 0;
}

int sweep_plan_identity(const char *dir, uint64_t *id, char *err, size_t errlen)
{
  size_t plen = strlen(dir) + 32, len;
  char *path = sim_xmalloc(plen);
  snprintf(path, plen, "%s/sweep-plan.csv", dir);
  int error = 0;
  char *text = sim_file_read_all(path, (size_t)1 << 30, true, &len, &error);
  if (!text) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(error));
    free(path);
    return -1;
  }
  *id = model_hash_bytes(MODEL_HASH_START, text, len);
  free(text);
  free(path);
  return 0;
}

int sweep_plan_read(struct sweep_plan *p, const char *dir, char *err, size_t errlen)
{
  memset(p, 0, sizeof *p);
  size_t len = strlen(dir) + 32;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/sweep-plan.csv", dir);
  struct sim_csv_reader r;
  errno = 0;
  int rc = sim_csv_reader_open(&r, path);
  int saved = rc == 0 ? 0 : errno;
  if (rc == 0)
    rc = read_rows(p, &r);
  char why[256];
  if (rc == 0 && sweep_plan_count(p, why, sizeof why) != 0) {
    snprintf(r.error, sizeof r.error, "%s: %s", path, why);
    rc = -1;
  }
  if (rc != 0) {
    snprintf(err, errlen, "%s", r.error);
    sweep_plan_fini(p);
  }
  sim_csv_reader_fini(&r);
  free(path);
  errno = saved;
  return rc;
}

bool sweep_plan_same(const struct sweep_plan *have, const struct sweep_plan *want,
                     const char *dir, char *err, size_t errlen)
{
  const char *advice = "; run it into another --out folder, or empty this one";
  if (have->scenario_hash != want->scenario_hash) {
    snprintf(err, errlen, "'%s' holds a sweep of another scenario text: the scenario "
                          "file changed since this sweep started%s", dir, advice);
    return false;
  }
  bool sets_same = have->nsets == want->nsets;
  for (size_t i = 0; sets_same && i < have->nsets; i++)
    sets_same = !strcmp(have->sets[i], want->sets[i]);
  if (!sets_same) {
    size_t n = 0;
    n += (size_t)snprintf(err + n, errlen - n, "'%s' holds a sweep with other "
                          "overrides: --set differs: the sweep has", dir);
    for (size_t i = 0; i < have->nsets && n < errlen; i++)
      n += (size_t)snprintf(err + n, errlen - n, " %s", have->sets[i]);
    if (n < errlen && have->nsets == 0)
      n += (size_t)snprintf(err + n, errlen - n, " none");
    if (n < errlen)
      n += (size_t)snprintf(err + n, errlen - n, ", this run has");
    for (size_t i = 0; i < want->nsets && n < errlen; i++)
      n += (size_t)snprintf(err + n, errlen - n, " %s", want->sets[i]);
    if (n < errlen && want->nsets == 0)
      n += (size_t)snprintf(err + n, errlen - n, " none");
    if (n < errlen)
      snprintf(err + n, errlen - n, "%s", advice);
    return false;
  }
  bool axes_same = have->naxes == want->naxes;
  for (size_t a = 0; axes_same && a < have->naxes; a++) {
    const struct model_axis *x = &have->axes[a], *y = &want->axes[a];
    axes_same = !strcmp(x->path, y->path) && x->nvalues == y->nvalues;
    for (size_t v = 0; axes_same && v < x->nvalues; v++)
      axes_same = !strcmp(x->values[v], y->values[v]);
  }
  bool variants_same = have->nvariants == want->nvariants;
  for (size_t v = 0; variants_same && v < have->nvariants; v++) {
    const struct model_variant *x = &have->variants[v], *y = &want->variants[v];
    variants_same = x->nsets == y->nsets;
    for (size_t i = 0; variants_same && i < x->nsets; i++)
      variants_same = !strcmp(x->sets[i], y->sets[i]);
  }
  if (axes_same && !variants_same) {
    snprintf(err, errlen, "'%s' holds a different sweep: the variants' values "
                          "differ%s", dir, advice);
    return false;
  }
  if (!axes_same) {
    snprintf(err, errlen, "'%s' holds a different sweep: the variants, the varied "
                          "parameters or their values differ%s", dir, advice);
    return false;
  }
  if (have->replications != want->replications || have->seed != want->seed) {
    snprintf(err, errlen, "'%s' holds a sweep of %zu replications with seed %" PRIu64
                          ", this run asks for %zu with seed %" PRIu64 "%s", dir,
             have->replications, have->seed, want->replications, want->seed, advice);
    return false;
  }
  if (have->model_hash != want->model_hash) {
    snprintf(err, errlen, "'%s' holds a sweep of another model: a file the scenario "
                          "reads (a trace or empirical values) changed since this "
                          "sweep started%s", dir, advice);
    return false;
  }
  return true;
}
