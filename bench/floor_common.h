/*
 * bench/floor_common.h — shared helpers of the hand-written floor programs.
 *
 * The floors draw from the same generator as loket — GSL's MT19937 through
 * sim_rng_exponential (gsl_ran_exponential's formula, inlined) — and take
 * their streams from sim_rng_new, so with the scenario's seed a floor sees
 * the very same draws as replication 1 of `loket run`, which makes the
 * sanity statistics directly comparable. They use nothing else of loket:
 * no event list, no customer pool, no statistics.
 */
#ifndef LOKET_BENCH_FLOOR_COMMON_H
#define LOKET_BENCH_FLOOR_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "models/office.h"
#include "sim/rng.h"

/* Stream ids of department 0 and arrival stream 0 (models/office.h). */
#define FLOOR_STREAM_ARRIVALS MODEL_STREAM_ARRIVALS
#define FLOOR_STREAM_SERVICE MODEL_STREAM_SERVICE
#define FLOOR_STREAM_PATIENCE MODEL_STREAM_PATIENCE

/* Stream `stream` of replication 0 (replication 1 in loket's CSVs). */
static inline gsl_rng *floor_rng(uint64_t seed, uint64_t stream)
{
  return sim_rng_new(seed, 0, stream);
}

/* Seconds on the monotonic clock. */
static inline double floor_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Parses argv[i] as a whole number if present; keeps *out otherwise. */
static inline void floor_arg(int argc, char **argv, int i, uint64_t *out)
{
  if (i >= argc)
    return;
  char *end;
  errno = 0;
  unsigned long long x = strtoull(argv[i], &end, 10);
  if (argv[i][0] == '\0' || argv[i][0] == '-' || *end != '\0' || errno == ERANGE) {
    fprintf(stderr, "%s: argument %d must be a whole number, got '%s'\n",
            argv[0], i, argv[i]);
    exit(2);
  }
  *out = x;
}

#endif
