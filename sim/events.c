#include "sim/events.h"

#include <stdlib.h>
#include <string.h>

#include "sim/check.h"

/* End of the free-slot list. */
#define NO_SLOT UINT32_MAX

/* Scheduling is on nearly every event's path: it is inlined into its
 * callers where the optimiser sees both (the Release build links with
 * link-time optimisation) and is an ordinary call elsewhere. Inlined, a
 * schedule saves the call and the saving and restoring of registers
 * around it, about a fifth of its instructions. */
#define HOT __attribute__((always_inline)) inline

void sim_events_init(struct sim_events *ev, uint32_t capacity_hint)
{
  if (capacity_hint < 16)
    capacity_hint = 16;
  ev->now = 0.0;
  ev->next_seq = 0;
  ev->popped = 0;
  ev->consumed = SIM_NO_LANE;
  for (uint32_t l = 0; l < SIM_EVENT_LANES; l++) {
    /* Lanes past the first hold a few sources each: a small start. */
    uint32_t cap = l == 0 ? capacity_hint : 16;
    ev->lane[l] = (struct sim_event_lane){
        .heap = sim_xmalloc(sizeof *ev->lane[l].heap * cap), .capacity = cap};
  }
  ev->nslots = capacity_hint;
  ev->slots = sim_xmalloc(sizeof *ev->slots * capacity_hint);
  for (uint32_t i = 0; i < capacity_hint; i++)
    ev->slots[i] = (struct sim_event_slot){
        .pos = i + 1 < capacity_hint ? i + 1 : NO_SLOT};
  ev->free_slot = 0;
}

void sim_events_fini(struct sim_events *ev)
{
  for (uint32_t l = 0; l < SIM_EVENT_LANES; l++) {
    free(ev->lane[l].heap);
    ev->lane[l] = (struct sim_event_lane){0};
  }
  free(ev->slots);
  ev->slots = NULL;
  ev->nslots = 0;
}

static void grow_slots(struct sim_events *ev)
{
  uint32_t old = ev->nslots;
  sim_assert(old < UINT32_MAX / 2);
  uint32_t cap = old * 2;
  ev->slots = sim_xrealloc(ev->slots, cap, sizeof *ev->slots);
  for (uint32_t i = old; i < cap; i++)
    ev->slots[i] = (struct sim_event_slot){.pos = i + 1 < cap ? i + 1 : NO_SLOT};
  ev->free_slot = old;
  ev->nslots = cap;
}

static void grow_lane(struct sim_event_lane *ln)
{
  sim_assert(ln->capacity < UINT32_MAX / 2);
  ln->capacity *= 2;
  ln->heap = sim_xrealloc(ln->heap, ln->capacity, sizeof *ln->heap);
}

/* a comes before b: earlier time, or same time and a lower (priority,
 * sequence) key. */
static inline bool before(const struct sim_heap_entry *a,
                          const struct sim_heap_entry *b)
{
  return a->time < b->time || (a->time == b->time && a->key < b->key);
}

/* The same order, computed without a branch, for sift_down's choice
 * between two children: a coin toss, and a mispredicted branch per level
 * is what a heap of many events pays most for. Times are never negative
 * nor NaN, and the bits of such doubles, read as unsigned integers, order
 * as the numbers do once the sign bit is cleared (-0 is +0): (time, key)
 * then compares as one 128-bit unsigned number, a subtraction with
 * borrow. Elsewhere, where the outcome is predictable, the comparison of
 * doubles above takes fewer instructions. */
__extension__ typedef unsigned __int128 sim_u128;

static inline sim_u128 order_of(const struct sim_heap_entry *e)
{
  uint64_t bits;
  memcpy(&bits, &e->time, sizeof bits);
  return (sim_u128)(bits & ~(UINT64_C(1) << 63)) << 64 | e->key;
}

static inline uint32_t before_bit(const struct sim_heap_entry *a,
                                  const struct sim_heap_entry *b)
{
  return order_of(a) < order_of(b);
}

static inline void place(struct sim_events *ev, struct sim_heap_entry *heap,
                         uint32_t pos, struct sim_heap_entry e)
{
  heap[pos] = e;
  ev->slots[e.slot].pos = pos;
}

static inline __attribute__((always_inline)) void
sift_up(struct sim_events *ev, struct sim_heap_entry *heap, uint32_t pos,
        struct sim_heap_entry e)
{
  while (pos > 0) {
    uint32_t parent = (pos - 1) / 2;
    if (!before(&e, &heap[parent]))
      break;
    place(ev, heap, pos, heap[parent]);
    pos = parent;
  }
  place(ev, heap, pos, e);
}

static inline __attribute__((always_inline)) void
sift_down(struct sim_events *ev, struct sim_heap_entry *heap, uint32_t n,
          uint32_t pos, struct sim_heap_entry e)
{
  for (;;) {
    uint32_t child = 2 * pos + 1;
    if (child >= n)
      break;
    if (child + 1 < n)
      child += before_bit(&heap[child + 1], &heap[child]);
    if (!before(&heap[child], &e))
      break;
    place(ev, heap, pos, heap[child]);
    pos = child;
  }
  place(ev, heap, pos, e);
}

