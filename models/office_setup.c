/*
 * models/office_setup.c — allocating and setting up one replication of the
 * office, and taking it down: the customer pool, the departments' queues,
 * streams and alias tables. Runs once per replication, outside the event
 * loop.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/office_state.h"
#include "sim/check.h"

void office_grow_pool(struct office *o)
{
  uint32_t old = o->ncustomers, cap = old ? old * 2 : 256;
  sim_assert(old <= UINT32_MAX / 2);
  o->customers = sim_xrealloc(o->customers, cap, sizeof *o->customers);
  if (o->model->has_rework)
    o->journeys = sim_xrealloc(o->journeys, cap, sizeof *o->journeys);
  if (o->model->has_appointments)
    o->slot_of = sim_xrealloc(o->slot_of, cap, sizeof *o->slot_of);
  if (o->passed_on_of)
    o->passed_on_of = sim_xrealloc(o->passed_on_of, cap, sizeof *o->passed_on_of);
  if (o->serial_of)
    o->serial_of = sim_xrealloc(o->serial_of, cap, sizeof *o->serial_of);
  for (uint32_t i = old; i < cap; i++)
    o->customers[i].next = i + 1 < cap ? i + 1 : NIL;
  o->free_customer = old;
  o->ncustomers = cap;
}

/* The class before k whose visit rule here has the same routes (and so
 * shares its table), or k itself. */
static size_t same_routes(const struct department *dp, size_t k)
{
  const struct model_visit *v = &dp->visit[k];
  for (size_t j = 0; j < k; j++)
    if (dp->visit[j].routes == v->routes && dp->visit[j].nroutes == v->nroutes)
      return j;
  return k;
}

/* The alias tables of a department's routes, one per distinct rule: the
 * routes' probabilities and, as the last outcome, leaving (what they leave
 * over; the loader checked that they add up to at most 1). Built only
 * where a route is drawn (fixed_route). The pointers, the tables and
 * their columns are one block, aligned to a cache line: with one class
 * and one route (pointer, table and two columns, 56 bytes) a route's draw
 * reads one line, with a few more two (freed by office_fini with the
 * pointers). */
static void build_route_tables(struct department *dp, size_t nclasses)
{
  size_t ncolumns = 0;
  for (size_t k = 0; k < nclasses; k++)
    if (dp->visit[k].nroutes > 0 && same_routes(dp, k) == k)
      ncolumns += dp->visit[k].nroutes + 1;
  size_t pointers = nclasses * sizeof *dp->route_table;
  size_t tables = nclasses * sizeof(struct sim_rng_alias);
  char *block = sim_xcalloc_lines(1, pointers + tables + ncolumns * sizeof(struct sim_rng_alias_column));
  dp->route_table = (const struct sim_rng_alias **)block;
  struct sim_rng_alias *own = (struct sim_rng_alias *)(block + pointers);
  struct sim_rng_alias_column *columns = (struct sim_rng_alias_column *)(block + pointers + tables);
  for (size_t k = 0; k < nclasses; k++) {
    const struct model_visit *v = &dp->visit[k];
    if (v->nroutes == 0)
      continue;
    size_t j = same_routes(dp, k);
    if (j < k) {
      dp->route_table[k] = dp->route_table[j];
      continue;
    }
    double *w = sim_xcalloc(v->nroutes + 1, sizeof *w), rest = 1.0;
    for (size_t i = 0; i < v->nroutes; i++) {
      w[i] = v->routes[i].p;
      rest -= w[i];
    }
    w[v->nroutes] = rest > 0 ? rest : 0;
    sim_rng_alias_init_in(&own[k], w, (uint32_t)v->nroutes + 1, columns);
    /* Each outcome's column holds its department (NIL: leaving), so a
     * route's draw reads no more than the table (route() in office.c). */
    for (size_t i = 0; i <= v->nroutes; i++)
      columns[i].value = i < v->nroutes ? v->routes[i].to : NIL;
    columns += v->nroutes + 1;
    dp->route_table[k] = &own[k];
    free(w);
  }
}

