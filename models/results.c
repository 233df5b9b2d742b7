/*
 * models/results.c — the rows of one replication: their column names, and
 * their making from what the replication recorded.
 */
#include "models/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/metrics_state.h"
#include "sim/check.h"

#define MODEL_NAME(name) #name,
const char *const model_summary_columns[MODEL_SUMMARY_NCOLS + 1] = {
  MODEL_SUMMARY_COLUMNS(MODEL_NAME) NULL};
const char *const model_department_columns[MODEL_DEPARTMENT_NCOLS + 1] = {
  MODEL_DEPARTMENT_COLUMNS(MODEL_NAME) NULL};
const char *const model_class_columns[MODEL_CLASS_NCOLS + 1] = {
  MODEL_CLASS_COLUMNS(MODEL_NAME) NULL};
const char *const model_timeseries_columns[MODEL_TIMESERIES_NCOLS + 1] = {
  MODEL_TIMESERIES_COLUMNS(MODEL_NAME) NULL};
const char *const model_pool_columns[MODEL_POOL_NCOLS + 1] = {
  MODEL_POOL_COLUMNS(MODEL_NAME) NULL};
const char *const model_journey_columns[MODEL_JOURNEY_NCOLS + 1] = {
  MODEL_JOURNEY_COLUMNS(MODEL_NAME) NULL};

void model_result_init(struct model_result *r, const struct model *m)
{
  for (size_t i = 0; i < MODEL_SUMMARY_NCOLS; i++)
    r->summary[i] = NAN;
  r->departments = sim_xcalloc(m->ndepartments * MODEL_DEPARTMENT_NCOLS,
                               sizeof *r->departments);
  r->classes = sim_xcalloc(m->nclasses * MODEL_CLASS_NCOLS, sizeof *r->classes);
  r->timeseries = sim_xcalloc((m->ndepartments + 1) * m->nintervals *
                                  MODEL_TIMESERIES_NCOLS, sizeof *r->timeseries);
  r->pools = m->npools ? sim_xcalloc(model_pool_rows(m) * MODEL_POOL_NCOLS,
                                     sizeof *r->pools) : NULL;
  memset(r->handoff_groups, 0, sizeof r->handoff_groups);
  r->paths = NULL;
  r->npaths = 0;
  r->events = 0;
  r->error = NULL;
  r->waits = NULL;
}

void model_result_fini(struct model_result *r)
{
  free(r->departments);
  free(r->classes);
  free(r->timeseries);
  free(r->pools);
  free(r->paths);
  r->departments = r->classes = r->timeseries = r->pools = NULL;
  r->paths = NULL;
  r->npaths = 0;
}

static double ratio(double num, double den)
{
  return den > 0 ? num / den : NAN;
}


/* repeat_contacts and first_contact_resolution of a group of `journeys`
 * journeys: from its tally when the model has rework, else no repeats. */
static void repeat_columns(const struct model_repeats *r, uint64_t journeys,
                           double *repeat_contacts, double *first_contact)
{
  if (r) {
    *repeat_contacts = ratio((double)r->repeats, (double)r->journeys);
    *first_contact = ratio((double)r->resolved, (double)r->journeys);
  } else {
    *repeat_contacts = journeys > 0 ? 0.0 : NAN;
    *first_contact = journeys > 0 ? 1.0 : NAN;
  }
}

/* satisfaction_mean, _low, _mid, _high: consecutive columns. */
static void happiness_columns(const struct model_happiness *h, double *out)
{
  out[0] = ratio(h->sum, (double)h->n);
  for (int g = 0; g < 3; g++)
    out[1 + g] = ratio((double)h->group[g], (double)h->n);
}

/* The common alternative service level: abandonments within the threshold
 * are left out of the denominator (they were not "offered" long enough). */
static double service_level_alt(uint64_t within, uint64_t arrivals,
                                uint64_t abandoned_within)
{
  return ratio((double)within, (double)(arrivals - abandoned_within));
}

