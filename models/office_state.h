/*
 * models/office_state.h — the state of one replication of the office, shared
 * by its parts (not a public interface): the event handlers and the loop
 * (office.c), allocation and set-up (office_setup.c), and the arrival
 * processes worked out ahead (office_arrivals.c). The event types, their
 * priorities at equal times and the customer's lifecycle are defined here.
 */
#ifndef LOKET_MODELS_OFFICE_STATE_H
#define LOKET_MODELS_OFFICE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/office.h"
#include "sim/events.h"
#include "sim/rng.h"

/* For paths only some scenarios take (rework, appointments), kept out of
 * the event loop's code so that the others pay nothing for them. */
#if defined(__GNUC__)
#define MODEL_NOINLINE __attribute__((noinline))
#else
#define MODEL_NOINLINE
#endif

/* A plain model (model_office_plain, models/office.h) has no pools,
 * after-work, extras beside the records (journeys, passed_on_of, slot_of;
 * serial_of only when traced), handoffs or routes, and at most 64
 * priority levels. The hot helpers take a constant `plain`: nonzero only
 * from the plain model's copies of the event dispatch (models/office.c,
 * on_event), where it folds those tests away; every other caller passes
 * LOOP_ANY (or false). The helpers on the way from an arrival to a
 * service and a journey's end take it as a loop_kind, the others as a
 * bool (every plain kind is true): a plain model of one class has copies
 * of its own, with a trace and without, that test for neither classes nor
 * priority levels (one_class), and the untraced one not for the trace; a
 * plain model of several classes has one without a trace. */
enum loop_kind {
  LOOP_ANY = 0,            /* any model: every feature tested for at run time */
  LOOP_PLAIN = 1,          /* a plain model of one class, without a trace */
  LOOP_PLAIN_TRACED = 2,   /* the same, whose journeys go to a trace */
  LOOP_PLAIN_CLASSES = 3,  /* a plain model of several classes or priority
                              levels, without a trace */
};

/* The loop kind promises one class and one priority level. */
static inline bool one_class(enum loop_kind plain)
{
  return plain == LOOP_PLAIN || plain == LOOP_PLAIN_TRACED;
}

/* What the loop kind knows of the classes, for the metrics. */
static inline enum model_classes classes_of(enum loop_kind plain)
{
  return one_class(plain)              ? MODEL_CLASSES_ONE
         : plain == LOOP_PLAIN_CLASSES ? MODEL_CLASSES_SEVERAL
                                       : MODEL_CLASSES_ANY;
}

/* The loop kind may hand journeys to a trace (for any model, whether it
 * does is tested at run time). */
static inline bool may_trace(enum loop_kind plain)
{
  return plain == LOOP_ANY || plain == LOOP_PLAIN_TRACED;
}

enum event_type {
  EV_ARRIVAL,        /* subject: arrival stream */
  EV_SERVICE_END,    /* subject: customer */
  EV_PATIENCE_END,   /* subject: customer */
  EV_STAFF_CHANGE,   /* subject: department, or ndepartments + pool */
  EV_RETRY,          /* subject: customer, back after being lost */
  EV_TRANSFER_END,   /* subject: customer, arrives after a handoff's delay */
  EV_WARMUP_END,     /* the warm-up is over: counting starts */
  EV_INTERVAL_END,   /* subject: the interval of the time series that ends */
  EV_DOORS_CLOSE,    /* the horizon: arrivals have stopped, the doors close */
  EV_SERVER_FREE,    /* subject: department, or ndepartments + pool link:
                        after-work done, a server is free */
  EV_RETURN,         /* subject: customer, back because it was not settled */
  EV_APPOINTMENT,    /* subject: arrival stream of appointments */
  EV_SLOT,           /* subject: customer, early, whose slot has come */
};

