/*
 * models/load_node.c — YAML node access for the loader: kinds of node,
 * numbers, whole numbers, clock times and durations, schedules, sections
 * read by their rows, and the walk that checks a document before use.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

/* ---- nodes -------------------------------------------------------------- */

static const char *node_kind(struct fy_node *n)
{
  switch (fy_node_get_type(n)) {
  case FYNT_SCALAR:
    return "a single value";
  case FYNT_SEQUENCE:
    return "a list";
  case FYNT_MAPPING:
    return "a mapping";
  }
  return "something else";
}

bool expect_mapping(struct loader *L, struct fy_node *n, const char *what)
{
  if (n && fy_node_get_type(n) == FYNT_MAPPING)
    return true;
  report(L, n, "%s must be a mapping of keys to values, got %s", what,
         n ? node_kind(n) : "nothing");
  return false;
}

bool expect_sequence(struct loader *L, struct fy_node *n, const char *what)
{
  if (n && fy_node_get_type(n) == FYNT_SEQUENCE)
    return true;
  report(L, n, "%s must be a list, got %s", what, n ? node_kind(n) : "nothing");
  return false;
}

const char *scalar_text(struct loader *L, struct fy_node *n,
                               const char *what)
{
  if (fy_node_get_type(n) != FYNT_SCALAR) {
    report(L, n, "%s must be a single value, got %s", what, node_kind(n));
    return NULL;
  }
  const char *s = fy_node_get_scalar0(n);
  if (!s)
    sim_out_of_memory(0);
  return s;
}

struct fy_node *lookup(struct fy_node *map, const char *key)
{
  return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

/* Parses a finite number; YAML's .inf and .nan are refused on purpose. */
bool parse_number(const char *s, double *out)
{
  if (!*s)
    return false;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (*end != '\0' || errno == ERANGE || !isfinite(x))
    return false;
  if ((s[0] == 'i' || s[0] == 'I' || s[0] == 'n' || s[0] == 'N'))
    return false;
  *out = x;
  return true;
}

bool number(struct loader *L, struct fy_node *n, const char *what,
                   enum bound bound, double *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  double x;
  bool ok = parse_number(s, &x);
  if (ok) {
    switch (bound) {
    case ANY:
      break;
    case NONNEG:
      ok = x >= 0;
      break;
    case POSITIVE:
      ok = x > 0;
      break;
    case PROBABILITY:
      ok = x >= 0 && x <= 1;
      break;
    }
  }
  if (!ok) {
    static const char *const expect[] = {
      [ANY] = "a number", [NONNEG] = "a number >= 0",
      [POSITIVE] = "a number > 0", [PROBABILITY] = "a probability between 0 and 1"};
    report(L, n, "%s must be %s, got '%s'", what, expect[bound], s);
    return false;
  }
  *out = x;
  return true;
}

bool whole(struct loader *L, struct fy_node *n, const char *what,
                  uint64_t min, uint64_t max, uint64_t *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(s, &end, 10);
  bool ok = s[0] >= '0' && s[0] <= '9' && *end == '\0';
  bool too_big = errno == ERANGE; /* beyond 64 bits: "at most" below */
  if (!ok || (x < min && !too_big)) {
    report(L, n, "%s must be a whole number >= %llu, got '%s'", what,
           (unsigned long long)min, s);
    return false;
  }
  if (x > max || too_big) {
    report(L, n, "%s must be at most %llu, got '%s'", what,
           (unsigned long long)max, s);
    return false;
  }
  *out = x;
  return true;
}

char *text_copy(struct loader *L, struct fy_node *n, const char *what)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return NULL;
  if (!*s) {
    report(L, n, "%s must not be empty", what);
    return NULL;
  }
  return sim_xstrdup(s);
}

/* ---- times -------------------------------------------------------------- */

/* "13:00" or "13:00:30" -> hours since midnight; false if not a clock time. */
bool parse_clock(const char *s, double *hours)
{
  unsigned h, m, sec = 0;
  int used = 0;
  if (sscanf(s, "%2u:%2u%n", &h, &m, &used) != 2)
    return false;
  if (s[used] == ':') {
    int more = 0;
    if (sscanf(s + used + 1, "%2u%n", &sec, &more) != 1)
      return false;
    used += 1 + more;
  }
  if (s[used] != '\0' || h > 48 || m > 59 || sec > 59 || !strchr(s, ':') ||
      s[0] < '0' || s[0] > '9')
    return false;
  *hours = h + m / 60.0 + sec / 3600.0;
  return true;
}

/* A point in time: a number of time units since opening, or a clock time
 * ("13:00") converted relative to `opens`. */
