/* Random streams: loket's xoshiro256++ as a GSL type, streams that depend
 * only on (seed, replication, stream), and the ziggurat exponential.
 *
 * `test_rng --raw SEED REPLICATION STREAM` writes the stream's raw 64-bit
 * outputs to stdout until the reader stops; tests/dieharder.sh pipes them
 * into dieharder (the ctest test rng_dieharder, labelled slow). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "testing.h"

/* The reference outputs of xoshiro256++ from state {1, 2, 3, 4}, computed
 * with the authors' C code. */
static void xoshiro_known_answers(void **state)
{
  (void)state;
  struct sim_rng_state x = {{1, 2, 3, 4}};
  const uint64_t expected[] = {0x2800001ULL, 0x3800067ULL, 0xcc00003800067ULL,
                               0xcc201994400b2ULL, 0x8012a2019ac433cdULL};
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
    assert_true(sim_rng_state_next(&x) == expected[i]);
}

/* A key seeds the state with SplitMix64's outputs from that key: the
 * published test vector of SplitMix64 for seed 1234567. */
static void seeding_is_splitmix64(void **state)
{
  (void)state;
  struct sim_rng_state x;
  sim_rng_state_seed(&x, 1234567);
  assert_true(x.s[0] == 6457827717110365317ULL);
  assert_true(x.s[1] == 3203168211198807973ULL);
  assert_true(x.s[2] == 9817491932198370423ULL);
  assert_true(x.s[3] == 4593380528125082431ULL);
}

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
    assert_true(sim_rng_u64(a) == sim_rng_u64(b));
  gsl_rng_free(a);
  gsl_rng_free(b);
  gsl_rng_free(noise);
}

/* Each of the three parts of the triple changes the key, also for values
 * that differ in one bit or in the top half only. */
static void different_triples_differ(void **state)
{
  (void)state;
  const uint64_t triples[][3] = {
    {1, 0, 1}, {1, 1, 1}, {1, 0, 2}, {2, 0, 1}, {1, 1, 0}, {0, 1, 1},
    {1ULL << 40, 0, 1}, {1, 1ULL << 40, 1}, {1, 0, 1ULL << 40}};
  enum { K = sizeof triples / sizeof triples[0] };
  uint64_t keys[K];
  for (int i = 0; i < K; i++) {
    keys[i] = sim_rng_stream_seed(triples[i][0], triples[i][1], triples[i][2]);
    for (int j = 0; j < i; j++)
      assert_true(keys[i] != keys[j]);
  }
}

/* The sample correlation of n paired uniforms from two streams is about
 * N(0, 1/n) when they are independent; 5 standard errors (0.035 for
 * n = 20000) would see a correlation of that size between neighbouring
 * replications, neighbouring stream ids, or a stream and the same stream
 * one draw later. */
static double correlation(gsl_rng *a, gsl_rng *b, int n)
{
  double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
  for (int i = 0; i < n; i++) {
    double x = sim_rng_uniform(a), y = sim_rng_uniform(b);
    sa += x; sb += y; sab += x * y; saa += x * x; sbb += y * y;
  }
  double cov = sab / n - (sa / n) * (sb / n);
  return cov / sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
}

static void neighbouring_streams_uncorrelated(void **state)
{
  (void)state;
  enum { N = 20000 };
  const uint64_t pairs[][2][3] = {
    {{5, 0, 3}, {5, 1, 3}}, {{5, 0, 3}, {5, 0, 4}}, {{5, 0, 3}, {6, 0, 3}}};
  for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
    gsl_rng *a = sim_rng_new(pairs[p][0][0], pairs[p][0][1], pairs[p][0][2]);
    gsl_rng *b = sim_rng_new(pairs[p][1][0], pairs[p][1][1], pairs[p][1][2]);
    assert_true(fabs(correlation(a, b, N)) < 5.0 / sqrt((double)N));
    gsl_rng_free(a);
    gsl_rng_free(b);
  }
  gsl_rng *a = sim_rng_new(5, 2, 7), *b = sim_rng_new(5, 2, 7);
  (void)sim_rng_u64(b);
  assert_true(fabs(correlation(a, b, N)) < 5.0 / sqrt((double)N));
  gsl_rng_free(a);
  gsl_rng_free(b);
}

