/*
 * sim/rng.h — independent random streams.
 *
 * A model draws from several streams, one per purpose (arrivals, each
 * department's service, patience, routing, ...). Each stream is a GSL
 * generator (MT19937) whose seed is derived from the triple
 * (scenario seed, replication, stream id) by a SplitMix64 hash. A stream
 * therefore depends on nothing else: not on the thread that runs the
 * replication, not on the order replications run in, and not on how many
 * draws other streams made. Adding staff to one department does not shift
 * the arrival stream, and replication r sees the same streams at every
 * point of a sweep (common random numbers).
 *
 * Limit: MT19937 in GSL takes a 32-bit seed, so two distinct triples share a
 * stream with probability 2^-32 per pair; for 100 streams x 1000
 * replications the chance of any coincidence is about 0.1 %, and a
 * coincidence only correlates two streams, it breaks nothing.
 */
#ifndef LOKET_SIM_RNG_H
#define LOKET_SIM_RNG_H

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The 32-bit generator seed for a stream; never 0. */
unsigned long sim_rng_stream_seed(uint64_t seed, uint64_t replication,
                                  uint64_t stream);

/* A generator positioned at the start of the stream. Free with gsl_rng_free. */
gsl_rng *sim_rng_new(uint64_t seed, uint64_t replication, uint64_t stream);

/* An exponential variate with the given mean: the same formula and the same
 * numbers as gsl_ran_exponential (-mean log1p(-u) with u = gsl_rng_uniform),
 * inlined because it is drawn for nearly every event. */
static inline double sim_rng_exponential(gsl_rng *r, double mean)
{
  return -mean * log1p(-gsl_rng_uniform(r));
}

/* Replaces GSL's default error handler (which aborts) so that GSL calls
 * return error codes; call once at program start. */
void sim_rng_quiet_gsl_errors(void);

#endif