/* The customer columns of an interval (docs/outputs.md, timeseries.csv):
 * everyone who arrived in it counts in the denominator, served or not. */
static void interval_columns(const struct model_interval *in, double *ts)
{
  ts[MODEL_TIMESERIES_arrivals] = (double)in->arrivals;
  ts[MODEL_TIMESERIES_served] = (double)in->served;
  ts[MODEL_TIMESERIES_wait_mean] = ratio(in->wait_sum, (double)in->served);
  ts[MODEL_TIMESERIES_service_level] = ratio((double)in->within, (double)in->arrivals);
  ts[MODEL_TIMESERIES_abandoned] = (double)in->abandoned;
  ts[MODEL_TIMESERIES_abandoned_share] = ratio((double)in->abandoned, (double)in->arrivals);
  ts[MODEL_TIMESERIES_service_level_alt] =
      service_level_alt(in->within, in->arrivals, in->abandoned_within);
}

/* The rows of pools.csv (docs/outputs.md): per department served, the
 * members' busy time there; the staff cost shared out by busy time over
 * the day (warm-up included, like staff cost); the busy time after closing
 * (to `end`) as overtime; the total row the pool's. Adds the pools' busy
 * and staff areas and cost to the summary's. */
static void pool_rows(const struct model_metrics *mx, struct model_result *r, double end,
                      double *busy_total, double *staff_total, double *cost_total)
{
  const struct model *m = mx->model;
  double window = m->horizon - m->warmup;
  for (size_t i = 0; i < m->npools; i++) {
    const struct model_pool *p = &m->pools[i];
    const struct model_pool_level *st = &mx->pool_staff[i];
    double staff_area = st->at_close - st->at_warmup;
    double cost = st->at_close / m->units_per_hour * p->cost_per_staff_hour;
    double busy_all = 0, busy_day = 0, after_all = 0;
    uint64_t served = 0;
    for (size_t k = 0; k < p->nserves; k++) {
      const struct model_pool_level *b = &mx->link_busy[p->first_link + k];
      busy_all += b->at_close - b->at_warmup;
      busy_day += b->at_close;
      after_all += sim_timeavg_area(&b->level, end) - b->at_close;
      served += mx->link_served[p->first_link + k];
    }
    for (size_t k = 0; k <= p->nserves; k++) {
      double *row = r->pools + model_pool_row(m, i, k) * MODEL_POOL_NCOLS;
      double busy = busy_all, share = 1, after = after_all;
      row[MODEL_POOL_served] = (double)served;
      if (k < p->nserves) {
        const struct model_pool_level *b = &mx->link_busy[p->first_link + k];
        busy = b->at_close - b->at_warmup;
        share = ratio(b->at_close, busy_day);
        after = sim_timeavg_area(&b->level, end) - b->at_close;
        row[MODEL_POOL_served] = (double)mx->link_served[p->first_link + k];
      }
      row[MODEL_POOL_overtime_hours] = after / m->units_per_hour;
      row[MODEL_POOL_busy_mean] = ratio(busy, window);
      row[MODEL_POOL_staff_mean] = ratio(staff_area, window);
      row[MODEL_POOL_utilization] = ratio(busy, staff_area);
      row[MODEL_POOL_staff_cost] = cost * share;
    }
    *busy_total += busy_all;
    *staff_total += staff_area;
    *cost_total += cost;
  }
}

void model_metrics_result(const struct model_metrics *mx, double end,
                          struct model_result *r)
{
  const struct model *m = mx->model;
  sim_assert(mx->closed);
  double window = m->horizon - m->warmup;
  double busy_total = 0, staff_total = 0, cost_total = 0;

