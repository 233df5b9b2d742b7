/*
 * The office model against queueing theory, computed here from the
 * formulas. Each check runs R independent replications and accepts the
 * simulated mean when it lies within t(1 - 5e-5, R - 1) standard errors of
 * the theoretical value: the tolerance follows from the run length (through
 * the spread between replications), and a correct model fails a check with
 * probability 1e-4. Warm-up removes the bias of starting empty. Each check
 * also prints the smallest bias it detects (with probability 0.95), and R
 * is chosen so that this is at most 2 % of a mean and one percentage point
 * of a probability; a check that falls short fails (expect_mean).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testing.h"

#include <gsl/gsl_cdf.h>

#define PI 3.14159265358979323846

#include "models/metrics.h"
#include "models/office.h"
#include "models/office_state.h"
#include "models/scenario.h"
#include "sim/stats.h"

/* ---- theory ------------------------------------------------------------ */

/* Erlang B by the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)). */
static double erlang_b(unsigned c, double a)
{
  double b = 1.0;
  for (unsigned k = 1; k <= c; k++)
    b = a * b / ((double)k + a * b);
  return b;
}

/* Erlang C: probability of waiting in M/M/c with offered load a < c. */
static double erlang_c(unsigned c, double a)
{
  double b = erlang_b(c, a);
  return (double)c * b / ((double)c - a * (1.0 - b));
}

/* Erlang A (M/M/c+M) from its birth-death chain: state n customers, births
 * lambda, deaths min(n, c) mu + max(n - c, 0) theta, truncated where the
 * probabilities vanish. Returns the mean number waiting. */
static double erlang_a_queue(unsigned c, double lambda, double mu, double theta)
{
  enum { NMAX = 4000 };
  double p = 1.0, total = 1.0, queue = 0.0;
  for (unsigned n = 1; n < NMAX; n++) {
    double death = (n <= c ? n * mu : c * mu + (n - c) * theta);
    p *= lambda / death;
    total += p;
    if (n > c)
      queue += (n - c) * p;
    if (p < 1e-300)
      break;
  }
  return queue / total;
}

/* ---- running scenarios ------------------------------------------------- */

static struct model *load_text(const char *yaml)
{
  static int serial = 0;
  char path[64];
  snprintf(path, sizeof path, "office-%ld-%d.yaml", (long)getpid(), serial++);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(yaml, f);
  fclose(f);
  char err[MODEL_ERROR_MAX];
  struct model *m = model_scenario_load(path, NULL, 0, err, sizeof err);
  if (!m)
    fail_msg("%s", err);
  unlink(path);
  return m;
}

struct runs {
  size_t n;
  struct model_result *r;
};

static struct runs run_all(const struct model *m)
{
  struct runs runs = {m->replications, calloc(m->replications, sizeof *runs.r)};
  for (uint32_t i = 0; i < m->replications; i++) {
    model_result_init(&runs.r[i], m);
    assert_int_equal(model_office_run(m, m->seed, i, &runs.r[i]), 0);
  }
  return runs;
}

static void free_runs(struct runs *runs)
{
  for (size_t i = 0; i < runs->n; i++)
    model_result_fini(&runs->r[i]);
  free(runs->r);
}

static double summary_of(const struct model_result *r, int col) { return r->summary[col]; }

/* What a check must be able to see: a bias of 2 % of a mean, or of one
 * percentage point of a probability. */
enum power { MEAN_2PCT, PROB_1PP };

/* The validation runs at full length unless LOKET_VALIDATION_SCALE (0 to 1]
 * shortens them (the sanitizer build: 20 times slower); shorter runs keep
 * their tolerances, derived from the run, but are not held to the power
 * above. */
static double validation_scale(void)
{
  const char *s = getenv("LOKET_VALIDATION_SCALE");
  double x = s ? atof(s) : 1.0;
  return x > 0 && x <= 1 ? x : 1.0;
}

/* Replications scaled (at least 4). */
static unsigned reps(unsigned full)
{
  unsigned r = (unsigned)(full * validation_scale() + 0.5);
  return r < 4 ? 4 : r;
}

/* Checks that the replication mean of a metric is within the tolerance of
 * `expected`: t(1 - 5e-5, R - 1) standard errors, so a correct model fails
 * with probability 1e-4. The smallest bias the check detects with
 * probability 0.95 is (t + z(0.95)) standard errors; it is printed, and at
 * full length it must be at most what `power` says (else the check is too
 * weak to mean anything and fails). */
static void expect_mean(const char *what, const struct runs *runs,
                        double (*get)(const struct model_result *, int), int col,
                        double expected, enum power power)
{
  struct sim_tally t;
  sim_tally_init(&t);
  for (size_t i = 0; i < runs->n; i++)
    sim_tally_add(&t, get(&runs->r[i], col));
  double se = sqrt(sim_tally_variance(&t) / (double)t.n);
  double k = gsl_cdf_tdist_Pinv(1 - 5e-5, (double)(t.n - 1));
  double detect = (k + gsl_cdf_ugaussian_Pinv(0.95)) * se;
  double allowed = power == MEAN_2PCT ? 0.02 * fabs(expected) : 0.01;
  printf("  %-34s simulated %.5f  theory %.5f  tolerance %.5f  detects %.2f %s\n",
         what, sim_tally_mean(&t), expected, k * se,
         power == MEAN_2PCT ? 100 * detect / fabs(expected) : 100 * detect,
         power == MEAN_2PCT ? "%" : "pp");
  if (!(fabs(sim_tally_mean(&t) - expected) <= k * se))
    fail_msg("%s: simulated %g, theory %g, tolerance %g", what,
             sim_tally_mean(&t), expected, k * se);
  if (validation_scale() == 1.0 && !(detect <= allowed))
    fail_msg("%s: the check detects only a bias of %g (allowed %g): run longer",
             what, detect, allowed);
}

static double dept0(const struct model_result *r, int col) { return r->departments[col]; }
static double class0(const struct model_result *r, int col) { return r->classes[col]; }
static double class1(const struct model_result *r, int col)
{
  return r->classes[MODEL_CLASS_NCOLS + col];
}
static double dept1(const struct model_result *r, int col)
{
  return r->departments[MODEL_DEPARTMENT_NCOLS + col];
}

/* Replications of pools_erlang_c (see there). */
#define REPS_MERGED 260
#define REPS_ADDED 330

/* ---- validation -------------------------------------------------------- */

static void mm1(void **state)
{
  (void)state;
  const double lambda = 0.8, mu = 1.0, rho = lambda / mu;
  struct model *m = load_text(
    "horizon: 40000\nwarmup: 2000\nreplications: 16\nseed: 2385\n"
    "service_level: {within: 2}\n"
    "arrivals: [{to: desk, rate: 0.8}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  /* 442 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(442);
    struct runs runs = run_all(m);
  double wq = rho / (mu - lambda);
  expect_mean("M/M/1 mean wait", &runs, summary_of, MODEL_SUMMARY_wait_mean, wq, MEAN_2PCT);
  expect_mean("M/M/1 mean time in system", &runs, summary_of,
              MODEL_SUMMARY_sojourn_mean, 1 / (mu - lambda), MEAN_2PCT);
  /* P(Wq > t) = rho exp(-(mu - lambda) t). */
  expect_mean("M/M/1 service level (wait <= 2)", &runs, summary_of,
              MODEL_SUMMARY_service_level, 1 - rho * exp(-(mu - lambda) * 2), PROB_1PP);
  expect_mean("M/M/1 90th percentile of wait", &runs, summary_of,
              MODEL_SUMMARY_wait_p90, log(rho / 0.1) / (mu - lambda), MEAN_2PCT);
  expect_mean("M/M/1 utilization", &runs, summary_of, MODEL_SUMMARY_utilization, rho, PROB_1PP);
  expect_mean("M/M/1 queue length (Little)", &runs, dept0,
              MODEL_DEPARTMENT_queue_mean, lambda * wq, MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

static void erlang_c_loads(void **state)
{
  (void)state;
  const unsigned c = 4;
  const double loads[] = {0.5, 0.75, 0.9};
  for (size_t i = 0; i < 3; i++) {
    double lambda = loads[i] * c / 1.5; /* mean service 1.5 */
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "horizon: 30000\nwarmup: 1500\nreplications: 12\nseed: %zu\n"
             "service_level: {within: 0.5}\n"
             "arrivals: [{to: desk, rate: %.17g}]\n"
             "departments:\n  desk: {staff: %u, service: {dist: exponential, "
             "mean: 1.5}}\n", 40 + i, lambda, c);
    struct model *m = load_text(yaml);
    /* The run lengths at which every check below detects its bias (see
     * expect_mean): the wait's variance grows steeply with the load. */
    static const unsigned full[] = {310, 264, 859};
    m->replications = reps(full[i]);
    struct runs runs = run_all(m);
    double a = lambda * 1.5, pw = erlang_c(c, a);
    double rate = c / 1.5 - lambda; /* c mu - lambda */
    char what[64];
    snprintf(what, sizeof what, "Erlang C load %.2f mean wait", loads[i]);
    expect_mean(what, &runs, summary_of, MODEL_SUMMARY_wait_mean, pw / rate, MEAN_2PCT);
    snprintf(what, sizeof what, "Erlang C load %.2f service level", loads[i]);
    expect_mean(what, &runs, summary_of, MODEL_SUMMARY_service_level,
                1 - pw * exp(-rate * 0.5), PROB_1PP);
    snprintf(what, sizeof what, "Erlang C load %.2f busy servers", loads[i]);
    expect_mean(what, &runs, dept0, MODEL_DEPARTMENT_busy_mean, a, MEAN_2PCT);
    free_runs(&runs);
    model_free(m);
  }
}

/* capacity: 0 means no waiting room: M/M/c/c, whose blocking probability
 * is Erlang B whatever the service distribution (insensitivity); checked
 * with exponential and with lognormal service. */
static void erlang_b_no_waiting_room(void **state)
{
  (void)state;
  const char *services[] = {"{dist: exponential, mean: 2}",
                            "{dist: lognormal, mean: 2, sd: 3}"};
  for (size_t i = 0; i < 2; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "horizon: 20000\nwarmup: 100\nreplications: 12\nseed: 77\n"
             "arrivals: [{to: desk, rate: 2.5}]\n"
             "departments:\n  desk: {staff: 6, capacity: 0, service: %s}\n",
             services[i]);
    struct model *m = load_text(yaml);
    /* 18 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(18);
    struct runs runs = run_all(m);
    double b = erlang_b(6, 2.5 * 2);
    struct sim_tally t;
    sim_tally_init(&t);
    for (size_t k = 0; k < runs.n; k++) {
      const double *s = runs.r[k].summary;
      assert_true(s[MODEL_SUMMARY_wait_mean] == 0.0);
      runs.r[k].summary[MODEL_SUMMARY_blocked] /= s[MODEL_SUMMARY_arrivals];
    }
    expect_mean(i == 0 ? "Erlang B blocking (exponential)"
                       : "Erlang B blocking (lognormal)",
                &runs, summary_of, MODEL_SUMMARY_blocked, b, PROB_1PP);
    free_runs(&runs);
    model_free(m);
  }
}

/* M/D/1: Pollaczek-Khinchine, Wq = rho / (2 mu (1 - rho)). */
static void md1(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 30000\nwarmup: 1000\nreplications: 16\nseed: 9\n"
    "arrivals: [{to: desk, rate: 0.85}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 1}}\n");
  /* 422 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(422);
    struct runs runs = run_all(m);
  expect_mean("M/D/1 mean wait", &runs, summary_of, MODEL_SUMMARY_wait_mean,
              0.85 / (2 * (1 - 0.85)), MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* M/M/c+M (Erlang A): patience timers, their cancellation at the start of
 * service, and abandonment counts. */
static void erlang_a_patience(void **state)
{
  (void)state;
  const unsigned c = 10;
  const double lambda = 10.5, mu = 1.0, theta = 1.0 / 5;
  struct model *m = load_text(
    "horizon: 8000\nwarmup: 200\nreplications: 12\nseed: 5\n"
    "patience: {dist: exponential, mean: 5}\n"
    "arrivals: [{to: desk, rate: 10.5}]\n"
    "departments:\n  desk: {staff: 10, service: {dist: exponential, mean: 1}}\n");
  /* 101 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(101);
    struct runs runs = run_all(m);
  double lq = erlang_a_queue(c, lambda, mu, theta);
  for (size_t k = 0; k < runs.n; k++) {
    double *s = runs.r[k].summary;
    s[MODEL_SUMMARY_abandoned] /= s[MODEL_SUMMARY_arrivals];
  }
  expect_mean("Erlang A abandonment probability", &runs, summary_of,
              MODEL_SUMMARY_abandoned, theta * lq / lambda, PROB_1PP);
  expect_mean("Erlang A queue length", &runs, dept0, MODEL_DEPARTMENT_queue_mean, lq, MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* Routes: after the first desk 40 % go on to a second desk; each desk is an
 * M/M/1 queue of its own (Jackson), arrivals split binomially. */
static void routes_split_and_tandem(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 30000\nwarmup: 1000\nreplications: 12\nseed: 123\n"
    "arrivals: [{to: front, rate: 0.7}]\n"
    "departments:\n"
    "  front: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "          routes: [{to: back, p: 0.4}]}\n"
    "  back: {staff: 1, service: {dist: exponential, mean: 2}}\n");
  /* 441 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(441);
    struct runs runs = run_all(m);
  for (size_t k = 0; k < runs.n; k++) {
    double *front = runs.r[k].departments;
    double *back = front + MODEL_DEPARTMENT_NCOLS;
    /* Every handoff out of the front is a visit to the back. */
    assert_true(front[MODEL_DEPARTMENT_handoffs_out] == back[MODEL_DEPARTMENT_arrivals]);
    back[MODEL_DEPARTMENT_arrivals] /= front[MODEL_DEPARTMENT_served];
  }
  expect_mean("share routed to back", &runs, dept1, MODEL_DEPARTMENT_arrivals, 0.4, PROB_1PP);
  /* front: rho 0.7 -> Wq = 0.7 / 0.3; back: lambda 0.28, mu 0.5. */
  expect_mean("front mean wait", &runs, dept0, MODEL_DEPARTMENT_wait_mean, 0.7 / 0.3, MEAN_2PCT);
  expect_mean("back mean wait", &runs, dept1, MODEL_DEPARTMENT_wait_mean,
              0.28 / (0.5 * (0.5 - 0.28)), MEAN_2PCT);
  expect_mean("visits per customer", &runs, summary_of, MODEL_SUMMARY_visits_mean, 1.4, MEAN_2PCT);
  expect_mean("handoffs per customer", &runs, summary_of, MODEL_SUMMARY_handoffs_mean, 0.4, MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* ---- exact properties -------------------------------------------------- */

static void same_seed_same_result(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 500\nreplications: 2\nseed: 31\n"
    "patience: {dist: lognormal, mean: 3, sd: 2}\n"
    "arrivals: [{to: a, rate: 2.2}]\n"
    "departments:\n"
    "  a: {staff: 2, capacity: 4, service: {dist: gamma, mean: 1, sd: 0.7},\n"
    "      routes: [{to: b, p: 0.5}]}\n"
    "  b: {staff: 1, service: {dist: uniform, min: 0.2, max: 1.4}}\n");
  struct model_result r1, r2, r3;
  model_result_init(&r1, m);
  model_result_init(&r2, m);
  model_result_init(&r3, m);
  model_office_run(m, 31, 0, &r1);
  model_office_run(m, 31, 1, &r3);
  model_office_run(m, 31, 0, &r2);
  assert_memory_equal(r1.summary, r2.summary, sizeof r1.summary);
  assert_memory_equal(r1.departments, r2.departments,
                      2 * MODEL_DEPARTMENT_NCOLS * sizeof(double));
  assert_true(r1.events == r2.events);
  assert_true(memcmp(r1.summary, r3.summary, sizeof r1.summary) != 0);
  model_result_fini(&r1);
  model_result_fini(&r2);
  model_result_fini(&r3);
  model_free(m);
}

/* Separate streams: more staff at the back desk leaves the arrival stream
 * and the front desk's service untouched. */
static void streams_are_separate(void **state)
{
  (void)state;
#define STREAMS_YAML \
    "horizon: 2000\nreplications: 1\nseed: 8\n" \
    "arrivals: [{to: front, rate: 0.6}]\n" \
    "departments:\n" \
    "  front: {staff: 1, service: {dist: exponential, mean: 1},\n" \
    "          routes: [{to: back, p: 0.5}]}\n" \
    "  back: {staff: %d, service: {dist: exponential, mean: 3}}\n"
  char yaml[512];
  struct model_result r[2];
  struct model *m[2];
  for (int i = 0; i < 2; i++) {
    snprintf(yaml, sizeof yaml, STREAMS_YAML, i + 1);
    m[i] = load_text(yaml);
    model_result_init(&r[i], m[i]);
    model_office_run(m[i], 8, 0, &r[i]);
  }
  assert_true(r[0].summary[MODEL_SUMMARY_arrivals] == r[1].summary[MODEL_SUMMARY_arrivals]);
  assert_true(r[0].departments[MODEL_DEPARTMENT_wait_mean] ==
              r[1].departments[MODEL_DEPARTMENT_wait_mean]);
  assert_true(r[0].departments[MODEL_DEPARTMENT_NCOLS + MODEL_DEPARTMENT_wait_mean] !=
              r[1].departments[MODEL_DEPARTMENT_NCOLS + MODEL_DEPARTMENT_wait_mean]);
  for (int i = 0; i < 2; i++) {
    model_result_fini(&r[i]);
    model_free(m[i]);
  }
}

/* Warm-up: only customers arriving after it count, Poisson(lambda (H - w)). */
static void warmup_excludes_early_customers(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 1000\nwarmup: 600\nreplications: 30\nseed: 4\n"
    "arrivals: [{to: desk, rate: 1.25}]\n"
    "departments:\n  desk: {staff: 3, service: {dist: exponential, mean: 1}}\n");
  /* 203 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(203);
    struct runs runs = run_all(m);
  expect_mean("customers after warm-up", &runs, summary_of,
              MODEL_SUMMARY_arrivals, 1.25 * 400, MEAN_2PCT);
  for (size_t k = 0; k < runs.n; k++) {
    const double *s = runs.r[k].summary;
    /* Drained: every counted customer is served. */
    assert_true(s[MODEL_SUMMARY_served] == s[MODEL_SUMMARY_arrivals]);
    assert_true(runs.r[k].departments[MODEL_DEPARTMENT_staff_mean] == 3.0);
    /* 3 staff for 1000 minutes at no cost given. */
    assert_true(runs.r[k].departments[MODEL_DEPARTMENT_staff_cost] == 0.0);
  }
  free_runs(&runs);
  model_free(m);
}

