/* The staffing advisor (cli/staff.c): its plans against references
 * computed here — Erlang C by the Erlang B recursion, Erlang A's
 * abandonment by summing the birth-death chain, minimality by simulating
 * every one-person cut — and `loket staff` end to end. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testing.h"

#include "cli/plot_staff.h"
#include "cli/staff.h"
#include "models/metrics.h"
#include "models/office.h"
#include "models/scenario.h"
#include "sim/stats.h"

static struct model *load_text(const char *text)
{
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load_text("staff-test.yaml", text, strlen(text),
                                             NULL, 0, err, sizeof err);
  if (!m)
    fail_msg("%s", err);
  return m;
}

/* The staffing block as the loader fills it: nothing planned but targets. */
static void brief(struct model *m, double interval, double sl, double abandoned)
{
  m->staffing = (struct model_staffing){
    .present = true, .interval = interval, .target_service_level = sl,
    .target_abandoned = abandoned, .target_wait_mean = NAN, .min_staff = 0,
    .max_staff = 1000, .cost_per_paid_hour = NAN,
  };
}

static void plan(const struct model *m, struct staff_plan *p)
{
  struct staff_brief b;
  char err[256];
  assert_int_equal(staff_brief_of(m, &b, err, sizeof err), 0);
  staff_plan_run(m, NULL, &b, m->replications, 2, false, p);
}

static double erlang_c_by_b(uint32_t c, double a)
{
  double b = 1;
  for (uint32_t k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return c * b / (c - a * (1 - b));
}

/* Service level of M/M/c by Erlang C; 0 when unstable. */
static double mmc_service_level(uint32_t c, double lambda, double mu, double t)
{
  double a = lambda / mu;
  if (c <= a)
    return 0;
  return 1 - erlang_c_by_b(c, a) * exp(-(c * mu - lambda) * t);
}

/* Stationary M/M/c, 80 % within 0.5 minutes: rate 4.2, mean service 1.
 * Erlang C needs 6 (86.3 %; 5 give 57.5 %); the margins, 6 and 29
 * percentage points, are many times the standard error of an interval's
 * mean over 30 replications (about 1.5 points), so the simulation must
 * find the same c in every interval after the first (which starts
 * empty and may need fewer). */
static void mmc_needs_what_erlang_c_says(void **state)
{
  (void)state;
  struct model *m = load_text(
      "loket: 1\nname: mmc\ntime_unit: minutes\nhorizon: 480\nreplications: 30\n"
      "seed: 20261202\nservice_level: {within: 0.5, target: 0.8}\n"
      "arrivals: [{to: desk, rate: 4.2}]\n"
      "departments: {desk: {staff: 1, service: {dist: exponential, mean: 1}}}\n");
  brief(m, 60, 0.8, NAN);
  uint32_t want = 0;
  while (mmc_service_level(want, 4.2, 1, 0.5) < 0.8)
    want++;
  assert_int_equal(want, 6);
  struct staff_plan p;
  plan(m, &p);
  assert_int_equal(p.nintervals, 8);
  assert_int_equal(p.missed, 0);
  assert_false(p.capped);
  for (uint32_t k = 1; k < p.nintervals; k++) {
    const struct staff_interval *in = &p.departments[0].intervals[k];
    assert_int_equal(in->required, want);
    assert_int_equal(in->erlang_c, want);
    assert_true(in->found.met);
    assert_true(in->found.service_level >= 0.8);
  }
  /* No patience given: no Erlang A. */
  assert_int_equal(p.departments[0].intervals[3].erlang_a, UINT32_MAX);
  staff_plan_fini(&p);
  model_free(m);
}

/* Share of M/M/c+M arrivals that abandon, from the chain: theta E[Q] / lambda. */
static double mmcm_abandoned(uint32_t c, double lambda, double mu, double theta)
{
  double p = 1, z = 1, queue = 0;
  for (uint32_t n = 1; n < 100000 && (n <= c + 10 || p > 1e-300); n++) {
    p *= lambda / (n <= c ? n * mu : c * mu + (n - c) * theta);
    z += p;
    if (n > c)
      queue += (n - c) * p;
  }
  return theta * queue / z / lambda;
}

/* Stationary M/M/c+M with a target on abandonment only (at most 6.5 %):
 * rate 4.2, service 1, patience 2. The chain says 6 (4.1 %; 5 lose 9.0 %),
 * margins of 2.4 points against a standard error near 0.3. */
static void mmcm_needs_what_erlang_a_says(void **state)
{
  (void)state;
  struct model *m = load_text(
      "loket: 1\nname: mmcm\ntime_unit: minutes\nhorizon: 480\nreplications: 30\n"
      "seed: 20261203\nservice_level: {within: 0.5}\n"
      "patience: {dist: exponential, mean: 2}\n"
      "arrivals: [{to: desk, rate: 4.2}]\n"
      "departments: {desk: {staff: 1, service: {dist: exponential, mean: 1}}}\n");
  brief(m, 60, NAN, 0.065);
  uint32_t want = 1;
  while (mmcm_abandoned(want, 4.2, 1, 0.5) > 0.065)
    want++;
  assert_int_equal(want, 6);
  struct staff_plan p;
  plan(m, &p);
  assert_int_equal(p.missed, 0);
  for (uint32_t k = 1; k < p.nintervals; k++) {
    const struct staff_interval *in = &p.departments[0].intervals[k];
    assert_int_equal(in->required, want);
    assert_int_equal(in->erlang_a, want);
    assert_true(in->found.abandoned <= 0.065);
  }
  staff_plan_fini(&p);
  model_free(m);
}

/* A day of sinusoidal demand (rate 3 +- 2 per minute, changing every 15
 * minutes; service 2 minutes). Time-stable service: every half hour meets
 * 80 % within 0.5 minutes, and exceeds it by no more than what the last
 * person adds (Erlang C's step from c - 1 to c at that half hour's rate)
 * plus 3 half-widths of its interval. And the plan is minimal: simulated
 * here with one person less in any half hour, some half hour misses. */
static void a_sinusoidal_day_is_time_stable_and_minimal(void **state)
{
  (void)state;
  char text[4096];
  int n = snprintf(text, sizeof text,
      "loket: 1\nname: sine\ntime_unit: minutes\nhorizon: 600\nreplications: 40\n"
      "seed: 20261204\nservice_level: {within: 0.5, target: 0.8}\n"
      "arrivals:\n  - to: desk\n    schedule:\n");
  for (int k = 0; k < 40; k++)
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "      - {at: %d, per_hour: %.3f}\n", 15 * k,
                  60 * (3 + 2 * sin(6.283185307179586 * (15 * k + 7.5) / 600)));
  snprintf(text + n, sizeof text - (size_t)n,
           "departments: {desk: {staff: 1, service: {dist: exponential, mean: 2}}}\n");
  struct model *m = load_text(text);
  brief(m, 30, 0.8, NAN);
  struct staff_plan p;
  plan(m, &p);
  assert_int_equal(p.nintervals, 20);
  assert_int_equal(p.missed, 0);
  const struct staff_department *sd = &p.departments[0];
  for (uint32_t k = 0; k < p.nintervals; k++) {
    const struct staff_interval *in = &sd->intervals[k];
    uint32_t c = in->required;
    double step = mmc_service_level(c, in->rate, 0.5, 0.5) -
                  mmc_service_level(c - 1, in->rate, 0.5, 0.5);
    assert_true(in->found.service_level >= 0.8);
    if (in->found.service_level > 0.8 + step + 3 * in->found.service_level_half)
      fail_msg("interval %u: service level %.3f with %u staff exceeds the target by "
               "more than one person's step %.3f", k, in->found.service_level, c, step);
  }

  /* Minimality, by simulation here: the plan as a schedule, each half
   * hour in turn one person short. */
  struct model work = *m;
  struct model_department dep = m->departments[0];
  struct model_step steps[20];
  work.departments = &dep;
  work.interval = 30;
  work.nintervals = 20;
  dep.staff_schedule = steps;
  dep.nstaff_steps = 20;
  for (uint32_t cut = 0; cut < 20; cut++) {
    for (uint32_t k = 0; k < 20; k++)
      steps[k] = (struct model_step){30.0 * k, sd->intervals[k].required - (k == cut)};
    dep.staff = (uint32_t)steps[0].value;
    bool some_missed = false;
    struct sim_tally sl[20];
    for (uint32_t k = 0; k < 20; k++)
      sim_tally_init(&sl[k]);
    for (uint32_t r = 0; r < work.replications; r++) {
      struct model_result res;
      model_result_init(&res, &work);
      model_office_run(&work, work.seed, r, &res);
      for (uint32_t k = 0; k < 20; k++) {
        double x = res.timeseries[k * MODEL_TIMESERIES_NCOLS + MODEL_TIMESERIES_service_level];
        if (!isnan(x))
          sim_tally_add(&sl[k], x);
      }
      model_result_fini(&res);
    }
    for (uint32_t k = 0; k < 20; k++)
      some_missed |= sim_tally_mean(&sl[k]) < 0.8;
    if (!some_missed)
      fail_msg("half hour %u can lose one person and every target still holds", cut);
  }
  staff_plan_fini(&p);
  model_free(m);
}

