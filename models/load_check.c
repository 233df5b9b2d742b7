/*
 * models/load_check.c — checks of the model as a whole, once every section
 * is read: customers can leave, waiting customers can be served; and the
 * warnings of model_scenario_warnings (models/scenario.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "models/scenario.h"
#include "sim/check.h"

/* ---- errors --------------------------------------------------------------- */

/* The edges of class c into each department: a route d -> to of p > 0
 * while d's handoff is not certain (weight (1 - h) p, h the handoff's
 * probability), and d's handoff (weight h). Department to's come from
 * from[first[to]] .. from[first[to + 1] - 1], in increasing order of d,
 * with their weights (used by check_exits and traffic). */
struct in_edges {
  size_t *first;      /* ndepartments + 1 */
  uint32_t *from;
  double *weight;
};

/* Edge i of department dep for class c's rule v (i < v->nroutes: the
 * route; i == v->nroutes: the handoff): whether it is one (see struct
 * in_edges), and its target and weight. */
static bool edge_of(const struct model_department *dep, const struct model_visit *v,
                    size_t i, size_t *to, double *w)
{
  double handoff = dep->has_handoff ? dep->handoff.p : 0;
  if (i < v->nroutes) {
    *to = v->routes[i].to;
    *w = (1 - handoff) * v->routes[i].p;
    return handoff < 1 && v->routes[i].p > 0;
  }
  *to = dep->handoff.to;   /* the handoff, after the routes */
  *w = handoff;
  return handoff > 0;
}

/* With e->from NULL, counts the edges into first[to + 1]; else places
 * them at from[first[to]++]. */
static void place_in_edges(const struct model *m, size_t c, struct in_edges *e)
{
  for (size_t d = 0; d < m->ndepartments; d++) {
    const struct model_department *dep = &m->departments[d];
    const struct model_visit *v = &dep->visit[c];
    size_t to;
    double w;
    for (size_t i = 0; i <= v->nroutes; i++) {
      if (!edge_of(dep, v, i, &to, &w))
        continue;
      if (!e->from) {
        e->first[to + 1]++;
      } else {
        e->weight[e->first[to]] = w;
        e->from[e->first[to]++] = (uint32_t)d;
      }
    }
  }
}

static void in_edges_init(struct in_edges *e, const struct model *m, size_t c)
{
  size_t n = m->ndepartments;
  *e = (struct in_edges){.first = sim_xcalloc(n + 1, sizeof *e->first)};
  place_in_edges(m, c, e);
  for (size_t d = 0; d < n; d++)
    e->first[d + 1] += e->first[d];
  e->from = sim_xcalloc(e->first[n] + 1, sizeof *e->from);
  e->weight = sim_xcalloc(e->first[n] + 1, sizeof *e->weight);
  place_in_edges(m, c, e);
  /* Placing advanced each first[to] to where the next one's start. */
  for (size_t d = n; d > 0; d--)
    e->first[d] = e->first[d - 1];
  e->first[0] = 0;
}

static void in_edges_fini(struct in_edges *e)
{
  free(e->first);
  free(e->from);
  free(e->weight);
}

/* Every department must let customers of every class leave eventually, or
 * a replication would never end: some probability must exit, directly or
 * further on. A department exits when, with handoff probability h (0
 * without a handoff), h < 1 and its routes add up to less than 1, or h < 1
 * and a route of p > 0 leads to a department that exits, or h > 0 and the
 * handoff does. Found backwards from the departments that exit directly,
 * along those edges reversed (each department and edge once per class):
 * a sweep over all departments until nothing changes took one sweep per
 * department of a chain, quadratic in its length. */
bool check_exits(struct loader *L)
{
  const struct model *m = L->m;
  size_t n = m->ndepartments;
  bool *exits = sim_xcalloc(n, sizeof *exits);
  uint32_t *todo = sim_xcalloc(n + 1, sizeof *todo);
  bool ok = true;
  for (size_t c = 0; c < m->nclasses && ok; c++) {
    memset(exits, 0, n * sizeof *exits);
    struct in_edges e;
    in_edges_init(&e, m, c);
    size_t ntodo = 0;
    for (size_t d = 0; d < n; d++) {
      const struct model_department *dep = &m->departments[d];
      const struct model_visit *v = &dep->visit[c];
      double handoff = dep->has_handoff ? dep->handoff.p : 0;
      double sum = 0;
      for (size_t i = 0; i < v->nroutes; i++)
        sum += v->routes[i].p;
      if (handoff < 1 && sum < 1 - 1e-9) {
        exits[d] = true;
        todo[ntodo++] = (uint32_t)d;
      }
    }
    while (ntodo > 0) {
      uint32_t to = todo[--ntodo];
      for (size_t k = e.first[to]; k < e.first[to + 1]; k++)
        if (!exits[e.from[k]]) {
          exits[e.from[k]] = true;
          todo[ntodo++] = e.from[k];
        }
    }
    in_edges_fini(&e);
    for (size_t d = 0; d < m->ndepartments && ok; d++) {
      const struct model_department *dep = &m->departments[d];
      struct fy_node *node = L->department_nodes[d];
      if (exits[d])
        continue;
      if (dep->has_handoff && dep->handoff.p >= 1)
        report(L, lookup(lookup(node, "handoff"), "p"),
               "customers can never leave department '%s': every service there "
               "ends in a handoff (p = 1) to departments they cannot leave "
               "either", dep->name);
      else
        report(L, lookup(node, "routes"),
               "customers can never leave department '%s': its routes add up to "
               "1 and lead only to departments they cannot leave either",
               dep->name);
      ok = false;
    }
  }
  free(exits);
  free(todo);
  return ok;
}

