/*
 * models/load_arrivals.c — arrival streams: a constant rate, a schedule of
 * rates, a trace of arrival times, or booked appointments.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

static const struct field arrival_rows[] = {
  REQUIRED_LATER("to", "the department where the journey starts"),
  LATER("rate", "a Poisson process with this rate per time unit"),
  LATER("schedule", "a Poisson process whose rate changes by the hour"),
  LATER("trace", "a file of arrival times"),
  LATER("appointments", "booked slots"),
  LATER("class", "every customer of this stream is of this class"),
};

/* At most this many arrivals are expected in one replication (a rate of
 * 1e300 would otherwise run for ever). */
#define MAX_ARRIVALS 1e9

/* punctuality: a signed offset, so not one of the (non-negative)
 * distributions: deterministic, uniform or an untruncated normal. */
static bool load_punctuality(struct loader *L, struct fy_node *n,
                             struct model_offset *out)
{
  static const struct field rows[] = {
    REQUIRED_LATER("dist", "deterministic, uniform or normal"),
    LATER("value", "deterministic: the offset"),
    LATER("min", "uniform: the earliest offset"),
    LATER("max", "uniform: the latest offset"),
    LATER("mean", "normal: the mean offset"),
    LATER("sd", "normal: its standard deviation"),
  };
  static const char *const kinds[] = {"deterministic", "uniform", "normal", NULL};
  static const char *const params[][2] = {{"value", NULL}, {"min", "max"},
                                          {"mean", "sd"}};
  struct section sec;
  if (!section_read(L, n, "punctuality", ROWS(rows), NULL, &sec))
    return false;
  struct fy_node *kind = section_given(&sec, "dist");
  const char *name = scalar_text(L, kind, "dist");
  if (!name)
    return false;
  int k = 0;
  while (kinds[k] && strcmp(kinds[k], name) != 0)
    k++;
  if (!kinds[k]) {
    report(L, kind, "punctuality must be deterministic, uniform or normal (an "
           "offset from the slot time, negative when early), got '%s'", name);
    return false;
  }
  out->kind = (enum model_offset_kind)k;
  double *values[2] = {&out->a, &out->b};
  for (int i = 0; i < 2 && params[k][i]; i++) {
    struct fy_node *x = section_given(&sec, params[k][i]);
    if (!x) {
      report(L, n, "punctuality: %s needs '%s'", name, params[k][i]);
      return false;
    }
    if (!duration(L, x, params[k][i], ANY, values[i]))
      return false;
  }
  for (size_t r = 1; r < sizeof rows / sizeof rows[0]; r++) {
    bool used = strcmp(rows[r].key, params[k][0]) == 0 ||
                (params[k][1] && strcmp(rows[r].key, params[k][1]) == 0);
    if (sec.given[r] && !used) {
      report(L, sec.given[r], "punctuality: %s takes no '%s'", name, rows[r].key);
      return false;
    }
  }
  if (out->kind == MODEL_OFFSET_UNIFORM && !(out->a < out->b)) {
    report(L, section_given(&sec, "max"), "punctuality: max must be above min");
    return false;
  }
  if (out->kind == MODEL_OFFSET_NORMAL && !(out->b >= 0)) {
    report(L, section_given(&sec, "sd"), "punctuality: sd must be >= 0");
    return false;
  }
  return true;
}

static bool read_punctuality(struct loader *L, struct fy_node *n,
                             const struct field *f, void *base)
{
  (void)f;
  return load_punctuality(L, n, &((struct model_appointments *)base)->punctuality);
}

static bool read_early(struct loader *L, struct fy_node *n,
                       const struct field *f, void *base)
{
  (void)f;
  const char *s = scalar_text(L, n, "early");
  if (!s)
    return false;
  bool serve = strcmp(s, "serve") == 0;
  if (!serve && strcmp(s, "wait") != 0) {
    report(L, n, "early must be wait or serve, got '%s'", s);
    return false;
  }
  ((struct model_appointments *)base)->early_serve = serve;
  return true;
}

#define APPOINTMENTS struct model_appointments
static const struct field appointment_rows[] = {
  REQUIRED("from", F_TIME, NONNEG, APPOINTMENTS, from, "the first slot"),
  REQUIRED("to", F_TIME, NONNEG, APPOINTMENTS, to, "the last slot (included)"),
  REQUIRED("every", F_DURATION, POSITIVE, APPOINTMENTS, every, "time between slots"),
  WHOLE32("per_slot", 1, 1000000, APPOINTMENTS, per_slot, "customers booked per slot"),
  NUMBER("no_show", PROBABILITY, APPOINTMENTS, no_show,
         "probability that a booked customer stays away"),
  READ("punctuality", read_punctuality, APPOINTMENTS, punctuality,
       "arrival minus slot time"),
  READ("early", read_early, APPOINTMENTS, early_serve,
       "an early customer waits for the slot or is served early"),
};
#undef APPOINTMENTS

