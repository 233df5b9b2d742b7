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
  /* The same UTF-8 check as the scenario's text: libfyaml 0.7.12 never
   * returns on a '%' directive followed by bytes that are not UTF-8, and
   * the path and value of every override, --vary and --variant reach it
   * here. The bytes are not echoed: they are not text. */
  size_t len = strlen(assignment);
  size_t good = utf8_prefix((const unsigned char *)assignment, len);
  if (good < len) {
    snprintf(L->err, L->errlen, "--set: error: an override must be UTF-8 text; "
             "byte %zu (0x%02x) is not", good + 1, (unsigned char)assignment[good]);
    L->failed = true;
    return false;
  }
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

/* The length of the first value of a list "V1,V2,...": up to the first
 * comma outside brackets, braces and quoted values, so that a flow list or
 * mapping ("[{at: 0, staff: 2}]") or a quoted text ("'a, b'") is one value. -1 with a message when a
 * bracket or quote is not closed or closed without being opened. */
static long value_length(const char *spec, const char *start, char *err, size_t errlen)
{
  char stack[64];
  size_t depth = 0;
  char quote = 0;
  const char *p = start;
  char before = ',';  /* the last character that is not a space */
  for (; *p && (quote || depth || *p != ','); p++) {
    if (quote) {
      if (*p == quote)
        quote = 0;
      continue;
    }
    /* As in YAML, a quote opens a quoted value only where a value starts
     * (O'Brien is plain text). */
    if ((*p == '"' || *p == '\'') && strchr("[{,:", before)) {
      quote = *p;
    } else if (*p == '[' || *p == '{') {
      if (depth == sizeof stack) {
        snprintf(err, errlen, "'%s' nests brackets more than 64 deep", spec);
        return -1;
      }
      stack[depth++] = *p == '[' ? ']' : '}';
    } else if (*p == ']' || *p == '}') {
      if (!depth || stack[depth - 1] != *p) {
        snprintf(err, errlen, "in '%s' a '%c' closes nothing", spec, *p);
        return -1;
      }
      depth--;
    }
    if (*p != ' ')
      before = *p;
  }
  if (quote || depth) {
    snprintf(err, errlen, "in '%s' a %s is not closed", spec,
             quote ? "quote" : depth && stack[depth - 1] == ']' ? "'['" : "'{'");
    return -1;
  }
  return (long)(p - start);
}

int model_split_values(const char *spec, char ***values, size_t *nvalues, char *err,
                       size_t errlen)
{
  *values = NULL;
  *nvalues = 0;
  const char *start = spec;
  for (;;) {
    long len = value_length(spec, start, err, errlen);
    if (len < 0)
      return -1;
    if (len == 0) {
      snprintf(err, errlen, "'%s' has an empty value", spec);
      return -1;
    }
    *values = sim_xrealloc(*values, *nvalues + 1, sizeof **values);
    char *v = sim_xmalloc((size_t)len + 1);
    memcpy(v, start, (size_t)len);
    v[len] = '\0';
    (*values)[(*nvalues)++] = v;
    if (!start[len])
      return 0;
    start += len + 1;
  }
}

