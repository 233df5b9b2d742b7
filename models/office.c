#include "models/office.h"
#include "models/office_state.h"
#include "models/office_customers.h"
#include "models/office_queues.h"
#include "models/office_pools.h"
#include "models/office_service.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/check.h"
#include "sim/events.h"
#include "sim/rng.h"


/* ---- a visit ------------------------------------------------------------ */

/* The hot handlers (a visit, a service's end, an arrival) are bodies
 * always inlined with a constant `plain` (office_state.h): true in the
 * plain model's copy of the event dispatch (on_event, below), false
 * everywhere else. */

static void visit(struct office *o, uint32_t id, uint32_t d, bool retry);

/* The attempt at the current department failed (blocked, balked,
 * abandoned): try again later, or leave. */
static void lose(struct office *o, uint32_t id, enum model_outcome why)
{
  struct customer *c = &o->customers[id];
  struct department *dp = &o->dept[c->dept];
  double wait = why == MODEL_ABANDONED ? o->events.now - c->queued_at : 0.0;
  model_metrics_visit_lost(&o->metrics, c->dept, why, c->interval, wait, counted(o, c));
  const struct model_retrial *retrial = rule(o, id)->retrial;
  if (retrial && o->day == DAY_OPEN && sim_rng_uniform(&dp->retrial_rng.gsl) < retrial->p) {
    sim_assert_debug(c->state == C_ARRIVING);
    c->state = C_RETRYING;
    c->detail = (uint8_t)why;
    double back = model_dist_sample(&retrial->after, &dp->retrial_rng.gsl);
    sim_events_schedule(&o->events, o->events.now + back, PRIO_CUSTOMER, EV_RETRY, id);
    return;
  }
  end_journey(o, id, why);
}

/* A customer arrives at department d: served at once, turned away, or
 * queued. A retry is another attempt at the same visit, not a new visit
 * (never in a plain model, whose trail nothing reads). */
MODEL_ALWAYS_INLINE
static inline void visit_as(struct office *o, uint32_t id, uint32_t d, bool retry,
                            const enum loop_kind plain)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  double now = o->events.now;
  sim_assert_debug(c->state != C_WAITING && c->state != C_DONE);
  c->state = C_ARRIVING;
  c->dept = d;
  c->queued_at = now;
  if (!plain) {
    if (retry)
      c->retrials++;
    else
      c->trail = model_trail_visit(c->trail, d, o->metrics.trail_coded);
  }
  if (o->day == DAY_CUT) {
    end_journey(o, id, MODEL_SENT_AWAY);
    return;
  }
  c->interval = o->metrics.interval;
  model_metrics_visit(&o->metrics, d, c->interval, counted(o, c));
  if (dp->waiting == 0) {
    if (dp->busy < dp->staff) {
      start_service(o, id, d, plain);
      return;
    }
    /* Own staff first, then a pool's member (nobody waits here, so no
     * server of d or of its pools is free while someone waits). */
    uint32_t link = !plain && o->pools ? pool_link_free(o, d) : NIL;
    if (link != NIL) {
      start_pool_service(o, id, d, link);
      return;
    }
  }
  if (dp->waiting >= dp->capacity) {
    lose(o, id, MODEL_BLOCKED);
    return;
  }
  const struct model_visit *v = one_class(plain) ? dp->visit : &dp->visit[c->cls];
  if (v->balking && dp->waiting > v->balking->above &&
      sim_rng_uniform(&dp->balking_rng.gsl) < v->balking->p) {
    lose(o, id, MODEL_BALKED);
    return;
  }
  enqueue(o, id, d, plain);
  if (v->patience) {
    double patience = model_dist_sample(v->patience, &dp->patience_rng.gsl);
    c->patience_timer = sim_events_schedule(&o->events, now + patience,
                                            PRIO_CUSTOMER, EV_PATIENCE_END, id);
  }
}

static void visit(struct office *o, uint32_t id, uint32_t d, bool retry)
{
  visit_as(o, id, d, retry, LOOP_ANY);
}

/* After service at d: the next department, or NIL to leave. Where that
 * is fixed, read from the department; else one draw from the rule's
 * alias table, O(1) however many routes. */