  for (size_t d = 0; d < m->ndepartments; d++) {
    const struct model_dept_metrics *dm = &mx->dept[d];
    double *row = r->departments + d * MODEL_DEPARTMENT_NCOLS;
    /* Staff is paid for [0, horizon] whatever the warm-up. */
    double cost = dm->at_close[MODEL_LEVEL_STAFF] / m->units_per_hour *
                  m->departments[d].cost_per_staff_hour;
    double queue_area = dm->at_close[MODEL_LEVEL_QUEUE] - dm->at_warmup[MODEL_LEVEL_QUEUE];
    double busy_area = dm->at_close[MODEL_LEVEL_BUSY] - dm->at_warmup[MODEL_LEVEL_BUSY];
    double staff_area = dm->at_close[MODEL_LEVEL_STAFF] - dm->at_warmup[MODEL_LEVEL_STAFF];
    const struct model_interval *series = model_dept_series(mx, d);
    struct model_interval total = {0};
    for (uint32_t k = 0; k <= m->nintervals; k++) {
      total.arrivals += series[k].arrivals;
      total.served += series[k].served;
      total.within += series[k].within;
      total.abandoned += series[k].abandoned;
      total.abandoned_within += series[k].abandoned_within;
    }
    row[MODEL_DEPARTMENT_arrivals] = (double)total.arrivals;
    row[MODEL_DEPARTMENT_served] = (double)total.served;
    row[MODEL_DEPARTMENT_abandoned] = (double)total.abandoned;
    row[MODEL_DEPARTMENT_balked] = (double)dm->balked;
    row[MODEL_DEPARTMENT_blocked] = (double)dm->blocked;
    row[MODEL_DEPARTMENT_handoffs_out] = (double)dm->handoffs_out;
    row[MODEL_DEPARTMENT_wait_mean] = ratio(dm->wait_sum, (double)total.served);
    row[MODEL_DEPARTMENT_wait_p90] = sim_sketch_quantile(model_dept_wait_sketch(mx, d), 0.9);
    row[MODEL_DEPARTMENT_service_level] =
        ratio((double)total.within, (double)total.arrivals);
    row[MODEL_DEPARTMENT_queue_mean] = ratio(queue_area, window);
    row[MODEL_DEPARTMENT_busy_mean] = ratio(busy_area, window);
    row[MODEL_DEPARTMENT_staff_mean] = ratio(staff_area, window);
    row[MODEL_DEPARTMENT_utilization] = ratio(busy_area, staff_area);
    row[MODEL_DEPARTMENT_staff_cost] = cost;
    row[MODEL_DEPARTMENT_overtime_hours] =
        (sim_timeavg_area(&dm->level[MODEL_LEVEL_BUSY], end) -
         dm->at_close[MODEL_LEVEL_BUSY]) / m->units_per_hour;
    happiness_columns(m->ndepartments > 1 ? &dm->happiness : &mx->happiness,
                      &row[MODEL_DEPARTMENT_satisfaction_mean]);
    row[MODEL_DEPARTMENT_service_level_alt] =
        service_level_alt(total.within, total.arrivals, total.abandoned_within);
    const struct model_repeats *rep = mx->repeats ? &mx->repeats[1 + d] : NULL;
    repeat_columns(rep, m->ndepartments > 1 ? dm->happiness.n : mx->happiness.n,
                   &row[MODEL_DEPARTMENT_repeat_contacts],
                   &row[MODEL_DEPARTMENT_first_contact_resolution]);
    row[MODEL_DEPARTMENT_returns_caused] = rep ? (double)rep->caused : 0;
    row[MODEL_DEPARTMENT_returns_next_day] = rep ? (double)rep->next_day : 0;
    row[MODEL_DEPARTMENT_wrap_up_hours] = mx->after_work[2 * d] / m->units_per_hour;
    row[MODEL_DEPARTMENT_coordination_hours] =
        mx->after_work[2 * d + 1] / m->units_per_hour;
    busy_total += busy_area;
    staff_total += staff_area;
    for (uint32_t k = 0; k < m->nintervals; k++) {
      const struct model_interval *in = &series[k];
      double *ts = r->timeseries + ((size_t)d * m->nintervals + k) * MODEL_TIMESERIES_NCOLS;
      double length = model_interval_length(m, k);
      interval_columns(in, ts);
      ts[MODEL_TIMESERIES_queue_mean] = in->area[MODEL_LEVEL_QUEUE] / length;
      ts[MODEL_TIMESERIES_staff] = in->area[MODEL_LEVEL_STAFF] / length;
      ts[MODEL_TIMESERIES_busy_mean] = in->area[MODEL_LEVEL_BUSY] / length;
    }
    cost_total += cost;
  }

