/*
 * models/metrics_state.h — what one replication records, as data: the counters, sums,
 * sketches and time-averages the recorders of models/metrics.h fill and
 * models/results.c turns into rows.
 */
#ifndef LOKET_MODELS_METRICS_STATE_H
#define LOKET_MODELS_METRICS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/journeys.h"
#include "models/model.h"
#include "models/satisfaction.h"
#include "sim/stats.h"

/* Satisfaction of journeys: sum of scores and counts per group. */
struct model_happiness {
  uint64_t n, group[3];
  double sum;
};

static inline void model_happiness_add(struct model_happiness *h, double score)
{
  h->n++;
  h->sum += score;
  h->group[model_satisfaction_group_of(score)]++;
}

/* Time-integrated levels of a department, from opening (never reset:
 * windows are differences of snapshots). */
enum { MODEL_LEVEL_QUEUE, MODEL_LEVEL_BUSY, MODEL_LEVEL_STAFF, MODEL_LEVELS };

/* One interval of the time series of a department, or of whole journeys.
 * Customers are scored by the interval in which they ARRIVED (at the
 * department; for journeys, at the first department), as industry reports
 * and staffing methods do: what happens to them later is put back to that
 * interval. The occupancy areas are time-based: the level's time integral
 * over the interval, taken from snapshots at its borders. */
struct model_interval {
  uint64_t arrivals, served, within, abandoned, abandoned_within;
  double wait_sum;              /* of the served */
  double area[MODEL_LEVELS];
};

/* A department's arrivals, served, within (started service within the
 * threshold), abandoned and abandoned_within are kept only per interval of
 * arrival (series, the last slot for arrivals after closing) and summed
 * at the end: counting them twice per event would cost for nothing. */
/* The array of these is aligned to cache lines (64 bytes): what a visit
 * touches comes first, in two lines (sketch, wait sum and handoffs out;
 * the queue's and the servers' levels), so that a model of many
 * departments, whose every visit finds its department cold, pays two
 * misses here and not five. The department's series is found from its
 * index (model_dept_series), not through a pointer here: a customer's
 * arrival, which counts in the series and not in the first line, then
 * reads only the series' line. */
struct model_dept_metrics {
  _Alignas(64) struct sim_sketch wait_sketch;
  double wait_sum;              /* of customers served here */
  uint64_t handoffs_out;
  _Alignas(64) struct sim_timeavg level[MODEL_LEVELS];
  uint64_t balked, blocked;
  struct model_happiness happiness;  /* journeys that visited here */
  double at_warmup[MODEL_LEVELS], at_close[MODEL_LEVELS];  /* snapshots */
  double at_boundary[MODEL_LEVELS];   /* at the last interval boundary */
};
_Static_assert(offsetof(struct model_dept_metrics, level) == 64,
               "a visit's fields of a department's metrics fill two cache lines");

struct model_class_metrics {
  uint64_t arrivals, served, abandoned, within, abandoned_within;
  struct model_happiness happiness;
  struct sim_sum wait, sojourn;
  struct sim_sketch wait_sketch;
};

struct model_journey {
  enum model_outcome outcome;
  uint32_t cls;
  double wait;        /* total time in queues */
  double sojourn;     /* from arrival to leaving */
  uint32_t visits, handoffs, retrials;
  uint32_t passed_on; /* of the handoffs: mid-service ("not my department");
                         the rest were planned routes */
  uint64_t visited;   /* bit d: visited department d (the first 64); 0 in
                         a model of one department without rework, where
                         nothing reads it */
  uint64_t path;      /* the departments visited in order (model_trail_path) */
  double arrived;     /* start of the journey */
  uint32_t interval;  /* of the time series, in which the journey began */
  uint64_t customer;  /* 1, 2, ... in order of arrival within the replication */
  uint32_t repeats;   /* repeat contacts (rework), the one due tomorrow included */
};

/* Booked customers of one class: who stayed away, how late the others
 * came (arrival - slot), and their wait for service measured from the
 * later of slot and arrival (the measure they judge). */
