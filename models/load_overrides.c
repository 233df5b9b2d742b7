/*
 * models/load_overrides.c — `--set PATH=VALUE` overrides, applied to the
 * YAML document before it is validated, and the axes of a sweep.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "models/scenario.h"
#include "sim/check.h"

/* ---- --set ---------------------------------------------------------------- */


/* The pair of `map` whose key is the text `key`. Compared as text, not
 * parsed: libfyaml's look-up by string parses the key as YAML, and an
 * override's path is user input (a '%' there starts a directive, on which
 * libfyaml 0.7.12 hangs). */
static struct fy_node_pair *pair_by_text(struct fy_node *map, const char *key)
{
  size_t want = strlen(key);
  void *iter = NULL;
  for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(map, &iter));) {
    struct fy_node *k = fy_node_pair_key(p);
    size_t len = 0;
    const char *text = k && fy_node_get_type(k) == FYNT_SCALAR ? fy_node_get_scalar(k, &len) : NULL;
    if (text && len == want && memcmp(text, key, len) == 0)
      return p;
  }
  return NULL;
}

bool apply_set(struct loader *L, const char *assignment)
{
  const char *eq = strchr(assignment, '=');
  if (!eq || eq == assignment) {
    snprintf(L->err, L->errlen,
             "--set %s: error: expected PATH=VALUE, e.g. departments.desk.staff=4",
             assignment);
    L->failed = true;
    return false;
  }
  char *path = sim_xstrdup(assignment);
  path[eq - assignment] = '\0';
  const char *value = eq + 1;

  struct fy_node *node = fy_document_root(L->doc);
  struct fy_node_pair *pair = NULL;
  struct fy_node *parent = NULL;
  char *save = NULL, *part = strtok_r(path, ".", &save);
  bool ok = true;
  char *missing = NULL;
  while (part && ok) {
    char *next = strtok_r(NULL, ".", &save);
    parent = node;
    pair = NULL;
    if (fy_node_get_type(node) == FYNT_MAPPING) {
      pair = pair_by_text(node, part);
      node = pair ? fy_node_pair_value(pair) : NULL;
      if (!node) {
        if (next && !pair && parent == fy_document_root(L->doc)) {
          /* A new top-level block (output.customers=true without an
           * output: block); validation still checks its name. Deeper down
           * a missing name is more likely a typo, see below. */
          struct fy_node *key = fy_node_create_scalar_copy(L->doc, part, FY_NT);
          struct fy_node *map = fy_node_create_mapping(L->doc);
          ok = key && map && fy_node_mapping_append(parent, key, map) == 0;
          L->origins = sim_xrealloc(L->origins, L->norigins + 2, sizeof *L->origins);
          L->origins[L->norigins++] = (struct set_origin){key, assignment};
          L->origins[L->norigins++] = (struct set_origin){map, assignment};
          node = map;
          if (!ok)
            snprintf(L->err, L->errlen, "--set %s: error: cannot apply this override",
                     assignment);
        } else if (next) {
          snprintf(L->err, L->errlen, "--set %s: error: the scenario has no '%s' here",
                   assignment, part);
          ok = false;
        } else {
          missing = part; /* a new key in an existing mapping */
        }
      }
    } else if (fy_node_get_type(node) == FYNT_SEQUENCE) {
      char *end;
      long index = strtol(part, &end, 10);
      int count = fy_node_sequence_item_count(node);
      if (*end || index < 0 || index >= count) {
        snprintf(L->err, L->errlen,
                 "--set %s: error: '%s' is not an index of this list "
                 "(0 to %d)", assignment, part, count - 1);
        ok = false;
      } else {
        node = fy_node_sequence_get_by_index(node, (int)index);
      }
    } else {
      snprintf(L->err, L->errlen, "--set %s: error: '%s' is inside a single value",
               assignment, part);
      ok = false;
    }
    part = next;
  }

  struct fy_node *replacement = NULL;
  if (ok) {
    replacement = *value ? fy_node_build_from_string(L->doc, value, FY_NT) : NULL;
    if (!replacement) {
      snprintf(L->err, L->errlen, "--set %s: error: the value is not valid YAML",
               assignment);
      ok = false;
    }
  }
  if (ok) {
    L->origins = sim_xrealloc(L->origins, L->norigins + 1, sizeof *L->origins);
    L->origins[L->norigins++] = (struct set_origin){replacement, assignment};
    if (missing) {
      struct fy_node *key = fy_node_create_scalar_copy(L->doc, missing, FY_NT);
      L->origins = sim_xrealloc(L->origins, L->norigins + 1, sizeof *L->origins);
      L->origins[L->norigins++] = (struct set_origin){key, assignment};
      ok = key && fy_node_mapping_append(parent, key, replacement) == 0;
    } else if (pair) {
      ok = fy_node_pair_set_value(pair, replacement) == 0;
    } else if (parent && fy_node_get_type(parent) == FYNT_SEQUENCE) {
      ok = fy_node_sequence_insert_after(parent, node, replacement) == 0 &&
           fy_node_sequence_remove(parent, node) != NULL;
      if (ok)
        fy_node_free(node);
    } else {
      ok = false;
    }
    if (!ok)
      snprintf(L->err, L->errlen, "--set %s: error: cannot apply this override",
               assignment);
  }
  if (!ok)
    L->failed = true;
  free(path);
  return ok;
}

