/* Random streams depend only on (seed, replication, stream). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"

static void same_triple_same_stream(void **state)
{
  (void)state;
  gsl_rng *a = sim_rng_new(20261123, 4, 65537);
  /* Draws from unrelated streams in between change nothing. */
  gsl_rng *noise = sim_rng_new(20261123, 4, 65538);
  for (int i = 0; i < 1000; i++)
    gsl_rng_get(noise);
  gsl_rng *b = sim_rng_new(20261123, 4, 65537);
  for (int i = 0; i < 1000; i++)
    assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
  gsl_rng_free(a);
  gsl_rng_free(b);
  gsl_rng_free(noise);
}

static void different_triples_differ(void **state)
{
  (void)state;
  const uint64_t triples[][3] = {
    {1, 0, 1}, {1, 1, 1}, {1, 0, 2}, {2, 0, 1}, {1, 1, 0}, {0, 1, 1}};
  enum { K = sizeof triples / sizeof triples[0] };
  unsigned long seeds[K];
  for (int i = 0; i < K; i++) {
    seeds[i] = sim_rng_stream_seed(triples[i][0], triples[i][1], triples[i][2]);
    assert_true(seeds[i] != 0);
    for (int j = 0; j < i; j++)
      assert_true(seeds[i] != seeds[j]);
  }
}

/* Streams for neighbouring replications are uncorrelated: the sample
 * correlation of 20000 paired uniforms stays within 4 standard errors
 * (1/sqrt(n)) of zero. */
static void neighbouring_streams_uncorrelated(void **state)
{
  (void)state;
  enum { N = 20000 };
  gsl_rng *a = sim_rng_new(5, 0, 3), *b = sim_rng_new(5, 1, 3);
  double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
  for (int i = 0; i < N; i++) {
    double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
    sa += x; sb += y; sab += x * y; saa += x * x; sbb += y * y;
  }
  double cov = sab / N - (sa / N) * (sb / N);
  double corr = cov / sqrt((saa / N - (sa / N) * (sa / N)) * (sbb / N - (sb / N) * (sb / N)));
  assert_true(fabs(corr) < 4.0 / sqrt((double)N));
  gsl_rng_free(a);
  gsl_rng_free(b);
}

/* The inlined exponential gives GSL's numbers, bit for bit. */
static void exponential_matches_gsl(void **state)
{
  (void)state;
  gsl_rng *a = sim_rng_new(3, 1, 4), *b = sim_rng_new(3, 1, 4);
  for (int i = 0; i < 100000; i++) {
    double x = sim_rng_exponential(a, 2.385), y = gsl_ran_exponential(b, 2.385);
    assert_memory_equal(&x, &y, sizeof x);
  }
  gsl_rng_free(a);
  gsl_rng_free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(same_triple_same_stream),
    cmocka_unit_test(different_triples_differ),
    cmocka_unit_test(neighbouring_streams_uncorrelated),
    cmocka_unit_test(exponential_matches_gsl),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
