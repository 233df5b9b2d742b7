#include "models/office.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/check.h"
#include "sim/events.h"
#include "sim/rng.h"

enum event_type {
  EV_ARRIVAL,        /* subject: arrival stream */
  EV_SERVICE_END,    /* subject: customer */
  EV_PATIENCE_END,   /* subject: customer */
};

#define NIL UINT32_MAX

struct customer {
  double arrived;          /* start of the journey */
  double queued_at;        /* joined the current queue */
  double wait;             /* total time in queues so far */
  uint32_t prev, next;     /* queue links; next doubles as free-list link */
  sim_timer patience_timer;
  uint32_t dept;
  uint32_t cls;
  uint32_t visits, handoffs;
  bool counted;            /* arrived after the warm-up */
};

struct department {
  const struct model_department *def;
  uint32_t busy;
  uint32_t staff;
  uint64_t waiting;
  uint32_t head, tail;     /* FIFO queue, linked through the customers */
  gsl_rng *service_rng, *patience_rng, *routing_rng;
};

struct office {
  const struct model *model;
  struct sim_events events;
  struct model_metrics metrics;
  struct customer *customers;
  uint32_t ncustomers;     /* pool size */
  uint32_t free_customer;
  struct department *dept;
  gsl_rng **arrival_rng;
  gsl_rng *class_rng;
  double warmup;
};

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
  };
  return id;
}

static void end_journey(struct office *o, uint32_t id, enum model_outcome outcome)
{
  struct customer *c = &o->customers[id];
  struct model_journey j = {
    .outcome = outcome, .cls = c->cls, .wait = c->wait,
    .sojourn = o->events.now - c->arrived, .visits = c->visits,
    .handoffs = c->handoffs,
  };
  model_metrics_journey_end(&o->metrics, &j, c->counted);
  c->next = o->free_customer;
  o->free_customer = id;
}

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
  double duration = model_dist_sample(&dp->def->service, dp->service_rng);
  sim_events_schedule(&o->events, now + duration, EV_SERVICE_END, id);
}

static void unlink_waiting(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  struct department *dp = &o->dept[c->dept];
  if (c->prev != NIL)
    o->customers[c->prev].next = c->next;
  else
    dp->head = c->next;
  if (c->next != NIL)
    o->customers[c->next].prev = c->prev;
  else
    dp->tail = c->prev;
  c->prev = c->next = NIL;
  dp->waiting--;
  model_metrics_queue_length(&o->metrics, c->dept, o->events.now, dp->waiting);
}

/* A customer arrives at department d: served at once, blocked, or queued. */
static void visit(struct office *o, uint32_t id, uint32_t d)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  double now = o->events.now;
  c->dept = d;
  c->visits++;
  c->queued_at = now;
  model_metrics_visit(&o->metrics, d, c->counted);
  if (dp->busy < dp->staff && dp->waiting == 0) {
    start_service(o, id, d);
    return;
  }
  if (dp->waiting >= dp->def->capacity) {
    model_metrics_visit_lost(&o->metrics, d, MODEL_BLOCKED, c->counted);
    end_journey(o, id, MODEL_BLOCKED);
    return;
  }
  c->prev = dp->tail;
  c->next = NIL;
  if (dp->tail != NIL)
    o->customers[dp->tail].next = id;
  else
    dp->head = id;
  dp->tail = id;
  dp->waiting++;
  model_metrics_queue_length(&o->metrics, d, now, dp->waiting);
  if (dp->def->has_patience) {
    double patience = model_dist_sample(&dp->def->patience, dp->patience_rng);
    c->patience_timer =
        sim_events_schedule(&o->events, now + patience, EV_PATIENCE_END, id);
  }
}

static void serve_waiting(struct office *o, uint32_t d)
{
  struct department *dp = &o->dept[d];
  while (dp->busy < dp->staff && dp->head != NIL) {
    uint32_t id = dp->head;
    struct customer *c = &o->customers[id];
    if (c->patience_timer != SIM_TIMER_NONE) {
      sim_events_cancel(&o->events, c->patience_timer);
      c->patience_timer = SIM_TIMER_NONE;
    }
    unlink_waiting(o, id);
    start_service(o, id, d);
  }
}

