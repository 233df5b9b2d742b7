/* Distributions: parameters as analysts give them, checked against the
 * sample. Tolerances are 5 standard errors of the estimate for the sample
 * size used, so a correct sampler fails with probability below 1e-6. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "testing.h"

#define PI 3.14159265358979323846

#include "models/dist.h"
#include "sim/rng.h"

enum { N = 200000 };

struct moments { double mean, var, m4; };

static struct moments sample(const struct model_dist *d, uint64_t stream)
{
  gsl_rng *r = sim_rng_new(20261123, 0, stream);
  double sum = 0, sum2 = 0;
  static double xs[N];
  for (int i = 0; i < N; i++) {
    xs[i] = model_dist_sample(d, r);
    assert_true(xs[i] >= 0);
    sum += xs[i];
  }
  double mean = sum / N, m4 = 0;
  for (int i = 0; i < N; i++) {
    double e = xs[i] - mean;
    sum2 += e * e;
    m4 += e * e * e * e;
  }
  gsl_rng_free(r);
  return (struct moments){mean, sum2 / (N - 1), m4 / N};
}

/* E[X | X >= 0] for X normal: mu + sigma phi(a) / (1 - Phi(a)), a = -mu/sigma. */
static double truncated_normal_mean(double mu, double sigma)
{
  double a = -mu / sigma, phi = exp(-a * a / 2) / sqrt(2 * PI);
  return mu + sigma * phi / (0.5 * erfc(a / sqrt(2)));
}

static struct model_dist_params none(void)
{
  return model_dist_params_none();
}

/* model_dist_make with its message copied to err. */
static int make_err(struct model_dist *d, enum model_dist_kind kind,
                    const struct model_dist_params *p, char *err, size_t errlen)
{
  struct model_dist_error e;
  int rc = model_dist_make(d, kind, p, &e);
  snprintf(err, errlen, "%s", rc == 0 ? "" : e.msg);
  return rc;
}

/* Mean within 5 standard errors; if sd > 0, variance within 5 standard
 * errors of the variance estimate, sqrt((m4 - var^2) / n). */
static void check(const struct model_dist *d, double mean, double sd, uint64_t stream)
{
  struct moments m = sample(d, stream);
  assert_near(d->mean, mean, 1e-9 * mean);
  double se_mean = sqrt(m.var / N);
  assert_true(fabs(m.mean - mean) <= 5 * se_mean + 1e-12);
  if (sd >= 0) {
    double se_var = sqrt(fmax(m.m4 - m.var * m.var, 0) / N);
    assert_true(fabs(m.var - sd * sd) <= 5 * se_var + 1e-12);
  }
}

static void make(struct model_dist *d, enum model_dist_kind kind,
                 struct model_dist_params p)
{
  char err[256];
  assert_int_equal(make_err(d, kind, &p, err, sizeof err), 0);
}

static void each_kind_has_its_moments(void **state)
{
  (void)state;
  struct model_dist d;
  struct model_dist_params p;

  p = none(); p.mean = 2.385;
  make(&d, MODEL_DIST_EXPONENTIAL, p); check(&d, 2.385, 2.385, 1);
  p = none(); p.value = 3.25;
  make(&d, MODEL_DIST_DETERMINISTIC, p); check(&d, 3.25, 0, 2);
  p = none(); p.min = 1.5; p.max = 4.0;
  make(&d, MODEL_DIST_UNIFORM, p); check(&d, 2.75, 2.5 / sqrt(12), 3);
  p = none(); p.min = 1; p.mode = 2; p.max = 6;
  make(&d, MODEL_DIST_TRIANGULAR, p);
  check(&d, 3.0, sqrt((1 + 4 + 36 - 2 - 6 - 12) / 18.0), 4);
  p = none(); p.mean = 5.0; p.sd = 1.25;   /* truncation nearly negligible */
  make(&d, MODEL_DIST_NORMAL, p); check(&d, truncated_normal_mean(5.0, 1.25), 1.25, 5);
  p = none(); p.mean = 2.5; p.sd = 1.5;
  make(&d, MODEL_DIST_LOGNORMAL, p); check(&d, 2.5, 1.5, 6);
  p = none(); p.mean = 12; p.sd = 9;
  make(&d, MODEL_DIST_GAMMA, p); check(&d, 12, 9, 7);
  p = none(); p.k = 3; p.mean = 4.5;
  make(&d, MODEL_DIST_ERLANG, p); check(&d, 4.5, 4.5 / sqrt(3), 8);
  p = none(); p.mean = 3.0; p.shape = 1.0;  /* shape 1 is exponential */
  make(&d, MODEL_DIST_WEIBULL, p); check(&d, 3.0, 3.0, 9);
  p = none(); p.scale = 2.0; p.shape = 2.0; /* Rayleigh-like */
  make(&d, MODEL_DIST_WEIBULL, p);
  check(&d, 2.0 * tgamma(1.5), 2.0 * sqrt(1 - PI / 4), 10);
  const double values[] = {1.0, 2.0, 2.0, 7.5};
  p = none(); p.values = values; p.nvalues = 4;
  make(&d, MODEL_DIST_EMPIRICAL, p);
  double mean = 12.5 / 4, var = (1 + 4 + 4 + 56.25) / 4 - mean * mean;
  check(&d, mean, sqrt(var), 11);
  model_dist_fini(&d);
}

