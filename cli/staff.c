#include "cli/staff.h"

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

/* Staff of the infinite-staff pass: the loader's upper bound for staff. */
#define STAFF_UNLIMITED 1000000u

/* ---- the brief ------------------------------------------------------------ */

int staff_brief_of(const struct model *m, struct staff_brief *b, char *err,
                   size_t errlen)
{
  const struct model_staffing *s = &m->staffing;
  *b = (struct staff_brief){
    .interval = m->interval, .target_service_level = NAN,
    .target_abandoned = NAN, .target_wait_mean = NAN, .min_staff = 0,
    .max_staff = 1000, .shrinkage = 0, .confidence = 0,
    .max_simulations = STAFF_MAX_SIMULATIONS,
  };
  if (s->present) {
    if (s->interval > 0)
      b->interval = s->interval;
    b->target_service_level = s->target_service_level;
    b->target_abandoned = s->target_abandoned;
    b->target_wait_mean = s->target_wait_mean;
    b->min_staff = s->min_staff;
    b->max_staff = s->max_staff;
    b->shrinkage = s->shrinkage;
    b->confidence = s->confidence;
  }
  /* Without a target of its own the plan aims at service_level.target. */
  if (isnan(b->target_service_level) && isnan(b->target_abandoned) &&
      isnan(b->target_wait_mean))
    b->target_service_level = m->service_level_target;
  if (isnan(b->target_service_level) && isnan(b->target_abandoned) &&
      isnan(b->target_wait_mean)) {
    snprintf(err, errlen, "loket staff needs a target: give staffing.target "
             "(service_level, abandoned or wait_mean) or service_level.target");
    return -1;
  }
  if (b->min_staff > b->max_staff) {
    snprintf(err, errlen, "staffing.min_staff (%u) is above staffing.max_staff (%u)",
             b->min_staff, b->max_staff);
    return -1;
  }
  return 0;
}

static uint32_t paid(const struct staff_brief *b, uint32_t required)
{
  return (uint32_t)ceil(required / (1 - b->shrinkage) - 1e-9);
}

/* ---- simulating a plan ---------------------------------------------------- */

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
  double t_quantile;            /* for the confidence bound; 0: the mean */
};

static int run_task(void *ctx, size_t task, void *result)
{
  const struct model *m = ctx;
  return model_office_run(m, m->seed, (uint32_t)task, result);
}

/* The staff the scenario gives department d at time t. */
static uint32_t scenario_staff_at(const struct model_department *dep, double t)
{
  uint32_t staff = dep->staff;
  for (size_t i = 0; i < dep->nstaff_steps && dep->staff_schedule[i].at <= t; i++)
    staff = (uint32_t)dep->staff_schedule[i].value;
  return staff;
}

/* Installs staff[] (one value per planning interval) as department p's
 * schedule, with a step only where the staff changes. */
static void install(struct planner *pl, size_t p, const uint32_t *staff)
{
  struct staff_department *sd = &pl->plan->departments[p];
  struct model_department *dep = &pl->departments[sd->index];
  uint32_t K = pl->plan->nintervals;
  struct model_step *steps = pl->steps + p * K;
  size_t n = 0;
  for (uint32_t k = 0; k < K; k++)
    if (k == 0 || staff[k] != staff[k - 1])
      steps[n++] = (struct model_step){sd->intervals[k].t_start, staff[k]};
  dep->staff = staff[0];
  dep->staff_schedule = steps;
  dep->nstaff_steps = n;
}

static void say(struct planner *pl, const char *phase, size_t missing)
{
  if (!pl->progress)
    return;
  double hours = 0;
  uint32_t K = pl->plan->nintervals;
  for (size_t p = 0; p < pl->plan->ndepartments; p++)
    for (uint32_t k = 0; k < K; k++)
      hours += pl->staff[p * K + k] * pl->plan->departments[p].intervals[k].length;
  /* The demand pass has unlimited staff, the roster its own schedule. */
  char staff[64] = "unlimited staff";
  if (!strcmp(phase, "roster"))
    snprintf(staff, sizeof staff, "the roster's staff");
  else if (strcmp(phase, "demand") != 0)
    snprintf(staff, sizeof staff, "%.1f staff hours", hours / pl->scenario->units_per_hour);
  fprintf(stderr, "staff: simulation %zu (%s): %zu interval%s below target, %s, "
          "%.1f s\n", pl->plan->simulations, phase, missing, missing == 1 ? "" : "s",
          staff, sim_progress_now() - pl->started);
}

static double tally_bound(const struct sim_tally *t, double t_quantile, int sign)
{
  double mean = sim_tally_mean(t);
  if (t_quantile == 0)
    return mean;
  double half = t->n >= 2 ? t_quantile * sqrt(sim_tally_variance(t) / (double)t->n)
                          : NAN;
  return mean + sign * half;
}