static uint32_t route(struct office *o, uint32_t id)
{
  const struct customer *c = &o->customers[id];
  struct department *dp = &o->dept[c->dept];
  if (dp->route_fixed != ROUTE_DRAWN)
    return dp->route_fixed;
  const struct sim_rng_alias *table = dp->route_table[c->cls];
  if (!table)
    return NIL;
  return sim_rng_alias_draw_value(table, &dp->routing_rng.gsl);
}

/* The customer has left the counter, but its server stays busy: wrap-up
 * (after every visit served, handed off or not) and, after a handoff, the
 * coordination with the receiving department. The server is freed by
 * EV_SERVER_FREE; the customer goes on at once. */
static void hold_server(struct office *o, uint32_t id, uint32_t d, bool handed_off)
{
  struct department *dp = &o->dept[d];
  const struct model_department *def = dp->def;
  double wrap_up = def->has_wrap_up ?
      model_dist_sample(&def->wrap_up, &o->wrap_up_rng[d].gsl) : 0.0;
  double coordination = handed_off && def->handoff.has_coordination ?
      model_dist_sample(&def->handoff.coordination, &o->coordination_rng[d].gsl) : 0.0;
  model_metrics_after_work(&o->metrics, d, wrap_up, coordination,
                           counted(o, &o->customers[id]));
  uint32_t link = o->customers[id].server;
  uint32_t server = link == NIL ? d : (uint32_t)o->model->ndepartments + link;
  sim_events_schedule(&o->events, o->events.now + wrap_up + coordination,
                      PRIO_CUSTOMER, EV_SERVER_FREE, server);
}

/* The service of customer id at d has ended, in a model with after-work
 * or pools (o->slow_free): its server stays busy for the after-work, if
 * any, or is free now. */
MODEL_NOINLINE static void free_server_after(struct office *o, uint32_t id, uint32_t d)
{
  const struct customer *c = &o->customers[id];
  const struct model_department *def = o->dept[d].def;
  if (def->has_wrap_up || (c->detail && def->handoff.has_coordination))
    hold_server(o, id, d, c->detail);
  else if (c->server == NIL)
    free_server(o, d, false);
  else
    free_pool_member(o, c->server);
}

/* Failure demand: after a full service at d the question may not be
 * settled (the rule of the customer's class here). Then the customer
 * leaves and comes back later to the rule's department as the same
 * journey, or, when that would be after closing, the journey ends here
 * and the return is counted as tomorrow's. True when it is not settled.
 * Out of line: inlined into the event loop it would cost every scenario
 * registers, for a rule most do not have. */
MODEL_NOINLINE static bool comes_back(struct office *o, uint32_t id, uint32_t d)
{
  const struct model_department *def = o->dept[d].def;
  struct customer *c = &o->customers[id];
  const struct model_rework *r = def->rework_rule ? def->rework_rule[c->cls] : NULL;
  if (!r)
    return false;
  gsl_rng *rng = &o->rework_rng[d].gsl;
  if (!(sim_rng_uniform(rng) < r->p + r->per_handoff * c->handoffs))
    return false;
  struct journey_extra *x = &o->journeys[id];
  double back = o->events.now + model_dist_sample(&r->after, rng);
  bool tomorrow = back >= o->model->horizon;
  model_metrics_rework(&o->metrics, d, tomorrow, counted(o, c));
  if (tomorrow) {
    x->tomorrow = 1;
    end_journey(o, id, MODEL_SERVED);
    return true;
  }
  x->returned++;
  c->state = C_AWAY;
  c->dept = r->to == MODEL_REWORK_FIRST ? x->first : r->to;
  sim_events_schedule(&o->events, back, PRIO_CUSTOMER, EV_RETURN, id);
  return true;
}

