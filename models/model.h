/*
 * models/model.h — a validated scenario as plain data.
 *
 * The scenario loader (models/scenario.h) turns a YAML file into a struct
 * model: every name is resolved to an index, every value is checked and in
 * the scenario's time unit, and every default is filled in. The simulation
 * only reads it, so one model serves any number of replications on any
 * number of threads at once.
 */
#ifndef LOKET_MODELS_MODEL_H
#define LOKET_MODELS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/dist.h"
#include "models/satisfaction.h"

#define MODEL_UNLIMITED UINT64_MAX
/* Distinct priority levels at most (the simulation keeps a level in a
 * byte). */
#define MODEL_MAX_PRIORITIES 256

/* How a journey ended. */
enum model_outcome {
  MODEL_SERVED, MODEL_ABANDONED, MODEL_BALKED, MODEL_BLOCKED, MODEL_SENT_AWAY
};

struct model_route {
  uint32_t to;        /* department index */
  double p;
};

/* A step of a schedule: `value` holds from `at` (time since opening) until
 * the next step's `at`. Steps are in strictly increasing time order. */
struct model_step {
  double at;
  double value;
};

struct model_balking {
  uint64_t above;     /* balk when more than this many are waiting ... */
  double p;           /* ... with this probability */
};

struct model_retrial {
  double p;                     /* a lost customer tries again ... */
  struct model_dist after;      /* ... after this long */
};

/* "Not my department": with probability p service stops after `after` and
 * the customer is sent to department `to`, arriving after `delay`. */
struct model_handoff {
  double p;
  struct model_dist after;
  uint32_t to;
  bool has_delay;
  struct model_dist delay;
  bool has_coordination;        /* the sending employee stays busy this */
  struct model_dist coordination;  /* long after the handoff */
};

/* Failure demand: after a full service, with probability
 * min(1, p + per_handoff x the journey's handoffs so far) the question is
 * not settled and the customer comes back after `after` to department
 * `to` (MODEL_REWORK_FIRST: the journey's first department), as the same
 * journey. */
#define MODEL_REWORK_FIRST UINT32_MAX
struct model_rework {
  double p;
  double per_handoff;
  struct model_dist after;
  uint32_t to;
};

/* How customers of one class are treated at one department: the most
 * specific setting resolved by the loader (see docs/scenario.md). Pointers
 * refer to storage in the department, the class or the class-at-department
 * settings; NULL means "none" (no patience: wait for ever; no balking; no
 * retrial). */
struct model_visit {
  const struct model_dist *service;
  const struct model_dist *patience;
  const struct model_balking *balking;
  const struct model_retrial *retrial;
  const struct model_route *routes;
  size_t nroutes;
};

/* Settings given for one class at one department (departments.D.classes.C). */
struct model_class_settings {
  bool has_service, has_patience, has_balking, has_retrial, has_routes;
  bool has_rework;
  struct model_rework rework;
  struct model_dist service, patience;
  struct model_balking balking;
  struct model_retrial retrial;
  struct model_route *routes;
  size_t nroutes;
};

struct model_department {
  char *name;
  uint32_t staff;               /* at opening */
  struct model_step *staff_schedule;  /* NULL: `staff` all day */
  size_t nstaff_steps;
  struct model_dist service;
  bool has_wrap_up;             /* after-call work: the server stays busy */
  struct model_dist wrap_up;    /* this long after each visit it served */
  uint64_t capacity;            /* waiting places; MODEL_UNLIMITED if absent */
  bool has_patience;            /* given for the department */
  struct model_dist patience;
  bool has_balking, has_retrial, has_handoff;
  struct model_balking balking;
  struct model_retrial retrial;
  struct model_handoff handoff;
  struct model_route *routes;   /* after service; the rest exit */
  size_t nroutes;
  double cost_per_staff_hour;
  uint64_t backlog;             /* customers already waiting at opening */
  /* The pools that serve this department, as indices of their links
   * (struct model_pool), in the order of the scenario's pools: when its
   * own staff are busy, an arriving customer is served by the first of
   * them with a member free. NULL when no pool serves it. */
  uint32_t *pool_links;
  size_t npool_links;
  struct model_class_settings *class_settings;  /* nclasses, or NULL */
  struct model_visit *visit;    /* nclasses resolved rules */
  bool has_rework;              /* given for the department */
  struct model_rework rework;
  /* Per class, the rework rule after a service here (class at department,
   * department, class: the most specific), NULL for none; the array is
   * NULL when no class has one here. Kept out of struct model_visit, which
   * every visit reads. */
  const struct model_rework **rework_rule;
};