static const char mmc_text[] =
    "loket: 1\nname: mmc\ntime_unit: minutes\nhorizon: 240\nreplications: 20\n"
    "seed: 20261206\nservice_level: {within: 0.5, target: 0.8}\n"
    "arrivals: [{to: desk, rate: 4.2}]\n"
    "departments: {desk: {staff: 1, service: {dist: exponential, mean: 1}}}\n";

/* Targets for the lower confidence bound: in every interval the mean less
 * the 95 % half-width (the same t quantile at confidence 0.95) meets the
 * target, and no interval needs fewer staff than for the mean. */
static void confidence_asks_the_lower_bound(void **state)
{
  (void)state;
  struct model *m = load_text(mmc_text);
  brief(m, 60, 0.8, NAN);
  struct staff_plan mean, bound;
  plan(m, &mean);
  m->staffing.confidence = 0.95;
  plan(m, &bound);
  assert_int_equal(bound.missed, 0);
  for (uint32_t k = 0; k < bound.nintervals; k++) {
    const struct staff_interval *in = &bound.departments[0].intervals[k];
    assert_true(in->found.service_level - in->found.service_level_half >= 0.8);
    assert_true(in->required >= mean.departments[0].intervals[k].required);
  }
  staff_plan_fini(&mean);
  staff_plan_fini(&bound);
  model_free(m);
}

/* The bound takes t at n - 1 degrees of freedom for the n replications
 * that define the interval's measure, as staffing.csv's own ci95 does: a
 * plan is met only where mean - half-width meets the target. (With t at
 * replications - 1 for every interval, an interval that 13 of 20
 * replications define passed at a lower bound of 0.594 against 0.6.) And
 * an interval that only one replication defines is judged by its mean:
 * its bound was NaN, which meets nothing, and raised it to max_staff. */
