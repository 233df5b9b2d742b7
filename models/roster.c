#include "models/roster.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "sim/check.h"

/* Times on a grid are sums of steps: compare them with a tolerance. */
#define EPS 1e-9

bool model_roster_covers(const struct model_roster_column *c, double a, double b)
{
  if (a < c->start - EPS || b > c->end + EPS)
    return false;
  return !c->has_break || b <= c->break_start + EPS || a >= c->break_end - EPS;
}

/* The points of a window: every step from first, and last itself (both
 * included, as docs/staffing.md says, also when last is not on the step
 * grid). Counted, not added up, so that no point is lost to rounding. */
static size_t grid_count(double first, double last, double step)
{
  size_t n = (size_t)floor((last - first) / step + EPS) + 1;
  return first + (double)(n - 1) * step < last - EPS ? n + 1 : n;
}

static double grid_at(double first, double last, double step, size_t i, size_t n)
{
  return i + 1 == n ? last : first + (double)i * step;
}

void model_roster_columns(const struct model_roster_problem *p,
                          struct model_roster *out)
{
  memset(out, 0, sizeof *out);
  /* Counted first: a step of a second makes billions of ways to work,
   * which would be allocated before anything is solved. */
  double total = 0;
  for (size_t s = 0; s < p->nshifts; s++) {
    const struct model_shift *sh = &p->shifts[s];
    total += (double)grid_count(sh->start_first, sh->start_last, sh->step) *
             (double)(sh->has_break ? grid_count(sh->break_first, sh->break_last, sh->step)
                                    : 1);
  }
  if (total > MODEL_ROSTER_MAX_COLUMNS) {
    snprintf(out->message, sizeof out->message,
             "the shifts give %.0f ways to work (each start and break on its step), "
             "more than %d: give the shifts a coarser step", total,
             MODEL_ROSTER_MAX_COLUMNS);
    out->columns = NULL;
    return;
  }
  size_t cap = 64;
  out->columns = sim_xmalloc(cap * sizeof *out->columns);
  for (size_t s = 0; s < p->nshifts; s++) {
    const struct model_shift *sh = &p->shifts[s];
    double hours = sh->length;
    if (sh->has_break && !sh->break_paid)
      hours -= sh->break_length;
    hours /= p->units_per_hour;
    size_t starts = grid_count(sh->start_first, sh->start_last, sh->step);
    size_t breaks = sh->has_break ? grid_count(sh->break_first, sh->break_last, sh->step)
                                  : 1;
    for (size_t i = 0; i < starts; i++)
      for (size_t b = 0; b < breaks; b++) {
        double start = grid_at(sh->start_first, sh->start_last, sh->step, i, starts);
        double off = sh->has_break
            ? grid_at(sh->break_first, sh->break_last, sh->step, b, breaks) : 0;
        if (out->ncolumns == cap)
          out->columns = sim_xrealloc(out->columns, cap *= 2, sizeof *out->columns);
        out->columns[out->ncolumns++] = (struct model_roster_column){
          .shift = (uint32_t)s, .start = start, .end = start + sh->length,
          .has_break = sh->has_break, .break_start = start + off,
          .break_end = start + off + (sh->has_break ? sh->break_length : 0),
          .paid_hours = hours,
        };
      }
  }
}

struct gap_watch {
  double gap;
};

/* Records the gap of the best solution so far, for a run stopped by the
 * time limit. */
static void watch_gap(glp_tree *tree, void *info)
{
  struct gap_watch *w = info;
  double gap = glp_ios_mip_gap(tree);
  if (gap < DBL_MAX)
    w->gap = gap;
}

