/*
 * models/load_org.c — the organisation: classes, departments, what
 * customers do while they wait (patience, balking, retrial), routes and
 * handoffs, and the rule for each class at each department.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

/* ---- names -------------------------------------------------------------- */

/* The index of a name in `names` (count of them, `stride` apart), or -1
 * after reporting it, with the nearest known name if one is close. */
static int name_index(struct loader *L, struct fy_node *n, const char *what,
                      const char *kind, const struct name_index *ix,
                      char *const *names, size_t count, size_t stride)
{
  const char *name = scalar_text(L, n, what);
  if (!name)
    return -1;
  uint32_t found = name_index_find(ix, name);
  if (found != NAME_NONE)
    return (int)found;
  const char **list = sim_xcalloc(count + 1, sizeof *list);
  for (size_t i = 0; i < count; i++)
    list[i] = *(char *const *)((const char *)names + i * stride);
  char hint[160];
  report(L, n, "unknown %s '%s'%s", kind, name,
         suggestion(hint, sizeof hint, name, list));
  free(list);
  return -1;
}

int department_index(struct loader *L, struct fy_node *n, const char *what)
{
  return name_index(L, n, what, "department", &L->department_names,
                    &L->m->departments[0].name, L->m->ndepartments,
                    sizeof *L->m->departments);
}

int class_index(struct loader *L, struct fy_node *n, const char *what)
{
  return name_index(L, n, what, "class", &L->class_names, &L->m->classes[0].name,
                    L->m->nclasses, sizeof *L->m->classes);
}

/* ---- behaviours ----------------------------------------------------------
 * patience, balking and retrial may be given at four levels: the top, a
 * class, a department and a class at a department. The four structs name
 * them alike (patience/has_patience, ...), so one set of rows,
 * BEHAVIOUR_ROWS in load.h, serves all four. */

static const struct field balking_rows[] = {
  ROW("above", F_WHOLE64, ANY, 0, MODEL_UNLIMITED - 1, struct model_balking,
      above, NO_FLAG, true, NULL, "balk when more than this many are waiting"),
  REQUIRED("p", F_NUMBER, PROBABILITY, struct model_balking, p,
           "with this probability"),
};

bool read_balking(struct loader *L, struct fy_node *n,
                         const struct field *f, void *base)
{
  struct section sec;
  return section_read(L, n, "balking", ROWS(balking_rows),
                      (char *)base + f->offset, &sec);
}

static const struct field retrial_rows[] = {
  REQUIRED("p", F_NUMBER, PROBABILITY, struct model_retrial, p,
           "a lost customer tries again with this probability"),
  REQUIRED_DIST("after", struct model_retrial, after, "after this long"),
};

bool read_retrial(struct loader *L, struct fy_node *n,
                         const struct field *f, void *base)
{
  struct model_retrial *r = (struct model_retrial *)((char *)base + f->offset);
  struct section sec;
  if (!section_read(L, n, "retrial", ROWS(retrial_rows), r, &sec))
    return false;
  /* Retrials at once would repeat at the same time without end: the clock
   * would never reach the closing of the doors that stops them. */
  if (!(r->after.mean > 0)) {
    report(L, section_given(&sec, "after"), "a retrial's after must have a "
           "mean > 0: retrials at once could repeat without end");
    return false;
  }
  return true;
}

/* One level's behaviour, for resolving the rule of a visit. */
struct behaviour {
  const struct model_dist *patience;
  const struct model_balking *balking;
  const struct model_retrial *retrial;
};

#define BEHAVIOUR_OF(x)                                                       \
  ((struct behaviour){(x)->has_patience ? &(x)->patience : NULL,             \
                      (x)->has_balking ? &(x)->balking : NULL,                \
                      (x)->has_retrial ? &(x)->retrial : NULL})

/* ---- routes -------------------------------------------------------------- */

