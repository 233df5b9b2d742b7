/*
 * models/load_staffing.c — the staffing block: the brief of `loket staff`
 * (docs/staffing.md), read into struct model_staffing in time units.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

/* A window of start times: one value, or a list [first, last] with
 * first <= last. `point` reads each end (a time of day or a duration). */
static bool window(struct loader *L, struct fy_node *n, const char *what,
                   bool (*point)(struct loader *, struct fy_node *, const char *,
                                 enum bound, double *),
                   double *first, double *last)
{
  if (fy_node_get_type(n) != FYNT_SEQUENCE) {
    if (!point(L, n, what, NONNEG, first))
      return false;
    *last = *first;
    return true;
  }
  if (fy_node_sequence_item_count(n) != 2) {
    report(L, n, "%s must be one time or a list of two, [first, last]; got a "
                 "list of %d", what, fy_node_sequence_item_count(n));
    return false;
  }
  struct fy_node *a = fy_node_sequence_get_by_index(n, 0),
                 *b = fy_node_sequence_get_by_index(n, 1);
  if (!point(L, a, what, NONNEG, first) || !point(L, b, what, NONNEG, last))
    return false;
  if (*last < *first) {
    report(L, b, "the last %s must not be before the first", what);
    return false;
  }
  return true;
}

#define SHIFT struct model_shift
static const struct field shift_rows[] = {
  REQUIRED("name", F_TEXT, ANY, SHIFT, name, "the shift's name in roster.csv"),
  LATER("length", "length of the shift including its break"),
  LATER("start", "when the shift may start: a time or [first, last]"),
  ROW("step", F_DURATION, POSITIVE, 0, 0, SHIFT, step, NO_FLAG, false, NULL,
      "grid of the start times"),
  LATER("break", "the shift's break"),
};

static const struct field break_rows[] = {
  LATER("length", "length of the break"),
  LATER("start", "when the break may start, after the shift's start"),
  ROW("paid", F_BOOL, ANY, 0, 0, SHIFT, break_paid, NO_FLAG, false, NULL,
      "whether the break is paid time"),
};
#undef SHIFT

static bool load_shift(struct loader *L, struct fy_node *item, double interval,
                       struct model_shift *sh)
{
  sh->step = interval;
  struct section sec;
  if (!section_read(L, item, "a shift", ROWS(shift_rows), sh, &sec))
    return false;
  char here[160];
  snprintf(here, sizeof here, "shift '%s'", sh->name);
  struct fy_node *length, *start;
  if (!(length = section_require(L, &sec, "length", here)) ||
      !duration(L, length, "length", POSITIVE, &sh->length) ||
      !(start = section_require(L, &sec, "start", here)) ||
      !window(L, start, "start", time_of_day, &sh->start_first, &sh->start_last))
    return false;
  if (sh->start_last >= L->m->horizon) {
    report(L, start, "shift '%s' must start before the horizon (%g), got %g",
           sh->name, L->m->horizon, sh->start_last);
    return false;
  }
  struct fy_node *brk = section_given(&sec, "break");
  if (!brk)
    return true;
  snprintf(here, sizeof here, "the break of shift '%s'", sh->name);
  struct section bsec;
  struct fy_node *blength, *bstart;
  if (!section_read(L, brk, "break", ROWS(break_rows), sh, &bsec) ||
      !(blength = section_require(L, &bsec, "length", here)) ||
      !duration(L, blength, "length", POSITIVE, &sh->break_length) ||
      !(bstart = section_require(L, &bsec, "start", here)) ||
      !window(L, bstart, "start", duration, &sh->break_first, &sh->break_last))
    return false;
  if (sh->break_last + sh->break_length > sh->length + 1e-9) {
    report(L, bstart, "the break of shift '%s' must end within the shift: "
                      "starting %g after the shift's start and lasting %g, it "
                      "ends after the shift's length %g", sh->name,
           sh->break_last, sh->break_length, sh->length);
    return false;
  }
  sh->has_break = true;
  return true;
}

#define STAFFING struct model_staffing
static const struct field staffing_rows[] = {
  NUMBER("interval", POSITIVE, STAFFING, interval, "planning interval"),
  LATER("departments", "the departments to plan"),
  REQUIRED_LATER("target", "what every interval must meet"),
  WHOLE32("min_staff", 0, 1000000, STAFFING, min_staff, "fewest staff"),
  WHOLE32("max_staff", 1, 1000000, STAFFING, max_staff, "most staff"),
  NUMBER("shrinkage", NONNEG, STAFFING, shrinkage, "share of paid time not serving"),
  NUMBER("confidence", NONNEG, STAFFING, confidence,
         "0: targets for the mean; else for this lower bound"),
  NUMBER("cost_per_paid_hour", NONNEG, STAFFING, cost_per_paid_hour,
         "cost of a paid staff hour"),
  LATER("shifts", "the kinds of shift of the roster"),
};