/* Departments' visit rules are copied next to their service and patience
 * distributions when a model has at most this many classes: a visit
 * reads a rule and its service distribution, from two places of the
 * model otherwise, and with many departments finds both cold. */
#define COPIED_RULES_CLASSES 8

/* The rules of a department, one per class, in one block aligned to a
 * cache line, followed by copies of their service and patience
 * distributions, which the copied rules point to: with one class the
 * rule and its service distribution's kind and first parameter share
 * one line. Copies only: an empirical distribution's values stay the
 * model's. Freed by office_fini. */
static const struct model_visit *copy_rules(const struct model_visit *rules,
                                            size_t nclasses)
{
  size_t bytes = nclasses * (sizeof *rules + 2 * sizeof(struct model_dist));
  char *block = sim_xcalloc_lines(1, bytes);
  struct model_visit *copy = (struct model_visit *)(void *)block;
  struct model_dist *dists = (struct model_dist *)(void *)(block + nclasses * sizeof *rules);
  for (size_t k = 0; k < nclasses; k++) {
    copy[k] = rules[k];
    dists[2 * k] = *rules[k].service;
    copy[k].service = &dists[2 * k];
    if (rules[k].patience) {
      dists[2 * k + 1] = *rules[k].patience;
      copy[k].patience = &dists[2 * k + 1];
    }
  }
  return copy;
}

/* Where every customer goes after service at the department when chance
 * has no say (struct department): for every class no route (leave), or
 * one route of probability 1, all to the same place. Else ROUTE_DRAWN. A
 * fixed route draws nothing, which changes no result: such a draw always
 * gives the same answer, and the routing stream serves nothing else. */
static uint32_t fixed_route(const struct department *dp, size_t nclasses)
{
  uint32_t to = ROUTE_DRAWN;
  for (size_t k = 0; k < nclasses; k++) {
    const struct model_visit *v = &dp->visit[k];
    uint32_t here;
    if (v->nroutes == 0)
      here = NIL;
    else if (v->nroutes == 1 && v->routes[0].p == 1.0)
      here = v->routes[0].to;
    else
      return ROUTE_DRAWN;
    if (k > 0 && here != to)
      return ROUTE_DRAWN;
    to = here;
  }
  return to;
}

/* A department's streams, seeded only for what its rules use. A stream's
 * numbers come from (seed, replication, stream) alone, so leaving one
 * unseeded changes nothing in the others, and a model with a thousand
 * departments and no patience, balking, retrials, routes or handoffs
 * seeds a thousand streams per replication instead of six thousand. An
 * unseeded stream stays zeroed (its state pointer NULL): a draw from one
 * would be a bug here, and crashes rather than returning numbers. */
static void seed_streams(struct department *dp, size_t nclasses, uint64_t seed,
                         uint32_t rep, uint32_t d)
{
  bool patience = false, balking = false, retrial = false, routes = false;
  for (size_t k = 0; k < nclasses; k++) {
    patience |= dp->visit[k].patience != NULL;
    balking |= dp->visit[k].balking != NULL;
    retrial |= dp->visit[k].retrial != NULL;
  }
  routes = dp->route_fixed == ROUTE_DRAWN;
  sim_rng_init(&dp->service_rng, seed, rep, MODEL_STREAM_SERVICE + d);
  if (patience)
    sim_rng_init(&dp->patience_rng, seed, rep, MODEL_STREAM_PATIENCE + d);
  if (routes)
    sim_rng_init(&dp->routing_rng, seed, rep, MODEL_STREAM_ROUTING + d);
  if (balking)
    sim_rng_init(&dp->balking_rng, seed, rep, MODEL_STREAM_BALKING + d);
  if (retrial)
    sim_rng_init(&dp->retrial_rng, seed, rep, MODEL_STREAM_RETRIAL + d);
  if (dp->def->has_handoff)
    sim_rng_init(&dp->handoff_rng, seed, rep, MODEL_STREAM_HANDOFF + d);
}