/* Through GSL's API the stream is the same generator: gsl_rng_uniform is
 * sim_rng_uniform bit for bit, gsl_rng_get the top 32 bits of an output,
 * GSL's samplers run on it, and gsl_rng_set reseeds reproducibly. */
static void gsl_api_is_the_same_stream(void **state)
{
  (void)state;
  gsl_rng *a = sim_rng_new(3, 1, 4), *b = sim_rng_new(3, 1, 4);
  assert_string_equal(gsl_rng_name(a), "loket-xoshiro256++");
  assert_true(gsl_rng_max(a) == 0xffffffffUL && gsl_rng_min(a) == 0);
  for (int i = 0; i < 1000; i++) {
    double x = gsl_rng_uniform(a), y = sim_rng_uniform(b);
    assert_memory_equal(&x, &y, sizeof x);
    assert_true(x >= 0.0 && x < 1.0);
    unsigned long g = gsl_rng_get(a);
    assert_true(g == (unsigned long)(sim_rng_u64(b) >> 32));
    unsigned long k = gsl_rng_uniform_int(a, 7);
    assert_true(k < 7);
    (void)gsl_rng_uniform_int(b, 7);
  }
  double ga = gsl_ran_gaussian(a, 2.385), gb = gsl_ran_gaussian(b, 2.385);
  assert_memory_equal(&ga, &gb, sizeof ga);
  gsl_rng_set(a, 42);
  gsl_rng_set(b, 42);
  for (int i = 0; i < 100; i++)
    assert_true(gsl_rng_get(a) == gsl_rng_get(b));
  gsl_rng *c = gsl_rng_clone(a);
  for (int i = 0; i < 100; i++)
    assert_true(gsl_rng_get(a) == gsl_rng_get(c));
  gsl_rng_free(a);
  gsl_rng_free(b);
  gsl_rng_free(c);
}

/* The tables in sim/rng.c follow from the ziggurat's recurrence: strip i
 * (1 <= i <= 255) ends at x[i] with x[255] = r, x[i-1] = -log(v / x[i] +
 * exp(-x[i])), each strip holding area v. Recomputed here; k within 1 of
 * the table (a float-to-integer rounding), w and f within 4 ulp. */
static void ziggurat_tables_follow_recurrence(void **state)
{
  (void)state;
  const double m = 0x1p53, r = 7.69711747013104972, v = 3.949659822581572e-3;
  double q = v / exp(-r);
  uint64_t k[256];
  double w[256], f[256];
  k[0] = (uint64_t)(r / q * m);
  k[1] = 0;
  w[0] = q / m;
  w[255] = r / m;
  f[0] = 1.0;
  f[255] = exp(-r);
  double x = r, previous = r;
  for (int i = 254; i >= 1; i--) {
    x = -log(v / x + exp(-x));
    k[i + 1] = (uint64_t)(x / previous * m);
    previous = x;
    f[i] = exp(-x);
    w[i] = x / m;
  }
  for (int i = 0; i < 256; i++) {
    uint64_t dk = k[i] > sim_rng_zig[i].k ? k[i] - sim_rng_zig[i].k : sim_rng_zig[i].k - k[i];
    assert_true(dk <= 1);
    assert_near(sim_rng_zig[i].w, w[i], 4 * 0x1p-52 * w[i]);
    assert_near(sim_rng_zig_f[i], f[i], 4 * 0x1p-52 * f[i]);
  }
  /* r and v fit together: the base strip (rectangle r e^{-r} and tail
   * e^{-r}) has area v, and the recurrence closes at the top, where strip 1
   * is the rectangle x[1] (1 - e^{-x[1]}) of area v. */
  assert_near((r + 1) * exp(-r), v, 1e-15);
  assert_near(x * (1 - exp(-x)), v, 1e-9 * v);
}

/* Binomial check of P(X > t) from n draws: the count is within 5 standard
 * deviations sqrt(n p (1 - p)) of n p. */
