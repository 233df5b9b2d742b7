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

double sim_tally_welch_ci95_halfwidth(const struct sim_tally *a,
                                      const struct sim_tally *b)
{
  if (a->n < 2 || b->n < 2)
    return NAN;
  double va = sim_tally_variance(a) / (double)a->n;
  double vb = sim_tally_variance(b) / (double)b->n;
  double se2 = va + vb;
  if (!(se2 > 0))
    return 0;
  double nu = se2 * se2 / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
  return gsl_cdf_tdist_Pinv(0.975, nu) * sqrt(se2);
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
  *s = (struct sim_sketch){0};
}

void sim_sketch_init_buffered(struct sim_sketch *s)
{
  *s = (struct sim_sketch){.buffered = true};
}

void sim_sketch_fini(struct sim_sketch *s)
{
  free(s->counts);
  free(s->pending);
  *s = (struct sim_sketch){0};
}

void sim_sketch_clear(struct sim_sketch *s)
{
  s->n = 0;
  s->npending = 0;
  if (s->counts)
    memset(s->counts, 0, (size_t)(s->hi - s->lo) * sizeof *s->counts);
}

/* The window grows to cover [lo, hi) and at least doubles its width (to
 * the next multiple of 64 buckets, within the bucket range), so a sketch
 * widens O(log buckets) times: amortised O(1) per add, and no allocation
 * once the waits' range has been seen. */
void sim_sketch_widen(struct sim_sketch *s, uint32_t lo, uint32_t hi)
{
  sim_assert(lo < hi && hi <= SIM_SKETCH_BUCKETS);
  if (s->counts) {
    if (lo >= s->lo && hi <= s->hi)
      return;
    if (s->lo < lo)
      lo = s->lo;
    if (s->hi > hi)
      hi = s->hi;
  }
  uint32_t old_width = s->hi - s->lo, width = hi - lo;
  uint32_t want = old_width * 2 > width ? old_width * 2 : width;
  want = (want + 63) / 64 * 64;
  /* Spread the slack on the side that grew (both when both did). */
  uint32_t slack = want > width ? want - width : 0;
  uint32_t below = s->counts && lo == s->lo ? 0 : s->counts && hi == s->hi ? slack : slack / 2;
  uint32_t new_lo = lo > below ? lo - below : 0;
  uint32_t new_hi = new_lo + want;
  if (new_hi > SIM_SKETCH_BUCKETS) {
    new_hi = SIM_SKETCH_BUCKETS;
    new_lo = new_hi > want ? new_hi - want : 0;
  }
  uint64_t *counts = sim_xcalloc(new_hi - new_lo, sizeof *counts);
  if (s->counts)
    memcpy(counts + (s->lo - new_lo), s->counts, (size_t)old_width * sizeof *counts);
  free(s->counts);
  s->counts = counts;
  s->lo = (uint16_t)new_lo;
  s->hi = (uint16_t)new_hi;
  s->direct = (uint16_t)(s->buffered ? 0 : new_hi - new_lo);
}

/* Counts buckets[0 .. n - 1] into s's window, widening it as needed (the
 * rare branch of the loop). */
static void count_buckets(struct sim_sketch *s, const uint16_t *buckets, uint32_t n)
{
  uint64_t *counts = s->counts;
  uint32_t first = s->lo, width = (uint32_t)(s->hi - s->lo);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t offset = buckets[i] - first;   /* wraps below first */
    if (offset >= width) {
      sim_sketch_widen(s, buckets[i], buckets[i] + 1u);
      counts = s->counts;
      first = s->lo;
      width = (uint32_t)(s->hi - s->lo);
      offset = buckets[i] - first;
    }
    counts[offset]++;
  }
}

void sim_sketch_settle(struct sim_sketch *s)
{
  count_buckets(s, s->pending, s->npending);
  s->npending = 0;
}

/* The buffer starts at 32 buckets (64 bytes) and doubles, so a sketch of
 * few observations stays small; once full at its largest it is counted
 * into the window and starts again. */