/* Sweep values: a comma list, or a range LO:HI:STEP. At most 100000. */
int model_axis_values(struct model_axis *axis, const char *spec, char *err,
                      size_t errlen)
{
  const char *colon = strchr(spec, ':');
  char first_error[8];
  bool one_value = value_length(spec, spec, first_error, sizeof first_error) ==
                   (long)strlen(spec);
  if (colon && one_value && !strchr("[{\"'", spec[0])) {
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
  return model_split_values(spec, &axis->values, &axis->nvalues, err, errlen);
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

void model_variant_fini(struct model_variant *v)
{
  for (size_t i = 0; i < v->nsets; i++)
    free(v->sets[i]);
  free(v->sets);
  free(v->name);
  memset(v, 0, sizeof *v);
}

const char *model_variant_name_problem(const char *name)
{
  size_t n = strlen(name);
  if (n == 0)
    return "a variant needs a name";
  if (n > 64)
    return "a variant name is at most 64 bytes long";
  if (name[0] == ' ' || name[n - 1] == ' ')
    return "a variant name does not start or end with a space";
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    if (*p < 0x20 || *p == 0x7f || strchr(",:=\"", *p))
      return "a variant name holds no control characters and none of , : = \"";
  return NULL;
}

bool model_path_is_shared(const char *path_or_set)
{
  size_t n = strcspn(path_or_set, "=");
  return (n == 4 && !strncmp(path_or_set, "seed", 4)) ||
         (n == 12 && !strncmp(path_or_set, "replications", 12));
}

/* The located error of a sweep that would set a shared key per point. */
static void report_shared(struct loader *L, struct fy_node *at, const char *path)
{
  report(L, at, "a sweep cannot set '%s' per point: every point uses the scenario's "
                "%s (common random numbers pair them); %s", path, path,
         !strcmp(path, "seed") ? "run one sweep per seed, each into its own --out folder"
                               : "give replications at the top level or --replications R");
}

int model_variant_parse(struct model_variant *v, const char *spec, char *err,
                        size_t errlen)
{
  memset(v, 0, sizeof *v);
  const char *colon = strchr(spec, ':');
  if (!colon) {
    snprintf(err, errlen, "expected NAME:PATH=VALUE[,PATH=VALUE...]");
    return -1;
  }
  v->name = sim_xmalloc((size_t)(colon - spec) + 1);
  memcpy(v->name, spec, (size_t)(colon - spec));
  v->name[colon - spec] = '\0';
  const char *problem = model_variant_name_problem(v->name);
  if (problem) {
    snprintf(err, errlen, "%s", problem);
    return -1;
  }
  if (model_split_values(colon + 1, &v->sets, &v->nsets, err, errlen) != 0)
    return -1;
  for (size_t i = 0; i < v->nsets; i++) {
    const char *eq = strchr(v->sets[i], '=');
    if (!eq || eq == v->sets[i] || !eq[1]) {
      snprintf(err, errlen, "'%s' is not PATH=VALUE", v->sets[i]);
      return -1;
    }
  }
  return 0;
}

/* A value as YAML text, applied like --set PATH=VALUE: a list or mapping
 * in flow style on one line; a single value as it reads (`plain`, as a
 * sweep's values are shown in sweep.csv) or as written, quotes and all
 * (so that 'a: b' stays a text). */
static char *value_text(struct loader *L, struct fy_node *n, const char *what,
                        bool plain)
{
  if (plain && fy_node_get_type(n) == FYNT_SCALAR)
    return text_copy(L, n, what);
  char *flow = fy_emit_node_to_string(n, FYECF_MODE_FLOW_ONELINE | FYECF_WIDTH_INF |
                                             FYECF_NO_ENDING_NEWLINE);
  if (!flow)
    sim_out_of_memory(0);
  char *text = sim_xstrdup(flow);
  free(flow);
  return text;
}

/* sweep.variants: {NAME: {PATH: VALUE, ...}, ...}. */
static bool load_variants(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  if (!expect_mapping(L, n, "variants"))
    return false;
  int count = fy_node_mapping_item_count(n);
  if (count == 0) {
    report(L, n, "variants must name at least one variant");
    return false;
  }
  m->variants = sim_xcalloc((size_t)count, sizeof *m->variants);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(n, &iter))) {
    struct fy_node *key = fy_node_pair_key(pair), *sets = fy_node_pair_value(pair);
    struct model_variant *v = &m->variants[m->nvariants];
    if (!key || !(v->name = text_copy(L, key, "a variant name")))
      return false;
    m->nvariants++;
    const char *problem = model_variant_name_problem(v->name);
    if (problem) {
      report(L, key, "%s, got '%s'", problem, v->name);
      return false;
    }
    char what[128];
    snprintf(what, sizeof what, "variant '%.64s'", v->name);
    if (!expect_mapping(L, sets, what))
      return false;
    if (fy_node_mapping_item_count(sets) == 0) {
      report(L, sets, "%s changes nothing: give {PATH: VALUE, ...}", what);
      return false;
    }
    v->sets = sim_xcalloc((size_t)fy_node_mapping_item_count(sets), sizeof *v->sets);
    void *it = NULL;
    struct fy_node_pair *set;
    while ((set = fy_node_mapping_iterate(sets, &it))) {
      struct fy_node *path = fy_node_pair_key(set), *value = fy_node_pair_value(set);
      const char *p = path ? scalar_text(L, path, "a path to set") : NULL;
      if (!p)
        return false;
      if (!*p || strchr(p, '=')) {
        report(L, path, "'%s' is not a path like departments.desk.staff", p);
        return false;
      }
      if (model_path_is_shared(p)) {
        report_shared(L, path, p);
        return false;
      }
      if (!value) {
        report(L, path, "'%s' needs a value", p);
        return false;
      }
      char *text = value_text(L, value, "a value to set", false);
      if (!text)
        return false;
      size_t len = strlen(p) + strlen(text) + 2;
      char *assignment = sim_xmalloc(len);
      snprintf(assignment, len, "%s=%s", p, text);
      free(text);
      v->sets[v->nsets++] = assignment;
    }
  }
  return true;
}

/* sweep: {variants: {NAME: {PATH: VALUE, ...}}, vary: {PATH: [V1, V2, ...]
 * or "LO:HI:STEP", ...}} — what `loket sweep` runs when no --variant or
 * --vary is given; the values are any YAML. */
bool load_sweep(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  struct fy_node *vary, *variants;
  if (!n)
    return true;
  static const struct field sweep_rows[] = {
    LATER("variants", "named sets of values, each a point of the sweep"),
    LATER("vary", "the paths to vary and their values"),
  };
  struct section sec;
  if (!section_read(L, n, "sweep", ROWS(sweep_rows), NULL, &sec))
    return false;
  vary = section_given(&sec, "vary");
  variants = section_given(&sec, "variants");
  if (!vary && !variants) {
    report(L, n, "sweep needs 'vary' or 'variants'");
    return false;
  }
  if (variants && !load_variants(L, variants))
    return false;
  if (!vary)
    return true;
  if (!expect_mapping(L, vary, "vary"))
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
    if (model_path_is_shared(a->path)) {
      report_shared(L, key, a->path);
      return false;
    }
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
        char *text = value_text(L, item, "a value to vary", true);
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