/* Staff cost is staff x horizon in hours x cost. Overtime is the busy time
 * after closing: with deterministic service every served customer brings
 * exactly 45 minutes of work, so work after closing = 45 served - busy time
 * before closing, an identity that holds exactly in every replication. */
static void cost_and_overtime_exact(void **state)
{
  (void)state;
  struct model *m = load_text(
    "time_unit: minutes\nhorizon: 90\nreplications: 1\nseed: 3\n"
    "arrivals: [{to: desk, rate: 0.2}]\n"
    "departments:\n  desk: {staff: 2, cost_per_staff_hour: 41.5,\n"
    "    service: {dist: deterministic, value: 45}}\n");
  for (uint32_t rep = 0; rep < 5; rep++) {
    struct model_result r;
    model_result_init(&r, m);
    model_office_run(m, 3, rep, &r);
    const double *d = r.departments;
    assert_near(d[MODEL_DEPARTMENT_staff_cost], 2 * 1.5 * 41.5, 1e-9);
    assert_near(r.summary[MODEL_SUMMARY_staff_cost], 2 * 1.5 * 41.5, 1e-9);
    double work_after = 45 * d[MODEL_DEPARTMENT_served] - d[MODEL_DEPARTMENT_busy_mean] * 90;
    assert_true(d[MODEL_DEPARTMENT_overtime_hours] > 0);
    assert_near(d[MODEL_DEPARTMENT_overtime_hours], work_after / 60, 1e-9);
    model_result_fini(&r);
  }
  model_free(m);
}


/* ---- the organisation: exact cases with traces and fixed durations ------ */

static void write_text(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* One replication; the caller frees with model_result_fini and model_free. */
static struct model_result run_one(struct model *m)
{
  struct model_result r;
  model_result_init(&r, m);
  assert_int_equal(model_office_run(m, m->seed, 0, &r), 0);
  return r;
}

/* A cut takes effect when a server becomes free; an increase serves the
 * queue at once; staff cost follows the schedule exactly. */
static void staff_schedule_cut_and_increase(void **state)
{
  (void)state;
  /* Arrivals at 0,0,0,0 and 6; service 4. Staff 2, cut to 1 at 5:
   * A,B served 0-4; C,D 4-8 (both busy through the cut); E arrives at 6,
   * waits until both are done and one server remains: starts at 8.
   * Waits 0,0,4,4,2: mean 2. Staff time 2*5 + 1*95 = 105 minutes. */
  write_text("trace-cut.csv", "time\n0\n0\n0\n0\n6\n");
  struct model *m = load_text(
    "horizon: 100\nreplications: 1\n"
    "arrivals: [{to: desk, trace: trace-cut.csv}]\n"
    "departments:\n  desk:\n"
    "    staff: [{at: 0, staff: 2}, {at: 5, staff: 1}]\n"
    "    cost_per_staff_hour: 60\n"
    "    service: {dist: deterministic, value: 4}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_arrivals], 5, 0);
  assert_near(r.summary[MODEL_SUMMARY_wait_mean], 2.0, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_staff_cost], 105.0, 1e-9);
  assert_near(r.departments[MODEL_DEPARTMENT_staff_mean], 1.05, 1e-12);
  model_result_fini(&r);
  model_free(m);

  /* Staff 1, raised to 3 at 2.5 with two waiting: both start at 2.5.
   * Waits 0, 2.5, 2.5: mean 5/3. */
  write_text("trace-up.csv", "0\n0\n0\n");
  m = load_text(
    "horizon: 50\nreplications: 1\n"
    "arrivals: [{to: desk, trace: trace-up.csv}]\n"
    "departments:\n  desk:\n"
    "    staff: [{at: 0, staff: 1}, {at: 2.5, staff: 3}]\n"
    "    service: {dist: deterministic, value: 10}\n");
  r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_wait_mean], 5.0 / 3, 1e-12);
  model_result_fini(&r);
  model_free(m);
}

/* The time series, by hand: the staff cut of the test above in intervals
 * of 5 minutes. */
static void timeseries_by_hand(void **state)
{
  (void)state;
  write_text("trace-cut.csv", "time\n0\n0\n0\n0\n6\n");
  struct model *m = load_text(
    "horizon: 100\nreplications: 1\noutput: {interval: 5}\n"
    "arrivals: [{to: desk, trace: trace-cut.csv}]\n"
    "departments:\n  desk:\n"
    "    staff: [{at: 0, staff: 2}, {at: 5, staff: 1}]\n"
    "    service: {dist: deterministic, value: 4}\n");
  assert_int_equal(m->nintervals, 20);
  struct model_result r = run_one(m);
  const double *ts = r.timeseries;
#define TS(k, col) ts[(k) * MODEL_TIMESERIES_NCOLS + MODEL_TIMESERIES_##col]
  /* [0, 5): A, B served 0-4, C, D wait 0-4 and start at 4. */
  assert_near(TS(0, arrivals), 4, 0);
  assert_near(TS(0, staff), 2, 1e-12);
  assert_near(TS(0, busy_mean), 2, 1e-12);
  assert_near(TS(0, queue_mean), 8.0 / 5, 1e-12);
  assert_near(TS(0, wait_mean), 2, 1e-12);
  assert_near(TS(0, service_level), 0.5, 1e-12);  /* within 0: A and B */
  /* [5, 10): the cut; E arrives at 6, waits 2, starts at 8. */
  assert_near(TS(1, arrivals), 1, 0);
  assert_near(TS(1, staff), 1, 1e-12);
  assert_near(TS(1, busy_mean), (3 * 2 + 2 * 1) / 5.0, 1e-12);
  assert_near(TS(1, queue_mean), 2.0 / 5, 1e-12);
  assert_near(TS(1, wait_mean), 2, 1e-12);
  /* [10, 15): E until 12; nobody started, so no wait. */
  assert_near(TS(2, busy_mean), 2.0 / 5, 1e-12);
  assert_true(isnan(TS(2, wait_mean)));
  assert_near(TS(19, staff), 1, 1e-12);
  model_result_fini(&r);
  model_free(m);

  /* Intervals of 3: C and D arrive in [0, 3) and start at 4, in [3, 6).
   * They are scored in the interval they arrived in: [0, 3) has all
   * four, two served within 0; [3, 6) has no arrivals and so no service
   * level, although two services start in it. */
  m = load_text(
    "horizon: 100\nreplications: 1\noutput: {interval: 3}\n"
    "arrivals: [{to: desk, trace: trace-cut.csv}]\n"
    "departments:\n  desk:\n"
    "    staff: [{at: 0, staff: 2}, {at: 5, staff: 1}]\n"
    "    service: {dist: deterministic, value: 4}\n");
  r = run_one(m);
  ts = r.timeseries;
  assert_near(TS(0, arrivals), 4, 0);
  assert_near(TS(0, served), 4, 0);
  assert_near(TS(0, wait_mean), 2, 1e-12);
  assert_near(TS(0, service_level), 0.5, 1e-12);
  assert_near(TS(1, arrivals), 0, 0);
  assert_true(isnan(TS(1, service_level)));
  assert_true(isnan(TS(1, wait_mean)));
  assert_near(TS(2, arrivals), 1, 0);   /* E at 6 */
  assert_near(TS(2, wait_mean), 2, 1e-12);
  /* The journey rows follow the department's: one department. */
  const double *journey = ts + (size_t)m->nintervals * MODEL_TIMESERIES_NCOLS;
  assert_near(journey[MODEL_TIMESERIES_arrivals], 4, 0);
  assert_near(journey[MODEL_TIMESERIES_service_level], 0.5, 1e-12);
  assert_true(isnan(journey[MODEL_TIMESERIES_queue_mean]));
  model_result_fini(&r);
  model_free(m);

  /* Abandonment counts against the interval of arrival: patience 1 at a
   * desk busy until 4 — B, C, D (arrived at 0) give up at 1. */
  m = load_text(
    "horizon: 100\nreplications: 1\noutput: {interval: 3}\n"
    "patience: {dist: deterministic, value: 1}\n"
    "arrivals: [{to: desk, trace: trace-cut.csv}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 4}}\n");
  r = run_one(m);
  ts = r.timeseries;
  assert_near(TS(0, arrivals), 4, 0);
  assert_near(TS(0, abandoned), 3, 0);
  assert_near(TS(0, abandoned_share), 0.75, 1e-12);
  assert_near(TS(0, service_level), 0.25, 1e-12);
  /* The alternative leaves out abandonments within the threshold (0):
   * none waited 0 or less, so the same. */
  assert_near(TS(0, service_level_alt), 0.25, 1e-12);
#undef TS
  model_result_fini(&r);
  model_free(m);
}

/* Clock times: opens, a horizon at "17:00", trace times as clock times; a
 * trace time after closing is ignored. */
static void clock_times_and_traces(void **state)
{
  (void)state;
  write_text("trace-clock.csv", "09:00\n09:30:30\n16:59\n17:30\n");
  struct model *m = load_text(
    "opens: \"09:00\"\nhorizon: \"17:00\"\nreplications: 1\n"
    "arrivals: [{to: desk, trace: trace-clock.csv}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 2}}\n");
  assert_near(m->horizon, 480, 1e-9);
  assert_near(m->opens, 540, 1e-9);
  assert_int_equal(m->arrivals[0].ntimes, 3);
  assert_near(m->arrivals[0].times[1], 30.5, 1e-9);
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_arrivals], 3, 0);
  assert_near(r.summary[MODEL_SUMMARY_sojourn_mean], 2, 1e-12);
  /* The last customer (16:59) finishes at 17:01: one minute of overtime. */
  assert_near(r.departments[MODEL_DEPARTMENT_overtime_hours], 1.0 / 60, 1e-12);
  model_result_fini(&r);
  model_free(m);
}

/* A reception -> desk office without waiting: the planned route costs
 * nothing, so the customer scores the red carpet, 9.5; before, every
 * route counted as a handoff and no such customer could score above 8. */
static void planned_route_is_not_a_handoff(void **state)
{
  (void)state;
  write_text("trace-route.csv", "0\n");
  struct model *m = load_text(
    "horizon: 50\nreplications: 1\n"
    "arrivals: [{to: reception, trace: trace-route.csv}]\n"
    "departments:\n"
    "  reception: {staff: 1, service: {dist: deterministic, value: 2},\n"
    "              routes: [{to: desk, p: 1}]}\n"
    "  desk: {staff: 1, service: {dist: deterministic, value: 3}}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_handoffs_mean], 1, 0);  /* still a move */
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_mean], 9.5, 1e-12);
  model_result_fini(&r);
  model_free(m);
}

/* Each journey's wait and outcome, by customer number, from the trace. */
struct waits_seen {
  int n;
  double wait[8];
  enum model_outcome outcome[8];
};

static void see_wait(void *ctx, const struct model_journey *j, double score)
{
  struct waits_seen *w = ctx;
  (void)score;
  assert_true(j->customer >= 1 && j->customer <= 8);
  w->wait[j->customer - 1] = j->wait;
  w->outcome[j->customer - 1] = j->outcome;
  w->n++;
}

/* closing: cut sends the waiting away at the horizon; drain serves them. */
static void closing_cut_and_drain(void **state)
{
  (void)state;
  write_text("trace-close.csv", "0\n1\n2\n3\n");
  const char *closings[] = {"drain", "cut"};
  for (int k = 0; k < 2; k++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "horizon: 5\nclosing: %s\nreplications: 1\n"
             "arrivals: [{to: desk, trace: trace-close.csv}]\n"
             "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 3}}\n",
             closings[k]);
    struct model *m = load_text(yaml);
    struct model_result r;
    model_result_init(&r, m);
    struct waits_seen seen = {0};
    assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                             (struct model_journey_sink){see_wait, &seen}), 0);
    /* Service 0-3, 3-6 (in service at the horizon: finishes), then two wait. */
    assert_near(r.summary[MODEL_SUMMARY_served], k == 0 ? 4 : 2, 0);
    assert_near(r.summary[MODEL_SUMMARY_sent_away], k == 0 ? 0 : 2, 0);
    /* The customers of 2 and 3 wait until they are served at 6 and 9
     * (drain) or sent away at the horizon, 5 (cut): waits 4 and 6, or 3
     * and 2 — not up to the time of whatever event came next. */
    assert_int_equal(seen.n, 4);
    assert_near(seen.wait[2], k == 0 ? 4 : 3, 1e-12);
    assert_near(seen.wait[3], k == 0 ? 6 : 2, 1e-12);
    assert_int_equal(seen.outcome[3], k == 0 ? MODEL_SERVED : MODEL_SENT_AWAY);
    model_result_fini(&r);
    model_free(m);
  }
}

/* What a trace is handed, as a count and a hash of every field it
 * writes, in order. */
struct journeys_seen {
  uint64_t n, hash;
};