/* The pool of link `link`: the last whose first link is at or before it
 * (the pools' links are numbered in order), by bisection, since a
 * scenario may have thousands of pools. */
static const struct model_pool *pool_of_link(const struct model *m, uint32_t link)
{
  size_t lo = 0, hi = m->npools;   /* pools[lo].first_link <= link < pools[hi]'s */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->pools[mid].first_link <= link)
      lo = mid;
    else
      hi = mid;
  }
  return &m->pools[lo];
}

/* The most staff of a number or a schedule of them. */
static double most_staff(uint32_t staff, const struct model_step *steps, size_t nsteps)
{
  double most = staff;
  for (size_t i = 0; i < nsteps; i++)
    most = fmax(most, steps[i].value);
  return most;
}

/* Some pool with staff at some time serves department d. */
static bool pool_staffed(const struct model *m, const struct model_department *dep)
{
  for (size_t k = 0; k < dep->npool_links; k++) {
    const struct model_pool *p = pool_of_link(m, dep->pool_links[k]);
    if (most_staff(p->staff, p->staff_schedule, p->nstaff_steps) > 0)
      return true;
  }
  return false;
}

/* A department without staff all day (its own or a pool's), where some
 * class has no patience and there is room to wait, would hold its
 * customers until the end of the replication: almost certainly a
 * mistake. */
bool check_staffed(struct loader *L)
{
  const struct model *m = L->m;
  for (size_t d = 0; d < m->ndepartments; d++) {
    const struct model_department *dep = &m->departments[d];
    if (most_staff(dep->staff, dep->staff_schedule, dep->nstaff_steps) > 0 ||
        dep->capacity == 0 || pool_staffed(m, dep))
      continue;
    for (size_t c = 0; c < m->nclasses; c++)
      if (!dep->visit[c].patience) {
        report(L, lookup(L->department_nodes[d], "staff"),
               "department '%s' has no staff, no patience and room to wait: "
               "its customers would wait forever", dep->name);
        return false;
      }
  }
  return true;
}

/* ---- warnings ------------------------------------------------------------- */

/* The traffic equations are solved by repeated substitution (traffic);
 * they converge geometrically (every department lets customers leave, as
 * the loader checks), slowly only for loops that customers almost never
 * leave. */
#define MAX_PASSES 10000
#define MAX_WORK 1e8
#define TOLERANCE 1e-9
#define SHARED_WORK 1e7

/* Arrivals per time unit of a stream, averaged over the day. */
static double mean_rate(const struct model *m, const struct model_arrival *a)
{
  switch (a->kind) {
  case MODEL_ARRIVAL_RATE:
    return a->rate;
  case MODEL_ARRIVAL_SCHEDULE: {
    double sum = 0;
    for (size_t i = 0; i < a->nsteps; i++) {
      double end = i + 1 < a->nsteps ? a->schedule[i + 1].at : m->horizon;
      sum += a->schedule[i].value * (end - a->schedule[i].at);
    }
    return sum / m->horizon;
  }
  case MODEL_ARRIVAL_TRACE:
    return (double)a->ntimes / m->horizon;
  case MODEL_ARRIVAL_APPOINTMENTS: {
    const struct model_appointments *ap = &a->appointments;
    double slots = floor((ap->to - ap->from) / ap->every + 1e-9) + 1;
    return slots * ap->per_slot * (1 - ap->no_show) / m->horizon;
  }
  }
  return 0;
}

/* The departments in an order in which every department comes after
 * those it is reached from, as far as loops allow (Kahn's algorithm;
 * those in or after a loop follow in their own order): order[0 .. n-1]. */
