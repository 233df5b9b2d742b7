/* The number formatter of every CSV (sim_csv_put_num) writes what printf
 * writes, byte for byte, for every kind of value, and so does the one with
 * all 17 digits (sim_csv_put_exact); and a trace that cannot
 * be written fails the run, written straight (--jobs 1) or through pieces
 * (--jobs 2). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/trace.h"
#include "sim/csv.h"
#include "sim/rng.h"
#include "testing.h"

static void assert_same_text(double x)
{
  char want[40], got[40];
  *sim_csv_put_num_printf(want, x) = '\0';
  *sim_csv_put_num(got, x) = '\0';
  if (strcmp(want, got) != 0)
    fail_msg("%a: formatter wrote '%s', printf '%s'", x, got, want);
  /* And with all 17 digits (sweep journals), which must read back as x. */
  *sim_csv_put_exact_printf(want, x) = '\0';
  *sim_csv_put_exact(got, x) = '\0';
  if (strcmp(want, got) != 0)
    fail_msg("%a: exact formatter wrote '%s', printf '%s'", x, got, want);
  if (!isnan(x) && strtod(got, NULL) != x)
    fail_msg("%a: '%s' does not read back", x, got);
}

/* Edges: zeros, whole numbers, rounding that carries into a new digit,
 * ties that round to even, the borders of the fast range and values past
 * it, infinities and NaN. */
static void formatter_edges(void **state)
{
  (void)state;
  const double xs[] = {
    0.0, -0.0, 1.0, -1.0, 7.0, 123456789.0, 1e14, 999999999999999.0, 1e15,
    1e16, 0.5, 0.25, 0.125, 1.5, 2.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3,
    9.9999999995, 9.99999999949, 9.9999999996, 0.99999999995, 99999.999995,
    999999999.95, 999999999.94, 9999999999.5, 1e10 - 0.25, 1e10 + 0.5,
    1e-4, 1.00000000005e-4, 9.99999999995e-5, 9.9999999994e-5, 1e-5, 1e-300,
    5e-5, 1.5e-7, 1.767277718e-05, 5.01683147e-06, 9.999999999e-13, 1e-12,
    9.9999999995e-13, 1.0000000005e-12, 1.23456789e-9, 2.0000000005e-6,
    5e-324, 0x1p-1074, 0x1.fffffffffffffp+1023, 1.2345678905, 1.2345678915,
    0.0001234567895, 4503599627370495.5, 2.385, 8.949027278, -2.385,
    -0.000123, -9.9999999995, INFINITY, -INFINITY, NAN};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
    assert_same_text(xs[i]);
  /* Exact binary ties at the tenth digit: n + 0.5 with ten digits before
   * the point, and quarter steps below. */
  for (double x = 1234567890.5; x < 1234567900; x += 1.0)
    assert_same_text(x);
  for (double x = 123456789.125; x < 123456792; x += 0.25)
    assert_same_text(x);
  /* The same at the seventeenth digit: binary fractions with 17 digits
   * and more, whose last digit is an exact tie or next to one. */
  const double ties[] = {
    1234567.0000000005, 0.12345678901234565, 0.00012345678901234565,
    9999999999.9999981, 9999999999.9999990, 9.9999999999999982,
    0.99999999999999989, 0.000099999999999999991, 1.0000000000000002,
    4503599627370495.5, 1125899906842623.75, 562949953421311.875,
    70368744177663.984375, 0.1 + 0.2, 1e-4 + 1e-20, 8.0000000000000018};
  for (size_t i = 0; i < sizeof ties / sizeof ties[0]; i++) {
    assert_same_text(ties[i]);
    assert_same_text(nextafter(ties[i], 0));
    assert_same_text(nextafter(ties[i], INFINITY));
  }
}

/* 10^6 values log-uniform over 10^-14 .. 10^16 with either sign, 8 10^5
 * next to ties, some next to powers of ten, and 10^5 arbitrary bit
 * patterns: any difference from printf is one failure. */
static void formatter_matches_printf(void **state)
{
  (void)state;
  gsl_rng *r = sim_rng_new(20261123, 0, 77);
  for (int i = 0; i < 1000000; i++) {
    double x = pow(10.0, -14.0 + 30.0 * sim_rng_uniform(r));
    if (sim_rng_u64(r) & 1)
      x = -x;
    assert_same_text(x);
    /* Times and waits as a trace holds them: a few decimals. */
    assert_same_text(round(x * 1e3) / 1e3);
  }
  /* Where the quick path hands over to exact arithmetic: next to a tie at
   * the tenth digit (d + 1/2) 10^-e, and next to a power of ten, a few
   * steps of the last bit either way (down to 10^-13: the exponent form). */
  for (int i = 0; i < 100000; i++) {
    double d = (double)(1000000000 + sim_rng_u64(r) % 9000000000ULL);
    int e = (int)(sim_rng_u64(r) % 23);
    double tie = (d + 0.5) / pow(10.0, e);
    double x = tie;
    for (int step = 0; step < 4; step++, x = nextafter(x, 0))
      assert_same_text(x);
    x = tie;
    for (int step = 0; step < 4; step++, x = nextafter(x, INFINITY))
      assert_same_text(x);
  }
  /* Whole numbers, which below 10^10 take the quick path of fractions. */
  for (int i = 0; i < 100000; i++) {
    assert_same_text((double)i);
    assert_same_text(-(double)i);
    assert_same_text((double)(sim_rng_u64(r) % 100000000000ULL));
  }
  for (int k = -13; k <= 10; k++) {
    double ten = pow(10.0, k), below = ten, above = ten;
    for (int step = 0; step < 64; step++) {
      below = nextafter(below, 0);
      above = nextafter(above, INFINITY);
      assert_same_text(below);
      assert_same_text(above);
    }
  }
  for (int i = 0; i < 100000; i++) {
    uint64_t bits = sim_rng_u64(r);
    double x;
    memcpy(&x, &bits, sizeof x);
    assert_same_text(x);
  }
  gsl_rng_free(r);
}

