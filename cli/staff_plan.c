/*
 * cli/staff_plan.c — `loket staff`'s search: the staff each interval needs,
 * found by simulating plans with common random numbers (docs/staffing.md).
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

uint32_t staff_paid(const struct staff_brief *b, uint32_t required)
{
  return (uint32_t)ceil(required / (1 - b->shrinkage) - 1e-9);
}

/* ---- simulating a plan ---------------------------------------------------- */



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
void staff_planner_install(struct planner *pl, size_t p, const uint32_t *staff)
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

/* The mean, or with a confidence its lower (sign -1) or upper (+1) bound,
 * with t at n - 1 degrees of freedom for the n replications where the
 * measure is defined. With fewer than two there is no spread to bound:
 * the mean (one replication's value), as without a confidence; a bound of
 * NaN would miss every target and raise the interval to max_staff. */
static double tally_bound(const struct sim_tally *t, const double *t_quantiles, int sign)
{
  double mean = sim_tally_mean(t);
  if (!t_quantiles || t->n < 2)
    return mean;
  return mean + sign * t_quantiles[t->n] * sqrt(sim_tally_variance(t) / (double)t->n);
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
  const double *q = pl->t_quantiles;
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
size_t staff_planner_simulate(struct planner *pl, struct staff_measures *into,
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
    staff_planner_install(pl, p, pl->staff + p * K);
  return staff_planner_simulate(pl, into, phase);
}

/* The day's service level of each planned department (departments.csv's
 * service_level, mean and 95 % half-width over replications). */
void staff_planner_day_service_level(const struct planner *pl, size_t p, double *mean,
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
 * time per arrival); else it is the department's, with its wrap-up (the
 * server is held for both). Erlang A applies when
 * every class waits with the same exponential patience. */
static void erlang_queue(const struct model *m, uint32_t d, double work_per_arrival,
                         bool *erlang_a, struct model_erlang_queue *q)
{
  const struct model_department *dep = &m->departments[d];
  bool plain = !dep->has_handoff;
  for (size_t c = 0; c < m->nclasses; c++)
    plain = plain && dep->visit[c].service == &dep->service;
  /* A server is held for the service and then the wrap-up: Erlang's
   * holding time is both (the offered load counts both, too). */
  double wrap_up = dep->has_wrap_up ? dep->wrap_up.mean : 0;
  q->service_mean = plain || !(work_per_arrival > 0) ? dep->service.mean + wrap_up
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

/* An interval is closed when the demand pass (staff without limit, so
 * nobody hangs up or calls back) has no arrivals there. With real staff,
 * callers who hung up earlier may call back into it: such an interval is
 * open from then on, planned and reported like any other (it was left
 * closed, its callbacks unserved and its misses hidden). The open
 * intervals that miss a target. */
static size_t reopen_called_back(struct staff_plan *out, const struct staff_measures *now,
                                 uint32_t K, size_t cells)
{
  size_t missing = 0;
  for (size_t i = 0; i < cells; i++) {
    struct staff_interval *in = &out->departments[i / K].intervals[i % K];
    if (in->closed && now[i].arrivals > 0)
      in->closed = false;
    missing += !in->closed && !now[i].met;
  }
  return missing;
}

/* The plan's departments and intervals, before anything is known. */
void staff_plan_init(const struct model *m, const bool *plan,
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

void staff_planner_init(struct planner *pl, const struct model *m,
                        const struct staff_brief *b, struct staff_plan *out,
                        unsigned jobs, bool progress)
{
  uint32_t K = out->nintervals, replications = out->replications;
  *pl = (struct planner){
    .scenario = m, .work = *m, .brief = b, .plan = out,
    .replications = replications, .jobs = jobs, .progress = progress,
    .started = sim_progress_now(),
  };
  if (b->confidence > 0) {
    pl->t_quantiles = sim_xcalloc((size_t)replications + 1, sizeof *pl->t_quantiles);
    for (uint32_t n = 2; n <= replications; n++)
      pl->t_quantiles[n] = gsl_cdf_tdist_Pinv((1 + b->confidence) / 2, n - 1);
  }
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

void staff_planner_fini(struct planner *pl)
{
  for (uint32_t i = 0; i < pl->replications; i++)
    model_result_fini(&pl->results[i]);
  free(pl->results);
  free(pl->staff);
  free(pl->steps);
  free(pl->departments);
  free(pl->t_quantiles);
}

void staff_plan_run(const struct model *m, const bool *plan,
                    const struct staff_brief *b, uint32_t replications,
                    unsigned jobs, bool progress, struct staff_plan *out)
{
  staff_plan_init(m, plan, b, replications, out);
  out->searched = true;
  uint32_t K = out->nintervals;
  struct planner pl;
  staff_planner_init(&pl, m, b, out, jobs, progress);
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
  simulate(&pl, now, "raising");
  size_t missing = reopen_called_back(out, now, K, cells);
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
    simulate(&pl, now, "raising");
    missing = reopen_called_back(out, now, K, cells);
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
    staff_planner_day_service_level(&pl, p, &sd->day_service_level, &sd->day_service_level_half);
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
    staff_planner_day_service_level(&pl, p, &sd->erlang_c_day_service_level,
                                    &sd->erlang_c_day_service_level_half);
  }

done:
  staff_planner_fini(&pl);
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
