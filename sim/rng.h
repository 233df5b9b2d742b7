/*
 * sim/rng.h — independent random streams.
 *
 * A model draws from several streams, one per purpose (arrivals, each
 * department's service, patience, routing, ...). Each stream is a GSL
 * generator, so every GSL sampler (gsl_ran_*) works on it, but of loket's
 * own type: xoshiro256++ (Blackman and Vigna, 2019), 256 bits of state, a
 * period of 2^256 - 1, and output that passes BigCrush and PractRand. It
 * replaces GSL's MT19937 because its state is 32 bytes instead of 2.5 KB
 * (a department holds six streams: that was 30 KB of cache per department)
 * and one draw is a handful of adds, shifts and rotations.
 *
 * A stream's state is derived from the triple (scenario seed, replication,
 * stream id) by SplitMix64: the triple is hashed to a 64-bit key, and the
 * key seeds the four state words. A stream therefore depends on nothing
 * else: not on the thread that runs the replication, not on the order
 * replications run in, and not on how many draws other streams made.
 * Adding staff to one department does not shift the arrival stream, and
 * replication r sees the same streams at every point of a sweep (common
 * random numbers).
 *
 * Limit: two distinct triples share a stream when their 64-bit keys
 * collide, with probability 2^-64 per pair (for 10^4 streams x 10^6
 * replications, about 3e-9 for any coincidence). Streams with distinct keys
 * start at unrelated points of the period; with 2^256 values, overlapping
 * stretches of any realistic length are vanishingly unlikely.
 *
 * The hot path does not go through GSL's function pointer: sim_rng_u64,
 * sim_rng_uniform and sim_rng_exponential below reach the xoshiro state of
 * a loket stream directly (a debug build asserts that the generator is of
 * loket's type) and are inlined. sim_rng_uniform returns the same numbers
 * as gsl_rng_uniform on the same stream.
 */
#ifndef LOKET_SIM_RNG_H
#define LOKET_SIM_RNG_H

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sim/check.h"

/* loket's generator as a GSL type: gsl_rng_alloc(sim_rng_xoshiro256pp).
 * gsl_rng_get returns the top 32 bits of each 64-bit output (so that
 * gsl_rng_uniform_int and friends see a plain 32-bit generator),
 * gsl_rng_uniform the top 53 bits scaled to [0, 1). gsl_rng_set(r, s)
 * seeds the state from s by SplitMix64. */
extern const gsl_rng_type *const sim_rng_xoshiro256pp;

/* The state of one stream, as GSL allocates it behind gsl_rng.state. */
struct sim_rng_state {
  uint64_t s[4];
};

/* The 64-bit key of a stream, from which its state is seeded. */
uint64_t sim_rng_stream_seed(uint64_t seed, uint64_t replication,
                             uint64_t stream);

/* A generator positioned at the start of the stream. Free with gsl_rng_free. */
gsl_rng *sim_rng_new(uint64_t seed, uint64_t replication, uint64_t stream);

/* A stream held in place, with no allocation: `gsl` is a gsl_rng of
 * loket's type whose state is `state`, usable with every GSL sampler
 * (&r->gsl). Set up by sim_rng_init in about 50 instructions; never freed
 * with gsl_rng_free, and not to be copied after init (gsl points into it). */
struct sim_rng {
  gsl_rng gsl;
  struct sim_rng_state state;
};

/* Positions r at the start of the stream (seed, replication, stream). */
void sim_rng_init(struct sim_rng *r, uint64_t seed, uint64_t replication,
                  uint64_t stream);

/* Seeds a bare state from a 64-bit key (for code that keeps the state
 * itself rather than a gsl_rng, such as bench/'s floor programs). */
void sim_rng_state_seed(struct sim_rng_state *x, uint64_t key);

static inline uint64_t sim_rng_rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* The next 64-bit output of xoshiro256++. */
static inline uint64_t sim_rng_state_next(struct sim_rng_state *x)
{
  uint64_t *s = x->s;
  uint64_t result = sim_rng_rotl(s[0] + s[3], 23) + s[0];
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = sim_rng_rotl(s[3], 45);
  return result;
}

/* The xoshiro state of a loket stream. */
static inline struct sim_rng_state *sim_rng_state_of(gsl_rng *r)
{
  sim_assert_debug(r->type == sim_rng_xoshiro256pp);
  return (struct sim_rng_state *)r->state;
}

static inline uint64_t sim_rng_u64(gsl_rng *r)
{
  return sim_rng_state_next(sim_rng_state_of(r));
}