  for (uint32_t k = 0; k < m->nintervals; k++) {
    double *ts = r->timeseries +
                 ((size_t)m->ndepartments * m->nintervals + k) * MODEL_TIMESERIES_NCOLS;
    interval_columns(&mx->journey_series[k], ts);
    ts[MODEL_TIMESERIES_queue_mean] = ts[MODEL_TIMESERIES_staff] =
        ts[MODEL_TIMESERIES_busy_mean] = NAN;
  }

  /* A single class is everyone: its row is made from the summary. */
  struct model_class_metrics everyone = {
    .arrivals = mx->arrivals, .served = mx->served, .abandoned = mx->abandoned,
    .within = mx->served_within, .wait = mx->wait, .sojourn = mx->sojourn,
    .wait_sketch = mx->wait_sketch, .abandoned_within = mx->abandoned_within,
    .happiness = mx->happiness,
  };
  for (size_t c = 0; c < m->nclasses; c++) {
    const struct model_class_metrics *cm = mx->per_class ? &mx->cls[c] : &everyone;
    double *row = r->classes + c * MODEL_CLASS_NCOLS;
    row[MODEL_CLASS_arrivals] = (double)cm->arrivals;
    row[MODEL_CLASS_served] = (double)cm->served;
    row[MODEL_CLASS_abandoned] = (double)cm->abandoned;
    row[MODEL_CLASS_wait_mean] = sim_sum_mean(&cm->wait);
    row[MODEL_CLASS_wait_p90] = sim_sketch_quantile(&cm->wait_sketch, 0.9);
    row[MODEL_CLASS_service_level] = ratio((double)cm->within, (double)cm->arrivals);
    row[MODEL_CLASS_sojourn_mean] = sim_sum_mean(&cm->sojourn);
    double happy[4];
    happiness_columns(&cm->happiness, happy);
    row[MODEL_CLASS_satisfaction_mean] = happy[0];
    row[MODEL_CLASS_satisfaction_low] = happy[1];
    row[MODEL_CLASS_satisfaction_mid] = happy[2];
    row[MODEL_CLASS_satisfaction_high] = happy[3];
    row[MODEL_CLASS_service_level_alt] =
        service_level_alt(cm->within, cm->arrivals, cm->abandoned_within);
    repeat_columns(mx->repeats ? &mx->repeats[1 + m->ndepartments + c] : NULL,
                   cm->happiness.n, &row[MODEL_CLASS_repeat_contacts],
                   &row[MODEL_CLASS_first_contact_resolution]);
    const struct model_appointment_metrics *ap =
        mx->appointments ? &mx->appointments[c] : &(struct model_appointment_metrics){0};
    row[MODEL_CLASS_no_shows] = (double)ap->no_shows;
    row[MODEL_CLASS_lateness_mean] = ratio(ap->lateness_sum, (double)ap->came);
    row[MODEL_CLASS_slot_wait_mean] = ratio(ap->slot_wait_sum, (double)ap->started);
  }

