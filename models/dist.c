#include "models/dist.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "sim/check.h"
#include "sim/rng.h"

#define NEED(cond, param, ...)            \
  do {                                    \
    if (!(cond)) {                        \
      e->param_name = (param);            \
      snprintf(e->msg, sizeof e->msg, __VA_ARGS__); \
      return -1;                          \
    }                                     \
  } while (0)

static bool given(double x) { return !isnan(x); }

/* Draws must stay far from overflow: times add them up, and an infinite
 * draw turns every later time into NaN. MAX_DRAW bounds a distribution's
 * quantile at 1 - 1e-20 (TAIL_Z standard deviations of a normal, TAIL_E
 * means of an exponential), which no replication will exceed. */
#define MAX_DRAW 1e300
#define TAIL_Z 10.0
#define TAIL_E 46.0
/* A lognormal or gamma with sd/mean beyond this has nearly all its draws
 * near 0 and its mean in draws too rare to occur in any run: the samples
 * would not have the mean the scenario gives. */
#define MAX_CV 1000.0

/* The gamma's quantile at 1 - 1e-20, roughly (normal approximation for a
 * large shape, the exponential tail for a small one). */
static double gamma_tail(double shape, double scale)
{
  return scale * (shape + TAIL_Z * sqrt(shape) + TAIL_E);
}

/* Weibull mean for scale 1: Gamma(1 + 1/shape). */
static double weibull_unit_mean(double shape)
{
  return gsl_sf_gamma(1.0 + 1.0 / shape);
}

/* ---- one maker per distribution --------------------------------------
 * Each turns the parameters an analyst gives into the sampler's (d->a, b,
 * c) and the mean, or names the parameter at fault. */

static int make_exponential(struct model_dist *d, const struct model_dist_params *p,
                            struct model_dist_error *e)
{
  NEED(given(p->mean), NULL, "exponential needs 'mean'");
  NEED(p->mean > 0, "mean", "mean must be > 0, got %g", p->mean);
  NEED(p->mean * TAIL_E <= MAX_DRAW, "mean",
       "mean %g is too large: draws would not be finite numbers", p->mean);
  d->a = d->mean = p->mean;
  return 0;
}

static int make_deterministic(struct model_dist *d,
                              const struct model_dist_params *p,
                              struct model_dist_error *e)
{
  NEED(given(p->value), NULL, "deterministic needs 'value'");
  NEED(p->value >= 0, "value", "value must be >= 0, got %g", p->value);
  NEED(p->value <= MAX_DRAW, "value", "value must be at most %g, got %g",
       MAX_DRAW, p->value);
  d->a = d->mean = p->value;
  return 0;
}

static int make_uniform(struct model_dist *d, const struct model_dist_params *p,
                        struct model_dist_error *e)
{
  NEED(given(p->min) && given(p->max), NULL, "uniform needs 'min' and 'max'");
  NEED(p->min >= 0, "min", "min must be >= 0, got %g", p->min);
  NEED(p->max > p->min, "max", "max must be > min (%g), got %g", p->min, p->max);
  NEED(p->max <= MAX_DRAW, "max", "max must be at most %g, got %g", MAX_DRAW,
       p->max);
  d->a = p->min;
  d->b = p->max;
  d->mean = 0.5 * (p->min + p->max);
  return 0;
}

static int make_triangular(struct model_dist *d, const struct model_dist_params *p,
                           struct model_dist_error *e)
{
  NEED(given(p->min) && given(p->mode) && given(p->max), NULL,
       "triangular needs 'min', 'mode' and 'max'");
  NEED(p->min >= 0, "min", "min must be >= 0, got %g", p->min);
  NEED(p->max > p->min, "max", "max must be > min (%g), got %g", p->min, p->max);
  NEED(p->mode >= p->min && p->mode <= p->max, "mode",
       "mode must lie between min and max, got %g", p->mode);
  NEED(p->max <= MAX_DRAW, "max", "max must be at most %g, got %g", MAX_DRAW,
       p->max);
  d->a = p->min;
  d->b = p->mode;
  d->c = p->max;
  d->mean = (p->min + p->mode + p->max) / 3.0;
  return 0;
}

static int make_normal(struct model_dist *d, const struct model_dist_params *p,
                       struct model_dist_error *e)
{
  NEED(given(p->mean) && given(p->sd), NULL, "normal needs 'mean' and 'sd'");
  NEED(p->mean > 0, "mean", "mean must be > 0, got %g", p->mean);
  NEED(p->sd >= 0, "sd", "sd must be >= 0, got %g", p->sd);
  NEED(p->mean + TAIL_Z * p->sd <= MAX_DRAW, "sd",
       "mean %g and sd %g are too large: draws would not be finite numbers",
       p->mean, p->sd);
  d->a = p->mean;
  d->b = p->sd;
  /* Mean of the normal truncated at 0. */
  if (p->sd > 0) {
    double alpha = -p->mean / p->sd;
    double phi = exp(-0.5 * alpha * alpha) / sqrt(2 * 3.14159265358979323846);
    double tail = 0.5 * erfc(alpha / sqrt(2.0));
    d->mean = p->mean + p->sd * phi / tail;
  } else {
    d->mean = p->mean;
  }
  return 0;
}

