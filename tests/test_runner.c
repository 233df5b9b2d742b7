/* The thread runner: every task once, results in task order, failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sim/runner.h"

static int square(void *ctx, size_t task, void *result)
{
  (void)ctx;
  /* Uneven work so tasks finish out of order on several threads. */
  volatile uint64_t spin = 0;
  for (size_t i = 0; i < (task % 7) * 20000; i++)
    spin += i;
  (void)spin;   /* read once: the loop is the point */
  *(uint64_t *)result = (uint64_t)task * task + 1;
  return 0;
}

static void progress_count(void *ctx, size_t done, size_t total)
{
  size_t *calls = ctx;
  assert_true(done <= total);
  calls[0]++;
  calls[1] = done;
}

static void every_task_once_any_jobs(void **state)
{
  (void)state;
  enum { N = 97 };
  for (unsigned jobs = 1; jobs <= 5; jobs += 2) {
    uint64_t results[N] = {0};
    size_t calls[2] = {0, 0};
    struct sim_runner r = {.ntasks = N, .jobs = jobs, .fn = square,
                           .results = results, .result_size = sizeof results[0],
                           .progress = progress_count, .progress_ctx = calls};
    assert_int_equal(sim_runner_run(&r), 0);
    for (size_t i = 0; i < N; i++)
      assert_int_equal(results[i], (uint64_t)i * i + 1);
    assert_true(calls[0] >= 1);
    assert_int_equal(calls[1], N);
    /* Without a callback the caller is woken only by the last task: it
     * must still return after all of them, with every result. */
    uint64_t quiet[N] = {0};
    r.results = quiet;
    r.progress = NULL;
    r.progress_ctx = NULL;
    assert_int_equal(sim_runner_run(&r), 0);
    for (size_t i = 0; i < N; i++)
      assert_int_equal(quiet[i], (uint64_t)i * i + 1);
  }
}

static int fail_at_ten(void *ctx, size_t task, void *result)
{
  (void)ctx;
  *(int *)result = 1;
  return task >= 10 ? (int)task : 0;
}

static void failure_stops_new_tasks(void **state)
{
  (void)state;
  enum { N = 1000 };
  int *ran = calloc(N, sizeof *ran);
  struct sim_runner r = {.ntasks = N, .jobs = 2, .fn = fail_at_ten,
                         .results = ran, .result_size = sizeof *ran};
  assert_int_equal(sim_runner_run(&r), 10);
  size_t count = 0;
  for (size_t i = 0; i < N; i++)
    count += (size_t)ran[i];
  assert_true(count >= 11 && count < N);
  free(ran);
}

static void zero_tasks(void **state)
{
  (void)state;
  struct sim_runner r = {.ntasks = 0, .jobs = 4, .fn = square,
                         .results = NULL, .result_size = 8};
  assert_int_equal(sim_runner_run(&r), 0);
  assert_true(sim_runner_processors() >= 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_task_once_any_jobs),
    cmocka_unit_test(failure_stops_new_tasks),
    cmocka_unit_test(zero_tasks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