static bool load_routes(struct loader *L, struct fy_node *list,
                        struct model_route **routes, size_t *nroutes)
{
  static const struct field route_rows[] = {
    REQUIRED_LATER("to", "the next department"),
    REQUIRED_LATER("p", "with this probability"),
  };
  if (!expect_sequence(L, list, "routes"))
    return false;
  int count = fy_node_sequence_item_count(list);
  *routes = sim_xcalloc((size_t)count, sizeof **routes);
  double sum = 0;
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &iter))) {
    struct section sec;
    if (!section_read(L, item, "a route", ROWS(route_rows), NULL, &sec))
      return false;
    struct fy_node *to = section_given(&sec, "to"), *p = section_given(&sec, "p");
    struct model_route *r = &(*routes)[*nroutes];
    double prob;
    int d;
    if ((d = department_index(L, to, "to")) < 0 ||
        !number(L, p, "p", PROBABILITY, &prob))
      return false;
    for (size_t i = 0; i < *nroutes; i++)
      if ((*routes)[i].to == (uint32_t)d) {
        report(L, to, "department '%s' is listed twice in these routes",
               L->m->departments[d].name);
        return false;
      }
    r->to = (uint32_t)d;
    r->p = prob;
    (*nroutes)++;
    sum += prob;
    if (sum > 1 + 1e-9) {
      report(L, p, "route probabilities add up to %g, more than 1", sum);
      return false;
    }
  }
  return true;
}

static bool read_class_routes(struct loader *L, struct fy_node *n,
                              const struct field *f, void *base)
{
  (void)f;
  struct model_class_settings *cs = base;
  return load_routes(L, n, &cs->routes, &cs->nroutes);
}

/* ---- rework ---------------------------------------------------------------- */

#define REWORK struct model_rework
static const struct field rework_rows[] = {
  REQUIRED("p", F_NUMBER, PROBABILITY, REWORK, p,
           "probability that a service does not settle the question"),
  NUMBER("per_handoff", PROBABILITY, REWORK, per_handoff,
         "added to p for each handoff of the journey so far"),
  REQUIRED_DIST("after", REWORK, after, "the customer comes back after this long"),
  LATER("to", "the department the customer comes back to"),
};
#undef REWORK

/* A rework rule (department, class or class at a department); read once
 * every department has its name, as `to` names one. */
static bool load_rework(struct loader *L, struct fy_node *n, struct model_rework *r)
{
  r->to = MODEL_REWORK_FIRST;
  struct section sec;
  if (!section_read(L, n, "rework", ROWS(rework_rows), r, &sec))
    return false;
  /* Returns at once, with p = 1, would repeat at the same time without
   * end: the clock would never reach the closing of the doors. */
  if (!(r->after.mean > 0)) {
    report(L, section_given(&sec, "after"), "a rework's after must have a "
           "mean > 0: returns at once could repeat without end");
    return false;
  }
  struct fy_node *to = section_given(&sec, "to");
  if (to) {
    int d = department_index(L, to, "to");
    if (d < 0)
      return false;
    r->to = (uint32_t)d;
  }
  return true;
}

/* ---- departments ---------------------------------------------------------- */

bool staff_value(struct loader *L, struct fy_node *n, uint32_t *staff,
                 struct model_step **steps, size_t *nsteps)
{
  if (fy_node_get_type(n) == FYNT_SEQUENCE) {
    if (!schedule(L, n, "staff", "staff", NULL, true, 1.0, steps, nsteps))
      return false;
    *staff = (uint32_t)(*steps)[0].value;
    return true;
  }
  uint64_t v;
  if (!whole(L, n, "staff", 0, 1000000, &v))
    return false;
  *staff = (uint32_t)v;
  return true;
}

static bool read_staff(struct loader *L, struct fy_node *n, const struct field *f,
                       void *base)
{
  (void)f;
  struct model_department *dep = base;
  return staff_value(L, n, &dep->staff, &dep->staff_schedule, &dep->nstaff_steps);
}

#define DEPARTMENT struct model_department
static const struct field department_rows[] = {
  ROW("staff", F_READ, ANY, 0, 0, DEPARTMENT, staff, NO_FLAG, true, read_staff,
      "servers on duty, or a schedule of them"),
  REQUIRED_DIST("service", DEPARTMENT, service, "service time of one customer"),
  DIST("wrap_up", DEPARTMENT, wrap_up, has_wrap_up,
       "after-call work: the server stays busy after the customer left"),
  WHOLE64("capacity", 0, 1000000000, DEPARTMENT, capacity, "waiting places"),
  BEHAVIOUR_ROWS(DEPARTMENT),
  LATER("routes", "where customers go after service"),
  LATER("handoff", "\"not my department\""),
  WHOLE64("backlog", 0, 10000000, DEPARTMENT, backlog,
          "customers already waiting at opening"),
  NUMBER("cost_per_staff_hour", NONNEG, DEPARTMENT, cost_per_staff_hour,
         "staff cost per hour"),
  LATER("classes", "settings for one class at this department"),
  LATER("rework", "failure demand: customers who come back"),
};
#undef DEPARTMENT

