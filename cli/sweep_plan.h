/*
 * cli/sweep_plan.h — what a sweep folder is for: sweep-plan.csv.
 *
 * The plan names the varied parameters and their values (the points), the
 * replications and the seed, and pins what the results depend on: a hash
 * of the scenario file's text, the --set overrides in order, and a hash of
 * every point's loaded model (models/model_hash.h), which covers the
 * files the scenario reads. It is written once, by the first run into a
 * folder; every later run (another shard, a resumed sweep, an MPI rank)
 * must bring the same plan, or it is refused with a message saying what
 * changed, so results of two different scenarios are never averaged.
 *
 * The file is a CSV of key,value rows (docs/outputs.md):
 *   format,2          the version of the plan and the journals
 *   replications,R    seed,S
 *   scenario,HEX      model,HEX        16 hexadecimal digits each
 *   set,PATH=VALUE    one row per --set, in order
 *   variant,NAME      a named variant, followed by its overrides:
 *   variant_set,PATH=VALUE   one row per override, in order
 *   vary,PATH         a varied parameter, followed by its values:
 *   value,V           one row per value, in order
 *
 * Variants are points like any value: in memory they are the first axis,
 * named "variant" (SWEEP_VARIANT_AXIS), whose values are the variants'
 * names, so that they vary slowest and sweep.csv starts with a `variant`
 * column; a point of variant v applies variants[v].sets instead of
 * "variant=NAME".
 */
#ifndef LOKET_CLI_SWEEP_PLAN_H
#define LOKET_CLI_SWEEP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/model.h"

/* Version of sweep-plan.csv and of the journals' rows. 1 was the plan
 * without a version (loket 0.1), 2 the journals without the plan's
 * identity; their folders are refused. */
#define SWEEP_FORMAT 3

/* At most this many points, and points x replications (tasks). */
#define SWEEP_MAX_POINTS 1000000
#define SWEEP_MAX_TASKS 100000000

#define SWEEP_VARIANT_AXIS "variant"

struct sweep_plan {
  struct model_axis *axes;      /* with variants, axes[0] is theirs */
  size_t naxes;
  struct model_variant *variants;
  size_t nvariants;
  size_t npoints;
  size_t replications;
  uint64_t seed;
  uint64_t scenario_hash;
  uint64_t model_hash;
  char **sets;
  size_t nsets;
};

void sweep_plan_fini(struct sweep_plan *p);
/* Makes the variants' axis the first of p->axes (call once, after the
 * variants and the other axes are in place). */
void sweep_plan_add_variant_axis(struct sweep_plan *p);
/* The points: the product of the axes' value counts, checked against
 * SWEEP_MAX_POINTS and SWEEP_MAX_TASKS. 0, or -1 with a message. */
int sweep_plan_count(struct sweep_plan *p, char *err, size_t errlen);
/* The value index of each axis at a point (the first axis varies slowest). */
size_t sweep_plan_value(const struct sweep_plan *p, size_t point, size_t axis);

/* Reads DIR/sweep-plan.csv, validating every row. 0, or -1 with a message
 * (absent: errno is ENOENT). */
int sweep_plan_read(struct sweep_plan *p, const char *dir, char *err, size_t errlen);
/* Writes DIR/sweep-plan.csv (complete or absent). 0 or -1. */
int sweep_plan_write(const struct sweep_plan *p, const char *dir, char *err,
                     size_t errlen);
/* The identity of the sweep of DIR: a hash of its sweep-plan.csv as
 * written, which every journal row carries, so that a row of another
 * sweep (a journal copied from another folder, or left from a plan that
 * was deleted and written anew) is never taken for this one's. 0, or -1
 * with a message. */
int sweep_plan_identity(const char *dir, uint64_t *id, char *err, size_t errlen);
/* true if `have` (the folder's) and `want` (this run's) are one sweep;
 * otherwise false and a message saying what differs. */
bool sweep_plan_same(const struct sweep_plan *have, const struct sweep_plan *want,
                     const char *dir, char *err, size_t errlen);

#endif