static void confidence_bounds_use_the_replications_that_define_them(void **state)
{
  (void)state;
  struct model *m = load_text(
      "horizon: 600\nreplications: 20\nseed: 10\nservice_level: {within: 5}\n"
      "arrivals: [{to: desk, rate: 0.02}]\n"
      "departments: {desk: {staff: 1, service: {dist: exponential, mean: 40}}}\n"
      "staffing: {interval: 60, target: {service_level: 0.6}, confidence: 0.95, "
      "max_staff: 5}\n");
  struct staff_plan p;
  plan(m, &p);
  for (uint32_t k = 0; k < p.nintervals; k++) {
    const struct staff_interval *in = &p.departments[0].intervals[k];
    if (in->closed || !in->found.met)
      continue;
    double half = in->found.service_level_half;   /* NaN: fewer than two */
    if (!isnan(half) && !(in->found.service_level - half >= 0.6 - 1e-12))
      fail_msg("interval %u met at %.4f - %.4f", k, in->found.service_level, half);
  }
  staff_plan_fini(&p);
  model_free(m);

  /* An hour with a caller in one replication of 20: met by 1 staff. */
  m = load_text(
      "horizon: 240\nreplications: 20\nseed: 3\nservice_level: {within: 2}\n"
      "arrivals: [{to: desk, schedule: [{at: 0, per_hour: 30}, {at: 120, per_hour: 0.1}]}]\n"
      "departments: {desk: {staff: 1, service: {dist: exponential, mean: 5}}}\n"
      "staffing: {interval: 60, target: {service_level: 0.8}, confidence: 0.95}\n");
  plan(m, &p);
  assert_int_equal(p.missed, 0);
  const struct staff_interval *late = &p.departments[0].intervals[2];
  assert_false(late->closed);
  assert_true(late->required < 5);
  assert_true(late->found.met);
  staff_plan_fini(&p);
  model_free(m);
}

/* Erlang C holds a server for the service and its wrap-up, as the
 * offered load does: it needs more staff than the load, never fewer (it
 * took the service alone: 6 staff for an offered load of 12, a plan that
 * reached 0 to 8 %). */
static void erlang_c_counts_the_wrap_up(void **state)
{
  (void)state;
  struct model *m = load_text(
      "horizon: 240\nreplications: 6\nseed: 2\nservice_level: {within: 1}\n"
      "arrivals: [{to: desk, rate: 2}]\n"
      "departments: {desk: {staff: 5, service: {dist: exponential, mean: 2}, "
      "wrap_up: {dist: exponential, mean: 4}}}\n"
      "staffing: {interval: 60, target: {service_level: 0.8}}\n");
  struct staff_plan p;
  plan(m, &p);
  for (uint32_t k = 0; k < p.nintervals; k++) {
    const struct staff_interval *in = &p.departments[0].intervals[k];
    if ((double)in->erlang_c <= in->offered_load)
      fail_msg("interval %u: Erlang C %u for an offered load of %.2f", k, in->erlang_c,
               in->offered_load);
    /* Within a few of what the simulation needs (both hold 6 minutes). */
    assert_true(in->erlang_c + 3 >= in->required && in->erlang_c <= in->required + 3);
  }
  staff_plan_fini(&p);
  model_free(m);
}

/* Intervals without fresh calls but with callbacks of those who hung up
 * earlier are planned like any other: the demand pass (staff without
 * limit: nobody hangs up) had none there and closed them, their callers
 * went unserved (service level 0, all abandoned) and the summary said
 * every interval met its target. */
static void intervals_of_callbacks_are_planned(void **state)
{
  (void)state;
  struct model *m = load_text(
      "horizon: 180\nreplications: 10\nseed: 4\nservice_level: {within: 2}\n"
      "patience: {dist: exponential, mean: 3}\n"
      "retrial: {p: 1, after: {dist: uniform, min: 70, max: 90}}\n"
      "arrivals: [{to: desk, schedule: [{at: 0, per_hour: 60}, {at: 60, per_hour: 0}]}]\n"
      "departments: {desk: {staff: [{at: 0, staff: 1}, {at: 60, staff: 0}], "
      "service: {dist: exponential, mean: 2}}}\n"
      "staffing: {interval: 60, target: {service_level: 0.8, abandoned: 0.1}}\n");
  struct staff_plan p;
  plan(m, &p);
  assert_int_equal(p.missed, 0);
  for (uint32_t k = 1; k < 3; k++) {
    const struct staff_interval *in = &p.departments[0].intervals[k];
    assert_false(in->closed);
    assert_true(in->found.arrivals > 0);
    assert_true(in->required >= 1);
    assert_true(in->found.met);
  }
  staff_plan_fini(&p);
  model_free(m);
}

/* An interval that cannot meet the target at max_staff is reported, with
 * max_staff, not hidden; the search ends without reaching its cap. */
static void unreachable_intervals_are_reported(void **state)
{
  (void)state;
  struct model *m = load_text(mmc_text);
  brief(m, 60, 0.8, NAN);
  m->staffing.max_staff = 4;   /* below the offered load of 4.2 */
  struct staff_plan p;
  plan(m, &p);
  assert_int_equal(p.missed, p.nintervals);
  assert_false(p.capped);
  for (uint32_t k = 0; k < p.nintervals; k++) {
    assert_int_equal(p.departments[0].intervals[k].required, 4);
    assert_false(p.departments[0].intervals[k].found.met);
    assert_int_equal(p.departments[0].intervals[k].erlang_c, 5);   /* none <= 4 */
  }
  staff_plan_fini(&p);
  model_free(m);
}

/* Intervals without a single arrival (the doors shut over lunch) keep
 * the scenario's staff and have no target; only the departments asked
 * for are planned. */