#define HANDOFF struct model_handoff
static const struct field handoff_rows[] = {
  REQUIRED("p", F_NUMBER, PROBABILITY, HANDOFF, p,
           "probability that a visit ends in a handoff"),
  REQUIRED_DIST("after", HANDOFF, after, "time spent before the handoff"),
  REQUIRED_LATER("to", "another department"),
  DIST("delay", HANDOFF, delay, has_delay, "time between leaving and arriving"),
  DIST("coordination", HANDOFF, coordination, has_coordination,
       "the sending employee's extra busy time for the handoff"),
};
#undef HANDOFF

#define SETTINGS struct model_class_settings
static const struct field class_at_department_rows[] = {
  DIST("service", SETTINGS, service, has_service, "service time of this class"),
  BEHAVIOUR_ROWS(SETTINGS),
  READ_FLAG("routes", read_class_routes, SETTINGS, routes, has_routes,
            "where this class goes after service"),
  LATER("rework", "failure demand of this class here"),
};
#undef SETTINGS

static bool load_department(struct loader *L, struct fy_node *node,
                            struct model_department *dep)
{
  char where[160];
  snprintf(where, sizeof where, "department '%s'", dep->name);
  dep->capacity = MODEL_UNLIMITED;
  struct section sec;
  return section_read(L, node, where, ROWS(department_rows), dep, &sec);
}

/* Keys that refer to other departments and classes: routes, handoff and
 * the per-class settings (read once every department has its name). */
static bool load_department_links(struct loader *L, struct fy_node *node,
                                  uint32_t d)
{
  struct model *m = L->m;
  struct model_department *dep = &m->departments[d];
  struct fy_node *n;
  if ((n = lookup(node, "routes")) && !load_routes(L, n, &dep->routes, &dep->nroutes))
    return false;

  if ((n = lookup(node, "rework"))) {
    if (!load_rework(L, n, &dep->rework))
      return false;
    dep->has_rework = true;
  }

  if ((n = lookup(node, "handoff"))) {
    struct model_handoff *h = &dep->handoff;
    struct section sec;
    int target;
    if (!section_read(L, n, "handoff", ROWS(handoff_rows), h, &sec) ||
        (target = department_index(L, section_given(&sec, "to"), "to")) < 0)
      return false;
    if ((uint32_t)target == d) {
      report(L, section_given(&sec, "to"),
             "a handoff must go to another department than '%s'", dep->name);
      return false;
    }
    h->to = (uint32_t)target;
    dep->has_handoff = true;
  }

  dep->class_settings = sim_xcalloc(m->nclasses, sizeof *dep->class_settings);
  if ((n = lookup(node, "classes"))) {
    char where[160];
    snprintf(where, sizeof where, "the classes of department '%s'", dep->name);
    if (!expect_mapping(L, n, where))
      return false;
    void *iter = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(n, &iter))) {
      int c = class_index(L, fy_node_pair_key(pair), "a class");
      if (c < 0)
        return false;
      snprintf(where, sizeof where, "class '%s' at department '%s'",
               m->classes[c].name, dep->name);
      struct section sec;
      struct model_class_settings *cs = &dep->class_settings[c];
      if (!section_read(L, fy_node_pair_value(pair), where,
                        ROWS(class_at_department_rows), cs, &sec))
        return false;
      struct fy_node *rework = section_given(&sec, "rework");
      if (rework) {
        if (!load_rework(L, rework, &cs->rework))
          return false;
        cs->has_rework = true;
      }
    }
  }
  return true;
}

