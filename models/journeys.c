/*
 * models/journeys.c — a group of journeys: joining groups and their
 * columns (journeys.csv).
 */
#include "models/journeys.h"

#include <math.h>

static double ratio(double num, double den)
{
  return den > 0 ? num / den : NAN;
}

void model_group_merge(struct model_group *into, const struct model_group *from)
{
  into->customers += from->customers;
  into->served += from->served;
  into->within += from->within;
  into->abandoned += from->abandoned;
  into->wait_sum += from->wait_sum;
  into->sojourn_sum += from->sojourn_sum;
  into->satisfaction_sum += from->satisfaction_sum;
}

static double ratio(double num, double den);

void model_group_columns(const struct model_group *g, double *row)
{
  row[MODEL_JOURNEY_customers] = (double)g->customers;
  row[MODEL_JOURNEY_served] = (double)g->served;
  row[MODEL_JOURNEY_service_level] = ratio((double)g->within, (double)g->customers);
  row[MODEL_JOURNEY_wait_mean] = ratio(g->wait_sum, (double)g->served);
  row[MODEL_JOURNEY_sojourn_mean] = ratio(g->sojourn_sum, (double)g->served);
  row[MODEL_JOURNEY_satisfaction_mean] =
      ratio(g->satisfaction_sum, (double)g->customers);
  row[MODEL_JOURNEY_abandoned] = (double)g->abandoned;
}