static void closed_intervals_and_unplanned_departments_are_left_alone(void **state)
{
  (void)state;
  struct model *m = load_text(
      "loket: 1\nname: lunch\ntime_unit: minutes\nhorizon: 240\nreplications: 10\n"
      "seed: 20261207\nservice_level: {within: 1, target: 0.8}\n"
      "arrivals:\n  - to: front\n    schedule: [{at: 0, per_hour: 150}, "
      "{at: 90, per_hour: 0}, {at: 150, per_hour: 150}]\n"
      "departments:\n"
      "  front: {staff: 4, service: {dist: exponential, mean: 1},\n"
      "          routes: [{to: back, p: 0.5}]}\n"
      "  back: {staff: [{at: 0, staff: 3}, {at: 100, staff: 1}], "
      "service: {dist: exponential, mean: 2}}\n");
  brief(m, 30, 0.8, NAN);
  bool planned[2] = {false, true};
  m->staffing.plan = planned;
  struct staff_brief b;
  char err[256];
  assert_int_equal(staff_brief_of(m, &b, err, sizeof err), 0);
  struct staff_plan p;
  staff_plan_run(m, planned, &b, m->replications, 2, false, &p);
  m->staffing.plan = NULL;   /* not the loader's: not for model_free */
  assert_int_equal(p.ndepartments, 1);
  assert_int_equal(p.departments[0].index, 1);
  const struct staff_interval *in = p.departments[0].intervals;
  /* back's arrivals come from front's service: 90..150 has none from
   * about 100 on; the interval 120..150 is surely empty. */
  assert_true(in[4].closed);
  assert_int_equal(in[4].required, 1);   /* the scenario's staff at 120 */
  assert_true(in[4].found.met);
  assert_false(in[0].closed);
  assert_int_equal(p.missed, 0);
  staff_plan_fini(&p);
  model_free(m);
}

/* The search is bounded: stopped by its cap, it says so. */
static void the_search_stops_at_its_cap(void **state)
{
  (void)state;
  struct model *m = load_text(mmc_text);
  brief(m, 60, 0.8, NAN);
  struct staff_brief b;
  char err[256];
  assert_int_equal(staff_brief_of(m, &b, err, sizeof err), 0);
  assert_int_equal(b.max_simulations, STAFF_MAX_SIMULATIONS);
  b.max_simulations = 3;
  struct staff_plan p;
  staff_plan_run(m, NULL, &b, m->replications, 2, false, &p);
  assert_true(p.capped);
  /* the cap, then the final plan and the Erlang C plan at most */
  assert_true(p.simulations >= 3 && p.simulations <= 5);
  staff_plan_fini(&p);
  model_free(m);
}

/* A replication that cannot run to its end (here: more customers at once
 * than the model allows) stops the plan with its reason, not an assert. */
static void a_failed_replication_stops_the_plan(void **state)
{
  (void)state;
  struct model *m = load_text(mmc_text);
  brief(m, 60, 0.8, NAN);
  /* One server for 4.2 arrivals a minute: about 1500 wait by the end,
   * beyond the 256 the model allows here. The demand pass (unlimited
   * staff) runs; the first plan cannot. */
  m->max_customers = 256;
  m->staffing.max_staff = 1;
  struct staff_plan p;
  plan(m, &p);
  assert_non_null(p.error);
  assert_non_null(strstr(p.error, "too many customers"));
  assert_string_equal(p.error_phase, "raising");
  assert_int_equal(p.simulations, 2);
  staff_plan_fini(&p);
  model_free(m);
}

/* ---- the command ------------------------------------------------------- */

