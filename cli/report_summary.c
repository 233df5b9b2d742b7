/*
 * cli/report_summary.c — the short summary of a run on the terminal
 * (report_print_summary, see cli/report.h): the key metrics with their
 * 95 % half-widths and each department against the service-level target.
 */
#include "cli/report.h"
#include "cli/report_parts.h"
#include "cli/text.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "sim/check.h"
#include "sim/stats.h"

static void print_metric(FILE *out, const char *label, struct sim_tally t,
                         double scale, const char *unit)
{
  double mean = sim_tally_mean(&t) * scale;
  double half = sim_tally_ci95_halfwidth(&t) * scale;
  if (isnan(mean))
    fprintf(out, "  %-22s -\n", label);
  else if (isnan(half))
    fprintf(out, "  %-22s %10.3f%s\n", label, mean, unit);
  else
    fprintf(out, "  %-22s %10.3f%s  ± %.3f\n", label, mean, unit, half);
}

void report_print_summary(FILE *out, const struct model *m,
                          const struct model_result *results, size_t n,
                          const char *dir)
{
  const char **dept_names = sim_xcalloc(m->ndepartments, sizeof *dept_names);
  const char **class_names = sim_xcalloc(m->nclasses, sizeof *class_names);
  struct table t[3];
  report_tables(m, t, dept_names, class_names);

  fprintf(out, "%s: %zu replication%s of %g %s; means with 95%% confidence "
               "half-widths\n", m->name, n, n == 1 ? "" : "s", m->horizon,
          m->time_unit);
  /* Rows marked optional are shown only when they happen at all. */
  static const struct {
    int column;
    const char *label;
    double scale;
    const char *unit;
    bool optional;
  } shown[] = {
    {MODEL_SUMMARY_arrivals, "customers", 1, "", false},
    {MODEL_SUMMARY_served, "served", 1, "", false},
    {MODEL_SUMMARY_abandoned, "abandoned", 1, "", false},
    {MODEL_SUMMARY_blocked, "blocked", 1, "", false},
    {MODEL_SUMMARY_balked, "balked", 1, "", true},
    {MODEL_SUMMARY_sent_away, "sent away at closing", 1, "", true},
    {MODEL_SUMMARY_retrials, "retrials", 1, "", true},
    {MODEL_SUMMARY_wait_mean, "wait, mean", 1, "", false},
    {MODEL_SUMMARY_wait_p90, "wait, 90th percentile", 1, "", false},
    {MODEL_SUMMARY_service_level, "service level", 100, " %", false},
    {MODEL_SUMMARY_sojourn_mean, "time in system, mean", 1, "", false},
    {MODEL_SUMMARY_satisfaction_mean, "satisfaction (0-10)", 1, "", false},
    {MODEL_SUMMARY_utilization, "utilization", 100, " %", false},
  };
  for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
    struct sim_tally tally = report_across(&t[0], 0, (size_t)shown[i].column, results, n);
    if (shown[i].optional && tally.max == 0)
      continue;
    print_metric(out, shown[i].label, tally, shown[i].scale, shown[i].unit);
  }
  fprintf(out, "  (waits and times in %s; service level = served within %g)\n",
          m->time_unit, m->service_level_within);
  /* The KPI view: each department's own figures next to the journey's,
   * so that "every department met its target while the journey did not"
   * is one glance. */
  bool target = !isnan(m->service_level_target);
  fprintf(out, "\n  %-22s %10s %12s %13s%s\n", "", "wait mean", "service lvl",
          "satisfaction", target ? "  target" : "");
  size_t met = 0;
  for (size_t d = 0; d <= m->ndepartments; d++) {
    bool journey = d == m->ndepartments;
    const struct table *tb = journey ? &t[0] : &t[1];
    size_t row = journey ? 0 : d;
    int wait_col = journey ? MODEL_SUMMARY_wait_mean : MODEL_DEPARTMENT_wait_mean;
    int sl_col = journey ? MODEL_SUMMARY_service_level : MODEL_DEPARTMENT_service_level;
    int sat_col = journey ? MODEL_SUMMARY_satisfaction_mean
                          : MODEL_DEPARTMENT_satisfaction_mean;
    struct sim_tally tw = report_across(tb, row, (size_t)wait_col, results, n);
    struct sim_tally ts = report_across(tb, row, (size_t)sl_col, results, n);
    struct sim_tally tq = report_across(tb, row, (size_t)sat_col, results, n);
    double w = sim_tally_mean(&tw);
    double sl = sim_tally_mean(&ts);
    if (journey)
      fprintf(out, "  %-22s %10s %12s %13s\n", "", "----------", "-----------",
              "------------");
    fputs("  ", out);
    text_cell(out, journey ? "whole journey" : dept_names[d], 22, false);
    fprintf(out, " %10.3f %10.1f %% %13.2f", w, 100 * sl, sim_tally_mean(&tq));
    if (target) {
      bool ok = sl >= m->service_level_target;
      met += ok && !journey;
      fprintf(out, "  %s", ok ? "met" : "MISSED");
    }
    fputc('\n', out);
  }
  if (target) {
    struct sim_tally ts = report_across(&t[0], 0, MODEL_SUMMARY_service_level, results, n);
    fprintf(out, "  %zu of %zu department%s met the %.0f %% target; %.0f %% of "
                 "journeys were served within %g %s.\n",
            met, m->ndepartments, m->ndepartments == 1 ? "" : "s",
            100 * m->service_level_target, 100 * sim_tally_mean(&ts),
            m->service_level_within, m->time_unit);
  }
  /* Pools: where their members' time went (pools.csv has the rest). */
  struct table pools = report_pool_table(m);
  for (size_t i = 0; i < m->npools; i++) {
    const struct model_pool *p = &m->pools[i];
    fprintf(out, "  pool %s: utilization", p->name);
    for (size_t k = 0; k <= p->nserves; k++) {
      struct sim_tally tally = report_across(&pools, model_pool_row(m, i, k),
                                             MODEL_POOL_utilization, results, n);
      /* A pool without members all day has no utilization: a dash, as
       * print_metric shows a metric without a value. */
      char u[32] = "-";
      if (tally.n > 0)
        snprintf(u, sizeof u, "%.1f %%", 100 * sim_tally_mean(&tally));
      if (k < p->nserves)
        fprintf(out, "%s %s at %s", k ? "," : "", u, dept_names[p->serves[k]]);
      else
        fprintf(out, "; %s in all\n", u);
    }
  }
  if (dir)
    fprintf(out, "results in %s/\n", dir);
  free(dept_names);
  free(class_names);
}
