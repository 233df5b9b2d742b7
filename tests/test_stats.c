/* Tallies, time-averages, the quantile sketch and its exact merge. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <cmocka.h>

#include "testing.h"

#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/stats.h"

static void tally_matches_two_pass(void **state)
{
  (void)state;
  const double xs[] = {2.385, 0.0, 7.125, 3.3, 1e6 + 0.25, 1e6 + 0.75, 4.0};
  const size_t n = sizeof xs / sizeof xs[0];
  struct sim_tally t;
  sim_tally_init(&t);
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    sim_tally_add(&t, xs[i]);
    sum += xs[i];
  }
  double mean = sum / (double)n, ss = 0;
  for (size_t i = 0; i < n; i++)
    ss += (xs[i] - mean) * (xs[i] - mean);
  assert_int_equal(t.n, n);
  assert_near(sim_tally_mean(&t), mean, 1e-9);
  assert_near(sim_tally_variance(&t), ss / (double)(n - 1), 1e-6);
  assert_true(t.min == 0.0 && t.max == 1e6 + 0.75);
}

static void tally_merge_equals_one_pass(void **state)
{
  (void)state;
  struct sim_tally all, a, b;
  sim_tally_init(&all);
  sim_tally_init(&a);
  sim_tally_init(&b);
  for (int i = 0; i < 1000; i++) {
    double x = sin(i * 0.37) * 10 + i * 0.01;
    sim_tally_add(&all, x);
    sim_tally_add(i < 313 ? &a : &b, x);
  }
  sim_tally_merge(&a, &b);
  assert_int_equal(a.n, all.n);
  assert_near(a.mean, all.mean, 1e-12);
  assert_near(sim_tally_variance(&a), sim_tally_variance(&all), 1e-9);
  assert_true(a.min == all.min && a.max == all.max);
  struct sim_tally empty;
  sim_tally_init(&empty);
  assert_true(isnan(sim_tally_mean(&empty)));
  assert_true(isnan(sim_tally_variance(&empty)));
  sim_tally_merge(&empty, &all);
  assert_near(empty.mean, all.mean, 0);
}

static void ci95_uses_student_t(void **state)
{
  (void)state;
  struct sim_tally t;
  sim_tally_init(&t);
  const double xs[] = {4.1, 5.3, 3.9, 6.2, 5.0};
  for (int i = 0; i < 5; i++)
    sim_tally_add(&t, xs[i]);
  /* t(0.975, 4) = 2.776445105 */
  double expected = 2.776445105 * sqrt(sim_tally_variance(&t) / 5.0);
  assert_near(sim_tally_ci95_halfwidth(&t), expected, 1e-8);
}

/* Two samples of 4 with the same variance: Welch-Satterthwaite gives
 * nu = 2 (n - 1) = 6 exactly, and t(0.975, 6) = 2.446911851. */
static void welch_ci95_of_two_samples(void **state)
{
  (void)state;
  struct sim_tally a, b, one;
  sim_tally_init(&a);
  sim_tally_init(&b);
  sim_tally_init(&one);
  const double xs[] = {2.385, 3.1, 4.72, 1.9};
  for (int i = 0; i < 4; i++) {
    sim_tally_add(&a, xs[i]);
    sim_tally_add(&b, xs[i] + 1.25);
  }
  double expected = 2.446911851 * sqrt(2 * sim_tally_variance(&a) / 4.0);
  assert_near(sim_tally_welch_ci95_halfwidth(&a, &b), expected, 1e-8);
  /* Constant samples differ exactly; a single observation says nothing. */
  struct sim_tally c = one, d = one;
  sim_tally_add(&c, 3.5);
  sim_tally_add(&c, 3.5);
  sim_tally_add(&d, 4.25);
  sim_tally_add(&d, 4.25);
  assert_near(sim_tally_welch_ci95_halfwidth(&c, &d), 0, 0);
  sim_tally_add(&one, 1.0);
  assert_true(isnan(sim_tally_welch_ci95_halfwidth(&a, &one)));
}

static void timeavg_integrates_steps(void **state)
{
  (void)state;
  struct sim_timeavg a;
  sim_timeavg_init(&a, 0.0, 2.0);
  sim_timeavg_set(&a, 1.5, 5.0);   /* 2 on [0, 1.5) */
  sim_timeavg_set(&a, 4.0, 0.0);   /* 5 on [1.5, 4) */
  /* 0 on [4, 6] */
  assert_near(sim_timeavg_area(&a, 6.0), 3.0 + 12.5, 1e-12);
  assert_near(sim_timeavg_mean(&a, 6.0), 15.5 / 6.0, 1e-12);
  sim_timeavg_restart(&a, 6.0);
  sim_timeavg_set(&a, 7.0, 3.0);
  assert_near(sim_timeavg_mean(&a, 8.0), 1.5, 1e-12);
  assert_true(isnan(sim_timeavg_mean(&a, 6.0)));
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank quantiles of the sketch lie within 1/512 (relative) of the
 * exact ones, for a skewed distribution with many zeros. */
static void sketch_quantiles_are_accurate(void **state)
{
  (void)state;
  enum { N = 200000 };
  double *xs = malloc(N * sizeof *xs);
  gsl_rng *r = sim_rng_new(7, 0, 1);
  struct sim_sketch s;
  sim_sketch_init(&s);
  for (int i = 0; i < N; i++) {
    double x = gsl_rng_uniform(r) < 0.3 ? 0.0 : gsl_ran_lognormal(r, 1.0, 1.2);
    xs[i] = x;
    sim_sketch_add(&s, x);
  }
  qsort(xs, N, sizeof *xs, cmp_double);
  const double qs[] = {0.0, 0.1, 0.29, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0};
  for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
    size_t rank = (size_t)ceil(qs[k] * N);
    double exact = xs[rank ? rank - 1 : 0];
    double got = sim_sketch_quantile(&s, qs[k]);
    if (exact == 0.0)
      assert_true(got == 0.0);
    else
      assert_true(fabs(got - exact) <= exact / 512.0 + 1e-15);
  }
  assert_int_equal(s.n, N);
  sim_sketch_fini(&s);
  gsl_rng_free(r);
  free(xs);
}

