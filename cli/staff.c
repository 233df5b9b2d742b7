/*
 * cli/staff.c — the `loket staff` command: runs the plan, then writes
 * staffing.csv, roster.csv, staffed.yaml and the staffed run's files, and
 * prints the summary (those writers are cli/staff_output.c).
 */
#include "cli/staff.h"
#include "cli/staff_output.h"
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

/* ---- the command ---------------------------------------------------------- */

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
    if (cli_prepare_output_folder(dir, NULL, err, sizeof err) != 0) {
      fprintf(stderr, "loket: error: %s\n", err);
      exit_code = LOKET_EXIT_FAILURE;
    } else {
      staff_plan_roster(m, &plan, o->jobs, progress);
      if (plan_failed(&plan)) {
        exit_code = LOKET_EXIT_FAILURE;
      } else if (staff_write_csv(dir, "roster.csv", m, &plan, staff_write_roster, err,
                           sizeof err) != 0) {
        fprintf(stderr, "loket: error: %s\n", err);
        exit_code = LOKET_EXIT_FAILURE;
      } else if (!o->quiet) {
        printf("%s: the cheapest roster for the requirement in %s\n", m->name,
               o->requirement);
        staff_print_roster(stdout, m, &plan);
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
  if (cli_prepare_output_folder(dir, NULL, err, sizeof err) != 0) {
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
  char **added = NULL;
  size_t nadded = 0;
  char *yaml = staff_yaml(o->scenario, m, &plan, m->replications, sets, nsets, &added,
                          &nadded, err, sizeof err);
  struct model *staffed = NULL;
  if (yaml) {
    /* The staff of departments added by a --set comes after the sets. */
    const char **all = sim_xcalloc(nsets + nadded + 1, sizeof *all);
    memcpy(all, sets, nsets * sizeof *sets);
    for (size_t i = 0; i < nadded; i++)
      all[nsets + i] = added[i];
    char lerr[MODEL_ERROR_MAX];
    staffed = model_scenario_load_text(o->scenario, yaml, strlen(yaml), all,
                                       nsets + nadded, lerr, sizeof lerr);
    free(all);
    if (!staffed)
      snprintf(err, sizeof err, "the staffed scenario does not load: %.900s", lerr);
  }
  if (!staffed) {
    fprintf(stderr, "loket: error: %s\n", err);
    exit_code = LOKET_EXIT_FAILURE;
  } else if (staff_write_run(dir, staffed, o->jobs, err, sizeof err) != 0 ||
             staff_write_file(dir, "staffed.yaml", yaml, err, sizeof err) != 0 ||
             (m->staffing.nshifts > 0 &&
              staff_write_csv(dir, "roster.csv", m, &plan, staff_write_roster, err, sizeof err) != 0) ||
             staff_write_csv(dir, "staffing.csv", m, &plan, staff_write_staffing, err,
                       sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    exit_code = LOKET_EXIT_FAILURE;
  }
  if (exit_code == LOKET_EXIT_OK && !o->quiet) {
    staff_print_summary(stdout, m, &plan, dir);
    if (nsets > 0)
      printf("(staffed.yaml lists the --set overrides it was planned with; give them "
             "to loket run again)\n");
  }
  free(sets);
  for (size_t i = 0; i < nadded; i++)
    free(added[i]);
  free(added);
  if (staffed)
    model_free(staffed);
  free(yaml);
  free(dir);
  staff_plan_fini(&plan);
  model_free(m);
  return exit_code;
}