/* The end of a service: in a plain model the journey's end. */
MODEL_ALWAYS_INLINE
static inline void on_service_end_as(struct office *o, uint32_t id,
                                     const enum loop_kind plain)
{
  struct customer *c = &o->customers[id];
  sim_assert_debug(c->state == C_IN_SERVICE);
  uint32_t d = c->dept;
  struct department *dp = &o->dept[d];
  if (!plain && o->slow_free)
    free_server_after(o, id, d);
  else
    free_server(o, d, plain);
  if (!plain && c->detail) {   /* this service ended in a handoff */
    const struct model_handoff *h = &dp->def->handoff;
    c->handoffs++;
    o->passed_on_of[id]++;   /* kept in a model with such handoffs */
    model_metrics_handoff_out(&o->metrics, d, counted(o, c));
    if (h->has_delay) {
      c->state = C_IN_TRANSFER;
      c->dept = h->to;
      double delay = model_dist_sample(&h->delay, &dp->handoff_rng.gsl);
      sim_events_schedule(&o->events, o->events.now + delay, PRIO_CUSTOMER,
                          EV_TRANSFER_END, id);
    } else {
      visit(o, id, h->to, false);
    }
    return;
  }
  if (!plain && o->journeys && comes_back(o, id, d))
    return;
  uint32_t next = plain || o->day == DAY_CUT ? NIL : route(o, id);
  if (next == NIL) {
    end_journey_served(o, id, plain);
    return;
  }
  c->handoffs++;
  model_metrics_handoff_out(&o->metrics, d, counted(o, c));
  visit(o, id, next, false);
}

static void on_patience_end(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  c->patience_timer = SIM_TIMER_NONE;
  c->wait += o->events.now - c->queued_at;
  unlink_waiting(o, id, false);
  lose(o, id, MODEL_ABANDONED);
}

/* A customer who was away (in transfer, back with rework, early for its
 * slot) arrives at the department it was bound for. */
static void resume(struct office *o, uint32_t id, enum customer_state from)
{
  (void)from;
  sim_assert_debug(o->customers[id].state == from);
  visit(o, id, o->customers[id].dept, false);
}

static void on_retry(struct office *o, uint32_t id)
{
  struct customer *c = &o->customers[id];
  sim_assert_debug(c->state == C_RETRYING);
  if (o->day != DAY_OPEN)
    end_journey(o, id, (enum model_outcome)c->detail);
  else
    visit(o, id, c->dept, true);
}

/* ---- staff -------------------------------------------------------------- */

/* The staff of schedule step *next (of n); the following step is
 * scheduled for `subject` (EV_STAFF_CHANGE's). */
static uint32_t take_staff_step(struct office *o, const struct model_step *steps,
                                size_t n, size_t *next, uint32_t subject)
{
  uint32_t staff = (uint32_t)steps[(*next)++].value;
  if (*next < n)
    sim_events_schedule(&o->events, steps[*next].at, PRIO_STAFF, EV_STAFF_CHANGE,
                        subject);
  return staff;
}

/* A schedule step of a department (subject d) or of pool i (subject
 * ndepartments + i). A cut takes effect as servers become free (nobody
 * is interrupted: a service starts only while busy < staff); an increase
 * serves waiting customers at once. */
static void on_staff_change(struct office *o, uint32_t subject)
{
  uint32_t nd = (uint32_t)o->model->ndepartments;
  if (subject >= nd) {
    struct pool *p = &o->pools[subject - nd];
    p->staff = take_staff_step(o, p->def->staff_schedule, p->def->nstaff_steps,
                               &p->next_staff_step, subject);
    model_metrics_pool_staff(&o->metrics, subject - nd, o->events.now, p->staff);
    pool_serve_waiting(o, subject - nd);
    return;
  }
  struct department *dp = &o->dept[subject];
  dp->staff = take_staff_step(o, dp->def->staff_schedule, dp->def->nstaff_steps,
                              &dp->next_staff_step, subject);
  model_metrics_staff(&o->metrics, subject, o->events.now, dp->staff);
  serve_waiting(o, subject);
}

/* ---- arrivals ----------------------------------------------------------- */



static inline double next_arrival(struct office *o, uint32_t i, double t)
{
  const struct model_arrival *a = &o->model->arrivals[i];
  if (a->kind == MODEL_ARRIVAL_RATE)
    return t + sim_rng_exponential(&o->arrivals[i].rng.gsl, a->mean_gap);
  return office_next_scheduled_arrival(o, i, t);
}

/* The doors close at the horizon. The event is scheduled when the last
 * arrival stream has ended (its next arrival would fall at or after the
 * horizon), not at opening: an event far in the future would sit in the
 * heap all day and make every other event's sift deeper. It is still an
 * ordinary event at the horizon, ordered by its priority. */
static void stream_ended(struct office *o)
{
  sim_assert_debug(o->open_streams > 0);
  if (--o->open_streams == 0)
    sim_events_schedule(&o->events, o->model->horizon, PRIO_CLOSING,
                        EV_DOORS_CLOSE, 0);
}

