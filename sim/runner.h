/*
 * sim/runner.h — independent tasks (replications, sweep points) on threads.
 *
 * The runner calls fn(ctx, task, result) for task = 0 .. ntasks-1 on `jobs`
 * threads. Each task writes only into its own result slot, so the results
 * are the same whatever the number of threads and whatever order tasks
 * finish in; callers report them in task order. The calling thread waits
 * and, given a progress callback, reports progress after every finished
 * task; without one it sleeps until all are done (or one failed), so that
 * small tasks pay no wake-up each.
 *
 * A task returns 0 on success or a nonzero status; the runner then starts
 * no new tasks and returns the status of the lowest-numbered failed task.
 */
#ifndef LOKET_SIM_RUNNER_H
#define LOKET_SIM_RUNNER_H

#include <stddef.h>

typedef int (*sim_task_fn)(void *ctx, size_t task, void *result);
typedef void (*sim_progress_fn)(void *progress_ctx, size_t done, size_t total);

struct sim_runner {
  size_t ntasks;
  unsigned jobs;          /* threads; 0 means one per processor */
  sim_task_fn fn;
  void *ctx;
  void *results;          /* ntasks slots of result_size bytes */
  size_t result_size;
  sim_progress_fn progress; /* may be NULL */
  void *progress_ctx;
};

int sim_runner_run(const struct sim_runner *runner);

/* Number of online processors (at least 1). */
unsigned sim_runner_processors(void);

#endif
