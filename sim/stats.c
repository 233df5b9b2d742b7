#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "sim/check.h"

void sim_tally_merge(struct sim_tally *into, const struct sim_tally *from)
{
  if (from->n == 0)
    return;
  if (into->n == 0) {
    *into = *from;
    return;
  }
  double na = (double)into->n, nb = (double)from->n, n = na + nb;
  double d = from->mean - into->mean;
  into->mean += d * nb / n;
  into->m2 += from->m2 + d * d * na * nb / n;
  into->n += from->n;
  if (from->min < into->min)
    into->min = from->min;
  if (from->max > into->max)
    into->max = from->max;
}

double sim_tally_variance(const struct sim_tally *t)
{
  return t->n < 2 ? NAN : t->m2 / (double)(t->n - 1);
}

double sim_tally_mean(const struct sim_tally *t)
{
  return t->n == 0 ? NAN : t->mean;
}

double sim_tally_ci95_halfwidth(const struct sim_tally *t)
{
  if (t->n < 2)
    return NAN;
  double q = gsl_cdf_tdist_Pinv(0.975, (double)(t->n - 1));
  return q * sqrt(sim_tally_variance(t) / (double)t->n);
}

void sim_timeavg_init(struct sim_timeavg *a, double t, double value)
{
  a->start = a->last = t;
  a->value = value;
  a->area = 0.0;
}

void sim_timeavg_restart(struct sim_timeavg *a, double t)
{
  a->start = a->last = t;
  a->area = 0.0;
}

double sim_timeavg_area(const struct sim_timeavg *a, double t)
{
  return a->area + a->value * (t - a->last);
}

double sim_timeavg_mean(const struct sim_timeavg *a, double t)
{
  if (!(t > a->start))
    return NAN;
  return sim_timeavg_area(a, t) / (t - a->start);
}

void sim_sketch_init(struct sim_sketch *s)
{
  s->n = s->zeros = 0;
  s->counts = sim_xcalloc(SIM_SKETCH_BUCKETS, sizeof *s->counts);
}

void sim_sketch_fini(struct sim_sketch *s)
{
  free(s->counts);
  s->counts = NULL;
}

void sim_sketch_clear(struct sim_sketch *s)
{
  s->n = s->zeros = 0;
  memset(s->counts, 0, SIM_SKETCH_BUCKETS * sizeof *s->counts);
}

/* The bucket of x > 0 comes straight from its IEEE-754 bits: the binary
 * exponent picks the power of two, the top mantissa bits the sub-bucket.
 * Buckets are therefore log-spaced to within a factor 1 + 2^-8 without
 * calling log(). */
void sim_sketch_add(struct sim_sketch *s, double x)
{
  s->n++;
  if (!(x >= 0x1p-30)) {
    s->zeros++;
    return;
  }
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int exponent = (int)((bits >> 52) & 0x7ff) - 1023;
  uint64_t index;
  if (exponent > SIM_SKETCH_EXP_MAX)
    index = SIM_SKETCH_BUCKETS - 1;
  else
    index = ((uint64_t)(exponent - SIM_SKETCH_EXP_MIN) << SIM_SKETCH_SUB_BITS) |
            ((bits >> (52 - SIM_SKETCH_SUB_BITS)) &
             ((1u << SIM_SKETCH_SUB_BITS) - 1));
  s->counts[index]++;
}

void sim_sketch_merge(struct sim_sketch *into, const struct sim_sketch *from)
{
  into->n += from->n;
  into->zeros += from->zeros;
  for (size_t i = 0; i < SIM_SKETCH_BUCKETS; i++)
    into->counts[i] += from->counts[i];
}

bool sim_sketch_equal(const struct sim_sketch *a, const struct sim_sketch *b)
{
  return a->n == b->n && a->zeros == b->zeros &&
         memcmp(a->counts, b->counts, SIM_SKETCH_BUCKETS * sizeof *a->counts) == 0;
}

double sim_sketch_bucket_middle(size_t index)
{
  int exponent = (int)(index >> SIM_SKETCH_SUB_BITS) + SIM_SKETCH_EXP_MIN;
  double sub = (double)(index & ((1u << SIM_SKETCH_SUB_BITS) - 1));
  double width = 1.0 / (double)(1u << SIM_SKETCH_SUB_BITS);
  return ldexp(1.0 + (sub + 0.5) * width, exponent);
}

double sim_sketch_quantile(const struct sim_sketch *s, double q)
{
  if (s->n == 0)
    return NAN;
  sim_assert(q >= 0.0 && q <= 1.0);
  uint64_t rank = (uint64_t)ceil(q * (double)s->n);
  if (rank < 1)
    rank = 1;
  if (rank > s->n)
    rank = s->n;
  uint64_t seen = s->zeros;
  if (seen >= rank)
    return 0.0;
  for (size_t i = 0; i < SIM_SKETCH_BUCKETS; i++) {
    seen += s->counts[i];
    if (seen >= rank)
      return sim_sketch_bucket_middle(i);
  }
  sim_check_fail("sketch counts add up to n", __FILE__, __LINE__);
}