static void see_journey(void *ctx, const struct model_journey *j, double score)
{
  struct journeys_seen *seen = ctx;
  const double reals[] = {j->arrived, j->wait, j->sojourn, score};
  const uint64_t whole[] = {j->customer, j->cls, (uint64_t)j->outcome, j->visits,
                            j->handoffs, j->retrials};
  unsigned char bytes[sizeof reals + sizeof whole];
  memcpy(bytes, reals, sizeof reals);
  memcpy(bytes + sizeof reals, whole, sizeof whole);
  for (size_t i = 0; i < sizeof bytes; i++)
    seen->hash = (seen->hash ^ bytes[i]) * 0x100000001b3ULL;
  seen->n++;
}

static void assert_same_results(const struct model *m, const struct model_result *a,
                                const struct model_result *b)
{
  assert_memory_equal(a->summary, b->summary, sizeof a->summary);
  assert_memory_equal(a->departments, b->departments,
                      m->ndepartments * MODEL_DEPARTMENT_NCOLS * sizeof(double));
  assert_memory_equal(a->classes, b->classes,
                      m->nclasses * MODEL_CLASS_NCOLS * sizeof(double));
  assert_memory_equal(a->timeseries, b->timeseries,
                      (m->ndepartments + 1) * m->nintervals * MODEL_TIMESERIES_NCOLS *
                          sizeof(double));
  assert_memory_equal(a->handoff_groups, b->handoff_groups, sizeof a->handoff_groups);
  assert_int_equal(a->events, b->events);
}

/* A plain model (models/office.h) runs in a loop compiled for it: of one
 * class, one with a trace and one without; of several, one without. They
 * must agree to the bit with the loop for any model on every result row,
 * and hand a trace the same journeys in the same order (customer numbers
 * included), for plain models using each feature they may have: warm-up,
 * intervals, patience, balking, a waiting room, a staff schedule with a
 * cut, a backlog, either closing, and classes with priorities and rules
 * of their own. Fails on any difference. */
static void plain_loop_is_the_general_loop(void **state)
{
  (void)state;
  const char *models[] = {
    "horizon: 2000\nwarmup: 100\nreplications: 1\n"
    "arrivals: [{to: desk, rate: 0.9}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n",
    "horizon: 600\nreplications: 1\nclosing: cut\noutput: {interval: 60}\n"
    "arrivals: [{to: desk, rate: 9}]\n"
    "departments:\n  desk:\n    staff: [{at: 0, staff: 10}, {at: 200, staff: 6}, {at: 400, staff: 12}]\n"
    "    backlog: 20\n    capacity: 30\n"
    "    service: {dist: exponential, mean: 1}\n"
    "    patience: {dist: exponential, mean: 5}\n"
    "    balking: {above: 5, p: 0.3}\n",
    "horizon: 300\nreplications: 1\nclosing: drain\nwarmup: 30\noutput: {interval: 30}\n"
    "arrivals: [{to: desk, rate: 2.5}]\n"
    "departments:\n  desk: {staff: 2, service: {dist: lognormal, mean: 1, sd: 0.5},\n"
    "          patience: {dist: uniform, min: 1, max: 4}}\n",
    /* Plain with classes: distinct priorities, rules of their own
     * (service, patience, balking), a stream of one class, a backlog. */
    "horizon: 600\nreplications: 1\nwarmup: 60\nclosing: cut\noutput: {interval: 60}\n"
    "classes:\n  urgent: {share: 0.2, priority: 3, expect: 2}\n"
    "  regular: {share: 0.5, priority: 1}\n  slow: {share: 0.3, priority: 2}\n"
    "  booked: {share: 0, priority: 3}\n"
    "arrivals:\n  - {to: desk, rate: 2.7}\n  - {to: desk, rate: 0.2, class: booked}\n"
    "departments:\n  desk:\n    staff: [{at: 0, staff: 3}, {at: 300, staff: 2}]\n"
    "    backlog: 10\n    capacity: 25\n"
    "    service: {dist: exponential, mean: 1}\n"
    "    patience: {dist: exponential, mean: 8}\n"
    "    classes:\n      slow: {service: {dist: gamma, mean: 1.5, sd: 1},\n"
    "             balking: {above: 4, p: 0.5}}\n"
    "      urgent: {patience: {dist: exponential, mean: 2}}\n",
    /* ... and classes of one priority level. */
    "horizon: 400\nreplications: 1\n"
    "classes: {a: {share: 0.6}, b: {share: 0.4, expect: 3}}\n"
    "arrivals: [{to: desk, rate: 1.8}]\n"
    "departments:\n  desk: {staff: 2, service: {dist: exponential, mean: 1}}\n",
  };
  for (size_t k = 0; k < sizeof models / sizeof *models; k++) {
    struct model *m = load_text(models[k]);
    assert_true(model_office_plain(m));
    for (uint32_t rep = 0; rep < 3; rep++) {
      struct model_result plain, general, plain_traced, general_traced;
      struct journeys_seen seen_plain = {0, 0xcbf29ce484222325ULL};
      struct journeys_seen seen_general = seen_plain;
      model_result_init(&plain, m);
      model_result_init(&general, m);
      model_result_init(&plain_traced, m);
      model_result_init(&general_traced, m);
      assert_int_equal(model_office_run(m, m->seed, rep, &plain), 0);
      assert_int_equal(model_office_run_general(m, m->seed, rep, &general,
                                                (struct model_journey_sink){NULL, NULL}), 0);
      assert_int_equal(model_office_run_traced(m, m->seed, rep, &plain_traced,
                                               (struct model_journey_sink){see_journey, &seen_plain}), 0);
      assert_int_equal(model_office_run_general(m, m->seed, rep, &general_traced,
                                                (struct model_journey_sink){see_journey, &seen_general}), 0);
      assert_true(plain.summary[MODEL_SUMMARY_served] > 0);
      assert_same_results(m, &plain, &general);
      assert_same_results(m, &plain, &plain_traced);
      assert_same_results(m, &plain, &general_traced);
      assert_true(seen_plain.n > 0);
      assert_int_equal(seen_plain.n, seen_general.n);
      assert_int_equal(seen_plain.hash, seen_general.hash);
      model_result_fini(&plain);
      model_result_fini(&general);
      model_result_fini(&plain_traced);
      model_result_fini(&general_traced);
    }
    model_free(m);
  }
  /* Not plain: more than 64 priority levels (one word of the bitmap of
   * levels waiting), or a route. */
  char many[8192];
  int at = snprintf(many, sizeof many, "horizon: 10\nclasses:\n");
  for (int k = 0; k < 65; k++)
    at += snprintf(many + at, sizeof many - (size_t)at, "  c%d: {share: %s, priority: %d}\n",
                   k, k == 0 ? "1" : "0", k);
  snprintf(many + at, sizeof many - (size_t)at, "arrivals: [{to: desk, rate: 1}]\n"
           "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  struct model *m = load_text(many);
  assert_int_equal(m->npriorities, 65);
  assert_false(model_office_plain(m));
  struct model_result many_levels;   /* a bitmap of two words, in the block */
  model_result_init(&many_levels, m);
  assert_int_equal(model_office_run(m, m->seed, 0, &many_levels), 0);
  assert_true(many_levels.summary[MODEL_SUMMARY_arrivals] > 0);
  model_result_fini(&many_levels);
  model_free(m);
  m = load_text("horizon: 10\narrivals: [{to: a, rate: 1}]\n"
                "departments:\n  a: {staff: 1, service: {dist: exponential, mean: 1},\n"
                "     routes: [{to: b, p: 1}]}\n"
                "  b: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  assert_false(model_office_plain(m));
  model_free(m);
}

/* Every served journey's wait, in a sketch of the test's own. */
static void sketch_served_wait(void *ctx, const struct model_journey *j, double score)
{
  (void)score;
  if (j->outcome == MODEL_SERVED)
    sim_sketch_add(ctx, j->wait);
}

/* With several classes the summary's sketch of waits is the merge of the
 * classes' (model_metrics_end), not filled journey by journey: its
 * percentiles must still be those of every served journey's wait, as the
 * trace sees them, in a plain model and in one with a route (the loop for
 * any model). Fails when a class's waits are left out of the merge or
 * counted twice. */
static void summary_waits_are_every_class(void **state)
{
  (void)state;
  const char *models[] = {
    "horizon: 2000\nreplications: 1\nwarmup: 100\n"
    "classes: {a: {share: 0.3, priority: 2}, b: {share: 0.5}, c: {share: 0.2, priority: 1}}\n"
    "arrivals: [{to: desk, rate: 0.9}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "    patience: {dist: exponential, mean: 20}}\n",
    "horizon: 2000\nreplications: 1\n"
    "classes: {a: {share: 0.5}, b: {share: 0.5, priority: 1}}\n"
    "arrivals: [{to: front, rate: 0.8}]\n"
    "departments:\n  front: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "    routes: [{to: back, p: 0.5}]}\n"
    "  back: {staff: 1, service: {dist: exponential, mean: 1.5}}\n",
  };
  const double qs[] = {0.5, 0.9, 0.95, 0.99};
  const int cols[] = {MODEL_SUMMARY_wait_p50, MODEL_SUMMARY_wait_p90,
                      MODEL_SUMMARY_wait_p95, MODEL_SUMMARY_wait_p99};
  for (size_t k = 0; k < sizeof models / sizeof *models; k++) {
    struct model *m = load_text(models[k]);
    assert_int_equal(model_office_plain(m), k == 0);
    struct sim_sketch seen;
    sim_sketch_init(&seen);
    struct model_result r, untraced;
    model_result_init(&r, m);
    model_result_init(&untraced, m);
    assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                             (struct model_journey_sink){sketch_served_wait, &seen}), 0);
    assert_int_equal(model_office_run(m, m->seed, 0, &untraced), 0);
    assert_same_results(m, &r, &untraced);
    assert_true(seen.n > 1000);
    assert_int_equal(seen.n, (uint64_t)r.summary[MODEL_SUMMARY_served]);
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
      assert_true(r.summary[cols[i]] > 0);
      assert_memory_equal(&r.summary[cols[i]], &(double){sim_sketch_quantile(&seen, qs[i])},
                          sizeof(double));
    }
    sim_sketch_fini(&seen);
    model_result_fini(&r);
    model_result_fini(&untraced);
    model_free(m);
  }
}

/* A one-counter day with closing: cut and exponential patience, over many
 * seeds: patience timers are still pending when the doors close, and the
 * run must neither crash nor lose a customer (every arrival ends exactly
 * once: served, abandoned or sent away). Debug builds also check every
 * customer's state transition and every cancelled timer. */
static void closing_cut_with_patience_many_seeds(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 480\nclosing: cut\nreplications: 1\nwarmup: 0\n"
    "output: {interval: 30}\n"
    "arrivals: [{to: desk, rate: 1.1}]\n"
    "patience: {dist: exponential, mean: 20}\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  for (uint32_t seed = 1; seed <= 400; seed++) {
    struct model_result r;
    model_result_init(&r, m);
    assert_int_equal(model_office_run(m, seed, 0, &r), 0);
    double *s = r.summary;
    assert_near(s[MODEL_SUMMARY_served] + s[MODEL_SUMMARY_abandoned] +
                    s[MODEL_SUMMARY_sent_away],
                s[MODEL_SUMMARY_arrivals], 0);
    model_result_fini(&r);
  }
  model_free(m);
}

/* An unstable queue with nobody abandoning stops with a clear error once
 * the system holds more customers than the bound, instead of taking all
 * memory. */
static void unstable_queue_is_bounded(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 100000\nreplications: 1\n"
    "arrivals: [{to: desk, rate: 2}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  m->max_customers = 5000;
  struct model_result r;
  model_result_init(&r, m);
  assert_int_equal(model_office_run(m, 5, 0, &r), 1);
  assert_non_null(r.error);
  assert_non_null(strstr(r.error, "grows without bound"));
  model_result_fini(&r);
  model_free(m);
}

/* A backlog is waiting at opening, served first come first served. */
static void backlog_at_opening(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 60\nreplications: 1\n"
    "arrivals: [{to: desk, schedule: [{at: 0, per_hour: 0}]}]\n"
    "departments:\n  desk: {staff: 1, backlog: 3,\n"
    "    service: {dist: deterministic, value: 2}}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_arrivals], 3, 0);
  assert_near(r.summary[MODEL_SUMMARY_wait_mean], 2.0, 1e-12); /* 0, 2, 4 */
  model_result_fini(&r);
  model_free(m);
}

/* Balking above a queue length, then a retrial that succeeds; counted
 * once as a customer, the attempt apart. */
static void balking_and_retrial(void **state)
{
  (void)state;
  /* Service 10. t=0 served; t=1 waits (0 waiting before it); t=2 sees 1
   * waiting > 0 and balks (p = 1); it comes back after 25 (t=27): the desk
   * is free again (0-10, 10-20), so it is served at once. */
  write_text("trace-balk.csv", "0\n1\n2\n");
  struct model *m = load_text(
    "horizon: 100\nreplications: 1\n"
    "balking: {above: 0, p: 1}\n"
    "retrial: {p: 1, after: {dist: deterministic, value: 25}}\n"
    "arrivals: [{to: desk, trace: trace-balk.csv}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 10}}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_arrivals], 3, 0);
  assert_near(r.summary[MODEL_SUMMARY_served], 3, 0);
  assert_near(r.summary[MODEL_SUMMARY_balked], 0, 0);
  assert_near(r.summary[MODEL_SUMMARY_retrials], 1, 0);
  assert_near(r.departments[MODEL_DEPARTMENT_balked], 1, 0);
  assert_near(r.departments[MODEL_DEPARTMENT_arrivals], 4, 0); /* attempts */
  assert_near(r.summary[MODEL_SUMMARY_wait_mean], 3.0, 1e-12);  /* 0, 9, 0 */
  model_result_fini(&r);
  model_free(m);

  /* Without retrial the balker is lost. */
  m = load_text(
    "horizon: 100\nreplications: 1\n"
    "arrivals: [{to: desk, trace: trace-balk.csv}]\n"
    "departments:\n  desk: {staff: 1, balking: {above: 0, p: 1},\n"
    "    service: {dist: deterministic, value: 10}}\n");
  r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_balked], 1, 0);
  assert_near(r.summary[MODEL_SUMMARY_served], 2, 0);
  model_result_fini(&r);
  model_free(m);
}

/* A department's wait p90 is of its served visits. In a model of one
 * department where every journey is one visit it is read from the
 * journeys' sketch (models/metrics.c, one_visit_journeys); with retrials
 * it must not be: the customer who abandoned after waiting 2 and is
 * served at once on its retry has waited 0 at its served visit, 2 in its
 * journey. Service 10: t=0 served; t=1 waits, gives up at t=3, retries
 * at t=23 and is served at once. */
static void department_waits_are_its_visits(void **state)
{
  (void)state;
  write_text("trace-giveup.csv", "0\n1\n");
  const char *retrial[] = {"", "retrial: {p: 1, after: {dist: deterministic, value: 20}}\n"};
  for (int k = 0; k < 2; k++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "horizon: 100\nreplications: 1\n"
             "patience: {dist: deterministic, value: 2}\n%s"
             "arrivals: [{to: desk, trace: trace-giveup.csv}]\n"
             "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 10}}\n",
             retrial[k]);
    struct model *m = load_text(yaml);
    struct model_result r = run_one(m);
    double dept_p90 = r.departments[MODEL_DEPARTMENT_wait_p90];
    if (k == 0) {   /* the second customer abandons: only a wait of 0 served */
      assert_near(r.summary[MODEL_SUMMARY_served], 1, 0);
      assert_near(dept_p90, r.summary[MODEL_SUMMARY_wait_p90], 0);
      assert_true(dept_p90 < 0.01);
    } else {        /* both served: journeys waited 0 and 2, visits 0 and 0 */
      assert_near(r.summary[MODEL_SUMMARY_served], 2, 0);
      assert_near(r.summary[MODEL_SUMMARY_wait_mean], 1.0, 1e-12);
      assert_true(r.summary[MODEL_SUMMARY_wait_p90] > 1.9);
      assert_true(dept_p90 < 0.01);
    }
    model_result_fini(&r);
    model_free(m);
  }
}

