/*
 * models/metrics.h — what one replication records.
 *
 * The customer logic in models/office.c only reports what happens
 * ("a customer started service after waiting w", "the queue is now n long");
 * this module decides what to keep and turns it into result rows at the end
 * of the replication. The functions called per event are inline so the hot
 * path pays no call.
 *
 * Result rows are arrays of doubles indexed by the column enums below; the
 * column lists are X-macros so the CSV writers, the cross-replication
 * statistics and the docs name the same columns in the same order.
 * A metric that is undefined in a replication (a mean over no customers)
 * is NaN and written as an empty field.
 */
#ifndef LOKET_MODELS_METRICS_H
#define LOKET_MODELS_METRICS_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/model.h"
#include "sim/stats.h"

#if defined(__GNUC__)
#define MODEL_ALWAYS_INLINE __attribute__((always_inline))
#else
#define MODEL_ALWAYS_INLINE
#endif

#define MODEL_SUMMARY_COLUMNS(X) \
  X(arrivals) X(served) X(abandoned) X(balked) X(blocked) X(wait_mean) \
  X(wait_p50) X(wait_p90) X(wait_p95) X(wait_p99) X(service_level) \
  X(sojourn_mean) X(visits_mean) X(handoffs_mean) X(satisfaction_mean) \
  X(utilization) X(staff_cost) X(sent_away) X(retrials) \
  X(satisfaction_low) X(satisfaction_mid) X(satisfaction_high) \
  X(service_level_alt) X(repeat_contacts) X(first_contact_resolution) \
  X(returns_next_day)

#define MODEL_DEPARTMENT_COLUMNS(X) \
  X(arrivals) X(served) X(abandoned) X(balked) X(blocked) X(handoffs_out) \
  X(wait_mean) X(wait_p90) X(service_level) X(queue_mean) X(busy_mean) \
  X(staff_mean) X(utilization) X(staff_cost) X(overtime_hours) \
  X(satisfaction_mean) X(satisfaction_low) X(satisfaction_mid) \
  X(satisfaction_high) X(service_level_alt) X(wrap_up_hours) \
  X(coordination_hours) X(repeat_contacts) X(first_contact_resolution) \
  X(returns_caused) X(returns_next_day)

#define MODEL_CLASS_COLUMNS(X) \
  X(arrivals) X(served) X(abandoned) X(wait_mean) X(wait_p90) \
  X(service_level) X(sojourn_mean) X(satisfaction_mean) \
  X(satisfaction_low) X(satisfaction_mid) X(satisfaction_high) \
  X(service_level_alt) X(repeat_contacts) X(first_contact_resolution) \
  X(no_shows) X(lateness_mean) X(slot_wait_mean)

#define MODEL_ENUM_SUMMARY(name) MODEL_SUMMARY_##name,
#define MODEL_ENUM_DEPARTMENT(name) MODEL_DEPARTMENT_##name,
#define MODEL_ENUM_CLASS(name) MODEL_CLASS_##name,
enum { MODEL_SUMMARY_COLUMNS(MODEL_ENUM_SUMMARY) MODEL_SUMMARY_NCOLS };
enum { MODEL_DEPARTMENT_COLUMNS(MODEL_ENUM_DEPARTMENT) MODEL_DEPARTMENT_NCOLS };
enum { MODEL_CLASS_COLUMNS(MODEL_ENUM_CLASS) MODEL_CLASS_NCOLS };

extern const char *const model_summary_columns[MODEL_SUMMARY_NCOLS + 1];
extern const char *const model_department_columns[MODEL_DEPARTMENT_NCOLS + 1];
extern const char *const model_class_columns[MODEL_CLASS_NCOLS + 1];

/* Journeys grouped by what happened to them (journeys.csv): raw sums, so
 * that groups can be joined (the paths beyond the most frequent become
 * "other"). Waits and sojourns are of the served, as in summary.csv. */
struct model_group {
  uint64_t customers, served, within, abandoned;
  double wait_sum, sojourn_sum, satisfaction_sum;
};

