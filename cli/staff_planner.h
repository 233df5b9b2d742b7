/*
 * cli/staff_planner.h — the planner of `loket staff`, shared by its parts
 * (not a public interface): the search for the staff per interval
 * (cli/staff_plan.c) and the roster built on its result
 * (cli/staff_roster.c) both simulate plans through it; the functions are
 * described where they are defined.
 */
#ifndef LOKET_CLI_STAFF_PLANNER_H
#define LOKET_CLI_STAFF_PLANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/staff.h"
#include "models/metrics.h"
#include "models/model.h"

/* Staff of the infinite-staff pass: the loader's upper bound for staff. */
#define STAFF_UNLIMITED 1000000u

/* The model the plan simulates: the scenario with the planning interval as
 * its time series' interval and the planned departments' staff replaced by
 * schedules this module owns. A shallow copy: everything else is shared
 * with (and only read from) the scenario's model. */
struct planner {
  const struct model *scenario;
  struct model work;
  struct model_department *departments;  /* work's, a copy */
  const struct staff_brief *brief;
  struct staff_plan *plan;
  struct model_step *steps;     /* ndepartments x nintervals */
  uint32_t *staff;              /* ndepartments (of the plan) x nintervals */
  struct model_result *results;
  uint32_t replications;
  unsigned jobs;
  bool progress;
  double started;
  /* For the confidence bound (NULL: the mean): t_quantiles[n] is Student
   * t's quantile at (1 + confidence) / 2 with n - 1 degrees of freedom,
   * for the n replications that define a measure (n = 2 .. replications). */
  double *t_quantiles;
};

uint32_t staff_paid(const struct staff_brief *b, uint32_t required);
void staff_planner_install(struct planner *pl, size_t p, const uint32_t *staff);
size_t staff_planner_simulate(struct planner *pl, struct staff_measures *into,
                              const char *phase);
void staff_planner_day_service_level(const struct planner *pl, size_t p, double *mean,
                                     double *half);
void staff_plan_init(const struct model *m, const bool *plan,
                     const struct staff_brief *b, uint32_t replications,
                     struct staff_plan *out);
void staff_planner_init(struct planner *pl, const struct model *m,
                        const struct staff_brief *b, struct staff_plan *out,
                        unsigned jobs, bool progress);
void staff_planner_fini(struct planner *pl);

#endif