/* lognormal and gamma: mean and sd of the duration itself. */
static int check_mean_sd(const char *name, const struct model_dist_params *p,
                         struct model_dist_error *e)
{
  NEED(given(p->mean) && given(p->sd), NULL, "%s needs 'mean' and 'sd'", name);
  NEED(p->mean > 0, "mean", "mean must be > 0, got %g", p->mean);
  NEED(p->sd > 0, "sd", "sd must be > 0, got %g", p->sd);
  NEED(p->sd <= MAX_CV * p->mean, "sd",
       "sd %g is too large for mean %g: with sd/mean above %g the %s's mean "
       "lies in draws too rare to occur", p->sd, p->mean, MAX_CV, name);
  return 0;
}

static int make_lognormal(struct model_dist *d, const struct model_dist_params *p,
                          struct model_dist_error *e)
{
  if (check_mean_sd("lognormal", p, e) != 0)
    return -1;
  double cv = p->sd / p->mean;
  double s2 = log1p(cv * cv);
  d->mean = p->mean;
  d->a = log(p->mean) - 0.5 * s2; /* zeta */
  d->b = sqrt(s2);                 /* sigma */
  NEED(isfinite(d->a) && d->a + TAIL_Z * d->b <= log(MAX_DRAW), "sd",
       "sd %g is too large for mean %g: the lognormal's draws would not be "
       "finite numbers", p->sd, p->mean);
  return 0;
}

static int make_gamma(struct model_dist *d, const struct model_dist_params *p,
                      struct model_dist_error *e)
{
  if (check_mean_sd("gamma", p, e) != 0)
    return -1;
  double cv = p->sd / p->mean;
  d->mean = p->mean;
  d->a = 1.0 / (cv * cv);          /* shape */
  d->b = p->mean / d->a;           /* scale */
  NEED(isfinite(d->a), "sd",
       "sd %g is too small for mean %g: the gamma's shape (mean/sd)^2 is not "
       "a finite number (a fixed duration is deterministic)", p->sd, p->mean);
  NEED(d->a > 0 && gamma_tail(d->a, d->b) <= MAX_DRAW, "sd",
       "sd %g is too large for mean %g: the gamma's draws would not be "
       "finite numbers", p->sd, p->mean);
  return 0;
}

static int make_erlang(struct model_dist *d, const struct model_dist_params *p,
                       struct model_dist_error *e)
{
  NEED(given(p->k) && given(p->mean), NULL, "erlang needs 'k' and 'mean'");
  NEED(p->k >= 1 && p->k == floor(p->k) && p->k <= 1e6, "k",
       "k must be a whole number >= 1, got %g", p->k);
  NEED(p->mean > 0, "mean", "mean must be > 0, got %g", p->mean);
  d->a = p->k;
  d->b = p->mean / p->k;
  d->mean = p->mean;
  NEED(gamma_tail(d->a, d->b) <= MAX_DRAW, "mean",
       "mean %g is too large: draws would not be finite numbers", p->mean);
  return 0;
}

static int make_weibull(struct model_dist *d, const struct model_dist_params *p,
                        struct model_dist_error *e)
{
  NEED(given(p->shape), NULL,
       "weibull needs 'shape' and one of 'mean' or 'scale'");
  NEED(p->shape > 0 && p->shape <= 1e3, "shape", "shape must be > 0, got %g",
       p->shape);
  NEED(given(p->mean) != given(p->scale), NULL,
       "weibull needs exactly one of 'mean' and 'scale'");
  const char *given_name = given(p->mean) ? "mean" : "scale";
  if (given(p->mean)) {
    NEED(p->mean > 0, "mean", "mean must be > 0, got %g", p->mean);
    d->a = p->mean / weibull_unit_mean(p->shape);
  } else {
    NEED(p->scale > 0, "scale", "scale must be > 0, got %g", p->scale);
    d->a = p->scale;
  }
  d->b = p->shape;
  d->mean = d->a * weibull_unit_mean(p->shape);
  NEED(isfinite(d->mean), "shape", "shape %g gives an infinite mean", p->shape);
  NEED(d->a > 0 && d->a * pow(TAIL_E, 1 / d->b) <= MAX_DRAW, "shape",
       "shape %g with %s %g gives draws that would not be finite numbers",
       p->shape, given_name, given(p->mean) ? p->mean : p->scale);
  return 0;
}

static int make_empirical(struct model_dist *d, const struct model_dist_params *p,
                          struct model_dist_error *e)
{
  NEED(p->nvalues > 0, NULL, "empirical needs at least one value");
  double sum = 0;
  for (size_t i = 0; i < p->nvalues; i++) {
    NEED(isfinite(p->values[i]) && p->values[i] >= 0, "values",
         "values must be finite and >= 0, got %g", p->values[i]);
    sum += p->values[i];
  }
  d->nvalues = p->nvalues;
  d->values = sim_xmalloc(p->nvalues * sizeof *d->values);
  memcpy(d->values, p->values, p->nvalues * sizeof *d->values);
  d->mean = sum / (double)p->nvalues;
  return 0;
}

