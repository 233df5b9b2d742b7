/*
 * models/office_queues.h — a department's waiting line: one FIFO per
 * priority level, linked through the customers, with a bitmap of the
 * levels that hold someone, so joining, leaving (abandoning) and finding
 * the next customer are O(1). Inline: the event loop calls them for every
 * customer. Internal to the office (models/office.c). `plain`: the
 * caller's constant loop kind (office_state.h): plain folds away the
 * pools, one class the levels; a rare path passes false.
 */
#ifndef LOKET_MODELS_OFFICE_QUEUES_H
#define LOKET_MODELS_OFFICE_QUEUES_H

#include "models/office_state.h"
#include "sim/check.h"

/* The word of department dp's bitmap that holds `level` (a plain model's
 * levels fit levels1, one load nearer than through levels_waiting). */
static inline uint64_t *level_word(struct department *dp, uint32_t level, const bool plain)
{
  return plain ? &dp->levels1 : &dp->levels_waiting[level / 64];
}

MODEL_ALWAYS_INLINE
static inline void enqueue(struct office *o, uint32_t id, uint32_t d,
                           const enum loop_kind plain)
{
  struct department *dp = &o->dept[d];
  struct customer *c = &o->customers[id];
  uint32_t level = one_class(plain) ? 0 : level_of(o, c);
  struct queue *q = one_class(plain) ? &dp->queue1 : &dp->queues[level];
  sim_assert_debug(c->state == C_ARRIVING);
  c->state = C_WAITING;
  c->prev = q->tail;
  c->next = NIL;
  if (q->tail != NIL) {
    o->customers[q->tail].next = id;
  } else {
    q->head = id;
    *level_word(dp, level, plain) |= UINT64_C(1) << (level % 64);
    if (!plain && o->link_waiting && dp->waiting == 0)
      office_pool_links_waiting(o, d, true);
  }
  q->tail = id;
  dp->waiting++;
  model_metrics_queue_length(&o->metrics, d, o->events.now, dp->waiting);
}

MODEL_ALWAYS_INLINE
static inline void unlink_waiting(struct office *o, uint32_t id,
                                  const enum loop_kind plain)
{
  struct customer *c = &o->customers[id];
  struct department *dp = &o->dept[c->dept];
  uint32_t level = one_class(plain) ? 0 : level_of(o, c);
  struct queue *q = one_class(plain) ? &dp->queue1 : &dp->queues[level];
  sim_assert_debug(c->state == C_WAITING);
  c->state = C_ARRIVING;   /* out of the queue: served or lost next */
  if (c->prev != NIL)
    o->customers[c->prev].next = c->next;
  else
    q->head = c->next;
  if (c->next != NIL)
    o->customers[c->next].prev = c->prev;
  else
    q->tail = c->prev;
  if (q->head == NIL) {
    *level_word(dp, level, plain) &= ~(UINT64_C(1) << (level % 64));
    if (!plain && o->link_waiting && dp->waiting == 1)
      office_pool_links_waiting(o, c->dept, false);
  }
  c->prev = c->next = NIL;
  dp->waiting--;
  model_metrics_queue_length(&o->metrics, c->dept, o->events.now, dp->waiting);
  if (c->patience_timer != SIM_TIMER_NONE) {
    sim_events_cancel(&o->events, c->patience_timer);
    c->patience_timer = SIM_TIMER_NONE;
  }
}

/* The customer to serve next: the head of the highest-priority queue that
 * is not empty, found from the bitmap of such levels (one word up to 64
 * levels) rather than by looking at every queue; of a plain model's one
 * queue, its head (NIL when empty). The plain loops call it only when
 * someone waits. */
MODEL_ALWAYS_INLINE
static inline uint32_t next_waiting(const struct office *o, uint32_t d,
                                    const enum loop_kind plain)
{
  const struct department *dp = &o->dept[d];
  if (one_class(plain))
    return dp->queue1.head;
  if (plain) {   /* at most 64 levels: levels1; called with someone waiting */
    sim_assert_debug(dp->levels1 != 0);
    return dp->queues[__builtin_ctzll(dp->levels1)].head;
  }
  uint32_t words = (o->model->npriorities + 63) / 64;
  for (uint32_t w = 0; w < words; w++)
    if (dp->levels_waiting[w])
      return dp->queues[w * 64 + (uint32_t)__builtin_ctzll(dp->levels_waiting[w])].head;
  return NIL;
}

#endif
