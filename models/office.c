#include "models/office.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "sim/check.h"
#include "sim/events.h"
#include "sim/rng.h"

enum event_type {
  EV_ARRIVAL,        /* subject: arrival stream */
  EV_SERVICE_END,    /* subject: customer */
  EV_PATIENCE_END,   /* subject: customer */
  EV_STAFF_CHANGE,   /* subject: department */
  EV_RETRY,          /* subject: customer, back after being lost */
  EV_TRANSFER_END,   /* subject: customer, arrives after a handoff's delay */
};

#define NIL UINT32_MAX

struct customer {
  double arrived;          /* start of the journey */
  double queued_at;        /* joined the current queue */
  double wait;             /* total time in queues so far */
  uint32_t prev, next;     /* queue links; next doubles as free-list link */
  sim_timer patience_timer;
  uint32_t dept;           /* current (or, in transit, next) department */
  uint32_t cls;
  uint32_t visits, handoffs, retrials;
  uint64_t visited;        /* bit d: has visited department d (d < 64) */
  uint64_t serial;         /* 1, 2, ... in order of arrival */
  uint8_t lost_as;         /* enum model_outcome of the last lost attempt */
  uint8_t level;           /* priority level: index of its queue */
  bool counted;            /* arrived after the warm-up */
  bool handing_off;        /* this service ends in a handoff */
};

struct queue {
  uint32_t head, tail;     /* FIFO, linked through the customers */
};

struct department {
  const struct model_department *def;
  const struct model_visit *visit;   /* def->visit, one rule per class */
  uint32_t busy;
  uint32_t staff;
  uint64_t waiting;
  struct queue *queues;    /* one per priority level, highest first */
  size_t next_staff_step;
  gsl_rng *service_rng, *patience_rng, *routing_rng;
  gsl_rng *balking_rng, *retrial_rng, *handoff_rng;
};

struct arrival_stream {
  gsl_rng *rng;
  size_t step;             /* schedule step or trace position */
};

struct office {
  const struct model *model;
  struct sim_events events;
  struct model_metrics metrics;
  struct customer *customers;
  uint32_t ncustomers;     /* pool size */
  uint32_t free_customer;
  struct department *dept;
  struct arrival_stream *arrivals;
  gsl_rng *class_rng;
  double warmup;
  uint64_t customers_created;
  bool doors_closed;
  bool cut;                /* closing: cut, and the doors have closed */
};

/* ---- customers ---------------------------------------------------------- */

static void grow_pool(struct office *o)
{
  uint32_t old = o->ncustomers, cap = old ? old * 2 : 256;
  sim_assert(old < UINT32_MAX / 2);
  o->customers = sim_xrealloc(o->customers, cap, sizeof *o->customers);
  for (uint32_t i = old; i < cap; i++)
    o->customers[i].next = i + 1 < cap ? i + 1 : NIL;
  o->free_customer = old;
  o->ncustomers = cap;
}

static uint32_t new_customer(struct office *o, double now, uint32_t cls)
{
  if (o->free_customer == NIL)
    grow_pool(o);
  uint32_t id = o->free_customer;
  struct customer *c = &o->customers[id];
  o->free_customer = c->next;
  *c = (struct customer){
    .arrived = now, .prev = NIL, .next = NIL, .patience_timer = SIM_TIMER_NONE,
    .cls = cls, .counted = now >= o->warmup,
    .level = (uint8_t)o->model->priority_level[cls],
    .serial = ++o->customers_created,
  };
  model_metrics_journey_start(&o->metrics, cls, c->counted);
  return id;
}

static void end_journey(struct office *o, uint32_t id, enum model_outcome outcome)
{
  struct customer *c = &o->customers[id];
  struct model_journey j = {
    .outcome = outcome, .cls = c->cls, .wait = c->wait,
    .sojourn = o->events.now - c->arrived, .visits = c->visits,
    .handoffs = c->handoffs, .retrials = c->retrials, .visited = c->visited,
    .arrived = c->arrived, .customer = c->serial,
  };
  model_metrics_journey_end(&o->metrics, &j, c->counted);
  c->next = o->free_customer;
  o->free_customer = id;
}

static inline const struct model_visit *rule(const struct office *o, uint32_t id)
{
  const struct customer *c = &o->customers[id];
  return &o->dept[c->dept].visit[c->cls];
}