/* "Not my department": served 1.5 at the front, 2 in transit, then a full
 * service at the back. */
static void handoff_mid_service(void **state)
{
  (void)state;
  write_text("trace-one.csv", "0\n");
  struct model *m = load_text(
    "horizon: 100\nreplications: 1\n"
    "arrivals: [{to: front, trace: trace-one.csv}]\n"
    "departments:\n"
    "  front:\n    staff: 1\n    service: {dist: deterministic, value: 9}\n"
    "    handoff: {p: 1, after: {dist: deterministic, value: 1.5}, to: back,\n"
    "              delay: {dist: deterministic, value: 2}}\n"
    "  back: {staff: 1, service: {dist: deterministic, value: 4}}\n");
  struct model_result r = run_one(m);
  const double *front = r.departments, *back = front + MODEL_DEPARTMENT_NCOLS;
  assert_near(r.summary[MODEL_SUMMARY_sojourn_mean], 7.5, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_handoffs_mean], 1, 0);
  assert_near(r.summary[MODEL_SUMMARY_visits_mean], 2, 0);
  assert_near(front[MODEL_DEPARTMENT_handoffs_out], 1, 0);
  assert_near(back[MODEL_DEPARTMENT_arrivals], 1, 0);
  /* The front desk was busy 1.5 of 100 minutes. */
  assert_near(front[MODEL_DEPARTMENT_busy_mean], 0.015, 1e-12);
  /* No wait (9.5) less one handoff (1.5): 8, counted at both desks. */
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_mean], 8.0, 1e-12);
  assert_near(front[MODEL_DEPARTMENT_satisfaction_mean], 8.0, 1e-12);
  assert_near(back[MODEL_DEPARTMENT_satisfaction_mean], 8.0, 1e-12);
  assert_near(back[MODEL_DEPARTMENT_satisfaction_mid], 1.0, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Wrap-up by hand. Customers at 0 and 1; one desk, service 2, wrap-up
 * 1.5, horizon 6. The first is served 0-2 and leaves at 2; its server
 * writes up until 3.5, so the second waits 2.5, is served 3.5-5.5 and
 * leaves at 5.5; the server is busy until 7, one minute after closing.
 * Sojourns 2 and 4.5 exclude the wrap-up; the server was busy all of the
 * open day. */
static void wrap_up_by_hand(void **state)
{
  (void)state;
  write_text("trace-wrap.csv", "0\n1\n");
  struct model *m = load_text(
    "horizon: 6\nreplications: 1\n"
    "arrivals: [{to: desk, trace: trace-wrap.csv}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 2},\n"
    "    wrap_up: {dist: deterministic, value: 1.5}}\n");
  struct model_result r;
  model_result_init(&r, m);
  struct waits_seen seen = {0};
  assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                           (struct model_journey_sink){see_wait, &seen}), 0);
  assert_int_equal(seen.n, 2);
  assert_near(seen.wait[0], 0, 0);
  assert_near(seen.wait[1], 2.5, 1e-12);
  const double *desk = r.departments;
  assert_near(r.summary[MODEL_SUMMARY_sojourn_mean], (2 + 4.5) / 2, 1e-12);
  assert_near(desk[MODEL_DEPARTMENT_busy_mean], 1.0, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_utilization], 1.0, 1e-12);
  assert_near(desk[MODEL_DEPARTMENT_overtime_hours], 1.0 / 60, 1e-12);
  assert_near(desk[MODEL_DEPARTMENT_wrap_up_hours], 3.0 / 60, 1e-12);
  assert_near(desk[MODEL_DEPARTMENT_coordination_hours], 0, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Coordination of a handoff by hand. Customers at 0 and 2. The front
 * (service 9, wrap-up 0.5) hands everyone on after 1.5, and its employee
 * then coordinates 0.75: the first customer reaches the back at 1.5 while
 * the front server stays busy until 1.5 + 0.5 + 0.75 = 2.75. The second
 * waits there 0.75, is handed on at 4.25 (front busy until 5.5) and waits
 * at the back until 5.5 (1.25) behind the first (1.5-5.5), then is served
 * until 9.5. Horizon 10: the front was busy 5.5, the back 8. */
static void coordination_by_hand(void **state)
{
  (void)state;
  write_text("trace-coord.csv", "0\n2\n");
  struct model *m = load_text(
    "horizon: 10\nreplications: 1\n"
    "arrivals: [{to: front, trace: trace-coord.csv}]\n"
    "departments:\n"
    "  front:\n    staff: 1\n    service: {dist: deterministic, value: 9}\n"
    "    wrap_up: {dist: deterministic, value: 0.5}\n"
    "    handoff: {p: 1, after: {dist: deterministic, value: 1.5}, to: back,\n"
    "              coordination: {dist: deterministic, value: 0.75}}\n"
    "  back: {staff: 1, service: {dist: deterministic, value: 4}}\n");
  struct model_result r;
  model_result_init(&r, m);
  struct waits_seen seen = {0};
  assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                           (struct model_journey_sink){see_wait, &seen}), 0);
  assert_int_equal(seen.n, 2);
  assert_near(seen.wait[0], 0, 0);
  assert_near(seen.wait[1], 0.75 + 1.25, 1e-12);
  const double *front = r.departments, *back = front + MODEL_DEPARTMENT_NCOLS;
  assert_near(r.summary[MODEL_SUMMARY_sojourn_mean], (5.5 + 7.5) / 2, 1e-12);
  assert_near(front[MODEL_DEPARTMENT_busy_mean], 0.55, 1e-12);
  assert_near(back[MODEL_DEPARTMENT_busy_mean], 0.8, 1e-12);
  assert_near(front[MODEL_DEPARTMENT_wrap_up_hours], 2 * 0.5 / 60, 1e-12);
  assert_near(front[MODEL_DEPARTMENT_coordination_hours], 2 * 0.75 / 60, 1e-12);
  assert_near(back[MODEL_DEPARTMENT_wrap_up_hours], 0, 0);
  assert_near(back[MODEL_DEPARTMENT_coordination_hours], 0, 0);
  assert_near(front[MODEL_DEPARTMENT_handoffs_out], 2, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Pools by hand. Desk a has 1 of its own, desk b none; pool g (1 member,
 * speed 0.5, 60 an hour) serves both; service 2 everywhere, b has a
 * wrap-up of 1; horizon 10 minutes. Arrivals: a at 0 and 0.5, b at 1.
 * a's own server takes the first (0-2); the second finds it busy and is
 * served by the pool's member at half speed (0.5-4.5); b's customer waits
 * for the member, who takes it at 4.5 (wait 3.5) until 8.5 and writes up
 * until 9.5. The member was busy 4 minutes at a and 5 at b: busy_mean 0.4
 * and 0.5 over the 10, utilization 0.9; its cost of 10 is shared 4 : 5.
 * The summary's utilization is (2 + 9) / (10 + 10). */
static void pools_by_hand(void **state)
{
  (void)state;
  write_text("trace-pool-a.csv", "0\n0.5\n");
  write_text("trace-pool-b.csv", "1\n");
  struct model *m = load_text(
    "horizon: 10\nreplications: 1\n"
    "arrivals: [{to: a, trace: trace-pool-a.csv}, {to: b, trace: trace-pool-b.csv}]\n"
    "departments:\n"
    "  a: {staff: 1, service: {dist: deterministic, value: 2}, cost_per_staff_hour: 6}\n"
    "  b: {staff: 0, service: {dist: deterministic, value: 2},\n"
    "      wrap_up: {dist: deterministic, value: 1}}\n"
    "pools:\n"
    "  g: {staff: 1, serves: [a, b], speed: 0.5, cost_per_staff_hour: 60}\n");
  struct model_result r;
  model_result_init(&r, m);
  struct waits_seen seen = {0};
  assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                           (struct model_journey_sink){see_wait, &seen}), 0);
  assert_int_equal(seen.n, 3);
  assert_near(seen.wait[0], 0, 0);
  assert_near(seen.wait[1], 0, 0);
  assert_near(seen.wait[2], 3.5, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_sojourn_mean], (2 + 4 + 7.5) / 3.0, 1e-12);
  const double *at_a = r.pools, *at_b = at_a + MODEL_POOL_NCOLS,
               *all = at_b + MODEL_POOL_NCOLS;
  assert_near(at_a[MODEL_POOL_served], 1, 0);
  assert_near(at_b[MODEL_POOL_served], 1, 0);
  assert_near(all[MODEL_POOL_served], 2, 0);
  assert_near(at_a[MODEL_POOL_busy_mean], 0.4, 1e-12);
  assert_near(at_b[MODEL_POOL_busy_mean], 0.5, 1e-12);
  assert_near(all[MODEL_POOL_busy_mean], 0.9, 1e-12);
  assert_near(all[MODEL_POOL_staff_mean], 1, 1e-12);
  assert_near(at_b[MODEL_POOL_utilization], 0.5, 1e-12);
  assert_near(all[MODEL_POOL_utilization], 0.9, 1e-12);
  assert_near(at_a[MODEL_POOL_staff_cost], 10 * 4 / 9.0, 1e-9);
  assert_near(at_b[MODEL_POOL_staff_cost], 10 * 5 / 9.0, 1e-9);
  assert_near(all[MODEL_POOL_staff_cost], 10, 1e-9);
  const double *desk_a = r.departments, *desk_b = desk_a + MODEL_DEPARTMENT_NCOLS;
  assert_near(desk_a[MODEL_DEPARTMENT_served], 2, 0);
  assert_near(desk_a[MODEL_DEPARTMENT_busy_mean], 0.2, 1e-12);   /* own staff */
  assert_near(desk_b[MODEL_DEPARTMENT_wait_mean], 3.5, 1e-12);
  assert_near(desk_b[MODEL_DEPARTMENT_wrap_up_hours], 1 / 60.0, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_utilization], (2 + 9) / 20.0, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_staff_cost], 1 + 10, 1e-9);
  model_result_fini(&r);
  model_free(m);
}

/* A pool member's time after closing is overtime, as a department's own
 * staff's is. Horizon 5; customers at 3 and 4, service 4 and a wrap-up of
 * 0.5: the own server is busy 3-7.5 (2.5 after closing), the member
 * 4-8.5 (3.5 after closing), which departments.csv cannot show. */
static void pool_overtime(void **state)
{
  (void)state;
  write_text("trace-pool-overtime.csv", "3\n4\n");
  struct model *m = load_text(
    "horizon: 5\nreplications: 1\n"
    "arrivals: [{to: a, trace: trace-pool-overtime.csv}]\n"
    "departments:\n"
    "  a: {staff: 1, service: {dist: deterministic, value: 4},\n"
    "      wrap_up: {dist: deterministic, value: 0.5}}\n"
    "pools:\n  g: {staff: 1, serves: [a]}\n");
  struct model_result r = run_one(m);
  assert_near(r.departments[MODEL_DEPARTMENT_overtime_hours], 2.5 / 60, 1e-12);
  const double *at_a = r.pools, *all = at_a + MODEL_POOL_NCOLS;
  assert_near(at_a[MODEL_POOL_overtime_hours], 3.5 / 60, 1e-12);
  assert_near(all[MODEL_POOL_overtime_hours], 3.5 / 60, 1e-12);
  assert_near(all[MODEL_POOL_busy_mean], 1 / 5.0, 1e-12);   /* to the horizon */
  model_result_fini(&r);
  model_free(m);
}

/* The warm-up: a member's busy time counts from its end, its services
 * only for counted customers, its cost over the whole day. Warm-up 5,
 * horizon 10, customers at 3 (not counted: 3-6) and 6 (6-9): busy 1 + 3
 * of the 5 counted minutes, one service counted, 10 minutes paid. */
static void pool_warmup(void **state)
{
  (void)state;
  write_text("trace-pool-warmup.csv", "3\n6\n");
  struct model *m = load_text(
    "horizon: 10\nwarmup: 5\nreplications: 1\n"
    "arrivals: [{to: a, trace: trace-pool-warmup.csv}]\n"
    "departments:\n  a: {staff: 0, service: {dist: deterministic, value: 3}}\n"
    "pools:\n  g: {staff: 1, serves: [a], cost_per_staff_hour: 60}\n");
  struct model_result r = run_one(m);
  const double *all = r.pools + MODEL_POOL_NCOLS;
  assert_near(all[MODEL_POOL_served], 1, 0);
  assert_near(all[MODEL_POOL_busy_mean], 4 / 5.0, 1e-12);
  assert_near(all[MODEL_POOL_staff_mean], 1, 1e-12);
  assert_near(all[MODEL_POOL_staff_cost], 10, 1e-9);
  assert_near(r.summary[MODEL_SUMMARY_utilization], 4 / 5.0, 1e-12);
  model_result_fini(&r);
  model_free(m);
}

/* Closing with a pool's member busy, by hand. Horizon 5; a (no own
 * staff, service 3) and b (one of its own, service 3 and a wrap-up of 1)
 * share one member. Customers: 1 at a at 0 (member 0-3), 2 at b at 0.5
 * (own 0.5-3.5, writes up to 4.5), 3 at a at 1 and 4 at b at 1.5 wait, 5
 * at a at 2 waits. At 3 the member takes 3 (waited since 1, before 4's
 * 1.5): 3-6, in service at closing, so it finishes; at 4.5 b's own takes
 * 4 (4.5-7.5, writes up to 8.5). At 5 customer 5 is still waiting: `cut`
 * sends it away (wait 3), `drain` lets the member serve it 6-9 (wait 4).
 * Overtime: b's own 5-8.5; the member 5-6, or 5-9. */
static void pool_closing_cut_and_drain(void **state)
{
  (void)state;
  write_text("trace-pool-close-a.csv", "0\n1\n2\n");
  write_text("trace-pool-close-b.csv", "0.5\n1.5\n");
  static const char *const closings[] = {"drain", "cut"};
  for (int k = 0; k < 2; k++) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "horizon: 5\nclosing: %s\nreplications: 1\n"
             "arrivals: [{to: a, trace: trace-pool-close-a.csv},\n"
             "           {to: b, trace: trace-pool-close-b.csv}]\n"
             "departments:\n"
             "  a: {staff: 0, service: {dist: deterministic, value: 3}}\n"
             "  b: {staff: 1, service: {dist: deterministic, value: 3},\n"
             "      wrap_up: {dist: deterministic, value: 1}}\n"
             "pools:\n  g: {staff: 1, serves: [a, b]}\n", closings[k]);
    struct model *m = load_text(yaml);
    struct model_result r;
    model_result_init(&r, m);
    struct waits_seen seen = {0};
    assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                             (struct model_journey_sink){see_wait, &seen}), 0);
    bool cut = k == 1;
    assert_int_equal(seen.n, 5);
    static const double waits[4] = {0, 0, 2, 3};
    for (int c = 0; c < 4; c++) {
      assert_near(seen.wait[c], waits[c], 1e-12);
      assert_int_equal(seen.outcome[c], MODEL_SERVED);
    }
    assert_near(seen.wait[4], cut ? 3 : 4, 1e-12);
    assert_int_equal(seen.outcome[4], cut ? MODEL_SENT_AWAY : MODEL_SERVED);
    assert_near(r.summary[MODEL_SUMMARY_sent_away], cut ? 1 : 0, 0);
    const double *b = r.departments + MODEL_DEPARTMENT_NCOLS;
    assert_near(b[MODEL_DEPARTMENT_overtime_hours], 3.5 / 60, 1e-12);
    const double *at_a = r.pools, *all = r.pools + 2 * MODEL_POOL_NCOLS;
    assert_near(at_a[MODEL_POOL_served], cut ? 2 : 3, 0);
    assert_near(all[MODEL_POOL_overtime_hours], (cut ? 1 : 4) / 60.0, 1e-12);
    assert_near(all[MODEL_POOL_busy_mean], 5 / 5.0, 1e-12);   /* busy 0-5 */
    model_result_fini(&r);
    model_free(m);
  }
}

