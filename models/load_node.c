/*
 * models/load_node.c — YAML node access for the loader: kinds of node,
 * numbers, whole numbers, clock times and durations, schedules, and the
 * walk that checks a document before use. Sections read by their rows are
 * one level up, in load_section.c (a row may be a distribution).
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

bool one_of(struct loader *L, struct fy_node *n, const char *what,
            const char *const *words, size_t *out)
{
  const char *v = scalar_text(L, n, what);
  if (!v)
    return false;
  size_t k = 0;
  while (words[k] && strcmp(words[k], v) != 0)
    k++;
  if (words[k]) {
    *out = k;
    return true;
  }
  char list[256] = "";
  for (size_t i = 0; words[i]; i++) {
    const char *sep = i == 0 ? "" : words[i + 1] ? ", " : " or ";
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%s%s", sep, words[i]);
  }
  report(L, n, "%s must be %s, got '%s'", what, list, v);
  return false;
}

bool boolean(struct loader *L, struct fy_node *n, const char *what,
                    bool *out)
{
  static const char *const words[] = {"true", "false", NULL};
  size_t k;
  if (!one_of(L, n, what, words, &k))
    return false;
  *out = k == 0;
  return true;
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
