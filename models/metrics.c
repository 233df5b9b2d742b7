#include "models/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "sim/check.h"

/* Departments from which their wait sketches are buffered (measured:
 * a tandem of 10 pays 37 instructions a visit more buffered, to save 0.45
 * L1 misses; one of 100, buffered, saves more than 2 misses of L2). */
#ifndef MODEL_BUFFERED_SKETCHES
#define MODEL_BUFFERED_SKETCHES 64
#endif

bool model_metrics_one_visit_journeys(const struct model *m)
{
  if (m->ndepartments != 1 || m->has_rework || m->departments[0].has_handoff)
    return false;
  for (size_t k = 0; k < m->nclasses; k++) {
    const struct model_visit *v = &m->departments[0].visit[k];
    if (v->nroutes > 0 || v->retrial)
      return false;
  }
  return true;
}

void model_metrics_init(struct model_metrics *mx, const struct model *m)
{
  memset(mx, 0, sizeof *mx);
  mx->model = m;
  mx->within = m->service_level_within;
  mx->dept_waits_are_journeys = model_metrics_one_visit_journeys(m);
  mx->journey_series = sim_xcalloc(m->nintervals + 1, sizeof *mx->journey_series);
  mx->after_work = sim_xcalloc(2 * m->ndepartments, sizeof *mx->after_work);
  if (m->has_rework)
    mx->repeats = sim_xcalloc(1 + m->ndepartments + m->nclasses, sizeof *mx->repeats);
  if (m->has_appointments)
    mx->appointments = sim_xcalloc(m->nclasses, sizeof *mx->appointments);
  if (m->npools) {
    mx->link_busy = sim_xcalloc(m->npool_links, sizeof *mx->link_busy);
    mx->link_served = sim_xcalloc(m->npool_links, sizeof *mx->link_served);
    mx->pool_staff = sim_xcalloc(m->npools, sizeof *mx->pool_staff);
    for (uint32_t l = 0; l < m->npool_links; l++)
      sim_timeavg_init(&mx->link_busy[l].level, 0.0, 0.0);
    for (size_t i = 0; i < m->npools; i++)
      sim_timeavg_init(&mx->pool_staff[i].level, 0.0, m->pools[i].staff);
  }
  sim_sketch_init(&mx->wait_sketch);
  /* The departments' metrics, then each one's series starting on a
   * cache line of its own: one line-aligned block (one allocation a
   * replication, however many departments). */
  size_t series_bytes = (m->nintervals + 1) * sizeof(struct model_interval);
  series_bytes = (series_bytes + 63) / 64 * 64;
  size_t dept_bytes = m->ndepartments * sizeof *mx->dept;
  char *block = sim_xcalloc_lines(1, dept_bytes + m->ndepartments * series_bytes);
  mx->dept = (struct model_dept_metrics *)block;
  mx->dept_series = block + dept_bytes;
  mx->series_bytes = series_bytes;
  for (size_t d = 0; d < m->ndepartments; d++) {
    struct model_dept_metrics *dm = &mx->dept[d];
    /* Many departments' sketches are filled in turn: buffered, their
     * adds do not each land on a cold line of a window (sim/stats.h).
     * With few, whose windows (some tens of KB each) stay in a core's
     * L2 cache together, buffering costs more instructions than the
     * misses it saves. */
    if (m->ndepartments >= MODEL_BUFFERED_SKETCHES)
      sim_sketch_init_buffered(&dm->wait_sketch);
    else
      sim_sketch_init(&dm->wait_sketch);
    sim_timeavg_init(&dm->level[MODEL_LEVEL_QUEUE], 0.0, 0.0);
    sim_timeavg_init(&dm->level[MODEL_LEVEL_BUSY], 0.0, 0.0);
    sim_timeavg_init(&dm->level[MODEL_LEVEL_STAFF], 0.0, m->departments[d].staff);
  }
  mx->by_path = m->ndepartments > 1;
  mx->trail_coded = m->ndepartments <= MODEL_PATH_DEPARTMENTS;
  mx->per_class = m->nclasses > 1;
  if (mx->per_class) {
    mx->cls = sim_xcalloc(m->nclasses, sizeof *mx->cls);
    for (size_t c = 0; c < m->nclasses; c++)
      sim_sketch_init(&mx->cls[c].wait_sketch);
  }
}

void model_metrics_end(struct model_metrics *mx)
{
  if (mx->per_class)
    for (size_t c = 0; c < mx->model->nclasses; c++)
      sim_sketch_merge(&mx->wait_sketch, &mx->cls[c].wait_sketch);
}

void model_metrics_fini(struct model_metrics *mx)
{
  sim_sketch_fini(&mx->wait_sketch);
  for (size_t d = 0; d < mx->model->ndepartments; d++)
    sim_sketch_fini(&mx->dept[d].wait_sketch);
  for (size_t c = 0; mx->per_class && c < mx->model->nclasses; c++)
    sim_sketch_fini(&mx->cls[c].wait_sketch);
  free(mx->dept);   /* and the departments' series: one block */
  free(mx->cls);
  free(mx->journey_series);
  free(mx->after_work);
  free(mx->repeats);
  free(mx->appointments);
  free(mx->link_busy);
  free(mx->link_served);
  free(mx->pool_staff);
  mx->link_busy = mx->pool_staff = NULL;
  mx->link_served = NULL;
  mx->repeats = NULL;
  mx->appointments = NULL;
  free(mx->paths);
  free(mx->path_slots);
  mx->paths = NULL;
  mx->path_slots = NULL;
  mx->journey_series = NULL;
  mx->after_work = NULL;
  mx->dept = NULL;
  mx->cls = NULL;
}