static int loket(const char *args)
{
  return test_sh("%s %s >staff-stdout.txt 2>staff-stderr.txt", LOKET_BINARY, args);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static bool exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* The path of the gnuplot on PATH. */
static void find_gnuplot(char *buf, size_t len)
{
  FILE *which = popen("command -v gnuplot", "r");
  assert_non_null(which);
  buf[0] = '\0';
  assert_non_null(fgets(buf, (int)len, which));
  pclose(which);
  buf[strcspn(buf, "\n")] = '\0';
}

static const char day[] =
    "# a small contact centre\n"
    "loket: 1\nname: \"Jan's \\\"small\\\" day, `touch staff-pwned`\"\ntime_unit: minutes\nopens: \"09:00\"\n"
    "horizon: \"13:00\"\nreplications: 12\nseed: 20261205\n"
    "service_level: {within: 0.5, target: 0.8}\n"
    "patience: {dist: exponential, mean: 3}\n"
    "output: {interval: 30}\n"
    "arrivals:\n  - to: agents\n    schedule:\n"
    "      - {at: \"09:00\", per_hour: 150}\n"
    "      - {at: \"10:00\", per_hour: 300}\n"
    "      - {at: \"11:30\", per_hour: 200}\n"
    "departments:\n  agents:\n    staff: 3      # to be planned\n"
    "    service: {dist: exponential, mean: 2}\n    cost_per_staff_hour: 30\n";

/* staffed.yaml is accepted by `loket check` and `loket run` reproduces
 * the staffed run's files byte for byte; the plan does not depend on the
 * number of threads. */
static void staffed_yaml_reproduces(void **state)
{
  (void)state;
  test_sh("rm -rf staff-out staff-out1 staff-run");
  write_file("staff-day.yaml", day);
  assert_int_equal(loket("staff staff-day.yaml --out staff-out --jobs 2"), 0);
  char *out = test_slurp("staff-stdout.txt");
  assert_non_null(strstr(out, "Erlang C"));
  assert_non_null(strstr(out, "staff hours"));
  free(out);
  char *csv = test_slurp("staff-out/staffing.csv");
  assert_non_null(csv);
  assert_true(!strncmp(csv, "department,t_start,clock,arrivals_mean,offered_load,"
                            "required_staff,paid_staff,service_level,"
                            "service_level_ci95,abandoned,wait_mean,utilization,"
                            "meets_target,erlang_c_staff,erlang_a_staff,"
                            "erlang_c_service_level,erlang_c_service_level_ci95\n",
                       strlen("department,t_start")));
  assert_non_null(strstr(csv, "\nagents,0,09:00,"));
  assert_non_null(strstr(csv, "\nagents,210,12:30,"));
  assert_int_equal(loket("check staff-out/staffed.yaml"), 0);
  assert_int_equal(loket("run staff-out/staffed.yaml --out staff-run --quiet"), 0);
  static const char *const files[] = {"summary.csv", "departments.csv",
                                      "timeseries.csv", "stats.csv", "waits.csv"};
  test_same_files("staff-out", "staff-run", files, sizeof files / sizeof files[0]);
  char *yaml = test_slurp("staff-out/staffed.yaml");
  assert_non_null(strstr(yaml, "at: \"09:00\""));
  assert_null(strstr(yaml, "staff: 3\n"));   /* the scenario's staff is gone */
  free(yaml);
  assert_int_equal(loket("staff staff-day.yaml --out staff-out1 --jobs 1 --quiet"), 0);
  char *csv1 = test_slurp("staff-out1/staffing.csv");
  assert_string_equal(csv, csv1);
  free(csv);
  free(csv1);

  /* The staffing figure alone, with a title full of quotes that must
   * reach gnuplot as data: it draws, and runs nothing. */
  test_sh("rm -f staff-pwned staff-out/plots/staffing-agents.png");
  char gnuplot[1024];
  find_gnuplot(gnuplot, sizeof gnuplot);
  char err[1024];
  struct gp_drawn drawn = {0};
  assert_int_equal(cli_plot_staffing("staff-out", "png", LOKET_SOURCE_DIR "/plots",
                                     gnuplot, err, sizeof err, &drawn), 0);
  assert_int_equal(drawn.n, 1);
  assert_string_equal(drawn.files[0], "staffing-agents.png");
  gp_drawn_fini(&drawn);
  assert_true(exists("staff-out/plots/staffing-agents.png"));
  assert_false(exists("staff-pwned"));
  /* `loket plot` draws it with the figures of the staffed run. */
  assert_int_equal(loket("plot staff-out"), 0);
  assert_true(exists("staff-out/plots/staffing-agents.png"));
  assert_true(exists("staff-out/plots/day-agents.png"));
  /* A folder without staffing.csv has no staffing figure: nothing to do. */
  assert_int_equal(cli_plot_staffing("staff-run", "png", LOKET_SOURCE_DIR "/plots",
                                     gnuplot, err, sizeof err, &drawn), 0);
  assert_int_equal(drawn.n, 0);
}

/* The staffing figure shows the plan's own target (staffing.target, 50 %
 * here, not the day's service_level.target of 80 %), breaks the Erlang C
 * steps where Erlang C has no staff up to max_staff (not the last value
 * carried across), and its service-level axis starts below the lowest
 * point drawn. A gnuplot that copies what it is given before drawing
 * shows the figure's variables and data. (Before: the target was the
 * day's, the empty Erlang C fields were skipped, so the steps carried
 * on, and the axis began at the target less 10 points.) */
static void staffing_figure_shows_the_plan(void **state)
{
  (void)state;
  char yaml[sizeof day + 128];
  snprintf(yaml, sizeof yaml, "%sstaffing: {target: {service_level: 0.5}, max_staff: 9}\n",
           day);
  write_file("staff-fig.yaml", yaml);
  test_sh("rm -rf staff-fig staff-cap && mkdir staff-cap");
  assert_int_equal(loket("staff staff-fig.yaml --out staff-fig --replications 4 --quiet"), 0);
  char *csv = test_slurp("staff-fig/staffing.csv");
  assert_non_null(csv);
  free(csv);
  char gnuplot[1024];
  find_gnuplot(gnuplot, sizeof gnuplot);
  char wrapper[2048];
  snprintf(wrapper, sizeof wrapper, "#!/bin/sh\ncp \"$1\" staff-cap/vars.gp\n"
           "cp \"$(dirname \"$1\")\"/*.dat staff-cap/\nexec '%s' \"$@\"\n", gnuplot);
  write_file("staff-gp.sh", wrapper);
  assert_int_equal(test_sh("chmod +x staff-gp.sh"), 0);
  char err[1024];
  struct gp_drawn drawn = {0};
  assert_int_equal(cli_plot_staffing("staff-fig", "png", LOKET_SOURCE_DIR "/plots",
                                     "./staff-gp.sh", err, sizeof err, &drawn), 0);
  assert_int_equal(drawn.n, 1);
  gp_drawn_fini(&drawn);
  char *vars = test_slurp("staff-cap/vars.gp");
  assert_non_null(vars);
  assert_non_null(strstr(vars, "\ntarget = 0.5\n"));
  char *low = strstr(vars, "\nlowest = ");
  assert_non_null(low);
  double lowest = strtod(low + 10, NULL);
  free(vars);
  /* Erlang C needs more than 9 at the peak of 10 Erlangs: a gap. */
  assert_int_equal(test_sh("grep -q '^[0-9:]*,[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*,NaN,' "
                           "staff-cap/staffing.dat"), 0);
  /* The plan misses 50 % at max_staff 9 in the peak; the axis shows it. */
  assert_true(lowest < 50);
  assert_true(lowest >= 0);
}

/* --set overrides are not written into staffed.yaml but listed in its
 * opening comment; with them, loket run reproduces the staffed run. */
static void overrides_are_listed_and_reproduce(void **state)
{
  (void)state;
  test_sh("rm -rf staff-set staff-set-run");
  write_file("staff-day.yaml", day);
  assert_int_equal(loket("staff staff-day.yaml --set seed=9917 --replications 6 "
                         "--out staff-set"), 0);
  char *out = test_slurp("staff-stdout.txt");
  assert_non_null(strstr(out, "lists the --set overrides"));
  free(out);
  char *yaml = test_slurp("staff-set/staffed.yaml");
  assert_non_null(strstr(yaml, "\n#   --set seed=9917\n"));
  assert_non_null(strstr(yaml, "\nreplications: 6\n"));
  free(yaml);
  assert_int_equal(loket("run staff-set/staffed.yaml --set seed=9917 --out "
                         "staff-set-run --quiet"), 0);
  char *a = test_slurp("staff-set/summary.csv"), *b = test_slurp("staff-set-run/summary.csv");
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(a, b);
  free(a);
  free(b);
}

/* The summary.csv of two folders is the same. */
static void same_summary(const char *a_dir, const char *b_dir)
{
  char path[256];
  snprintf(path, sizeof path, "%s/summary.csv", a_dir);
  char *a = test_slurp(path);
  snprintf(path, sizeof path, "%s/summary.csv", b_dir);
  char *b = test_slurp(path);
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(a, b);
  free(a);
  free(b);
}

/* A department given by an alias (*dep) gets a staff of its own in
 * staffed.yaml, the anchored one keeps its own; a department added by
 * --set, which the text does not hold, gets its staff as one more listed
 * override. Both staffed runs are reproduced by loket run. (Both used to
 * fail at the end: "cannot rewrite the staff"; and without resolving the
 * alias, setting the anchored department's staff would set both.) */
static void aliased_and_added_departments_reproduce(void **state)
{
  (void)state;
  static const char aliased[] =
      "horizon: 240\nreplications: 3\nservice_level: {within: 1}\n"
      "arrivals: [{to: a, rate: 2}, {to: b, rate: 0.2}]\n"
      "departments:\n"
      "  a: &dep {staff: 1, service: {dist: exponential, mean: 1}}\n"
      "  b: *dep\n"
      "staffing: {interval: 60, target: {service_level: 0.8}}\n";
  test_sh("rm -rf staff-alias staff-alias-run staff-added staff-added-run");
  write_file("staff-alias.yaml", aliased);
  assert_int_equal(loket("staff staff-alias.yaml --out staff-alias --quiet"), 0);
  assert_int_equal(loket("run staff-alias/staffed.yaml --out staff-alias-run --quiet"), 0);
  same_summary("staff-alias", "staff-alias-run");
  /* Both departments have rows of their own. */
  char *deps = test_slurp("staff-alias/departments.csv");
  assert_non_null(strstr(deps, "\n1,a,"));
  assert_non_null(strstr(deps, "\n1,b,"));
  free(deps);
  char *yaml = test_slurp("staff-alias/staffed.yaml");
  assert_non_null(strstr(yaml, "\n  b:\n    staff:\n    - at: \"00:00\"\n      staff: 1\n"));
  free(yaml);

  static const char one[] =
      "horizon: 240\nreplications: 3\nservice_level: {within: 1}\n"
      "arrivals: [{to: a, rate: 2}]\n"
      "departments:\n  a: {staff: 1, service: {dist: exponential, mean: 1}}\n"
      "staffing: {interval: 60, target: {service_level: 0.8}}\n";
  write_file("staff-added.yaml", one);
  assert_int_equal(loket("staff staff-added.yaml --out staff-added --quiet "
                         "--set 'departments.b={staff: 1, service: {dist: exponential, "
                         "mean: 1}}' --set 'arrivals=[{to: a, rate: 2}, {to: b, rate: 1}]'"), 0);
  yaml = test_slurp("staff-added/staffed.yaml");
  assert_non_null(yaml);
  char *added = strstr(yaml, "\n#   --set departments.b.staff=[{at: \"00:00\", staff: ");
  assert_non_null(added);
  /* After the user's overrides, as it must be given. */
  assert_true(strstr(yaml, "--set arrivals=") < added);
  char set[512];
  size_t n = strcspn(added + 10, "\n");
  assert_true(n < 400);
  snprintf(set, sizeof set, "%.*s", (int)n, added + 10);
  free(yaml);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "run staff-added/staffed.yaml --out staff-added-run --quiet "
           "--set 'departments.b={staff: 1, service: {dist: exponential, mean: 1}}' "
           "--set 'arrivals=[{to: a, rate: 2}, {to: b, rate: 1}]' --set '%s'", set + 1);
  assert_int_equal(loket(cmd), 0);
  same_summary("staff-added", "staff-added-run");
}