/* ---- queues ------------------------------------------------------------- */

static void enqueue(struct office *o, uint32_t id, uint32_t d)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  struct queue *q = &dp->queues[c->level];
  c->prev = q->tail;
  c->next = NIL;
  if (q->tail != NIL)
    o->customers[q->tail].next = id;
  else
    q->head = id;
  q->tail = id;
  dp->waiting++;
  model_metrics_queue_length(&o->metrics, d, o->events.now, dp->waiting);
}

static void unlink_waiting(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  struct department *dp = &o->dept[c->dept];
  struct queue *q = &dp->queues[c->level];
  if (c->prev != NIL)
    o->customers[c->prev].next = c->next;
  else
    q->head = c->next;
  if (c->next != NIL)
    o->customers[c->next].prev = c->prev;
  else
    q->tail = c->prev;
  c->prev = c->next = NIL;
  dp->waiting--;
  model_metrics_queue_length(&o->metrics, c->dept, o->events.now, dp->waiting);
  if (c->patience_timer != SIM_TIMER_NONE) {
    sim_events_cancel(&o->events, c->patience_timer);
    c->patience_timer = SIM_TIMER_NONE;
  }
}

/* The customer to serve next: the head of the highest-priority queue. */
static uint32_t next_waiting(const struct office *o, uint32_t d)
{
  const struct department *dp = &o->dept[d];
  for (uint32_t level = 0; level < o->model->npriorities; level++)
    if (dp->queues[level].head != NIL)
      return dp->queues[level].head;
  return NIL;
}

/* ---- a visit ------------------------------------------------------------ */

static void visit(struct office *o, uint32_t id, uint32_t d, bool retry);

static void start_service(struct office *o, uint32_t id, uint32_t d)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  double now = o->events.now;
  double wait = now - c->queued_at;
  c->wait += wait;
  dp->busy++;
  model_metrics_busy(&o->metrics, d, now, dp->busy);
  model_metrics_service_start(&o->metrics, d, wait, c->counted);
  const struct model_department *def = dp->def;
  double duration;
  if (def->has_handoff && gsl_rng_uniform(dp->handoff_rng) < def->handoff.p) {
    /* Not my department: this visit ends after part of a service. */
    duration = model_dist_sample(&def->handoff.after, dp->handoff_rng);
    c->handing_off = true;
  } else {
    duration = model_dist_sample(rule(o, id)->service, dp->service_rng);
  }
  sim_events_schedule(&o->events, now + duration, EV_SERVICE_END, id);
}

static void serve_waiting(struct office *o, uint32_t d)
{
  struct department *dp = &o->dept[d];
  while (dp->busy < dp->staff && dp->waiting > 0) {
    uint32_t id = next_waiting(o, d);
    unlink_waiting(o, id);
    start_service(o, id, d);
  }
}

/* The attempt at the current department failed (blocked, balked,
 * abandoned): try again later, or leave. */
static void lose(struct office *o, uint32_t id, enum model_outcome why)
{
  struct customer *c = &o->customers[id];
  struct department *dp = &o->dept[c->dept];
  double wait = why == MODEL_ABANDONED ? o->events.now - c->queued_at : 0.0;
  model_metrics_visit_lost(&o->metrics, c->dept, why, wait, c->counted);
  const struct model_retrial *retrial = rule(o, id)->retrial;
  if (retrial && !o->doors_closed && gsl_rng_uniform(dp->retrial_rng) < retrial->p) {
    c->lost_as = (uint8_t)why;
    double back = model_dist_sample(&retrial->after, dp->retrial_rng);
    sim_events_schedule(&o->events, o->events.now + back, EV_RETRY, id);
    return;
  }
  end_journey(o, id, why);
}

/* A customer arrives at department d: served at once, turned away, or
 * queued. A retry is another attempt at the same visit, not a new visit. */
