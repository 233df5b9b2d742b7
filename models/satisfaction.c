#include "models/satisfaction.h"

#include "models/model.h"

void model_satisfaction_defaults(struct model_satisfaction *s,
                                 double units_per_minute)
{
  *s = (struct model_satisfaction){
    .base = 8.0,
    .no_wait_bonus = 1.5,
    .wait_max = 6.0,
    .wait_range = 30.0 * units_per_minute,
    .handoff = 1.5,
    .route = 0.0,
    .retrial = 1.0,
    .repeat = 1.0,
    .abandoned = 3.0,
    .balked = 4.0,
    .blocked = 2.0,
    .sent_away = 1.0,
  };
  model_satisfaction_prepare(s);
}

void model_satisfaction_prepare(struct model_satisfaction *s)
{
  s->wait_slope = s->wait_max / s->wait_range;
  s->ceiling[MODEL_SERVED] = 10;   /* the scale's top, for every outcome */
  s->ceiling[MODEL_ABANDONED] = s->abandoned;   /* each at most 10 (loader) */
  s->ceiling[MODEL_BALKED] = s->balked;
  s->ceiling[MODEL_BLOCKED] = s->blocked;
  s->ceiling[MODEL_SENT_AWAY] = s->sent_away;
}