void office_init(struct office *o, const struct model *m, uint64_t seed,
                 uint32_t rep)
{
  *o = (struct office){
    .model = m, .priority_level = m->priority_level, .warmup = m->warmup,
    .free_customer = NIL, .day = DAY_OPEN,
    .max_customers = m->max_customers ? m->max_customers : MAX_CUSTOMERS_DEFAULT,
  };
  sim_events_init(&o->events, 64);
  model_metrics_init(&o->metrics, m);
  office_grow_pool(o);
  o->dept = sim_xcalloc_lines(m->ndepartments, sizeof *o->dept);
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    struct department *dp = &o->dept[d];
    dp->def = &m->departments[d];
    dp->visit = m->nclasses <= COPIED_RULES_CLASSES ?
        copy_rules(dp->def->visit, m->nclasses) : dp->def->visit;
    dp->staff = dp->def->staff;
    dp->capacity = dp->def->capacity;
    dp->has_handoff = dp->def->has_handoff;
    /* With one priority level the queue is in the department's first
     * line, and with up to 64 the bitmap; with more, the bitmap and the
     * queues are one block, so that joining or leaving a queue touches
     * one cache line of it, not two. */
    if (m->npriorities == 1) {
      dp->levels_waiting = &dp->levels1;
      dp->queues = &dp->queue1;
    } else {
      size_t words = m->npriorities <= 64 ? 0 : (m->npriorities + 63) / 64;
      char *block = sim_xcalloc(1, words * sizeof *dp->levels_waiting +
                                       m->npriorities * sizeof *dp->queues);
      dp->levels_waiting = words ? (uint64_t *)block : &dp->levels1;
      dp->queues = (struct queue *)(block + words * sizeof *dp->levels_waiting);
    }
    for (uint32_t l = 0; l < m->npriorities; l++)
      dp->queues[l].head = dp->queues[l].tail = NIL;
    dp->route_fixed = fixed_route(dp, m->nclasses);
    if (dp->route_fixed == ROUTE_DRAWN)
      build_route_tables(dp, m->nclasses);
    seed_streams(dp, m->nclasses, seed, rep, d);
  }
  bool handoffs = false;
  for (uint32_t d = 0; d < m->ndepartments; d++)
    handoffs |= m->departments[d].has_handoff;
  if (handoffs)
    o->passed_on_of = sim_xcalloc(o->ncustomers, sizeof *o->passed_on_of);
  o->customer_extras = m->has_rework || m->has_appointments || handoffs;
  o->wrap_up_rng = sim_xcalloc(m->ndepartments, sizeof *o->wrap_up_rng);
  o->coordination_rng = sim_xcalloc(m->ndepartments, sizeof *o->coordination_rng);
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    const struct model_department *def = &m->departments[d];
    bool coordination = def->has_handoff && def->handoff.has_coordination;
    if (def->has_wrap_up)
      sim_rng_init(&o->wrap_up_rng[d], seed, rep, MODEL_STREAM_WRAP_UP + d);
    if (coordination)
      sim_rng_init(&o->coordination_rng[d], seed, rep, MODEL_STREAM_COORDINATION + d);
    o->after_work |= def->has_wrap_up || coordination;
  }
  if (m->has_rework) {
    o->rework_rng = sim_xcalloc(m->ndepartments, sizeof *o->rework_rng);
    for (uint32_t d = 0; d < m->ndepartments; d++)
      if (m->departments[d].rework_rule)
        sim_rng_init(&o->rework_rng[d], seed, rep, MODEL_STREAM_REWORK + d);
  }
  if (m->npools) {
    o->pools = sim_xcalloc(m->npools, sizeof *o->pools);
    o->link_pool = sim_xcalloc(m->npool_links, sizeof *o->link_pool);
    o->link_busy = sim_xcalloc(m->npool_links, sizeof *o->link_busy);
    o->link_waiting = sim_xcalloc((m->npool_links + 63) / 64, sizeof *o->link_waiting);
    for (uint32_t i = 0; i < m->npools; i++) {
      o->pools[i] = (struct pool){.def = &m->pools[i], .staff = m->pools[i].staff};
      for (size_t k = 0; k < m->pools[i].nserves; k++)
        o->link_pool[m->pools[i].first_link + k] = i;
    }
  }
  o->slow_free = o->after_work || o->pools;
  o->arrivals = sim_xcalloc(m->narrivals, sizeof *o->arrivals);
  for (uint32_t i = 0; i < m->narrivals; i++)
    sim_rng_init(&o->arrivals[i].rng, seed, rep, MODEL_STREAM_ARRIVALS + i);
  if (m->nclasses > 1) {   /* one class needs no draw (draw_class) */
    sim_rng_init(&o->class_rng, seed, rep, MODEL_STREAM_CLASS);
    double *shares = sim_xcalloc(m->nclasses, sizeof *shares);
    for (size_t k = 0; k < m->nclasses; k++)
      shares[k] = m->classes[k].share;
    sim_rng_alias_init(&o->class_table, shares, (uint32_t)m->nclasses);
    free(shares);
  }
}