MODEL_ALWAYS_INLINE
static inline void on_arrival_as(struct office *o, uint32_t stream,
                                 const enum loop_kind plain)
{
  const struct model_arrival *a = &o->model->arrivals[stream];
  double now = o->events.now;
  uint32_t cls = one_class(plain) ? 0 : draw_class(o, a, plain == LOOP_PLAIN_CLASSES);
  uint32_t id = new_customer(o, now, cls, a->to, plain);
  if (id == NIL)
    return;   /* o->error says why; the run stops */
  visit_as(o, id, a->to, false, plain);
  double next = next_arrival(o, stream, now);
  if (next < o->model->horizon)
    sim_events_schedule_in(&o->events, LANE_ARRIVALS, next, PRIO_CUSTOMER,
                           EV_ARRIVAL, stream);
  else
    stream_ended(o);
}

/* A booked customer arrives (the stream's arrival s->step - 1): early
 * ones wait for their slot unless `early: serve`. */
static void on_appointment(struct office *o, uint32_t stream)
{
  const struct model_arrival *a = &o->model->arrivals[stream];
  struct arrival_stream *s = &o->arrivals[stream];
  double now = o->events.now, slot = s->slots[s->step - 1];
  uint32_t id = new_customer(o, now, draw_class(o, a, false), a->to, false);
  if (id == NIL)
    return;
  struct customer *c = &o->customers[id];
  o->slot_of[id] = slot;
  model_metrics_appointment_arrival(&o->metrics, c->cls, now - slot, counted(o, c));
  if (now < slot && !a->appointments.early_serve) {
    c->state = C_EARLY;
    c->dept = a->to;
    sim_events_schedule(&o->events, slot, PRIO_CUSTOMER, EV_SLOT, id);
  } else {
    visit(o, id, a->to, false);
  }
  double next = next_arrival(o, stream, now);
  if (next < o->model->horizon)
    sim_events_schedule_in(&o->events, LANE_ARRIVALS, next, PRIO_CUSTOMER,
                           EV_APPOINTMENT, stream);
  else
    stream_ended(o);
}



/* ---- the day ------------------------------------------------------------ */

/* Everyone still waiting leaves unserved. */
static void send_away_waiting(struct office *o)
{
  for (uint32_t d = 0; d < o->model->ndepartments; d++)
    while (o->dept[d].waiting > 0) {
      uint32_t id = next_waiting(o, d, false);
      o->customers[id].wait += o->events.now - o->customers[id].queued_at;
      unlink_waiting(o, id, false);
      end_journey(o, id, MODEL_SENT_AWAY);
    }
}

/* The end of interval k of the time series (not the last: that one ends
 * when the doors close); the next border is scheduled, so the event list
 * holds one border at a time. */
static void on_interval_end(struct office *o, uint32_t k)
{
  const struct model *m = o->model;
  model_metrics_interval_end(&o->metrics, o->events.now);
  if (k + 2 < m->nintervals)
    sim_events_schedule(&o->events, (k + 2) * m->interval, PRIO_INTERVAL,
                        EV_INTERVAL_END, k + 1);
}

/* The horizon: the last interval ends and the doors close. With
 * closing: cut whoever is still waiting is sent away; customers in service
 * finish it and then leave. */
static void close_doors(struct office *o)
{
  const struct model *m = o->model;
  sim_assert_debug(o->day == DAY_OPEN);
  model_metrics_interval_end(&o->metrics, m->horizon);
  model_metrics_close(&o->metrics, m->horizon);
  o->day = m->closing == MODEL_CLOSING_CUT ? DAY_CUT : DAY_DRAINING;
  if (o->day == DAY_CUT)
    send_away_waiting(o);
}




/* At opening: the day's milestones are scheduled, staff schedules start,
 * the backlog is already waiting, and each arrival stream's first customer
 * is scheduled. */