bool time_of_day(struct loader *L, struct fy_node *n, const char *what,
                        enum bound bound, double *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  double hours;
  if (strchr(s, ':')) {
    if (!parse_clock(s, &hours)) {
      report(L, n, "%s must be a clock time like \"13:00\" or a number, got '%s'",
             what, s);
      return false;
    }
    double t = hours * L->m->units_per_hour - L->m->opens;
    if (t < -1e-9) {
      report(L, n, "%s '%s' is before opening time", what, s);
      return false;
    }
    *out = t > 0 ? t : 0;
    return true;
  }
  return number(L, n, what, bound, out);
}

/* A schedule: a list of {at: TIME, KEY: VALUE} in increasing time order,
 * each value holding until the next step. A schedule that starts after
 * opening gets a first step of 0 at opening. */
bool schedule(struct loader *L, struct fy_node *list, const char *what,
              const char *key, const char *volume_key, bool whole_values,
              double scale, struct model_step **steps, size_t *nsteps)
{
  if (!expect_sequence(L, list, what))
    return false;
  int count = fy_node_sequence_item_count(list);
  if (count == 0) {
    report(L, list, "%s must list at least one step", what);
    return false;
  }
  struct model_step *s = sim_xcalloc((size_t)count + 1, sizeof *s);
  /* Steps given as a volume: their value is turned into a rate once the
   * next step's time (the interval's end) is known. */
  bool *volume = sim_xcalloc((size_t)count + 1, sizeof *volume);
  size_t n = 0;
  *steps = s;
  void *iter = NULL;
  struct fy_node *item;
  bool ok = true;
  while (ok && (item = fy_node_sequence_iterate(list, &iter))) {
    char where[64];
    snprintf(where, sizeof where, "a step of %s", what);
    const struct field rows[] = {LATER("at", "from when"),
                                 LATER(key, "the value from then on"),
                                 LATER(volume_key ? volume_key : key,
                                       "the volume of the interval up to the next step")};
    struct section sec;
    struct fy_node *at, *value, *vol = NULL;
    ok = section_read(L, item, where, rows, volume_key ? 3 : 2, NULL, &sec) &&
         (at = section_require(L, &sec, "at", where));
    if (!ok)
      break;
    value = section_given(&sec, key);
    if (volume_key)
      vol = section_given(&sec, volume_key);
    if (value && vol) {
      report(L, vol, "a step of %s gives either '%s' or '%s', not both", what, key,
             volume_key);
      ok = false;
      break;
    }
    if (!value && !vol) {
      if (volume_key)
        report(L, item, "%s needs '%s' or '%s'", where, key, volume_key);
      else
        section_require(L, &sec, key, where);
      ok = false;
      break;
    }
    double t, v;
    if (!time_of_day(L, at, "at", NONNEG, &t)) {
      ok = false;
    } else if (whole_values) {
      uint64_t w;
      ok = whole(L, value, key, 0, 1000000, &w);
      v = (double)w;
    } else {
      ok = number(L, vol ? vol : value, vol ? volume_key : key, NONNEG, &v);
    }
    if (!ok)
      break;
    if (t >= L->m->horizon) {
      report(L, at, "at must be before the horizon (%g), got %g", L->m->horizon, t);
      ok = false;
      break;
    }
    if (n == 0 && t > 0)
      s[n++] = (struct model_step){0.0, 0.0};
    if (n > 0 && t <= s[n - 1].at) {
      report(L, at, "schedule steps must be in increasing time order");
      ok = false;
      break;
    }
    volume[n] = vol != NULL;
    s[n++] = (struct model_step){t, vol ? v : v * scale};
  }
  /* A volume holds for the interval up to the next step, the last one's
   * up to the horizon. */
  for (size_t i = 0; ok && i < n; i++)
    if (volume[i])
      s[i].value /= (i + 1 < n ? s[i + 1].at : L->m->horizon) - s[i].at;
  free(volume);
  *nsteps = n;
  return ok;
}

/* A duration: a number of time units, or hours and minutes "H:MM" (also
 * "H:MM:SS"), converted to time units. */
bool duration(struct loader *L, struct fy_node *n, const char *what,
                     enum bound bound, double *out)
{
  const char *s = scalar_text(L, n, what);
  if (!s)
    return false;
  if (!strchr(s, ':'))
    return number(L, n, what, bound, out);
  double hours;
  if (!parse_clock(s, &hours) || (bound == POSITIVE && !(hours > 0))) {
    report(L, n, "%s must be a duration like \"1:30\" (hours and minutes) or "
                 "a number%s, got '%s'", what, bound == POSITIVE ? " > 0" : "", s);
    return false;
  }
  *out = hours * L->m->units_per_hour;
  return true;
}