static void sketch_edges(void **state)
{
  (void)state;
  struct sim_sketch s;
  sim_sketch_init(&s);
  assert_true(isnan(sim_sketch_quantile(&s, 0.5)));
  sim_sketch_add(&s, 1e-12);          /* counts as zero */
  sim_sketch_add(&s, -3.0);           /* counts as zero */
  sim_sketch_add(&s, 1e300);          /* top bucket */
  assert_true(sim_sketch_quantile(&s, 0.5) == 0.0);
  assert_true(sim_sketch_quantile(&s, 1.0) > 1e12);
  sim_sketch_clear(&s);
  assert_int_equal(s.n, 0);
  sim_sketch_add(&s, 2.385);
  assert_near(sim_sketch_quantile(&s, 0.5), 2.385, 2.385 / 512);
  sim_sketch_fini(&s);
}

/* Merging is exact: sketches of parts merged in any order equal the
 * sketch of the whole, bucket for bucket. */
static void sketch_merge_is_exact(void **state)
{
  (void)state;
  struct sim_sketch whole, parts[3], ab, ba;
  sim_sketch_init(&whole);
  sim_sketch_init(&ab);
  sim_sketch_init(&ba);
  for (int k = 0; k < 3; k++)
    if (k == 1)
      sim_sketch_init_buffered(&parts[k]);   /* merged with its buffer */
    else
      sim_sketch_init(&parts[k]);
  gsl_rng *r = sim_rng_new(11, 2, 3);
  for (int i = 0; i < 30000; i++) {
    double x = gsl_ran_exponential(r, 4.2) - 0.5;
    sim_sketch_add(&whole, x);
    sim_sketch_add(&parts[i % 3], x);
  }
  for (int k = 0; k < 3; k++)
    sim_sketch_merge(&ab, &parts[k]);
  for (int k = 2; k >= 0; k--)
    sim_sketch_merge(&ba, &parts[k]);
  assert_true(sim_sketch_equal(&ab, &whole));
  assert_true(sim_sketch_equal(&ba, &whole));
  assert_true(sim_sketch_quantile(&ab, 0.9) == sim_sketch_quantile(&whole, 0.9));
  gsl_rng_free(r);
  for (int k = 0; k < 3; k++)
    sim_sketch_fini(&parts[k]);
  sim_sketch_fini(&whole);
  sim_sketch_fini(&ab);
  sim_sketch_fini(&ba);
}

/* The sketch stores only the window of buckets in use: empty it holds
 * nothing; values arriving upwards, downwards or at both ends widen it to
 * the same counts (the order of arrival cannot matter), and it stays within
 * twice the span in use plus one chunk of 64 buckets. */
