/*
 * sim/events.h — the event list and the simulation clock.
 *
 * An event is a small typed record: a time, a priority, a type chosen by the
 * model and a subject (for example a customer's index). The list hands
 * events back in order of (time, priority, sequence number), as SimPy does:
 * at equal times an event of a lower priority number comes first, and
 * events of equal time and priority come out in the order they were
 * scheduled (first in, first out). A model uses the priority to put its
 * bookkeeping (the end of the warm-up, interval borders, the doors closing,
 * staff changes) at a documented place among customers' events at the same
 * moment; nothing is ordered by how floating-point times happen to tie.
 *
 * Every scheduled event gets a handle (sim_timer) that names it and no
 * other: a slot index and that slot's generation, which changes whenever
 * the slot's event fires or is cancelled (Redis never reuses a timer id for
 * the same reason). Cancelling an event that has already fired or been
 * cancelled is a bug in the model: an assertion failure in debug builds and
 * a no-op in release builds, never the cancel of someone else's event.
 * Cancelling is O(log n).
 *
 * Storage is an indexed binary heap per lane plus one slot table, all
 * grown by doubling. A model keeps events that are due far ahead out of
 * the list until they are near (models/office.c schedules the doors'
 * closing when the last arrival stream ends): every pending event deepens
 * the sifts of all the others. After the first few events the list
 * allocates nothing: a replication in steady state schedules and pops
 * events without touching malloc.
 *
 * Lanes. An event goes into one of SIM_EVENT_LANES heaps, chosen by the
 * model when it schedules it, and the next event is the earlier of the
 * lanes' first ones by the very same (time, priority, sequence) order: the
 * lanes change how much work the list does, never the order it hands
 * events out in. The point is a source of events that always has exactly
 * one pending, such as an arrival stream: in a lane of its own its next
 * event replaces the one just popped at no cost, instead of sinking
 * through a heap of service ends and patience timers, and those heaps'
 * delete-min (the one O(log n) step per event) is paid only by their own
 * events.
 *
 * The event list is an explicit handle: there is no global clock, and two
 * replications on two threads each own their own list.
 */
#ifndef LOKET_SIM_EVENTS_H
#define LOKET_SIM_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

/* Low 32 bits: slot; high 32 bits: the slot's generation when scheduled. */
typedef uint64_t sim_timer;
#define SIM_TIMER_NONE UINT64_MAX

/* Priorities 0 .. SIM_PRIORITY_MAX; lower comes first at equal times. */
#define SIM_PRIORITY_MAX 255u

struct sim_event {
  double time;
  uint32_t type;
  uint32_t subject;
};

/* The heap is ordered by (time, key); key = priority << 56 | sequence, so
 * one integer comparison breaks ties by priority, then by scheduling
 * order. 2^56 events per replication is beyond any run. */
struct sim_heap_entry {
  double time;
  uint64_t key;
  uint32_t slot;
};

struct sim_event_slot {
  uint32_t pos;       /* index in its lane's heap; next free slot while unused */
  uint32_t generation;  /* changes when the slot's event fires or is cancelled */
  uint32_t type;
  uint32_t subject;
};

/* Lane 0 is the default of sim_events_schedule. */
#define SIM_EVENT_LANES 2u

struct sim_event_lane {
  struct sim_heap_entry *heap;  /* heap[0] is the lane's next event */
  uint32_t size, capacity;
};

/* No lane's root is a consumed event. */
#define SIM_NO_LANE UINT32_MAX

struct sim_events {
  double now;                   /* time of the last event popped */
  uint64_t next_seq;
  uint64_t popped;              /* events handed out so far */
  struct sim_event_lane lane[SIM_EVENT_LANES];
  uint32_t consumed;            /* lane whose root was handed out, not yet
                                   removed, or SIM_NO_LANE */
  struct sim_event_slot *slots;
  uint32_t nslots;
  uint32_t free_slot;           /* head of the free-slot list */
};

/* Prepares an empty list with room for capacity_hint events; now = 0. */
void sim_events_init(struct sim_events *ev, uint32_t capacity_hint);
void sim_events_fini(struct sim_events *ev);

/* Schedules an event in lane 0; time must not lie before the current
 * time and priority must be at most SIM_PRIORITY_MAX. */
sim_timer sim_events_schedule(struct sim_events *ev, double time,
                              uint32_t priority, uint32_t type,
                              uint32_t subject);

/* The same in a given lane (below SIM_EVENT_LANES; see "Lanes" above). */
sim_timer sim_events_schedule_in(struct sim_events *ev, uint32_t lane,
                                 double time, uint32_t priority,
                                 uint32_t type, uint32_t subject);

/* Removes a scheduled event that has not yet fired (see the contract on
 * stale handles above). */
void sim_events_cancel(struct sim_events *ev, sim_timer timer);

/* True while the event of `timer` is scheduled and has not fired. */
bool sim_events_is_pending(const struct sim_events *ev, sim_timer timer);

/* Pops the next event into *out and advances the clock to its time.
 * Returns false when the list is empty. */
bool sim_events_next(struct sim_events *ev, struct sim_event *out);

static inline uint32_t sim_events_pending(const struct sim_events *ev)
{
  uint32_t n = 0;
  for (uint32_t l = 0; l < SIM_EVENT_LANES; l++)
    n += ev->lane[l].size;
  return n - (ev->consumed != SIM_NO_LANE);
}

#endif