/* Measures of interval k of plan department p from the last simulation. */
static void measure(const struct planner *pl, size_t p, uint32_t k,
                    struct staff_measures *out)
{
  const struct staff_brief *b = pl->brief;
  uint32_t d = pl->plan->departments[p].index, K = pl->plan->nintervals;
  struct sim_tally sl, ab, wait;
  sim_tally_init(&sl);
  sim_tally_init(&ab);
  sim_tally_init(&wait);
  double arrivals = 0, busy = 0, staff = 0;
  for (uint32_t i = 0; i < pl->replications; i++) {
    const double *row = pl->results[i].timeseries +
                        ((size_t)d * K + k) * MODEL_TIMESERIES_NCOLS;
    double n = row[MODEL_TIMESERIES_arrivals];
    arrivals += n;
    busy += row[MODEL_TIMESERIES_busy_mean];
    staff += row[MODEL_TIMESERIES_staff];
    if (!isnan(row[MODEL_TIMESERIES_service_level]))
      sim_tally_add(&sl, row[MODEL_TIMESERIES_service_level]);
    if (!isnan(row[MODEL_TIMESERIES_abandoned_share]))
      sim_tally_add(&ab, row[MODEL_TIMESERIES_abandoned_share]);
    if (!isnan(row[MODEL_TIMESERIES_wait_mean]))
      sim_tally_add(&wait, row[MODEL_TIMESERIES_wait_mean]);
  }
  double reps = pl->replications;
  *out = (struct staff_measures){
    .arrivals = arrivals / reps, .service_level = sim_tally_mean(&sl),
    .service_level_half = sim_tally_ci95_halfwidth(&sl),
    .abandoned = sim_tally_mean(&ab), .wait_mean = sim_tally_mean(&wait),
    .busy = busy / reps, .staff = staff / reps,
    .utilization = staff > 0 ? busy / staff : NAN, .met = true,
  };
  if (arrivals == 0)
    return;   /* nobody to serve: nothing to miss */
  double q = pl->t_quantile;
  if (!isnan(b->target_service_level) &&
      !(tally_bound(&sl, q, -1) >= b->target_service_level - 1e-12))
    out->met = false;
  if (!isnan(b->target_abandoned) &&
      !(tally_bound(&ab, q, +1) <= b->target_abandoned + 1e-12))
    out->met = false;
  if (!isnan(b->target_wait_mean) &&
      !(tally_bound(&wait, q, +1) <= b->target_wait_mean + 1e-12))
    out->met = false;
}

/* Simulates the current staff[] and fills `into` (ndepartments x nintervals
 * measures); returns the number of open intervals missing a target. */
static size_t simulate_installed(struct planner *pl, struct staff_measures *into,
                                 const char *phase)
{
  uint32_t K = pl->plan->nintervals;
  struct sim_runner runner = {
    .ntasks = pl->replications, .jobs = pl->jobs, .fn = run_task,
    .ctx = &pl->work, .results = pl->results, .result_size = sizeof *pl->results,
  };
  int rc = sim_runner_run(&runner);
  pl->plan->simulations++;
  if (rc != 0) {
    /* Too many customers at once, say: the plan cannot go on. */
    struct staff_plan *plan = pl->plan;
    plan->error = "a replication failed";
    plan->error_phase = phase;
    for (uint32_t i = 0; i < pl->replications; i++)
      if (pl->results[i].error) {
        plan->error = pl->results[i].error;
        plan->error_replication = i;
        break;
      }
    return 0;
  }
  size_t missing = 0;
  for (size_t p = 0; p < pl->plan->ndepartments; p++)
    for (uint32_t k = 0; k < K; k++) {
      struct staff_measures *x = &into[p * K + k];
      measure(pl, p, k, x);
      missing += !x->met && !pl->plan->departments[p].intervals[k].closed;
    }
  say(pl, phase, missing);
  return missing;
}

static size_t simulate(struct planner *pl, struct staff_measures *into,
                       const char *phase)
{
  uint32_t K = pl->plan->nintervals;
  for (size_t p = 0; p < pl->plan->ndepartments; p++)
    install(pl, p, pl->staff + p * K);
  return simulate_installed(pl, into, phase);
}

/* The day's service level of each planned department (departments.csv's
 * service_level, mean and 95 % half-width over replications). */
static void day_service_level(const struct planner *pl, size_t p, double *mean,
                              double *half)
{
  struct sim_tally t;
  sim_tally_init(&t);
  uint32_t d = pl->plan->departments[p].index;
  for (uint32_t i = 0; i < pl->replications; i++) {
    double x = pl->results[i].departments[(size_t)d * MODEL_DEPARTMENT_NCOLS +
                                          MODEL_DEPARTMENT_service_level];
    if (!isnan(x))
      sim_tally_add(&t, x);
  }
  *mean = sim_tally_mean(&t);
  *half = sim_tally_ci95_halfwidth(&t);
}

/* The Erlang view of department d: its arrival rate per interval comes from
 * the infinite-staff pass, and so does the mean service time when classes
 * have services of their own or service may end in a handoff (the busy
 * time per arrival); else it is the department's. Erlang A applies when
 * every class waits with the same exponential patience. */
static void erlang_queue(const struct model *m, uint32_t d, double work_per_arrival,
                         bool *erlang_a, struct model_erlang_queue *q)
{
  const struct model_department *dep = &m->departments[d];
  bool plain = !dep->has_handoff;
  for (size_t c = 0; c < m->nclasses; c++)
    plain = plain && dep->visit[c].service == &dep->service;
  q->service_mean = plain || !(work_per_arrival > 0) ? dep->service.mean
                                                     : work_per_arrival;
  q->patience_mean = INFINITY;
  const struct model_dist *first = dep->visit[0].patience;
  *erlang_a = first && first->kind == MODEL_DIST_EXPONENTIAL;
  for (size_t c = 0; c < m->nclasses && *erlang_a; c++) {
    const struct model_dist *pt = dep->visit[c].patience;
    *erlang_a = pt && pt->kind == MODEL_DIST_EXPONENTIAL && pt->mean == first->mean;
  }
  if (*erlang_a)
    q->patience_mean = first->mean;
}

