/*
 * models/office_customers.h — customers' records: a new journey from the
 * pool (which grows by doubling, up to the bound on customers in the
 * system), the end of a journey reported to the metrics, and the rule that
 * applies to a customer at its department. Called for every customer, so
 * defined here for models/office.c alone to inline; no other file includes
 * it. `plain` is the caller's constant promise that the model is plain
 * (office_state.h): no extras kept, one department, no trace.
 */
#ifndef LOKET_MODELS_OFFICE_CUSTOMERS_H
#define LOKET_MODELS_OFFICE_CUSTOMERS_H

#include <math.h>

#include "models/office_state.h"
#include "sim/check.h"

/* What rework, appointments and the trace keep beside a new customer's
 * record. */
MODEL_NOINLINE static void start_extras(struct office *o, uint32_t id, uint32_t first)
{
  if (o->journeys)
    o->journeys[id] = (struct journey_extra){first, 0, 0};
  if (o->slot_of)
    o->slot_of[id] = NAN;
  if (o->passed_on_of)
    o->passed_on_of[id] = 0;
  if (o->serial_of)
    o->serial_of[id] = o->customers_created;
}

/* A new journey that starts at department `first`, or NIL (with
 * o->error set) when the system is full. Always inlined: once per
 * customer, and GCC's size heuristics would otherwise make it a call. */
MODEL_ALWAYS_INLINE
static inline uint32_t new_customer(struct office *o, double now, uint32_t cls,
                                    uint32_t first, const enum loop_kind plain)
{
  if (o->free_customer == NIL) {
    /* Every record is in use: the system holds ncustomers customers. */
    if (o->ncustomers >= o->max_customers) {
      o->error = "too many customers in the system at once: the queue grows "
                 "without bound (more arrivals than the staff can serve); "
                 "add staff, patience or a capacity";
      return NIL;
    }
    office_grow_pool(o);
  }
  uint32_t id = o->free_customer;
  struct customer *c = &o->customers[id];
  o->free_customer = c->next;
  /* Field by field rather than a compound literal: GCC zeroes a literal
   * of this size through a branchy block copy, which cost a mispredicted
   * branch per customer. Every field is set here or by visit(). */
  c->arrived = c->queued_at = now;
  c->wait = 0.0;
  c->prev = c->next = NIL;
  c->patience_timer = SIM_TIMER_NONE;
  c->dept = NIL;
  c->cls = (uint16_t)cls;
  c->handoffs = c->retrials = 0;
  c->interval = c->first_interval = o->metrics.interval;
  c->trail = 0;
  ++o->customers_created;
  c->detail = 0;
  c->state = C_ARRIVING;
  if (!plain && o->customer_extras)
    start_extras(o, id, first);
  else if (plain == LOOP_PLAIN_TRACED)   /* serial_of, the one extra kept */
    o->serial_of[id] = o->customers_created;
  model_metrics_journey_start(&o->metrics, cls, counted(o, c), classes_of(plain));
  return id;
}

/* The journey ends: `returned` repeat contacts were made today and
 * `repeats` in all (rework; recorded when with_repeats). Every visit
 * after the first follows a handoff, a route or a return. Always inlined
 * into its two callers below, so that without rework the repeats are
 * constants and cost nothing. */
MODEL_ALWAYS_INLINE
static inline void finish_journey(struct office *o, uint32_t id,
                                  enum model_outcome outcome, bool with_repeats,
                                  uint32_t returned, uint32_t repeats,
                                  const enum loop_kind plain)
{
  struct customer *c = &o->customers[id];
  sim_assert_debug(c->state != C_DONE && c->state != C_WAITING);
  c->state = C_DONE;
  /* A plain journey is one visit, neither handed off nor retried. */
  struct model_journey j = {
    .outcome = outcome, .cls = one_class(plain) ? 0 : c->cls, .wait = c->wait,
    .sojourn = o->events.now - c->arrived,
    .visits = plain ? 1 : c->handoffs + 1 + returned,
    .handoffs = plain ? 0 : c->handoffs, .retrials = plain ? 0 : c->retrials,
    .passed_on = !plain && o->passed_on_of ? o->passed_on_of[id] : 0,
    /* Read only with more than one department or with rework
     * (model_metrics_journey_end, model_metrics_repeats_journey). */
    .visited = with_repeats || (!plain && o->model->ndepartments > 1)
                   ? model_trail_visited(c->trail, o->metrics.trail_coded) : 0,
    .path = plain ? 0 : model_trail_path(c->trail, o->metrics.trail_coded),
    .arrived = c->arrived, .interval = c->first_interval,
    .customer = may_trace(plain) && o->serial_of ? o->serial_of[id] : 0,
    .repeats = repeats,
  };
  bool counts = counted(o, c);
  double score = model_metrics_journey_end(&o->metrics, &j, counts, plain,
                                           classes_of(plain));
  /* The trace (never in the untraced plain loops), with a copy of j for
   * the reason in model_metrics_journey_end. */
  if (counts && may_trace(plain) && o->metrics.sink.fn) {
    struct model_journey copy = j;
    o->metrics.sink.fn(o->metrics.sink.ctx, &copy, score);
  }
  if (with_repeats && counts)
    model_metrics_repeats_journey(&o->metrics, &j);
  c->next = o->free_customer;
  o->free_customer = id;
}

MODEL_NOINLINE static void end_journey_with_repeats(struct office *o, uint32_t id,
                                                    enum model_outcome outcome)
{
  const struct journey_extra *x = &o->journeys[id];
  finish_journey(o, id, outcome, true, x->returned, x->returned + x->tomorrow, false);
}

static void end_journey(struct office *o, uint32_t id, enum model_outcome outcome)
{
  if (o->journeys)
    end_journey_with_repeats(o, id, outcome);
  else
    finish_journey(o, id, outcome, false, 0, 0, LOOP_ANY);
}

/* The same for a journey that ends served after its last service: nearly
 * every journey, so inlined at that one place, where the outcome is a
 * constant that folds away the outcome's switch. */
MODEL_ALWAYS_INLINE
static inline void end_journey_served(struct office *o, uint32_t id,
                                      const enum loop_kind plain)
{
  if (!plain && o->journeys)
    end_journey_with_repeats(o, id, MODEL_SERVED);
  else
    finish_journey(o, id, MODEL_SERVED, false, 0, 0, plain);
}

static inline const struct model_visit *rule(const struct office *o, uint32_t id)
{
  const struct customer *c = &o->customers[id];
  return &o->dept[c->dept].visit[c->cls];
}

#endif