HOT sim_timer sim_events_schedule_in(struct sim_events *ev, uint32_t lane,
                                     double time, uint32_t priority,
                                     uint32_t type, uint32_t subject)
{
  sim_assert_debug(time >= ev->now && time >= 0);
  sim_assert_debug(priority <= SIM_PRIORITY_MAX);
  sim_assert_debug(lane < SIM_EVENT_LANES);
  if (ev->free_slot == NO_SLOT)
    grow_slots(ev);
  uint32_t slot = ev->free_slot;
  ev->free_slot = ev->slots[slot].pos;
  ev->slots[slot].type = type;
  ev->slots[slot].subject = subject;
  struct sim_heap_entry e = {time, (uint64_t)priority << 56 | ev->next_seq++, slot};
  struct sim_event_lane *ln = &ev->lane[lane];
  if (ev->consumed == lane) {
    /* The popped event still holds this lane's root: the new one takes its
     * place and sinks, one sift instead of a pop's and a push's. */
    ev->consumed = SIM_NO_LANE;
    sift_down(ev, ln->heap, ln->size, 0, e);
  } else {
    if (ln->size == ln->capacity)
      grow_lane(ln);
    sift_up(ev, ln->heap, ln->size++, e);
  }
  return (uint64_t)ev->slots[slot].generation << 32 | slot;
}

HOT sim_timer sim_events_schedule(struct sim_events *ev, double time,
                                  uint32_t priority, uint32_t type,
                                  uint32_t subject)
{
  return sim_events_schedule_in(ev, 0, time, priority, type, subject);
}

/* The slot's event has fired or was cancelled: a new generation makes
 * every handle to it stale. */
static void release(struct sim_events *ev, uint32_t slot)
{
  ev->slots[slot].pos = ev->free_slot;
  ev->slots[slot].generation++;
  ev->free_slot = slot;
}

bool sim_events_is_pending(const struct sim_events *ev, sim_timer timer)
{
  uint32_t slot = (uint32_t)timer;
  return timer != SIM_TIMER_NONE && slot < ev->nslots &&
         ev->slots[slot].generation == (uint32_t)(timer >> 32);
}

/* Removes the root left behind by the last sim_events_next, if it is
 * still there. */
static inline void drop_consumed_top(struct sim_events *ev)
{
  uint32_t l = ev->consumed;
  if (l == SIM_NO_LANE)
    return;
  ev->consumed = SIM_NO_LANE;
  struct sim_event_lane *ln = &ev->lane[l];
  if (--ln->size > 0)
    sift_down(ev, ln->heap, ln->size, 0, ln->heap[ln->size]);
}

/* The lane of a pending event, from its slot and place. A slot knows its
 * place, not its lane: the lane is the one whose heap holds the slot at
 * that place. A consumed root is not pending, though its released slot
 * may already be another event's. */
static inline uint32_t lane_of(const struct sim_events *ev, uint32_t slot,
                               uint32_t pos)
{
  uint32_t l = 0;
  for (; l + 1 < SIM_EVENT_LANES; l++) {
    const struct sim_event_lane *ln = &ev->lane[l];
    if (pos < ln->size && ln->heap[pos].slot == slot &&
        (pos > 0 || ev->consumed != l))
      break;
  }
  sim_assert_debug(pos < ev->lane[l].size && ev->lane[l].heap[pos].slot == slot);
  return l;
}

/* A cancel leaves a consumed root alone, so that the event that usually
 * follows (the served customer's patience timer is cancelled, then the
 * next service end is scheduled) still replaces the root in one sift.
 * The lane stays a heap: the consumed root came before every entry of its
 * lane when it was popped, and none can join the lane under it (a
 * schedule into that lane replaces it), so nothing rises past it. */
void sim_events_cancel(struct sim_events *ev, sim_timer timer)
{
  /* A stale handle is the model's bug; in release builds it must not
   * touch the event that now lives in the slot. */
  bool pending = sim_events_is_pending(ev, timer);
  sim_assert_debug(pending);
  if (!pending)
    return;
  uint32_t slot = (uint32_t)timer;
  uint32_t pos = ev->slots[slot].pos;
  uint32_t l = lane_of(ev, slot, pos);
  struct sim_event_lane *ln = &ev->lane[l];
  sim_assert_debug(pos > 0 || ev->consumed != l);
  struct sim_heap_entry last = ln->heap[--ln->size];
  release(ev, slot);
  if (pos == ln->size)
    return;
  /* The last entry takes the hole; it may have to move either way. */
  if (pos > 0 && before(&last, &ln->heap[(pos - 1) / 2]))
    sift_up(ev, ln->heap, pos, last);
  else
    sift_down(ev, ln->heap, ln->size, pos, last);
}

/* The popped event's entry stays at its lane's root, marked consumed,
 * until the next call to the event list: most events schedule one new
 * event in the same lane, which then simply replaces it (see
 * sim_events_schedule_in). Always inlined, like scheduling: the office
 * has one event loop per kind of model (models/office.c), and with four
 * call sites GCC would make it a call, about 7 % more instructions. */
HOT bool sim_events_next(struct sim_events *ev, struct sim_event *out)
{
  drop_consumed_top(ev);
  uint32_t l = SIM_NO_LANE;
  for (uint32_t k = 0; k < SIM_EVENT_LANES; k++)
    if (ev->lane[k].size > 0 &&
        (l == SIM_NO_LANE || before(&ev->lane[k].heap[0], &ev->lane[l].heap[0])))
      l = k;
  if (l == SIM_NO_LANE)
    return false;
  struct sim_heap_entry top = ev->lane[l].heap[0];
  struct sim_event_slot *s = &ev->slots[top.slot];
  out->time = top.time;
  out->type = s->type;
  out->subject = s->subject;
  release(ev, top.slot);
  ev->now = top.time;
  ev->popped++;
  ev->consumed = l;
  return true;
}