/* The plan's departments and intervals, before anything is known. */
static void plan_init(const struct model *m, const bool *plan,
                      const struct staff_brief *b, uint32_t replications,
                      struct staff_plan *out)
{
  memset(out, 0, sizeof *out);
  out->brief = *b;
  out->replications = replications;
  double count = ceil(m->horizon / b->interval - 1e-9);
  uint32_t K = count < 1 ? 1 : (uint32_t)count;
  out->nintervals = K;
  for (size_t d = 0; d < m->ndepartments; d++)
    out->ndepartments += !plan || plan[d];
  out->departments = sim_xcalloc(out->ndepartments, sizeof *out->departments);
  size_t p = 0;
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    if (plan && !plan[d])
      continue;
    struct staff_department *sd = &out->departments[p++];
    sd->index = d;
    sd->intervals = sim_xcalloc(K, sizeof *sd->intervals);
    for (uint32_t k = 0; k < K; k++) {
      double start = k * b->interval, end = start + b->interval;
      sd->intervals[k].t_start = start;
      sd->intervals[k].length = (end < m->horizon ? end : m->horizon) - start;
      sd->intervals[k].erlang_c = sd->intervals[k].erlang_a = UINT32_MAX;
    }
  }
}

static void planner_init(struct planner *pl, const struct model *m,
                         const struct staff_brief *b, struct staff_plan *out,
                         unsigned jobs, bool progress)
{
  uint32_t K = out->nintervals, replications = out->replications;
  *pl = (struct planner){
    .scenario = m, .work = *m, .brief = b, .plan = out,
    .replications = replications, .jobs = jobs, .progress = progress,
    .started = sim_progress_now(),
  };
  if (b->confidence > 0)
    pl->t_quantile = gsl_cdf_tdist_Pinv((1 + b->confidence) / 2,
                                        replications > 1 ? replications - 1 : 1);
  pl->departments = sim_xcalloc(m->ndepartments, sizeof *pl->departments);
  memcpy(pl->departments, m->departments, m->ndepartments * sizeof *pl->departments);
  pl->work.departments = pl->departments;
  pl->work.interval = b->interval;
  pl->work.nintervals = K;
  pl->work.trace_customers = false;
  pl->steps = sim_xcalloc(out->ndepartments * K, sizeof *pl->steps);
  pl->staff = sim_xcalloc(out->ndepartments * K, sizeof *pl->staff);
  pl->results = sim_xcalloc(replications, sizeof *pl->results);
  for (uint32_t i = 0; i < replications; i++)
    model_result_init(&pl->results[i], &pl->work);
}

static void planner_fini(struct planner *pl)
{
  for (uint32_t i = 0; i < pl->replications; i++)
    model_result_fini(&pl->results[i]);
  free(pl->results);
  free(pl->staff);
  free(pl->steps);
  free(pl->departments);
}

void staff_plan_run(const struct model *m, const bool *plan,
                    const struct staff_brief *b, uint32_t replications,
                    unsigned jobs, bool progress, struct staff_plan *out)
{
  plan_init(m, plan, b, replications, out);
  out->searched = true;
  uint32_t K = out->nintervals;
  struct planner pl;
  planner_init(&pl, m, b, out, jobs, progress);
  size_t cells = out->ndepartments * K;
  struct staff_measures *now = sim_xcalloc(cells, sizeof *now);
  struct staff_measures *best = sim_xcalloc(cells, sizeof *best);

  size_t p;
  /* 1. Demand: everyone served at once. */
  for (size_t i = 0; i < cells; i++)
    pl.staff[i] = STAFF_UNLIMITED;
  simulate(&pl, now, "demand");
  if (out->error)
    goto done;
  struct model_erlang_target target = {
    .within = m->service_level_within, .service_level = b->target_service_level,
    .abandoned = b->target_abandoned, .wait_mean = b->target_wait_mean,
  };
  for (p = 0; p < out->ndepartments; p++) {
    struct staff_department *sd = &out->departments[p];
    double busy = 0, arrivals = 0;
    for (uint32_t k = 0; k < K; k++) {
      busy += now[p * K + k].busy * sd->intervals[k].length;
      arrivals += now[p * K + k].arrivals;
    }
    struct model_erlang_queue q;
    erlang_queue(m, sd->index, arrivals > 0 ? busy / arrivals : NAN, &sd->erlang_a, &q);
    for (uint32_t k = 0; k < K; k++) {
      struct staff_interval *in = &sd->intervals[k];
      const struct staff_measures *x = &now[p * K + k];
      in->closed = x->arrivals == 0;
      in->rate = x->arrivals / in->length;
      in->offered_load = x->busy;
      q.rate = in->rate;
      in->erlang_c = model_erlang_staff(&q, 0, &target, b->min_staff, b->max_staff);
      in->erlang_a = sd->erlang_a ? model_erlang_staff(&q, 1, &target, b->min_staff,
                                                       b->max_staff)
                                  : UINT32_MAX;
      uint32_t start = sd->erlang_a ? in->erlang_a : in->erlang_c;
      pl.staff[p * K + k] =
          in->closed ? scenario_staff_at(&m->departments[sd->index], in->t_start)
                     : start > b->max_staff ? b->max_staff : start;
    }
  }

  /* 2. Up: one more person wherever a target is missed. */
  size_t missing = simulate(&pl, now, "raising");
  while (missing > 0 && !out->error && out->simulations < b->max_simulations) {
    bool raised = false;
    for (size_t i = 0; i < cells; i++) {
      const struct staff_interval *in = &out->departments[i / K].intervals[i % K];
      if (!in->closed && !now[i].met && pl.staff[i] < b->max_staff) {
        pl.staff[i]++;
        raised = true;
      }
    }
    if (!raised)
      break;   /* whatever still misses is at max_staff */
    missing = simulate(&pl, now, "raising");
  }
  memcpy(best, now, cells * sizeof *best);

  /* 3. Minimality: one person less where no met target is lost. A
   * removal's outcome depends only on the staff and on which intervals
   * met their targets, which change only when a removal is kept; so a
   * removal rejected since the last kept one would be rejected again (the
   * same simulation, common random numbers) and is not tried. */
  size_t kept_removals = 0;
  size_t *rejected_at = sim_xcalloc(cells, sizeof *rejected_at);
  for (size_t i = 0; i < cells; i++)
    rejected_at[i] = SIZE_MAX;
  bool removed = true, current = true;   /* now[] and results: the plan's */
  while (removed && !out->error && out->simulations < b->max_simulations) {
    removed = false;
    for (size_t i = 0; i < cells && !out->error &&
                       out->simulations < b->max_simulations; i++) {
      const struct staff_interval *in = &out->departments[i / K].intervals[i % K];
      while (!in->closed && best[i].met && pl.staff[i] > b->min_staff &&
             rejected_at[i] != kept_removals &&
             out->simulations < b->max_simulations) {
        pl.staff[i]--;
        simulate(&pl, now, "minimising");
        if (out->error)
          break;
        bool kept = true;
        for (size_t j = 0; j < cells && kept; j++)
          kept = now[j].met || !best[j].met;
        if (!kept) {
          pl.staff[i]++;
          rejected_at[i] = kept_removals;
          current = false;
          break;
        }
        memcpy(best, now, cells * sizeof *best);
        kept_removals++;
        removed = current = true;
      }
    }
  }
  free(rejected_at);
  out->capped = out->simulations >= b->max_simulations;

  /* The plan found, simulated once more for the day's figures when the
   * last simulation was a rejected removal. */
  if (!current && !out->error)
    simulate(&pl, now, "final");
  if (out->error)
    goto done;
  for (p = 0; p < out->ndepartments; p++) {
    struct staff_department *sd = &out->departments[p];
    for (uint32_t k = 0; k < K; k++) {
      sd->intervals[k].required = pl.staff[p * K + k];
      sd->intervals[k].found = now[p * K + k];
      out->missed += !now[p * K + k].met && !sd->intervals[k].closed;
    }
    day_service_level(&pl, p, &sd->day_service_level, &sd->day_service_level_half);
  }

  /* The Erlang C plan in the same simulation: what the formula delivers. */
  for (p = 0; p < out->ndepartments; p++)
    for (uint32_t k = 0; k < K; k++) {
      const struct staff_interval *in = &out->departments[p].intervals[k];
      if (!in->closed)
        pl.staff[p * K + k] = in->erlang_c > b->max_staff ? b->max_staff : in->erlang_c;
    }
  simulate(&pl, now, "Erlang C plan");
  for (p = 0; p < out->ndepartments && !out->error; p++) {
    struct staff_department *sd = &out->departments[p];
    for (uint32_t k = 0; k < K; k++)
      sd->intervals[k].erlang_c_sim = now[p * K + k];
    day_service_level(&pl, p, &sd->erlang_c_day_service_level,
                      &sd->erlang_c_day_service_level_half);
  }

done:
  planner_fini(&pl);
  free(now);
  free(best);
}