static void visit(struct office *o, uint32_t id, uint32_t d, bool retry)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  double now = o->events.now;
  c->dept = d;
  c->queued_at = now;
  if (retry)
    c->retrials++;
  else
    c->visits++;
  if (d < 64)
    c->visited |= UINT64_C(1) << d;
  if (o->cut) {
    end_journey(o, id, MODEL_SENT_AWAY);
    return;
  }
  model_metrics_visit(&o->metrics, d, c->counted);
  if (dp->busy < dp->staff && dp->waiting == 0) {
    start_service(o, id, d);
    return;
  }
  if (dp->waiting >= dp->def->capacity) {
    lose(o, id, MODEL_BLOCKED);
    return;
  }
  const struct model_visit *v = rule(o, id);
  if (v->balking && dp->waiting > v->balking->above &&
      gsl_rng_uniform(dp->balking_rng) < v->balking->p) {
    lose(o, id, MODEL_BALKED);
    return;
  }
  enqueue(o, id, d);
  if (v->patience) {
    double patience = model_dist_sample(v->patience, dp->patience_rng);
    c->patience_timer =
        sim_events_schedule(&o->events, now + patience, EV_PATIENCE_END, id);
  }
}

/* After service at d: the next department, or NIL to leave. */
static uint32_t route(struct office *o, uint32_t id)
{
  const struct model_visit *v = rule(o, id);
  if (v->nroutes == 0)
    return NIL;
  double u = gsl_rng_uniform(o->dept[o->customers[id].dept].routing_rng);
  for (size_t i = 0; i < v->nroutes; i++) {
    if (u < v->routes[i].p)
      return v->routes[i].to;
    u -= v->routes[i].p;
  }
  return NIL;
}

static void on_service_end(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  uint32_t d = c->dept;
  struct department *dp = &o->dept[d];
  dp->busy--;
  model_metrics_busy(&o->metrics, d, o->events.now, dp->busy);
  serve_waiting(o, d);
  if (c->handing_off) {
    const struct model_handoff *h = &dp->def->handoff;
    c->handing_off = false;
    c->handoffs++;
    model_metrics_handoff_out(&o->metrics, d, c->counted);
    if (h->has_delay) {
      c->dept = h->to;
      double delay = model_dist_sample(&h->delay, dp->handoff_rng);
      sim_events_schedule(&o->events, o->events.now + delay, EV_TRANSFER_END, id);
    } else {
      visit(o, id, h->to, false);
    }
    return;
  }
  uint32_t next = o->cut ? NIL : route(o, id);
  if (next == NIL) {
    end_journey(o, id, MODEL_SERVED);
    return;
  }
  c->handoffs++;
  model_metrics_handoff_out(&o->metrics, d, c->counted);
  visit(o, id, next, false);
}

static void on_patience_end(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  c->patience_timer = SIM_TIMER_NONE;
  c->wait += o->events.now - c->queued_at;
  unlink_waiting(o, id);
  lose(o, id, MODEL_ABANDONED);
}

static void on_retry(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  if (o->doors_closed)
    end_journey(o, id, (enum model_outcome)c->lost_as);
  else
    visit(o, id, c->dept, true);
}

/* ---- staff -------------------------------------------------------------- */

/* A schedule step. A cut takes effect as servers become free (nobody is
 * interrupted: serve_waiting only starts service while busy < staff); an
 * increase serves waiting customers at once. */
static void on_staff_change(struct office *o, uint32_t d)
{
  struct department *dp = &o->dept[d];
  const struct model_department *def = dp->def;
  double now = o->events.now;
  dp->staff = (uint32_t)def->staff_schedule[dp->next_staff_step++].value;
  model_metrics_staff(&o->metrics, d, now, dp->staff);
  if (dp->next_staff_step < def->nstaff_steps)
    sim_events_schedule(&o->events, def->staff_schedule[dp->next_staff_step].at,
                        EV_STAFF_CHANGE, d);
  serve_waiting(o, d);
}

/* ---- arrivals ----------------------------------------------------------- */

static uint32_t draw_class(struct office *o, const struct model_arrival *a)
{
  const struct model *m = o->model;
  if (a->cls >= 0)
    return (uint32_t)a->cls;
  if (m->nclasses == 1)
    return 0;
  double u = gsl_rng_uniform(o->class_rng);
  for (uint32_t k = 0; k + 1 < m->nclasses; k++) {
    if (u < m->classes[k].share)
      return k;
    u -= m->classes[k].share;
  }
  return (uint32_t)m->nclasses - 1;
}

/* The next arrival after t, or INFINITY when the stream has ended. A
 * schedule is a piecewise-constant rate: one exponential amount of "work"
 * E ~ Exp(1) is spent across the steps at their rates (inversion of the
 * cumulative rate), so a step border neither loses nor doubles an arrival. */
