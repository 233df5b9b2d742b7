/*
 * models/office_arrivals.c — arrival processes worked out ahead of the event
 * loop: the next arrival of a stream with a schedule of rates (inversion of
 * the cumulative rate), and the day's booked appointments.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/office_state.h"
#include "sim/check.h"

/* The next arrival after t, or INFINITY when the stream has ended. A
 * schedule is a piecewise-constant rate: one exponential amount of "work"
 * E ~ Exp(1) is spent across the steps at their rates (inversion of the
 * cumulative rate), so a step border neither loses nor doubles an arrival. */
double office_next_scheduled_arrival(struct office *o, uint32_t i, double t)
{
  const struct model_arrival *a = &o->model->arrivals[i];
  struct arrival_stream *s = &o->arrivals[i];
  double horizon = o->model->horizon;
  switch (a->kind) {
  case MODEL_ARRIVAL_RATE:
    break;
  case MODEL_ARRIVAL_SCHEDULE: {
    double work = sim_rng_exponential(&s->rng.gsl, 1.0);
    while (s->step < a->nsteps) {
      double rate = a->schedule[s->step].value;
      double end = s->step + 1 < a->nsteps ? a->schedule[s->step + 1].at : horizon;
      if (t < a->schedule[s->step].at)
        t = a->schedule[s->step].at;
      if (rate > 0 && rate * (end - t) >= work)
        return t + work / rate;
      if (rate > 0)
        work -= rate * (end - t);
      t = end;
      s->step++;
    }
    return INFINITY;
  }
  case MODEL_ARRIVAL_TRACE:
    return s->step < a->ntimes ? a->times[s->step++] : INFINITY;
  case MODEL_ARRIVAL_APPOINTMENTS:
    return s->step < s->ntimes ? s->times[s->step++] : INFINITY;
  }
  sim_check_fail("known arrival kind with a schedule", __FILE__, __LINE__);
}

static int compare_arrival(const void *x, const void *y)
{
  const double *a = x, *b = y;   /* (arrival, slot) */
  if (a[0] != b[0])
    return a[0] < b[0] ? -1 : 1;
  return (a[1] > b[1]) - (a[1] < b[1]);
}

/* The booked customers of stream i who come today, drawn at opening from
 * the stream's generator: slot by slot, each stays away with probability
 * no_show; the others arrive at slot + punctuality, no earlier than
 * opening. One who would arrive at or after the horizon counts as a
 * no-show. */
void office_book_appointments(struct office *o, uint32_t i)
{
  const struct model *m = o->model;
  const struct model_appointments *ap = &m->arrivals[i].appointments;
  struct arrival_stream *s = &o->arrivals[i];
  gsl_rng *rng = &s->rng.gsl;
  size_t nslots = (size_t)floor((ap->to - ap->from) / ap->every + 1e-9) + 1;
  double *pairs = sim_xcalloc(2 * nslots * ap->per_slot, sizeof *pairs);
  size_t n = 0;
  const struct model_arrival *a = &m->arrivals[i];
  for (size_t k = 0; k < nslots; k++) {
    double slot = ap->from + (double)k * ap->every;
    for (uint32_t j = 0; j < ap->per_slot; j++) {
      double offset = 0;
      bool away = ap->no_show > 0 && sim_rng_uniform(rng) < ap->no_show;
      switch (ap->punctuality.kind) {
      case MODEL_OFFSET_DETERMINISTIC:
        offset = ap->punctuality.a;
        break;
      case MODEL_OFFSET_UNIFORM:
        offset = ap->punctuality.a +
                 (ap->punctuality.b - ap->punctuality.a) * sim_rng_uniform(rng);
        break;
      case MODEL_OFFSET_NORMAL:
        offset = ap->punctuality.a + ap->punctuality.b * gsl_ran_gaussian_ziggurat(rng, 1.0);
        break;
      }
      double t = slot + offset > 0 ? slot + offset : 0;
      if (away || t >= m->horizon) {
        /* The class of a stream without one is drawn as for walk-ins. */
        model_metrics_no_show(&o->metrics, draw_class(o, a, false), slot >= o->warmup);
        continue;
      }
      pairs[2 * n] = t;
      pairs[2 * n + 1] = slot;
      n++;
    }
  }
  qsort(pairs, n, 2 * sizeof *pairs, compare_arrival);
  s->times = sim_xcalloc(n ? n : 1, sizeof *s->times);
  s->slots = sim_xcalloc(n ? n : 1, sizeof *s->slots);
  for (size_t k = 0; k < n; k++) {
    s->times[k] = pairs[2 * k];
    s->slots[k] = pairs[2 * k + 1];
  }
  s->ntimes = n;
  free(pairs);
}