static void open_doors(struct office *o)
{
  const struct model *m = o->model;
  if (m->warmup > 0)
    sim_events_schedule(&o->events, m->warmup, PRIO_WARMUP, EV_WARMUP_END, 0);
  if (m->nintervals > 1)
    sim_events_schedule(&o->events, m->interval, PRIO_INTERVAL, EV_INTERVAL_END, 0);
  o->open_streams = (uint32_t)m->narrivals + 1;   /* + 1: released below */
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    const struct model_department *def = &m->departments[d];
    if (def->nstaff_steps > 0)
      sim_events_schedule(&o->events, def->staff_schedule[0].at, PRIO_STAFF,
                          EV_STAFF_CHANGE, d);
  }
  for (uint32_t i = 0; i < m->npools; i++)
    if (m->pools[i].nstaff_steps > 0)
      sim_events_schedule(&o->events, m->pools[i].staff_schedule[0].at, PRIO_STAFF,
                          EV_STAFF_CHANGE, (uint32_t)m->ndepartments + i);
  const struct model_arrival by_share = {.cls = -1};
  for (uint32_t d = 0; d < m->ndepartments && !o->error; d++)
    for (uint64_t k = 0; k < m->departments[d].backlog && !o->error; k++) {
      uint32_t id = new_customer(o, 0.0, draw_class(o, &by_share, false), d, false);
      if (id != NIL)
        visit(o, id, d, false);
    }
  for (uint32_t i = 0; i < m->narrivals; i++) {
    bool booked = m->arrivals[i].kind == MODEL_ARRIVAL_APPOINTMENTS;
    if (booked)
      office_book_appointments(o, i);
    double first = next_arrival(o, i, 0.0);
    if (first < m->horizon)
      sim_events_schedule_in(&o->events, LANE_ARRIVALS, first, PRIO_CUSTOMER,
                             booked ? EV_APPOINTMENT : EV_ARRIVAL, i);
    else
      stream_ended(o);
  }
  stream_ended(o);   /* the doors close even with no arrival stream */
}

/* ---- the event loop ------------------------------------------------------ */

/* One event; false when a new customer failed (o->error says why) and
 * the run stops. Inlined into each loop kind's loop (below): for any
 * model, for a plain one of one class with and without a trace, and for
 * a plain one of several classes, where a customer's arrival and service
 * end take the specialised bodies; rare events take the general code in
 * all. */
MODEL_ALWAYS_INLINE
static inline bool on_event(struct office *o, const struct sim_event *ev,
                            const enum loop_kind plain)
{
  /* The two events of nearly every customer are tested for first: a jump
   * table's indirect branch is then not in their way. */
  if (ev->type == EV_SERVICE_END) {
    on_service_end_as(o, ev->subject, plain);
    return true;
  }
  if (ev->type == EV_ARRIVAL) {
    on_arrival_as(o, ev->subject, plain);
    return !o->error;   /* only a new customer can fail */
  }
  uint32_t nd = (uint32_t)o->model->ndepartments;
  switch ((enum event_type)ev->type) {
  case EV_ARRIVAL:
  case EV_SERVICE_END:
    break;   /* above */
  case EV_PATIENCE_END:
    on_patience_end(o, ev->subject);
    break;
  case EV_STAFF_CHANGE:
    on_staff_change(o, ev->subject);
    break;
  case EV_RETRY:
    on_retry(o, ev->subject);
    break;
  case EV_TRANSFER_END:
    resume(o, ev->subject, C_IN_TRANSFER);
    break;
  case EV_WARMUP_END:
    model_metrics_warmup_end(&o->metrics, ev->time);
    break;
  case EV_INTERVAL_END:
    on_interval_end(o, ev->subject);
    break;
  case EV_DOORS_CLOSE:
    close_doors(o);
    break;
  case EV_SERVER_FREE:
    if (ev->subject < nd)
      free_server(o, ev->subject, false);
    else
      free_pool_member(o, ev->subject - nd);
    break;
  case EV_RETURN:
    resume(o, ev->subject, C_AWAY);
    break;
  case EV_APPOINTMENT:
    on_appointment(o, ev->subject);
    return !o->error;
  case EV_SLOT:
    resume(o, ev->subject, C_EARLY);
    break;
  }
  return true;
}

/* The event loop, until nothing is left to happen or a new customer
 * fails: one function per loop kind, each with the event list's next
 * (always inlined, sim/events.c) and the handlers inlined for its kind
 * alone, so that each is compiled, registers and all, for its own paths.
 * One loop dispatching on the kind per event took 1 to 3 instructions
 * more a customer in every kind. */
