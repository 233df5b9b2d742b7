/*
 * models/load_pools.c — staff pools (pools.NAME): staff who serve several
 * departments beside the departments' own staff (docs/scenario.md,
 * "Pools"). Read after the departments, whose names `serves` gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

static bool read_pool_staff(struct loader *L, struct fy_node *n,
                            const struct field *f, void *base)
{
  (void)f;
  struct model_pool *p = base;
  return staff_value(L, n, &p->staff, &p->staff_schedule, &p->nstaff_steps);
}

#define POOL struct model_pool
static const struct field pool_rows[] = {
  ROW("staff", F_READ, ANY, 0, 0, POOL, staff, NO_FLAG, true, read_pool_staff,
      "members on duty, or a schedule of them"),
  REQUIRED_LATER("serves", "the departments the pool serves"),
  NUMBER("speed", POSITIVE, POOL, speed,
         "a member's pace: service times are divided by it"),
  NUMBER("cost_per_staff_hour", NONNEG, POOL, cost_per_staff_hour,
         "staff cost per hour"),
  LATER("order", "longest_waiting or serves: whom a free member takes"),
};
#undef POOL

/* serves: [DEPARTMENT, ...], each named once. */
static bool read_serves(struct loader *L, struct fy_node *list, struct model_pool *p)
{
  char where[160];
  snprintf(where, sizeof where, "serves of pool '%s'", p->name);
  if (!expect_sequence(L, list, where))
    return false;
  int count = fy_node_sequence_item_count(list);
  if (count == 0) {
    report(L, list, "pool '%s' must serve at least one department", p->name);
    return false;
  }
  const struct model *m = L->m;
  p->serves = sim_xcalloc((size_t)count, sizeof *p->serves);
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &iter))) {
    int d = department_index(L, item, "a department");
    if (d < 0)
      return false;
    if (strcmp(m->departments[d].name, "all") == 0) {
      report(L, item, "a pool cannot serve a department named 'all': pools.csv "
                      "names a pool's total so; rename the department");
      return false;
    }
    for (size_t k = 0; k < p->nserves; k++)
      if (p->serves[k] == (uint32_t)d) {
        report(L, item, "pool '%s' names department '%s' twice", p->name,
               m->departments[d].name);
        return false;
      }
    p->serves[p->nserves++] = (uint32_t)d;
  }
  return true;
}

static bool load_pool(struct loader *L, struct fy_node *node, struct model_pool *p)
{
  char where[160];
  snprintf(where, sizeof where, "pool '%s'", p->name);
  p->speed = 1.0;
  struct section sec;
  if (!section_read(L, node, where, ROWS(pool_rows), p, &sec) ||
      !read_serves(L, section_given(&sec, "serves"), p))
    return false;
  struct fy_node *order = section_given(&sec, "order");
  if (order) {
    static const char *const orders[] = {"longest_waiting", "serves", NULL};
    size_t k;
    if (!one_of(L, order, "order", orders, &k))
      return false;
    p->in_order = k == 1;
  }
  return true;
}

/* Numbers the (pool, department) links and gives each department the
 * links of the pools that serve it, in the pools' order. */
static void link_pools(struct model *m)
{
  uint32_t link = 0;
  for (size_t i = 0; i < m->npools; i++) {
    struct model_pool *p = &m->pools[i];
    p->first_link = link;
    for (size_t k = 0; k < p->nserves; k++) {
      struct model_department *dep = &m->departments[p->serves[k]];
      dep->pool_links = sim_xrealloc(dep->pool_links, dep->npool_links + 1,
                                     sizeof *dep->pool_links);
      dep->pool_links[dep->npool_links++] = link++;
    }
  }
  m->npool_links = link;
}

bool load_pools(struct loader *L, struct fy_node *pools)
{
  if (!pools)
    return true;
  struct model *m = L->m;
  if (!expect_mapping(L, pools, "pools"))
    return false;
  int count = fy_node_mapping_item_count(pools);
  m->pools = sim_xcalloc(count > 0 ? (size_t)count : 1, sizeof *m->pools);
  size_t links = 0;
  struct name_index names;
  name_index_init(&names, (size_t)count);
  bool ok = true;
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(pools, &iter))) {
    struct model_pool *p = &m->pools[m->npools];
    struct fy_node *key = fy_node_pair_key(pair);
    if (!key) {
      report(L, pools, "a pool needs a name");
      ok = false;
      break;
    }
    if (!(p->name = text_copy(L, key, "a pool name"))) {
      ok = false;
      break;
    }
    m->npools++;
    if (strchr(p->name, ':')) {   /* department names may hold one */
      report(L, key, "pool name '%s' contains ':': stats.csv names a pool's "
                     "departments pool:NAME:DEPARTMENT; rename the pool", p->name);
      ok = false;
      break;
    }
    if (name_index_add(&names, p->name, strlen(p->name), 0) != NAME_NONE) {
      report(L, key, "pool '%s' is named twice", p->name);   /* made by --set */
      ok = false;
      break;
    }
    if (!load_pool(L, fy_node_pair_value(pair), p)) {
      ok = false;
      break;
    }
    links += p->nserves;
  }
  name_index_fini(&names);
  if (ok && links > UINT32_MAX / 2) {
    report(L, pools, "the pools serve too many departments (%zu links)", links);
    ok = false;
  }
  if (ok)
    link_pools(m);
  return ok;
}