/* With pools: the plan is of the departments' own staff, the pools stay
 * in staffed.yaml as given, and the staffed run is reproduced, pools.csv
 * included. */
static void pools_are_kept_and_reproduce(void **state)
{
  (void)state;
  test_sh("rm -rf staff-pools staff-pools-run");
  assert_int_equal(loket("staff " LOKET_SOURCE_DIR "/scenarios/een-loket.yaml "
                         "--replications 3 --out staff-pools"), 0);
  char *out = test_slurp("staff-stdout.txt");
  assert_non_null(strstr(out, "with the 1 pool as given"));
  free(out);
  char *yaml = test_slurp("staff-pools/staffed.yaml");
  assert_non_null(yaml);
  assert_non_null(strstr(yaml, "\npools:\n  generalists:\n    staff: 2\n"));
  free(yaml);
  assert_int_equal(loket("run staff-pools/staffed.yaml --out staff-pools-run --quiet"), 0);
  static const char *const files[] = {"summary.csv", "departments.csv", "pools.csv"};
  test_same_files("staff-pools", "staff-pools-run", files, sizeof files / sizeof files[0]);
}

/* With staffing.departments only those are planned: the others keep
 * their staff in staffed.yaml, which still reproduces. */
static void only_the_departments_asked_for_are_rewritten(void **state)
{
  (void)state;
  test_sh("rm -rf staff-two staff-two-run");
  write_file("staff-two.yaml",
             "loket: 1\nname: two\ntime_unit: minutes\nhorizon: 180\n"
             "replications: 8\nseed: 20261208\nservice_level: {within: 1, target: 0.8}\n"
             "output: {interval: 30}\n"
             "arrivals: [{to: front, rate: 2.2}]\n"
             "departments:\n"
             "  front: {staff: 4, service: {dist: exponential, mean: 1},\n"
             "          routes: [{to: back, p: 0.6}]}\n"
             "  back: {staff: 9, service: {dist: gamma, mean: 2.5, sd: 1.2}}\n"
             "staffing: {departments: [back], target: {service_level: 0.8}}\n");
  assert_int_equal(loket("staff staff-two.yaml --out staff-two --quiet"), 0);
  char *yaml = test_slurp("staff-two/staffed.yaml");
  assert_non_null(yaml);
  char *front = strstr(yaml, "front:"), *back = strstr(yaml, "back:\n");
  assert_non_null(front);
  assert_non_null(back);
  assert_non_null(strstr(front, "staff: 4\n"));     /* front as it was */
  assert_true(strstr(front, "staff: 4\n") < back);
  assert_non_null(strstr(back, "staff:\n    - at: \"00:00\"\n"));   /* planned */
  free(yaml);
  char *csv = test_slurp("staff-two/staffing.csv");
  assert_null(strstr(csv, "\nfront,"));
  assert_non_null(strstr(csv, "\nback,0,00:00,"));
  free(csv);
  assert_int_equal(loket("run staff-two/staffed.yaml --out staff-two-run --quiet"), 0);
  char *a = test_slurp("staff-two/departments.csv"),
       *b = test_slurp("staff-two-run/departments.csv");
  assert_string_equal(a, b);
  free(a);
  free(b);
}