/* After service at d: the next department, or NIL to leave. */
static uint32_t route(struct office *o, uint32_t d)
{
  const struct model_department *def = o->dept[d].def;
  if (def->nroutes == 0)
    return NIL;
  double u = gsl_rng_uniform(o->dept[d].routing_rng);
  for (size_t i = 0; i < def->nroutes; i++) {
    if (u < def->routes[i].p)
      return def->routes[i].to;
    u -= def->routes[i].p;
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
  uint32_t next = route(o, d);
  if (next == NIL) {
    end_journey(o, id, MODEL_SERVED);
    return;
  }
  c->handoffs++;
  model_metrics_handoff_out(&o->metrics, d, c->counted);
  visit(o, id, next);
}

static void on_patience_end(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  c->patience_timer = SIM_TIMER_NONE;
  c->wait += o->events.now - c->queued_at;
  unlink_waiting(o, id);
  model_metrics_visit_lost(&o->metrics, c->dept, MODEL_ABANDONED, c->counted);
  end_journey(o, id, MODEL_ABANDONED);
}

static uint32_t draw_class(struct office *o)
{
  const struct model *m = o->model;
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

static void on_arrival(struct office *o, uint32_t stream)
{
  const struct model_arrival *a = &o->model->arrivals[stream];
  double now = o->events.now;
  uint32_t id = new_customer(o, now, draw_class(o));
  model_metrics_journey_start(&o->metrics, o->customers[id].cls,
                              o->customers[id].counted);
  visit(o, id, a->to);
  double next = now + sim_rng_exponential(o->arrival_rng[stream], 1.0 / a->rate);
  if (next < o->model->horizon)
    sim_events_schedule(&o->events, next, EV_ARRIVAL, stream);
}

static void office_init(struct office *o, const struct model *m, uint64_t seed,
                        uint32_t rep)
{
  o->model = m;
  o->warmup = m->warmup;
  sim_events_init(&o->events, 64);
  model_metrics_init(&o->metrics, m);
  o->customers = NULL;
  o->ncustomers = 0;
  o->free_customer = NIL;
  grow_pool(o);
  o->dept = sim_xcalloc(m->ndepartments, sizeof *o->dept);
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    struct department *dp = &o->dept[d];
    dp->def = &m->departments[d];
    dp->staff = dp->def->staff;
    dp->head = dp->tail = NIL;
    dp->service_rng = sim_rng_new(seed, rep, MODEL_STREAM_SERVICE + d);
    dp->patience_rng = sim_rng_new(seed, rep, MODEL_STREAM_PATIENCE + d);
    dp->routing_rng = sim_rng_new(seed, rep, MODEL_STREAM_ROUTING + d);
  }
  o->arrival_rng = sim_xcalloc(m->narrivals, sizeof *o->arrival_rng);
  for (uint32_t i = 0; i < m->narrivals; i++)
    o->arrival_rng[i] = sim_rng_new(seed, rep, MODEL_STREAM_ARRIVALS + i);
  o->class_rng = sim_rng_new(seed, rep, MODEL_STREAM_CLASS);
}

static void office_fini(struct office *o)
{
  const struct model *m = o->model;
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    gsl_rng_free(o->dept[d].service_rng);
    gsl_rng_free(o->dept[d].patience_rng);
    gsl_rng_free(o->dept[d].routing_rng);
  }
  for (uint32_t i = 0; i < m->narrivals; i++)
    gsl_rng_free(o->arrival_rng[i]);
  gsl_rng_free(o->class_rng);
  free(o->arrival_rng);
  free(o->dept);
  free(o->customers);
  model_metrics_fini(&o->metrics);
  sim_events_fini(&o->events);
}

int model_office_run(const struct model *m, uint64_t seed, uint32_t replication,
                     struct model_result *result)
{
  struct office o;
  office_init(&o, m, seed, replication);

  for (uint32_t i = 0; i < m->narrivals; i++) {
    double first = sim_rng_exponential(o.arrival_rng[i], 1.0 / m->arrivals[i].rate);
    if (first < m->horizon)
      sim_events_schedule(&o.events, first, EV_ARRIVAL, i);
  }

  /* The milestones of the day — the end of the warm-up and the closing of
   * the doors — are not in the event list: each event's time is compared
   * with the next milestone, which is handled first when it is due (so at
   * equal times a milestone comes before customers). This keeps the event
   * list as small as the number of customers in motion. */
  double warmup_at = m->warmup > 0 ? m->warmup : INFINITY;
  double close_at = m->horizon;
  double milestone = warmup_at < close_at ? warmup_at : close_at;
  struct sim_event ev;
  for (;;) {
    bool have = sim_events_next(&o.events, &ev);
    double t = have ? ev.time : INFINITY;
    while (t >= milestone && milestone < INFINITY) {
      if (milestone == warmup_at) {
        model_metrics_warmup_end(&o.metrics, warmup_at);
        warmup_at = INFINITY;
      } else {
        model_metrics_close(&o.metrics, close_at);
        close_at = INFINITY;
      }
      milestone = warmup_at < close_at ? warmup_at : close_at;
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
    }
  }
  double end = o.events.now > m->horizon ? o.events.now : m->horizon;
  model_metrics_result(&o.metrics, end, result);
  result->events = o.events.popped;
  office_fini(&o);
  return 0;
}