/* A uniform variate in [0, 1): the top 53 bits of one output. */
static inline double sim_rng_state_uniform(struct sim_rng_state *x)
{
  return (double)(sim_rng_state_next(x) >> 11) * 0x1p-53;
}

static inline double sim_rng_uniform(gsl_rng *r)
{
  return sim_rng_state_uniform(sim_rng_state_of(r));
}

/* The exponential ziggurat of Marsaglia and Tsang (2000), 256 strips, in
 * the 64-bit form numpy uses: 8 bits of an output pick a strip, 53 more a
 * point in it. Tables in sim/rng.c. */
struct sim_rng_zig_strip {
  uint64_t k;   /* the rectangle's share of the strip, as a 53-bit bound */
  double w;     /* the strip's width per unit of the 53 bits */
};
extern const struct sim_rng_zig_strip sim_rng_zig[256];
extern const double sim_rng_zig_f[256];

/* The rare cases (about 1.1 % of draws): the base strip's tail and the
 * wedges outside the rectangles. */
double sim_rng_state_exponential_slow(struct sim_rng_state *x, unsigned strip,
                                      double candidate);

/* A standard exponential variate (mean 1). */
static inline double sim_rng_state_exponential1(struct sim_rng_state *x)
{
  uint64_t bits = sim_rng_state_next(x) >> 3;
  unsigned strip = (unsigned)(bits & 0xff);
  bits >>= 8;
  double candidate = (double)bits * sim_rng_zig[strip].w;
  if (bits < sim_rng_zig[strip].k)
    return candidate;   /* inside the strip's rectangle: 98.9 % of draws */
  return sim_rng_state_exponential_slow(x, strip, candidate);
}

/* An exponential variate with the given mean, by the ziggurat: no log()
 * and no call on 98.9 % of draws. */
static inline double sim_rng_exponential(gsl_rng *r, double mean)
{
  return mean * sim_rng_state_exponential1(sim_rng_state_of(r));
}

/* A discrete distribution over 0 .. n-1 by Walker's alias method (Vose's
 * construction): one uniform and one comparison per draw, whatever n, where
 * a scan of cumulative probabilities costs O(n). Column i holds outcome i
 * with probability cut[i] and outcome alias[i] otherwise. */
struct sim_rng_alias_column {
  double cut;
  uint32_t alias;
  uint32_t value;   /* what outcome i stands for: i unless the caller sets
                       it (sim_rng_alias_draw_value); in the padding */
};

/* A column's cut and alias side by side: a draw reads one cache line of
 * the table, not two. */
struct sim_rng_alias {
  uint32_t n;
  struct sim_rng_alias_column *column;
};

/* Builds the table for weights w[0 .. n-1] (>= 0, not all 0; they need not
 * add up to 1). n >= 1. */
void sim_rng_alias_init(struct sim_rng_alias *a, const double *w, uint32_t n);
void sim_rng_alias_fini(struct sim_rng_alias *a);
/* As sim_rng_alias_init, with the n columns in the caller's storage (say
 * beside other data a draw reads, so that it finds them in the same cache
 * line); such a table is not passed to sim_rng_alias_fini. */
void sim_rng_alias_init_in(struct sim_rng_alias *a, const double *w, uint32_t n,
                           struct sim_rng_alias_column *columns);

/* u * n < n for every uniform u and every n < 2^32, so the column is
 * always in the table: u <= 1 - 2^-53, and n - n 2^-53 lies more than
 * half a unit in the last place below n (at n = 2^e it is a double
 * itself), so the product rounds to below n (tests/test_rng.c checks the
 * largest u against n up to 2^32 - 1). */
static inline uint32_t sim_rng_alias_draw(const struct sim_rng_alias *a, gsl_rng *r)
{
  double u = sim_rng_uniform(r) * (double)a->n;
  uint32_t i = (uint32_t)u;
  sim_assert_debug(i < a->n);
  const struct sim_rng_alias_column *column = &a->column[i];
  return u - (double)i < column->cut ? i : column->alias;
}

/* The same draw, returning the drawn outcome's value instead of its
 * index: the caller's answer (a department, say) comes from the table the
 * draw reads, with no table of its own to look it up in. */
static inline uint32_t sim_rng_alias_draw_value(const struct sim_rng_alias *a,
                                                gsl_rng *r)
{
  return a->column[sim_rng_alias_draw(a, r)].value;
}

/* Replaces GSL's default error handler (which aborts) so that GSL calls
 * return error codes; call once at program start. */
void sim_rng_quiet_gsl_errors(void);

#endif