void staff_plan_fini(struct staff_plan *p)
{
  for (size_t d = 0; d < p->ndepartments; d++) {
    free(p->departments[d].intervals);
    if (p->departments[d].has_roster)
      model_roster_fini(&p->departments[d].roster);
  }
  free(p->departments);
  p->departments = NULL;
}

double staff_plan_hours(const struct model *m, const struct staff_plan *p,
                        bool erlang_c)
{
  double hours = 0;
  for (size_t d = 0; d < p->ndepartments; d++)
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &p->departments[d].intervals[k];
      uint32_t c = in->required;
      if (erlang_c && !in->closed)
        c = in->erlang_c > p->brief.max_staff ? p->brief.max_staff : in->erlang_c;
      hours += c * in->length;
    }
  return hours / m->units_per_hour;
}


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
  planner_init(&pl, m, &p->brief, p, jobs, progress);
  for (size_t d = 0; d < p->ndepartments; d++) {
    struct staff_department *sd = &p->departments[d];
    const struct model_department *dep = &m->departments[sd->index];
    for (uint32_t k = 0; k < K; k++)
      required[k] = sd->intervals[k].closed ? 0 : paid(&p->brief, sd->intervals[k].required);
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
      install(&pl, d, pl.staff + d * K);
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
  simulate_installed(&pl, now, "roster");
  p->simulations = simulations;   /* the search's count */
  for (size_t d = 0; d < p->ndepartments; d++) {
    struct staff_department *sd = &p->departments[d];
    for (uint32_t k = 0; k < K && !p->error; k++)
      sd->intervals[k].roster_sim = now[d * K + k];
    if (!p->error)
      day_service_level(&pl, d, &sd->roster_day_service_level,
                        &sd->roster_day_service_level_half);
    free(schedules[d]);
  }
  planner_fini(&pl);
  free(now);
  free(schedules);
  free(required);
}

int staff_plan_from_requirement(const struct model *m, const bool *plan,
                                const struct staff_brief *b, const char *path,
                                struct staff_plan *out, char *err, size_t errlen)
{
  plan_init(m, plan, b, m->replications, out);
  struct sim_csv_reader r;
  if (sim_csv_reader_open(&r, path) != 0) {
    snprintf(err, errlen, "%s", r.error);
    return -1;
  }
  int dept_col = sim_csv_reader_require(&r, "department");
  int t_col = dept_col < 0 ? -1 : sim_csv_reader_require(&r, "t_start");
  int staff_col = t_col < 0 ? -1 : sim_csv_reader_require(&r, "required_staff");
  int rc = staff_col < 0 ? -1 : 0, got = 0;
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
      else
        out->departments[d].intervals[(uint32_t)llround(k)].required = (uint32_t)staff;
    }
  }
  if (got < 0)
    rc = -1;
  if (rc != 0)
    snprintf(err, errlen, "%s", r.error);
  sim_csv_reader_fini(&r);
  return rc;
}

/* ---- staffed.yaml --------------------------------------------------------- */

/* "09:30" when t (since opening) is a whole minute of the clock, else the
 * number of time units. */