/* A pool of staff that serve several departments (pools.NAME): generalists
 * beside the departments' own staff. A department's own staff serve it
 * first; a free member of the pool takes, among the departments it serves,
 * the waiting customer who has waited longest (`in_order` false) or the
 * next customer of the first department in `serves` with someone waiting
 * (`order: serves`). A member works at `speed`: service times are divided
 * by it. The pool's links number its (pool, department) pairs across all
 * pools, `first_link + k` for serves[k]: a served customer's record and
 * the pool's metrics are kept by link. */
struct model_pool {
  char *name;
  uint32_t staff;               /* at opening */
  struct model_step *staff_schedule;  /* NULL: `staff` all day */
  size_t nstaff_steps;
  uint32_t *serves;             /* department indices, distinct */
  size_t nserves;
  uint32_t first_link;
  double speed;                 /* > 0; 1: as fast as the departments' own */
  double cost_per_staff_hour;
  bool in_order;                /* order: serves */
};

enum model_arrival_kind { MODEL_ARRIVAL_RATE, MODEL_ARRIVAL_SCHEDULE, MODEL_ARRIVAL_TRACE,
                          MODEL_ARRIVAL_APPOINTMENTS };

/* A signed time offset (punctuality: arrival minus slot time). */
enum model_offset_kind { MODEL_OFFSET_DETERMINISTIC, MODEL_OFFSET_UNIFORM,
                         MODEL_OFFSET_NORMAL };
struct model_offset {
  enum model_offset_kind kind;
  double a, b;        /* value; min, max; mean, sd (not truncated) */
};

/* Booked appointments: a slot every `every` from `from` to `to` (both
 * included, times since opening), `per_slot` customers each; each stays
 * away with probability `no_show`, the others arrive at the slot time +
 * punctuality (no earlier than opening). An early customer waits for
 * the slot (early_serve false) or joins the queue at once. */
struct model_appointments {
  double from, to, every;
  uint32_t per_slot;
  double no_show;
  struct model_offset punctuality;   /* deterministic 0 if not given */
  bool early_serve;
};

struct model_arrival {
  enum model_arrival_kind kind;
  uint32_t to;        /* department index */
  int32_t cls;        /* a fixed class, or -1: drawn by the classes' shares */
  double rate;        /* RATE: per time unit, Poisson */
  double mean_gap;    /* RATE: 1 / rate, the mean time between arrivals */
  struct model_step *schedule;  /* SCHEDULE: rate per time unit by step */
  size_t nsteps;
  double *times;      /* TRACE: arrival times since opening, ascending */
  size_t ntimes;
  struct model_appointments appointments;   /* APPOINTMENTS */
};

struct model_class {
  char *name;
  double share;
  double expect;                /* the wait this class expects (satisfaction) */
  int32_t priority;             /* higher is served first */
  bool has_patience, has_balking, has_retrial;
  struct model_dist patience;
  struct model_balking balking;
  struct model_retrial retrial;
  bool has_rework;
  struct model_rework rework;
};

/* A kind of shift for the roster (staffing.shifts). Times are in the
 * scenario's time unit; `start_first`..`start_last` are times since
 * opening (clock times in the scenario), the break offsets are since the
 * shift's start. A shift may start every `step` within the start window,
 * both ends included; likewise its break. */
struct model_shift {
  char *name;
  double length;
  double start_first, start_last, step;
  bool has_break;
  double break_length;
  double break_first, break_last;   /* offsets of the break's start */
  bool break_paid;
};

