/*
 * sim/events.h — the event list and the simulation clock.
 *
 * An event is a small typed record: a time, a type chosen by the model and a
 * subject (for example a customer's index). The list hands events back in
 * order of (time, sequence number); the sequence number is assigned when an
 * event is scheduled, so events at equal times come out in the order they
 * were scheduled (first in, first out). This makes runs reproducible without
 * relying on how floating-point times happen to tie.
 *
 * Every scheduled event gets a handle (sim_timer) that stays valid until the
 * event is popped or cancelled; cancelling is O(log n). Handles are recycled,
 * so a model must forget a handle once its event has fired or been
 * cancelled (set it to SIM_TIMER_NONE).
 *
 * Storage is an indexed binary heap plus a slot table, both grown by
 * doubling. After the first few events the list allocates nothing: a
 * replication in steady state schedules and pops events without touching
 * malloc.
 *
 * The event list is an explicit handle: there is no global clock, and two
 * replications on two threads each own their own list.
 */
#ifndef LOKET_SIM_EVENTS_H
#define LOKET_SIM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t sim_timer;
#define SIM_TIMER_NONE UINT32_MAX

struct sim_event {
  double time;
  uint32_t type;
  uint32_t subject;
};

struct sim_heap_entry {
  double time;
  uint64_t seq;
  uint32_t slot;
};

struct sim_event_slot {
  uint32_t pos;       /* index in the heap; next free slot while unused */
  uint32_t type;
  uint32_t subject;
};

struct sim_events {
  double now;                   /* time of the last event popped */
  uint64_t next_seq;
  uint64_t popped;              /* events handed out so far */
  struct sim_heap_entry *heap;  /* heap[0] is the next event */
  uint32_t size, capacity;
  bool top_consumed;            /* heap[0] was handed out, not yet removed */
  struct sim_event_slot *slots;
  uint32_t free_slot;           /* head of the free-slot list */
};

/* Prepares an empty list with room for capacity_hint events; now = 0. */
void sim_events_init(struct sim_events *ev, uint32_t capacity_hint);
void sim_events_fini(struct sim_events *ev);

/* Schedules an event; time must not lie before the current time. */
sim_timer sim_events_schedule(struct sim_events *ev, double time,
                              uint32_t type, uint32_t subject);

/* Removes a scheduled event that has not yet fired. */
void sim_events_cancel(struct sim_events *ev, sim_timer timer);

/* Pops the next event into *out and advances the clock to its time.
 * Returns false when the list is empty. */
bool sim_events_next(struct sim_events *ev, struct sim_event *out);

static inline uint32_t sim_events_pending(const struct sim_events *ev)
{
  return ev->size - ev->top_consumed;
}

#endif
