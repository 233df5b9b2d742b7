/*
 * models/roster.h — the cheapest roster of shifts that covers a staff
 * requirement per planning interval (set covering with explicit break
 * columns, solved as an integer programme with GLPK).
 *
 * A column is one way to work: a kind of shift (struct model_shift), a
 * start on its grid (start_first, + step, ... up to start_last) and, for a
 * shift with a break, a break start on the same grid (break_first ..
 * break_last after the shift's start). A column covers a planning interval
 * when it is on duty, not on break, for the whole interval. The programme
 *
 *   minimise  sum_j cost_j x_j
 *   such that sum_j covers(j, k) x_j >= required_k   for every interval k
 *             x_j >= 0 integer
 *
 * with cost_j = paid hours of column j x cost per paid hour (or the paid
 * hours alone when the cost is 0), is solved by glp_intopt with its
 * presolver and a time limit; the result says whether it is optimal or
 * gives the relative gap to the best bound. An interval that asks for
 * staff but that no column covers cannot be met: it is left out of the
 * programme and reported.
 *
 * GLPK keeps process-wide state: call this from one thread at a time.
 */
#ifndef LOKET_MODELS_ROSTER_H
#define LOKET_MODELS_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/model.h"

struct model_roster_column {
  uint32_t shift;               /* index into the shifts */
  double start, end;            /* times since opening */
  bool has_break;
  double break_start, break_end;
  double paid_hours;            /* of one person on this column */
  uint32_t count;               /* in the solution */
};

enum model_roster_status {
  MODEL_ROSTER_OPTIMAL,         /* proven optimal */
  MODEL_ROSTER_FEASIBLE,        /* stopped by the time limit; see gap */
  MODEL_ROSTER_FAILED,          /* no solution found (see message) */
};

struct model_roster {
  struct model_roster_column *columns;
  size_t ncolumns;
  enum model_roster_status status;
  double cost;                  /* of the solution */
  double paid_hours;            /* of the solution */
  double gap;                   /* relative MIP gap; 0 when optimal */
  uint32_t uncovered;           /* intervals asking for staff no column covers */
  char message[256];
};

/* The requirement: nintervals planning intervals of `interval` time units
 * (the last ends at the horizon), required[k] staff on duty in each. */
struct model_roster_problem {
  const struct model_shift *shifts;
  size_t nshifts;
  double interval, horizon, units_per_hour;
  const uint32_t *required;
  uint32_t nintervals;
  double cost_per_paid_hour;
  double time_limit;            /* seconds */
};

/* The columns of a problem, without solving (for tests and reports). */
/* At most this many columns (shift, start, break): more is refused with a
 * message (out->message; no columns) rather than allocated. */
#define MODEL_ROSTER_MAX_COLUMNS 1000000
void model_roster_columns(const struct model_roster_problem *p,
                          struct model_roster *out);
/* True when column c is on duty for the whole of [a, b). */
bool model_roster_covers(const struct model_roster_column *c, double a, double b);

/* Builds the columns and solves; out->status says how it went. */
void model_roster_solve(const struct model_roster_problem *p,
                        struct model_roster *out);
void model_roster_fini(struct model_roster *r);

/* Staff on duty (not on break) at time t in the solution. */
uint32_t model_roster_on_duty(const struct model_roster *r, double t);

#endif
