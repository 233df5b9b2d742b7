/* `loket merge DIR`: the journals of a sweep into sweep.csv and
 * sweep_replications.csv (see cli/sweep.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "cli/sweep.h"
#include "cli/sweep_journal.h"
#include "cli/sweep_plan.h"
#include "models/metrics.h"
#include "sim/check.h"
#include "sim/csv.h"
#include "sim/stats.h"

static void axis_columns(struct sim_csv *csv, const struct sweep_plan *p)
{
  for (size_t a = 0; a < p->naxes; a++)
    sim_csv_str(csv, p->axes[a].path);
}

static void axis_values(struct sim_csv *csv, const struct sweep_plan *p, size_t point)
{
  for (size_t a = 0; a < p->naxes; a++)
    sim_csv_str(csv, p->axes[a].values[sweep_plan_value(p, point, a)]);
}

static int write_outputs(const char *dir, const struct sweep_plan *p, const double *rows,
                         char *err, size_t errlen)
{
  /* Zeroed: when the first open fails the second is never tried, and
   * both are aborted. */
  struct sim_csv reps = {0}, points = {0};
  if (sim_csv_open(&reps, dir, "sweep_replications.csv") != 0 ||
      sim_csv_open(&points, dir, "sweep.csv") != 0) {
    snprintf(err, errlen, "%s", reps.failed ? reps.error : points.error);
    sim_csv_abort(&reps);
    sim_csv_abort(&points);
    return -1;
  }
  axis_columns(&reps, p);
  sim_csv_str(&reps, "replication");
  sim_csv_header(&reps, model_summary_columns);
  axis_columns(&points, p);
  for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
    char name[96];
    snprintf(name, sizeof name, "%s_mean", model_summary_columns[c]);
    sim_csv_str(&points, name);
    snprintf(name, sizeof name, "%s_ci95", model_summary_columns[c]);
    sim_csv_str(&points, name);
  }
  sim_csv_end_row(&points);

  size_t R = p->replications;
  for (size_t point = 0; point < p->npoints; point++) {
    for (size_t r = 0; r < R; r++) {
      const double *row = rows + (point * R + r) * MODEL_SUMMARY_NCOLS;
      axis_values(&reps, p, point);
      sim_csv_int(&reps, (int64_t)r + 1);
      for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++)
        sim_csv_num(&reps, row[c]);
      sim_csv_end_row(&reps);
    }
    axis_values(&points, p, point);
    for (size_t c = 0; c < MODEL_SUMMARY_NCOLS; c++) {
      struct sim_tally t;
      sim_tally_init(&t);
      for (size_t r = 0; r < R; r++) {
        double x = rows[(point * R + r) * MODEL_SUMMARY_NCOLS + c];
        if (!isnan(x))
          sim_tally_add(&t, x);
      }
      sim_csv_num(&points, sim_tally_mean(&t));
      sim_csv_num(&points, sim_tally_ci95_halfwidth(&t));
    }
    sim_csv_end_row(&points);
  }
  struct sim_csv *both[] = {&reps, &points};
  const struct sim_csv *failed = NULL;
  if (sim_csv_commit_all(both, 2, &failed) != 0) {
    snprintf(err, errlen, "%s", failed->error);
    sim_csv_abort(&reps);
    sim_csv_abort(&points);
    return -1;
  }
  sim_csv_abort(&reps);
  sim_csv_abort(&points);
  return 0;
}

int cli_merge(const char *dir)
{
  char err[8192];
  struct sweep_plan p;
  if (sweep_plan_read(&p, dir, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s%s\n", err,
            errno == ENOENT ? " (is it a sweep folder?)" : "");
    return LOKET_EXIT_USAGE;
  }
  size_t T = p.npoints * p.replications;
  uint64_t plan_id;
  if (sweep_plan_identity(dir, &plan_id, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    sweep_plan_fini(&p);
    return LOKET_EXIT_USAGE;
  }
  struct sweep_done done;
  sweep_done_init(&done, T, plan_id);
  size_t journals = 0;
  int rc = LOKET_EXIT_OK;
  if (sweep_journals_read(dir, NULL, &done, &journals, err, sizeof err) != 0) {
    /* A damaged journal is bad input, like a damaged plan. */
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_USAGE;
  }
  size_t missing = 0, first_missing = 0;
  for (size_t t = 0; t < T; t++)
    if (!done.done[t] && missing++ == 0)
      first_missing = t;
  if (rc == LOKET_EXIT_OK && missing) {
    fprintf(stderr, "loket: error: %zu of %zu tasks are missing (the first is task "
                    "%zu: point %zu, replication %zu) in %zu shard file%s in '%s'; "
                    "run the missing shards, then merge again\n",
            missing, T, first_missing, first_missing / p.replications + 1,
            first_missing % p.replications + 1, journals, journals == 1 ? "" : "s", dir);
    rc = LOKET_EXIT_FAILURE;
  }
  if (rc == LOKET_EXIT_OK && write_outputs(dir, &p, done.rows, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    rc = LOKET_EXIT_FAILURE;
  }
  sweep_done_fini(&done);
  sweep_plan_fini(&p);
  return rc;
}
