/*
 * cli/run.c — `loket run`: loads the scenario, runs its replications on the
 * runner's threads (with the customer trace if asked) and writes the run
 * folder. Also used by `loket check` (the loading) and `loket compare`
 * (one run per variant).
 */
#include "cli/run.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/report.h"
#include "cli/trace.h"
#include "models/office.h"
#include "models/scenario.h"
#include "sim/check.h"
#include "sim/progress.h"
#include "sim/stats.h"
#include "sim/runner.h"

struct run_ctx {
  const struct model *model;
  uint64_t seed;
  struct cli_trace *trace;  /* NULL: no customers.csv */
  struct sim_sketch waits;  /* pooled over replications (waits.csv) */
  pthread_mutex_t lock;     /* guards waits and failed */
  size_t failed;            /* the first replication that failed, or SIZE_MAX */
  int failed_status;
};

/* One replication. Its histogram of waits is merged into the pool as soon
 * as it is done: counts add exactly, so the order replications finish in
 * does not matter, and memory stays at one histogram per thread. */
static int run_replication(void *ctx, size_t task, void *result)
{
  struct run_ctx *rc = ctx;
  struct model_result *r = result;
  struct sim_sketch waits;
  sim_sketch_init(&waits);
  r->waits = &waits;
  struct model_journey_sink sink = {NULL, NULL};
  if (rc->trace)
    sink = cli_trace_begin(rc->trace, task);
  int status = model_office_run_traced(rc->model, rc->seed, (uint32_t)task, r, sink);
  if (rc->trace)
    cli_trace_end(rc->trace, task);
  pthread_mutex_lock(&rc->lock);
  sim_sketch_merge(&rc->waits, &waits);
  if (status != 0 && (rc->failed == SIZE_MAX || task < rc->failed)) {
    rc->failed = task;
    rc->failed_status = status;
  }
  pthread_mutex_unlock(&rc->lock);
  r->waits = NULL;
  sim_sketch_fini(&waits);
  return status;
}

struct model *cli_load(const struct options *o)
{
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(o->scenario, o->sets, o->nsets, err,
                                        sizeof err);
  if (!m)
    fprintf(stderr, "%s\n", err);
  return m;
}

int cli_run(const struct options *o)
{
  struct model *m = cli_load(o);
  if (!m)
    return LOKET_EXIT_USAGE;
  if (o->have_seed)
    m->seed = o->seed;
  if (o->have_replications)
    m->replications = o->replications;
  if (o->trace)
    m->trace_customers = true;
  /* An unstable department is worth a word before a long run (not with
   * --quiet, which silences everything but errors). */
  char warnings[4096];
  if (!o->quiet && model_scenario_warnings(m, o->scenario, warnings, sizeof warnings) > 0)
    fputs(warnings, stderr);

  /* Results are kept per replication until the end; the time series is the
   * only part that grows with the model, so it is the one to check. */
  double series_bytes = (double)m->replications * (double)m->ndepartments *
                        (double)m->nintervals * MODEL_TIMESERIES_NCOLS * sizeof(double);
  if (series_bytes > 4.0 * (1u << 30)) {
    fprintf(stderr, "loket: error: the time series of %u replications x %zu "
                    "departments x %u intervals would need %.1f GiB; make "
                    "output.interval longer or run fewer replications\n",
            m->replications, m->ndepartments, m->nintervals,
            series_bytes / (1u << 30));
    model_free(m);
    return LOKET_EXIT_USAGE;
  }

  /* The folder is made (or found unwritable) before anything is simulated. */
  char *dir = cli_output_folder(o->out, m->name, "");
  char err[1024];
  bool created = false;
  if (cli_prepare_output_folder(dir, &created, err, sizeof err) != 0) {
    fprintf(stderr, "loket: error: %s\n", err);
    free(dir);
    model_free(m);
    return LOKET_EXIT_FAILURE;
  }

  size_t n = m->replications;
  struct model_result *results = sim_xcalloc(n, sizeof *results);
  for (size_t i = 0; i < n; i++)
    model_result_init(&results[i], m);

  /* The customer trace streams into the output folder while running. */
  struct cli_trace trace;
  bool tracing = m->trace_customers;
  if (tracing)
    cli_trace_init(&trace, m, dir, n);

  struct sim_progress progress;
  sim_progress_init(&progress, "replications", o->progress);
  struct run_ctx ctx = {.model = m, .seed = m->seed,
                        .trace = tracing ? &trace : NULL, .failed = SIZE_MAX};
  sim_sketch_init(&ctx.waits);
  pthread_mutex_init(&ctx.lock, NULL);
  struct sim_runner runner = {
    .ntasks = n, .jobs = o->jobs, .fn = run_replication, .ctx = &ctx,
    .results = results, .result_size = sizeof *results,
    .progress = sim_progress_update, .progress_ctx = &progress,
  };
  int status = sim_runner_run(&runner);
  sim_progress_fini(&progress);

  int exit_code = LOKET_EXIT_OK;
  struct sim_csv *customers = NULL;   /* the trace's file, committed with the rest */
  if (status != 0) {
    if (ctx.failed != SIZE_MAX && results[ctx.failed].error)
      fprintf(stderr, "loket: error: replication %zu failed: %s; no output was "
                      "written\n", ctx.failed + 1, results[ctx.failed].error);
    else if (ctx.failed != SIZE_MAX)
      fprintf(stderr, "loket: error: replication %zu failed (status %d); no output "
                      "was written\n", ctx.failed + 1, ctx.failed_status);
    else
      fprintf(stderr, "loket: error: a replication failed (status %d); no output "
                      "was written\n", status);
    exit_code = LOKET_EXIT_FAILURE;
  } else if ((tracing && !(customers = cli_trace_finish(&trace, err, sizeof err))) ||
             report_write_run(dir, m, results, n, &ctx.waits, customers, err,
                              sizeof err) != 0 ||
             /* an earlier traced run's journeys are not this run's */
             (!tracing && report_remove_stale(dir, "customers.csv", "with --trace",
                                              err, sizeof err) != 0)) {
    fprintf(stderr, "loket: error: %s\n", err);
    exit_code = LOKET_EXIT_FAILURE;
  } else if (!o->quiet) {
    report_print_summary(stdout, m, results, n, dir);
  }
  if (tracing)
    cli_trace_fini(&trace);
  /* A run that failed wrote nothing: a folder it made for that goes too. */
  if (exit_code != LOKET_EXIT_OK)
    cli_output_folder_unused(dir, created);
  sim_sketch_fini(&ctx.waits);
  pthread_mutex_destroy(&ctx.lock);

  for (size_t i = 0; i < n; i++)
    model_result_fini(&results[i]);
  free(results);
  free(dir);
  model_free(m);
  return exit_code;
}