bool load_departments(struct loader *L, struct fy_node *departments)
{
  struct model *m = L->m;
  if (!expect_mapping(L, departments, "departments"))
    return false;
  int count = fy_node_mapping_item_count(departments);
  if (count == 0) {
    report(L, departments, "departments must name at least one department");
    return false;
  }
  /* Names first, as routes and handoffs refer to them. */
  m->departments = sim_xcalloc((size_t)count, sizeof *m->departments);
  L->department_nodes = sim_xcalloc((size_t)count, sizeof *L->department_nodes);
  name_index_init(&L->department_names, (size_t)count);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(departments, &iter))) {
    struct model_department *dep = &m->departments[m->ndepartments];
    struct fy_node *key = fy_node_pair_key(pair);
    if (!key) {
      report(L, departments, "a department needs a name");
      return false;
    }
    if (!(dep->name = text_copy(L, key, "a department name")))
      return false;
    L->department_nodes[m->ndepartments] = fy_node_pair_value(pair);
    uint32_t before = name_index_add(&L->department_names, dep->name,
                                     strlen(dep->name), (uint32_t)m->ndepartments);
    m->ndepartments++;
    if (before != NAME_NONE) { /* a key made by --set */
      report(L, key, "department '%s' is named twice", dep->name);
      return false;
    }
  }
  for (size_t d = 0; d < m->ndepartments; d++)
    if (!load_department(L, L->department_nodes[d], &m->departments[d]))
      return false;
  for (uint32_t d = 0; d < m->ndepartments; d++)
    if (!load_department_links(L, L->department_nodes[d], d))
      return false;
  for (size_t c = 0; L->class_rework && c < m->nclasses; c++)
    if (L->class_rework[c]) {
      if (!load_rework(L, L->class_rework[c], &m->classes[c].rework))
        return false;
      m->classes[c].has_rework = true;
    }
  resolve_visits(m);
  return true;
}

/* The rule for each class at each department, resolved once: the most
 * specific level that gives a behaviour wins — class at the department,
 * the department, the class, the top level. */
void resolve_visits(struct model *m)
{
  for (size_t d = 0; d < m->ndepartments; d++) {
    struct model_department *dep = &m->departments[d];
    dep->visit = sim_xcalloc(m->nclasses, sizeof *dep->visit);
    for (size_t c = 0; c < m->nclasses; c++) {
      const struct model_class_settings *cs = &dep->class_settings[c];
      const struct behaviour levels[] = {BEHAVIOUR_OF(cs), BEHAVIOUR_OF(dep),
                                         BEHAVIOUR_OF(&m->classes[c]),
                                         BEHAVIOUR_OF(m)};
      struct model_visit *v = &dep->visit[c];
      for (size_t i = sizeof levels / sizeof levels[0]; i-- > 0;) {
        v->patience = levels[i].patience ? levels[i].patience : v->patience;
        v->balking = levels[i].balking ? levels[i].balking : v->balking;
        v->retrial = levels[i].retrial ? levels[i].retrial : v->retrial;
      }
      v->service = cs->has_service ? &cs->service : &dep->service;
      v->routes = cs->has_routes ? cs->routes : dep->routes;
      v->nroutes = cs->has_routes ? cs->nroutes : dep->nroutes;
    }
    /* Rework: class at the department, the department, the class. */
    for (size_t c = 0; c < m->nclasses; c++) {
      const struct model_class_settings *cs = &dep->class_settings[c];
      const struct model_class *cl = &m->classes[c];
      const struct model_rework *r = cs->has_rework ? &cs->rework
                                   : dep->has_rework ? &dep->rework
                                   : cl->has_rework ? &cl->rework : NULL;
      if (!r)
        continue;
      if (!dep->rework_rule)
        dep->rework_rule = sim_xcalloc(m->nclasses, sizeof *dep->rework_rule);
      dep->rework_rule[c] = r;
      m->has_rework = true;
    }
  }
}

/* ---- classes -------------------------------------------------------------- */

static bool read_priority(struct loader *L, struct fy_node *n,
                          const struct field *f, void *base)
{
  (void)f;
  double p;
  if (!number(L, n, "priority", ANY, &p))
    return false;
  if (p != floor(p) || fabs(p) > 1000) {
    report(L, n, "priority must be a whole number from -1000 to 1000, got '%s'",
           fy_node_get_scalar0(n));
    return false;
  }
  ((struct model_class *)base)->priority = (int32_t)p;
  return true;
}