static void time_text(char *buf, size_t len, const struct model *m, double t)
{
  double minutes = (m->opens + t) * 60.0 / m->units_per_hour;
  double whole = round(minutes);
  if (fabs(minutes - whole) < 1e-9 && whole < 24 * 60)
    snprintf(buf, len, "\"%02ld:%02ld\"", (long)whole / 60, (long)whole % 60);
  else
    snprintf(buf, len, "%.17g", t);
}

static char *read_text(const char *path, size_t *len, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 4096, n = 0, got;
  char *text = sim_xmalloc(cap + 1);
  while ((got = fread(text + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap)
      text = sim_xrealloc(text, (cap *= 2) + 1, 1);
  fclose(f);
  text[n] = '\0';
  *len = n;
  return text;
}

/* Sets map[key] to the YAML text `yaml`, which libfyaml reads in place: it
 * must outlive the document. */
static bool set_value(struct fy_document *doc, struct fy_node *map, const char *key,
                      const char *yaml)
{
  struct fy_node *value = fy_node_build_from_string(doc, yaml, FY_NT);
  if (!value)
    return false;
  struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_string(map, key, FY_NT);
  if (pair)
    return fy_node_pair_set_value(pair, value) == 0;
  struct fy_node *name = fy_node_create_scalar_copy(doc, key, FY_NT);
  return name && fy_node_mapping_append(map, name, value) == 0;
}

char *staff_yaml(const char *path, const struct model *m,
                 const struct staff_plan *p, uint32_t replications,
                 const char *const *sets, size_t nsets, char *err, size_t errlen)
{
  size_t len;
  char *text = read_text(path, &len, err, errlen);
  if (!text)
    return NULL;
  /* Comments are not kept: libfyaml's support for them is experimental. */
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET};
  struct fy_document *doc = fy_document_build_from_string(&cfg, text, len);
  struct fy_node *root = doc ? fy_document_root(doc) : NULL;
  struct fy_node *depts = root ? fy_node_mapping_lookup_by_string(root, "departments",
                                                                  FY_NT) : NULL;
  bool ok = depts != NULL;
  char **texts = sim_xcalloc(p->ndepartments, sizeof *texts);
  char reps[32];
  for (size_t d = 0; ok && d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    struct fy_node *dep = fy_node_mapping_lookup_by_string(
        depts, m->departments[sd->index].name, FY_NT);
    size_t cap = 64 + 48 * (size_t)p->nintervals, n = 0;
    char *steps = texts[d] = sim_xmalloc(cap);
    steps[0] = '\0';
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      if (k > 0 && in->required == sd->intervals[k - 1].required)
        continue;
      char at[64];
      time_text(at, sizeof at, m, in->t_start);
      n += (size_t)snprintf(steps + n, cap - n, "- {at: %s, staff: %u}\n", at,
                            in->required);
    }
    ok = dep && set_value(doc, dep, "staff", steps);
  }
  if (ok && replications > 0) {
    snprintf(reps, sizeof reps, "%u", replications);
    ok = set_value(doc, root, "replications", reps);
  }
  char *body = ok ? fy_emit_document_to_string(doc, FYECF_MODE_BLOCK) : NULL;
  if (doc)
    fy_document_destroy(doc);
  for (size_t d = 0; d < p->ndepartments; d++)
    free(texts[d]);
  free(texts);
  free(text);
  if (!body) {
    snprintf(err, errlen, "cannot rewrite the staff of '%s'", path);
    return NULL;
  }
  static const char head[] =
      "# The staff schedules below were found by `loket staff` (staffing.csv\n"
      "# has the plan per interval); the rest is the scenario as it was,\n"
      "# written out again without its comments.\n";
  /* The overrides are not in the text: say so, each on a comment line of
   * its own (control characters shown as spaces, so none ends the
   * comment). */
  size_t extra = 0;
  for (size_t i = 0; i < nsets; i++)
    extra += strlen(sets[i]) + 16;
  static const char with_sets[] =
      "# It was planned with these overrides, which are not written into it;\n"
      "# give them to `loket run` again:\n";
  char *out = sim_xmalloc(sizeof head + sizeof with_sets + extra + strlen(body));
  strcpy(out, head);
  if (nsets > 0)
    strcat(out, with_sets);
  size_t n = strlen(out);
  for (size_t i = 0; i < nsets; i++) {
    n += (size_t)sprintf(out + n, "#   --set ");
    for (const char *c = sets[i]; *c; c++)
      out[n++] = (unsigned char)*c < 0x20 || *c == 0x7f ? ' ' : *c;
    out[n++] = '\n';
  }
  strcpy(out + n, body);
  free(body);
  return out;
}

/* ---- the command ---------------------------------------------------------- */

static const char *const staffing_columns[] = {
  "department", "t_start", "clock", "arrivals_mean", "offered_load",
  "required_staff", "paid_staff", "service_level", "service_level_ci95",
  "abandoned", "wait_mean", "utilization", "meets_target", "erlang_c_staff",
  "erlang_a_staff", "erlang_c_service_level", "erlang_c_service_level_ci95",
  "roster_staff", "roster_service_level", "roster_service_level_ci95", NULL};

/* "09:15" for a time since opening (hours beyond 24 keep counting). */
static void clock_of(char *buf, size_t len, const struct model *m, double t)
{
  double minutes = (m->opens + t) * 60.0 / m->units_per_hour;
  long whole = (long)floor(minutes + 1e-6);
  snprintf(buf, len, "%02ld:%02ld", whole / 60, whole % 60);
}