/* A handoff by a pool's member at half speed, by hand: the part of the
 * service before the handoff is slowed (1 -> 2), the coordination is not
 * (1). a has no own staff and hands everyone to b (delay 0.5, b's one
 * server, service 2). Customers at 0 and 0.2: the member serves 1 0-2,
 * coordinates 2-3, takes 2 (waited 2.8) 3-5, coordinates 5-6. 1 reaches
 * b at 2.5 (served 2.5-4.5), 2 at 5.5 (5.5-7.5). */
static void pool_handoff_and_coordination(void **state)
{
  (void)state;
  write_text("trace-pool-handoff.csv", "0\n0.2\n");
  struct model *m = load_text(
    "horizon: 10\nreplications: 1\n"
    "arrivals: [{to: a, trace: trace-pool-handoff.csv}]\n"
    "departments:\n"
    "  a: {staff: 0, service: {dist: deterministic, value: 5},\n"
    "      handoff: {p: 1, after: {dist: deterministic, value: 1}, to: b,\n"
    "                delay: {dist: deterministic, value: 0.5},\n"
    "                coordination: {dist: deterministic, value: 1}}}\n"
    "  b: {staff: 1, service: {dist: deterministic, value: 2}}\n"
    "pools:\n  g: {staff: 1, serves: [a], speed: 0.5}\n");
  struct model_result r;
  model_result_init(&r, m);
  struct waits_seen seen = {0};
  assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                           (struct model_journey_sink){see_wait, &seen}), 0);
  assert_int_equal(seen.n, 2);
  assert_near(seen.wait[0], 0, 1e-12);
  assert_near(seen.wait[1], 2.8, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_sojourn_mean], (4.5 + 7.3) / 2, 1e-12);
  const double *a = r.departments;
  assert_near(a[MODEL_DEPARTMENT_handoffs_out], 2, 0);
  assert_near(a[MODEL_DEPARTMENT_coordination_hours], 2 / 60.0, 1e-12);
  assert_near(a[MODEL_DEPARTMENT_busy_mean], 0, 0);   /* no own staff */
  assert_near(r.pools[MODEL_POOL_NCOLS + MODEL_POOL_busy_mean], 6 / 10.0, 1e-12);
  model_result_fini(&r);
  model_free(m);
}

/* A department without waiting room served only by two pools: an
 * arrival goes to the first pool (in the order of pools:) with a member
 * free, and one who finds both busy is blocked. Service 2, customers at
 * 0 (first pool, 0-2), 0.5 (second pool, 0.5-2.5), 1 (blocked) and 2.2
 * (the first pool again, free since 2). */
static void pools_without_waiting_room(void **state)
{
  (void)state;
  write_text("trace-pool-room.csv", "0\n0.5\n1\n2.2\n");
  struct model *m = load_text(
    "horizon: 10\nreplications: 1\n"
    "arrivals: [{to: a, trace: trace-pool-room.csv}]\n"
    "departments:\n  a: {staff: 0, capacity: 0, service: {dist: deterministic, value: 2}}\n"
    "pools:\n  second: {staff: 1, serves: [a]}\n  first: {staff: 1, serves: [a]}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_blocked], 1, 0);
  assert_near(r.summary[MODEL_SUMMARY_served], 3, 0);
  const double *listed_first = r.pools, *listed_second = r.pools + 2 * MODEL_POOL_NCOLS;
  assert_near(listed_first[MODEL_POOL_served], 2, 0);
  assert_near(listed_first[MODEL_POOL_busy_mean], 4 / 10.0, 1e-12);
  assert_near(listed_second[MODEL_POOL_served], 1, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Whom a free member takes. One member (speed 1), no own staff; service
 * 2. Customers: a at 0 (served 0-2), b at 0.5, a at 1. At 2 the one who
 * has waited longest is b's (longest_waiting: b 2-4, a 4-6: waits 1.5 at
 * b, 3 at a); with order: serves [a, b] a's comes first (a 2-4 waiting 1,
 * b 4-6 waiting 3.5). A schedule that starts the member at 3 instead
 * delays everyone by 3: a 3-5, then b (longest) 5-7, a 7-9. */
static void pool_order_and_schedule(void **state)
{
  (void)state;
  write_text("trace-order-a.csv", "0\n1\n");
  write_text("trace-order-b.csv", "0.5\n");
  static const char *const pools[] = {
    "{staff: 1, serves: [a, b]}",
    "{staff: 1, serves: [a, b], order: serves}",
    "{staff: [{at: 0, staff: 0}, {at: 3, staff: 1}], serves: [b, a]}",
  };
  static const double wait_a[] = {(0 + 3) / 2.0, (0 + 1) / 2.0, (3 + 6) / 2.0};
  static const double wait_b[] = {1.5, 3.5, 4.5};
  for (int k = 0; k < 3; k++) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "horizon: 20\nreplications: 1\n"
             "arrivals: [{to: a, trace: trace-order-a.csv}, {to: b, trace: trace-order-b.csv}]\n"
             "departments:\n"
             "  a: {staff: 0, service: {dist: deterministic, value: 2}}\n"
             "  b: {staff: 0, service: {dist: deterministic, value: 2}}\n"
             "pools:\n  g: %s\n", pools[k]);
    struct model *m = load_text(yaml);
    struct model_result r;
    model_result_init(&r, m);
    assert_int_equal(model_office_run(m, m->seed, 0, &r), 0);
    assert_near(r.departments[MODEL_DEPARTMENT_wait_mean], wait_a[k], 1e-12);
    assert_near(r.departments[MODEL_DEPARTMENT_NCOLS + MODEL_DEPARTMENT_wait_mean],
                wait_b[k], 1e-12);
    model_result_fini(&r);
    model_free(m);
  }
}

/* Each department's next customer by its own priorities, then the one
 * who has waited longest. One member, no own staff, service 2.
 * Customers: 1 regular at a at 0 (served 0-2), 2 regular at a at 0.5, 3
 * regular at b at 0.7, 4 urgent at a at 1. At 2 a's next is the urgent 4
 * (queued at 1), b's is 3 (0.7): 3 has waited longer (2-4), then 4 (4-6),
 * then 2 (6-8). With order: serves, a first: 4 (2-4), 2 (4-6), 3 (6-8). */
static void pool_priorities_then_longest_waiting(void **state)
{
  (void)state;
  write_text("trace-prio-a.csv", "0\n0.5\n");
  write_text("trace-prio-b.csv", "0.7\n");
  write_text("trace-prio-u.csv", "1\n");
  static const char *const order[] = {"longest_waiting", "serves"};
  static const double waits[2][4] = {{0, 5.5, 1.3, 3}, {0, 3.5, 5.3, 1}};
  for (int k = 0; k < 2; k++) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "horizon: 20\nreplications: 1\n"
             "classes:\n  regular: {share: 1}\n  urgent: {share: 0, priority: 1}\n"
             "arrivals:\n"
             "  - {to: a, trace: trace-prio-a.csv, class: regular}\n"
             "  - {to: b, trace: trace-prio-b.csv, class: regular}\n"
             "  - {to: a, trace: trace-prio-u.csv, class: urgent}\n"
             "departments:\n"
             "  a: {staff: 0, service: {dist: deterministic, value: 2}}\n"
             "  b: {staff: 0, service: {dist: deterministic, value: 2}}\n"
             "pools:\n  g: {staff: 1, serves: [a, b], order: %s}\n", order[k]);
    struct model *m = load_text(yaml);
    struct model_result r;
    model_result_init(&r, m);
    struct waits_seen seen = {0};
    assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                             (struct model_journey_sink){see_wait, &seen}), 0);
    assert_int_equal(seen.n, 4);
    for (int c = 0; c < 4; c++)
      assert_near(seen.wait[c], waits[k][c], 1e-12);
    model_result_fini(&r);
    model_free(m);
  }
}

/* A pool of speed 1 that serves one department is more staff there, to
 * the customer: a service is drawn from the department's stream whoever
 * serves it, so with the same seed every wait is the same as with the
 * pool's members added to the department's own staff. */
static void pool_of_one_department_is_more_staff(void **state)
{
  (void)state;
#define ONE_DEPARTMENT(staff, pools)                                         \
  "horizon: 2000\nreplications: 1\nseed: 2392\n"                             \
  "arrivals: [{to: a, rate: 3.5}]\n"                                          \
  "departments:\n  a: {staff: " staff ", service: {dist: exponential, mean: 1},\n" \
  "      patience: {dist: exponential, mean: 4}}\n" pools
  const char *pooled = ONE_DEPARTMENT("2", "pools:\n  g: {staff: 2, serves: [a]}\n");
  const char *added = ONE_DEPARTMENT("4", "");
#undef ONE_DEPARTMENT
  struct model *mp = load_text(pooled), *ma = load_text(added);
  struct model_result rp, ra;
  model_result_init(&rp, mp);
  model_result_init(&ra, ma);
  assert_int_equal(model_office_run(mp, mp->seed, 0, &rp), 0);
  assert_int_equal(model_office_run(ma, ma->seed, 0, &ra), 0);
  assert_true(ra.summary[MODEL_SUMMARY_abandoned] > 0);
  static const int same[] = {MODEL_SUMMARY_served, MODEL_SUMMARY_abandoned,
                             MODEL_SUMMARY_wait_mean, MODEL_SUMMARY_wait_p90,
                             MODEL_SUMMARY_sojourn_mean, MODEL_SUMMARY_service_level};
  for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
    assert_true(rp.summary[same[k]] == ra.summary[same[k]]);
  assert_near(rp.summary[MODEL_SUMMARY_utilization], ra.summary[MODEL_SUMMARY_utilization],
              1e-12);
  model_result_fini(&rp);
  model_result_fini(&ra);
  model_free(mp);
  model_free(ma);
}

/* Pools against theory. A pool of 3 that serves two departments without
 * staff of their own, arrivals 1 and 1.2, service Exp(1): the member
 * takes whoever has waited longest, so the two queues are one FCFS queue
 * of an M/M/3 with the merged stream (lambda 2.2): Erlang C gives the
 * mean wait at each department, and the pool is busy 2.2 of 3. A pool of
 * 2 that serves one department of 2 is 2 more staff there: M/M/4 at
 * lambda 3. */
static void pools_erlang_c(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 20000\nwarmup: 1000\nreplications: 16\nseed: 2390\n"
    "arrivals: [{to: a, rate: 1.0}, {to: b, rate: 1.2}]\n"
    "departments:\n"
    "  a: {staff: 0, service: {dist: exponential, mean: 1}}\n"
    "  b: {staff: 0, service: {dist: exponential, mean: 1}}\n"
    "pools:\n  g: {staff: 3, serves: [a, b]}\n");
  /* REPS_MERGED replications: the run length at which the waits are
   * checked to 2 % (see expect_mean). */
  m->replications = reps(REPS_MERGED);
  struct runs runs = run_all(m);
  double wq = erlang_c(3, 2.2) / (3 - 2.2);
  expect_mean("pooled M/M/3 mean wait at a", &runs, dept0, MODEL_DEPARTMENT_wait_mean,
              wq, MEAN_2PCT);
  expect_mean("pooled M/M/3 mean wait at b", &runs, dept1, MODEL_DEPARTMENT_wait_mean,
              wq, MEAN_2PCT);
  expect_mean("pooled M/M/3 no-wait share", &runs, summary_of,
              MODEL_SUMMARY_service_level, 1 - erlang_c(3, 2.2), PROB_1PP);
  expect_mean("pooled M/M/3 utilization", &runs, summary_of,
              MODEL_SUMMARY_utilization, 2.2 / 3, PROB_1PP);
  free_runs(&runs);
  model_free(m);

  m = load_text(
    "horizon: 20000\nwarmup: 1000\nreplications: 16\nseed: 2391\n"
    "arrivals: [{to: a, rate: 3}]\n"
    "departments:\n  a: {staff: 2, service: {dist: exponential, mean: 1}}\n"
    "pools:\n  g: {staff: 2, serves: [a]}\n");
  m->replications = reps(REPS_ADDED);
  runs = run_all(m);
  expect_mean("M/M/2 + a pool of 2 = M/M/4 wait", &runs, summary_of,
              MODEL_SUMMARY_wait_mean, erlang_c(4, 3) / (4 - 3), MEAN_2PCT);
  expect_mean("M/M/2 + a pool of 2 utilization", &runs, summary_of,
              MODEL_SUMMARY_utilization, 0.75, PROB_1PP);
  free_runs(&runs);
  model_free(m);
}

/* Pools in the thick of everything, over many seeds: schedules of own
 * staff and of pools that cut to 0 and come back while customers wait at
 * several departments, classes with priorities, patience and retrials,
 * balking, a department without waiting room (capacity 0) that only a
 * pool serves, a department served by two pools (one by `order: serves`),
 * handoffs with a delay and coordination into and out of pooled
 * departments, wrap-up, rework, appointments, a warm-up, and both ways
 * of closing. Debug builds check the office's invariants after every
 * event (office_consistent in models/office.c: nobody waits while a server
 * of its department or of a pool serving it is free; a pool's busy count
 * is its links'; the bitmaps of who waits) and every choice of a free
 * member against a scan of all its departments. Every build checks what
 * the results must satisfy: every journey ends once; a pool's rows add up
 * to its total; a pool of constant staff is never over-busy; a pool's
 * services at a department are some of that department's. */
static void pools_with_everything_many_seeds(void **state)
{
  (void)state;
  static const char *const closings[] = {"drain", "cut"};
  for (int k = 0; k < 2; k++) {
    char yaml[4096];
    snprintf(yaml, sizeof yaml,
      "horizon: 300\nwarmup: 30\nclosing: %s\nreplications: 1\n"
      "output: {interval: 30}\n"
      "classes:\n  walk: {share: 0.7}\n  urgent: {share: 0.2, priority: 2}\n"
      "  vip: {share: 0.1, priority: 1}\n"
      "patience: {dist: exponential, mean: 8}\n"
      "retrial: {p: 0.3, after: {dist: exponential, mean: 10}}\n"
      "arrivals:\n"
      "  - {to: front, rate: 1.2}\n  - {to: b, rate: 0.4}\n  - {to: c, rate: 0.3}\n"
      "  - to: d\n    class: vip\n"
      "    appointments: {from: 10, to: 280, every: 6, per_slot: 1, no_show: 0.1,\n"
      "                   punctuality: {dist: normal, mean: -2, sd: 3}}\n"
      "departments:\n"
      "  front:\n"
      "    staff: [{at: 0, staff: 1}, {at: 60, staff: 0}, {at: 90, staff: 2}]\n"
      "    service: {dist: exponential, mean: 1.5}\n"
      "    wrap_up: {dist: exponential, mean: 0.3}\n"
      "    routes: [{to: b, p: 0.3}, {to: c, p: 0.2}]\n"
      "    handoff: {p: 0.15, after: {dist: uniform, min: 0.2, max: 1}, to: c,\n"
      "              delay: {dist: exponential, mean: 1},\n"
      "              coordination: {dist: exponential, mean: 0.5}}\n"
      "  b: {staff: 0, capacity: 0, service: {dist: exponential, mean: 2}}\n"
      "  c:\n"
      "    staff: [{at: 0, staff: 1}, {at: 150, staff: 3}]\n"
      "    service: {dist: gamma, mean: 2.5, sd: 1}\n"
      "    balking: {above: 3, p: 0.5}\n"
      "    rework: {p: 0.1, after: {dist: exponential, mean: 30}}\n"
      "    handoff: {p: 0.1, after: {dist: deterministic, value: 0.5}, to: front}\n"
      "  d: {staff: 1, capacity: 4, service: {dist: exponential, mean: 4}}\n"
      "pools:\n"
      "  g1: {staff: [{at: 0, staff: 2}, {at: 50, staff: 0}, {at: 100, staff: 3},\n"
      "               {at: 200, staff: 1}], serves: [front, b, c], speed: 0.8}\n"
      "  g2: {staff: 1, serves: [c, d, b], order: serves, speed: 1.3}\n",
      closings[k]);
    struct model *m = load_text(yaml);
    for (uint32_t seed = 1; seed <= 150; seed++) {
      struct model_result r;
      model_result_init(&r, m);
      assert_int_equal(model_office_run(m, seed, 0, &r), 0);
      const double *s = r.summary;
      assert_true(s[MODEL_SUMMARY_served] > 0 && s[MODEL_SUMMARY_abandoned] > 0);
      assert_near(s[MODEL_SUMMARY_served] + s[MODEL_SUMMARY_abandoned] +
                      s[MODEL_SUMMARY_balked] + s[MODEL_SUMMARY_blocked] +
                      s[MODEL_SUMMARY_sent_away],
                  s[MODEL_SUMMARY_arrivals], 0);
      for (size_t i = 0; i < m->npools; i++) {
        const struct model_pool *p = &m->pools[i];
        const double *all = r.pools + model_pool_row(m, i, p->nserves) * MODEL_POOL_NCOLS;
        double served = 0, busy = 0;
        for (size_t j = 0; j < p->nserves; j++) {
          const double *row = r.pools + model_pool_row(m, i, j) * MODEL_POOL_NCOLS;
          served += row[MODEL_POOL_served];
          busy += row[MODEL_POOL_busy_mean];
          const double *dep = r.departments + p->serves[j] * MODEL_DEPARTMENT_NCOLS;
          assert_true(row[MODEL_POOL_served] <= dep[MODEL_DEPARTMENT_served]);
        }
        assert_near(served, all[MODEL_POOL_served], 0);
        assert_near(busy, all[MODEL_POOL_busy_mean], 1e-9);
        if (p->nstaff_steps == 0)
          assert_true(all[MODEL_POOL_utilization] <= 1 + 1e-12);
      }
      model_result_fini(&r);
    }
    model_free(m);
  }
}