/* Journeys by their number of handoffs (routes and mid-service handoffs
 * alike, as model_journey.handoffs): 0, 1, 2, and 3 or more. */
enum { MODEL_HANDOFF_GROUPS = 4 };

/* A path is the sequence of departments a journey visited (a retry is not
 * a new visit), 4 bits a visit holding department + 1, the first visit in
 * the lowest bits: 0x321 is departments 0, 1, 2. Up to 15 visits of the
 * first 14 departments fit; any other path is MODEL_PATH_OTHER. */
#define MODEL_PATH_OTHER UINT64_MAX
enum { MODEL_PATH_VISITS = 15, MODEL_PATH_DEPARTMENTS = 14 };

/* A customer's record has room for one 64-bit word about where the
 * customer went: its "trail". In a model of at most 14 departments
 * (`coded`) the trail is the path code while it fits; at the 16th visit
 * it turns into the set of departments visited (bit d), marked by 0xF in
 * its top 4 bits, which no path code has there. With more departments it
 * is that set from the start (of the first 64 departments). Both the
 * path and the set can be read back from it. */
#define MODEL_TRAIL_SET (UINT64_C(0xF) << 60)

static inline uint64_t model_trail_set_of_path(uint64_t path)
{
  uint64_t set = 0;
  for (; path; path >>= 4)
    set |= UINT64_C(1) << ((path & 0xf) - 1);
  return set;
}

/* The trail after a new visit to department d. */
static inline uint64_t model_trail_visit(uint64_t trail, uint32_t d, bool coded)
{
  if (!coded)
    return d < 64 ? trail | UINT64_C(1) << d : trail;
  if ((trail & MODEL_TRAIL_SET) == MODEL_TRAIL_SET)
    return trail | UINT64_C(1) << d;
  /* The visits so far are its nonzero nibbles (department + 1 >= 1). */
  unsigned used = trail ? (unsigned)(63 - __builtin_clzll(trail)) / 4 + 1 : 0;
  if (used < MODEL_PATH_VISITS)
    return trail | (uint64_t)(d + 1) << (4 * used);
  return MODEL_TRAIL_SET | model_trail_set_of_path(trail) | UINT64_C(1) << d;
}

static inline uint64_t model_trail_path(uint64_t trail, bool coded)
{
  return coded && (trail & MODEL_TRAIL_SET) != MODEL_TRAIL_SET ? trail
                                                               : MODEL_PATH_OTHER;
}

/* Bit d: visited department d. */
static inline uint64_t model_trail_visited(uint64_t trail, bool coded)
{
  if (!coded)
    return trail;
  if ((trail & MODEL_TRAIL_SET) == MODEL_TRAIL_SET)
    return trail & ~MODEL_TRAIL_SET;
  return model_trail_set_of_path(trail);
}

struct model_path_group {
  uint64_t path;
  struct model_group group;
};

/* The distinct paths one replication keeps apart; the rest are counted as
 * MODEL_PATH_OTHER. */
enum { MODEL_PATHS_MAX = 4096 };

#define MODEL_JOURNEY_COLUMNS(X) \
  X(customers) X(served) X(service_level) X(wait_mean) X(sojourn_mean) \
  X(satisfaction_mean) X(abandoned)
#define MODEL_ENUM_JOURNEY(name) MODEL_JOURNEY_##name,
enum { MODEL_JOURNEY_COLUMNS(MODEL_ENUM_JOURNEY) MODEL_JOURNEY_NCOLS };
extern const char *const model_journey_columns[MODEL_JOURNEY_NCOLS + 1];

/* The columns of a group (docs/outputs.md, journeys.csv). */
void model_group_columns(const struct model_group *g, double *row);
/* Adds `from` to `into`. */
void model_group_merge(struct model_group *into, const struct model_group *from);

