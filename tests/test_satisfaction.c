/* The satisfaction score, term by term, against docs/satisfaction.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testing.h"

#include "models/model.h"
#include "models/satisfaction.h"

static struct model_satisfaction defaults(void)
{
  struct model_satisfaction s;
  model_satisfaction_defaults(&s, 1.0); /* minutes */
  return s;
}

static void served_journeys(void **state)
{
  (void)state;
  struct model_satisfaction s = defaults();
  /* The red carpet: no wait at all. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 0, 0, 0, 0), 9.5, 1e-12);
  /* Waiting within the expectation costs nothing, but loses the bonus. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 4.25, 5, 0, 0, 0, 0), 8.0, 1e-12);
  /* 7.5 beyond the expectation: 6 x 7.5 / 30 = 1.5 points. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 12.5, 5, 0, 0, 0, 0), 6.5, 1e-12);
  /* Beyond expect + wait_range the loss stays at wait_max. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 95, 5, 0, 0, 0, 0), 2.0, 1e-12);
  /* Each handoff and each retrial costs its points. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 2, 0, 0, 0), 6.5, 1e-12);
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 3, 5, 1, 0, 1, 0), 5.5, 1e-12);
  /* Each repeat contact (rework) costs `repeat`, 1 by default: 9.5 - 2.
   * A handoff and a repeat: 8 - 1.5 - 1. */
  assert_near(s.repeat, 1.0, 0);
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 0, 0, 0, 2), 7.5, 1e-12);
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 4.25, 5, 1, 0, 0, 1), 5.5, 1e-12);
  s.repeat = 2.385;
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 0, 0, 0, 3),
              9.5 - 3 * 2.385, 1e-12);
  s.repeat = 1.0;
  /* Never below 0. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 95, 5, 3, 0, 2, 0), 0.0, 0);
}

static void lost_journeys_have_ceilings(void **state)
{
  (void)state;
  struct model_satisfaction s = defaults();
  assert_near(model_satisfaction_score(&s, MODEL_ABANDONED, 2, 5, 0, 0, 0, 0), 3.0, 0);
  assert_near(model_satisfaction_score(&s, MODEL_BALKED, 0, 5, 0, 0, 0, 0), 4.0, 0);
  assert_near(model_satisfaction_score(&s, MODEL_BLOCKED, 0, 5, 0, 0, 0, 0), 2.0, 0);
  assert_near(model_satisfaction_score(&s, MODEL_SENT_AWAY, 0, 5, 0, 0, 0, 0), 1.0, 0);
  /* A ceiling caps; it does not lift a worse experience. */
  assert_near(model_satisfaction_score(&s, MODEL_ABANDONED, 35, 5, 0, 0, 0, 0), 2.0, 1e-12);
  /* No red-carpet bonus for a customer who was not served. */
  s.abandoned = 10;
  model_satisfaction_prepare(&s);
  assert_near(model_satisfaction_score(&s, MODEL_ABANDONED, 0, 5, 0, 0, 0, 0), 8.0, 0);
}

static void units_and_groups(void **state)
{
  (void)state;
  struct model_satisfaction s;
  model_satisfaction_defaults(&s, 60.0); /* seconds */
  assert_near(s.wait_range, 1800, 0);
  /* 450 s beyond 300 s expected: 6 x 450 / 1800 = 1.5 points. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 750, 300, 0, 0, 0, 0), 6.5, 1e-12);
  assert_int_equal(model_satisfaction_group_of(0.0), MODEL_SATISFACTION_LOW);
  assert_int_equal(model_satisfaction_group_of(6.49), MODEL_SATISFACTION_LOW);
  assert_int_equal(model_satisfaction_group_of(6.5), MODEL_SATISFACTION_MID);
  assert_int_equal(model_satisfaction_group_of(8.49), MODEL_SATISFACTION_MID);
  assert_int_equal(model_satisfaction_group_of(8.5), MODEL_SATISFACTION_HIGH);
  assert_int_equal(model_satisfaction_group_of(10.0), MODEL_SATISFACTION_HIGH);
}

/* The score is clamped to the scale's top too: base 10 with a bonus of 5
 * for not waiting is 10, not 15. */
static void clamped_to_ten(void **state)
{
  (void)state;
  struct model_satisfaction s;
  model_satisfaction_defaults(&s, 1.0);
  s.base = 10;
  s.no_wait_bonus = 5;
  model_satisfaction_prepare(&s);
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 0, 0, 0, 0), 10.0, 0);
}

/* A planned route is a step of the service, free by default; a
 * mid-service handoff ("not my department") costs `handoff`; `route`
 * prices planned steps when an organisation wants to. */
static void routes_apart_from_handoffs(void **state)
{
  (void)state;
  struct model_satisfaction s;
  model_satisfaction_defaults(&s, 1.0);
  /* Served at once after two planned steps: 8 + 1.5, the red carpet. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 0, 2, 0, 0), 9.5, 1e-12);
  /* One of the moves was a handoff: 9.5 - 1.5. */
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 1, 1, 0, 0), 8.0, 1e-12);
  s.route = 0.25;
  model_satisfaction_prepare(&s);
  assert_near(model_satisfaction_score(&s, MODEL_SERVED, 0, 5, 1, 2, 0, 0), 7.5, 1e-12);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(clamped_to_ten),
    cmocka_unit_test(routes_apart_from_handoffs),
    cmocka_unit_test(served_journeys),
    cmocka_unit_test(lost_journeys_have_ceilings),
    cmocka_unit_test(units_and_groups),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