void model_roster_solve(const struct model_roster_problem *p,
                        struct model_roster *out)
{
  model_roster_columns(p, out);
  out->status = MODEL_ROSTER_FAILED;
  /* Rows: the intervals that ask for staff and that some column covers. */
  uint32_t K = p->nintervals;
  int *row_of = sim_xcalloc(K, sizeof *row_of);
  int nrows = 0;
  size_t nonzeros = 0;
  for (uint32_t k = 0; k < K; k++) {
    double a = k * p->interval, b = fmin(a + p->interval, p->horizon);
    size_t covering = 0;
    for (size_t j = 0; j < out->ncolumns; j++)
      covering += model_roster_covers(&out->columns[j], a, b);
    if (p->required[k] == 0)
      continue;
    if (covering == 0) {
      out->uncovered++;
      continue;
    }
    row_of[k] = ++nrows;
    nonzeros += covering;
  }
  if (out->ncolumns == 0) {
    if (!out->message[0])
      snprintf(out->message, sizeof out->message, "the shifts give no way to work");
    free(row_of);
    return;
  }
  glp_term_out(GLP_OFF);
  glp_prob *lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MIN);
  if (nrows > 0)
    glp_add_rows(lp, nrows);
  glp_add_cols(lp, (int)out->ncolumns);
  int *ia = sim_xcalloc(nonzeros + 1, sizeof *ia);
  int *ja = sim_xcalloc(nonzeros + 1, sizeof *ja);
  double *ar = sim_xcalloc(nonzeros + 1, sizeof *ar);
  size_t ne = 0;
  for (uint32_t k = 0; k < K; k++) {
    if (!row_of[k])
      continue;
    glp_set_row_bnds(lp, row_of[k], GLP_LO, p->required[k], 0);
    double a = k * p->interval, b = fmin(a + p->interval, p->horizon);
    for (size_t j = 0; j < out->ncolumns; j++)
      if (model_roster_covers(&out->columns[j], a, b)) {
        ne++;
        ia[ne] = row_of[k];
        ja[ne] = (int)j + 1;
        ar[ne] = 1;
      }
  }
  double rate = p->cost_per_paid_hour > 0 ? p->cost_per_paid_hour : 1;
  for (size_t j = 0; j < out->ncolumns; j++) {
    glp_set_col_kind(lp, (int)j + 1, GLP_IV);
    glp_set_col_bnds(lp, (int)j + 1, GLP_LO, 0, 0);
    glp_set_obj_coef(lp, (int)j + 1, out->columns[j].paid_hours * rate);
  }
  glp_load_matrix(lp, (int)ne, ia, ja, ar);
  struct gap_watch watch = {INFINITY};
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.tm_lim = (int)fmin(p->time_limit * 1000, 1e9);
  parm.cb_func = watch_gap;
  parm.cb_info = &watch;
  int rc = glp_intopt(lp, &parm);
  int status = glp_mip_status(lp);
  if ((rc == 0 || rc == GLP_ETMLIM) && (status == GLP_OPT || status == GLP_FEAS)) {
    out->status = status == GLP_OPT && rc == 0 ? MODEL_ROSTER_OPTIMAL
                                               : MODEL_ROSTER_FEASIBLE;
    out->gap = out->status == MODEL_ROSTER_OPTIMAL ? 0 : watch.gap;
    for (size_t j = 0; j < out->ncolumns; j++) {
      struct model_roster_column *c = &out->columns[j];
      c->count = (uint32_t)llround(glp_mip_col_val(lp, (int)j + 1));
      out->paid_hours += c->count * c->paid_hours;
      out->cost += c->count * c->paid_hours * p->cost_per_paid_hour;
    }
  } else if (rc == GLP_ETMLIM) {
    snprintf(out->message, sizeof out->message,
             "no roster found within the time limit of %g s", p->time_limit);
  } else {
    snprintf(out->message, sizeof out->message,
             "the integer programme failed (GLPK status %d, code %d)", status, rc);
  }
  glp_delete_prob(lp);
  free(ia);
  free(ja);
  free(ar);
  free(row_of);
}

void model_roster_fini(struct model_roster *r)
{
  free(r->columns);
  r->columns = NULL;
  r->ncolumns = 0;
}

uint32_t model_roster_on_duty(const struct model_roster *r, double t)
{
  uint32_t n = 0;
  for (size_t j = 0; j < r->ncolumns; j++) {
    const struct model_roster_column *c = &r->columns[j];
    bool on = t >= c->start - EPS && t < c->end - EPS &&
              !(c->has_break && t >= c->break_start - EPS && t < c->break_end - EPS);
    n += on ? c->count : 0;
  }
  return n;
}
