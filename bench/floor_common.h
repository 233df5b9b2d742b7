/*
 * bench/floor_common.h — shared helpers of the hand-written floor programs.
 *
 * Each floor is built twice, once per generator:
 *
 *   floor_*_gsl   GSL's MT19937 through gsl_rng_uniform and the inversion
 *                 formula of gsl_ran_exponential (-mean log1p(-u)), streams
 *                 seeded as loket seeded them up to output version 1;
 *   floor_*_fast  (FLOOR_FAST) xoshiro256++ kept in a local struct, so the
 *                 compiler holds its state in registers, and the ziggurat
 *                 exponential of sim/rng.h, all inlined; streams seeded from
 *                 sim_rng_stream_seed exactly as sim_rng_new seeds loket's.
 *
 * The fast floor is the physical floor the benchmark measures against: no
 * function call per draw, no log() on 98.9 % of draws, no event list, no
 * customer pool, no statistics. With the scenario's seed a floor sees the
 * very same draws as replication 1 of `loket run` when loket uses the same
 * generator, which makes the sanity statistics directly comparable.
 */
#ifndef LOKET_BENCH_FLOOR_COMMON_H
#define LOKET_BENCH_FLOOR_COMMON_H

#include <errno.h>
#include <math.h>
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

#ifdef FLOOR_FAST
#define FLOOR_GENERATOR "xoshiro256++ and ziggurat, inlined"
struct floor_rng {
  struct sim_rng_state state;
};

/* Stream `stream` of replication 0 (replication 1 in loket's CSVs). */
static inline void floor_rng_init(struct floor_rng *r, uint64_t seed, uint64_t stream)
{
  sim_rng_state_seed(&r->state, sim_rng_stream_seed(seed, 0, stream));
}

static inline double floor_exponential(struct floor_rng *r, double mean)
{
  return mean * sim_rng_state_exponential1(&r->state);
}

static inline void floor_rng_fini(struct floor_rng *r) { (void)r; }
#else
#define FLOOR_GENERATOR "GSL MT19937 and inversion"
struct floor_rng {
  gsl_rng *gsl;
};

static inline void floor_rng_init(struct floor_rng *r, uint64_t seed, uint64_t stream)
{
  r->gsl = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r->gsl)
    exit(1);
  uint64_t key = sim_rng_stream_seed(seed, 0, stream);
  unsigned long s = (unsigned long)(key >> 32);
  gsl_rng_set(r->gsl, s ? s : 0x5eed5eedUL);
}

static inline double floor_exponential(struct floor_rng *r, double mean)
{
  return -mean * log1p(-gsl_rng_uniform(r->gsl));
}

static inline void floor_rng_fini(struct floor_rng *r) { gsl_rng_free(r->gsl); }
#endif

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
