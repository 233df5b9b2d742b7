/*
 * models/journeys.h — journeys grouped by what happened to them (journeys.csv): by number of
 * handoffs and by path, the compact trail a customer carries, and a
 * group's columns.
 */
#ifndef LOKET_MODELS_JOURNEYS_H
#define LOKET_MODELS_JOURNEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Journeys grouped by what happened to them (journeys.csv): raw sums, so
 * that groups can be joined (the paths beyond the most frequent become
 * "other"). Waits and sojourns are of the served, as in summary.csv. */
struct model_group {
  uint64_t customers, served, within, abandoned;
  double wait_sum, sojourn_sum, satisfaction_sum;
};

/* Journeys by their number of handoffs (routes and mid-service handoffs
 * alike, as model_journey.handoffs): 0, 1, 2, and 3 or more. */
enum { MODEL_HANDOFF_GROUPS = 4 };

/* A path is the sequence of departments a journey visited (a retry is not
 * a new visit), 4 bits a visit holding department + 1, the first visit in
 * the lowest bits: 0x321 is departments 0, 1, 2. Up to 15 visits of the
 * first 14 departments fit; any other path is MODEL_PATH_OTHER. */
#define MODEL_PATH_OTHER UINT64_MAX
enum { MODEL_PATH_VISITS = 15, MODEL_PATH_DEPARTMENTS = 14 };

/* A customer's record has room for one 64-bit word about where the
 * customer went: its "trail". In a model of at most 14 departments
 * (`coded`) the trail is the path code while it fits; at the 16th visit
 * it turns into the set of departments visited (bit d), marked by 0xF in
 * its top 4 bits, which no path code has there. With more departments it
 * is that set from the start (of the first 64 departments). Both the
 * path and the set can be read back from it. */
#define MODEL_TRAIL_SET (UINT64_C(0xF) << 60)

static inline uint64_t model_trail_set_of_path(uint64_t path)
{
  uint64_t set = 0;
  for (; path; path >>= 4)
    set |= UINT64_C(1) << ((path & 0xf) - 1);
  return set;
}

/* The trail after a new visit to department d. */
static inline uint64_t model_trail_visit(uint64_t trail, uint32_t d, bool coded)
{
  if (!coded)
    return d < 64 ? trail | UINT64_C(1) << d : trail;
  if ((trail & MODEL_TRAIL_SET) == MODEL_TRAIL_SET)
    return trail | UINT64_C(1) << d;
  /* The visits so far are its nonzero nibbles (department + 1 >= 1). */
  unsigned used = trail ? (unsigned)(63 - __builtin_clzll(trail)) / 4 + 1 : 0;
  if (used < MODEL_PATH_VISITS)
    return trail | (uint64_t)(d + 1) << (4 * used);
  return MODEL_TRAIL_SET | model_trail_set_of_path(trail) | UINT64_C(1) << d;
}

static inline uint64_t model_trail_path(uint64_t trail, bool coded)
{
  return coded && (trail & MODEL_TRAIL_SET) != MODEL_TRAIL_SET ? trail
                                                               : MODEL_PATH_OTHER;
}

/* Bit d: visited department d. */
static inline uint64_t model_trail_visited(uint64_t trail, bool coded)
{
  if (!coded)
    return trail;
  if ((trail & MODEL_TRAIL_SET) == MODEL_TRAIL_SET)
    return trail & ~MODEL_TRAIL_SET;
  return model_trail_set_of_path(trail);
}

struct model_path_group {
  uint64_t path;
  struct model_group group;
};

/* The distinct paths one replication keeps apart; the rest are counted as
 * MODEL_PATH_OTHER. */
enum { MODEL_PATHS_MAX = 4096 };

#define MODEL_JOURNEY_COLUMNS(X) \
  X(customers) X(served) X(service_level) X(wait_mean) X(sojourn_mean) \
  X(satisfaction_mean) X(abandoned)
#define MODEL_ENUM_JOURNEY(name) MODEL_JOURNEY_##name,
enum { MODEL_JOURNEY_COLUMNS(MODEL_ENUM_JOURNEY) MODEL_JOURNEY_NCOLS };
extern const char *const model_journey_columns[MODEL_JOURNEY_NCOLS + 1];

/* The columns of a group (docs/outputs.md, journeys.csv). */
void model_group_columns(const struct model_group *g, double *row);
/* Adds `from` to `into`. */
void model_group_merge(struct model_group *into, const struct model_group *from);

#endif