bool boolean(struct loader *L, struct fy_node *n, const char *what,
                    bool *out)
{
  const char *v = scalar_text(L, n, what);
  if (!v)
    return false;
  if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
    *out = v[0] == 't';
    return true;
  }
  report(L, n, "%s must be true or false, got '%s'", what, v);
  return false;
}

/* A file named in the scenario, relative to the scenario's folder. */
char *relative_path(struct loader *L, const char *name)
{
  if (name[0] == '/')
    return sim_xstrdup(name);
  const char *slash = strrchr(L->path, '/');
  size_t dirlen = slash ? (size_t)(slash - L->path) + 1 : 0;
  char *full = sim_xmalloc(dirlen + strlen(name) + 1);
  memcpy(full, L->path, dirlen);
  strcpy(full + dirlen, name);
  return full;
}

/* ---- sections ---------------------------------------------------------- */

struct fy_node *section_given(const struct section *s, const char *key)
{
  for (size_t i = 0; i < s->nfields; i++)
    if (strcmp(s->fields[i].key, key) == 0)
      return s->given[i];
  sim_check_fail("a key of the section", __FILE__, __LINE__);
}

struct fy_node *section_require(struct loader *L, const struct section *s,
                                const char *key, const char *where)
{
  struct fy_node *n = section_given(s, key);
  if (!n)
    report(L, s->map, "%s needs '%s'", where, key);
  return n;
}

/* Reads one row's value into base. */
static bool read_field(struct loader *L, struct fy_node *n, const struct field *f,
                       void *base)
{
  void *slot = (char *)base + f->offset;
  uint64_t v;
  switch (f->type) {
  case F_NUMBER:
    return number(L, n, f->key, f->bound, slot);
  case F_WHOLE32:
    if (!whole(L, n, f->key, f->min, f->max, &v))
      return false;
    *(uint32_t *)slot = (uint32_t)v;
    return true;
  case F_WHOLE64:
    return whole(L, n, f->key, f->min, f->max, slot);
  case F_TIME:
    return time_of_day(L, n, f->key, f->bound, slot);
  case F_DURATION:
    return duration(L, n, f->key, f->bound, slot);
  case F_BOOL:
    return boolean(L, n, f->key, slot);
  case F_TEXT:
    return (*(char **)slot = text_copy(L, n, f->key)) != NULL;
  case F_DIST:
    return distribution(L, n, f->key, slot);
  case F_READ:
    return !f->read || f->read(L, n, f, base);
  }
  sim_check_fail("a known field type", __FILE__, __LINE__);
}

bool section_read(struct loader *L, struct fy_node *map, const char *where,
                  const struct field *fields, size_t nfields, void *base,
                  struct section *s)
{
  sim_assert(nfields <= MAX_FIELDS);
  *s = (struct section){.map = map, .fields = fields, .nfields = nfields};
  if (!expect_mapping(L, map, where))
    return false;
  /* One pass over the mapping's keys, each matched against the rows (a
   * handful): no look-up per key. */
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(map, &iter))) {
    struct fy_node *key = fy_node_pair_key(pair);
    if (!key || fy_node_get_type(key) != FYNT_SCALAR) {
      report(L, key ? key : map, "keys in %s must be plain names", where);
      return false;
    }
    const char *name = fy_node_get_scalar0(key);
    if (!name)
      sim_out_of_memory(0);
    size_t i = 0;
    while (i < nfields && strcmp(fields[i].key, name) != 0)
      i++;
    if (i < nfields) {
      s->given[i] = fy_node_pair_value(pair);
      continue;
    }
    const char *known[MAX_FIELDS + 1];
    for (size_t k = 0; k < nfields; k++)
      known[k] = fields[k].key;
    known[nfields] = NULL;
    char hint[96];
    report(L, key, "unknown key '%s' in %s%s", name, where,
           suggestion(hint, sizeof hint, name, known));
    return false;
  }
  for (size_t i = 0; i < nfields; i++) {
    const struct field *f = &fields[i];
    if (!s->given[i]) {
      if (f->required) {
        report(L, map, "%s needs '%s'", where, f->key);
        return false;
      }
      continue;
    }
    if (f->type == F_READ && !f->read)
      continue;
    if (!read_field(L, s->given[i], f, base))
      return false;
    if (f->has != NO_FLAG)
      *(bool *)((char *)base + f->has) = true;
  }
  return true;
}

/* ---- the document as a whole -------------------------------------------- */

/* Aliases may expand the scenario by at most this many nodes: a small
 * file of nested aliases ("billion laughs") would otherwise expand to
 * billions (docs/scenario.md). */