static const struct field target_rows[] = {
  NUMBER("service_level", PROBABILITY, STAFFING, target_service_level,
         "share of arrivals served within service_level.within"),
  NUMBER("abandoned", PROBABILITY, STAFFING, target_abandoned,
         "at most this share abandons"),
  NUMBER("wait_mean", POSITIVE, STAFFING, target_wait_mean, "mean wait at most"),
};
#undef STAFFING

static bool load_plan(struct loader *L, struct fy_node *x)
{
  struct model *m = L->m;
  struct model_staffing *st = &m->staffing;
  st->plan = sim_xcalloc(m->ndepartments, sizeof *st->plan);
  if (!x) {
    for (size_t d = 0; d < m->ndepartments; d++)
      st->plan[d] = true;
    return true;
  }
  if (!expect_sequence(L, x, "departments"))
    return false;
  if (fy_node_sequence_item_count(x) == 0) {
    report(L, x, "departments must name at least one department to plan");
    return false;
  }
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(x, &iter))) {
    int d = department_index(L, item, "a department to plan");
    if (d < 0)
      return false;
    if (st->plan[d]) {
      report(L, item, "department '%s' is listed twice", m->departments[d].name);
      return false;
    }
    st->plan[d] = true;
  }
  return true;
}

/* staffing: read after the departments (it names them) and the output
 * block (its default interval). */
bool load_staffing(struct loader *L, struct fy_node *root)
{
  struct model *m = L->m;
  struct model_staffing *st = &m->staffing;
  *st = (struct model_staffing){
    .interval = m->interval, .target_service_level = NAN,
    .target_abandoned = NAN, .target_wait_mean = NAN, .max_staff = 1000,
    .cost_per_paid_hour = NAN};
  struct fy_node *n = lookup(root, "staffing"), *x;
  if (!n)
    return true;
  st->present = true;
  struct section sec;
  if (!section_read(L, n, "staffing", ROWS(staffing_rows), st, &sec))
    return false;
  if ((x = section_given(&sec, "interval")) && m->horizon / st->interval > 100000) {
    report(L, x, "interval %g gives %.0f planning intervals in the horizon; "
                 "at most 100000 (make the interval longer)",
           st->interval, ceil(m->horizon / st->interval));
    return false;
  }
  if (!load_plan(L, section_given(&sec, "departments")))
    return false;

  struct fy_node *target = section_given(&sec, "target");
  struct section tsec;
  if (!section_read(L, target, "target", ROWS(target_rows), st, &tsec))
    return false;
  if ((x = section_given(&tsec, "service_level")) && !lookup(root, "service_level")) {
    report(L, x, "a service_level target needs service_level.within at the "
                 "top of the scenario (the wait that counts as in time)");
    return false;
  }
  if (isnan(st->target_service_level) && isnan(st->target_abandoned) &&
      isnan(st->target_wait_mean)) {
    report(L, target, "target needs at least one of 'service_level', "
                      "'abandoned' and 'wait_mean'");
    return false;
  }

  if (st->max_staff < st->min_staff) {
    x = section_given(&sec, "max_staff");
    report(L, x ? x : section_given(&sec, "min_staff"),
           "max_staff (%u) must be at least min_staff (%u)", st->max_staff,
           st->min_staff);
    return false;
  }
  if ((x = section_given(&sec, "shrinkage")) && st->shrinkage >= 1) {
    report(L, x, "shrinkage must be at least 0 and below 1, got '%s'",
           fy_node_get_scalar0(x));
    return false;
  }
  if ((x = section_given(&sec, "confidence")) && st->confidence != 0 &&
      !(st->confidence > 0.5 && st->confidence < 1)) {
    report(L, x, "confidence must be 0 (targets hold for the mean) or "
                 "between 0.5 and 1, got '%s'", fy_node_get_scalar0(x));
    return false;
  }

  if (!(x = section_given(&sec, "shifts")))
    return true;
  if (!expect_sequence(L, x, "shifts"))
    return false;
  int count = fy_node_sequence_item_count(x);
  if (count == 0) {
    report(L, x, "shifts must list at least one shift");
    return false;
  }
  st->shifts = sim_xcalloc((size_t)count, sizeof *st->shifts);
  /* Shift names are few: a linear search for duplicates will do. */
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(x, &iter))) {
    struct model_shift *sh = &st->shifts[st->nshifts++];
    if (!load_shift(L, item, st->interval, sh))
      return false;
    for (size_t i = 0; i + 1 < st->nshifts; i++)
      if (strcmp(st->shifts[i].name, sh->name) == 0) {
        report(L, lookup(item, "name"), "shift '%s' is listed twice", sh->name);
        return false;
      }
  }
  return true;
}

void staffing_fini(struct model_staffing *st)
{
  for (size_t i = 0; i < st->nshifts; i++)
    free(st->shifts[i].name);
  free(st->shifts);
  free(st->plan);
}
