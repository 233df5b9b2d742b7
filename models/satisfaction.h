/*
 * models/satisfaction.h — a customer's satisfaction with the whole journey.
 *
 * A score from 0 to 10, computed when a journey ends, from what the
 * customer lived through. docs/satisfaction.md gives the formula, the
 * reasoning behind each term and every default:
 *
 *   served:  S = base + bonus [no wait at all]
 *                - wait_max min(1, max(0, W - expect) / wait_range)
 *                - handoff x handoffs - route x routes
 *                - retrial x retrials - repeat x repeats
 *   lost:    the same, but at most the outcome's ceiling
 *            (abandoned, balked, blocked, sent_away)
 *   and S is clamped to [0, 10].
 *
 * W is the total time spent waiting in queues; `expect` is the wait the
 * customer's class expects. A handoff is being sent on mid-service ("not
 * my department"), the failure the score is about; a route is a planned
 * next step after service, by default free; a repeat is coming back
 * because the question was not settled (rework).
 */
#ifndef LOKET_MODELS_SATISFACTION_H
#define LOKET_MODELS_SATISFACTION_H

#include <stdint.h>

struct model_satisfaction {
  double base;          /* a journey as expected */
  double no_wait_bonus; /* served without waiting at all (the red carpet) */
  double wait_max;      /* most points lost to waiting beyond expectation */
  double wait_range;    /* time units beyond `expect` that cost wait_max */
  double handoff;       /* points per mid-service handoff */
  double route;         /* points per planned route (also back to the same department) */
  double retrial;       /* points per extra attempt */
  double repeat;        /* points per repeat contact (rework) */
  double abandoned, balked, blocked, sent_away;  /* ceilings when lost */
  /* Derived by model_satisfaction_prepare: */
  double wait_slope;    /* wait_max / wait_range */
  double ceiling[5];    /* by enum model_outcome; 10 for served */
};

/* The defaults of docs/satisfaction.md, with times in minutes converted to
 * the scenario's unit (units_per_minute: 1/60 for hours, 60 for seconds). */
void model_satisfaction_defaults(struct model_satisfaction *s,
                                 double units_per_minute);

/* The score of one journey (see the formula above). `outcome` is an enum
 * model_outcome (models/model.h), 0 for served. Inline: it runs for every
 * customer. */
static inline double model_satisfaction_score(const struct model_satisfaction *s,
                                              int outcome, double wait,
                                              double expect, uint32_t handoffs,
                                              uint32_t routes, uint32_t retrials,
                                              uint32_t repeats)
{
  double score = s->base;
  double excess = wait - expect;
  if (outcome == 0 && wait <= 0)
    score += s->no_wait_bonus;
  if (excess > 0)
    score -= excess >= s->wait_range ? s->wait_max : s->wait_slope * excess;
  /* Most journeys have none of these: subtracting 0 changes no score
   * (the weights are finite), so it is skipped. */
  if (handoffs | routes | retrials)
    score -= s->handoff * handoffs + s->route * routes + s->retrial * retrials;
  /* Apart, so that a caller with no repeats (a constant 0) pays nothing:
   * 0 x repeat is not folded away in IEEE arithmetic. */
  if (repeats > 0)
    score -= s->repeat * repeats;
  if (score > s->ceiling[outcome])
    score = s->ceiling[outcome];
  return score < 0 ? 0 : score;
}

/* Fills the derived fields; call after changing any parameter. */
void model_satisfaction_prepare(struct model_satisfaction *s);

/* Groups of scores as in the Net Promoter Score: the score rounded to a
 * whole number; 0-6 low, 7-8 middle, 9-10 high. */
enum model_satisfaction_group { MODEL_SATISFACTION_LOW, MODEL_SATISFACTION_MID,
                                MODEL_SATISFACTION_HIGH };

static inline enum model_satisfaction_group model_satisfaction_group_of(double score)
{
  /* Rounding half up: round(S) <= 6 exactly when S < 6.5. */
  return score < 6.5 ? MODEL_SATISFACTION_LOW
       : score < 8.5 ? MODEL_SATISFACTION_MID : MODEL_SATISFACTION_HIGH;
}

#endif
