/*
 * models/results.h — the rows one replication yields (summary, departments,
 * classes, time series, journeys), their columns as X-macros so that the
 * CSV writers, the statistics across replications and the docs name the
 * same columns in the same order, and their making from what was
 * recorded (model_metrics_result). A metric that is undefined in a
 * replication (a mean over no customers) is NaN and written empty.
 */
#ifndef LOKET_MODELS_RESULTS_H
#define LOKET_MODELS_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "models/journeys.h"
#include "models/model.h"

struct model_metrics;
struct sim_sketch;

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

#define MODEL_TIMESERIES_COLUMNS(X) \
  X(arrivals) X(queue_mean) X(staff) X(busy_mean) X(wait_mean) \
  X(service_level) X(abandoned) X(served) X(abandoned_share) \
  X(service_level_alt)
/* pools.csv: a row per department a pool serves, then its total row
 * (department `all`). */
#define MODEL_POOL_COLUMNS(X) \
  X(served) X(busy_mean) X(staff_mean) X(utilization) X(staff_cost) \
  X(overtime_hours)
#define MODEL_ENUM_POOL(name) MODEL_POOL_##name,
enum { MODEL_POOL_COLUMNS(MODEL_ENUM_POOL) MODEL_POOL_NCOLS };
extern const char *const model_pool_columns[MODEL_POOL_NCOLS + 1];

/* Rows of pools.csv per replication, and the index of pool i's row k
 * (k < nserves: the department serves[k]; k = nserves: the total). */
static inline size_t model_pool_rows(const struct model *m)
{
  return m->npool_links + m->npools;
}
static inline size_t model_pool_row(const struct model *m, size_t i, size_t k)
{
  return m->pools[i].first_link + i + k;
}

#define MODEL_ENUM_TIMESERIES(name) MODEL_TIMESERIES_##name,
enum { MODEL_TIMESERIES_COLUMNS(MODEL_ENUM_TIMESERIES) MODEL_TIMESERIES_NCOLS };
extern const char *const model_timeseries_columns[MODEL_TIMESERIES_NCOLS + 1];

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
  double *pools;         /* model_pool_rows rows of MODEL_POOL_NCOLS; NULL
                            without pools */
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


/* Fills the result rows; end is the time the last customer left. */
void model_metrics_result(const struct model_metrics *mx, double end,
                          struct model_result *r);

#endif