#define MAX_ALIAS_NODES 100000

/* Aliases within aliases: at most this deep (libfyaml allows a document
 * 64 levels deep). */
#define MAX_ALIAS_DEPTH 64

struct walk {
  struct loader *L;
  size_t expanded;        /* nodes reached through an alias */
  bool needs_resolve;     /* aliases or merge keys are used */
  struct fy_node *expanding[MAX_ALIAS_DEPTH];  /* the anchors being expanded */
  size_t depth;
};

/* Checks every mapping for duplicate keys and counts what aliases expand
 * to, in one pass over the document. `via` is the alias being expanded. */
static bool walk(struct walk *w, struct fy_node *n, struct fy_node *via)
{
  if (!n)
    return true;
  if (fy_node_is_alias(n)) {
    w->needs_resolve = true;
    struct fy_node *target = fy_node_resolve_alias(n);
    if (!target)
      return true; /* an unknown anchor: resolving reports it */
    for (size_t i = 0; i < w->depth; i++)
      if (w->expanding[i] == target)
        return true; /* an alias inside its own anchor: likewise */
    if (w->depth == MAX_ALIAS_DEPTH) {
      report(w->L, n, "aliases nest more than %d deep", MAX_ALIAS_DEPTH);
      return false;
    }
    w->expanding[w->depth++] = target;
    bool ok = walk(w, target, via ? via : n);
    w->depth--;
    return ok;
  }
  if (via && ++w->expanded > MAX_ALIAS_NODES) {
    report(w->L, via, "aliases expand the scenario by more than %d values; "
                      "a scenario needs no more (is it a \"billion laughs\" "
                      "file?)", MAX_ALIAS_NODES);
    return false;
  }
  if (fy_node_get_type(n) == FYNT_SEQUENCE) {
    void *iter = NULL;
    struct fy_node *item;
    while ((item = fy_node_sequence_iterate(n, &iter)))
      if (!walk(w, item, via))
        return false;
    return true;
  }
  if (fy_node_get_type(n) != FYNT_MAPPING)
    return true;
  struct name_index keys = {NULL, 0};
  if (!via) /* an anchored mapping is checked where it is written */
    name_index_init(&keys, (size_t)fy_node_mapping_item_count(n));
  void *iter = NULL;
  struct fy_node_pair *pair;
  bool ok = true;
  while (ok && (pair = fy_node_mapping_iterate(n, &iter))) {
    struct fy_node *key = fy_node_pair_key(pair);
    size_t len;
    const char *text = key && fy_node_get_type(key) == FYNT_SCALAR &&
                       !fy_node_is_alias(key) ? fy_node_get_scalar(key, &len)
                                              : NULL;
    if (text && len == 2 && memcmp(text, "<<", 2) == 0)
      w->needs_resolve = true;
    if (key && !text) /* an alias or a mapping as a key expands too */
      ok = walk(w, key, via);
    if (ok && text && keys.slots &&
        name_index_add(&keys, text, len, 0) != NAME_NONE) {
      char shown[64];
      excerpt(shown, sizeof shown, text, len);
      report(w->L, key, "duplicate key '%s'", shown);
      ok = false;
    }
    ok = ok && walk(w, fy_node_pair_value(pair), via);
  }
  name_index_fini(&keys);
  return ok;
}

/* Parses the text into L->doc, or reports the parser's first error. */
bool parse(struct loader *L, const char *text, size_t len,
                  enum fy_parse_cfg_flags flags)
{
  struct fy_parse_cfg pcfg = {.flags = flags, .diag = L->diag};
  L->doc = fy_document_build_from_string(&pcfg, text, len);
  if (L->doc)
    return true;
  struct fy_diag_error *e;
  void *iter = NULL;
  if ((e = fy_diag_errors_iterate(L->diag, &iter)))
    snprintf(L->err, L->errlen, "%s:%d:%d: error: %s", L->path, e->line,
             e->column, e->msg);
  else /* no error: the stream holds no document */
    snprintf(L->err, L->errlen, "%s:1:1: error: the scenario is empty", L->path);
  return false;
}

/* Duplicate keys and aliases are checked by walk(): libfyaml's own checks
 * take time quadratic in the size of a mapping, so the document is parsed
 * without them, and parsed again with its aliases and merge keys resolved
 * only if it has any (such files are small). */
bool prepare(struct loader *L, const char *text, size_t len)
{
  struct walk w = {.L = L};
  if (!walk(&w, fy_document_root(L->doc), NULL))
    return false;
  if (!w.needs_resolve)
    return true;
  fy_document_destroy(L->doc);
  return parse(L, text, len, FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT);
}
