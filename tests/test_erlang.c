/* Erlang C and Erlang A against references computed here by other means:
 * the Erlang B recursion, the birth-death chain summed directly, loket's
 * own simulation, and the published M/M/c example of scenarios/mmc.yaml. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testing.h"

#include <gsl/gsl_cdf.h>

#include "models/erlang.h"
#include "models/metrics.h"
#include "models/office.h"
#include "models/scenario.h"
#include "sim/stats.h"

/* Erlang C from the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)). */
static double erlang_c_by_b(uint32_t c, double a)
{
  double b = 1;
  for (uint32_t k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1 - b));
}

static void erlang_c_matches_the_erlang_b_recursion(void **state)
{
  (void)state;
  const double loads[] = {0.37, 2.7, 9.85, 47.3, 412.6};
  for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++)
    for (uint32_t c = (uint32_t)floor(loads[i]) + 1; c < loads[i] * 1.5 + 8; c++) {
      struct model_erlang_queue q = {.rate = loads[i] / 2.385, .service_mean = 2.385,
                                     .patience_mean = INFINITY};
      struct model_erlang_measures m;
      model_erlang_c(&q, c, 1.7, &m);
      double pw = erlang_c_by_b(c, loads[i]);
      double drain = c / 2.385 - q.rate;
      assert_near(m.p_wait, pw, 1e-12 * (1 + pw));
      assert_near(m.service_level, 1 - pw * exp(-drain * 1.7), 1e-12);
      assert_near(m.wait_mean, pw / drain, 1e-10 * (1 + pw / drain));
      assert_true(m.abandoned == 0);
    }
}

/* scenarios/mmc.yaml: rate 2.7, mean service 1, 3 staff: P(wait) 0.817,
 * mean wait 2.72, served within 1: 39.5 % (rounded as published there). */
static void erlang_c_matches_the_published_mmc_example(void **state)
{
  (void)state;
  struct model_erlang_queue q = {2.7, 1, INFINITY};
  struct model_erlang_measures m;
  model_erlang_c(&q, 3, 1, &m);
  assert_near(m.p_wait, 0.817, 0.0005);
  assert_near(m.wait_mean, 2.72, 0.005);
  assert_near(m.service_level, 0.395, 0.0005);
  /* Unstable: no service level, infinite wait. */
  model_erlang_c(&q, 2, 1, &m);
  assert_true(m.service_level == 0 && isinf(m.wait_mean));
}

/* The chain of M/M/c+M summed directly: P(wait) and, by Little's law on
 * the queue, the share that abandons = theta E[queue] / lambda. */
static void chain(double lambda, double mu, double theta, uint32_t c,
                  double *p_wait, double *abandoned)
{
  double p = 1, z = 1, wait = 0, queue = 0;
  for (uint32_t n = 1; n < 200000; n++) {
    double death = n <= c ? n * mu : c * mu + (n - c) * theta;
    p *= lambda / death;
    z += p;
    if (n >= c)
      wait += p;
    if (n > c)
      queue += (n - c) * p;
    if (n > c + 10 && p < 1e-300)
      break;
  }
  if (c == 0)
    wait += 1;
  *p_wait = wait / z;
  *abandoned = theta * queue / z / lambda;
}

static void erlang_a_matches_the_birth_death_chain(void **state)
{
  (void)state;
  const struct { double lambda, mu, theta; } cases[] = {
    {4.2, 1.0, 0.5}, {0.37, 0.05, 0.0083}, {21.7, 0.35, 1.9}, {3.3, 1.1, 0.013},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double a = cases[i].lambda / cases[i].mu;
    for (uint32_t c = 1; c < a * 1.6 + 6; c++) {
      struct model_erlang_queue q = {cases[i].lambda, 1 / cases[i].mu,
                                     1 / cases[i].theta};
      struct model_erlang_measures m;
      model_erlang_a(&q, c, 0.75, &m);
      double pw, ab;
      chain(cases[i].lambda, cases[i].mu, cases[i].theta, c, &pw, &ab);
      assert_near(m.p_wait, pw, 1e-9);
      assert_near(m.abandoned, ab, 1e-9);
      /* Served within t lies between "no wait" and "not abandoned". */
      assert_true(m.service_level >= 1 - pw - 1e-12);
      assert_true(m.service_level <= 1 - ab + 1e-12);
      model_erlang_a(&q, c, 0, &m);
      assert_near(m.service_level, 1 - pw, 1e-9);
    }
  }
}

/* With (almost) endless patience Erlang A is Erlang C. */
static void erlang_a_tends_to_erlang_c(void **state)
{
  (void)state;
  struct model_erlang_queue a = {2.7, 1, 1e9}, c = {2.7, 1, INFINITY};
  for (uint32_t n = 3; n < 9; n++) {
    struct model_erlang_measures ma, mc;
    model_erlang_a(&a, n, 0.6, &ma);
    model_erlang_c(&c, n, 0.6, &mc);
    assert_near(ma.p_wait, mc.p_wait, 1e-6);
    assert_near(ma.service_level, mc.service_level, 1e-6);
    assert_near(ma.wait_mean, mc.wait_mean, 1e-5);
    assert_true(ma.abandoned < 1e-7);
  }
  /* An infinite mean patience is Erlang C exactly. */
  struct model_erlang_measures ma, mc;
  model_erlang_a(&c, 4, 0.6, &ma);
  model_erlang_c(&c, 4, 0.6, &mc);
  assert_true(memcmp(&ma, &mc, sizeof ma) == 0);
}

/* Replications of the simulation check: scaled down by
 * LOKET_VALIDATION_SCALE (0 to 1], as the sanitizer build asks; a shorter
 * run keeps its tolerance, derived from the run, but not its power. */