static double next_scheduled_arrival(struct office *o, uint32_t i, double t)
{
  const struct model_arrival *a = &o->model->arrivals[i];
  struct arrival_stream *s = &o->arrivals[i];
  double horizon = o->model->horizon;
  switch (a->kind) {
  case MODEL_ARRIVAL_RATE:
    break;
  case MODEL_ARRIVAL_SCHEDULE: {
    double work = sim_rng_exponential(s->rng, 1.0);
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
  }
  sim_check_fail("known arrival kind with a schedule", __FILE__, __LINE__);
}

static inline double next_arrival(struct office *o, uint32_t i, double t)
{
  const struct model_arrival *a = &o->model->arrivals[i];
  if (a->kind == MODEL_ARRIVAL_RATE)
    return t + sim_rng_exponential(o->arrivals[i].rng, a->mean_gap);
  return next_scheduled_arrival(o, i, t);
}

static void on_arrival(struct office *o, uint32_t stream)
{
  const struct model_arrival *a = &o->model->arrivals[stream];
  double now = o->events.now;
  uint32_t id = new_customer(o, now, draw_class(o, a));
  visit(o, id, a->to, false);
  double next = next_arrival(o, stream, now);
  if (next < o->model->horizon)
    sim_events_schedule(&o->events, next, EV_ARRIVAL, stream);
}

/* ---- the day ------------------------------------------------------------ */

/* Everyone still waiting leaves unserved. */
static void send_away_waiting(struct office *o)
{
  for (uint32_t d = 0; d < o->model->ndepartments; d++)
    while (o->dept[d].waiting > 0) {
      uint32_t id = next_waiting(o, d);
      o->customers[id].wait += o->events.now - o->customers[id].queued_at;
      unlink_waiting(o, id);
      end_journey(o, id, MODEL_SENT_AWAY);
    }
}

static void close_doors(struct office *o)
{
  const struct model *m = o->model;
  o->doors_closed = true;
  model_metrics_close(&o->metrics, m->horizon);
  if (m->closing != MODEL_CLOSING_CUT)
    return;
  /* closing: cut — whoever is still waiting is sent away; customers in
   * service finish it and then leave. */
  o->cut = true;
  send_away_waiting(o);
}

static void office_init(struct office *o, const struct model *m, uint64_t seed,
                        uint32_t rep)
{
  *o = (struct office){.model = m, .warmup = m->warmup, .free_customer = NIL};
  sim_events_init(&o->events, 64);
  model_metrics_init(&o->metrics, m);
  grow_pool(o);
  o->dept = sim_xcalloc(m->ndepartments, sizeof *o->dept);
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    struct department *dp = &o->dept[d];
    dp->def = &m->departments[d];
    dp->visit = dp->def->visit;
    dp->staff = dp->def->staff;
    dp->queues = sim_xcalloc(m->npriorities, sizeof *dp->queues);
    for (uint32_t l = 0; l < m->npriorities; l++)
      dp->queues[l].head = dp->queues[l].tail = NIL;
    dp->service_rng = sim_rng_new(seed, rep, MODEL_STREAM_SERVICE + d);
    dp->patience_rng = sim_rng_new(seed, rep, MODEL_STREAM_PATIENCE + d);
    dp->routing_rng = sim_rng_new(seed, rep, MODEL_STREAM_ROUTING + d);
    dp->balking_rng = sim_rng_new(seed, rep, MODEL_STREAM_BALKING + d);
    dp->retrial_rng = sim_rng_new(seed, rep, MODEL_STREAM_RETRIAL + d);
    dp->handoff_rng = sim_rng_new(seed, rep, MODEL_STREAM_HANDOFF + d);
  }
  o->arrivals = sim_xcalloc(m->narrivals, sizeof *o->arrivals);
  for (uint32_t i = 0; i < m->narrivals; i++)
    o->arrivals[i].rng = sim_rng_new(seed, rep, MODEL_STREAM_ARRIVALS + i);
  o->class_rng = sim_rng_new(seed, rep, MODEL_STREAM_CLASS);
}