static void assert_tail(uint64_t count, uint64_t n, double p, const char *what)
{
  double expected = (double)n * p, sd = sqrt((double)n * p * (1 - p));
  if (fabs((double)count - expected) > 5 * sd)
    fail_msg("%s: %llu of %llu, expected %.1f +- %.1f", what,
             (unsigned long long)count, (unsigned long long)n, expected, 5 * sd);
}

/* 2 * 10^6 draws of the exponential with mean 2.385, against theory:
 *  - the mean within 5 standard errors, mean / sqrt(n): a bias of 0.36 %
 *    of the mean is seen;
 *  - the variance within 5 standard errors, mean^2 sqrt(8 / n) (the fourth
 *    central moment of an exponential is 9 mean^4): a bias of 1 % of the
 *    variance is seen;
 *  - P(X > t mean) = exp(-t), binomially within 5 sd, at t = 0.05 and 0.5
 *    (the narrow strips near 0; 0.08 and 0.17 percentage points), 1 and 2
 *    (the wedges of the middle strips; 0.17 and 0.12 points), 4 (a 2 %
 *    relative bias), 7.697 (r: beyond it only the base strip's tail draws;
 *    a 17 % relative bias) and 10 (inside the tail; a 53 % relative bias);
 *  - every draw finite and >= 0.
 * The checks are deterministic (fixed stream); the tolerances come from the
 * sample size alone. */
static void ziggurat_moments_and_tails(void **state)
{
  (void)state;
  enum { N = 2000000 };
  const double mean = 2.385;
  const double t[] = {0.05, 0.5, 1.0, 2.0, 4.0, 7.69711747013104972, 10.0};
  enum { T = sizeof t / sizeof t[0] };
  uint64_t above[T] = {0};
  gsl_rng *r = sim_rng_new(20261123, 3, 11);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < N; i++) {
    double x = sim_rng_exponential(r, mean);
    assert_true(isfinite(x) && x >= 0.0);
    sum += x;
    sum2 += x * x;
    for (int j = 0; j < T; j++)
      above[j] += x > t[j] * mean;
  }
  gsl_rng_free(r);
  double m = sum / N, var = (sum2 - N * m * m) / (N - 1);
  assert_near(m, mean, 5 * mean / sqrt((double)N));
  assert_near(var, mean * mean, 5 * mean * mean * sqrt(8.0 / N));
  for (int j = 0; j < T; j++) {
    char what[64];
    snprintf(what, sizeof what, "P(X > %g mean)", t[j]);
    assert_tail(above[j], N, exp(-t[j]), what);
  }
}

/* The largest uniform times n stays below n for every table size
 * (sim_rng_alias_draw reads column (uint32_t)(u n) with no clamp): every
 * n up to 2^20, and around every power of two and below 2^32. Fails if a
 * product rounds up to n. */
static void alias_column_is_in_the_table(void **state)
{
  (void)state;
  const double largest = (double)((UINT64_C(1) << 53) - 1) * 0x1p-53;
  assert_true(largest < 1.0);
  for (uint64_t n = 1; n <= (UINT64_C(1) << 20); n++)
    assert_true((uint64_t)(largest * (double)n) < n);
  for (int e = 20; e < 32; e++)
    for (int64_t d = -1000; d <= 1000; d++) {
      uint64_t n = (uint64_t)((int64_t)(UINT64_C(1) << e) + d);
      assert_true((uint64_t)(largest * (double)n) < n);
    }
  for (uint64_t n = UINT32_MAX - 100000; n <= UINT32_MAX; n++)
    assert_true((uint64_t)(largest * (double)n) < n);
}

/* The alias table draws outcome i with probability w[i] / sum w: for 10^6
 * draws each count is within 5 binomial standard deviations of its
 * expectation (a bias of 0.1 percentage point on the 0.2385 outcome), an
 * outcome of weight 0 is never drawn, and one outcome is always drawn. The
 * weights need not add up to 1. */