/* Whole numbers as printf's %llu writes them: every value below 10^5,
 * each side of every power of ten, and 10^6 values of every length. */
static void assert_same_uint(uint64_t x)
{
  char want[40], got[40];
  snprintf(want, sizeof want, "%llu", (unsigned long long)x);
  *sim_csv_put_uint(got, x) = '\0';
  if (strcmp(want, got) != 0)
    fail_msg("%llu: formatter wrote '%s'", (unsigned long long)x, got);
}

static void uint_matches_printf(void **state)
{
  (void)state;
  for (uint64_t x = 0; x < 100000; x++)
    assert_same_uint(x);
  for (uint64_t ten = 10; ten <= 10000000000000000000ULL; ten *= 10) {
    assert_same_uint(ten - 1);
    assert_same_uint(ten);
    assert_same_uint(ten + 1);
    if (ten > UINT64_MAX / 10)
      break;
  }
  assert_same_uint(UINT64_MAX);
  gsl_rng *r = sim_rng_new(20261203, 0, 78);
  for (int i = 0; i < 1000000; i++)
    assert_same_uint(sim_rng_u64(r) >> (sim_rng_u64(r) % 64));
  gsl_rng_free(r);
}

/* A disk that fills up while customers.csv is written (a 128 KiB tmpfs,
 * root only): exit status 1, the system's message (noted when the write
 * failed, not a stale errno at close) and nothing left in the folder,
 * whether the rows go straight into customers.csv or into pieces. */
static void trace_on_a_full_disk(void **state)
{
  (void)state;
  for (int jobs = 1; jobs <= 2; jobs++) {
    test_sh("umount trace-full 2>/dev/null; rm -rf trace-full; mkdir -p trace-full");
    if (test_sh("mount -t tmpfs -o size=128k tmpfs trace-full 2>/dev/null") != 0) {
      printf("  skipped: cannot mount a small tmpfs here (needs root)\n");
      skip();
    }
    int rc = test_sh(LOKET_BINARY " run " LOKET_SOURCE_DIR "/scenarios/gemeente.yaml"
                     " --replications 6 --jobs %d --trace --quiet --out trace-full/out"
                     " 2> trace-err.txt", jobs);
    int leftovers = test_sh("test -z \"$(ls -A trace-full/out 2>/dev/null)\"");
    test_sh("umount trace-full");
    assert_int_equal(rc, 1);
    assert_int_equal(test_sh("grep -q 'customers.csv.*No space left on device' trace-err.txt"), 0);
    assert_int_equal(leftovers, 0);   /* no file, piece or temporary file */
  }
}

/* customers.csv handed to the disk (sim_csv_write_back) when the disk is
 * already full: the flush fails there, and the commit must report that
 * write's error, not whatever errno holds by then (a 64 KiB tmpfs, root
 * only). */
static void write_back_on_a_full_disk(void **state)
{
  (void)state;
  test_sh("umount wb-full 2>/dev/null; rm -rf wb-full; mkdir -p wb-full");
  if (test_sh("mount -t tmpfs -o size=64k tmpfs wb-full 2>/dev/null") != 0) {
    printf("  skipped: cannot mount a small tmpfs here (needs root)\n");
    skip();
  }
  struct sim_csv csv;
  assert_int_equal(sim_csv_open(&csv, "wb-full", "customers.csv"), 0);
  for (int i = 0; i < 4000; i++) {   /* 160 KB: in stdio's buffer yet */
    sim_csv_str(&csv, "a row of about forty characters, or so");
    sim_csv_end_row(&csv);
  }
  sim_csv_write_back(&csv);
  errno = EINVAL;   /* what a later call might leave */
  int rc = sim_csv_commit(&csv);
  int leftovers = test_sh("test -z \"$(ls -A wb-full)\"");
  test_sh("umount wb-full");
  assert_int_not_equal(rc, 0);
  if (!strstr(csv.error, "No space left on device"))
    fail_msg("the error is '%s'", csv.error);
  assert_int_equal(leftovers, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(formatter_edges),
    cmocka_unit_test(formatter_matches_printf),
    cmocka_unit_test(uint_matches_printf),
    cmocka_unit_test(trace_on_a_full_disk),
    cmocka_unit_test(write_back_on_a_full_disk),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