static void office_fini(struct office *o)
{
  const struct model *m = o->model;
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    struct department *dp = &o->dept[d];
    gsl_rng_free(dp->service_rng);
    gsl_rng_free(dp->patience_rng);
    gsl_rng_free(dp->routing_rng);
    gsl_rng_free(dp->balking_rng);
    gsl_rng_free(dp->retrial_rng);
    gsl_rng_free(dp->handoff_rng);
    free(dp->queues);
  }
  for (uint32_t i = 0; i < m->narrivals; i++)
    gsl_rng_free(o->arrivals[i].rng);
  gsl_rng_free(o->class_rng);
  free(o->arrivals);
  free(o->dept);
  free(o->customers);
  model_metrics_fini(&o->metrics);
  sim_events_fini(&o->events);
}

/* At opening: staff schedules start, the backlog is already waiting, and
 * each arrival stream's first customer is scheduled. */
static void open_doors(struct office *o)
{
  const struct model *m = o->model;
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    const struct model_department *def = &m->departments[d];
    if (def->nstaff_steps > 0)
      sim_events_schedule(&o->events, def->staff_schedule[0].at, EV_STAFF_CHANGE, d);
  }
  for (uint32_t d = 0; d < m->ndepartments; d++)
    for (uint64_t k = 0; k < m->departments[d].backlog; k++) {
      static const struct model_arrival by_share = {.cls = -1};
      visit(o, new_customer(o, 0.0, draw_class(o, &by_share)), d, false);
    }
  for (uint32_t i = 0; i < m->narrivals; i++) {
    double first = next_arrival(o, i, 0.0);
    if (first < m->horizon)
      sim_events_schedule(&o->events, first, EV_ARRIVAL, i);
  }
}

int model_office_run(const struct model *m, uint64_t seed, uint32_t replication,
                     struct model_result *result)
{
  return model_office_run_traced(m, seed, replication, result,
                                 (struct model_journey_sink){NULL, NULL});
}

int model_office_run_traced(const struct model *m, uint64_t seed,
                            uint32_t replication, struct model_result *result,
                            struct model_journey_sink sink)
{
  struct office o;
  office_init(&o, m, seed, replication);
  o.metrics.sink = sink;
  open_doors(&o);

  /* The milestones of the day — the end of the warm-up, the ends of the
   * time series' intervals and the closing of the doors — are not in the
   * event list: each event's time is compared with the next milestone,
   * which is handled first when it is due (so at equal times a milestone
   * comes before customers, and the warm-up before an interval's end
   * before the closing). This keeps the event list as small as the number
   * of customers in motion. */
  double warmup_at = m->warmup > 0 ? m->warmup : INFINITY;
  double boundary_at = m->nintervals > 1 ? m->interval : m->horizon;
  uint32_t boundaries = 0;
  bool open = true;
  double milestone = fmin(warmup_at, boundary_at);
  struct sim_event ev;
  for (;;) {
    bool have = sim_events_next(&o.events, &ev);
    double t = have ? ev.time : INFINITY;
    while (t >= milestone && milestone < INFINITY) {
      if (milestone == warmup_at) {
        model_metrics_warmup_end(&o.metrics, warmup_at);
        warmup_at = INFINITY;
      } else if (boundaries < m->nintervals) {
        model_metrics_interval_end(&o.metrics, boundary_at);
        boundaries++;
        boundary_at = boundaries + 1 < m->nintervals ? (boundaries + 1) * m->interval
                    : boundaries < m->nintervals ? m->horizon : INFINITY;
        if (boundaries == m->nintervals && open) {
          close_doors(&o);   /* the last interval ends at the horizon */
          open = false;
        }
      }
      milestone = fmin(warmup_at, boundary_at);
    }
    if (!have)
      break;
    switch ((enum event_type)ev.type) {
    case EV_ARRIVAL:
      on_arrival(&o, ev.subject);
      break;
    case EV_SERVICE_END:
      on_service_end(&o, ev.subject);
      break;
    case EV_PATIENCE_END:
      on_patience_end(&o, ev.subject);
      break;
    case EV_STAFF_CHANGE:
      on_staff_change(&o, ev.subject);
      break;
    case EV_RETRY:
      on_retry(&o, ev.subject);
      break;
    case EV_TRANSFER_END:
      visit(&o, ev.subject, o.customers[ev.subject].dept, false);
      break;
    }
  }
  /* Nothing left to happen, yet customers may still wait: at a department
   * whose staff went to 0 for good. They are sent away unserved. */
  send_away_waiting(&o);
  double end = o.events.now > m->horizon ? o.events.now : m->horizon;
  model_metrics_result(&o.metrics, end, result);
  result->events = o.events.popped;
  office_fini(&o);
  return 0;
}