#define CLASS struct model_class
static const struct field class_rows[] = {
  LATER("share", "share of the customers of a stream without a class"),
  READ("priority", read_priority, CLASS, priority, "higher is served first"),
  NUMBER("expect", NONNEG, CLASS, expect, "the wait this class expects"),
  BEHAVIOUR_ROWS(CLASS),
  LATER("rework", "failure demand of this class"),
};
#undef CLASS

static int compare_int_desc(const void *a, const void *b)
{
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x < y) - (x > y);
}

/* Priority levels: distinct priorities, highest first (level 0). */
static bool priority_levels(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  int32_t *sorted = sim_xcalloc(m->nclasses, sizeof *sorted);
  for (size_t c = 0; c < m->nclasses; c++)
    sorted[c] = m->classes[c].priority;
  qsort(sorted, m->nclasses, sizeof *sorted, compare_int_desc);
  m->npriorities = 0;
  for (size_t c = 0; c < m->nclasses; c++)
    if (c == 0 || sorted[c] != sorted[c - 1])
      sorted[m->npriorities++] = sorted[c];
  /* The simulation keeps a customer's level in a byte. */
  if (m->npriorities > MODEL_MAX_PRIORITIES) {
    free(sorted);
    report(L, n, "classes have %u distinct priorities; at most %d are "
                 "supported", m->npriorities, MODEL_MAX_PRIORITIES);
    return false;
  }
  m->priority_level = sim_xcalloc(m->nclasses, sizeof *m->priority_level);
  for (size_t c = 0; c < m->nclasses; c++) {
    const int32_t *level = bsearch(&m->classes[c].priority, sorted,
                                   m->npriorities, sizeof *sorted,
                                   compare_int_desc);
    m->priority_level[c] = (uint32_t)(level - sorted);
  }
  free(sorted);
  return true;
}

bool load_classes(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  if (!n) {
    m->classes = sim_xcalloc(1, sizeof *m->classes);
    m->classes[0].name = sim_xstrdup("customer");
    m->classes[0].share = 1.0;
    m->classes[0].expect = L->default_expect;
    m->nclasses = 1;
    name_index_init(&L->class_names, 1);
    name_index_add(&L->class_names, m->classes[0].name,
                   strlen(m->classes[0].name), 0);
    return priority_levels(L, n);
  }
  if (!expect_mapping(L, n, "classes"))
    return false;
  int count = fy_node_mapping_item_count(n);
  if (count == 0) {
    report(L, n, "classes must name at least one class");
    return false;
  }
  m->classes = sim_xcalloc((size_t)count, sizeof *m->classes);
  L->class_rework = sim_xcalloc((size_t)count, sizeof *L->class_rework);
  name_index_init(&L->class_names, (size_t)count);
  double sum = 0;
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(n, &iter))) {
    struct model_class *cl = &m->classes[m->nclasses];
    struct fy_node *key = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
    if (!key) {
      report(L, n, "a class needs a name");
      return false;
    }
    if (!(cl->name = text_copy(L, key, "a class name")))
      return false;
    m->nclasses++;
    if (name_index_add(&L->class_names, cl->name, strlen(cl->name),
                       (uint32_t)(m->nclasses - 1)) != NAME_NONE) {
      report(L, key, "class '%s' is named twice", cl->name);
      return false;
    }
    char where[160];
    snprintf(where, sizeof where, "class '%s'", cl->name);
    cl->expect = L->default_expect;
    struct section sec;
    if (!section_read(L, v, where, ROWS(class_rows), cl, &sec))
      return false;
    L->class_rework[m->nclasses - 1] = section_given(&sec, "rework");
    struct fy_node *x = section_given(&sec, "share");
    if (x) {
      if (!number(L, x, "share", PROBABILITY, &cl->share))
        return false;
    } else if (count > 1) {
      report(L, key, "class '%s' needs a 'share' (of arriving customers)", cl->name);
      return false;
    } else {
      cl->share = 1.0;
    }
    sum += cl->share;
  }
  if (fabs(sum - 1) > 1e-9) {
    report(L, n, "class shares must add up to 1, got %g", sum);
    return false;
  }
  return priority_levels(L, n);
}
