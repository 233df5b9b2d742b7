/*
 * sim/stats.h — statistics accumulators.
 *
 * sim_sum       count and sum: the cheapest way to a mean, for the hot path
 *               (no division per observation).
 * sim_tally     count, mean, variance, min and max of observations
 *               (Welford's update; two tallies merge exactly with Chan's
 *               formula, up to floating-point rounding).
 * sim_timeavg   the time-average of a piecewise-constant quantity such as
 *               the number waiting; restartable at the end of a warm-up.
 * sim_sketch    a quantile sketch: a histogram over log-spaced buckets with
 *               256 buckets per power of two. A quantile is reported as the
 *               middle of its bucket, so its relative error is at most
 *               1/512 (0.2 %). Counts are integers, so merging sketches
 *               (replications, shards) is exact and order-independent.
 *               Values below 2^-30 (about 1e-9) count as zero; values of
 *               2^41 and above share the top bucket. Only the range of
 *               buckets in use is stored (a window that widens as values
 *               arrive), so an empty sketch costs no memory and a
 *               replication whose waits span a few powers of two touches a
 *               few KB, not the 145 KB of all 18 176 buckets.
 *               A buffered sketch (sim_sketch_init_buffered) does not
 *               touch that window on an add: it appends the value's bucket
 *               number (2 bytes) to a buffer of pending buckets, which is
 *               counted into the window when it holds
 *               SIM_SKETCH_PENDING_MAX of them (and read as it stands by
 *               the quantile, merge, count and equality below). It is for
 *               one of many sketches filled in turn, such as a department's
 *               among a thousand, whose every add would otherwise land on
 *               a cold cache line of its window: it writes one buffer line
 *               in turn, and a sketch of few values never builds a window
 *               at all. A lone sketch, whose window stays in cache, counts
 *               at once (buffering would cost it a few instructions an
 *               add). Buffering changes no result: the counts are the same.
 *
 * Quantiles use the nearest-rank definition: the q-quantile of n
 * observations is the ceil(q n)-th smallest (the smallest for q = 0).
 */
#ifndef LOKET_SIM_STATS_H
#define LOKET_SIM_STATS_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct sim_sum {
  uint64_t n;
  double sum;
};

static inline void sim_sum_add(struct sim_sum *s, double x)
{
  s->n++;
  s->sum += x;
}

/* Mean, or NaN when there are no observations. */
static inline double sim_sum_mean(const struct sim_sum *s)
{
  return s->n ? s->sum / (double)s->n : (double)NAN;
}

struct sim_tally {
  uint64_t n;
  double mean, m2, min, max;
};

static inline void sim_tally_init(struct sim_tally *t)
{
  memset(t, 0, sizeof *t);
}

static inline void sim_tally_add(struct sim_tally *t, double x)
{
  t->n++;
  double d = x - t->mean;
  t->mean += d / (double)t->n;
  t->m2 += d * (x - t->mean);
  if (t->n == 1 || x < t->min)
    t->min = x;
  if (t->n == 1 || x > t->max)
    t->max = x;
}

void sim_tally_merge(struct sim_tally *into, const struct sim_tally *from);
/* Sample variance (n - 1 in the denominator); NaN for fewer than 2. */
double sim_tally_variance(const struct sim_tally *t);
/* Mean, or NaN when there are no observations. */
double sim_tally_mean(const struct sim_tally *t);

struct sim_timeavg {
  double start;  /* beginning of the observation window */
  double last;   /* time of the last change */
  double value;  /* current value */
  double area;   /* integral of value over [start, last] */
};

void sim_timeavg_init(struct sim_timeavg *a, double t, double value);
static inline void sim_timeavg_set(struct sim_timeavg *a, double t, double value)
{
  a->area += a->value * (t - a->last);
  a->last = t;
  a->value = value;
}
/* Forgets the past: the window starts again at t with the current value. */
void sim_timeavg_restart(struct sim_timeavg *a, double t);
/* Time-average over [start, t]; NaN for an empty window. */
double sim_timeavg_mean(const struct sim_timeavg *a, double t);
/* Integral over [start, t]. */
double sim_timeavg_area(const struct sim_timeavg *a, double t);

#define SIM_SKETCH_SUB_BITS 8
#define SIM_SKETCH_EXP_MIN (-30)
#define SIM_SKETCH_EXP_MAX 40
#define SIM_SKETCH_BUCKETS \
  ((SIM_SKETCH_EXP_MAX - SIM_SKETCH_EXP_MIN + 1) << SIM_SKETCH_SUB_BITS)

/* Pending buckets counted into the window at once, at most (8 KB). */
#define SIM_SKETCH_PENDING_MAX 4096

/* 40 bytes: bucket numbers and buffer sizes fit in 2 bytes, and the count
 * of zeros is not kept but derived (n less what the buckets hold), so that
 * a department's sketch and the other fields its visits touch share one
 * cache line (models/metrics_state.h). */
