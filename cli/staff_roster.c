/*
 * cli/staff_roster.c — the cheapest roster of shifts for a plan (GLPK, via
 * models/roster.c), and the plan from a given requirement.
 */
#include "cli/staff.h"
#include "cli/staff_planner.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <libfyaml.h>

#include "cli/commands.h"
#include "cli/report.h"
#include "models/erlang.h"
#include "models/metrics.h"
#include "models/office.h"
#include "models/roster.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/csvread.h"
#include "sim/progress.h"
#include "sim/runner.h"
#include "sim/stats.h"

/* ---- the roster ----------------------------------------------------------- */

static int compare_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The serving staff of a roster as a schedule: a step at every start, end
 * and break of a rostered shift, on duty x (1 - shrinkage) rounded down. */
static struct model_step *roster_schedule(const struct model_roster *r, double horizon,
                                          double shrinkage, size_t *nsteps)
{
  double *times = sim_xmalloc((4 * r->ncolumns + 1) * sizeof *times);
  size_t n = 0;
  times[n++] = 0;
  for (size_t j = 0; j < r->ncolumns; j++) {
    const struct model_roster_column *c = &r->columns[j];
    if (c->count == 0)
      continue;
    double at[4] = {c->start, c->end, c->break_start, c->break_end};
    for (int i = 0; i < (c->has_break ? 4 : 2); i++)
      if (at[i] > 0 && at[i] < horizon)
        times[n++] = at[i];
  }
  qsort(times, n, sizeof *times, compare_double);
  struct model_step *steps = sim_xmalloc(n * sizeof *steps);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && times[i] - times[i - 1] < 1e-9)
      continue;
    double staff = floor(model_roster_on_duty(r, times[i]) * (1 - shrinkage) + 1e-9);
    if (m > 0 && steps[m - 1].value == staff)
      continue;
    steps[m++] = (struct model_step){times[i], staff};
  }
  free(times);
  *nsteps = m;
  return steps;
}

void staff_plan_roster(const struct model *m, struct staff_plan *p, unsigned jobs,
                       bool progress)
{
  const struct model_staffing *st = &m->staffing;
  uint32_t K = p->nintervals;
  uint32_t *required = sim_xcalloc(K, sizeof *required);
  struct model_step **schedules = sim_xcalloc(p->ndepartments, sizeof *schedules);
  struct planner pl;
  staff_planner_init(&pl, m, &p->brief, p, jobs, progress);
  for (size_t d = 0; d < p->ndepartments; d++) {
    struct staff_department *sd = &p->departments[d];
    const struct model_department *dep = &m->departments[sd->index];
    for (uint32_t k = 0; k < K; k++)
      required[k] = sd->intervals[k].closed ? 0 : staff_paid(&p->brief, sd->intervals[k].required);
    struct model_roster_problem problem = {
      .shifts = st->shifts, .nshifts = st->nshifts, .interval = p->brief.interval,
      .horizon = m->horizon, .units_per_hour = m->units_per_hour,
      .required = required, .nintervals = K,
      .cost_per_paid_hour = isnan(st->cost_per_paid_hour) ? dep->cost_per_staff_hour
                                                          : st->cost_per_paid_hour,
      .time_limit = 20,
    };
    model_roster_solve(&problem, &sd->roster);
    sd->has_roster = true;
    for (uint32_t k = 0; k < K; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      uint32_t on = 0;
      for (size_t j = 0; j < sd->roster.ncolumns; j++)
        if (model_roster_covers(&sd->roster.columns[j], in->t_start,
                                in->t_start + in->length))
          on += sd->roster.columns[j].count;
      sd->intervals[k].roster_staff = on;
    }
    /* A failed roster is simulated as the plan itself. */
    struct model_department *work = &pl.departments[sd->index];
    if (sd->roster.status == MODEL_ROSTER_FAILED) {
      for (uint32_t k = 0; k < K; k++)
        pl.staff[d * K + k] = sd->intervals[k].required;
      staff_planner_install(&pl, d, pl.staff + d * K);
      continue;
    }
    size_t n;
    schedules[d] = roster_schedule(&sd->roster, m->horizon, p->brief.shrinkage, &n);
    work->staff_schedule = schedules[d];
    work->nstaff_steps = n;
    work->staff = (uint32_t)schedules[d][0].value;
  }
  struct staff_measures *now = sim_xcalloc(p->ndepartments * K, sizeof *now);
  size_t simulations = p->simulations;
  staff_planner_simulate(&pl, now, "roster");
  p->simulations = simulations;   /* the search's count */
  for (size_t d = 0; d < p->ndepartments; d++) {
    struct staff_department *sd = &p->departments[d];
    for (uint32_t k = 0; k < K && !p->error; k++)
      sd->intervals[k].roster_sim = now[d * K + k];
    if (!p->error)
      staff_planner_day_service_level(&pl, d, &sd->roster_day_service_level,
                        &sd->roster_day_service_level_half);
    free(schedules[d]);
  }
  staff_planner_fini(&pl);
  free(now);
  free(schedules);
  free(required);
}

int staff_plan_from_requirement(const struct model *m, const bool *plan,
                                const struct staff_brief *b, const char *path,
                                struct staff_plan *out, char *err, size_t errlen)
{
  staff_plan_init(m, plan, b, m->replications, out);
  struct sim_csv_reader r;
  if (sim_csv_reader_open(&r, path) != 0) {
    snprintf(err, errlen, "%s", r.error);
    return -1;
  }
  int dept_col = sim_csv_reader_require(&r, "department");
  int t_col = dept_col < 0 ? -1 : sim_csv_reader_require(&r, "t_start");
  int staff_col = t_col < 0 ? -1 : sim_csv_reader_require(&r, "required_staff");
  int rc = staff_col < 0 ? -1 : 0, got = 0;
  /* Each department's interval once: a second row would overwrite the
   * first without a word. */
  bool *given = sim_xcalloc(out->ndepartments * out->nintervals + 1, sizeof *given);
  while (rc == 0 && (got = sim_csv_reader_next(&r)) == 1) {
    const char *dept = sim_csv_reader_field(&r, (size_t)dept_col);
    size_t d = 0;
    while (d < out->ndepartments &&
           strcmp(m->departments[out->departments[d].index].name, dept) != 0)
      d++;
    double t;
    uint64_t staff;
    if (d == out->ndepartments) {
      rc = sim_csv_reader_fail(&r, "'%.200s' is not a department being planned", dept);
    } else if (sim_csv_reader_num(&r, (size_t)t_col, false, &t) != 0 ||
               sim_csv_reader_count(&r, (size_t)staff_col, 0, 1000000, &staff) != 0) {
      rc = -1;
    } else {
      double k = t / b->interval;
      if (!(t >= 0 && t < m->horizon) || fabs(k - round(k)) > 1e-6 ||
          (uint32_t)llround(k) >= out->nintervals)
        rc = sim_csv_reader_fail(&r, "t_start must be the start of a planning "
                                 "interval (a multiple of %g before %g), got %g",
                                 b->interval, m->horizon, t);
      else if (given[d * out->nintervals + (uint32_t)llround(k)])
        rc = sim_csv_reader_fail(&r, "department '%.200s' at t_start %g is given twice",
                                 dept, t);
      else {
        given[d * out->nintervals + (uint32_t)llround(k)] = true;
        out->departments[d].intervals[(uint32_t)llround(k)].required = (uint32_t)staff;
      }
    }
  }
  free(given);
  if (got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}