/* ---- sweeps ---------------------------------------------------------------- */

/* Sweep values: a comma list, or a range LO:HI:STEP. At most 100000. */
int model_axis_values(struct model_axis *axis, const char *spec, char *err,
                      size_t errlen)
{
  const char *colon = strchr(spec, ':');
  if (colon && !strchr(spec, ',')) {
    double lo, hi, step;
    char extra;
    if (sscanf(spec, "%lf:%lf:%lf%c", &lo, &hi, &step, &extra) != 3 ||
        !isfinite(lo) || !isfinite(hi) || !isfinite(step)) {
      snprintf(err, errlen, "'%s' is not a range LO:HI:STEP", spec);
      return -1;
    }
    if (!(step > 0) || hi < lo) {
      snprintf(err, errlen, "in '%s' the step must be > 0 and HI at least LO", spec);
      return -1;
    }
    double count = floor((hi - lo) / step + 1e-9) + 1;
    if (count > 100000) {
      snprintf(err, errlen, "'%s' gives %.0f values; at most 100000", spec, count);
      return -1;
    }
    axis->nvalues = (size_t)count;
    axis->values = sim_xcalloc(axis->nvalues, sizeof *axis->values);
    for (size_t i = 0; i < axis->nvalues; i++) {
      char buf[64];
      double x = lo + (double)i * step;
      /* Whole numbers stay whole ("3", not "3.0000000001"). */
      if (fabs(x - nearbyint(x)) < 1e-9 * fmax(1, fabs(x)))
        x = nearbyint(x);
      snprintf(buf, sizeof buf, "%.10g", x);
      axis->values[i] = sim_xstrdup(buf);
    }
    return 0;
  }
  size_t n = 1;
  for (const char *p = spec; *p; p++)
    n += *p == ',';
  axis->values = sim_xcalloc(n, sizeof *axis->values);
  const char *start = spec;
  for (size_t i = 0; i < n; i++) {
    const char *end = strchr(start, ',');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    if (len == 0) {
      snprintf(err, errlen, "'%s' has an empty value", spec);
      axis->nvalues = i;
      return -1;
    }
    axis->values[i] = sim_xmalloc(len + 1);
    memcpy(axis->values[i], start, len);
    axis->values[i][len] = '\0';
    axis->nvalues = i + 1;
    start = end ? end + 1 : start + len;
  }
  return 0;
}

void model_axis_fini(struct model_axis *a)
{
  for (size_t i = 0; i < a->nvalues; i++)
    free(a->values[i]);
  free(a->values);
  free(a->path);
  a->values = NULL;
  a->path = NULL;
  a->nvalues = 0;
}

/* sweep: {vary: {PATH: [V1, V2, ...] or "LO:HI:STEP", ...}} — what
 * `loket sweep` varies when no --vary is given. */
bool load_sweep(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  struct fy_node *vary;
  if (!n)
    return true;
  static const struct field sweep_rows[] = {
    REQUIRED_LATER("vary", "the paths to vary and their values"),
  };
  struct section sec;
  if (!section_read(L, n, "sweep", ROWS(sweep_rows), NULL, &sec) ||
      !(vary = section_given(&sec, "vary")) || !expect_mapping(L, vary, "vary"))
    return false;
  int count = fy_node_mapping_item_count(vary);
  m->axes = sim_xcalloc(count > 0 ? (size_t)count : 1, sizeof *m->axes);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(vary, &iter))) {
    struct model_axis *a = &m->axes[m->naxes];
    struct fy_node *key = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
    if (!key || !(a->path = text_copy(L, key, "a path to vary")))
      return false;
    m->naxes++;
    if (v && fy_node_get_type(v) == FYNT_SEQUENCE) {
      int nv = fy_node_sequence_item_count(v);
      if (nv == 0) {
        report(L, v, "the values of '%s' must not be empty", a->path);
        return false;
      }
      a->values = sim_xcalloc((size_t)nv, sizeof *a->values);
      void *it = NULL;
      struct fy_node *item;
      while ((item = fy_node_sequence_iterate(v, &it))) {
        char *text = text_copy(L, item, "a value to vary");
        if (!text)
          return false;
        a->values[a->nvalues++] = text;
      }
    } else {
      const char *spec = v ? scalar_text(L, v, "the values to vary") : NULL;
      char msg[256];
      if (!v)
        report(L, key, "'%s' needs a list of values or a range LO:HI:STEP", a->path);
      if (!spec)
        return false;
      if (model_axis_values(a, spec, msg, sizeof msg) != 0) {
        report(L, v, "%s", msg);
        return false;
      }
    }
  }
  return true;
}