static void upstream_first(const struct model *m, size_t c, const struct in_edges *e,
                           uint32_t *order)
{
  size_t n = m->ndepartments, head = 0, tail = 0, next_unplaced = 0;
  size_t *unseen = sim_xcalloc(n + 1, sizeof *unseen);   /* edges in, not yet placed */
  bool *placed = sim_xcalloc(n + 1, sizeof *placed);
  for (size_t d = 0; d < n; d++) {
    unseen[d] = e->first[d + 1] - e->first[d];
    if (unseen[d] == 0) {
      order[tail++] = (uint32_t)d;
      placed[d] = true;
    }
  }
  for (;;) {
    for (; head < tail; head++) {
      const struct model_department *dep = &m->departments[order[head]];
      const struct model_visit *v = &dep->visit[c];
      size_t to;
      double w;
      for (size_t i = 0; i <= v->nroutes; i++) {
        if (!edge_of(dep, v, i, &to, &w))
          continue;
        if (!placed[to] && --unseen[to] == 0) {
          order[tail++] = (uint32_t)to;
          placed[to] = true;
        }
      }
    }
    if (tail == n)
      break;
    /* A loop: its first department not placed goes next (placed only
     * grows, so the search goes on from where it stopped). */
    while (placed[next_unplaced])
      next_unplaced++;
    order[tail++] = (uint32_t)next_unplaced;
    placed[next_unplaced] = true;
  }
  free(unseen);
  free(placed);
}

/* The arrival rate of class c into every department (external arrivals
 * plus routes and handoffs from the others): lambda = external + lambda P,
 * false when the passes ran out before it settled (a loop that customers
 * almost never leave: lambda is then too low),
 * by Gauss-Seidel passes over the departments upstream first, each taking
 * the rates into it as they stand. Without loops the first pass is exact
 * (the sums are added in the same order as one substitution at a time
 * would) and the second only confirms it; a pass that substituted all
 * departments at once needed a pass per department of a chain. */
static bool traffic(const struct model *m, size_t c, double *lambda,
                    double *external)
{
  bool settled = false;
  size_t nd = m->ndepartments;
  memset(external, 0, nd * sizeof *external);
  for (size_t i = 0; i < m->narrivals; i++) {
    const struct model_arrival *a = &m->arrivals[i];
    double share = a->cls < 0 ? m->classes[c].share : a->cls == (int32_t)c;
    external[a->to] += share * mean_rate(m, a);
  }
  struct in_edges e;
  in_edges_init(&e, m, c);
  uint32_t *order = sim_xcalloc(nd + 1, sizeof *order);
  upstream_first(m, c, &e, order);
  size_t edges = nd + e.first[nd];
  memcpy(lambda, external, nd * sizeof *lambda);
  for (size_t pass = 0; pass < MAX_PASSES && (double)pass * (double)edges < MAX_WORK;
       pass++) {
    double change = 0, largest = 0;
    for (size_t k = 0; k < nd; k++) {
      uint32_t d = order[k];
      double next = external[d];
      for (size_t j = e.first[d]; j < e.first[d + 1]; j++)
        next += lambda[e.from[j]] * e.weight[j];
      change = fmax(change, fabs(next - lambda[d]));
      largest = fmax(largest, next);
      lambda[d] = next;
    }
    if (change <= TOLERANCE * largest) {
      settled = true;
      break;
    }
  }
  free(order);
  in_edges_fini(&e);
  return settled;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
  if (*used >= len)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *used, len - *used, fmt, ap);
  va_end(ap);
  *used = n < 0 ? len : *used + (size_t)n;
}


/* A pool's most members, counted at their pace. */
static double pool_capacity(const struct model_pool *p)
{
  return most_staff(p->staff, p->staff_schedule, p->nstaff_steps) * p->speed;
}

/* A pool's members are shared by the departments it serves: each may be
 * within what its own staff and its pools can do while together they are
 * not. For each pool, the departments it serves that have room to wait
 * (two or more, none warned of already) against their own staff and every
 * member of every pool that serves any of them: more capacity than they
 * can have, so a load beyond it is a queue that grows. Returns the
 * warnings added. */