/* The order of events at equal times (docs/outputs.md, "Order of events"):
 * the day's bookkeeping first — the end of the warm-up, then an interval's
 * end, then the doors closing — then staff changes, then customers' own
 * events in the order they were scheduled. So an interval's figures never
 * include what happens at the instant it ends, a customer arriving at the
 * end of the warm-up is counted, a staff increase serves a customer who
 * arrives at the same instant, and `closing: cut` sends away whoever is
 * still waiting at the horizon. */
enum event_priority {
  PRIO_WARMUP, PRIO_INTERVAL, PRIO_CLOSING, PRIO_STAFF, PRIO_CUSTOMER
};

/* The event list's lanes (sim/events.h): each arrival stream has exactly
 * one next arrival pending, kept apart from the customers' and staff's
 * events so that it never sinks through their heap. The order of events
 * is the same whatever the lane. */
enum event_lane { LANE_OFFICE, LANE_ARRIVALS };
_Static_assert(LANE_ARRIVALS < SIM_EVENT_LANES, "the event list has a lane for arrivals");

/* The day: open until the horizon, then closed. Closed-draining serves
 * whoever is inside; closed-cut sends the waiting away and lets nobody
 * start a new visit. */
enum day { DAY_OPEN, DAY_DRAINING, DAY_CUT };

/* Where a customer is in its journey; `dept` means, by state:
 *   ARRIVING     the department it is arriving at (set by visit)
 *   WAITING      the department whose queue it is in
 *   IN_SERVICE   the department serving it
 *   IN_TRANSFER  the department it was handed off to, arriving after a delay
 *   RETRYING     the department it will try again
 *   AWAY         the department it will come back to (rework)
 *   EARLY        the department of its appointment, waiting for the slot
 *   DONE         nothing: the record is back in the pool
 * Every transition is checked (sim_assert_debug) where it happens. */
enum customer_state {
  C_ARRIVING, C_WAITING, C_IN_SERVICE, C_IN_TRANSFER, C_RETRYING, C_AWAY,
  C_EARLY, C_DONE
};

/* Customers in the system at once, at most (the customer pool's size; it
 * doubles, so the bound is checked only when it must grow): an unstable
 * queue (more arrivals than the staff can serve, nobody abandoning) would
 * otherwise take all memory without a word. 2^24 records of 72 bytes are
 * 1.2 GB per replication running. */
#define MAX_CUSTOMERS_DEFAULT (UINT32_C(1) << 24)

#define NIL UINT32_MAX

/* A customer's record: 72 bytes on 64-bit machines (docs/reliability.md).
 * What can be derived is not stored, and what only some models or the
 * trace need is kept beside it (struct office: journeys, passed_on_of,
 * serial_of, slot_of): the priority level comes from the
 * class (model->priority_level); whether the journey counts from its
 * arrival time (counted: arrived at or after the warm-up's end); and the
 * number of visits is always handoffs + 1 (+ the returns, with rework:
 * struct journey_extra) when a journey ends (every visit
 * after the first follows a handoff or a route, which both count as
 * handoffs; a retry is not a new visit; a transfer always ends in a
 * visit). `detail` serves two states that never overlap. */
struct customer {
  double arrived;          /* start of the journey */
  double queued_at;        /* joined the current queue */
  double wait;             /* total time in queues so far */
  uint64_t trail;          /* the departments visited, in order and as a
                              set (model_trail_visit in models/metrics.h) */
  union {                  /* one or the other: a customer in service is
                              in no queue */
    uint32_t prev;         /* WAITING: queue link (NIL otherwise) */
    uint32_t server;       /* IN_SERVICE: NIL when served by the
                              department's own staff, else the pool link
                              (struct model_pool) of the pool member */
  };
  uint32_t next;           /* queue link; doubles as free-list link */
  sim_timer patience_timer;
  uint32_t dept;           /* current (or, in transit, next) department */
  uint32_t handoffs, retrials;
  uint32_t interval;       /* of the time series, in which this visit began */
  uint32_t first_interval; /* ... and in which the journey began */
  uint16_t cls;            /* < MAX_CLASSES */
  uint8_t state;           /* enum customer_state */
  uint8_t detail;          /* IN_SERVICE: 1 if this service ends in a
                            * handoff; RETRYING: the enum model_outcome
                            * of the lost attempt */
};

