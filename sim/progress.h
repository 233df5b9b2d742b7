/*
 * sim/progress.h — a progress line on stderr for long runs.
 *
 * Shown only when stderr is a terminal (or when forced), so logs and pipes
 * stay clean. The line is redrawn in place: what is done, the elapsed time
 * the rate, and an estimate of the time left, e.g.
 *   "tasks 12/30  2.9/s  4.1 s elapsed  ~6.2 s left"
 */
#ifndef LOKET_SIM_PROGRESS_H
#define LOKET_SIM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sim_progress {
  FILE *out;         /* NULL when silent */
  const char *what;  /* "replications", "tasks" */
  double started;    /* monotonic seconds */
  bool drawn;
};

/* enabled: -1 automatic (only on a terminal), 0 never, 1 always. */
void sim_progress_init(struct sim_progress *p, const char *what, int enabled);
/* Matches sim_progress_fn; ctx is a struct sim_progress. */
void sim_progress_update(void *ctx, size_t done, size_t total);
/* Ends the line (if one was drawn). */
void sim_progress_fini(struct sim_progress *p);

/* Seconds on a monotonic clock. */
double sim_progress_now(void);

#endif
