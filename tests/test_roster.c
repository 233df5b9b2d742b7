/* The roster's integer programme (models/roster.c) against the optimum
 * found here by enumerating every roster of a small problem. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "testing.h"

#include "models/roster.h"

/* Hours as the time unit. A: 4 hours with a 1-hour unpaid break 1 or 2
 * hours in, starting at 0..3; B: 2 hours, starting at 0, 2 or 4. */
static const struct model_shift shifts[] = {
  {.name = "A", .length = 4, .start_first = 0, .start_last = 3, .step = 1,
   .has_break = true, .break_length = 1, .break_first = 1, .break_last = 2},
  {.name = "B", .length = 2, .start_first = 0, .start_last = 4, .step = 2},
};

static void columns_follow_the_grids(void **state)
{
  (void)state;
  struct model_roster_problem p = {.shifts = shifts, .nshifts = 2, .interval = 1,
                                   .horizon = 7, .units_per_hour = 1};
  struct model_roster r;
  model_roster_columns(&p, &r);
  assert_int_equal(r.ncolumns, 4 * 2 + 3);
  /* The last A: starts at 3, break at 5 (3 + 2), ends at 7; paid 3 hours. */
  const struct model_roster_column *c = &r.columns[7];
  assert_true(c->start == 3 && c->end == 7 && c->break_start == 5 && c->break_end == 6);
  assert_near(c->paid_hours, 3, 1e-12);
  assert_true(model_roster_covers(c, 4, 5));
  assert_false(model_roster_covers(c, 5, 6));   /* on break */
  assert_true(model_roster_covers(c, 6, 7));
  assert_false(model_roster_covers(c, 2, 3));   /* not yet on duty */
  assert_false(model_roster_covers(c, 2.5, 3.5));   /* only half of it */
  model_roster_fini(&r);
}

/* A window's last time is a point even off the step grid ("both
 * included"): starts 0, 1.5 and 2 in [0, 2] by 1.5, breaks 1 and 1.5 in
 * [1, 1.5] by 1.5 hours. (The last was dropped: no 2:00 start.) */
static void the_last_of_a_window_is_always_a_point(void **state)
{
  (void)state;
  static const struct model_shift off_grid[] = {
    {.name = "C", .length = 3, .start_first = 0, .start_last = 2, .step = 1.5,
     .has_break = true, .break_length = 0.5, .break_first = 1, .break_last = 1.5},
  };
  struct model_roster_problem p = {.shifts = off_grid, .nshifts = 1, .interval = 0.5,
                                   .horizon = 6, .units_per_hour = 1};
  struct model_roster r;
  model_roster_columns(&p, &r);
  assert_int_equal(r.ncolumns, 3 * 2);
  assert_true(r.columns[0].start == 0 && r.columns[0].break_start == 1);
  assert_true(r.columns[1].start == 0 && r.columns[1].break_start == 1.5);
  assert_true(r.columns[2].start == 1.5 && r.columns[4].start == 2);
  assert_true(r.columns[5].start == 2 && r.columns[5].break_start == 3.5);
  model_roster_fini(&r);
}

/* Starts and breaks by the second over a day are 52 million ways to work:
 * refused with a message before anything is allocated (it asked for gigabytes). */
static void too_many_ways_to_work_are_refused(void **state)
{
  (void)state;
  static const struct model_shift fine[] = {
    {.name = "F", .length = 1800, .start_first = 0, .start_last = 7200, .step = 1,
     .has_break = true, .break_length = 60, .break_first = 0, .break_last = 7200},
  };
  struct model_roster_problem p = {.shifts = fine, .nshifts = 1, .interval = 900,
                                   .horizon = 36000, .units_per_hour = 3600};
  struct model_roster r;
  model_roster_columns(&p, &r);
  assert_int_equal(r.ncolumns, 0);
  assert_non_null(strstr(r.message, "the shifts give 51854401 ways to work"));
  assert_non_null(strstr(r.message, "more than 1000000"));
  model_roster_fini(&r);
}