static double validation_scale(void)
{
  const char *s = getenv("LOKET_VALIDATION_SCALE");
  double x = s ? atof(s) : 1.0;
  return x > 0 && x <= 1 ? x : 1.0;
}

/* The replications' mean must lie within t(1 - 5e-5, R - 1) standard
 * errors of the formula (a correct model fails with probability 1e-4).
 * The smallest bias the check detects with probability 0.95, (t +
 * z(0.95)) standard errors, is printed and at full length must be at most
 * `allowed`. */
static void expect_near(const char *what, const struct sim_tally *t, double expected,
                        double allowed, bool relative)
{
  double se = sqrt(sim_tally_variance(t) / (double)t->n);
  double k = gsl_cdf_tdist_Pinv(1 - 5e-5, (double)(t->n - 1));
  double detect = (k + gsl_cdf_ugaussian_Pinv(0.95)) * se;
  if (relative)
    detect /= fabs(expected);
  printf("  %-26s simulated %.5f  Erlang A %.5f  tolerance %.5f  detects %.2f %s\n",
         what, sim_tally_mean(t), expected, k * se, 100 * detect,
         relative ? "%" : "pp");
  if (!(fabs(sim_tally_mean(t) - expected) <= k * se))
    fail_msg("%s: simulated %g, Erlang A %g, tolerance %g", what, sim_tally_mean(t),
             expected, k * se);
  if (validation_scale() == 1.0 && !(detect <= allowed))
    fail_msg("%s: the check detects only a bias of %g (allowed %g): run longer", what,
             detect, allowed);
}

/* Erlang A against loket's simulation of the same M/M/c+M queue (rate
 * 4.2, service 1, patience 2.5, 4 servers): the service level and the
 * abandoned share must be able to show a bias of one percentage point, the
 * mean wait one of 2 %. */
static void erlang_a_matches_the_simulation(void **state)
{
  (void)state;
  char text[1024];
  unsigned reps = (unsigned)(60 * validation_scale() + 0.5);
  snprintf(text, sizeof text,
           "loket: 1\nname: mmcm\ntime_unit: minutes\nhorizon: 10000\nwarmup: 400\n"
           "replications: %u\nseed: 20261201\nservice_level: {within: 0.5}\n"
           "patience: {dist: exponential, mean: 2.5}\n"
           "arrivals: [{to: desk, rate: 4.2}]\n"
           "departments: {desk: {staff: 4, service: {dist: exponential, mean: 1}}}\n",
           reps < 4 ? 4 : reps);
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load_text("mmcm.yaml", text, strlen(text), NULL, 0,
                                             err, sizeof err);
  assert_non_null(m);
  struct sim_tally sl, ab, wait;
  sim_tally_init(&sl);
  sim_tally_init(&ab);
  sim_tally_init(&wait);
  for (uint32_t r = 0; r < m->replications; r++) {
    struct model_result res;
    model_result_init(&res, m);
    model_office_run(m, m->seed, r, &res);
    const double *row = res.departments;
    sim_tally_add(&sl, row[MODEL_DEPARTMENT_service_level]);
    sim_tally_add(&ab, row[MODEL_DEPARTMENT_abandoned] / row[MODEL_DEPARTMENT_arrivals]);
    sim_tally_add(&wait, row[MODEL_DEPARTMENT_wait_mean]);
    model_result_fini(&res);
  }
  struct model_erlang_queue q = {4.2, 1, 2.5};
  struct model_erlang_measures e;
  model_erlang_a(&q, 4, 0.5, &e);
  expect_near("service level", &sl, e.service_level, 0.01, false);
  expect_near("abandoned share", &ab, e.abandoned, 0.01, false);
  expect_near("wait of the served, mean", &wait, e.wait_mean, 0.02, true);
  model_free(m);
}

/* The staff search returns the smallest c that meets every target. */
static void staff_is_the_smallest_c_meeting_the_targets(void **state)
{
  (void)state;
  struct model_erlang_queue q = {4.2, 1, 2};
  const struct model_erlang_target targets[] = {
    {0.5, 0.8, NAN, NAN}, {0.5, NAN, 0.03, NAN}, {0.5, NAN, NAN, 0.1},
    {0.5, 0.9, 0.02, 0.05},
  };
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
    for (int a = 0; a <= 1; a++) {
      uint32_t c = model_erlang_staff(&q, a, &targets[i], 0, 1000);
      struct model_erlang_measures m;
      a ? model_erlang_a(&q, c, 0.5, &m) : model_erlang_c(&q, c, 0.5, &m);
      assert_true(model_erlang_meets(&m, &targets[i]));
      a ? model_erlang_a(&q, c - 1, 0.5, &m) : model_erlang_c(&q, c - 1, 0.5, &m);
      assert_false(model_erlang_meets(&m, &targets[i]));
    }
  /* Bounds: min_staff when it already meets; max_staff + 1 when none does. */
  assert_int_equal(model_erlang_staff(&q, 0, &targets[0], 40, 1000), 40);
  assert_int_equal(model_erlang_staff(&q, 0, &targets[0], 0, 5), 6);
  struct model_erlang_queue none = {0, 1, INFINITY};
  assert_int_equal(model_erlang_staff(&none, 0, &targets[0], 2, 9), 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(erlang_c_matches_the_erlang_b_recursion),
    cmocka_unit_test(erlang_c_matches_the_published_mmc_example),
    cmocka_unit_test(erlang_a_matches_the_birth_death_chain),
    cmocka_unit_test(erlang_a_tends_to_erlang_c),
    cmocka_unit_test(erlang_a_matches_the_simulation),
    cmocka_unit_test(staff_is_the_smallest_c_meeting_the_targets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
