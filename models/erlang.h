/*
 * models/erlang.h — the steady-state formulas a workforce-management tool
 * staffs with: Erlang C (M/M/c, callers wait for ever) and Erlang A
 * (M/M/c+M, exponential patience).
 *
 * A queue is given by its arrival rate, its mean service time and, for
 * Erlang A, its mean patience, all in one time unit. The measures are
 * those loket reports (docs/outputs.md), so the formula and the simulation
 * can be compared column by column:
 *   service_level  share of arrivals whose service starts within `within`
 *                  (abandoned callers count against it)
 *   abandoned      share of arrivals that hang up before service
 *   wait_mean      mean wait of the callers who are served
 *   p_wait         share of arrivals that wait at all
 * For Erlang C with c <= offered load the queue grows without bound: the
 * service level is 0, the wait infinite (Erlang A is always stable).
 *
 * Erlang C is closed-form. Erlang A is computed on the birth-death chain of
 * the number in the system, truncated where its probabilities fall below
 * 1e-15 of the total, with the waits of a tagged arrival taken by
 * uniformisation of its own position in the queue (see erlang.c). Both are
 * pure functions: no state, safe on any thread.
 */
#ifndef LOKET_MODELS_ERLANG_H
#define LOKET_MODELS_ERLANG_H

#include <stdint.h>

struct model_erlang_queue {
  double rate;            /* arrivals per time unit */
  double service_mean;
  double patience_mean;   /* Erlang A only; INFINITY: Erlang C */
};

struct model_erlang_measures {
  double service_level, abandoned, wait_mean, p_wait;
};

/* What a plan must reach; a target that is NaN is not asked for. */
struct model_erlang_target {
  double within;          /* the service-level threshold */
  double service_level;   /* at least */
  double abandoned;       /* at most */
  double wait_mean;       /* at most */
};

/* The measures of the queue with c servers. */
void model_erlang_c(const struct model_erlang_queue *q, uint32_t c, double within,
                    struct model_erlang_measures *out);
void model_erlang_a(const struct model_erlang_queue *q, uint32_t c, double within,
                    struct model_erlang_measures *out);

/* True when the measures meet every given target; a queue that grows
 * without bound, or serves nobody, meets none. */
int model_erlang_meets(const struct model_erlang_measures *m,
                       const struct model_erlang_target *t);

/* The smallest c in [min_staff, max_staff] whose measures (Erlang A when
 * erlang_a, else Erlang C) meet the target; max_staff + 1 when none does.
 * No demand (rate 0) needs min_staff. */
uint32_t model_erlang_staff(const struct model_erlang_queue *q, int erlang_a,
                            const struct model_erlang_target *t,
                            uint32_t min_staff, uint32_t max_staff);

#endif
