/* The event list: order by (time, priority, sequence), ties FIFO,
 * cancellation, handles that never name another event. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sim/events.h"

static void pops_in_time_order(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 4);
  const double times[] = {7.25, 1.5, 3.875, 0.125, 9.0, 2.385, 5.5};
  for (uint32_t i = 0; i < 7; i++)
    sim_events_schedule(&ev, times[i], 3, 1, i);
  const uint32_t expected[] = {3, 1, 5, 2, 6, 0, 4};
  struct sim_event e;
  for (int i = 0; i < 7; i++) {
    assert_true(sim_events_next(&ev, &e));
    assert_int_equal(e.subject, expected[i]);
    assert_true(ev.now == e.time);
  }
  assert_false(sim_events_next(&ev, &e));
  assert_int_equal(ev.popped, 7);
  sim_events_fini(&ev);
}

/* Equal times come out in the order they were scheduled, also when other
 * events are interleaved and the heap has grown past its first size. */
static void equal_times_are_fifo(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 2);
  for (uint32_t i = 0; i < 1000; i++)
    sim_events_schedule(&ev, (i % 3 == 0) ? 4.0 : 4.0 + (double)(i % 7), 7, i % 5, i);
  struct sim_event e;
  double last_time = -1;
  uint32_t last_subject = 0;
  while (sim_events_next(&ev, &e)) {
    if (e.time == last_time)
      assert_true(e.subject > last_subject);
    else
      assert_true(e.time > last_time);
    assert_int_equal(e.type, e.subject % 5);
    last_time = e.time;
    last_subject = e.subject;
  }
  sim_events_fini(&ev);
}

/* Minus zero is the same time as zero (a trace or a staff schedule may
 * say -0): it ties with +0 by scheduling order, before every later time,
 * however deep in the heap the entries sit. The heap's branch-free
 * comparison reads a time's bits, and would put -0 after everything if it
 * kept the sign. */
static void minus_zero_is_zero(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 2);
  uint32_t zeros = 0;
  for (uint32_t i = 0; i < 300; i++) {
    double t = i % 3 == 0 ? (i % 2 ? -0.0 : 0.0) : 1.0 + (double)((i * 37) % 101);
    zeros += i % 3 == 0;
    sim_events_schedule(&ev, t, 5, 0, i);
  }
  struct sim_event e;
  double last_time = -1;
  uint32_t last_subject = 0, seen_zeros = 0;
  while (sim_events_next(&ev, &e)) {
    if (e.time == 0) {
      seen_zeros++;
      assert_true(last_time == -1 || last_time == 0);
      assert_true(last_time == -1 || e.subject > last_subject);
    } else {
      assert_true(e.time >= last_time);
    }
    /* New events keep the heap's lower levels busy while zeros remain. */
    if (e.subject < 30)
      sim_events_schedule(&ev, 200.0 + e.subject, 5, 0, 1000 + e.subject);
    last_time = e.time;
    last_subject = e.subject;
  }
  assert_int_equal(seen_zeros, zeros);
  sim_events_fini(&ev);
}

static void cancelled_events_never_fire(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 8);
  enum { N = 500 };
  sim_timer timers[N];
  /* A fixed pseudo-random order of times (a full-period LCG). */
  uint32_t x = 12345;
  for (uint32_t i = 0; i < N; i++) {
    x = x * 1103515245u + 12345u;
    timers[i] = sim_events_schedule(&ev, (double)(x % 997) + 0.5, 0, 0, i);
  }
  for (uint32_t i = 0; i < N; i += 3)
    sim_events_cancel(&ev, timers[i]);
  assert_int_equal(sim_events_pending(&ev), N - (N + 2) / 3);
  struct sim_event e;
  double last = -1;
  uint32_t seen = 0;
  while (sim_events_next(&ev, &e)) {
    assert_true(e.subject % 3 != 0);
    assert_true(e.time >= last);
    last = e.time;
    seen++;
  }
  assert_int_equal(seen, N - (N + 2) / 3);
  sim_events_fini(&ev);
}