/* The rows of one replication. */
struct model_result {
  double summary[MODEL_SUMMARY_NCOLS];
  double *departments;   /* ndepartments rows of MODEL_DEPARTMENT_NCOLS */
  double *classes;       /* nclasses rows of MODEL_CLASS_NCOLS */
  double *timeseries;    /* (ndepartments + 1) x nintervals rows of
                            MODEL_TIMESERIES_NCOLS: each department's
                            intervals, then the whole journey's (customers
                            by the interval of their first arrival; its
                            occupancy columns are NaN) */
  struct model_group handoff_groups[MODEL_HANDOFF_GROUPS];
  struct model_path_group *paths;  /* with more than one department: every
                                      path seen (MODEL_PATH_OTHER last, if
                                      any), in order of first appearance */
  size_t npaths;
  uint64_t events;       /* events processed (for benchmarks) */
  const char *error;     /* why the replication failed (static text), or NULL */
  struct sim_sketch *waits;  /* if set by the caller: receives the merged
                                histogram of journeys' waits */
};

void model_result_init(struct model_result *r, const struct model *m);
void model_result_fini(struct model_result *r);


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

#define MODEL_TIMESERIES_COLUMNS(X) \
  X(arrivals) X(queue_mean) X(staff) X(busy_mean) X(wait_mean) \
  X(service_level) X(abandoned) X(served) X(abandoned_share) \
  X(service_level_alt)
#define MODEL_ENUM_TIMESERIES(name) MODEL_TIMESERIES_##name,
enum { MODEL_TIMESERIES_COLUMNS(MODEL_ENUM_TIMESERIES) MODEL_TIMESERIES_NCOLS };
extern const char *const model_timeseries_columns[MODEL_TIMESERIES_NCOLS + 1];

/* A department's arrivals, served, within (started service within the
 * threshold), abandoned and abandoned_within are kept only per interval of
 * arrival (series, the last slot for arrivals after closing) and summed
 * at the end: counting them twice per event would cost for nothing. */
struct model_dept_metrics {
  uint64_t balked, blocked, handoffs_out;
  struct model_happiness happiness;  /* journeys that visited here */
  double wait_sum;              /* of customers served here */
  struct sim_sketch wait_sketch;
  struct sim_timeavg level[MODEL_LEVELS];
  double at_warmup[MODEL_LEVELS], at_close[MODEL_LEVELS];  /* snapshots */
  double at_boundary[MODEL_LEVELS];   /* at the last interval boundary */
  struct model_interval *series;      /* nintervals + 1 (the last: after closing) */
};

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
  uint64_t visited;   /* bit d: visited department d (the first 64) */
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

void model_metrics_init(struct model_metrics *mx, const struct model *m);
void model_metrics_fini(struct model_metrics *mx);
/* End of warm-up: time-averages of the window start here. */
void model_metrics_warmup_end(struct model_metrics *mx, double t);
/* End of interval `interval` of the time series, at time t. */
void model_metrics_interval_end(struct model_metrics *mx, double t);
/* Doors close: the time-averages of the day are taken at t = horizon. */
void model_metrics_close(struct model_metrics *mx, double t);
/* Fills the result rows; end is the time the last customer left. */
void model_metrics_result(const struct model_metrics *mx, double end,
                          struct model_result *r);

/* --- reported by the customer logic; `counted` is false during warm-up --- */

static inline void model_metrics_queue_length(struct model_metrics *mx,
                                              uint32_t d, double t, uint64_t n)
{
  sim_timeavg_set(&mx->dept[d].level[MODEL_LEVEL_QUEUE], t, (double)n);
}

static inline void model_metrics_busy(struct model_metrics *mx, uint32_t d,
                                      double t, uint32_t busy)
{
  sim_timeavg_set(&mx->dept[d].level[MODEL_LEVEL_BUSY], t, (double)busy);
}

static inline void model_metrics_staff(struct model_metrics *mx, uint32_t d,
                                       double t, uint32_t staff)
{
  sim_timeavg_set(&mx->dept[d].level[MODEL_LEVEL_STAFF], t, (double)staff);
}

