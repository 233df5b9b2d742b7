/*
 * cli/staff_output.c — what `loket staff` writes and prints:
 * staffing.csv, roster.csv, staffed.yaml, the staffed run's files and the
 * summary on the terminal.
 */
#include "cli/staff_output.h"
#include "cli/staff_planner.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/report.h"
#include "models/metrics.h"
#include "models/office.h"
#include "models/roster.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/progress.h"
#include "sim/runner.h"
#include "sim/stats.h"

static const char *const staffing_columns[] = {
  "department", "t_start", "clock", "arrivals_mean", "offered_load",
  "required_staff", "paid_staff", "service_level", "service_level_ci95",
  "abandoned", "wait_mean", "utilization", "meets_target", "erlang_c_staff",
  "erlang_a_staff", "erlang_c_service_level", "erlang_c_service_level_ci95",
  "roster_staff", "roster_service_level", "roster_service_level_ci95", NULL};

void staff_write_staffing(struct sim_csv *csv, const struct model *m,
                          const struct staff_plan *p)
{
  sim_csv_header(csv, staffing_columns);
  for (size_t d = 0; d < p->ndepartments; d++) {
    const struct staff_department *sd = &p->departments[d];
    for (uint32_t k = 0; k < p->nintervals; k++) {
      const struct staff_interval *in = &sd->intervals[k];
      char clock[32];
      report_clock(clock, sizeof clock, m, in->t_start);
      sim_csv_str(csv, m->departments[sd->index].name);
      sim_csv_num(csv, in->t_start);
      sim_csv_str(csv, clock);
      sim_csv_num(csv, in->found.arrivals);
      sim_csv_num(csv, in->offered_load);
      sim_csv_int(csv, in->required);
      sim_csv_int(csv, staff_paid(&p->brief, in->required));
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

void staff_write_roster(struct sim_csv *csv, const struct model *m,
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
      report_clock(clock, sizeof clock, m, c->start);
      sim_csv_str(csv, clock);
      report_clock(clock, sizeof clock, m, c->end);
      sim_csv_str(csv, clock);
      if (c->has_break) {
        report_clock(clock, sizeof clock, m, c->break_start);
        sim_csv_str(csv, clock);
        report_clock(clock, sizeof clock, m, c->break_end);
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

int staff_write_csv(const char *dir, const char *name, const struct model *m,
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

void staff_print_roster(FILE *out, const struct model *m, const struct staff_plan *p)
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

/* A whole text file, written like every output: under a temporary name
 * created exclusively (never through a planted link), then renamed. */
int staff_write_file(const char *dir, const char *name, const char *text,
                     char *err, size_t errlen)
{
  struct sim_csv out;
  if (sim_csv_open(&out, dir, name) != 0 || fputs(text, out.file) < 0 ||
      sim_csv_commit(&out) != 0) {
    snprintf(err, errlen, "%s", out.error[0] ? out.error : "cannot write the file");
    sim_csv_abort(&out);
    return -1;
  }
  sim_csv_abort(&out);   /* frees what is left; the file is committed */
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

int staff_write_run(const char *dir, const struct model *m, unsigned jobs,
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
    rc = report_write_run(dir, m, results, n, &pooled, NULL, err, errlen);
  }
  for (size_t i = 0; i < n; i++)
    model_result_fini(&results[i]);
  free(results);
  free(waits);
  sim_sketch_fini(&pooled);
  return rc;
}

void staff_print_summary(FILE *out, const struct model *m, const struct staff_plan *p,
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
          report_clock(clock, sizeof clock, m, in->t_start);
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
  if (m->npools)
    fprintf(out, "  note: the plan is of the departments' own staff, with the %zu "
            "pool%s as given; the Erlang plans do not count pools.\n", m->npools,
            m->npools == 1 ? "" : "s");
  staff_print_roster(out, m, p);
  fprintf(out, "results in %s/ (staffing.csv, staffed.yaml%s)\n", dir,
          m->staffing.nshifts ? ", roster.csv" : "");
}

/* Says so when a simulation of the plan failed; true then. */