/* The truncated normal's mean is that of the truncated distribution. */
static void normal_is_truncated_at_zero(void **state)
{
  (void)state;
  struct model_dist d;
  struct model_dist_params p = none();
  p.mean = 1.0;
  p.sd = 2.0;
  make(&d, MODEL_DIST_NORMAL, p);
  /* Against the closed form, and E[X] - mu > 0.5 sigma: clearly truncated. */
  check(&d, truncated_normal_mean(1.0, 2.0), -1, 12);
  assert_true(d.mean > 2.0);
}

static void bad_parameters_are_named(void **state)
{
  (void)state;
  struct model_dist d;
  char err[256];
  struct model_dist_params p = none();
  assert_int_equal(make_err(&d, MODEL_DIST_EXPONENTIAL, &p, err, sizeof err), -1);
  assert_string_equal(err, "exponential needs 'mean'");
  p.mean = -1;
  assert_int_equal(make_err(&d, MODEL_DIST_EXPONENTIAL, &p, err, sizeof err), -1);
  assert_string_equal(err, "mean must be > 0, got -1");
  p = none(); p.min = 3; p.max = 2;
  assert_int_equal(make_err(&d, MODEL_DIST_UNIFORM, &p, err, sizeof err), -1);
  assert_string_equal(err, "max must be > min (3), got 2");
  p = none(); p.k = 2.5; p.mean = 1;
  assert_int_equal(make_err(&d, MODEL_DIST_ERLANG, &p, err, sizeof err), -1);
  assert_string_equal(err, "k must be a whole number >= 1, got 2.5");
  p = none(); p.shape = 2; p.mean = 1; p.scale = 1;
  assert_int_equal(make_err(&d, MODEL_DIST_WEIBULL, &p, err, sizeof err), -1);
  assert_string_equal(err, "weibull needs exactly one of 'mean' and 'scale'");
  assert_int_equal(model_dist_kind_from_name("gamma"), MODEL_DIST_GAMMA);
  assert_int_equal(model_dist_kind_from_name("gama"), -1);

  /* The parameter at fault is named, so the loader can point at it. */
  struct model_dist_error e;
  p = none(); p.mean = 2.385; p.sd = -1.5;
  assert_int_equal(model_dist_make(&d, MODEL_DIST_GAMMA, &p, &e), -1);
  assert_string_equal(e.param_name, "sd");
  p = none(); p.mean = 2.385;
  assert_int_equal(model_dist_make(&d, MODEL_DIST_GAMMA, &p, &e), -1);
  assert_null(e.param_name); /* sd is missing: no one value is at fault */
  p = none(); p.min = 1; p.mode = 7; p.max = 6;
  assert_int_equal(model_dist_make(&d, MODEL_DIST_TRIANGULAR, &p, &e), -1);
  assert_string_equal(e.param_name, "mode");
  /* Every row's number parameters have a slot. */
  for (int k = 0; k < MODEL_DIST_KINDS; k++)
    for (const char *const *q = model_dist_rows[k].params; *q; q++)
      if (strcmp(*q, "values") != 0 && strcmp(*q, "file") != 0)
        assert_non_null(model_dist_param(&p, *q));
  assert_null(model_dist_param(&p, "values"));
}

/* Parameters that are finite one by one but give infinite or NaN draws are
 * refused by their derived parameters. */
