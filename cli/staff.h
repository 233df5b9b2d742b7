/*
 * cli/staff.h — `loket staff`: the staff each interval needs, found by
 * simulation, next to the per-interval Erlang C / Erlang A answer, and the
 * cheapest roster of shifts that covers it (docs/staffing.md).
 *
 * The method (Feldman, Mandelbaum, Massey & Whitt, Management Science 54
 * (2008) 324-338, iterative staffing, in its simplest form):
 *  1. An infinite-staff pass measures the demand of each planning interval
 *     (arrivals and offered load) with nobody waiting.
 *  2. Start from the per-interval Erlang plan (Erlang A where patience is
 *     exponential, else Erlang C), then simulate the whole model with
 *     common random numbers (same seed, same replications every pass) and
 *     add one person to every interval that misses a target, until every
 *     interval meets every target or is at max_staff.
 *  3. Minimality: take one person away from each interval in turn, keeping
 *     the removal only if no interval that met its targets now misses one
 *     (staff in one interval changes the queue in the next), until a whole
 *     round removes nobody; a removal rejected since the last kept one is
 *     not tried again (same staff, same random numbers: same rejection).
 * The number of simulations is capped (brief.max_simulations, by default
 * STAFF_MAX_SIMULATIONS); a plan stopped by the cap says so. A replication
 * that cannot run to its end (model_office_run fails) stops the plan, with
 * the reason in plan.error.
 *
 * The plan is a pure function of the model, the brief and the number of
 * replications: the same whatever the number of threads.
 *
 * An interval without any arrival at a department in the infinite-staff
 * pass ("doors closed") has no target: it keeps the scenario's staff.
 */
#ifndef LOKET_CLI_STAFF_H
#define LOKET_CLI_STAFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/options.h"
#include "models/model.h"
#include "models/roster.h"

#define STAFF_MAX_SIMULATIONS 2000

/* What was simulated in one interval of one department: means over
 * replications (and the 95 % half-width of the service level). */
struct staff_measures {
  double arrivals, service_level, service_level_half, abandoned, wait_mean;
  double busy, staff, utilization;
  bool met;            /* every target holds (closed intervals: true) */
};

struct staff_interval {
  double t_start, length;
  bool closed;                  /* no demand: no target, scenario's staff */
  double rate, offered_load;    /* from the infinite-staff pass */
  uint32_t required;            /* the plan found by simulation */
  uint32_t erlang_c, erlang_a;  /* per-interval formulas; erlang_a is
                                   UINT32_MAX without exponential patience;
                                   max_staff + 1: not reachable */
  struct staff_measures found;     /* the plan found, simulated */
  struct staff_measures erlang_c_sim;  /* the Erlang C plan, simulated */
  uint32_t roster_staff;        /* on duty (paid) in the roster, whole interval */
  struct staff_measures roster_sim;    /* the roster, simulated */
};

/* The plan of one department. */
struct staff_department {
  uint32_t index;               /* in the model */
  struct staff_interval *intervals;   /* nintervals */
  double day_service_level, day_service_level_half;          /* found plan */
  double erlang_c_day_service_level, erlang_c_day_service_level_half;
  bool erlang_a;                /* patience is exponential: Erlang A given */
  bool has_roster;              /* roster solved (see roster.status) */
  struct model_roster roster;
  double roster_day_service_level, roster_day_service_level_half;
};

/* The brief, with the defaults filled in (docs/staffing.md). */
struct staff_brief {
  double interval;
  double target_service_level, target_abandoned, target_wait_mean;
  uint32_t min_staff, max_staff;
  double shrinkage, confidence;
  size_t max_simulations;       /* the search's cap (STAFF_MAX_SIMULATIONS) */
};

struct staff_plan {
  struct staff_brief brief;
  uint32_t nintervals;
  struct staff_department *departments;
  size_t ndepartments;
  uint32_t replications;
  size_t simulations;           /* passes of all replications */
  bool capped;                  /* stopped by brief.max_simulations */
  size_t missed;                /* intervals missing a target at the end */
  bool searched;                /* false: the requirement was given */
  const char *error;            /* a replication failed (static text): the
                                   plan stopped there; NULL: none did */
  const char *error_phase;      /* which simulation */
  uint32_t error_replication;   /* 0-based */
};

/* The brief of model m (its staffing block, else the defaults: every
 * department, service_level.target). 0, or -1 with a message. */
int staff_brief_of(const struct model *m, struct staff_brief *b, char *err,
                   size_t errlen);

/* Plans the staff of the departments with plan[d] set (NULL: all) for
 * brief b. progress: print a line per simulation on stderr. */
void staff_plan_run(const struct model *m, const bool *plan,
                    const struct staff_brief *b, uint32_t replications,
                    unsigned jobs, bool progress, struct staff_plan *out);
void staff_plan_fini(struct staff_plan *p);

/* The plan from a requirement file (department,t_start,required_staff)
 * instead of the search. 0, or -1 with a located message. */
int staff_plan_from_requirement(const struct model *m, const bool *plan,
                                const struct staff_brief *b, const char *path,
                                struct staff_plan *out, char *err, size_t errlen);

/* The cheapest roster of m's staffing.shifts for each planned department's
 * paid requirement (ceil(required / (1 - shrinkage)) in open intervals),
 * then the roster simulated: on duty staff x (1 - shrinkage), rounded
 * down, serve. */
void staff_plan_roster(const struct model *m, struct staff_plan *p, unsigned jobs,
                       bool progress);

/* Staff hours of a plan's departments: required (found) or Erlang C. */
double staff_plan_hours(const struct model *m, const struct staff_plan *p,
                        bool erlang_c);

/* The YAML text of the scenario file `path` with the planned departments'
 * staff replaced by the found schedules, and `replications` set when
 * nonzero; the overrides `sets` (not applied to the text) are listed in
 * its opening comment. Aliases and merge keys are resolved into copies. A
 * planned department the text does not hold (added by one of `sets`)
 * gets its staff as one more override, departments.NAME.staff=[...],
 * listed after `sets` and returned in *added (*nadded of them; free each
 * and the array): the staffed scenario is the text with `sets`, then
 * *added. NULL with a message on failure. Free it. */
char *staff_yaml(const char *path, const struct model *m,
                 const struct staff_plan *p, uint32_t replications,
                 const char *const *sets, size_t nsets, char ***added, size_t *nadded,
                 char *err, size_t errlen);

/* `loket staff SCENARIO.yaml ...`: an exit status. */
int cli_staff(const struct options *o);

#endif