struct sim_sketch {
  uint64_t n;        /* observations, zeros included */
  uint64_t *counts;  /* counts[i - lo]: bucket i, for lo <= i < hi; NULL
                      * (and lo = hi) while nothing has been counted */
  uint16_t *pending; /* buckets of values > 0 added since the last
                      * settling, in order of arrival: pending[0 ..
                      * npending - 1]; room for pending_cap */
  uint16_t lo, hi;
  uint16_t direct;   /* hi - lo, the buckets an add counts at once; 0 when
                      * buffered (every add goes to pending) */
  uint16_t npending, pending_cap;
  bool buffered;
};

_Static_assert(SIM_SKETCH_BUCKETS <= UINT16_MAX && SIM_SKETCH_PENDING_MAX <= UINT16_MAX,
               "bucket numbers and buffer sizes fit in 2 bytes");

void sim_sketch_init(struct sim_sketch *s);
/* An empty sketch whose adds are buffered (see above). */
void sim_sketch_init_buffered(struct sim_sketch *s);
void sim_sketch_fini(struct sim_sketch *s);
/* Forgets every observation (keeps the storage for reuse). */
void sim_sketch_clear(struct sim_sketch *s);
/* Widens the window to hold buckets [lo, hi) (the rare path of an
 * unbuffered add). */
void sim_sketch_widen(struct sim_sketch *s, uint32_t lo, uint32_t hi);
/* Counts the pending buckets into the window (none are left pending).
 * Changes nothing a reader sees; lo, hi and counts then hold every
 * observation > 0. */
void sim_sketch_settle(struct sim_sketch *s);
/* The add of bucket `index` that does not fall in the window of an
 * unbuffered sketch (which widens), or finds a buffered one's buffer full
 * (which grows or is counted). */
void sim_sketch_add_rare(struct sim_sketch *s, uint32_t index);

/* The bucket of x >= 2^-30 comes straight from its IEEE-754 bits: the
 * binary exponent picks the power of two, the top mantissa bits the
 * sub-bucket. Buckets are therefore log-spaced to within a factor
 * 1 + 2^-8 without calling log(). */
static inline uint32_t sim_sketch_bucket(double x)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int exponent = (int)((bits >> 52) & 0x7ff) - 1023;
  if (exponent > SIM_SKETCH_EXP_MAX)
    return SIM_SKETCH_BUCKETS - 1;
  return ((uint32_t)(exponent - SIM_SKETCH_EXP_MIN) << SIM_SKETCH_SUB_BITS) |
         (uint32_t)((bits >> (52 - SIM_SKETCH_SUB_BITS)) &
                    ((1u << SIM_SKETCH_SUB_BITS) - 1));
}

/* Adds one observation; x must be >= 0 (negative values count as zero). */
static inline void sim_sketch_add(struct sim_sketch *s, double x)
{
  s->n++;
  if (!(x >= 0x1p-30))
    return;   /* a zero: counted in n alone */
  uint32_t index = sim_sketch_bucket(x);
  uint32_t offset = index - (uint32_t)s->lo;   /* wraps below lo */
  if (offset < s->direct)
    s->counts[offset]++;
  else if (s->npending < s->pending_cap)   /* buffered, with room */
    s->pending[s->npending++] = (uint16_t)index;
  else
    sim_sketch_add_rare(s, index);
}

/* The count of bucket `index` (0 outside the window), pending buckets
 * included: O(npending) while any are pending (never for a sketch filled
 * by merges only, which counts everything into its window). */
static inline uint64_t sim_sketch_count(const struct sim_sketch *s, size_t index)
{
  uint64_t count = index >= s->lo && index < s->hi ? s->counts[index - s->lo] : 0;
  for (uint32_t i = 0; i < s->npending; i++)
    count += s->pending[i] == index;
  return count;
}

/* Adds from's observations to into's: into's window grows to hold them
 * all (from's pending ones too; into's own stay pending). */
void sim_sketch_merge(struct sim_sketch *into, const struct sim_sketch *from);
/* The observations that count as zero: O(window). */
uint64_t sim_sketch_zeros(const struct sim_sketch *s);
/* The q-quantile (0 <= q <= 1); NaN when empty. */
double sim_sketch_quantile(const struct sim_sketch *s, double q);
/* The value that stands for bucket `index` (the middle of its range). */
double sim_sketch_bucket_middle(size_t index);

/* True when two sketches hold the same counts (merges are exact). */
bool sim_sketch_equal(const struct sim_sketch *a, const struct sim_sketch *b);

/* Student-t 95 % half-width for the mean of a tally: t(0.975, n-1) sd/sqrt(n);
 * NaN for n < 2. */
double sim_tally_ci95_halfwidth(const struct sim_tally *t);

/* The 95 % half-width for the difference of the means of two independent
 * samples (Welch: t(0.975, nu) sqrt(va/na + vb/nb), nu by
 * Welch-Satterthwaite); 0 when both samples are constant, NaN when either
 * has fewer than 2 observations. For paired samples, put the differences
 * in one tally and use sim_tally_ci95_halfwidth() instead. */
double sim_tally_welch_ci95_halfwidth(const struct sim_tally *a,
                                      const struct sim_tally *b);

#endif
