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

#include "models/metrics_state.h"
#include "models/model.h"
#include "models/results.h"
#include "sim/stats.h"

#if defined(__GNUC__)
#define MODEL_ALWAYS_INLINE __attribute__((always_inline))
#else
#define MODEL_ALWAYS_INLINE
#endif

void model_metrics_init(struct model_metrics *mx, const struct model *m);
void model_metrics_fini(struct model_metrics *mx);
/* End of warm-up: time-averages of the window start here. */
void model_metrics_warmup_end(struct model_metrics *mx, double t);
/* End of interval `interval` of the time series, at time t. */
void model_metrics_interval_end(struct model_metrics *mx, double t);
/* Doors close: the time-averages of the day are taken at t = horizon. */
void model_metrics_close(struct model_metrics *mx, double t);
/* The replication is over, every journey has ended: with classes the
 * sketch of all served journeys' waits is made as the merge of the
 * classes' (their counts are integers, so the merge is exact), and a
 * journey pays for one sketch, not two. Before model_metrics_result. */
void model_metrics_end(struct model_metrics *mx);

/* --- reported by the customer logic; `counted` is false during warm-up --- */

/* True when every journey is one visit at the model's one department (no
 * handoff, route, retrial or rework): its waits are the journeys' waits
 * (struct model_metrics, dept_waits_are_journeys). */
bool model_metrics_one_visit_journeys(const struct model *m);

/* `plain`, where a function below takes it, is the caller's constant
 * promise that the model is plain (models/office.h, model_office_plain):
 * one visit per journey at one department; `classes`, what it knows of
 * the model's classes. Passed as constants, the tests they settle fold
 * away; false and MODEL_CLASSES_ANY test each at run time. */
enum model_classes {
  MODEL_CLASSES_ANY,      /* tested at run time (mx->per_class) */
  MODEL_CLASSES_ONE,      /* one class, whose figures are the summary's */
  MODEL_CLASSES_SEVERAL,  /* more than one, each with figures of its own */
};

static inline bool model_metrics_per_class(const struct model_metrics *mx,
                                           const enum model_classes classes)
{
  return classes == MODEL_CLASSES_SEVERAL ||
         (classes == MODEL_CLASSES_ANY && mx->per_class);
}

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

/* Pools (models with pools only): members busy at a pool link, members
 * on duty in a pool, a counted customer whose service by a member of the
 * link's pool starts. */
static inline void model_metrics_pool_busy(struct model_metrics *mx, uint32_t link,
                                           double t, uint32_t busy)
{
  sim_timeavg_set(&mx->link_busy[link].level, t, (double)busy);
}

static inline void model_metrics_pool_staff(struct model_metrics *mx, uint32_t pool,
                                            double t, uint32_t staff)
{
  sim_timeavg_set(&mx->pool_staff[pool].level, t, (double)staff);
}

static inline void model_metrics_pool_served(struct model_metrics *mx, uint32_t link,
                                             bool counted)
{
  mx->link_served[link] += counted;
}

static inline void model_metrics_journey_start(struct model_metrics *mx,
                                               uint32_t cls, bool counted,
                                               const enum model_classes classes)
{
  if (!counted)
    return;
  mx->arrivals++;
  if (model_metrics_per_class(mx, classes))
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
  model_dept_series(mx, d)[k].arrivals++;
}

/* Service starts at d for a customer who arrived there in interval k and
 * waited `wait`. */
static inline void model_metrics_service_start(struct model_metrics *mx,
                                               uint32_t d, uint32_t k,
                                               double wait, bool counted,
                                               const bool plain)
{
  if (!counted)
    return;
  struct model_dept_metrics *dm = &mx->dept[d];
  bool within = wait <= mx->within;
  dm->wait_sum += wait;   /* in order, so the mean is the same to the bit */
  if (!plain && !mx->dept_waits_are_journeys)
    sim_sketch_add(&dm->wait_sketch, wait);
  struct model_interval *in = &model_dept_series(mx, d)[k];
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
    struct model_interval *in = &model_dept_series(mx, d)[k];
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
 * about 30 instructions a journey in spills). Returns the journey's
 * satisfaction score (what the trace writes; NaN when not counted). */
MODEL_ALWAYS_INLINE
static inline double model_metrics_journey_end(struct model_metrics *mx,
                                               const struct model_journey *j,
                                               bool counted, const bool plain,
                                               const enum model_classes classes)
{
  if (!counted)
    return NAN;
  /* With a single class its metrics are the summary's: nothing to add.
   * Tested as a bool, not as the pointer: a constant folds, and the
   * compiler cannot know the pointer from the class table not null. */
  const bool per_class = model_metrics_per_class(mx, classes);
  struct model_class_metrics *cm = per_class ? &mx->cls[j->cls] : NULL;
  const struct model *m = mx->model;
  double score = model_satisfaction_score(&m->satisfaction, j->outcome, j->wait,
                                          m->classes[j->cls].expect, j->passed_on,
                                          j->handoffs - j->passed_on, j->retrials,
                                          j->repeats);
  model_happiness_add(&mx->happiness, score);
  if (per_class)
    model_happiness_add(&cm->happiness, score);
  /* With one department every journey visits it: its satisfaction is
   * the summary's, taken at the end. */
  if (!plain && m->ndepartments > 1)
    for (uint64_t v = j->visited; v; v &= v - 1)
      model_happiness_add(&mx->dept[__builtin_ctzll(v)].happiness, score);
  /* With one department nearly every journey has no handoff: the group
   * of those is then the summary's totals less the other groups, taken at
   * the end, and the hot path pays one predictable branch. The call out
   * of line gets a copy: j's own address then never escapes, and the
   * compiler keeps its fields in registers instead of building the record
   * in memory for every journey. (The trace's call is the caller's,
   * finish_journey, which knows the loop kind.) */
  if (!plain && __builtin_expect(j->handoffs != 0 || mx->by_path, 0)) {
    struct model_journey copy = *j;
    model_metrics_journey_groups(mx, &copy, score);
  }
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
    if (!per_class)   /* else the merge of the classes' (model_metrics_end) */
      sim_sketch_add(&mx->wait_sketch, j->wait);
    sim_sum_add(&mx->sojourn, j->sojourn);
    in->served++;
    in->within += within;
    in->wait_sum += j->wait;
    if (per_class) {
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
    if (per_class) {
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
  return score;
}

#endif