  double *s = r->summary;
  s[MODEL_SUMMARY_arrivals] = (double)mx->arrivals;
  s[MODEL_SUMMARY_served] = (double)mx->served;
  s[MODEL_SUMMARY_abandoned] = (double)mx->abandoned;
  s[MODEL_SUMMARY_balked] = (double)mx->balked;
  s[MODEL_SUMMARY_blocked] = (double)mx->blocked;
  s[MODEL_SUMMARY_wait_mean] = sim_sum_mean(&mx->wait);
  s[MODEL_SUMMARY_wait_p50] = sim_sketch_quantile(&mx->wait_sketch, 0.50);
  s[MODEL_SUMMARY_wait_p90] = sim_sketch_quantile(&mx->wait_sketch, 0.90);
  s[MODEL_SUMMARY_wait_p95] = sim_sketch_quantile(&mx->wait_sketch, 0.95);
  s[MODEL_SUMMARY_wait_p99] = sim_sketch_quantile(&mx->wait_sketch, 0.99);
  s[MODEL_SUMMARY_service_level] =
      ratio((double)mx->served_within, (double)mx->arrivals);
  s[MODEL_SUMMARY_sojourn_mean] = sim_sum_mean(&mx->sojourn);
  s[MODEL_SUMMARY_visits_mean] = ratio((double)mx->visits, (double)mx->journeys);
  s[MODEL_SUMMARY_handoffs_mean] = ratio((double)mx->handoffs, (double)mx->journeys);
  double happy[4];
  happiness_columns(&mx->happiness, happy);
  s[MODEL_SUMMARY_satisfaction_mean] = happy[0];
  s[MODEL_SUMMARY_satisfaction_low] = happy[1];
  s[MODEL_SUMMARY_satisfaction_mid] = happy[2];
  s[MODEL_SUMMARY_satisfaction_high] = happy[3];
  s[MODEL_SUMMARY_service_level_alt] =
      service_level_alt(mx->served_within, mx->arrivals, mx->abandoned_within);
  if (m->npools)
    pool_rows(mx, r, end, &busy_total, &staff_total, &cost_total);
  s[MODEL_SUMMARY_utilization] = ratio(busy_total, staff_total);
  s[MODEL_SUMMARY_staff_cost] = cost_total;
  if (r->waits)
    sim_sketch_merge(r->waits, &mx->wait_sketch);
  s[MODEL_SUMMARY_sent_away] = (double)mx->sent_away;
  s[MODEL_SUMMARY_retrials] = (double)mx->retrials;
  repeat_columns(mx->repeats, mx->journeys, &s[MODEL_SUMMARY_repeat_contacts],
                 &s[MODEL_SUMMARY_first_contact_resolution]);
  s[MODEL_SUMMARY_returns_next_day] = mx->repeats ? (double)mx->repeats[0].next_day : 0;

  memcpy(r->handoff_groups, mx->handoff_groups, sizeof r->handoff_groups);
  if (!mx->by_path) {
    /* One department: the journeys without a handoff were not added one
     * by one (see model_metrics_journey_end); they are all the others. */
    struct model_group *g = &r->handoff_groups[0];
    *g = (struct model_group){
      .customers = mx->journeys, .served = mx->served, .within = mx->served_within,
      .abandoned = mx->abandoned, .wait_sum = mx->wait.sum,
      .sojourn_sum = mx->sojourn.sum, .satisfaction_sum = mx->happiness.sum,
    };
    for (int k = 1; k < MODEL_HANDOFF_GROUPS; k++) {
      const struct model_group *o = &mx->handoff_groups[k];
      g->customers -= o->customers;
      g->served -= o->served;
      g->within -= o->within;
      g->abandoned -= o->abandoned;
      g->wait_sum -= o->wait_sum;
      g->sojourn_sum -= o->sojourn_sum;
      g->satisfaction_sum -= o->satisfaction_sum;
    }
  }
  free(r->paths);
  bool other = mx->path_other.customers > 0;
  r->npaths = mx->npaths + other;
  r->paths = r->npaths ? sim_xmalloc(r->npaths * sizeof *r->paths) : NULL;
  if (mx->npaths)
    memcpy(r->paths, mx->paths, mx->npaths * sizeof *r->paths);
  if (other)
    r->paths[mx->npaths] = (struct model_path_group){MODEL_PATH_OTHER, mx->path_other};
}