/* Cancel the event at the top, at the bottom, and re-use freed handles. */
static void cancel_and_reuse(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 16);
  sim_timer a = sim_events_schedule(&ev, 1.0, 0, 0, 1);
  sim_timer b = sim_events_schedule(&ev, 2.0, 0, 0, 2);
  sim_timer c = sim_events_schedule(&ev, 3.0, 0, 0, 3);
  sim_events_cancel(&ev, a);   /* the earliest */
  sim_events_cancel(&ev, c);   /* the last in the heap array */
  sim_timer d = sim_events_schedule(&ev, 0.5, 0, 0, 4);
  /* The slot is reused, the handle is not. */
  assert_true((uint32_t)d == (uint32_t)a || (uint32_t)d == (uint32_t)c);
  assert_true(d != a && d != c);
  assert_false(sim_events_is_pending(&ev, a));
  assert_false(sim_events_is_pending(&ev, c));
  assert_true(sim_events_is_pending(&ev, d));
  struct sim_event e;
  assert_true(sim_events_next(&ev, &e));
  assert_int_equal(e.subject, 4);
  assert_true(sim_events_next(&ev, &e));
  assert_int_equal(e.subject, 2);
  assert_false(sim_events_next(&ev, &e));
  (void)b;
  sim_events_fini(&ev);
}

/* Against a simple reference: random schedule/cancel/pop in random lanes,
 * compared with a sorted scan of the live events. */
static void matches_reference(void **state)
{
  (void)state;
  enum { OPS = 20000, MAXLIVE = 4096 };
  struct ref { double time; uint32_t prio; uint64_t seq; sim_timer timer; uint32_t subject; };
  struct ref *live = calloc(MAXLIVE, sizeof *live);
  size_t nlive = 0;
  uint64_t seq = 0;
  struct sim_events ev;
  sim_events_init(&ev, 1);
  uint64_t x = 88172645463325252ULL;
  double now = 0;
  for (int op = 0; op < OPS; op++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    unsigned choice = (unsigned)(x % 10);
    if ((choice < 5 || nlive == 0) && nlive < MAXLIVE) {
      /* Coarse times so that ties are frequent. */
      double t = now + (double)((x >> 8) % 16) * 0.25;
      uint32_t subject = (uint32_t)op;
      uint32_t prio = (uint32_t)((x >> 24) % 4);
      /* Either lane: the order must not depend on it. */
      uint32_t lane = (uint32_t)((x >> 32) % SIM_EVENT_LANES);
      sim_timer h = sim_events_schedule_in(&ev, lane, t, prio, 0, subject);
      live[nlive++] = (struct ref){t, prio, seq++, h, subject};
    } else if (choice < 7) {
      size_t k = (size_t)((x >> 16) % nlive);
      sim_events_cancel(&ev, live[k].timer);
      live[k] = live[--nlive];
    } else {
      size_t best = 0;
      for (size_t k = 1; k < nlive; k++)
        if (live[k].time < live[best].time ||
            (live[k].time == live[best].time &&
             (live[k].prio < live[best].prio ||
              (live[k].prio == live[best].prio && live[k].seq < live[best].seq))))
          best = k;
      struct sim_event e;
      assert_true(sim_events_next(&ev, &e));
      assert_int_equal(e.subject, live[best].subject);
      assert_true(e.time == live[best].time);
      now = e.time;
      live[best] = live[--nlive];
    }
    assert_int_equal(sim_events_pending(&ev), nlive);
  }
  sim_events_fini(&ev);
  free(live);
}

/* At equal times a lower priority comes first whatever the order of
 * scheduling; within a priority, first in first out. The order the
 * office relies on (docs/outputs.md): bookkeeping 0-2, staff 3,
 * customers 4. */
static void priorities_break_ties(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 2);
  const uint32_t prio[] = {4, 2, 4, 0, 3, 0, 1, 4};
  for (uint32_t i = 0; i < 8; i++)
    sim_events_schedule(&ev, 2.385, prio[i], 0, i);
  sim_events_schedule(&ev, 1.25, SIM_PRIORITY_MAX, 0, 8);
  const uint32_t expected[] = {8, 3, 5, 6, 1, 4, 0, 2, 7};
  struct sim_event e;
  for (int i = 0; i < 9; i++) {
    assert_true(sim_events_next(&ev, &e));
    assert_int_equal(e.subject, expected[i]);
  }
  assert_false(sim_events_next(&ev, &e));
  sim_events_fini(&ev);
}