/* Pools whose links cross the words of the bitmap of departments with a
 * queue: 70 departments without staff of their own, three pools serving
 * 30, 50 and 70 of them in shuffled orders (links 0-29, 30-79 and
 * 80-149: across the words at 64 and 128), one of them by `order:
 * serves`. Three customers a department arrive at distinct times and
 * every service takes 1, so no two events ever coincide and a direct
 * simulation of the rules (here, scanning every department) gives each
 * department's mean wait and each link's count of services exactly. */
enum { WB_DEPTS = 70, WB_PER_DEPT = 3, WB_POOLS = 3 };
struct wb_member { int pool; double until; };   /* until < 0: free */

static void wb_reference(const int serves[WB_POOLS][WB_DEPTS], const int nserves[WB_POOLS],
                         const int staff[WB_POOLS], const bool in_order[WB_POOLS],
                         const double arrival[WB_DEPTS * WB_PER_DEPT],
                         double wait_sum[WB_DEPTS], double served[WB_POOLS][WB_DEPTS])
{
  double queue[WB_DEPTS][WB_PER_DEPT];   /* FIFO of arrival times */
  int head[WB_DEPTS] = {0}, tail[WB_DEPTS] = {0};
  struct wb_member member[16];
  int nmembers = 0;
  for (int i = 0; i < WB_POOLS; i++)
    for (int k = 0; k < staff[i]; k++)
      member[nmembers++] = (struct wb_member){i, -1};
  int order[WB_DEPTS * WB_PER_DEPT];   /* customers by arrival time */
  for (int c = 0; c < WB_DEPTS * WB_PER_DEPT; c++)
    order[c] = c;
  for (int a = 1; a < WB_DEPTS * WB_PER_DEPT; a++)
    for (int b = a; b > 0 && arrival[order[b]] < arrival[order[b - 1]]; b--) {
      int t = order[b]; order[b] = order[b - 1]; order[b - 1] = t;
    }
  int next = 0;
  for (;;) {
    int ending = -1;
    for (int k = 0; k < nmembers; k++)
      if (member[k].until >= 0 && (ending < 0 || member[k].until < member[ending].until))
        ending = k;
    bool arrival_first = next < WB_DEPTS * WB_PER_DEPT &&
                         (ending < 0 || arrival[order[next]] < member[ending].until);
    if (arrival_first) {
      int c = order[next++], d = c % WB_DEPTS;
      double t = arrival[c];
      int taker = -1;
      for (int i = 0; i < WB_POOLS && taker < 0; i++)
        for (int j = 0; j < nserves[i] && taker < 0; j++)
          if (serves[i][j] == d)
            for (int k = 0; k < nmembers && taker < 0; k++)
              if (member[k].pool == i && member[k].until < 0) {
                taker = k;
                member[k].until = t + 1;
                served[i][j]++;
              }
      if (taker < 0)
        queue[d][tail[d]++] = t;
      continue;
    }
    if (ending < 0)
      return;
    struct wb_member *mb = &member[ending];
    double t = mb->until;
    mb->until = -1;
    int best = -1;
    for (int j = 0; j < nserves[mb->pool]; j++) {
      int d = serves[mb->pool][j];
      if (head[d] < tail[d] &&
          (best < 0 || queue[d][head[d]] < queue[serves[mb->pool][best]][head[serves[mb->pool][best]]]))
        best = j;
      if (best >= 0 && in_order[mb->pool])
        break;
    }
    if (best >= 0) {
      int d = serves[mb->pool][best];
      wait_sum[d] += t - queue[d][head[d]++];
      served[mb->pool][best]++;
      mb->until = t + 1;
    }
  }
}

static void pools_over_word_boundaries(void **state)
{
  (void)state;
  static const int nserves[WB_POOLS] = {30, 50, 70}, staff[WB_POOLS] = {1, 2, 1};
  static const bool in_order[WB_POOLS] = {false, true, false};
  int serves[WB_POOLS][WB_DEPTS];
  uint64_t lcg = 2385;
  for (int i = 0; i < WB_POOLS; i++) {
    for (int d = 0; d < WB_DEPTS; d++)
      serves[i][d] = d;
    for (int d = WB_DEPTS - 1; d > 0; d--) {   /* Fisher-Yates */
      lcg = lcg * 6364136223846793005u + 1442695040888963407u;
      int e = (int)((lcg >> 33) % (uint64_t)(d + 1));
      int t = serves[i][d]; serves[i][d] = serves[i][e]; serves[i][e] = t;
    }
  }
  /* Customer c arrives at department c % 70 at time c * 0.0101 in a
   * shuffled order: no two event times differ by a whole number. */
  double arrival[WB_DEPTS * WB_PER_DEPT];
  int slot[WB_DEPTS * WB_PER_DEPT];
  for (int c = 0; c < WB_DEPTS * WB_PER_DEPT; c++)
    slot[c] = c;
  for (int c = WB_DEPTS * WB_PER_DEPT - 1; c > 0; c--) {
    lcg = lcg * 6364136223846793005u + 1442695040888963407u;
    int e = (int)((lcg >> 33) % (uint64_t)(c + 1));
    int t = slot[c]; slot[c] = slot[e]; slot[e] = t;
  }
  char *yaml = malloc(65536);
  assert_non_null(yaml);
  size_t len = (size_t)snprintf(yaml, 65536, "horizon: 10\nreplications: 1\narrivals:\n");
  for (int d = 0; d < WB_DEPTS; d++) {
    char path[64], text[256];
    size_t n = 0;
    double times[WB_PER_DEPT];
    for (int j = 0; j < WB_PER_DEPT; j++)
      times[j] = slot[j * WB_DEPTS + d] * 0.0101;
    for (int a = 1; a < WB_PER_DEPT; a++)   /* a trace is in order */
      for (int b = a; b > 0 && times[b] < times[b - 1]; b--) {
        double t = times[b]; times[b] = times[b - 1]; times[b - 1] = t;
      }
    for (int j = 0; j < WB_PER_DEPT; j++) {
      arrival[j * WB_DEPTS + d] = times[j];
      n += (size_t)snprintf(text + n, sizeof text - n, "%.4f\n", times[j]);
    }
    snprintf(path, sizeof path, "trace-wb-%d.csv", d);
    write_text(path, text);
    len += (size_t)snprintf(yaml + len, 65536 - len, "  - {to: d%d, trace: %s}\n", d, path);
  }
  len += (size_t)snprintf(yaml + len, 65536 - len, "departments:\n");
  for (int d = 0; d < WB_DEPTS; d++)
    len += (size_t)snprintf(yaml + len, 65536 - len,
                            "  d%d: {staff: 0, service: {dist: deterministic, value: 1}}\n", d);
  len += (size_t)snprintf(yaml + len, 65536 - len, "pools:\n");
  for (int i = 0; i < WB_POOLS; i++) {
    len += (size_t)snprintf(yaml + len, 65536 - len, "  p%d: {staff: %d, order: %s, serves: [",
                            i, staff[i], in_order[i] ? "serves" : "longest_waiting");
    for (int j = 0; j < nserves[i]; j++)
      len += (size_t)snprintf(yaml + len, 65536 - len, "%sd%d", j ? ", " : "", serves[i][j]);
    len += (size_t)snprintf(yaml + len, 65536 - len, "]}\n");
  }
  assert_true(len < 65536);
  struct model *m = load_text(yaml);
  free(yaml);
  assert_int_equal(m->npool_links, 150);
  double wait_sum[WB_DEPTS] = {0}, served[WB_POOLS][WB_DEPTS] = {{0}};
  wb_reference((const int (*)[WB_DEPTS])serves, nserves, staff, in_order, arrival,
               wait_sum, served);
  struct model_result r = run_one(m);
  double waited = 0;
  for (int d = 0; d < WB_DEPTS; d++) {
    const double *dep = r.departments + d * MODEL_DEPARTMENT_NCOLS;
    assert_near(dep[MODEL_DEPARTMENT_served], WB_PER_DEPT, 0);
    assert_near(dep[MODEL_DEPARTMENT_wait_mean], wait_sum[d] / WB_PER_DEPT, 1e-9);
    waited += wait_sum[d];
  }
  assert_true(waited > 1000);   /* the queues were long: the choices mattered */
  for (int i = 0; i < WB_POOLS; i++)
    for (int j = 0; j < nserves[i]; j++)
      assert_near(r.pools[model_pool_row(m, (size_t)i, (size_t)j) * MODEL_POOL_NCOLS +
                          MODEL_POOL_served], served[i][j], 0);
  model_result_fini(&r);
  model_free(m);
}

/* Failure demand by hand. Customers at 0 and 1 go front (service 2) then
 * back (service 3), where the rule p 0 + 1 per handoff so far always
 * sends them home to come back after 10 to the first department.
 * First: front 0-2, back 2-5, back at 15: front 15-17, back 17-20, and
 * the return at 30 is after closing (20): tomorrow's, the journey ends at
 * 20. Second: waits 1 at the front (2-4), 1 at the back (5-8), back at
 * 18: front 18-20, back 20-23 (the doors closed at 20, the day drains),
 * returns at 33: tomorrow's, ends at 23. Each had two repeats (one
 * today, one tomorrow), four visits, two handoffs. Satisfaction: 9.5 - 2
 * repeats = 7.5 and 8 - 2 = 6. */
static void rework_by_hand(void **state)
{
  (void)state;
  write_text("trace-rework.csv", "0\n1\n");
  struct model *m = load_text(
    "horizon: 20\nreplications: 1\n"
    "arrivals: [{to: front, trace: trace-rework.csv}]\n"
    "departments:\n"
    "  front: {staff: 1, service: {dist: deterministic, value: 2},\n"
    "          routes: [{to: back, p: 1}]}\n"
    "  back:\n    staff: 1\n    service: {dist: deterministic, value: 3}\n"
    "    rework: {p: 0, per_handoff: 1, after: {dist: deterministic, value: 10}}\n");
  struct model_result r;
  model_result_init(&r, m);
  struct waits_seen seen = {0};
  assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                           (struct model_journey_sink){see_wait, &seen}), 0);
  assert_int_equal(seen.n, 2);
  assert_near(seen.wait[0], 0, 0);
  assert_near(seen.wait[1], 2, 1e-12);
  const double *s = r.summary, *front = r.departments;
  const double *back = front + MODEL_DEPARTMENT_NCOLS;
  assert_near(s[MODEL_SUMMARY_served], 2, 0);
  assert_near(s[MODEL_SUMMARY_sojourn_mean], (20 + 22) / 2.0, 1e-12);
  assert_near(s[MODEL_SUMMARY_visits_mean], 4, 0);
  assert_near(s[MODEL_SUMMARY_handoffs_mean], 2, 0);
  assert_near(s[MODEL_SUMMARY_repeat_contacts], 2, 0);
  assert_near(s[MODEL_SUMMARY_first_contact_resolution], 0, 0);
  assert_near(s[MODEL_SUMMARY_returns_next_day], 2, 0);
  assert_near(s[MODEL_SUMMARY_satisfaction_mean], (7.5 + 6) / 2, 1e-12);
  assert_near(front[MODEL_DEPARTMENT_arrivals], 4, 0);
  assert_near(back[MODEL_DEPARTMENT_arrivals], 4, 0);
  assert_near(front[MODEL_DEPARTMENT_returns_caused], 0, 0);
  assert_near(back[MODEL_DEPARTMENT_returns_caused], 4, 0);
  assert_near(back[MODEL_DEPARTMENT_returns_next_day], 2, 0);
  assert_near(back[MODEL_DEPARTMENT_repeat_contacts], 2, 0);
  assert_near(r.classes[MODEL_CLASS_first_contact_resolution], 0, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Rework rules by class, by hand, and which one applies: class a's rule
 * (p 1, back after 5 to help) applies at the desk, but help's own rule
 * (p 0) beats it there; class b's rule at the desk (p 1, after 7, to the
 * first department) sends it back every 8 minutes. A (class a, at 0):
 * desk 0-1, help 6-8, done: one repeat, two visits. B (class b, at 0):
 * desk 0-1, 8-9, ..., 48-49, and the return at 56 is after closing (50):
 * six returns today and one tomorrow, seven visits. */