/* ---- journeys by path ------------------------------------------------------ */

static size_t slot_of(uint64_t path, size_t nslots)
{
  /* Fibonacci hashing: the top bits of the product mix every nibble. */
  return (size_t)((path * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (nslots - 1);
}

/* Doubles the table (rarely: at most log2(MODEL_PATHS_MAX) times a
 * replication, never in steady state). */
static void grow_slots(struct model_metrics *mx)
{
  size_t nslots = mx->nslots ? 2 * mx->nslots : 64;
  uint32_t *slots = sim_xmalloc(nslots * sizeof *slots);
  memset(slots, 0xff, nslots * sizeof *slots);
  for (size_t i = 0; i < mx->npaths; i++) {
    size_t k = slot_of(mx->paths[i].path, nslots);
    while (slots[k] != UINT32_MAX)
      k = (k + 1) & (nslots - 1);
    slots[k] = (uint32_t)i;
  }
  free(mx->path_slots);
  mx->path_slots = slots;
  mx->nslots = nslots;
}

static struct model_group *path_group(struct model_metrics *mx, uint64_t path)
{
  if (path == MODEL_PATH_OTHER)
    return &mx->path_other;
  if (2 * (mx->npaths + 1) > mx->nslots && mx->npaths < MODEL_PATHS_MAX)
    grow_slots(mx);
  size_t k = slot_of(path, mx->nslots);
  for (; mx->path_slots[k] != UINT32_MAX; k = (k + 1) & (mx->nslots - 1))
    if (mx->paths[mx->path_slots[k]].path == path)
      return &mx->paths[mx->path_slots[k]].group;
  if (mx->npaths == MODEL_PATHS_MAX)
    return &mx->path_other;
  if (mx->npaths == mx->paths_cap) {
    mx->paths_cap = mx->paths_cap ? 2 * mx->paths_cap : 32;
    mx->paths = sim_xrealloc(mx->paths, mx->paths_cap, sizeof *mx->paths);
  }
  mx->path_slots[k] = (uint32_t)mx->npaths;
  mx->paths[mx->npaths] = (struct model_path_group){.path = path};
  return &mx->paths[mx->npaths++].group;
}

void model_metrics_journey_groups(struct model_metrics *mx,
                                  const struct model_journey *j, double score)
{
  model_group_add(&mx->handoff_groups[j->handoffs < 3 ? j->handoffs : 3], j, score,
                  mx->within);
  if (mx->by_path)
    model_group_add(path_group(mx, j->path), j, score, mx->within);
}

static void snapshot(const struct model_dept_metrics *dm, double t, double *out)
{
  for (int k = 0; k < MODEL_LEVELS; k++)
    out[k] = sim_timeavg_area(&dm->level[k], t);
}

/* The pools' levels at t, into at_warmup (or at_close). */
static void snapshot_pools(struct model_metrics *mx, double t, bool close)
{
  const struct model *m = mx->model;
  for (uint32_t l = 0; mx->link_busy && l < m->npool_links; l++) {
    struct model_pool_level *v = &mx->link_busy[l];
    *(close ? &v->at_close : &v->at_warmup) = sim_timeavg_area(&v->level, t);
  }
  for (size_t i = 0; mx->pool_staff && i < m->npools; i++) {
    struct model_pool_level *v = &mx->pool_staff[i];
    *(close ? &v->at_close : &v->at_warmup) = sim_timeavg_area(&v->level, t);
  }
}

void model_metrics_warmup_end(struct model_metrics *mx, double t)
{
  for (size_t d = 0; d < mx->model->ndepartments; d++)
    snapshot(&mx->dept[d], t, mx->dept[d].at_warmup);
  snapshot_pools(mx, t, false);
}

void model_metrics_interval_end(struct model_metrics *mx, double t)
{
  for (size_t d = 0; d < mx->model->ndepartments; d++) {
    struct model_dept_metrics *dm = &mx->dept[d];
    double now[MODEL_LEVELS];
    snapshot(dm, t, now);
    struct model_interval *in = &model_dept_series(mx, d)[mx->interval];
    for (int k = 0; k < MODEL_LEVELS; k++) {
      in->area[k] = now[k] - dm->at_boundary[k];
      dm->at_boundary[k] = now[k];
    }
  }
  mx->interval++;
}

void model_metrics_close(struct model_metrics *mx, double t)
{
  for (size_t d = 0; d < mx->model->ndepartments; d++)
    snapshot(&mx->dept[d], t, mx->dept[d].at_close);
  snapshot_pools(mx, t, true);
  mx->closed = true;
}

void model_metrics_repeats_journey(struct model_metrics *mx,
                                   const struct model_journey *j)
{
  const struct model *m = mx->model;
  struct model_repeats *groups[2] = {&mx->repeats[0],
                                     &mx->repeats[1 + m->ndepartments + j->cls]};
  for (int g = 0; g < 2; g++) {
    groups[g]->journeys++;
    groups[g]->repeats += j->repeats;
    groups[g]->resolved += j->repeats == 0;
  }
  for (uint64_t v = j->visited; v; v &= v - 1) {
    struct model_repeats *r = &mx->repeats[1 + __builtin_ctzll(v)];
    r->journeys++;
    r->repeats += j->repeats;
    r->resolved += j->repeats == 0;
  }
}