static void staff_errors_write_nothing(void **state)
{
  (void)state;
  test_sh("rm -rf staff-bad");
  /* No target anywhere. */
  char *text = strdup(day);
  char *target = strstr(text, ", target: 0.8");
  memmove(target, target + strlen(", target: 0.8"), strlen(target + 13) + 1);
  write_file("staff-notarget.yaml", text);
  free(text);
  assert_int_equal(loket("staff staff-notarget.yaml --out staff-bad"), 2);
  char *err = test_slurp("staff-stderr.txt");
  assert_non_null(strstr(err, "needs a target"));
  free(err);
  assert_false(exists("staff-bad"));
  /* An option of another command. */
  assert_int_equal(loket("staff staff-day.yaml --trace --out staff-bad"), 2);
  assert_false(exists("staff-bad"));
  /* Lower confidence bounds need two replications at least. */
  char conf[8192];
  snprintf(conf, sizeof conf, "%sstaffing: {target: {service_level: 0.8}, "
           "confidence: 0.95}\n", day);
  write_file("staff-conf.yaml", conf);
  assert_int_equal(loket("staff staff-conf.yaml --replications 1 --out staff-bad"), 2);
  err = test_slurp("staff-stderr.txt");
  assert_non_null(strstr(err, "needs at least 2 replications"));
  free(err);
  assert_false(exists("staff-bad"));
  /* An output folder that cannot be made: a runtime failure, found
   * before anything is simulated. */
  assert_int_equal(loket("staff staff-day.yaml --out staff-day.yaml/inside"), 1);
  err = test_slurp("staff-stderr.txt");
  assert_non_null(strstr(err, "staff-day.yaml/inside"));
  free(err);
  /* The brief's own check (the loader refuses it first in a scenario). */
  struct model *m = load_text(mmc_text);
  brief(m, 60, 0.8, NAN);
  m->staffing.min_staff = 9;
  m->staffing.max_staff = 4;
  struct staff_brief b;
  char msg[256];
  assert_int_equal(staff_brief_of(m, &b, msg, sizeof msg), -1);
  assert_non_null(strstr(msg, "min_staff (9) is above staffing.max_staff (4)"));
  model_free(m);
  /* A scenario error is located. */
  write_file("staff-broken.yaml", "loket: 1\nname: x\nhorizon: ten\n");
  assert_int_equal(loket("staff staff-broken.yaml --out staff-bad"), 2);
  err = test_slurp("staff-stderr.txt");
  assert_non_null(strstr(err, "staff-broken.yaml:3:"));
  free(err);
  assert_false(exists("staff-bad"));
}

static const char shifts[] =
    "staffing:\n  interval: 30\n  target: {service_level: 0.8}\n  shrinkage: 0.2\n"
    "  cost_per_paid_hour: 35\n  shifts:\n"
    "    - {name: long, length: \"3:00\", start: [\"09:00\", \"10:00\"], step: 30,\n"
    "       break: {length: 30, start: [\"1:00\", \"2:00\"]}}\n"
    "    - {name: short, length: \"2:00\", start: [\"09:00\", \"11:00\"], step: 60}\n";

