#include "sim/events.h"

#include <stdlib.h>

#include "sim/check.h"

/* End of the free-slot list. */
#define NO_SLOT UINT32_MAX

void sim_events_init(struct sim_events *ev, uint32_t capacity_hint)
{
  if (capacity_hint < 16)
    capacity_hint = 16;
  ev->now = 0.0;
  ev->next_seq = 0;
  ev->popped = 0;
  ev->size = 0;
  ev->top_consumed = false;
  ev->capacity = capacity_hint;
  ev->heap = sim_xmalloc(sizeof *ev->heap * capacity_hint);
  ev->slots = sim_xmalloc(sizeof *ev->slots * capacity_hint);
  for (uint32_t i = 0; i < capacity_hint; i++)
    ev->slots[i] = (struct sim_event_slot){
        .pos = i + 1 < capacity_hint ? i + 1 : NO_SLOT};
  ev->free_slot = 0;
}

void sim_events_fini(struct sim_events *ev)
{
  free(ev->heap);
  free(ev->slots);
  ev->heap = NULL;
  ev->slots = NULL;
  ev->size = ev->capacity = 0;
}

static void grow(struct sim_events *ev)
{
  uint32_t old = ev->capacity;
  sim_assert(old < UINT32_MAX / 2);
  uint32_t cap = old * 2;
  ev->heap = sim_xrealloc(ev->heap, cap, sizeof *ev->heap);
  ev->slots = sim_xrealloc(ev->slots, cap, sizeof *ev->slots);
  for (uint32_t i = old; i < cap; i++)
    ev->slots[i] = (struct sim_event_slot){.pos = i + 1 < cap ? i + 1 : NO_SLOT};
  ev->free_slot = old;
  ev->capacity = cap;
}

/* a comes before b: earlier time, or same time and a lower (priority,
 * sequence) key. */
static inline bool before(const struct sim_heap_entry *a,
                          const struct sim_heap_entry *b)
{
  return a->time < b->time || (a->time == b->time && a->key < b->key);
}

static inline void place(struct sim_events *ev, uint32_t pos,
                         struct sim_heap_entry e)
{
  ev->heap[pos] = e;
  ev->slots[e.slot].pos = pos;
}

static inline __attribute__((always_inline)) void sift_up(struct sim_events *ev, uint32_t pos, struct sim_heap_entry e)
{
  while (pos > 0) {
    uint32_t parent = (pos - 1) / 2;
    if (!before(&e, &ev->heap[parent]))
      break;
    place(ev, pos, ev->heap[parent]);
    pos = parent;
  }
  place(ev, pos, e);
}

static inline __attribute__((always_inline)) void sift_down(struct sim_events *ev, uint32_t pos, struct sim_heap_entry e)
{
  uint32_t n = ev->size;
  for (;;) {
    uint32_t child = 2 * pos + 1;
    if (child >= n)
      break;
    if (child + 1 < n && before(&ev->heap[child + 1], &ev->heap[child]))
      child++;
    if (!before(&ev->heap[child], &e))
      break;
    place(ev, pos, ev->heap[child]);
    pos = child;
  }
  place(ev, pos, e);
}

sim_timer sim_events_schedule(struct sim_events *ev, double time,
                              uint32_t priority, uint32_t type,
                              uint32_t subject)
{
  sim_assert_debug(time >= ev->now);
  sim_assert_debug(priority <= SIM_PRIORITY_MAX);
  if (ev->free_slot == NO_SLOT)
    grow(ev);
  uint32_t slot = ev->free_slot;
  ev->free_slot = ev->slots[slot].pos;
  ev->slots[slot].type = type;
  ev->slots[slot].subject = subject;
  struct sim_heap_entry e = {time, (uint64_t)priority << 56 | ev->next_seq++, slot};
  if (ev->top_consumed) {
    /* The popped event still holds the root: the new one takes its place
     * and sinks, one sift instead of a pop's and a push's. */
    ev->top_consumed = false;
    sift_down(ev, 0, e);
  } else {
    sift_up(ev, ev->size++, e);
  }
  return (uint64_t)ev->slots[slot].generation << 32 | slot;
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
  return timer != SIM_TIMER_NONE && slot < ev->capacity &&
         ev->slots[slot].generation == (uint32_t)(timer >> 32);
}

/* Removes the root left behind by the last sim_events_next, if it is
 * still there. */
static inline void drop_consumed_top(struct sim_events *ev)
{
  if (!ev->top_consumed)
    return;
  ev->top_consumed = false;
  if (--ev->size > 0)
    sift_down(ev, 0, ev->heap[ev->size]);
}

void sim_events_cancel(struct sim_events *ev, sim_timer timer)
{
  /* A stale handle is the model's bug; in release builds it must not
   * touch the event that now lives in the slot. */
  bool pending = sim_events_is_pending(ev, timer);
  sim_assert_debug(pending);
  if (!pending)
    return;
  drop_consumed_top(ev);
  uint32_t slot = (uint32_t)timer;
  uint32_t pos = ev->slots[slot].pos;
  sim_assert_debug(pos < ev->size && ev->heap[pos].slot == slot);
  struct sim_heap_entry last = ev->heap[--ev->size];
  release(ev, slot);
  if (pos == ev->size)
    return;
  /* The last entry takes the hole; it may have to move either way. */
  if (pos > 0 && before(&last, &ev->heap[(pos - 1) / 2]))
    sift_up(ev, pos, last);
  else
    sift_down(ev, pos, last);
}

/* The popped event's entry stays at the root, marked consumed, until the
 * next call to the event list: most events schedule one new event, which
 * then simply replaces it (see sim_events_schedule). */
bool sim_events_next(struct sim_events *ev, struct sim_event *out)
{
  drop_consumed_top(ev);
  if (ev->size == 0)
    return false;
  struct sim_heap_entry top = ev->heap[0];
  struct sim_event_slot *s = &ev->slots[top.slot];
  out->time = top.time;
  out->type = s->type;
  out->subject = s->subject;
  release(ev, top.slot);
  ev->now = top.time;
  ev->popped++;
  ev->top_consumed = true;
  return true;
}