/* ---- the table --------------------------------------------------------
 * A new distribution is a row here, its kind in dist.h and its draw in
 * model_dist_sample (kept a switch: it runs for every event). */
const struct model_dist_row model_dist_rows[MODEL_DIST_KINDS] = {
  [MODEL_DIST_EXPONENTIAL] = {"exponential", {"mean"}, make_exponential},
  [MODEL_DIST_DETERMINISTIC] = {"deterministic", {"value"}, make_deterministic},
  [MODEL_DIST_UNIFORM] = {"uniform", {"min", "max"}, make_uniform},
  [MODEL_DIST_TRIANGULAR] = {"triangular", {"min", "mode", "max"}, make_triangular},
  [MODEL_DIST_NORMAL] = {"normal", {"mean", "sd"}, make_normal},
  [MODEL_DIST_LOGNORMAL] = {"lognormal", {"mean", "sd"}, make_lognormal},
  [MODEL_DIST_GAMMA] = {"gamma", {"mean", "sd"}, make_gamma},
  [MODEL_DIST_ERLANG] = {"erlang", {"k", "mean"}, make_erlang},
  [MODEL_DIST_WEIBULL] = {"weibull", {"mean", "shape", "scale"}, make_weibull},
  [MODEL_DIST_EMPIRICAL] = {"empirical", {"values", "file"}, make_empirical},
};

int model_dist_kind_from_name(const char *name)
{
  for (int k = 0; k < MODEL_DIST_KINDS; k++)
    if (strcmp(name, model_dist_rows[k].name) == 0)
      return k;
  return -1;
}

struct model_dist_params model_dist_params_none(void)
{
  return (struct model_dist_params){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                                    NAN, NULL, 0};
}

double *model_dist_param(struct model_dist_params *p, const char *name)
{
  static const struct {
    const char *name;
    size_t offset;
  } slots[] = {
#define SLOT(f) {#f, offsetof(struct model_dist_params, f)}
    SLOT(mean), SLOT(sd), SLOT(value), SLOT(min), SLOT(max), SLOT(mode),
    SLOT(k), SLOT(shape), SLOT(scale),
#undef SLOT
  };
  for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
    if (strcmp(slots[i].name, name) == 0)
      return (double *)((char *)p + slots[i].offset);
  return NULL;
}

int model_dist_make(struct model_dist *d, enum model_dist_kind kind,
                    const struct model_dist_params *p,
                    struct model_dist_error *e)
{
  memset(d, 0, sizeof *d);
  d->kind = kind;
  e->param_name = NULL;
  e->msg[0] = '\0';
  sim_assert(kind < MODEL_DIST_KINDS);
  return model_dist_rows[kind].make(d, p, e);
}

void model_dist_fini(struct model_dist *d)
{
  free(d->values);
  d->values = NULL;
  d->nvalues = 0;
}

void model_dist_copy(struct model_dist *to, const struct model_dist *from)
{
  *to = *from;
  if (from->values) {
    to->values = sim_xmalloc(from->nvalues * sizeof *to->values);
    memcpy(to->values, from->values, from->nvalues * sizeof *to->values);
  }
}

double model_dist_sample_other(const struct model_dist *d, gsl_rng *r)
{
  switch (d->kind) {
  case MODEL_DIST_EXPONENTIAL:
    return sim_rng_exponential(r, d->a);
  case MODEL_DIST_DETERMINISTIC:
    return d->a;
  case MODEL_DIST_UNIFORM:
    return gsl_ran_flat(r, d->a, d->b);
  case MODEL_DIST_TRIANGULAR: {
    double u = gsl_rng_uniform(r), lo = d->a, mode = d->b, hi = d->c;
    double cut = (mode - lo) / (hi - lo);
    if (u < cut)
      return lo + sqrt(u * (hi - lo) * (mode - lo));
    return hi - sqrt((1 - u) * (hi - lo) * (hi - mode));
  }
  case MODEL_DIST_NORMAL:
    for (;;) {
      double x = d->a + gsl_ran_gaussian_ziggurat(r, d->b);
      if (x >= 0)
        return x;
    }
  case MODEL_DIST_LOGNORMAL:
    return gsl_ran_lognormal(r, d->a, d->b);
  case MODEL_DIST_GAMMA:
  case MODEL_DIST_ERLANG:
    return gsl_ran_gamma(r, d->a, d->b);
  case MODEL_DIST_WEIBULL:
    return gsl_ran_weibull(r, d->a, d->b);
  case MODEL_DIST_EMPIRICAL:
    return d->values[gsl_rng_uniform_int(r, d->nvalues)];
  case MODEL_DIST_KINDS:
    break;
  }
  sim_check_fail("known distribution kind", __FILE__, __LINE__);
}