MODEL_ALWAYS_INLINE
static inline void loop_as(struct office *o, const enum loop_kind plain)
{
  struct sim_event ev;
  while (sim_events_next(&o->events, &ev)) {
    if (!on_event(o, &ev, plain))
      break;
    sim_assert_debug(office_consistent(o));
  }
}

#define LOOP_FUNCTION(name, kind) \
  MODEL_NOINLINE static void name(struct office *o) { loop_as(o, kind); }
LOOP_FUNCTION(loop_any, LOOP_ANY)
LOOP_FUNCTION(loop_plain, LOOP_PLAIN)
LOOP_FUNCTION(loop_plain_traced, LOOP_PLAIN_TRACED)
LOOP_FUNCTION(loop_plain_classes, LOOP_PLAIN_CLASSES)
#undef LOOP_FUNCTION

static void (*const loops[])(struct office *) = {
  [LOOP_ANY] = loop_any, [LOOP_PLAIN] = loop_plain,
  [LOOP_PLAIN_TRACED] = loop_plain_traced, [LOOP_PLAIN_CLASSES] = loop_plain_classes,
};

bool model_office_plain(const struct model *m)
{
  /* One visit per journey rules out handoffs and with them coordination;
   * wrap-up is the after-work left. */
  return model_metrics_one_visit_journeys(m) && m->npriorities <= 64 &&
         m->npools == 0 && !m->has_appointments && !m->departments[0].has_wrap_up;
}

/* The loop for a model (office_state.h): a plain model's own, or the one
 * for any model (in the tests, always that one). */
static enum loop_kind loop_for(const struct model *m, bool traced, bool allow_plain)
{
  if (!allow_plain || !model_office_plain(m))
    return LOOP_ANY;
  if (m->nclasses == 1 && m->npriorities == 1)
    return traced ? LOOP_PLAIN_TRACED : LOOP_PLAIN;
  return traced ? LOOP_ANY : LOOP_PLAIN_CLASSES;
}

int model_office_run(const struct model *m, uint64_t seed, uint32_t replication,
                     struct model_result *result)
{
  return model_office_run_traced(m, seed, replication, result,
                                 (struct model_journey_sink){NULL, NULL});
}

static int run(const struct model *m, uint64_t seed, uint32_t replication,
               struct model_result *result, struct model_journey_sink sink,
               bool allow_plain)
{
  if (m->nclasses > MAX_CLASSES) {
    result->error = "more than 65535 customer classes: a customer's record "
                    "holds at most that many";
    return 1;
  }
  struct office o;
  office_init(&o, m, seed, replication);
  o.metrics.sink = sink;
  enum loop_kind loop = loop_for(m, sink.fn != NULL, allow_plain);
  /* What the plain loops take for granted (office_state.h). */
  sim_assert_debug(!loop || (!o.slow_free && !o.customer_extras &&
                             !o.metrics.by_path && o.metrics.dept_waits_are_journeys));
  sim_assert_debug(!one_class(loop) || !o.metrics.per_class);
  if (sink.fn) {   /* only the trace shows a customer's number */
    o.serial_of = sim_xcalloc(o.ncustomers, sizeof *o.serial_of);
    o.customer_extras = true;
  }
  open_doors(&o);
  /* An error so far: the backlog did not fit (new_customer). */
  if (!o.error)
    loops[loop](&o);
  if (o.error) {
    result->error = o.error;
    office_fini(&o);
    return 1;
  }
  /* Nothing left to happen, yet customers may still wait: at a department
   * whose staff went to 0 for good. They are sent away unserved. */
  send_away_waiting(&o);
  double end = o.events.now > m->horizon ? o.events.now : m->horizon;
  model_metrics_end(&o.metrics);
  model_metrics_result(&o.metrics, end, result);
  result->events = o.events.popped;
  office_fini(&o);
  return 0;
}

int model_office_run_traced(const struct model *m, uint64_t seed,
                            uint32_t replication, struct model_result *result,
                            struct model_journey_sink sink)
{
  return run(m, seed, replication, result, sink, true);
}

int model_office_run_general(const struct model *m, uint64_t seed,
                             uint32_t replication, struct model_result *result,
                             struct model_journey_sink sink)
{
  return run(m, seed, replication, result, sink, false);
}