static void write_staffing(struct sim_csv *csv, const struct model *m,
                           const struct staff_plan *p)
{
  sim_csv_header(csv, staffing_columns);
  for (size_t d = 0; d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      char clock[32];
      clock_of(clock, sizeof clock, m, in->t_start);
      sim_csv_str(csv, m->departments[sd->index].name);
      sim_csv_num(csv, in->t_start);
      sim_csv_str(csv, clock);
      sim_csv_num(csv, in->found.arrivals);
      sim_csv_num(csv, in->offered_load);
      sim_csv_int(csv, in->required);
      sim_csv_int(csv, paid(&p->brief, in->required));
      sim_csv_num(csv, in->found.service_level);
      sim_csv_num(csv, in->found.service_level_half);
      sim_csv_num(csv, in->found.abandoned);
      sim_csv_num(csv, in->found.wait_mean);
      sim_csv_num(csv, in->found.utilization);
      sim_csv_str(csv, in->closed ? "closed" : in->found.met ? "yes" : "no");
      if (in->closed) {
        sim_csv_str(csv, "");
        sim_csv_str(csv, "");
      } else {
        if (in->erlang_c > p->brief.max_staff)
          sim_csv_str(csv, "");
        else
          sim_csv_int(csv, in->erlang_c);
        if (in->erlang_a > p->brief.max_staff)
          sim_csv_str(csv, "");
        else
          sim_csv_int(csv, in->erlang_a);
      }
      sim_csv_num(csv, in->erlang_c_sim.service_level);
      sim_csv_num(csv, in->erlang_c_sim.service_level_half);
      if (sd->has_roster && sd->roster.status != MODEL_ROSTER_FAILED) {
        sim_csv_int(csv, in->roster_staff);
        sim_csv_num(csv, in->roster_sim.service_level);
        sim_csv_num(csv, in->roster_sim.service_level_half);
      } else {
        sim_csv_str(csv, "");
        sim_csv_str(csv, "");
        sim_csv_str(csv, "");
      }
      sim_csv_end_row(csv);
    }
  }
}

static void write_roster(struct sim_csv *csv, const struct model *m,
                         const struct staff_plan *p)
{
  static const char *const header[] = {"department", "shift", "start", "end",
                                       "break_start", "break_end", "count",
                                       "paid_hours", "cost", NULL};
  sim_csv_header(csv, header);
  for (size_t d = 0; d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    for (size_t j = 0; sd->has_roster && j < sd->roster.ncolumns; j++) {
      const struct model_roster_column *c = &sd->roster.columns[j];
      if (c->count == 0)
        continue;
      char clock[32];
      sim_csv_str(csv, m->departments[sd->index].name);
      sim_csv_str(csv, m->staffing.shifts[c->shift].name);
      clock_of(clock, sizeof clock, m, c->start);
      sim_csv_str(csv, clock);
      clock_of(clock, sizeof clock, m, c->end);
      sim_csv_str(csv, clock);
      if (c->has_break) {
        clock_of(clock, sizeof clock, m, c->break_start);
        sim_csv_str(csv, clock);
        clock_of(clock, sizeof clock, m, c->break_end);
        sim_csv_str(csv, clock);
      } else {
        sim_csv_str(csv, "");
        sim_csv_str(csv, "");
      }
      sim_csv_int(csv, c->count);
      sim_csv_num(csv, c->count * c->paid_hours);
      double rate = isnan(m->staffing.cost_per_paid_hour)
                        ? m->departments[sd->index].cost_per_staff_hour
                        : m->staffing.cost_per_paid_hour;
      sim_csv_num(csv, c->count * c->paid_hours * rate);
      sim_csv_end_row(csv);
    }
  }
}

static int write_csv(const char *dir, const char *name, const struct model *m,
                     const struct staff_plan *p,
                     void (*writer)(struct sim_csv *, const struct model *,
                                    const struct staff_plan *),
                     char *err, size_t errlen)
{
  struct sim_csv csv;
  int rc = sim_csv_open(&csv, dir, name);
  if (rc == 0) {
    writer(&csv, m, p);
    rc = sim_csv_commit(&csv);
  }
  if (rc != 0)
    snprintf(err, errlen, "%s", csv.error);
  sim_csv_abort(&csv);
  return rc;
}

static void print_roster(FILE *out, const struct model *m, const struct staff_plan *p)
{
  for (size_t d = 0; d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    const char *name = m->departments[sd->index].name;
    if (!sd->has_roster)
      continue;
    const struct model_roster *r = &sd->roster;
    if (r->status == MODEL_ROSTER_FAILED) {
      fprintf(out, "\n  roster %s: none: %s\n", name, r->message);
      continue;
    }
    uint32_t people = 0;
    for (size_t j = 0; j < r->ncolumns; j++)
      people += r->columns[j].count;
    fprintf(out, "\n  roster %s: %u shifts, %.1f paid hours, cost %.2f (%s", name,
            people, r->paid_hours, r->cost,
            r->status == MODEL_ROSTER_OPTIMAL ? "optimal" : "time limit reached");
    if (r->status == MODEL_ROSTER_FEASIBLE)
      fprintf(out, ", gap %.2f %%", 100 * r->gap);
    fprintf(out, ")\n");
    if (r->uncovered)
      fprintf(out, "  %u interval%s asking for staff no shift covers\n", r->uncovered,
              r->uncovered == 1 ? "" : "s");
    size_t missed = 0, open = 0;
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      open += !in->closed;
      missed += !in->closed && !in->roster_sim.met;
    }
    fprintf(out, "  the roster simulated: service level %.1f %%, %zu/%zu intervals "
            "missed\n", 100 * sd->roster_day_service_level, missed, open);
  }
}