/* A handle goes stale when its event fires: after the slot has been given
 * to a new event, cancelling the old handle must leave the new event
 * alone (in release builds; debug builds stop at the model's bug). */
static void stale_handle_cancels_nothing(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 16);
  sim_timer old = sim_events_schedule(&ev, 1.5, 4, 0, 1);
  struct sim_event e;
  assert_true(sim_events_next(&ev, &e));
  assert_false(sim_events_is_pending(&ev, old));
  sim_timer now = sim_events_schedule(&ev, 2.5, 4, 0, 2);
  assert_int_equal((uint32_t)now, (uint32_t)old);   /* same slot */
  assert_true(sim_events_is_pending(&ev, now));
  assert_false(sim_events_is_pending(&ev, SIM_TIMER_NONE));
#ifdef NDEBUG
  sim_events_cancel(&ev, old);
  assert_int_equal(sim_events_pending(&ev), 1);
  assert_true(sim_events_next(&ev, &e));
  assert_int_equal(e.subject, 2);
#endif
  sim_events_fini(&ev);
}

/* A popped event's slot is free at once, and the next event may take it
 * in another lane while the popped one still sits at its own lane's root:
 * cancelling the new event must find it in its own lane. */
static void cancel_finds_the_lane(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 16);
  sim_events_schedule_in(&ev, 0, 1.0, 4, 0, 1);
  sim_events_schedule_in(&ev, 0, 3.0, 4, 0, 3);
  struct sim_event e;
  assert_true(sim_events_next(&ev, &e));
  assert_int_equal(e.subject, 1);
  /* Lane 0's root is consumed; the new event reuses its slot, at place 0
   * of lane 1. */
  sim_timer t = sim_events_schedule_in(&ev, 1, 2.0, 4, 0, 2);
  sim_events_cancel(&ev, t);
  assert_false(sim_events_is_pending(&ev, t));
  assert_int_equal(sim_events_pending(&ev), 1);
  /* The consumed root is still replaced by the next event of its lane. */
  sim_events_schedule_in(&ev, 0, 2.5, 4, 0, 25);
  sim_events_schedule_in(&ev, 1, 2.75, 4, 0, 27);
  const uint32_t expected[] = {25, 27, 3};
  for (int i = 0; i < 3; i++) {
    assert_true(sim_events_next(&ev, &e));
    assert_int_equal(e.subject, expected[i]);
  }
  assert_false(sim_events_next(&ev, &e));
  sim_events_fini(&ev);
}

/* A cancel while a lane's root is consumed keeps the rest in order, and
 * the consumed root is still the one replaced. */
static void cancel_under_a_consumed_root(void **state)
{
  (void)state;
  struct sim_events ev;
  sim_events_init(&ev, 16);
  sim_timer h[8];
  for (uint32_t i = 0; i < 8; i++)
    h[i] = sim_events_schedule(&ev, 1.0 + i, 4, 0, i);
  struct sim_event e;
  assert_true(sim_events_next(&ev, &e));
  assert_int_equal(e.subject, 0);
  sim_events_cancel(&ev, h[1]);
  sim_events_cancel(&ev, h[6]);
  assert_int_equal(sim_events_pending(&ev), 5);
  sim_events_schedule(&ev, 4.5, 4, 0, 45);
  const uint32_t expected[] = {2, 3, 45, 4, 5, 7};
  for (int i = 0; i < 6; i++) {
    assert_true(sim_events_next(&ev, &e));
    assert_int_equal(e.subject, expected[i]);
  }
  assert_false(sim_events_next(&ev, &e));
  sim_events_fini(&ev);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(pops_in_time_order),
    cmocka_unit_test(equal_times_are_fifo),
    cmocka_unit_test(minus_zero_is_zero),
    cmocka_unit_test(cancelled_events_never_fire),
    cmocka_unit_test(cancel_and_reuse),
    cmocka_unit_test(matches_reference),
    cmocka_unit_test(priorities_break_ties),
    cmocka_unit_test(stale_handle_cancels_nothing),
    cmocka_unit_test(cancel_finds_the_lane),
    cmocka_unit_test(cancel_under_a_consumed_root),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
