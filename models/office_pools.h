/*
 * models/office_pools.h — staff pools: members who serve several
 * departments beside the departments' own staff (struct model_pool). Which
 * pool serves an arriving customer, whom a free member takes, and the
 * members' busy count. Out of line (MODEL_NOINLINE): only scenarios with
 * pools call them, and the event loop of the others stays as it was.
 * Internal to the office (models/office.c); no other file includes it.
 *
 * The invariant that makes it simple: a customer waits at a department
 * only while its own staff and every member of a pool that serves it are
 * busy (or cut), because a server who becomes free takes the next
 * customer at once.
 */
#ifndef LOKET_MODELS_OFFICE_POOLS_H
#define LOKET_MODELS_OFFICE_POOLS_H

#include "models/office_queues.h"
#include "models/office_state.h"
#include "sim/check.h"

/* The link of the first pool serving department d with a member free,
 * or NIL. */
MODEL_NOINLINE static uint32_t pool_link_free(const struct office *o, uint32_t d)
{
  const struct model_department *def = o->dept[d].def;
  for (size_t k = 0; k < def->npool_links; k++) {
    uint32_t link = def->pool_links[k];
    const struct pool *p = &o->pools[o->link_pool[link]];
    if (p->busy < p->staff)
      return link;
  }
  return NIL;
}

/* A member of the link's pool starts (busy + 1) or ends (busy - 1) work
 * at the link's department. */
MODEL_NOINLINE static void pool_busy(struct office *o, uint32_t link, int change)
{
  struct pool *p = &o->pools[o->link_pool[link]];
  p->busy = (uint32_t)((int)p->busy + change);
  o->link_busy[link] = (uint32_t)((int)o->link_busy[link] + change);
  model_metrics_pool_busy(&o->metrics, link, o->events.now, o->link_busy[link]);
}

#ifndef NDEBUG
/* What pool_take_waiting must find, by looking at every department the
 * pool serves rather than at the bitmap: the check of the bitmap in
 * builds with debug checks. */
static uint32_t pool_next_by_scan(const struct office *o, uint32_t i, uint32_t *link)
{
  const struct model_pool *def = o->pools[i].def;
  uint32_t best = NIL;
  for (size_t k = 0; k < def->nserves; k++) {
    uint32_t id = next_waiting(o, def->serves[k], false);
    if (id != NIL && (best == NIL || o->customers[id].queued_at < o->customers[best].queued_at)) {
      best = id;
      *link = def->first_link + (uint32_t)k;
      if (def->in_order)
        break;
    }
  }
  return best;
}
#endif

/* The customer a free member of pool i takes, unlinked from its queue,
 * with the link in *link; NIL when nobody waits at the departments it
 * serves. Each department's next customer is by its own priorities; among
 * those, the one who has waited longest in its queue (ties: the first in
 * serves), or with `order: serves` the first department's. Only the
 * departments with a queue are looked at (the set bits of the pool's
 * links in o->link_waiting), so a pool that serves many departments costs
 * what their queues hold, not their number. */
MODEL_NOINLINE static uint32_t pool_take_waiting(struct office *o, uint32_t i,
                                                 uint32_t *link)
{
  const struct model_pool *def = o->pools[i].def;
  uint32_t first = def->first_link, end = first + (uint32_t)def->nserves;
  uint32_t best = NIL;
  for (uint32_t w = first / 64; w <= (end - 1) / 64; w++) {
    uint64_t bits = o->link_waiting[w];
    if (w == first / 64)
      bits &= ~UINT64_C(0) << (first % 64);
    if (w == (end - 1) / 64 && end % 64)
      bits &= ~(~UINT64_C(0) << (end % 64));
    for (; bits; bits &= bits - 1) {
      uint32_t l = w * 64 + (uint32_t)__builtin_ctzll(bits);
      uint32_t d = def->serves[l - first];
      sim_assert_debug(o->dept[d].waiting > 0);
      uint32_t id = next_waiting(o, d, false);
      if (best == NIL || o->customers[id].queued_at < o->customers[best].queued_at) {
        best = id;
        *link = l;
      }
      if (def->in_order)
        goto take;   /* the first department in serves with a queue */
    }
  }
take:;
#ifndef NDEBUG
  uint32_t scan_link = NIL;
  sim_assert_debug(pool_next_by_scan(o, i, &scan_link) == best &&
                   (best == NIL || scan_link == *link));
#endif
  if (best != NIL)
    unlink_waiting(o, best, false);
  return best;
}

#endif