static void alias_table_draws_by_weight(void **state)
{
  (void)state;
  enum { N = 1000000, K = 7 };
  const double w[K] = {2.385, 0.0, 1.0, 0.5, 5.0, 0.115, 1.0};
  double total = 0;
  for (int i = 0; i < K; i++)
    total += w[i];
  struct sim_rng_alias a;
  sim_rng_alias_init(&a, w, K);
  gsl_rng *r = sim_rng_new(20261123, 0, 41);
  uint64_t count[K] = {0};
  for (int i = 0; i < N; i++) {
    uint32_t k = sim_rng_alias_draw(&a, r);
    assert_true(k < K);
    count[k]++;
  }
  for (int i = 0; i < K; i++) {
    char what[32];
    snprintf(what, sizeof what, "outcome %d", i);
    assert_tail(count[i], N, w[i] / total, what);
  }
  assert_int_equal(count[1], 0);
  /* In the caller's storage, the same columns. */
  struct sim_rng_alias_column columns[K];
  struct sim_rng_alias in;
  sim_rng_alias_init_in(&in, w, K, columns);
  assert_ptr_equal(in.column, columns);
  for (int i = 0; i < K; i++) {
    assert_true(columns[i].cut == a.column[i].cut);
    assert_int_equal(columns[i].alias, a.column[i].alias);
  }
  /* A draw's value is its outcome's: the outcome itself unless the caller
   * set another, and the same draws either way. */
  gsl_rng *r1 = sim_rng_new(20261202, 0, 7), *r2 = sim_rng_new(20261202, 0, 7);
  for (int i = 0; i < 10000; i++)
    assert_int_equal(sim_rng_alias_draw_value(&a, r1), sim_rng_alias_draw(&a, r2));
  for (int i = 0; i < K; i++)
    a.column[i].value = 100 + 3 * (uint32_t)i;
  for (int i = 0; i < 10000; i++)
    assert_int_equal(sim_rng_alias_draw_value(&a, r1), 100 + 3 * sim_rng_alias_draw(&a, r2));
  gsl_rng_free(r1);
  gsl_rng_free(r2);
  sim_rng_alias_fini(&a);
  const double one = 0.3;
  sim_rng_alias_init(&a, &one, 1);
  for (int i = 0; i < 1000; i++)
    assert_int_equal(sim_rng_alias_draw(&a, r), 0);
  sim_rng_alias_fini(&a);
  gsl_rng_free(r);
}

/* A stream held in place is the same stream as one from sim_rng_new. */
static void stream_in_place_is_the_same(void **state)
{
  (void)state;
  struct sim_rng in_place;
  sim_rng_init(&in_place, 20261123, 2, 9);
  gsl_rng *r = sim_rng_new(20261123, 2, 9);
  for (int i = 0; i < 1000; i++) {
    double x = sim_rng_exponential(&in_place.gsl, 2.385), y = sim_rng_exponential(r, 2.385);
    assert_memory_equal(&x, &y, sizeof x);
    assert_true(gsl_rng_get(&in_place.gsl) == gsl_rng_get(r));
  }
  gsl_rng_free(r);
}

/* The raw stream for dieharder: 64-bit outputs, little-endian as stored. */
static int write_raw(uint64_t seed, uint64_t replication, uint64_t stream)
{
  gsl_rng *r = sim_rng_new(seed, replication, stream);
  uint64_t buffer[4096];
  for (;;) {
    for (size_t i = 0; i < sizeof buffer / sizeof buffer[0]; i++)
      buffer[i] = sim_rng_u64(r);
    if (fwrite(buffer, sizeof buffer, 1, stdout) != 1)
      break;
  }
  gsl_rng_free(r);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc == 5 && strcmp(argv[1], "--raw") == 0)
    return write_raw(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10),
                     strtoull(argv[4], NULL, 10));
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(xoshiro_known_answers),
    cmocka_unit_test(seeding_is_splitmix64),
    cmocka_unit_test(same_triple_same_stream),
    cmocka_unit_test(different_triples_differ),
    cmocka_unit_test(neighbouring_streams_uncorrelated),
    cmocka_unit_test(gsl_api_is_the_same_stream),
    cmocka_unit_test(ziggurat_tables_follow_recurrence),
    cmocka_unit_test(ziggurat_moments_and_tails),
    cmocka_unit_test(alias_column_is_in_the_table),
    cmocka_unit_test(alias_table_draws_by_weight),
    cmocka_unit_test(stream_in_place_is_the_same),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