/* Classes a customer's record can hold; more are refused at the start of
 * a replication (an error, not a crash). */
#define MAX_CLASSES UINT16_MAX
_Static_assert(sizeof(void *) != 8 || sizeof(struct customer) == 72,
               "a customer's record is 72 bytes (docs/reliability.md)");


/* What a journey needs only when the model has rework, kept beside the
 * customer's record (same index) rather than in it. */
struct journey_extra {
  uint32_t first;          /* the journey's first department */
  uint32_t returned;       /* repeat contacts made today */
  uint32_t tomorrow;       /* 1: its last repeat is due after closing */
};

struct queue {
  uint32_t head, tail;     /* FIFO, linked through the customers */
};

/* Where a customer goes after service at a department where that does
 * not depend on chance (struct department's route_fixed): every class
 * leaves, or every class goes on to the same department with
 * probability 1. Otherwise this, and a draw from the class's table. */
#define ROUTE_DRAWN (UINT32_MAX - 1)

/* The array is aligned to cache lines; a visit reads the first two (the
 * fields up to the capacity, the queue and the bitmap of a department of
 * one priority level, and the service stream), the third only when its
 * route is drawn, and not the definition (def) unless a service ends in
 * a handoff: what a visit needs of it is copied here. */
struct department {
  _Alignas(64) const struct model_department *def;
  const struct model_visit *visit;   /* one rule per class: def->visit, or
                                        its copy (office_setup.c) */
  uint32_t busy;
  uint32_t staff;
  uint64_t waiting;
  struct queue *queues;    /* one per priority level, highest first:
                              &queue1 with one level */
  uint64_t *levels_waiting;  /* bit l: queues[l] is not empty; &levels1
                                with up to 64 levels */
  uint32_t route_fixed;    /* after service: NIL (leave) or the next
                              department for every class, or ROUTE_DRAWN */
  bool has_handoff;        /* def->has_handoff */
  struct queue queue1;     /* the queue, with one priority level */
  uint64_t capacity;       /* def->capacity */
  uint64_t levels1;        /* the bitmap, with up to 64 priority levels */
  /* The department's streams, held in place (no allocation; those its
   * rules draw from are seeded at the start, office_setup.c, rather than
   * tested for on every draw). */
  struct sim_rng service_rng;
  /* Per class: the alias table of "where next" after service (the
   * visit rule's routes and, last, leaving), NULL without routes; read
   * only when route_fixed is ROUTE_DRAWN. Classes whose rules share the
   * routes share the table. The pointers, the tables and their columns
   * are one block (office_setup.c). */
  const struct sim_rng_alias **route_table;
  struct sim_rng routing_rng, patience_rng;
  struct sim_rng balking_rng, retrial_rng, handoff_rng;
  size_t next_staff_step;
};
_Static_assert(sizeof(void *) != 8 ||
                   (offsetof(struct department, queue1) + sizeof(struct queue) == 64 &&
                    offsetof(struct department, service_rng) + sizeof(struct sim_rng) == 128 &&
                    offsetof(struct department, routing_rng) + sizeof(struct sim_rng) <= 192),
               "a visit's fields of a department fill its first two cache lines, "
               "a drawn route's the third");
/* Six lines: indexing the array is a shift and an add (3 x 128). */
_Static_assert(sizeof(void *) != 8 || sizeof(struct department) == 384,
               "a department's record is six cache lines");

/* A pool of staff who serve several departments (models/office_pools.h). */
struct pool {
  const struct model_pool *def;
  uint32_t busy;
  uint32_t staff;
  size_t next_staff_step;
};

