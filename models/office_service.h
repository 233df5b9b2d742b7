/*
 * models/office_service.h — a service starts and ends: by one of the
 * department's own staff or by a member of a pool (at the pool's pace),
 * and a server who becomes free takes the next customer it may serve.
 * Called for every customer; defined here for models/office.c alone to
 * inline (no other file includes it). The own staff's path is a
 * specialisation of the one body, so it pays nothing for pools; `plain`
 * is the caller's constant promise that the model is plain
 * (office_state.h), so that what such a model never has folds away.
 */
#ifndef LOKET_MODELS_OFFICE_SERVICE_H
#define LOKET_MODELS_OFFICE_SERVICE_H

#include <math.h>

#include "models/office_customers.h"
#include "models/office_pools.h"
#include "models/office_queues.h"
#include "models/office_state.h"
#include "sim/check.h"
#include "sim/events.h"
#include "sim/rng.h"

/* Service of customer id starts at d, by one of d's own staff (link NIL)
 * or by a member of the pool of `link`, at that pool's pace, once the
 * caller has counted the server as busy. Inlined into its versions below,
 * so that the own staff's pays nothing for pools. */
MODEL_ALWAYS_INLINE
static inline void begin_service(struct office *o, uint32_t id, uint32_t d,
                                 uint32_t link, const enum loop_kind plain)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  sim_assert_debug(c->state == C_ARRIVING);
  c->state = C_IN_SERVICE;
  c->server = link;
  double now = o->events.now;
  double wait = now - c->queued_at;
  c->wait += wait;
  if (link != NIL)
    model_metrics_pool_served(&o->metrics, link, counted(o, c));
  model_metrics_service_start(&o->metrics, d, c->interval, wait, counted(o, c),
                              plain);
  if (!plain && o->slot_of && !isnan(o->slot_of[id])) {
    /* A booked customer's first service: its wait from the later of its
     * slot and its arrival. */
    double from = o->slot_of[id] > c->arrived ? o->slot_of[id] : c->arrived;
    model_metrics_slot_wait(&o->metrics, c->cls, now - from, counted(o, c));
    o->slot_of[id] = NAN;
  }
  const struct model_department *def = dp->def;
  double duration;
  if (!plain && dp->has_handoff && sim_rng_uniform(&dp->handoff_rng.gsl) < def->handoff.p) {
    /* Not my department: this visit ends after part of a service. */
    duration = model_dist_sample(&def->handoff.after, &dp->handoff_rng.gsl);
    c->detail = 1;
  } else {
    c->detail = 0;
    const struct model_visit *v = one_class(plain) ? dp->visit : &dp->visit[c->cls];
    duration = model_dist_sample(v->service, &dp->service_rng.gsl);
  }
  if (link != NIL)
    duration /= o->pools[o->link_pool[link]].def->speed;
  sim_events_schedule(&o->events, now + duration, PRIO_CUSTOMER, EV_SERVICE_END, id);
}

/* One of d's own staff takes customer id. Only a server on duty starts
 * a service: busy exceeds staff only after a cut, while those cut finish
 * their customers. */
MODEL_ALWAYS_INLINE
static inline void start_service(struct office *o, uint32_t id, uint32_t d,
                                 const enum loop_kind plain)
{
  struct department *dp = &o->dept[d];
  sim_assert_debug(dp->busy < dp->staff);
  dp->busy++;
  model_metrics_busy(&o->metrics, d, o->events.now, dp->busy);
  begin_service(o, id, d, NIL, plain);
}

MODEL_NOINLINE static void start_pool_service(struct office *o, uint32_t id,
                                              uint32_t d, uint32_t link)
{
  sim_assert_debug(o->pools[o->link_pool[link]].busy <
                   o->pools[o->link_pool[link]].staff);
  pool_busy(o, link, +1);
  begin_service(o, id, d, link, false);
}

static void serve_waiting(struct office *o, uint32_t d)
{
  struct department *dp = &o->dept[d];
  while (dp->busy < dp->staff && dp->waiting > 0) {
    uint32_t id = next_waiting(o, d, false);
    unlink_waiting(o, id, false);
    start_service(o, id, d, false);
  }
}

/* Free members of pool i take waiting customers of the departments it
 * serves. */
MODEL_NOINLINE static void pool_serve_waiting(struct office *o, uint32_t i)
{
  struct pool *p = &o->pools[i];
  while (p->busy < p->staff) {
    uint32_t link = NIL, id = pool_take_waiting(o, i, &link);
    if (id == NIL)
      break;
    start_pool_service(o, id, o->customers[id].dept, link);
  }
}

/* A server of d is free: it serves the next customer waiting, if any. */
MODEL_ALWAYS_INLINE
static inline void free_server(struct office *o, uint32_t d,
                               const enum loop_kind plain)
{
  struct department *dp = &o->dept[d];
  if (dp->waiting > 0 && dp->busy <= dp->staff) {
    /* The server stays on duty and takes the next customer in line at
     * once: the number busy does not change. Its time-average still
     * closes its piece up to now, so that the sum of pieces, and with it
     * every figure, is the same to the bit as with a step down and up. */
    model_metrics_busy(&o->metrics, d, o->events.now, dp->busy);
    uint32_t id = next_waiting(o, d, plain);
    unlink_waiting(o, id, plain);
    begin_service(o, id, d, NIL, plain);
    /* Never, unless staff came on duty with nobody to take (tested
     * first: whether anyone still waits is a coin toss). */
    if (dp->busy < dp->staff && dp->waiting > 0)
      serve_waiting(o, d);
    return;
  }
  dp->busy--;
  model_metrics_busy(&o->metrics, d, o->events.now, dp->busy);
  /* The test before the call: after most services in a department with
   * several servers nobody is waiting, and the call would cost more than
   * the test. */
  if (dp->waiting > 0)
    serve_waiting(o, d);
}

/* A member of the pool of `link` is free: it takes the next customer of
 * the departments the pool serves, if any. */
MODEL_NOINLINE static void free_pool_member(struct office *o, uint32_t link)
{
  pool_busy(o, link, -1);
  pool_serve_waiting(o, o->link_pool[link]);
}

#endif