static int write_file(const char *dir, const char *name, const char *text,
                      char *err, size_t errlen)
{
  char path[4096], tmp[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  bool ok = f && fputs(text, f) >= 0;
  ok = f && fclose(f) == 0 && ok;
  if (!ok || rename(tmp, path) != 0) {
    snprintf(err, errlen, "cannot write '%.900s': %s", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* The staffed scenario, run as `loket run` would: every replication keeps
 * its own histogram of waits, merged afterwards (counts add exactly). */
struct staffed_run {
  const struct model *m;
  struct sim_sketch *waits;
};

static int run_staffed(void *ctx, size_t task, void *result)
{
  const struct staffed_run *sr = ctx;
  struct model_result *r = result;
  r->waits = &sr->waits[task];
  return model_office_run(sr->m, sr->m->seed, (uint32_t)task, r);
}

static int write_run(const char *dir, const struct model *m, unsigned jobs,
                     char *err, size_t errlen)
{
  size_t n = m->replications;
  struct model_result *results = sim_xcalloc(n, sizeof *results);
  struct sim_sketch *waits = sim_xcalloc(n, sizeof *waits), pooled;
  sim_sketch_init(&pooled);
  for (size_t i = 0; i < n; i++) {
    model_result_init(&results[i], m);
    sim_sketch_init(&waits[i]);
  }
  struct staffed_run ctx = {m, waits};
  struct sim_runner runner = {
    .ntasks = n, .jobs = jobs, .fn = run_staffed, .ctx = &ctx,
    .results = results, .result_size = sizeof *results,
  };
  int rc = sim_runner_run(&runner);
  for (size_t i = 0; i < n; i++) {
    sim_sketch_merge(&pooled, &waits[i]);
    sim_sketch_fini(&waits[i]);
    results[i].waits = NULL;
  }
  if (rc != 0) {
    const char *why = "a replication failed";
    for (size_t i = 0; i < n; i++)
      if (results[i].error) {
        why = results[i].error;
        break;
      }
    snprintf(err, errlen, "the staffed run failed: %s", why);
  } else {
    rc = report_write_run(dir, m, results, n, &pooled, err, errlen);
  }
  for (size_t i = 0; i < n; i++)
    model_result_fini(&results[i]);
  free(results);
  free(waits);
  sim_sketch_fini(&pooled);
  return rc;
}

static void print_summary(FILE *out, const struct model *m, const struct staff_plan *p,
                          const char *dir)
{
  const struct staff_brief *b = &p->brief;
  fprintf(out, "%s: staff per %g %s found by simulation (%u replications, %zu "
          "simulations)\n", m->name, b->interval, m->time_unit, p->replications,
          p->simulations);
  fprintf(out, "  target per interval:");
  if (!isnan(b->target_service_level))
    fprintf(out, " %.0f %% served within %g %s;", 100 * b->target_service_level,
            m->service_level_within, m->time_unit);
  if (!isnan(b->target_abandoned))
    fprintf(out, " at most %.1f %% abandon;", 100 * b->target_abandoned);
  if (!isnan(b->target_wait_mean))
    fprintf(out, " mean wait at most %g %s;", b->target_wait_mean, m->time_unit);
  if (b->confidence > 0)
    fprintf(out, " for the bound of the %g %% confidence interval\n",
            100 * b->confidence);
  else
    fprintf(out, " for the mean over replications\n");
  double hours = staff_plan_hours(m, p, false), erlang = staff_plan_hours(m, p, true);
  fprintf(out, "\n  %-32s %12s %12s\n", "", "simulation", "Erlang C");
  fprintf(out, "  %-32s %12.1f %12.1f\n", "staff hours", hours, erlang);
  for (size_t d = 0; d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    const char *name = m->departments[sd->index].name;
    char label[96];
    snprintf(label, sizeof label, "%.16s: service level", name);
    fprintf(out, "  %-32.32s %10.1f %% %10.1f %%\n", label,
            100 * sd->day_service_level, 100 * sd->erlang_c_day_service_level);
    size_t missed = 0, erlang_missed = 0, open = 0;
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      open += !in->closed;
      missed += !in->closed && !in->found.met;
      erlang_missed += !in->closed && !in->erlang_c_sim.met;
    }
    snprintf(label, sizeof label, "%.16s: intervals missed", name);
    char found[32], formula[32];
    snprintf(found, sizeof found, "%zu/%zu", missed, open);
    snprintf(formula, sizeof formula, "%zu/%zu", erlang_missed, open);
    fprintf(out, "  %-32.32s %12s %12s\n", label, found, formula);
  }
  if (p->missed > 0) {
    if (p->capped)
      fprintf(out, "\n  %zu interval%s miss a target when the search stopped:",
              p->missed, p->missed == 1 ? "" : "s");
    else
      fprintf(out, "\n  %zu interval%s cannot meet the target even at max_staff "
              "(%u):", p->missed, p->missed == 1 ? "" : "s", b->max_staff);
    for (size_t d = 0; d < p->ndepartments; d++)
      for (uint32_t k = 0; k < p->nintervals; k++) {
        const struct staff_interval *in = &p->departments[d].intervals[k];
        if (!in->closed && !in->found.met) {
          char clock[32];
          clock_of(clock, sizeof clock, m, in->t_start);
          fprintf(out, " %s %s", m->departments[p->departments[d].index].name, clock);
        }
      }
    fputc('\n', out);
  } else {
    fprintf(out, "\n  every interval meets the target with the plan found.\n");
  }
  if (p->capped)
    fprintf(out, "  note: the search stopped at its cap of %zu simulations: "
            "intervals may miss targets more staff would meet, and the plan may "
            "not be minimal.\n", b->max_simulations);
  print_roster(out, m, p);
  fprintf(out, "results in %s/ (staffing.csv, staffed.yaml%s)\n", dir,
          m->staffing.nshifts ? ", roster.csv" : "");
}

/* Says so when a simulation of the plan failed; true then. */
static bool plan_failed(const struct staff_plan *p)
{
  if (!p->error)
    return false;
  fprintf(stderr, "loket: error: replication %u of the %s simulation failed: %s; no "
          "output was written\n", p->error_replication + 1, p->error_phase, p->error);
  return true;
}

/* --set overrides of the planned departments' staff (superseded by the plan)
 * are left out when the staffed scenario is loaded. */
static bool supersedes(const char *set, const struct model *m,
                       const struct staff_plan *p)
{
  for (size_t d = 0; d < p->ndepartments; d++) {
    char prefix[512];
    snprintf(prefix, sizeof prefix, "departments.%s.staff",
             m->departments[p->departments[d].index].name);
    size_t n = strlen(prefix);
    if (!strncmp(set, prefix, n) && (set[n] == '=' || set[n] == '.'))
      return true;
  }
  return !strncmp(set, "replications=", 13);
}

int cli_staff(const struct options *o)
{
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(o->scenario, o->sets, o->nsets, err,
                                        sizeof err);
  if (!m) {
    fprintf(stderr, "%s\n", err);
    return LOKET_EXIT_USAGE;
  }
  if (o->have_replications)
    m->replications = o->replications;
  struct staff_brief brief;
  if (staff_brief_of(m, &brief, err, sizeof err) != 0) {
    fprintf(stderr, "%s: error: %s\n", o->scenario, err);
    model_free(m);
    return LOKET_EXIT_USAGE;
  }
  if (brief.confidence > 0 && m->replications < 2) {
    fprintf(stderr, "%s: error: staffing.confidence needs at least 2 "
            "replications\n", o->scenario);
    model_free(m);
    return LOKET_EXIT_USAGE;
  }
  if (o->requirement && m->staffing.nshifts == 0) {
    fprintf(stderr, "%s: error: --requirement builds a roster: the scenario needs "
            "staffing.shifts\n", o->scenario);
    model_free(m);
    return LOKET_EXIT_USAGE;
  }
  bool progress = o->progress == 1 || (o->progress < 0 && isatty(STDERR_FILENO));
  const bool *planned = m->staffing.present ? m->staffing.plan : NULL;
  struct staff_plan plan;
  if (o->requirement) {
    if (staff_plan_from_requirement(m, planned, &brief, o->requirement, &plan, err,
                                    sizeof err) != 0) {
      fprintf(stderr, "loket: error: %s\n", err);
      staff_plan_fini(&plan);
      model_free(m);
      return LOKET_EXIT_USAGE;
    }
    char *dir = cli_output_folder(o->out, m->name, "-staff");
    int exit_code = LOKET_EXIT_OK;
    if (cli_prepare_output_folder(dir, err, sizeof err) != 0) {
      fprintf(stderr, "loket: error: %s\n", err);
      exit_code = LOKET_EXIT_FAILURE;
    } else {
      staff_plan_roster(m, &plan, o->jobs, progress);
      if (plan_failed(&plan)) {
        exit_code = LOKET_EXIT_FAILURE;
      } else if (write_csv(dir, "roster.csv", m, &plan, write_roster, err,
                           sizeof err) != 0) {
        fprintf(stderr, "loket: error: %s\n", err);
        exit_code = LOKET_EXIT_FAILURE;
      } else if (!o->quiet) {
        printf("%s: the cheapest roster for the requirement in %s\n", m->name,
               o->requirement);
        print_roster(stdout, m, &plan);
        printf("results in %s/ (roster.csv)\n", dir);
      }
    }
    free(dir);
    staff_plan_fini(&plan);
    model_free(m);
    return exit_code;
  }
  /* The folder is made (or found unwritable) before anything is simulated. */
  char *dir = cli_output_folder(o->out, m->name, "-staff");
  if (cli_prepare_output_folder(dir, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    free(dir);
    model_free(m);
    return LOKET_EXIT_FAILURE;
  }
  staff_plan_run(m, planned, &brief, m->replications, o->jobs, progress, &plan);
  if (m->staffing.nshifts > 0 && !plan.error)
    staff_plan_roster(m, &plan, o->jobs, progress);
  if (plan_failed(&plan)) {
    free(dir);
    staff_plan_fini(&plan);
    model_free(m);
    return LOKET_EXIT_FAILURE;
  }

  int exit_code = LOKET_EXIT_OK;
  const char **sets = sim_xcalloc(o->nsets + 1, sizeof *sets);
  size_t nsets = 0;
  for (size_t i = 0; i < o->nsets; i++)
    if (!supersedes(o->sets[i], m, &plan))
      sets[nsets++] = o->sets[i];
  char *yaml = staff_yaml(o->scenario, m, &plan, m->replications, sets, nsets, err,
                          sizeof err);
  struct model *staffed = NULL;
  if (yaml) {
    char lerr[MODEL_ERROR_MAX];
    staffed = model_scenario_load_text(o->scenario, yaml, strlen(yaml), sets, nsets,
                                       lerr, sizeof lerr);
    if (!staffed)
      snprintf(err, sizeof err, "the staffed scenario does not load: %.900s", lerr);
  }
  if (!staffed) {
    fprintf(stderr, "loket: error: %s\n", err);
    exit_code = LOKET_EXIT_FAILURE;
  } else if (write_run(dir, staffed, o->jobs, err, sizeof err) != 0 ||
             write_file(dir, "staffed.yaml", yaml, err, sizeof err) != 0 ||
             (m->staffing.nshifts > 0 &&
              write_csv(dir, "roster.csv", m, &plan, write_roster, err, sizeof err) != 0) ||
             write_csv(dir, "staffing.csv", m, &plan, write_staffing, err,
                       sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    exit_code = LOKET_EXIT_FAILURE;
  }
  if (exit_code == LOKET_EXIT_OK && !o->quiet) {
    print_summary(stdout, m, &plan, dir);
    if (nsets > 0)
      printf("(staffed.yaml lists the --set overrides it was planned with; give them "
             "to loket run again)\n");
  }
  free(sets);
  if (staffed)
    model_free(staffed);
  free(yaml);
  free(dir);
  staff_plan_fini(&plan);
  model_free(m);
  return exit_code;
}