static bool load_appointments(struct loader *L, struct fy_node *n,
                              struct model_appointments *ap, double *expected)
{
  ap->per_slot = 1;
  ap->punctuality = (struct model_offset){MODEL_OFFSET_DETERMINISTIC, 0, 0};
  struct section sec;
  if (!section_read(L, n, "appointments", ROWS(appointment_rows), ap, &sec))
    return false;
  if (ap->to < ap->from) {
    report(L, section_given(&sec, "to"), "the last slot is before the first");
    return false;
  }
  if (!(ap->to < L->m->horizon)) {
    report(L, section_given(&sec, "to"), "the last slot must be before the "
           "horizon (%g)", L->m->horizon);
    return false;
  }
  /* Slots from..to inclusive; a tolerance for times like 15:48 that are
   * not exact sums of `every` in floating point. */
  double slots = floor((ap->to - ap->from) / ap->every + 1e-9) + 1;
  *expected += slots * ap->per_slot;
  return true;
}

static const char *unit_singular(const struct model *m)
{
  return m->units_per_hour == 3600 ? "second"
         : m->units_per_hour == 60 ? "minute" : "hour";
}

bool load_arrivals(struct loader *L, struct fy_node *list)
{
  double expected = 0;
  if (!expect_sequence(L, list, "arrivals"))
    return false;
  struct model *m = L->m;
  int count = fy_node_sequence_item_count(list);
  if (count == 0) {
    report(L, list, "arrivals must list at least one arrival stream");
    return false;
  }
  m->arrivals = sim_xcalloc((size_t)count, sizeof *m->arrivals);
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &iter))) {
    struct section sec;
    if (!section_read(L, item, "an arrival stream", ROWS(arrival_rows), NULL, &sec))
      return false;
    struct model_arrival *a = &m->arrivals[m->narrivals++];
    int d = department_index(L, section_given(&sec, "to"), "to");
    if (d < 0)
      return false;
    a->to = (uint32_t)d;
    a->cls = -1;
    struct fy_node *n = section_given(&sec, "class");
    if (n && (a->cls = class_index(L, n, "class")) < 0)
      return false;
    struct fy_node *rate = section_given(&sec, "rate"),
                   *sched = section_given(&sec, "schedule"),
                   *trace = section_given(&sec, "trace"),
                   *booked = section_given(&sec, "appointments");
    if ((rate != NULL) + (sched != NULL) + (trace != NULL) + (booked != NULL) != 1) {
      report(L, rate ? rate : sched ? sched : trace ? trace : booked ? booked : item,
             "an arrival stream needs exactly one of 'rate', 'schedule', 'trace' "
             "and 'appointments'");
      return false;
    }
    if (rate) {
      a->kind = MODEL_ARRIVAL_RATE;
      if (!number(L, rate, "rate", POSITIVE, &a->rate))
        return false;
      a->mean_gap = 1.0 / a->rate;
      expected += a->rate * m->horizon;
    } else if (sched) {
      a->kind = MODEL_ARRIVAL_SCHEDULE;
      if (!schedule(L, sched, "schedule", "per_hour", false,
                    1.0 / m->units_per_hour, &a->schedule, &a->nsteps))
        return false;
      for (size_t i = 0; i < a->nsteps; i++) {
        double end = i + 1 < a->nsteps ? a->schedule[i + 1].at : m->horizon;
        expected += a->schedule[i].value * (end - a->schedule[i].at);
      }
    } else if (booked) {
      a->kind = MODEL_ARRIVAL_APPOINTMENTS;
      if (!load_appointments(L, booked, &a->appointments, &expected))
        return false;
      m->has_appointments = true;
    } else {
      a->kind = MODEL_ARRIVAL_TRACE;
      const char *name = scalar_text(L, trace, "trace");
      if (!name || !read_column(L, trace, name, true, &a->times, &a->ntimes))
        return false;
      expected += (double)a->ntimes;
    }
    /* A replication simulates every arrival: bound the work. */
    if (expected > MAX_ARRIVALS) {
      report(L, rate ? rate : sched ? sched : trace ? trace : booked,
             "the arrivals expected in a replication add up to %.3g; at most "
             "1e9 are simulated (rates are per %s)", expected, unit_singular(m));
      return false;
    }
  }
  return true;
}