void sim_sketch_add_rare(struct sim_sketch *s, uint32_t index)
{
  if (!s->buffered) {
    sim_sketch_widen(s, index, index + 1);
    s->counts[index - s->lo]++;
    return;
  }
  if (s->npending == s->pending_cap) {
    if (s->pending_cap < SIM_SKETCH_PENDING_MAX) {
      s->pending_cap = (uint16_t)(s->pending_cap ? 2 * s->pending_cap : 32);
      s->pending = sim_xrealloc(s->pending, s->pending_cap, sizeof *s->pending);
    } else {
      sim_sketch_settle(s);
    }
  }
  s->pending[s->npending++] = (uint16_t)index;
}

void sim_sketch_merge(struct sim_sketch *into, const struct sim_sketch *from)
{
  into->n += from->n;
  if (from->counts) {
    sim_sketch_widen(into, from->lo, from->hi);
    uint64_t *dst = into->counts + (from->lo - into->lo);
    for (uint32_t i = 0; i < (uint32_t)(from->hi - from->lo); i++)
      dst[i] += from->counts[i];
  }
  count_buckets(into, from->pending, from->npending);
}

uint64_t sim_sketch_zeros(const struct sim_sketch *s)
{
  uint64_t counted = s->npending;
  for (uint32_t i = 0; i < (uint32_t)(s->hi - s->lo); i++)
    counted += s->counts[i];
  return s->n - counted;
}

bool sim_sketch_equal(const struct sim_sketch *a, const struct sim_sketch *b)
{
  if (a->n != b->n)
    return false;   /* with equal counts in the buckets, equal zeros too */
  /* Compared as settled copies: what is pending where differs with the
   * order of adds and merges, the counts do not. */
  struct sim_sketch x, y;
  sim_sketch_init(&x);
  sim_sketch_init(&y);
  sim_sketch_merge(&x, a);
  sim_sketch_merge(&y, b);
  uint32_t lo = x.lo < y.lo ? x.lo : y.lo, hi = x.hi > y.hi ? x.hi : y.hi;
  bool equal = true;
  for (uint32_t i = lo; i < hi && equal; i++)
    equal = sim_sketch_count(&x, i) == sim_sketch_count(&y, i);
  sim_sketch_fini(&x);
  sim_sketch_fini(&y);
  return equal;
}

double sim_sketch_bucket_middle(size_t index)
{
  int exponent = (int)(index >> SIM_SKETCH_SUB_BITS) + SIM_SKETCH_EXP_MIN;
  double sub = (double)(index & ((1u << SIM_SKETCH_SUB_BITS) - 1));
  double width = 1.0 / (double)(1u << SIM_SKETCH_SUB_BITS);
  return ldexp(1.0 + (sub + 0.5) * width, exponent);
}

/* A copy of the pending buckets in ascending order: an LSD radix sort of
 * two 8-bit passes, O(npending), which leaves the result where it started
 * (the first half of the block returned; free it). */
static uint16_t *sorted_pending(const struct sim_sketch *s)
{
  uint32_t n = s->npending;
  uint16_t *from = sim_xmalloc(2 * (size_t)n * sizeof *from), *to = from + n;
  memcpy(from, s->pending, (size_t)n * sizeof *from);
  for (int shift = 0; shift < 16; shift += 8) {
    uint32_t start[257] = {0};
    for (uint32_t i = 0; i < n; i++)
      start[((from[i] >> shift) & 0xff) + 1]++;
    for (int k = 1; k <= 256; k++)
      start[k] += start[k - 1];
    for (uint32_t i = 0; i < n; i++)
      to[start[(from[i] >> shift) & 0xff]++] = from[i];
    uint16_t *t = from;
    from = to;
    to = t;
  }
  return from;
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
  uint64_t seen = sim_sketch_zeros(s);
  if (seen >= rank)
    return 0.0;
  /* The window's buckets and the pending ones (sorted) walked together in
   * ascending order of bucket; where both hold bucket i, the window's
   * count comes first (the same bucket either way). */
  uint16_t *pending = s->npending ? sorted_pending(s) : NULL;
  uint32_t i = s->lo, next = 0, found;
  do {
    bool window = i < s->hi && (next == s->npending || i <= pending[next]);
    if (!window && next == s->npending)
      sim_check_fail("sketch counts add up to n", __FILE__, __LINE__);
    found = window ? i : pending[next];
    seen += window ? s->counts[i++ - s->lo] : (next++, 1);
  } while (seen < rank);
  free(pending);
  return sim_sketch_bucket_middle(found);
}
