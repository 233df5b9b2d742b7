/*
 * models/load_section.c — sections read by their schema rows: each row's
 * key, type and bounds (models/load.h); the "unknown key, did you mean"
 * check derived from the rows, and schedules (lists of such sections).
 * It stands above the node access (load_node.c); the distributions
 * (load_dist.c) stand above it and hand their reader to the rows that
 * hold one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

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
    /* Through the row (dist_field in load_dist.c): a distribution is read
     * as a section itself, so naming it here would tie the two files in
     * a circle. */
    sim_assert(f->read);   /* rows are built with DIST or REQUIRED_DIST */
    return f->read(L, n, f, base);
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
    double t, v = 0;
    if (!time_of_day(L, at, "at", NONNEG, &t)) {
      ok = false;
    } else if (whole_values) {
      uint64_t w = 0;   /* whole() leaves it unset when it refuses */
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