static size_t shared_pool_warnings(const struct model *m, const char *path,
                                   const double *load, const bool *warned,
                                   char *buf, size_t len, size_t *used)
{
  size_t count = 0;
  /* counted[q] == i + 1: pool q's members are in pool i's capacity. */
  size_t *counted = sim_xcalloc(m->npools ? m->npools : 1, sizeof *counted);
  /* The work is the links of the departments of every pool, which many
   * pools serving the same departments make quadratic: past SHARED_WORK
   * (a few tenths of a second) the remaining pools are not checked. */
  double work = 0;
  for (size_t i = 0; i < m->npools; i++) {
    const struct model_pool *p = &m->pools[i];
    double demand = 0, capacity = 0;
    size_t open = 0;
    bool skip = false;
    for (size_t k = 0; k < p->nserves; k++)
      work += (double)m->departments[p->serves[k]].npool_links + 1;
    if (work > SHARED_WORK)
      break;
    for (size_t k = 0; k < p->nserves && !skip; k++) {
      const struct model_department *dep = &m->departments[p->serves[k]];
      if (dep->capacity != MODEL_UNLIMITED)
        continue;   /* its queue is bounded, and its staff serve only it */
      skip = warned[p->serves[k]];
      open++;
      demand += load[p->serves[k]];
      capacity += most_staff(dep->staff, dep->staff_schedule, dep->nstaff_steps);
      for (size_t j = 0; j < dep->npool_links; j++) {
        const struct model_pool *q = pool_of_link(m, dep->pool_links[j]);
        size_t qi = (size_t)(q - m->pools);
        if (counted[qi] != i + 1)
          capacity += pool_capacity(q);
        counted[qi] = i + 1;
      }
    }
    if (skip || open < 2 || !(demand > 0) || demand < capacity * (1 - 1e-12))
      continue;
    count++;
    append(buf, len, used, "%s: warning: pool '%s': offered load %.3g at the "
           "departments it serves %s their own staff and every member of the "
           "pools that serve them (%.3g at their pace); the queue grows without "
           "bound unless customers abandon\n", path, p->name, demand,
           demand > capacity * (1 + 1e-12) ? "exceeds" : "equals", capacity);
  }
  free(counted);
  return count;
}

size_t model_scenario_warnings(const struct model *m, const char *path,
                               char *buf, size_t len)
{
  size_t nd = m->ndepartments, count = 0, used = 0;
  if (len > 0)
    buf[0] = '\0';
  double *load = sim_xcalloc(nd, sizeof *load);
  double *lambda = sim_xcalloc(nd, sizeof *lambda);
  double *external = sim_xcalloc(nd, sizeof *external);
  bool unsettled = false;
  size_t looped = 0;   /* the department of most visits where they did not settle */
  for (size_t c = 0; c < m->nclasses; c++) {
    if (!traffic(m, c, lambda, external)) {
      if (!unsettled)
        for (size_t d = 0; d < nd; d++)
          if (lambda[d] > lambda[looped])
            looped = d;
      unsettled = true;
    }
    for (size_t d = 0; d < nd; d++) {
      const struct model_department *dep = &m->departments[d];
      double handoff = dep->has_handoff ? dep->handoff.p : 0;
      /* A server's holding time: the service or the part before a
       * handoff, then the wrap-up and a handoff's coordination. */
      double work = (1 - handoff) * dep->visit[c].service->mean +
                    (handoff > 0 ? handoff * dep->handoff.after.mean : 0) +
                    (dep->has_wrap_up ? dep->wrap_up.mean : 0) +
                    (handoff > 0 && dep->handoff.has_coordination ?
                         handoff * dep->handoff.coordination.mean : 0);
      load[d] += lambda[d] * work;
    }
  }
  if (unsettled) {
    count++;
    append(buf, len, &used, "%s: warning: department '%s': customers come back to it "
           "(by routes or handoffs adding up to nearly 1) so often that their "
           "visits do not settle: a journey may take millions of visits and the "
           "run a very long time, and the offered loads below are too low\n",
           path, m->departments[looped].name);
  }
  bool *warned = sim_xcalloc(nd ? nd : 1, sizeof *warned);
  for (size_t d = 0; d < nd; d++) {
    const struct model_department *dep = &m->departments[d];
    if (dep->capacity != MODEL_UNLIMITED || !(load[d] > 0))
      continue; /* a full waiting room blocks: the queue is bounded */
    double staff = most_staff(dep->staff, dep->staff_schedule, dep->nstaff_steps);
    /* Pools may add at most all their members, at their pace. */
    double pooled = 0;
    for (size_t k = 0; k < dep->npool_links; k++)
      pooled += pool_capacity(pool_of_link(m, dep->pool_links[k]));
    if (load[d] < (staff + pooled) * (1 - 1e-12))
      continue;
    warned[d] = true;
    count++;
    append(buf, len, &used, "%s: warning: department '%s': offered load %.3g "
           "%s its %.0f staff%s; the queue grows without bound unless "
           "customers abandon\n", path, dep->name, load[d],
           load[d] > (staff + pooled) * (1 + 1e-12) ? "exceeds" : "equals",
           staff, dep->npool_links ? " and all of its pools' members" : "");
  }
  count += shared_pool_warnings(m, path, load, warned, buf, len, &used);
  free(warned);
  free(load);
  free(lambda);
  free(external);
  return count;
}