static void parameters_with_infinite_draws_are_refused(void **state)
{
  (void)state;
  struct model_dist d;
  char err[256];
  struct model_dist_params p = none();
  p.mean = 2.385; p.sd = 1e200;
  assert_int_equal(make_err(&d, MODEL_DIST_LOGNORMAL, &p, err, sizeof err), -1);
  assert_string_equal(err, "sd 1e+200 is too large for mean 2.385: with "
                           "sd/mean above 1000 the lognormal's mean lies in "
                           "draws too rare to occur");
  p.sd = 1e-200;
  assert_int_equal(make_err(&d, MODEL_DIST_GAMMA, &p, err, sizeof err), -1);
  assert_string_equal(err, "sd 1e-200 is too small for mean 2.385: the gamma's "
                           "shape (mean/sd)^2 is not a finite number (a fixed "
                           "duration is deterministic)");
  p.sd = 1e200;
  assert_int_equal(make_err(&d, MODEL_DIST_GAMMA, &p, err, sizeof err), -1);
  assert_string_equal(err, "sd 1e+200 is too large for mean 2.385: with "
                           "sd/mean above 1000 the gamma's mean lies in draws "
                           "too rare to occur");
  p.mean = 1e298; p.sd = 1e300; /* sd/mean 100, but draws beyond 1e300 */
  assert_int_equal(make_err(&d, MODEL_DIST_GAMMA, &p, err, sizeof err), -1);
  assert_string_equal(err, "sd 1e+300 is too large for mean 1e+298: the gamma's "
                           "draws would not be finite numbers");
  assert_int_equal(make_err(&d, MODEL_DIST_LOGNORMAL, &p, err, sizeof err), -1);
  assert_string_equal(err, "sd 1e+300 is too large for mean 1e+298: the "
                           "lognormal's draws would not be finite numbers");
  p = none(); p.mean = 1e300;
  assert_int_equal(make_err(&d, MODEL_DIST_EXPONENTIAL, &p, err, sizeof err), -1);
  assert_string_equal(err, "mean 1e+300 is too large: draws would not be "
                           "finite numbers");
  p = none(); p.mean = 1e300; p.sd = 1e300;
  assert_int_equal(make_err(&d, MODEL_DIST_NORMAL, &p, err, sizeof err), -1);
  assert_string_equal(err, "mean 1e+300 and sd 1e+300 are too large: draws "
                           "would not be finite numbers");
  p = none(); p.k = 3; p.mean = 1e300;
  assert_int_equal(make_err(&d, MODEL_DIST_ERLANG, &p, err, sizeof err), -1);
  assert_string_equal(err, "mean 1e+300 is too large: draws would not be "
                           "finite numbers");
  p = none(); p.shape = 0.02; p.scale = 1e221;
  assert_int_equal(make_err(&d, MODEL_DIST_WEIBULL, &p, err, sizeof err), -1);
  assert_string_equal(err, "shape 0.02 with scale 1e+221 gives draws that "
                           "would not be finite numbers");
  p = none(); p.min = 0; p.max = 1e305;
  assert_int_equal(make_err(&d, MODEL_DIST_UNIFORM, &p, err, sizeof err), -1);
  assert_string_equal(err, "max must be at most 1e+300, got 1e+305");

  /* Extreme but finite parameters still give finite draws. */
  gsl_rng *r = sim_rng_new(20261123, 0, 13);
  p = none(); p.mean = 2.385; p.sd = 1e-100; /* shape 5.7e200 */
  assert_int_equal(make_err(&d, MODEL_DIST_GAMMA, &p, err, sizeof err), 0);
  for (int i = 0; i < 1000; i++)
    assert_true(isfinite(model_dist_sample(&d, r)));
  p.sd = 2385; /* sd/mean 1000 */
  assert_int_equal(make_err(&d, MODEL_DIST_GAMMA, &p, err, sizeof err), 0);
  for (int i = 0; i < 1000; i++)
    assert_true(isfinite(model_dist_sample(&d, r)));
  assert_int_equal(make_err(&d, MODEL_DIST_LOGNORMAL, &p, err, sizeof err), 0);
  for (int i = 0; i < 1000; i++)
    assert_true(isfinite(model_dist_sample(&d, r)));
  gsl_rng_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(each_kind_has_its_moments),
    cmocka_unit_test(normal_is_truncated_at_zero),
    cmocka_unit_test(bad_parameters_are_named),
    cmocka_unit_test(parameters_with_infinite_draws_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
