/*
 * models/dist.h — probability distributions as analysts describe them.
 *
 * Scenarios give a distribution by its kind and the parameters people think
 * in (mean and sd rather than shape and scale). model_dist_make() converts
 * those to the parameters GSL's samplers use and checks them; the result is
 * plain data that model_dist_sample() draws from without allocating.
 *
 *   exponential   mean                      gsl_ran_exponential
 *   deterministic value
 *   uniform       min, max                  gsl_ran_flat
 *   triangular    min, mode, max            inverse CDF of a GSL uniform
 *   normal        mean, sd; truncated at 0  gsl_ran_gaussian, redrawn while < 0
 *   lognormal     mean, sd                  gsl_ran_lognormal
 *   gamma         mean, sd                  gsl_ran_gamma
 *   erlang        k, mean                   gsl_ran_gamma with integer shape
 *   weibull       mean and shape, or scale and shape   gsl_ran_weibull
 *   empirical     values (or a file of values), drawn with equal weight
 *
 * For the truncated normal, `mean` and `sd` are those of the normal before
 * truncation; mean > 0 is required, so at most half the draws are redrawn.
 */
#ifndef LOKET_MODELS_DIST_H
#define LOKET_MODELS_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "sim/rng.h"

enum model_dist_kind {
  MODEL_DIST_EXPONENTIAL,
  MODEL_DIST_DETERMINISTIC,
  MODEL_DIST_UNIFORM,
  MODEL_DIST_TRIANGULAR,
  MODEL_DIST_NORMAL,
  MODEL_DIST_LOGNORMAL,
  MODEL_DIST_GAMMA,
  MODEL_DIST_ERLANG,
  MODEL_DIST_WEIBULL,
  MODEL_DIST_EMPIRICAL,
  MODEL_DIST_KINDS
};

struct model_dist {
  enum model_dist_kind kind;
  double a, b, c;      /* sampler parameters, meaning depends on kind */
  double mean;         /* the distribution's mean (as sampled) */
  double *values;      /* empirical: owned by the model */
  size_t nvalues;
};

/* Parameters as given in a scenario; NaN means "not given". */
struct model_dist_params {
  double mean, sd, value, min, max, mode, k, shape, scale;
  const double *values;
  size_t nvalues;
};

/* What went wrong in model_dist_make: a message naming the parameter, and
 * the parameter's key (NULL when no one parameter is at fault, e.g. one is
 * missing), so the caller can point at it. */
struct model_dist_error {
  const char *param_name;
  char msg[256];
};

/* One row per kind: its name in scenarios, the keys it takes besides
 * `dist` (NULL-terminated; `values` and `file` are the empirical's list
 * and file, every other key a number in model_dist_params), and how those
 * become the sampler's parameters. */
#define MODEL_DIST_MAX_PARAMS 4

struct model_dist_row {
  const char *name;
  const char *params[MODEL_DIST_MAX_PARAMS + 1];
  int (*make)(struct model_dist *d, const struct model_dist_params *p,
              struct model_dist_error *e);
};

extern const struct model_dist_row model_dist_rows[MODEL_DIST_KINDS];

/* Returns the kind for a name, or -1. */
int model_dist_kind_from_name(const char *name);

/* Parameters with nothing given, and the slot of a number parameter by its
 * key (NULL for `values`, `file` and unknown keys). */
struct model_dist_params model_dist_params_none(void);
double *model_dist_param(struct model_dist_params *p, const char *name);

/* Builds a distribution. On a bad combination of parameters returns -1
 * and fills e; the caller adds the location. Empirical values are copied.
 * Parameters whose draws would not be finite numbers are refused (see
 * docs/scenario.md). */
int model_dist_make(struct model_dist *d, enum model_dist_kind kind,
                    const struct model_dist_params *p, struct model_dist_error *e);
void model_dist_fini(struct model_dist *d);
/* Deep copy (empirical values are duplicated). */
void model_dist_copy(struct model_dist *to, const struct model_dist *from);

/* A draw of any kind other than exponential (models/dist.c). */
double model_dist_sample_other(const struct model_dist *d, gsl_rng *r);

/* A draw. Exponential times are the common case (arrivals, most service
 * and patience times): they are drawn inline by the ziggurat, with no call
 * and no switch; every other kind goes through model_dist_sample_other.
 * Always inlined: GCC's heuristics otherwise made one shared copy of it,
 * and a service time a call. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline double model_dist_sample(const struct model_dist *d, gsl_rng *r)
{
  if (d->kind == MODEL_DIST_EXPONENTIAL)
    return sim_rng_exponential(r, d->a);
  return model_dist_sample_other(d, r);
}

#endif