static void rework_rules_by_class(void **state)
{
  (void)state;
  write_text("trace-rw-one.csv", "0\n");
  struct model *m = load_text(
    "horizon: 50\nreplications: 1\n"
    "classes:\n"
    "  a: {share: 0.5, rework: {p: 1, after: {dist: deterministic, value: 5}, to: help}}\n"
    "  b: {share: 0.5}\n"
    "arrivals:\n"
    "  - {to: desk, trace: trace-rw-one.csv, class: a}\n"
    "  - {to: desk, trace: trace-rw-one.csv, class: b}\n"
    "departments:\n"
    "  desk:\n    staff: 2\n    service: {dist: deterministic, value: 1}\n"
    "    classes:\n"
    "      b: {rework: {p: 1, after: {dist: deterministic, value: 7}}}\n"
    "  help:\n    staff: 1\n    service: {dist: deterministic, value: 2}\n"
    "    rework: {p: 0, after: {dist: deterministic, value: 1}}\n");
  struct model_result r = run_one(m);
  const double *s = r.summary, *a = r.classes, *b = a + MODEL_CLASS_NCOLS;
  const double *desk = r.departments, *help = desk + MODEL_DEPARTMENT_NCOLS;
  assert_near(a[MODEL_CLASS_repeat_contacts], 1, 0);
  assert_near(b[MODEL_CLASS_repeat_contacts], 7, 0);
  assert_near(a[MODEL_CLASS_sojourn_mean], 8, 1e-12);
  assert_near(b[MODEL_CLASS_sojourn_mean], 49, 1e-12);
  assert_near(s[MODEL_SUMMARY_visits_mean], (2 + 7) / 2.0, 1e-12);
  assert_near(s[MODEL_SUMMARY_handoffs_mean], 0, 0);
  assert_near(s[MODEL_SUMMARY_repeat_contacts], 4, 0);
  assert_near(s[MODEL_SUMMARY_returns_next_day], 1, 0);
  assert_near(desk[MODEL_DEPARTMENT_arrivals], 1 + 7, 0);
  assert_near(desk[MODEL_DEPARTMENT_returns_caused], 8, 0);
  assert_near(help[MODEL_DEPARTMENT_arrivals], 1, 0);
  assert_near(help[MODEL_DEPARTMENT_returns_caused], 0, 0);
  /* Journeys that visited help: A alone. */
  assert_near(help[MODEL_DEPARTMENT_repeat_contacts], 1, 0);
  assert_near(help[MODEL_DEPARTMENT_first_contact_resolution], 0, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Without rework every journey is settled at the first contact. */
static void no_rework_is_first_contact(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 200\nreplications: 1\nseed: 8\n"
    "arrivals: [{to: desk, rate: 0.5}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  struct model_result r = run_one(m);
  assert_true(r.summary[MODEL_SUMMARY_arrivals] > 0);
  assert_near(r.summary[MODEL_SUMMARY_repeat_contacts], 0, 0);
  assert_near(r.summary[MODEL_SUMMARY_first_contact_resolution], 1, 0);
  assert_near(r.summary[MODEL_SUMMARY_returns_next_day], 0, 0);
  assert_near(r.departments[MODEL_DEPARTMENT_first_contact_resolution], 1, 0);
  assert_near(r.classes[MODEL_CLASS_repeat_contacts], 0, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Appointments by hand. Slots 10, 20 and 30, everyone 4 minutes early
 * (arrivals 6, 16, 26), walk-ins at 0 and 7, one desk of service 5 that
 * serves appointments first. early: wait — W1 0-5; A1 waits for its slot
 * while W2 is served 7-12; A1 queues at 10 and is served 12-17 (slot wait
 * 2); A2 and A3 are served at their slots. early: serve — A1 is served at
 * once 6-11 (4 before its slot), W2 waits 4 (11-16), A2 arrives at 16 as
 * W2 leaves and is served 16-21, A3 26-31: slot waits -4. */
static void appointments_by_hand(void **state)
{
  (void)state;
  write_text("trace-walk-in.csv", "0\n7\n");
  const char *early[] = {"wait", "serve"};
  for (int k = 0; k < 2; k++) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "horizon: 40\nreplications: 1\n"
             "classes: {walk-in: {share: 1}, booked: {share: 0, priority: 1}}\n"
             "arrivals:\n"
             "  - {to: desk, trace: trace-walk-in.csv, class: walk-in}\n"
             "  - {to: desk, class: booked, appointments: {from: 10, to: 30, every: 10,\n"
             "     early: %s, punctuality: {dist: deterministic, value: -4}}}\n"
             "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 5}}\n",
             early[k]);
    struct model *m = load_text(yaml);
    struct model_result r;
    model_result_init(&r, m);
    struct waits_seen seen = {0};
    assert_int_equal(model_office_run_traced(m, m->seed, 0, &r,
                                             (struct model_journey_sink){see_wait, &seen}), 0);
    const double *walk_in = r.classes, *booked = walk_in + MODEL_CLASS_NCOLS;
    assert_int_equal(seen.n, 5);
    assert_near(booked[MODEL_CLASS_arrivals], 3, 0);
    assert_near(booked[MODEL_CLASS_no_shows], 0, 0);
    assert_near(booked[MODEL_CLASS_lateness_mean], -4, 1e-12);
    assert_near(walk_in[MODEL_CLASS_no_shows], 0, 0);
    assert_true(isnan(walk_in[MODEL_CLASS_lateness_mean]));
    assert_true(isnan(walk_in[MODEL_CLASS_slot_wait_mean]));
    if (k == 0) {
      /* Customers by arrival: W1 (0), A1 (6), W2 (7), A2 (16), A3 (26). */
      assert_near(seen.wait[1], 2, 1e-12);   /* queued from the slot */
      assert_near(seen.wait[2], 0, 0);
      assert_near(booked[MODEL_CLASS_slot_wait_mean], 2.0 / 3, 1e-12);
      assert_near(booked[MODEL_CLASS_sojourn_mean], (11 + 9 + 9) / 3.0, 1e-12);
    } else {
      assert_near(seen.wait[1], 0, 0);
      assert_near(seen.wait[2], 4, 1e-12);
      assert_near(seen.wait[3], 0, 0);
      assert_near(booked[MODEL_CLASS_slot_wait_mean], -4, 1e-12);
      assert_near(booked[MODEL_CLASS_sojourn_mean], 5, 1e-12);
    }
    model_result_fini(&r);
    model_free(m);
  }
  /* Everyone stays away: two per slot, three slots, all no-shows. */
  struct model *m = load_text(
    "horizon: 40\nreplications: 1\n"
    "arrivals: [{to: desk, appointments: {from: 10, to: 30, every: 10, per_slot: 2,\n"
    "            no_show: 1}}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 5}}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_arrivals], 0, 0);
  assert_near(r.classes[MODEL_CLASS_no_shows], 6, 0);
  model_result_fini(&r);
  model_free(m);
}

/* Satisfaction end to end, by hand. Customers at 0, 0 and 1; one desk,
 * service 10, patience 2. The first is served at once (9.5); the other two
 * give up after waiting 2 (within their expectation, so 8, but the
 * ceiling for abandoning is 3). Service level within 5: 1 of 3 arrivals;
 * the alternative leaves the two abandonments within 5 out: 1 of 1. */
static void satisfaction_by_hand(void **state)
{
  (void)state;
  write_text("trace-happy.csv", "0\n0\n1\n");
  struct model *m = load_text(
    "horizon: 100\nreplications: 1\nservice_level: {within: 5}\n"
    "classes:\n  walk-in: {share: 1, expect: 5}\n"
    "arrivals: [{to: desk, trace: trace-happy.csv}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 10},\n"
    "    classes: {walk-in: {patience: {dist: deterministic, value: 2}}}}\n");
  struct model_result r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_served], 1, 0);
  assert_near(r.summary[MODEL_SUMMARY_abandoned], 2, 0);
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_mean], (9.5 + 3 + 3) / 3, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_high], 1.0 / 3, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_low], 2.0 / 3, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_service_level], 1.0 / 3, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_service_level_alt], 1.0, 1e-12);
  model_result_fini(&r);
  model_free(m);

  /* Without patience: 9.5 and 7 (waits 0 and 10), and the third waits 19:
   * 14 beyond 5 -> 8 - 6 x 14/30 = 5.2. */
  m = load_text(
    "horizon: 100\nreplications: 1\nservice_level: {within: 5}\n"
    "arrivals: [{to: desk, trace: trace-happy.csv}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: deterministic, value: 10}}\n");
  r = run_one(m);
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_mean], (9.5 + 7 + 5.2) / 3, 1e-12);
  assert_near(r.classes[MODEL_CLASS_satisfaction_mean], (9.5 + 7 + 5.2) / 3, 1e-12);
  assert_near(r.summary[MODEL_SUMMARY_satisfaction_mid], 1.0 / 3, 1e-12);
  model_result_fini(&r);
  model_free(m);
}

/* M/M/1/K: blocking probability with K - 1 waiting places. */
static void mm1k_blocking(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 20000\nwarmup: 200\nreplications: 12\nseed: 19\n"
    "arrivals: [{to: desk, rate: 1.2}]\n"
    "departments:\n  desk: {staff: 1, capacity: 4,\n"
    "    service: {dist: exponential, mean: 1}}\n");
  /* 24 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(24);
    struct runs runs = run_all(m);
  const double rho = 1.2;
  const int K = 5; /* in system: 1 in service + 4 waiting */
  double pk = (1 - rho) * pow(rho, K) / (1 - pow(rho, K + 1));
  for (size_t k = 0; k < runs.n; k++)
    runs.r[k].summary[MODEL_SUMMARY_blocked] /= runs.r[k].summary[MODEL_SUMMARY_arrivals];
  expect_mean("M/M/1/5 blocking probability", &runs, summary_of,
              MODEL_SUMMARY_blocked, pk, PROB_1PP);
  free_runs(&runs);
  model_free(m);
}

/* Two classes, non-preemptive priority (Cobham): mean wait of class k is
 * W0 / ((1 - s(k-1)) (1 - s(k))), W0 = sum lambda_i E[S_i^2] / 2, s(k) the
 * load of classes 1..k. */
static void priority_cobham(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 40000\nwarmup: 1000\nreplications: 12\nseed: 23\n"
    "classes:\n  urgent: {share: 0.3, priority: 1}\n  regular: {share: 0.7}\n"
    "arrivals: [{to: desk, rate: 0.8}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  /* 542 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(542);
    struct runs runs = run_all(m);
  double l1 = 0.24, l2 = 0.56;           /* mean service 1: loads equal rates */
  double w0 = (l1 + l2) * 2.0 / 2;       /* E[S^2] = 2 */
  double w1 = w0 / (1 - l1), w2 = w0 / ((1 - l1) * (1 - l1 - l2));
  expect_mean("priority: urgent mean wait", &runs, class0, MODEL_CLASS_wait_mean, w1, MEAN_2PCT);
  expect_mean("priority: regular mean wait", &runs, class1, MODEL_CLASS_wait_mean, w2, MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* An open Jackson network with feedback: front -> back (0.5), back -> front
 * (0.3). Traffic: L_f = 0.6 + 0.3 L_b, L_b = 0.5 L_f. Each desk behaves
 * as M/M/1 at its total rate; Little's law end to end gives the mean time
 * in system from the mean numbers in system. */
static void jackson_feedback(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 40000\nwarmup: 1000\nreplications: 12\nseed: 29\n"
    "arrivals: [{to: front, rate: 0.6}]\n"
    "departments:\n"
    "  front: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "          routes: [{to: back, p: 0.5}]}\n"
    "  back: {staff: 1, service: {dist: exponential, mean: 1.2},\n"
    "         routes: [{to: front, p: 0.3}]}\n");
  /* 105 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(105);
    struct runs runs = run_all(m);
  double lf = 0.6 / (1 - 0.15), lb = 0.5 * lf;
  double rf = lf * 1.0, rb = lb * 1.2;
  double nf = rf / (1 - rf), nb = rb / (1 - rb);
  expect_mean("Jackson: visits to back per customer", &runs, summary_of,
              MODEL_SUMMARY_visits_mean, (lf + lb) / 0.6, MEAN_2PCT);
  expect_mean("Jackson: front busy", &runs, dept0, MODEL_DEPARTMENT_busy_mean, rf, MEAN_2PCT);
  expect_mean("Jackson: back busy", &runs, dept1, MODEL_DEPARTMENT_busy_mean, rb, MEAN_2PCT);
  expect_mean("Jackson: time in system (Little)", &runs, summary_of,
              MODEL_SUMMARY_sojourn_mean, (nf + nb) / 0.6, MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* A schedule of arrival rates is a piecewise Poisson process: no arrivals
 * where the rate is 0, and the expected count is the integral of the rate,
 * including steps shorter than a typical gap. */
static void arrival_schedule_piecewise(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 600\nreplications: 40\nseed: 31\n"
    "arrivals:\n  - to: desk\n    schedule: [{at: 100, per_hour: 90}, {at: 200, per_hour: 0},\n"
    "               {at: 300, per_hour: 30}, {at: 300.5, per_hour: 600},\n"
    "               {at: 301, per_hour: 12}]\n"
    "departments:\n  desk: {staff: 50, service: {dist: deterministic, value: 0.5}}\n");
  assert_int_equal(m->arrivals[0].nsteps, 6); /* a rate 0 step is added at 0 */
  /* 489 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(489);
    struct runs runs = run_all(m);
  /* Per minute: 1.5 on [100, 200), 0.5 on [300, 300.5), 10 on [300.5, 301),
   * 0.2 on [301, 600). */
  double expected = 150 + 0.25 + 5 + 0.2 * 299;
  expect_mean("scheduled arrivals per day", &runs, summary_of,
              MODEL_SUMMARY_arrivals, expected, MEAN_2PCT);
  free_runs(&runs);
  /* Nobody arrives before 100: with staff 50 nobody waits, so the
   * departments' busy time before 100 is 0 — checked through the first
   * arrival of a single replication. */
  model_free(m);
}

/* Per-class settings at a department: urgent customers need longer
 * service there and go on elsewhere; the others leave. */
static void class_settings_at_department(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 3000\nreplications: 6\nseed: 37\n"
    "classes:\n  a: {share: 0.5}\n  b: {share: 0.5}\n"
    "arrivals: [{to: desk, rate: 0.2}]\n"
    "departments:\n"
    "  desk:\n    staff: 20\n    service: {dist: deterministic, value: 1}\n"
    "    classes:\n      b: {service: {dist: deterministic, value: 3},\n"
    "          routes: [{to: back, p: 1}]}\n"
    "  back: {staff: 20, service: {dist: deterministic, value: 2}}\n");
  struct runs runs = run_all(m);
  for (size_t k = 0; k < runs.n; k++) {
    const double *ca = runs.r[k].classes, *cb = ca + MODEL_CLASS_NCOLS;
    /* 20 staff for 0.2 arrivals a minute: nobody waits, so the times in
     * the system are the service times. */
    assert_near(runs.r[k].summary[MODEL_SUMMARY_wait_mean], 0, 0);
    assert_near(ca[MODEL_CLASS_sojourn_mean], 1.0, 1e-9);
    assert_near(cb[MODEL_CLASS_sojourn_mean], 5.0, 1e-9);
    const double *back = runs.r[k].departments + MODEL_DEPARTMENT_NCOLS;
    assert_near(back[MODEL_DEPARTMENT_arrivals], cb[MODEL_CLASS_arrivals], 0);
  }
  free_runs(&runs);
  model_free(m);
}

/* A route of probability 1 is taken without a draw when every class at
 * the department goes the same way (models/office_setup.c, fixed_route);
 * when the classes go to different places each follows its own rule. */
static void fixed_routes_by_class(void **state)
{
  (void)state;
  const char *b_goes[] = {"back", "side"};
  for (int k = 0; k < 2; k++) {
    char yaml[768];
    snprintf(yaml, sizeof yaml,
             "horizon: 2000\nreplications: 2\nseed: 41\n"
             "classes:\n  a: {share: 0.5}\n  b: {share: 0.5}\n"
             "arrivals: [{to: desk, rate: 0.2}]\n"
             "departments:\n"
             "  desk:\n    staff: 20\n    service: {dist: exponential, mean: 1}\n"
             "    routes: [{to: back, p: 1}]\n"
             "    classes:\n      b: {routes: [{to: %s, p: 1}]}\n"
             "  back: {staff: 20, service: {dist: deterministic, value: 2}}\n"
             "  side: {staff: 20, service: {dist: deterministic, value: 2}}\n",
             b_goes[k]);
    struct model *m = load_text(yaml);
    struct runs runs = run_all(m);
    for (size_t r = 0; r < runs.n; r++) {
      const double *ca = runs.r[r].classes, *cb = ca + MODEL_CLASS_NCOLS;
      const double *desk = runs.r[r].departments;
      const double *back = desk + MODEL_DEPARTMENT_NCOLS;
      const double *side = back + MODEL_DEPARTMENT_NCOLS;
      assert_true(ca[MODEL_CLASS_arrivals] > 100 && cb[MODEL_CLASS_arrivals] > 100);
      double to_side = k == 1 ? cb[MODEL_CLASS_arrivals] : 0;
      assert_near(side[MODEL_DEPARTMENT_arrivals], to_side, 0);
      assert_near(back[MODEL_DEPARTMENT_arrivals],
                  desk[MODEL_DEPARTMENT_arrivals] - to_side, 0);
      assert_near(runs.r[r].summary[MODEL_SUMMARY_handoffs_mean], 1, 0);
    }
    free_runs(&runs);
    model_free(m);
  }
}