struct model_appointment_metrics {
  uint64_t no_shows, came, started;
  double lateness_sum, slot_wait_sum;
};

/* Repeat contacts (rework) of journeys, and the returns decided after a
 * service at a department: `caused` of them, `next_day` due after closing
 * (not simulated). `resolved`: journeys without a repeat. */
struct model_repeats {
  uint64_t journeys, repeats, resolved, caused, next_day;
};

/* A time-integrated level of a pool (members on duty) or of a pool link
 * (members busy at one department), with its snapshots at the end of the
 * warm-up and at closing. */
struct model_pool_level {
  struct sim_timeavg level;
  double at_warmup, at_close;
};

/* Receives every counted journey as it ends, with its satisfaction score
 * (the customer trace); NULL fn: no trace. */
struct model_journey_sink {
  void (*fn)(void *ctx, const struct model_journey *j, double satisfaction);
  void *ctx;
};

struct model_metrics {
  const struct model *model;
  double within;
  uint64_t arrivals, served, abandoned, balked, blocked, sent_away, served_within;
  uint64_t retrials, abandoned_within;
  struct model_happiness happiness;
  uint64_t journeys, visits, handoffs;   /* over all counted journeys */
  struct sim_sum wait, sojourn;          /* over served journeys */
  struct sim_sketch wait_sketch;
  struct model_dept_metrics *dept;
  /* One department, and every journey one visit there (no routes,
   * handoffs, retrials or rework): the waits of its served visits are the
   * served journeys' waits, so its sketch is not filled and the
   * journeys' is read for it (model_dept_wait_sketch). The counts are
   * the same, and so every quantile. */
  bool dept_waits_are_journeys;
  /* The departments' series (nintervals + 1 intervals each, the last:
   * after closing), each starting on a cache line of its own,
   * series_bytes apart: model_dept_series. */
  char *dept_series;
  size_t series_bytes;
  struct model_class_metrics *cls;  /* only with more than one class */
  bool per_class;
  bool closed;                  /* the doors have closed (horizon passed) */
  uint32_t interval;            /* current interval of the time series;
                                   nintervals after closing */
  struct model_interval *journey_series;  /* by first arrival; nintervals + 1 */
  /* Per department, server time after counted visits: wrap-up, then
   * coordination (2 x ndepartments). Not in struct model_dept_metrics:
   * every event indexes that array, and its size is what it pays. */
  double *after_work;
  /* Only when the model has a rework rule, else NULL: everyone, then each
   * department (journeys that visited it; returns decided there), then
   * each class (1 + ndepartments + nclasses). */
  struct model_repeats *repeats;
  /* Only when the model has appointments, else NULL: per class. */
  struct model_appointment_metrics *appointments;
  /* Only when the model has pools, else NULL: per pool link (struct
   * model_pool) the members busy there and the counted customers they
   * started serving; per pool its members on duty. */
  struct model_pool_level *link_busy, *pool_staff;
  uint64_t *link_served;
  struct model_journey_sink sink;
  struct model_group handoff_groups[MODEL_HANDOFF_GROUPS];
  bool by_path;                 /* more than one department: paths differ */
  bool trail_coded;             /* at most 14 departments (model_trail_visit) */
  struct model_path_group *paths;   /* npaths in order of first appearance */
  size_t npaths, paths_cap;
  uint32_t *path_slots;         /* open addressing: index into paths, or
                                   UINT32_MAX; nslots a power of two */
  size_t nslots;
  struct model_group path_other;
};

/* The sketch of the waits of department d's served visits. */
static inline const struct sim_sketch *model_dept_wait_sketch(const struct model_metrics *mx,
                                                              size_t d)
{
  return mx->dept_waits_are_journeys ? &mx->wait_sketch : &mx->dept[d].wait_sketch;
}

/* The series of department d. */
static inline struct model_interval *model_dept_series(const struct model_metrics *mx,
                                                       size_t d)
{
  return (struct model_interval *)(void *)(mx->dept_series + d * mx->series_bytes);
}

#endif