/* The staffing advisor's brief (the `staffing:` block, docs/staffing.md).
 * A target that is not given is NaN. */
struct model_staffing {
  bool present;                 /* the scenario has a staffing: block */
  double interval;              /* planning interval; default output.interval */
  bool *plan;                   /* per department: staff it (default: all) */
  double target_service_level;  /* share of arrivals served within `within` */
  double target_abandoned;      /* at most this share abandons */
  double target_wait_mean;      /* mean wait at most this */
  uint32_t min_staff, max_staff;  /* per interval; defaults 0 and 1000 */
  double shrinkage;             /* paid = productive / (1 - shrinkage); 0 */
  double confidence;            /* 0: targets hold for the mean; else the
                                   lower bound at this level must hold */
  struct model_shift *shifts;   /* NULL: no roster */
  size_t nshifts;
  double cost_per_paid_hour;    /* NaN: each department's cost_per_staff_hour */
};

enum model_closing { MODEL_CLOSING_DRAIN, MODEL_CLOSING_CUT };

/* One parameter a sweep varies: a dotted scenario path and its values
 * (as YAML text, applied like --set PATH=VALUE). */
struct model_axis {
  char *path;
  char **values;
  size_t nvalues;
};

/* A named variant of a scenario for a sweep (sweep.variants, or --variant
 * NAME:PATH=VALUE,...): overrides applied like --set, each "PATH=VALUE"
 * with the value as YAML text (a list or mapping in flow style). */
struct model_variant {
  char *name;
  char **sets;
  size_t nsets;
};

/* A text shown on figures instead of a name (labels:). */
struct model_label {
  char *key;    /* a dotted path, a summary metric or departments.NAME */
  char *text;
};

struct model {
  char *name;
  char *time_unit;              /* "seconds", "minutes" or "hours" */
  double units_per_hour;        /* 3600, 60 or 1 */
  double opens;                 /* clock time of opening, in time units since 00:00 */
  double horizon;               /* arrivals stop; doors close */
  enum model_closing closing;
  double warmup;                /* customers arriving before are not counted */
  uint32_t replications;
  uint64_t seed;
  double service_level_within;
  bool has_patience, has_balking, has_retrial;  /* top level: everyone */
  struct model_dist patience;
  struct model_balking balking;
  struct model_retrial retrial;
  struct model_arrival *arrivals;
  size_t narrivals;
  struct model_department *departments;
  size_t ndepartments;
  struct model_class *classes;  /* at least one */
  size_t nclasses;
  double interval;              /* of the time series (output.interval) */
  uint32_t nintervals;          /* ceil(horizon / interval) */
  bool trace_customers;         /* write customers.csv (output.customers) */
  struct model_satisfaction satisfaction;
  double service_level_target;  /* NaN: none given */
  struct model_axis *axes;      /* the scenario's sweep: block */
  size_t naxes;
  struct model_variant *variants;  /* sweep.variants, in their order */
  size_t nvariants;
  char *currency;               /* shown with money on figures; NULL: none */
  struct model_label *labels;   /* labels:, in their order */
  size_t nlabels;
  uint32_t npriorities;         /* distinct priority levels */
  uint32_t *priority_level;     /* per class: 0 = served first */
  struct model_staffing staffing;
  uint32_t max_customers;       /* in the system at once; 0: the default (2^24) */
  bool has_rework;              /* some department has a rework rule */
  bool has_appointments;        /* some arrival stream is of appointments */
  struct model_pool *pools;     /* pools:, in their order */
  size_t npools;
  uint32_t npool_links;         /* (pool, department) pairs of all pools */
};

/* Length of interval k of the time series (the last may be shorter). */
static inline double model_interval_length(const struct model *m, uint32_t k)
{
  double start = k * m->interval, end = start + m->interval;
  return (end < m->horizon ? end : m->horizon) - start;
}

void model_free(struct model *m);
void model_axis_fini(struct model_axis *a);
void model_variant_fini(struct model_variant *v);

#endif
