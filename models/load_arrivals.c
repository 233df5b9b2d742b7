/*
 * models/load_arrivals.c — arrival streams: a constant rate, a schedule of
 * rates (inline or a forecast file of volumes), a trace of arrival times,
 * or booked appointments.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

static const struct field arrival_rows[] = {
  REQUIRED_LATER("to", "the department where the journey starts"),
  LATER("rate", "a Poisson process with this rate per time unit"),
  LATER("schedule", "a Poisson process whose rate changes by the hour, inline "
                    "or from a file of volumes"),
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
  static const char *const words[] = {"wait", "serve", NULL};
  size_t k;
  if (!one_of(L, n, "early", words, &k))
    return false;
  ((struct model_appointments *)base)->early_serve = k == 1;
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

/* A schedule from a forecast file: columns `at` and either `volume`
 * (customers in the interval from this row's `at` to the next row's; the
 * last row's interval is as long as the one before it) or `per_hour`.
 * Rows at or after the horizon are left out (after they gave the interval
 * of the row before). See docs/scenario.md. */
static bool schedule_file(struct loader *L, struct fy_node *n, struct model_arrival *a)
{
  const char *name = scalar_text(L, n, "schedule");
  struct data_table t;
  if (!name || !data_table_open(L, n, name, &t))
    return false;
  struct sim_csv_reader *r = &t.r;
  const struct model *m = L->m;
  int at = sim_csv_reader_column(r, "at"), volume = sim_csv_reader_column(r, "volume"),
      per_hour = sim_csv_reader_column(r, "per_hour");
  int rc = 0;
  if (at < 0)
    rc = sim_csv_reader_fail(r, "a schedule file needs a column 'at' (a time since "
                                "opening or a clock time like 08:30)");
  else if (volume >= 0 && per_hour >= 0)
    rc = sim_csv_reader_fail(r, "a schedule file gives either 'volume' or 'per_hour', "
                                "not both");
  else if (volume < 0 && per_hour < 0)
    rc = sim_csv_reader_fail(r, "a schedule file needs a column 'volume' (customers "
                                "per interval) or 'per_hour'");
  int value = volume >= 0 ? volume : per_hour;
  size_t cap = 64, nrows = 0;
  double *times = sim_xmalloc(cap * sizeof *times), *values = sim_xmalloc(cap * sizeof *values);
  int got = 0;
  char previous[64] = "";
  while (rc == 0 && (got = sim_csv_reader_next(r)) == 1) {
    const char *text = sim_csv_reader_field(r, (size_t)at);
    double x = 0, hours;
    char shown[64];
    excerpt(shown, sizeof shown, text, strlen(text));
    if (parse_number(text, &x))
      ;
    else if (parse_clock(text, &hours))
      x = hours * m->units_per_hour - m->opens;
    else
      rc = sim_csv_reader_fail(r, "column 'at': expected a time since opening or a "
                                  "clock time like 08:30, got '%s'", shown);
    if (rc == 0 && x < 0)
      rc = sim_csv_reader_fail(r, "column 'at': '%s' is before opening", shown);
    if (rc == 0 && nrows > 0 && !(x > times[nrows - 1]))
      rc = sim_csv_reader_fail(r, "column 'at': times must increase, got '%s' after "
                                  "'%s'", shown, previous);
    double v;
    if (rc == 0 && sim_csv_reader_num(r, (size_t)value, false, &v) != 0)
      rc = -1;
    if (rc == 0 && v < 0)
      rc = sim_csv_reader_fail(r, "column '%s': expected a number >= 0, got %g",
                               r->header[value], v);
    if (rc != 0)
      break;
    if (nrows == cap) {
      cap *= 2;
      times = sim_xrealloc(times, cap, sizeof *times);
      values = sim_xrealloc(values, cap, sizeof *values);
    }
    times[nrows] = x;
    values[nrows++] = v;
    memcpy(previous, shown, sizeof previous);
  }
  if (got < 0)
    rc = -1;
  /* Whole-file problems name the file, not a line. */
  const char *whole = NULL;
  if (rc == 0 && nrows == 0)
    whole = "has no rows";
  else if (rc == 0 && volume >= 0 && nrows < 2)
    whole = "has one row: a schedule of volumes needs at least two, the interval "
            "of a volume is the gap to the next 'at'";
  else if (rc == 0 && !(times[0] < m->horizon))
    whole = "has no row before the horizon";
  if (whole) {
    snprintf(r->error, sizeof r->error, "%s: the schedule file %s", t.path, whole);
    rc = -1;
  }
  if (rc != 0) {
    report(L, n, "%s", r->error);
  } else {
    a->schedule = sim_xcalloc(nrows + 1, sizeof *a->schedule);
    size_t k = 0;
    if (times[0] > 0)
      a->schedule[k++] = (struct model_step){0.0, 0.0};
    for (size_t i = 0; i < nrows && times[i] < m->horizon; i++) {
      double rate = values[i] / m->units_per_hour;
      if (volume >= 0) {
        /* A volume's interval is the gap to the next row's `at`, the last
         * row's that of the row before (there are at least two rows). */
        double length = i + 1 < nrows ? times[i + 1] - times[i] : times[i] - times[i - 1];
        rate = values[i] / length;
      }
      a->schedule[k++] = (struct model_step){times[i], rate};
    }
    a->nsteps = k;
  }
  free(times);
  free(values);
  data_table_close(&t);
  return rc == 0;
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
      if (fy_node_get_type(sched) == FYNT_SCALAR ? !schedule_file(L, sched, a)
          : !schedule(L, sched, "schedule", "per_hour", "per_interval", false,
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