/* The roster covers the paid requirement in every interval, its cost is
 * its paid hours at 35 an hour, and --requirement builds the roster
 * alone; a requirement naming an unknown department is located. */
static void roster_covers_the_paid_requirement(void **state)
{
  (void)state;
  test_sh("rm -rf staff-roster staff-req staff-req-bad");
  char text[8192];
  snprintf(text, sizeof text, "%s%s", day, shifts);
  write_file("staff-shifts.yaml", text);
  assert_int_equal(loket("staff staff-shifts.yaml --out staff-roster --quiet"), 0);
  char *roster = test_slurp("staff-roster/roster.csv");
  assert_non_null(roster);
  assert_true(!strncmp(roster, "department,shift,start,end,break_start,break_end,"
                               "count,paid_hours,cost\n", 70));
  /* Every row: cost = paid_hours x 35. */
  for (char *line = strchr(roster, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
    double count, hours, cost;
    char *field = line;
    for (int i = 0; i < 6; i++)
      field = strchr(field, ',') + 1;
    assert_int_equal(sscanf(field, "%lf,%lf,%lf", &count, &hours, &cost), 3);
    assert_near(cost, 35 * hours, 1e-6);
    assert_true(count >= 1);
  }
  free(roster);
  /* roster_staff >= paid_staff wherever the doors are open. */
  FILE *f = fopen("staff-roster/staffing.csv", "r");
  assert_non_null(f);
  char line[2048];
  assert_non_null(fgets(line, sizeof line, f));
  int rows = 0;
  while (fgets(line, sizeof line, f)) {
    char *fields[32];
    int n = 0;
    for (char *p = line; n < 32 && p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
      fields[n++] = p;
    assert_int_equal(n, 20);
    assert_true(atoi(fields[17]) >= atoi(fields[6]));
    rows++;
  }
  fclose(f);
  assert_int_equal(rows, 8);

  write_file("staff-req.csv", "department,t_start,required_staff\nagents,0,4\n"
                              "agents,30,5\nagents,60,9\nagents,210,6\n");
  assert_int_equal(loket("staff staff-shifts.yaml --requirement staff-req.csv "
                         "--out staff-req"), 0);
  assert_true(exists("staff-req/roster.csv"));
  assert_false(exists("staff-req/staffing.csv"));
  char *out = test_slurp("staff-stdout.txt");
  assert_non_null(strstr(out, "optimal"));
  free(out);
  write_file("staff-req-bad.csv", "department,t_start,required_staff\nagents,0,4\n"
                                  "nobody,30,5\n");
  assert_int_equal(loket("staff staff-shifts.yaml --requirement staff-req-bad.csv "
                         "--out staff-req-bad"), 2);
  char *err = test_slurp("staff-stderr.txt");
  assert_non_null(strstr(err, "staff-req-bad.csv:3: 'nobody' is not a department"));
  free(err);
  assert_false(exists("staff-req-bad"));
  /* A t_start off the grid, a count that is not whole, a missing column. */
  static const struct { const char *text, *message; } bad[] = {
    {"department,t_start,required_staff\nagents,45,5\n",
     "staff-req-bad.csv:2: t_start must be the start of a planning interval"},
    {"department,t_start,required_staff\nagents,30,2.5\n",
     "staff-req-bad.csv:2: column 'required_staff'"},
    {"department,required_staff\nagents,5\n", "no column 't_start'"},
    /* An interval given twice (the second row used to replace the first). */
    {"department,t_start,required_staff\nagents,30,1\nagents,30,5\n",
     "staff-req-bad.csv:3: department 'agents' at t_start 30 is given twice"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    write_file("staff-req-bad.csv", bad[i].text);
    assert_int_equal(loket("staff staff-shifts.yaml --requirement staff-req-bad.csv "
                           "--out staff-req-bad"), 2);
    err = test_slurp("staff-stderr.txt");
    if (!strstr(err, bad[i].message))
      fail_msg("expected '%s' in: %s", bad[i].message, err);
    free(err);
    assert_false(exists("staff-req-bad"));
  }
  /* --requirement without shifts is a usage error. */
  assert_int_equal(loket("staff staff-day.yaml --requirement staff-req.csv "
                         "--out staff-req-bad"), 2);
  assert_false(exists("staff-req-bad"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mmc_needs_what_erlang_c_says),
    cmocka_unit_test(mmcm_needs_what_erlang_a_says),
    cmocka_unit_test(a_sinusoidal_day_is_time_stable_and_minimal),
    cmocka_unit_test(confidence_asks_the_lower_bound),
    cmocka_unit_test(erlang_c_counts_the_wrap_up),
    cmocka_unit_test(intervals_of_callbacks_are_planned),
    cmocka_unit_test(confidence_bounds_use_the_replications_that_define_them),
    cmocka_unit_test(unreachable_intervals_are_reported),
    cmocka_unit_test(closed_intervals_and_unplanned_departments_are_left_alone),
    cmocka_unit_test(a_failed_replication_stops_the_plan),
    cmocka_unit_test(the_search_stops_at_its_cap),
    cmocka_unit_test(staffed_yaml_reproduces),
    cmocka_unit_test(staffing_figure_shows_the_plan),
    cmocka_unit_test(pools_are_kept_and_reproduce),
    cmocka_unit_test(overrides_are_listed_and_reproduce),
    cmocka_unit_test(aliased_and_added_departments_reproduce),
    cmocka_unit_test(only_the_departments_asked_for_are_rewritten),
    cmocka_unit_test(staff_errors_write_nothing),
    cmocka_unit_test(roster_covers_the_paid_requirement),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