static void roster_is_the_enumerated_optimum(void **state)
{
  (void)state;
  const uint32_t required[7] = {2, 3, 1, 2, 3, 1, 2};
  struct model_roster_problem p = {
    .shifts = shifts, .nshifts = 2, .interval = 1, .horizon = 7,
    .units_per_hour = 1, .required = required, .nintervals = 7,
    .cost_per_paid_hour = 35, .time_limit = 10,
  };
  struct model_roster r;
  model_roster_solve(&p, &r);
  assert_int_equal(r.status, MODEL_ROSTER_OPTIMAL);
  assert_int_equal(r.uncovered, 0);
  size_t n = r.ncolumns;
  /* The solution covers the requirement. */
  for (uint32_t k = 0; k < 7; k++) {
    uint32_t on = 0;
    for (size_t j = 0; j < n; j++)
      on += model_roster_covers(&r.columns[j], k, k + 1) ? r.columns[j].count : 0;
    assert_true(on >= required[k]);
    assert_int_equal(model_roster_on_duty(&r, k + 0.5), on);
  }
  /* Every roster with 0..3 of each column (more than the largest
   * requirement is never needed): 4^11 rosters, the cheapest that covers. */
  /* An odometer over the counts, with each interval's staff on duty and
   * the cost kept up to date as a digit turns (so the 4 million rosters
   * take a few operations each). */
  bool covers[7][16];
  for (uint32_t k = 0; k < 7; k++)
    for (size_t j = 0; j < n; j++)
      covers[k][j] = model_roster_covers(&r.columns[j], k, k + 1);
  double best = INFINITY, cost = 0;
  uint32_t count[16] = {0}, on[7] = {0};
  for (;;) {
    bool ok = true;
    for (uint32_t k = 0; k < 7 && ok; k++)
      ok = on[k] >= required[k];
    if (ok && cost < best)
      best = cost;
    size_t j = 0;
    for (; j < n; j++) {
      int delta = count[j] < 3 ? 1 : -3;
      count[j] = (uint32_t)((int)count[j] + delta);
      cost += delta * r.columns[j].paid_hours * 35;
      for (uint32_t k = 0; k < 7; k++)
        if (covers[k][j])
          on[k] = (uint32_t)((int)on[k] + delta);
      if (delta > 0)
        break;
    }
    if (j == n)
      break;
  }
  assert_true(best > 0 && best < INFINITY);
  assert_near(r.cost, best, 1e-6);
  model_roster_fini(&r);
}

/* An interval that no shift covers is reported and left out. */
static void uncovered_intervals_are_reported(void **state)
{
  (void)state;
  const uint32_t required[9] = {1, 1, 1, 1, 1, 1, 1, 0, 3};
  struct model_roster_problem p = {
    .shifts = shifts, .nshifts = 2, .interval = 1, .horizon = 9,
    .units_per_hour = 1, .required = required, .nintervals = 9,
    .cost_per_paid_hour = 0, .time_limit = 10,
  };
  struct model_roster r;
  model_roster_solve(&p, &r);
  assert_int_equal(r.status, MODEL_ROSTER_OPTIMAL);
  assert_int_equal(r.uncovered, 1);   /* 8..9: every shift has ended */
  assert_true(r.cost == 0 && r.paid_hours > 0);   /* no cost given: hours */
  model_roster_fini(&r);
}

/* Without shifts there is no way to work: a failure with a message. */
static void no_shifts_no_roster(void **state)
{
  (void)state;
  const uint32_t required[2] = {1, 1};
  struct model_roster_problem p = {
    .shifts = shifts, .nshifts = 0, .interval = 1, .horizon = 2,
    .units_per_hour = 1, .required = required, .nintervals = 2, .time_limit = 10,
  };
  struct model_roster r;
  model_roster_solve(&p, &r);
  assert_int_equal(r.status, MODEL_ROSTER_FAILED);
  assert_non_null(strstr(r.message, "no way to work"));
  model_roster_fini(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(columns_follow_the_grids),
    cmocka_unit_test(the_last_of_a_window_is_always_a_point),
    cmocka_unit_test(too_many_ways_to_work_are_refused),
    cmocka_unit_test(roster_is_the_enumerated_optimum),
    cmocka_unit_test(uncovered_intervals_are_reported),
    cmocka_unit_test(no_shifts_no_roster),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