/* Wrap-up against theory. The server holds a customer for H = S + W
 * (service, then wrap-up) while the customer's sojourn is only wait + S.
 * One server, lambda 0.5, S ~ Exp(mean 1), W ~ Exp(mean 0.6): M/G/1 with
 * E[H] = 1.6, E[H^2] = Var S + Var W + E[H]^2 = 1 + 0.36 + 2.56 = 3.92,
 * so by Pollaczek-Khinchine Wq = lambda E[H^2] / (2 (1 - rho)) = 4.9 with
 * rho = 0.8, and the sojourn is Wq + E[S] = 5.9. With c = 3 servers and a
 * mid-service handoff (p 0.3 after Exp(0.5), coordination Exp(0.4)),
 * Little gives busy = lambda E[H] with E[H] = 0.3 (0.5 + 0.4) + 0.7 (1) +
 * 0.6 = 1.57 whatever c, and the hours of wrap-up and coordination are in
 * expectation lambda (horizon - warmup) E[W] and ... 0.3 E[coordination]
 * (every counted arrival's visit, in hours). */
static void wrap_up_mg1_and_little(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 40000\nwarmup: 2000\nreplications: 16\nseed: 2386\n"
    "arrivals: [{to: desk, rate: 0.5}]\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "    wrap_up: {dist: exponential, mean: 0.6}}\n");
  /* 420 replications: the run length at which the waits are checked to
   * 2 % (see expect_mean). */
  m->replications = reps(420);
  struct runs runs = run_all(m);
  expect_mean("M/G/1 (service + wrap-up) mean wait", &runs, summary_of,
              MODEL_SUMMARY_wait_mean, 0.5 * 3.92 / (2 * (1 - 0.8)), MEAN_2PCT);
  expect_mean("M/G/1 sojourn without the wrap-up", &runs, summary_of,
              MODEL_SUMMARY_sojourn_mean, 0.5 * 3.92 / (2 * (1 - 0.8)) + 1, MEAN_2PCT);
  expect_mean("M/G/1 utilization with wrap-up", &runs, summary_of,
              MODEL_SUMMARY_utilization, 0.8, PROB_1PP);
  free_runs(&runs);
  model_free(m);

  const double lambda = 1.5, window = 20000 - 1000;
  m = load_text(
    "horizon: 20000\nwarmup: 1000\nreplications: 16\nseed: 2387\n"
    "arrivals: [{to: front, rate: 1.5}]\n"
    "departments:\n"
    "  front:\n    staff: 3\n    service: {dist: exponential, mean: 1}\n"
    "    wrap_up: {dist: exponential, mean: 0.6}\n"
    "    handoff: {p: 0.3, after: {dist: exponential, mean: 0.5}, to: back,\n"
    "              coordination: {dist: exponential, mean: 0.4}}\n"
    "  back: {staff: 20, service: {dist: exponential, mean: 1}}\n");
  m->replications = reps(48);
  runs = run_all(m);
  expect_mean("M/G/3 busy servers (Little)", &runs, dept0,
              MODEL_DEPARTMENT_busy_mean, lambda * 1.57, MEAN_2PCT);
  expect_mean("wrap-up hours", &runs, dept0, MODEL_DEPARTMENT_wrap_up_hours,
              lambda * window * 0.6 / 60, MEAN_2PCT);
  expect_mean("coordination hours", &runs, dept0,
              MODEL_DEPARTMENT_coordination_hours, lambda * window * 0.3 * 0.4 / 60,
              MEAN_2PCT);
  /* Only the handed-off 30 % reach the back, which has no wrap-up. */
  expect_mean("back busy servers (no wrap-up there)", &runs, dept1,
              MODEL_DEPARTMENT_busy_mean, lambda * 0.3 * 1.0, MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* Failure demand against theory: a Jackson network. Arrivals 0.5 go to
 * the front (M/M/1, mean 1) and on to the back (mean 1), where with
 * probability q = 0.1 + 0.15 x 1 handoff = 0.25 the question is not
 * settled and the customer comes back to the back after Exp(mean 5) (an
 * infinite-server delay: product form holds). The back then sees
 * Lambda = 0.5 / (1 - q) = 2/3, so its wait per visit is
 * rho / (mu - Lambda) = 2; the front's is 1. Repeats per journey are
 * geometric, q / (1 - q) = 1/3; the first contact settles it with
 * probability 1 - q = 0.75; visits per journey are 1 + 1 / (1 - q).
 * (Journeys whose return falls after closing stop repeating: a bias of
 * about after / horizon, 1e-4, far inside the tolerance.) */
static void rework_jackson(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 40000\nwarmup: 2000\nreplications: 16\nseed: 2388\n"
    "arrivals: [{to: front, rate: 0.5}]\n"
    "departments:\n"
    "  front: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "          routes: [{to: back, p: 1}]}\n"
    "  back:\n    staff: 1\n    service: {dist: exponential, mean: 1}\n"
    "    rework: {p: 0.1, per_handoff: 0.15, after: {dist: exponential, mean: 5},\n"
    "             to: back}\n");
  /* 260 replications: the back's wait is checked to 2 %. */
  m->replications = reps(260);
  struct runs runs = run_all(m);
  const double q = 0.25, lambda_back = 0.5 / (1 - q);
  expect_mean("rework: front wait per visit", &runs, dept0,
              MODEL_DEPARTMENT_wait_mean, 0.5 / (1 - 0.5), MEAN_2PCT);
  expect_mean("rework: back wait per visit", &runs, dept1,
              MODEL_DEPARTMENT_wait_mean, lambda_back / (1 - lambda_back), MEAN_2PCT);
  expect_mean("rework: back busy", &runs, dept1, MODEL_DEPARTMENT_busy_mean,
              lambda_back, MEAN_2PCT);
  expect_mean("repeat contacts per journey", &runs, summary_of,
              MODEL_SUMMARY_repeat_contacts, q / (1 - q), MEAN_2PCT);
  expect_mean("first-contact resolution", &runs, summary_of,
              MODEL_SUMMARY_first_contact_resolution, 1 - q, PROB_1PP);
  expect_mean("visits per journey", &runs, summary_of,
              MODEL_SUMMARY_visits_mean, 1 + 1 / (1 - q), MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* Appointments against their parameters: 60 customers in each of 40
 * slots (from 30), a no-show probability 0.15 and an untruncated normal
 * punctuality (mean -3, sd 5; no arrival is moved by the opening, the
 * first slot being 6 sd after it). The share of no-shows and the mean
 * lateness are estimates of 0.15 and -3 with the tolerance of their
 * spread between replications. */
static void appointments_no_shows_and_lateness(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 500\nreplications: 12\nseed: 2389\n"
    "classes: {booked: {share: 1}}\n"
    "arrivals: [{to: desk, appointments: {from: 30, to: 420, every: 10, per_slot: 60,\n"
    "            no_show: 0.15, punctuality: {dist: normal, mean: -3, sd: 5}}}]\n"
    "departments:\n  desk: {staff: 100, service: {dist: deterministic, value: 1}}\n");
  /* 180 replications: the lateness is checked to 2 % of its mean. */
  m->replications = reps(180);
  struct runs runs = run_all(m);
  for (size_t k = 0; k < runs.n; k++) {
    double *c = runs.r[k].classes;
    assert_near(c[MODEL_CLASS_no_shows] + c[MODEL_CLASS_arrivals], 40 * 60, 0);
    c[MODEL_CLASS_no_shows] /= 40 * 60;
  }
  expect_mean("no-show share", &runs, class0, MODEL_CLASS_no_shows, 0.15, PROB_1PP);
  expect_mean("lateness (arrival - slot)", &runs, class0, MODEL_CLASS_lateness_mean, -3,
              MEAN_2PCT);
  free_runs(&runs);
  model_free(m);
}

/* M_t/M/infinity with a sinusoidal rate (Eick, Massey and Whitt 1993):
 * lambda(t) = a + b sin(2 pi t / T), given as a schedule of one-minute
 * steps. The mean number in service m(t) solves m' = lambda(t) - mu m; for
 * a piecewise-constant rate it is exact step by step,
 * m(t) = r/mu + (m0 - r/mu) exp(-mu (t - t0)), and so is its integral. The
 * time-average number busy over [warmup, horizon], where the sinusoid is
 * far from its mean, is checked against that. (For the continuous rate EMW
 * give m(t) = a/mu + b (mu sin wt - w cos wt) / (mu^2 + w^2); the one-minute
 * steps move it by less than 0.1 %.) */
static void mt_m_infinity_sinusoid(void **state)
{
  (void)state;
  const double a = 3.0, b = 2.0, period = 240, mu = 1.0 / 4; /* service mean 4 */
  const double horizon = 360, warmup = 240; /* the rising half of day two */
  char *yaml = malloc(65536);
  int n = snprintf(yaml, 65536,
                   "horizon: %g\nwarmup: %g\nreplications: 30\nseed: 41\n"
                   "arrivals:\n  - to: desk\n    schedule:\n", horizon, warmup);
  double *rate = calloc((size_t)horizon, sizeof *rate);
  for (int k = 0; k < (int)horizon; k++) {
    /* The step's rate is lambda at the step's middle. */
    rate[k] = a + b * sin(2 * PI * (k + 0.5) / period);
    n += snprintf(yaml + n, 65536 - (size_t)n, "      - {at: %d, per_hour: %.17g}\n",
                  k, rate[k] * 60);
  }
  snprintf(yaml + n, 65536 - (size_t)n,
           "departments:\n  desk: {staff: 1000, service: {dist: exponential, mean: 4}}\n");
  struct model *m = load_text(yaml);
  /* 448 replications: the run length at which every check below
     * detects its bias (see expect_mean). */
    m->replications = reps(448);
    struct runs runs = run_all(m);
  double mean = 0, area = 0;
  for (int k = 0; k < (int)horizon; k++) {
    double eq = rate[k] / mu, start = mean;
    mean = eq + (start - eq) * exp(-mu);
    if (k >= (int)warmup)
      area += eq + (start - eq) * (1 - exp(-mu)) / mu;
  }
  expect_mean("M_t/M/inf busy servers, late in the day", &runs, dept0,
              MODEL_DEPARTMENT_busy_mean, area / (horizon - warmup), MEAN_2PCT);
  /* The sinusoid matters here: the stationary value a/mu is far off. */
  assert_true(fabs(area / (horizon - warmup) - a / mu) > 1.0);
  free_runs(&runs);
  model_free(m);
  free(rate);
  free(yaml);
}

/* A department's streams are seeded only for what its rules use (a
 * stream's numbers depend on its key alone, so this changes no result;
 * the results of every scenario were checked byte-identical when it was
 * made). White-box: an unseeded stream has no state. */
static void streams_only_for_features_used(void **state)
{
  (void)state;
  struct model *m = load_text(
    "horizon: 10\nreplications: 1\n"
    "arrivals: [{to: front, rate: 1}]\n"
    "departments:\n"
    "  front: {staff: 1, service: {dist: exponential, mean: 1},\n"
    "          patience: {dist: exponential, mean: 5},\n"
    "          routes: [{to: back, p: 0.5}]}\n"
    "  back:\n    staff: 1\n    service: {dist: exponential, mean: 1}\n"
    "    balking: {above: 2, p: 0.5}\n"
    "    retrial: {p: 0.5, after: {dist: exponential, mean: 3}}\n"
    "    handoff: {p: 0.1, after: {dist: exponential, mean: 1}, to: front}\n"
    "  quiet: {staff: 1, service: {dist: exponential, mean: 1}}\n");
  struct office o;
  office_init(&o, m, 7, 0);
  struct { uint32_t d; const struct sim_rng *rng; bool seeded; } want[] = {
    {0, &o.dept[0].service_rng, true}, {0, &o.dept[0].patience_rng, true},
    {0, &o.dept[0].routing_rng, true}, {0, &o.dept[0].balking_rng, false},
    {0, &o.dept[0].retrial_rng, false}, {0, &o.dept[0].handoff_rng, false},
    {1, &o.dept[1].service_rng, true}, {1, &o.dept[1].patience_rng, false},
    {1, &o.dept[1].routing_rng, false}, {1, &o.dept[1].balking_rng, true},
    {1, &o.dept[1].retrial_rng, true}, {1, &o.dept[1].handoff_rng, true},
    {2, &o.dept[2].service_rng, true}, {2, &o.dept[2].patience_rng, false},
    {2, &o.dept[2].routing_rng, false}, {2, &o.dept[2].balking_rng, false},
    {2, &o.dept[2].retrial_rng, false}, {2, &o.dept[2].handoff_rng, false},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    if ((want[i].rng->gsl.state != NULL) != want[i].seeded)
      fail_msg("stream %zu of department %u: seeded %d, expected %d", i % 6,
               want[i].d, want[i].rng->gsl.state != NULL, want[i].seeded);
  }
  assert_null(o.class_rng.gsl.state);   /* one class: no class draws */
  office_fini(&o);
  /* And the run draws from what it seeded (a draw from an unseeded
   * stream would crash). */
  struct model_result r = run_one(m);
  assert_true(r.summary[MODEL_SUMMARY_arrivals] > 0);
  model_result_fini(&r);
  model_free(m);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mm1),
    cmocka_unit_test(erlang_c_loads),
    cmocka_unit_test(erlang_b_no_waiting_room),
    cmocka_unit_test(md1),
    cmocka_unit_test(erlang_a_patience),
    cmocka_unit_test(routes_split_and_tandem),
    cmocka_unit_test(same_seed_same_result),
    cmocka_unit_test(streams_are_separate),
    cmocka_unit_test(warmup_excludes_early_customers),
    cmocka_unit_test(cost_and_overtime_exact),
    cmocka_unit_test(staff_schedule_cut_and_increase),
    cmocka_unit_test(timeseries_by_hand),
    cmocka_unit_test(clock_times_and_traces),
    cmocka_unit_test(closing_cut_and_drain),
    cmocka_unit_test(plain_loop_is_the_general_loop),
    cmocka_unit_test(summary_waits_are_every_class),
    cmocka_unit_test(planned_route_is_not_a_handoff),
    cmocka_unit_test(closing_cut_with_patience_many_seeds),
    cmocka_unit_test(unstable_queue_is_bounded),
    cmocka_unit_test(backlog_at_opening),
    cmocka_unit_test(balking_and_retrial),
    cmocka_unit_test(department_waits_are_its_visits),
    cmocka_unit_test(handoff_mid_service),
    cmocka_unit_test(wrap_up_by_hand),
    cmocka_unit_test(coordination_by_hand),
    cmocka_unit_test(wrap_up_mg1_and_little),
    cmocka_unit_test(pools_by_hand),
    cmocka_unit_test(pool_overtime),
    cmocka_unit_test(pool_warmup),
    cmocka_unit_test(pool_closing_cut_and_drain),
    cmocka_unit_test(pool_handoff_and_coordination),
    cmocka_unit_test(pools_without_waiting_room),
    cmocka_unit_test(pool_order_and_schedule),
    cmocka_unit_test(pool_priorities_then_longest_waiting),
    cmocka_unit_test(pool_of_one_department_is_more_staff),
    cmocka_unit_test(pools_erlang_c),
    cmocka_unit_test(pools_with_everything_many_seeds),
    cmocka_unit_test(pools_over_word_boundaries),
    cmocka_unit_test(rework_by_hand),
    cmocka_unit_test(rework_rules_by_class),
    cmocka_unit_test(no_rework_is_first_contact),
    cmocka_unit_test(rework_jackson),
    cmocka_unit_test(appointments_by_hand),
    cmocka_unit_test(appointments_no_shows_and_lateness),
    cmocka_unit_test(satisfaction_by_hand),
    cmocka_unit_test(mm1k_blocking),
    cmocka_unit_test(priority_cobham),
    cmocka_unit_test(jackson_feedback),
    cmocka_unit_test(arrival_schedule_piecewise),
    cmocka_unit_test(class_settings_at_department),
    cmocka_unit_test(fixed_routes_by_class),
    cmocka_unit_test(mt_m_infinity_sinusoid),
    cmocka_unit_test(streams_only_for_features_used),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