void office_pool_links_waiting(struct office *o, uint32_t d, bool waiting)
{
  const struct model_department *def = o->dept[d].def;
  for (size_t k = 0; k < def->npool_links; k++) {
    uint32_t link = def->pool_links[k];
    uint64_t bit = UINT64_C(1) << (link % 64);
    if (waiting)
      o->link_waiting[link / 64] |= bit;
    else
      o->link_waiting[link / 64] &= ~bit;
  }
}

#ifndef NDEBUG
/* The office's invariants between two events, checked after every event
 * in builds with debug checks (sim_assert_debug). The one that pools rest
 * on (models/office_pools.h): a customer waits at a department only while
 * its own staff and every member of every pool that serves it are busy
 * (or cut); and the bookkeeping of who waits and who is busy agrees with
 * itself. O(departments + pool links) per event, so models with more than
 * a few hundred of them are not checked (the debug build would become
 * quadratic in them). */
bool office_consistent(const struct office *o)
{
  const struct model *m = o->model;
  if (m->ndepartments + m->npool_links > 512)
    return true;
  for (uint32_t i = 0; i < m->npools; i++) {
    const struct model_pool *def = o->pools[i].def;
    uint64_t busy = 0;
    for (size_t k = 0; k < def->nserves; k++)
      busy += o->link_busy[def->first_link + k];
    if (busy != o->pools[i].busy)
      return false;
  }
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    const struct department *dp = &o->dept[d];
    bool waiting = dp->waiting > 0;
    for (uint32_t l = 0; l < m->npriorities; l++) {
      bool bit = (dp->levels_waiting[l / 64] >> (l % 64)) & 1;
      if (bit != (dp->queues[l].head != NIL))
        return false;
    }
    if (waiting && (o->day == DAY_CUT || dp->busy < dp->staff))
      return false;
    for (size_t k = 0; k < dp->def->npool_links; k++) {
      uint32_t link = dp->def->pool_links[k];
      const struct pool *p = &o->pools[o->link_pool[link]];
      if (waiting && p->busy < p->staff)
        return false;
      if (((o->link_waiting[link / 64] >> (link % 64)) & 1) != waiting)
        return false;
    }
  }
  return true;
}
#endif

void office_fini(struct office *o)
{
  const struct model *m = o->model;
  for (uint32_t d = 0; d < m->ndepartments; d++) {
    struct department *dp = &o->dept[d];
    free(dp->route_table);      /* and the tables and columns: one block */
    if (dp->visit != dp->def->visit)
      free((void *)dp->visit);    /* copy_rules' block */
    if (dp->levels_waiting != &dp->levels1)
      free(dp->levels_waiting);   /* and queues: one block */
    else if (dp->queues != &dp->queue1)
      free(dp->queues);
  }
  if (o->class_table.n)
    sim_rng_alias_fini(&o->class_table);
  for (uint32_t i = 0; i < m->narrivals; i++) {
    free(o->arrivals[i].times);
    free(o->arrivals[i].slots);
  }
  free(o->arrivals);
  free(o->wrap_up_rng);
  free(o->coordination_rng);
  free(o->rework_rng);
  free(o->pools);
  free(o->link_pool);
  free(o->link_busy);
  free(o->link_waiting);
  free(o->journeys);
  free(o->slot_of);
  free(o->serial_of);
  free(o->passed_on_of);
  free(o->dept);
  free(o->customers);
  model_metrics_fini(&o->metrics);
  sim_events_fini(&o->events);
}
