/*
 * models/model.h — a validated scenario as plain data.
 *
 * The scenario loader (models/scenario.h) turns a YAML file into a struct
 * model: every name is resolved to an index, every value is checked and in
 * the scenario's time unit, and every default is filled in. The simulation
 * only reads it, so one model serves any number of replications on any
 * number of threads at once.
 */
#ifndef LOKET_MODELS_MODEL_H
#define LOKET_MODELS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/dist.h"

#define MODEL_UNLIMITED UINT64_MAX

struct model_route {
  uint32_t to;        /* department index */
  double p;
};

struct model_department {
  char *name;
  uint32_t staff;
  struct model_dist service;
  uint64_t capacity;            /* waiting places; MODEL_UNLIMITED if absent */
  bool has_patience;            /* the most specific patience that applies */
  struct model_dist patience;
  struct model_route *routes;   /* after service; the rest exit */
  size_t nroutes;
  double cost_per_staff_hour;
};

struct model_arrival {
  uint32_t to;        /* department index */
  double rate;        /* per time unit, Poisson */
};

struct model_class {
  char *name;
  double share;
};

struct model {
  char *name;
  char *time_unit;              /* "seconds", "minutes" or "hours" */
  double units_per_hour;        /* 3600, 60 or 1 */
  double horizon;               /* arrivals stop; doors close */
  double warmup;                /* customers arriving before are not counted */
  uint32_t replications;
  uint64_t seed;
  double service_level_within;
  struct model_arrival *arrivals;
  size_t narrivals;
  struct model_department *departments;
  size_t ndepartments;
  struct model_class *classes;  /* at least one */
  size_t nclasses;
};

void model_free(struct model *m);

#endif
