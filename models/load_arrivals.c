/*
 * models/load_arrivals.c — arrival streams: a constant rate, a schedule of
 * rates, or a trace of arrival times.
 */
#include <stdio.h>

#include "models/load.h"
#include "sim/check.h"

static const struct field arrival_rows[] = {
  REQUIRED_LATER("to", "the department where the journey starts"),
  LATER("rate", "a Poisson process with this rate per time unit"),
  LATER("schedule", "a Poisson process whose rate changes by the hour"),
  LATER("trace", "a file of arrival times"),
  LATER("class", "every customer of this stream is of this class"),
};

/* At most this many arrivals are expected in one replication (a rate of
 * 1e300 would otherwise run for ever). */
#define MAX_ARRIVALS 1e9

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
                   *trace = section_given(&sec, "trace");
    if ((rate != NULL) + (sched != NULL) + (trace != NULL) != 1) {
      report(L, rate ? rate : sched ? sched : trace ? trace : item,
             "an arrival stream needs exactly one of 'rate', 'schedule' and 'trace'");
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
    } else {
      a->kind = MODEL_ARRIVAL_TRACE;
      const char *name = scalar_text(L, trace, "trace");
      if (!name || !read_column(L, trace, name, true, &a->times, &a->ntimes))
        return false;
      expected += (double)a->ntimes;
    }
    /* A replication simulates every arrival: bound the work. */
    if (expected > MAX_ARRIVALS) {
      report(L, rate ? rate : sched ? sched : trace,
             "the arrivals expected in a replication add up to %.3g; at most "
             "1e9 are simulated (rates are per %s)", expected, unit_singular(m));
      return false;
    }
  }
  return true;
}