struct arrival_stream {
  struct sim_rng rng;
  size_t step;             /* schedule step or trace position */
  /* Appointments: the booked customers who come, drawn at opening, in
   * order of arrival, with their slot times. */
  double *times, *slots;
  size_t ntimes;
};

struct office {
  const struct model *model;
  const uint32_t *priority_level;   /* model->priority_level, one load nearer */
  struct sim_events events;
  struct model_metrics metrics;
  struct customer *customers;
  uint32_t ncustomers;     /* pool size */
  uint32_t free_customer;
  struct department *dept;
  struct arrival_stream *arrivals;
  struct sim_rng class_rng;
  struct sim_rng_alias class_table;   /* by share; n = 0 for one class */
  /* Per department, wrap-up's and coordination's streams (seeded only
   * where the department has them): kept out of struct department, whose
   * size the hot path's indexing pays for. */
  struct sim_rng *wrap_up_rng, *coordination_rng;
  bool after_work;         /* some department has wrap-up or coordination */
  bool slow_free;          /* after_work or pools: a service's end frees
                              its server by free_server_after */
  struct journey_extra *journeys;  /* ncustomers; NULL without rework */
  struct sim_rng *rework_rng;      /* per department (decision and delay);
                                      seeded where a rule applies */
  bool customer_extras;    /* journeys, passed_on_of, serial_of or slot_of
                              is kept */
  uint32_t *passed_on_of;  /* ncustomers, only in a model with mid-service
                              handoffs: the journey's handoffs of that
                              kind (of c->handoffs, which also counts
                              planned routes) */
  uint64_t *serial_of;     /* ncustomers, only when journeys are traced:
                              the customer's number (1, 2, ... in order
                              of arrival), which only the trace shows */
  double *slot_of;         /* ncustomers: slot time of a booked customer
                              until its first service, else NaN; NULL
                              without appointments */
  struct pool *pools;      /* npools; NULL without pools */
  uint32_t *link_pool;     /* per pool link: its pool */
  uint32_t *link_busy;     /* per pool link: members busy there */
  uint64_t *link_waiting;  /* bit per pool link: someone waits at its
                              department (NULL without pools), so a free
                              member looks only at departments with a queue */
  double warmup;
  uint64_t customers_created;
  uint32_t max_customers;  /* records in the pool, at most */
  uint32_t open_streams;   /* arrival streams that have not ended */
  enum day day;
  const char *error;       /* set when the replication cannot go on */
};

/* The journey counts in the statistics: it began after the warm-up. */
static inline bool counted(const struct office *o, const struct customer *c)
{
  return c->arrived >= o->warmup;
}

/* The priority level of a customer: the index of its queue. */
static inline uint32_t level_of(const struct office *o, const struct customer *c)
{
  return o->priority_level[c->cls];
}

void office_grow_pool(struct office *o);
void office_init(struct office *o, const struct model *m, uint64_t seed,
                 uint32_t rep);
void office_fini(struct office *o);
double office_next_scheduled_arrival(struct office *o, uint32_t i, double t);
void office_book_appointments(struct office *o, uint32_t i);
/* Department d's queue became non-empty (or empty): the bits of its pool
 * links in o->link_waiting follow (office_setup.c). */
void office_pool_links_waiting(struct office *o, uint32_t d, bool waiting);
#ifndef NDEBUG
/* The invariants between two events (office_setup.c), checked after every
 * event in builds with debug checks. */
bool office_consistent(const struct office *o);
#endif

/* The class of a new customer of stream a; `several`: the caller's
 * constant promise that the model has more than one class. */
static inline uint32_t draw_class(struct office *o, const struct model_arrival *a,
                                  const bool several)
{
  const struct model *m = o->model;
  if (a->cls >= 0)
    return (uint32_t)a->cls;
  if (!several && m->nclasses == 1)
    return 0;
  return sim_rng_alias_draw(&o->class_table, &o->class_rng.gsl);
}

#endif
