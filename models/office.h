/*
 * models/office.h — one replication of a service organisation.
 *
 * Customers arrive (Poisson, a schedule of rates, or a trace), join a
 * department's queue (one FIFO per priority level), are served by its staff
 * (constant or on a schedule), may balk at a long queue, abandon when their
 * patience runs out, be blocked by a full waiting room and try again later,
 * be sent on mid-service ("not my department") and are routed on after
 * service until they leave. A server may stay busy after its customer has
 * left (wrap-up, the coordination of a handoff), and a customer whose
 * question was not settled comes back later (rework). Events are dispatched by a
 * switch over their type; customers live in a pool that grows by doubling
 * and is recycled, so the steady-state loop allocates nothing.
 *
 * Random streams (see sim/rng.h), one per purpose, so that changing one part
 * of a model leaves the draws of the others untouched:
 *   arrival stream i          MODEL_STREAM_ARRIVALS   + i
 *   department d's service    MODEL_STREAM_SERVICE    + d
 *   patience at department d  MODEL_STREAM_PATIENCE   + d
 *   routing after d           MODEL_STREAM_ROUTING    + d
 *   class of arriving customers  MODEL_STREAM_CLASS
 *   balking at department d   MODEL_STREAM_BALKING    + d
 *   retrials after d          MODEL_STREAM_RETRIAL    + d (decision and delay)
 *   handoffs from d           MODEL_STREAM_HANDOFF    + d (decision, time, delay)
 *   wrap-up at d              MODEL_STREAM_WRAP_UP    + d
 *   coordination of handoffs from d  MODEL_STREAM_COORDINATION + d
 *   rework after d            MODEL_STREAM_REWORK     + d (decision and delay)
 */
#ifndef LOKET_MODELS_OFFICE_H
#define LOKET_MODELS_OFFICE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/metrics.h"
#include "models/model.h"

enum {
  MODEL_STREAM_ARRIVALS = 1u << 16,
  MODEL_STREAM_SERVICE = 2u << 16,
  MODEL_STREAM_PATIENCE = 3u << 16,
  MODEL_STREAM_ROUTING = 4u << 16,
  MODEL_STREAM_CLASS = 5u << 16,
  MODEL_STREAM_BALKING = 6u << 16,
  MODEL_STREAM_RETRIAL = 7u << 16,
  MODEL_STREAM_HANDOFF = 8u << 16,
  MODEL_STREAM_WRAP_UP = 9u << 16,
  MODEL_STREAM_COORDINATION = 10u << 16,
  MODEL_STREAM_REWORK = 11u << 16,
};

/* Runs replication `replication` (0-based) of the model with streams from
 * `seed` and fills *result (initialised by the caller with
 * model_result_init). Returns 0, or 1 when the replication could not run
 * to its end (result->error says why: too many customers in the system at
 * once, see model.max_customers); the result rows are then not filled. */
int model_office_run(const struct model *m, uint64_t seed, uint32_t replication,
                     struct model_result *result);

/* True when the model is plain: one department whose journeys are one
 * visit (no handoff, route, retrial or rework), at most 64 priority
 * levels, no pools, appointments or wrap-up. Such a model takes an event
 * loop compiled for it, where the tests for what it never has are folded
 * away: of one class and one level, one loop with a trace and one
 * without; of several classes, one without (traced, it takes the general
 * loop). Its results and its trace are the same to the bit as the
 * general loop's (tests/test_office.c). */
bool model_office_plain(const struct model *m);

/* The same, handing every counted journey to `sink` as it ends. */
int model_office_run_traced(const struct model *m, uint64_t seed,
                            uint32_t replication, struct model_result *result,
                            struct model_journey_sink sink);
/* The same in the loop for any model, plain or not: for the tests that
 * hold the plain loops to it. */
int model_office_run_general(const struct model *m, uint64_t seed,
                             uint32_t replication, struct model_result *result,
                             struct model_journey_sink sink);

#endif
