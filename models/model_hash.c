#include "models/model_hash.h"

#include <math.h>
#include <string.h>

/* model_hash() must fold every field that changes a result. When a struct
 * of models/model.h grows, these fail to compile: add the new field below
 * (or say here why it changes no result), then update the size. Checked on
 * the usual 64-bit ABI only. */
#if defined(__x86_64__) || defined(__aarch64__)
#define SIZE_IS(type, bytes) \
  _Static_assert(sizeof(type) == (bytes), #type " changed: update models/model_hash.c")
SIZE_IS(struct model, 640);
SIZE_IS(struct model_department, 664);
SIZE_IS(struct model_pool, 80);
SIZE_IS(struct model_arrival, 136);
SIZE_IS(struct model_appointments, 72);
SIZE_IS(struct model_class, 256);
SIZE_IS(struct model_dist, 56);
SIZE_IS(struct model_satisfaction, 144);
SIZE_IS(struct model_staffing, 96);
SIZE_IS(struct model_shift, 80);
SIZE_IS(struct model_class_settings, 296);
SIZE_IS(struct model_handoff, 192);
SIZE_IS(struct model_retrial, 64);
SIZE_IS(struct model_rework, 80);
SIZE_IS(struct model_balking, 16);
SIZE_IS(struct model_route, 16);
SIZE_IS(struct model_step, 16);
SIZE_IS(struct model_variant, 24);
#endif
/* Left out on purpose: m->axes and m->variants (the scenario's sweep:
 * block, which a sweep's plan records itself; a variant's values reach the
 * hash through the model they load), and m->currency and m->labels, which
 * only name things on figures. */

uint64_t model_hash_bytes(uint64_t h, const void *bytes, size_t n)
{
  const unsigned char *p = bytes;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* Values are folded by their meaning, not their memory layout (no padding
 * bytes): doubles by their bits (one NaN, no -0), strings with their
 * length. */
static uint64_t u64(uint64_t h, uint64_t x)
{
  return model_hash_bytes(h, &x, sizeof x);
}

static uint64_t num(uint64_t h, double x)
{
  if (isnan(x))
    x = NAN;
  if (x == 0)
    x = 0;
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return u64(h, bits);
}

static uint64_t str(uint64_t h, const char *s)
{
  if (!s)
    return u64(h, UINT64_MAX);
  size_t n = strlen(s);
  return model_hash_bytes(u64(h, n), s, n);
}

static uint64_t dist(uint64_t h, const struct model_dist *d)
{
  h = u64(h, (uint64_t)d->kind);
  h = num(num(num(num(h, d->a), d->b), d->c), d->mean);
  h = u64(h, d->nvalues);
  for (size_t i = 0; i < d->nvalues; i++)
    h = num(h, d->values[i]);
  return h;
}

static uint64_t balking(uint64_t h, const struct model_balking *b)
{
  return num(u64(h, b->above), b->p);
}

static uint64_t retrial(uint64_t h, const struct model_retrial *r)
{
  return dist(num(h, r->p), &r->after);
}

static uint64_t rework(uint64_t h, bool given, const struct model_rework *r)
{
  h = u64(h, given);
  return u64(dist(num(num(h, r->p), r->per_handoff), &r->after), r->to);
}

static uint64_t routes(uint64_t h, const struct model_route *r, size_t n)
{
  h = u64(h, n);
  for (size_t i = 0; i < n; i++)
    h = num(u64(h, r[i].to), r[i].p);
  return h;
}

static uint64_t steps(uint64_t h, const struct model_step *s, size_t n)
{
  h = u64(h, n);
  for (size_t i = 0; i < n; i++)
    h = num(num(h, s[i].at), s[i].value);
  return h;
}

static uint64_t department(uint64_t h, const struct model *m,
                           const struct model_department *d)
{
  h = str(h, d->name);
  h = u64(h, d->staff);
  h = steps(h, d->staff_schedule, d->staff_schedule ? d->nstaff_steps : 0);
  h = dist(h, &d->service);
  h = u64(h, d->capacity);
  h = u64(h, d->has_patience);
  h = dist(h, &d->patience);
  h = u64(u64(u64(h, d->has_balking), d->has_retrial), d->has_handoff);
  h = balking(h, &d->balking);
  h = retrial(h, &d->retrial);
  h = num(h, d->handoff.p);
  h = dist(h, &d->handoff.after);
  h = u64(u64(h, d->handoff.to), d->handoff.has_delay);
  h = dist(h, &d->handoff.delay);
  h = u64(h, d->handoff.has_coordination);
  h = dist(h, &d->handoff.coordination);
  h = u64(h, d->has_wrap_up);
  h = dist(h, &d->wrap_up);
  h = rework(h, d->has_rework, &d->rework);
  h = routes(h, d->routes, d->nroutes);
  h = num(h, d->cost_per_staff_hour);
  h = u64(h, d->backlog);
  h = u64(h, d->class_settings != NULL);
  for (size_t c = 0; d->class_settings && c < m->nclasses; c++) {
    const struct model_class_settings *s = &d->class_settings[c];
    h = u64(u64(u64(h, s->has_service), s->has_patience), s->has_balking);
    h = u64(u64(h, s->has_retrial), s->has_routes);
    h = dist(dist(h, &s->service), &s->patience);
    h = balking(h, &s->balking);
    h = retrial(h, &s->retrial);
    h = routes(h, s->routes, s->nroutes);
    h = rework(h, s->has_rework, &s->rework);
  }
  /* d->pool_links are derived from the pools' serves, d->visit and
   * d->rework_rule are resolved from the fields above (and
   * the classes'). */
  return h;
}

uint64_t model_hash(const struct model *m)
{
  uint64_t h = MODEL_HASH_START;
  h = str(h, m->name);
  h = str(h, m->time_unit);
  h = num(num(num(h, m->units_per_hour), m->opens), m->horizon);
  h = u64(h, (uint64_t)m->closing);
  h = num(h, m->warmup);
  h = u64(u64(h, m->replications), m->seed);
  h = num(h, m->service_level_within);
  h = u64(u64(u64(h, m->has_patience), m->has_balking), m->has_retrial);
  h = dist(h, &m->patience);
  h = balking(h, &m->balking);
  h = retrial(h, &m->retrial);
  h = u64(h, m->narrivals);
  for (size_t i = 0; i < m->narrivals; i++) {
    const struct model_arrival *a = &m->arrivals[i];
    h = u64(u64(u64(h, (uint64_t)a->kind), a->to), (uint64_t)(int64_t)a->cls);
    h = num(num(h, a->rate), a->mean_gap);
    h = steps(h, a->schedule, a->schedule ? a->nsteps : 0);
    h = u64(h, a->times ? a->ntimes : 0);
    for (size_t k = 0; a->times && k < a->ntimes; k++)
      h = num(h, a->times[k]);
    const struct model_appointments *ap = &a->appointments;
    h = num(num(num(h, ap->from), ap->to), ap->every);
    h = num(u64(h, ap->per_slot), ap->no_show);
    h = u64(h, (uint64_t)ap->punctuality.kind);
    h = num(num(h, ap->punctuality.a), ap->punctuality.b);
    h = u64(h, ap->early_serve);
  }
  h = u64(h, m->ndepartments);
  for (size_t d = 0; d < m->ndepartments; d++)
    h = department(h, m, &m->departments[d]);
  h = u64(h, m->nclasses);
  for (size_t c = 0; c < m->nclasses; c++) {
    const struct model_class *k = &m->classes[c];
    h = str(h, k->name);
    h = num(num(h, k->share), k->expect);
    h = u64(h, (uint64_t)(int64_t)k->priority);
    h = u64(u64(u64(h, k->has_patience), k->has_balking), k->has_retrial);
    h = dist(h, &k->patience);
    h = balking(h, &k->balking);
    h = retrial(h, &k->retrial);
    h = rework(h, k->has_rework, &k->rework);
  }
  /* Only with pools: a model without them hashes as it did before. */
  if (m->npools)
    h = u64(h, m->npools);
  for (size_t i = 0; i < m->npools; i++) {
    const struct model_pool *p = &m->pools[i];
    h = str(h, p->name);
    h = u64(h, p->staff);
    h = steps(h, p->staff_schedule, p->staff_schedule ? p->nstaff_steps : 0);
    h = u64(h, p->nserves);
    for (size_t k = 0; k < p->nserves; k++)
      h = u64(h, p->serves[k]);
    h = num(num(h, p->speed), p->cost_per_staff_hour);
    h = u64(h, p->in_order);
  }
  h = num(h, m->interval);
  h = u64(h, m->nintervals);
  const struct model_satisfaction *s = &m->satisfaction;
  h = num(num(num(num(h, s->base), s->no_wait_bonus), s->wait_max), s->wait_range);
  h = num(num(num(num(h, s->handoff), s->route), s->retrial), s->repeat);
  h = num(num(num(num(h, s->abandoned), s->balked), s->blocked), s->sent_away);
  h = num(h, m->service_level_target);
  h = u64(h, m->max_customers);
  /* m->has_rework and m->has_appointments are derived from the
   * departments' rules and the arrival streams. */
  /* The staffing brief changes no simulated result, but `loket staff`
   * may pin it the same way. */
  const struct model_staffing *st = &m->staffing;
  h = u64(h, st->present);
  if (st->present) {
    h = num(h, st->interval);
    for (size_t d = 0; st->plan && d < m->ndepartments; d++)
      h = u64(h, st->plan[d]);
    h = num(num(num(h, st->target_service_level), st->target_abandoned),
            st->target_wait_mean);
    h = u64(u64(h, st->min_staff), st->max_staff);
    h = num(num(num(h, st->shrinkage), st->confidence), st->cost_per_paid_hour);
    h = u64(h, st->nshifts);
    for (size_t i = 0; st->shifts && i < st->nshifts; i++) {
      const struct model_shift *x = &st->shifts[i];
      h = str(h, x->name);
      h = num(num(num(num(h, x->length), x->start_first), x->start_last), x->step);
      h = u64(u64(h, x->has_break), x->break_paid);
      h = num(num(num(h, x->break_length), x->break_first), x->break_last);
    }
  }
  return h;
}