static inline void model_metrics_journey_start(struct model_metrics *mx,
                                               uint32_t cls, bool counted)
{
  if (!counted)
    return;
  mx->arrivals++;
  if (mx->per_class)
    mx->cls[cls].arrivals++;
}

/* A customer arrives at department d (a new visit or another attempt at
 * one) in interval k of the time series: mx->interval at the time of
 * arrival (interval borders are events that come before customers' events
 * at the same instant, so it is exact); the customer logic keeps it for
 * the calls below. */
static inline void model_metrics_visit(struct model_metrics *mx, uint32_t d,
                                       uint32_t k, bool counted)
{
  if (!counted)
    return;
  mx->dept[d].series[k].arrivals++;
}

/* Service starts at d for a customer who arrived there in interval k and
 * waited `wait`. */
static inline void model_metrics_service_start(struct model_metrics *mx,
                                               uint32_t d, uint32_t k,
                                               double wait, bool counted)
{
  if (!counted)
    return;
  struct model_dept_metrics *dm = &mx->dept[d];
  bool within = wait <= mx->within;
  dm->wait_sum += wait;   /* in order, so the mean is the same to the bit */
  sim_sketch_add(&dm->wait_sketch, wait);
  struct model_interval *in = &dm->series[k];
  in->served++;
  in->within += within;
  in->wait_sum += wait;
}

/* The attempt at d of a customer who arrived there in interval k failed
 * after waiting `wait` (0 unless abandoned). */
static inline void model_metrics_visit_lost(struct model_metrics *mx, uint32_t d,
                                            enum model_outcome why,
                                            uint32_t k, double wait,
                                            bool counted)
{
  if (!counted)
    return;
  struct model_dept_metrics *dm = &mx->dept[d];
  dm->balked += why == MODEL_BALKED;
  dm->blocked += why == MODEL_BLOCKED;
  if (why == MODEL_ABANDONED) {
    bool within = wait <= mx->within;
    struct model_interval *in = &dm->series[k];
    in->abandoned++;
    in->abandoned_within += within;
  }
}

static inline void model_metrics_handoff_out(struct model_metrics *mx,
                                             uint32_t d, bool counted)
{
  if (counted)
    mx->dept[d].handoffs_out++;
}

/* After a service at d the question was not settled: the customer comes
 * back, today or (`tomorrow`: due after closing) the next day. */
static inline void model_metrics_rework(struct model_metrics *mx, uint32_t d,
                                        bool tomorrow, bool counted)
{
  if (!counted)
    return;
  mx->repeats[1 + d].caused++;
  mx->repeats[1 + d].next_day += tomorrow;
  mx->repeats[0].next_day += tomorrow;
}

/* Appointments (models with appointments only): a booked customer of
 * class `cls` stayed away; one arrived `lateness` after its slot; one
 * started its first service `slot_wait` after the later of slot and
 * arrival. */
static inline void model_metrics_no_show(struct model_metrics *mx, uint32_t cls,
                                         bool counted)
{
  if (counted)
    mx->appointments[cls].no_shows++;
}

static inline void model_metrics_appointment_arrival(struct model_metrics *mx,
                                                     uint32_t cls, double lateness,
                                                     bool counted)
{
  if (!counted)
    return;
  mx->appointments[cls].came++;
  mx->appointments[cls].lateness_sum += lateness;
}

static inline void model_metrics_slot_wait(struct model_metrics *mx, uint32_t cls,
                                           double slot_wait, bool counted)
{
  if (!counted)
    return;
  mx->appointments[cls].started++;
  mx->appointments[cls].slot_wait_sum += slot_wait;
}

/* The repeats of a counted journey as it ends (models with rework only:
 * mx->repeats set; called by the customer logic next to
 * model_metrics_journey_end, so that function stays small enough to
 * inline). */
void model_metrics_repeats_journey(struct model_metrics *mx,
                                   const struct model_journey *j);

/* A server of d stays busy after its customer has left: `wrap_up` of
 * after-call work and `coordination` for a handoff (either may be 0). */