static void sketch_window_tracks_buckets_in_use(void **state)
{
  (void)state;
  struct sim_sketch up, down, outside_in, empty;
  sim_sketch_init(&up);
  sim_sketch_init_buffered(&down);   /* the same counts, buffered */
  sim_sketch_init(&outside_in);
  sim_sketch_init(&empty);
  assert_null(empty.counts);
  assert_true(isnan(sim_sketch_quantile(&empty, 0.5)));
  enum { K = 2000 };
  double xs[K];
  for (int i = 0; i < K; i++)
    xs[i] = 0.7385 * pow(1.0093, i);   /* 0.74 to about 8e7 */
  for (int i = 0; i < K; i++) {
    sim_sketch_add(&up, xs[i]);
    sim_sketch_add(&down, xs[K - 1 - i]);
    sim_sketch_add(&outside_in, xs[i % 2 ? i / 2 : K - 1 - i / 2]);
  }
  assert_true(sim_sketch_equal(&up, &down));
  assert_true(sim_sketch_equal(&up, &outside_in));
  sim_sketch_settle(&up);
  sim_sketch_settle(&down);
  uint32_t span = sim_sketch_bucket(xs[K - 1]) - sim_sketch_bucket(xs[0]) + 1;
  assert_true((uint32_t)(up.hi - up.lo) <= 2 * span + 64);
  assert_true((uint32_t)(down.hi - down.lo) <= 2 * span + 64);
  const double qs[] = {0.0, 0.25, 0.5, 0.9, 1.0};
  for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++)
    assert_true(sim_sketch_quantile(&up, qs[k]) == sim_sketch_quantile(&down, qs[k]));
  assert_near(sim_sketch_quantile(&up, 1.0), xs[K - 1], xs[K - 1] / 512);
  assert_near(sim_sketch_quantile(&up, 0.0), xs[0], xs[0] / 512);
  /* The extremes of the bucket range widen it to its ends, no further. */
  sim_sketch_add(&up, 0x1p-30);
  sim_sketch_add(&up, 1e300);
  sim_sketch_settle(&up);
  assert_int_equal(up.lo, 0);
  assert_int_equal(up.hi, SIM_SKETCH_BUCKETS);
  assert_int_equal(sim_sketch_count(&up, 0), 1);
  assert_int_equal(sim_sketch_count(&up, SIM_SKETCH_BUCKETS - 1), 1);
  /* Merging an empty sketch changes nothing; merging into one copies. */
  sim_sketch_merge(&down, &empty);
  assert_true(sim_sketch_equal(&down, &outside_in));
  sim_sketch_merge(&empty, &down);
  assert_true(sim_sketch_equal(&empty, &down));
  /* Cleared, it is empty but for its storage. */
  sim_sketch_clear(&down);
  assert_int_equal(down.n, 0);
  for (uint32_t i = down.lo; i < down.hi; i++)
    assert_int_equal(sim_sketch_count(&down, i), 0);
  assert_false(sim_sketch_equal(&down, &empty));
  sim_sketch_fini(&up);
  sim_sketch_fini(&down);
  sim_sketch_fini(&outside_in);
  sim_sketch_fini(&empty);
}

/* A buffered sketch's adds go to pending buckets, counted into the window
 * when the buffer is full: at every point it reads (quantiles, counts, equality) as
 * its settled copy does, the buffer stays within its bound, and a sketch
 * of few values builds no window at all. */
static void sketch_pending_reads_as_counted(void **state)
{
  (void)state;
  enum { N = 3 * SIM_SKETCH_PENDING_MAX + 517 };
  const int checks[] = {1, 2, 31, 32, 33, 1000, SIM_SKETCH_PENDING_MAX,
                        SIM_SKETCH_PENDING_MAX + 1, 2 * SIM_SKETCH_PENDING_MAX + 3, N};
  const double qs[] = {0.0, 0.05, 0.3, 0.5, 0.9, 0.99, 1.0};
  gsl_rng *r = sim_rng_new(5, 1, 9);
  struct sim_sketch s;
  sim_sketch_init_buffered(&s);
  size_t c = 0;
  for (int i = 1; i <= N; i++) {
    double x = gsl_rng_uniform(r) < 0.2 ? 0.0 : gsl_ran_exponential(r, 2.385);
    sim_sketch_add(&s, x);
    assert_true(s.npending <= SIM_SKETCH_PENDING_MAX);
    if (i == 1000)
      assert_null(s.counts);   /* nothing counted yet: no window */
    if (c == sizeof checks / sizeof checks[0] || i != checks[c])
      continue;
    c++;
    struct sim_sketch settled;
    sim_sketch_init(&settled);
    sim_sketch_merge(&settled, &s);
    assert_int_equal(settled.npending, 0);
    assert_true(sim_sketch_equal(&s, &settled));
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++)
      assert_true(sim_sketch_quantile(&s, qs[k]) == sim_sketch_quantile(&settled, qs[k]));
    uint64_t total = sim_sketch_zeros(&s);
    for (uint32_t b = settled.lo; b < settled.hi; b++) {
      assert_int_equal(sim_sketch_count(&s, b), sim_sketch_count(&settled, b));
      total += sim_sketch_count(&s, b);
    }
    assert_int_equal(total, (uint64_t)i);
    sim_sketch_fini(&settled);
  }
  assert_true(s.counts != NULL);   /* the buffer filled and was counted */
  assert_true(s.npending < SIM_SKETCH_PENDING_MAX);
  uint32_t lo = s.lo, hi = s.hi;
  double p90 = sim_sketch_quantile(&s, 0.9);
  sim_sketch_settle(&s);
  assert_int_equal(s.npending, 0);
  assert_true(s.lo <= lo && s.hi >= hi);
  assert_true(sim_sketch_quantile(&s, 0.9) == p90);
  gsl_rng_free(r);
  sim_sketch_fini(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tally_matches_two_pass),
    cmocka_unit_test(tally_merge_equals_one_pass),
    cmocka_unit_test(ci95_uses_student_t),
    cmocka_unit_test(welch_ci95_of_two_samples),
    cmocka_unit_test(timeavg_integrates_steps),
    cmocka_unit_test(sketch_quantiles_are_accurate),
    cmocka_unit_test(sketch_edges),
    cmocka_unit_test(sketch_merge_is_exact),
    cmocka_unit_test(sketch_window_tracks_buckets_in_use),
    cmocka_unit_test(sketch_pending_reads_as_counted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