static inline void model_metrics_after_work(struct model_metrics *mx,
                                            uint32_t d, double wrap_up,
                                            double coordination, bool counted)
{
  if (!counted)
    return;
  mx->after_work[2 * d] += wrap_up;
  mx->after_work[2 * d + 1] += coordination;
}


static inline void model_group_add(struct model_group *g, const struct model_journey *j,
                                   double score, double within)
{
  g->customers++;
  g->satisfaction_sum += score;
  g->abandoned += j->outcome == MODEL_ABANDONED;
  if (j->outcome == MODEL_SERVED) {
    g->served++;
    g->within += j->wait <= within;
    g->wait_sum += j->wait;
    g->sojourn_sum += j->sojourn;
  }
}

/* Adds a journey to its group by handoffs and, with more than one
 * department, to the group of its path (a hash lookup). Not inline: the
 * customer logic's inlined code stays as small as before. */
void model_metrics_journey_groups(struct model_metrics *mx,
                                  const struct model_journey *j, double score);


/* Once per journey, from the customer logic's one call site: always
 * inlined, as GCC's size heuristics otherwise make it a call (costing
 * about 30 instructions a journey in spills). */
MODEL_ALWAYS_INLINE
static inline void model_metrics_journey_end(struct model_metrics *mx,
                                             const struct model_journey *j,
                                             bool counted)
{
  if (!counted)
    return;
  /* With a single class its metrics are the summary's: nothing to add. */
  struct model_class_metrics *cm = mx->per_class ? &mx->cls[j->cls] : NULL;
  const struct model *m = mx->model;
  double score = model_satisfaction_score(&m->satisfaction, j->outcome, j->wait,
                                          m->classes[j->cls].expect, j->passed_on,
                                          j->handoffs - j->passed_on, j->retrials,
                                          j->repeats);
  model_happiness_add(&mx->happiness, score);
  if (cm)
    model_happiness_add(&cm->happiness, score);
  /* With one department every journey visits it: its satisfaction is
   * the summary's, taken at the end. */
  if (m->ndepartments > 1)
    for (uint64_t v = j->visited; v; v &= v - 1)
      model_happiness_add(&mx->dept[__builtin_ctzll(v)].happiness, score);
  if (mx->sink.fn)
    mx->sink.fn(mx->sink.ctx, j, score);
  /* With one department nearly every journey has no handoff: the group
   * of those is then the summary's totals less the other groups, taken at
   * the end, and the hot path pays one predictable branch. */
  if (__builtin_expect(j->handoffs != 0 || mx->by_path, 0))
    model_metrics_journey_groups(mx, j, score);
  struct model_interval *in = &mx->journey_series[j->interval];
  in->arrivals++;
  mx->journeys++;
  mx->retrials += j->retrials;
  mx->visits += j->visits;
  mx->handoffs += j->handoffs;
  switch (j->outcome) {
  case MODEL_SERVED: {
    bool within = j->wait <= mx->within;
    mx->served++;
    mx->served_within += within;
    sim_sum_add(&mx->wait, j->wait);
    sim_sketch_add(&mx->wait_sketch, j->wait);
    sim_sum_add(&mx->sojourn, j->sojourn);
    in->served++;
    in->within += within;
    in->wait_sum += j->wait;
    if (cm) {
      cm->served++;
      cm->within += within;
      sim_sum_add(&cm->wait, j->wait);
      sim_sketch_add(&cm->wait_sketch, j->wait);
      sim_sum_add(&cm->sojourn, j->sojourn);
    }
    break;
  }
  case MODEL_ABANDONED: {
    bool within = j->wait <= mx->within;
    mx->abandoned++;
    mx->abandoned_within += within;
    in->abandoned++;
    in->abandoned_within += within;
    if (cm) {
      cm->abandoned++;
      cm->abandoned_within += within;
    }
    break;
  }
  case MODEL_BALKED:
    mx->balked++;
    break;
  case MODEL_BLOCKED:
    mx->blocked++;
    break;
  case MODEL_SENT_AWAY:
    mx->sent_away++;
    break;
  }
}

#endif
