/*
 * models/load_output.c — what a scenario says about its results rather
 * than its organisation: the time series and the customer trace
 * (output:), the satisfaction score's parameters (satisfaction:), and the
 * texts of figures (currency:, labels:).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load.h"
#include "sim/check.h"

/* ---- output and satisfaction --------------------------------------------- */

/* output: the time series' interval and the customer trace. Without an
 * interval the series has 15-minute intervals, or horizon/1000 when that
 * would give more than 1000 of them. */
bool load_output(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  m->interval = 15.0 * m->units_per_hour / 60;
  if (m->horizon / m->interval > 1000)
    m->interval = m->horizon / 1000;
  if (n) {
    static const struct field output_rows[] = {
      NUMBER("interval", POSITIVE, struct model, interval,
             "interval of timeseries.csv"),
      LATER("customers", "also write customers.csv"),
    };
    struct section sec;
    struct fy_node *x;
    if (!section_read(L, n, "output", ROWS(output_rows), m, &sec))
      return false;
    if ((x = section_given(&sec, "interval"))) {
      if (m->horizon / m->interval > 100000) {
        report(L, x, "interval %g gives %.0f intervals in the horizon; at most "
                     "100000 are kept (make the interval longer)",
               m->interval, ceil(m->horizon / m->interval));
        return false;
      }
    }
    if ((x = section_given(&sec, "customers")) &&
        !boolean(L, x, "customers", &m->trace_customers))
      return false;
  }
  double count = ceil(m->horizon / m->interval - 1e-9);
  m->nintervals = count < 1 ? 1 : (uint32_t)count;
  return true;
}

/* The satisfaction model's parameters (docs/satisfaction.md). */
bool load_satisfaction(struct loader *L, struct fy_node *n)
{
  struct model *m = L->m;
  struct model_satisfaction *s = &m->satisfaction;
  model_satisfaction_defaults(s, m->units_per_hour / 60);
  L->default_expect = 5.0 * m->units_per_hour / 60;
  if (!n)
    return true;
#define S struct model_satisfaction
  const struct field rows[] = {
    NUMBER("base", NONNEG, S, base, "score of a customer served at once"),
    NUMBER("no_wait_bonus", NONNEG, S, no_wait_bonus, "extra for no wait"),
    LATER("expect", "the wait customers take for granted"),
    NUMBER("wait_max", NONNEG, S, wait_max, "most points lost to waiting"),
    NUMBER("wait_range", POSITIVE, S, wait_range, "wait beyond expect that loses them"),
    NUMBER("handoff", NONNEG, S, handoff, "points lost per mid-service handoff"),
    NUMBER("route", NONNEG, S, route, "points lost per planned route"),
    NUMBER("retrial", NONNEG, S, retrial, "points lost per retrial"),
    NUMBER("repeat", NONNEG, S, repeat, "points lost per repeat contact (rework)"),
    NUMBER("abandoned", NONNEG, S, abandoned, "points lost by abandoning"),
    NUMBER("balked", NONNEG, S, balked, "points lost by balking"),
    NUMBER("blocked", NONNEG, S, blocked, "points lost by being blocked"),
    NUMBER("sent_away", NONNEG, S, sent_away, "points lost by being sent away"),
  };
#undef S
  struct section sec;
  if (!section_read(L, n, "satisfaction", ROWS(rows), s, &sec))
    return false;
  struct fy_node *x = section_given(&sec, "expect");
  if (x && !number(L, x, "expect", NONNEG, &L->default_expect))
    return false;
  /* Scores are points on the 0-10 scale. */
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    x = sec.given[i];
    if (!x || rows[i].type != F_NUMBER || rows[i].bound != NONNEG)
      continue;
    double v = *(double *)((char *)s + rows[i].offset);
    if (v > 10) {
      report(L, x, "%s must be at most 10 (points on the 0-10 scale), got %g",
             rows[i].key, v);
      return false;
    }
  }
  model_satisfaction_prepare(s);
  return true;
}

/* ---- figures ------------------------------------------------------------------ */

/* Text shown on a figure: not empty, at most `max` bytes, no control
 * characters (a line break would end a title). */
static char *figure_text(struct loader *L, struct fy_node *n, const char *what,
                         size_t max)
{
  char *text = text_copy(L, n, what);
  if (!text)
    return NULL;
  const char *problem = strlen(text) > max ? "is too long" : NULL;
  for (const unsigned char *p = (const unsigned char *)text; *p && !problem; p++)
    if (*p < 0x20 || *p == 0x7f)
      problem = "holds a control character";
  if (problem) {
    report(L, n, "%s %s (at most %zu bytes, one line)", what, problem, max);
    free(text);
    return NULL;
  }
  return text;
}

bool read_currency(struct loader *L, struct fy_node *n, const struct field *f,
                          void *base)
{
  (void)f;
  struct model *m = base;
  return (m->currency = figure_text(L, n, "currency", 16)) != NULL;
}

/* labels: {KEY: TEXT, ...}; a key is what a figure would show otherwise
 * (a varied path, a summary metric, departments.NAME), left unchecked: a
 * label that is not needed is not an error. */
bool read_labels(struct loader *L, struct fy_node *n, const struct field *f,
                        void *base)
{
  (void)f;
  struct model *m = base;
  if (!expect_mapping(L, n, "labels"))
    return false;
  int count = fy_node_mapping_item_count(n);
  m->labels = sim_xcalloc(count > 0 ? (size_t)count : 1, sizeof *m->labels);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(n, &iter))) {
    struct model_label *l = &m->labels[m->nlabels];
    if (!(l->key = figure_text(L, fy_node_pair_key(pair), "a label's key", 1000)))
      return false;
    m->nlabels++;
    struct fy_node *value = fy_node_pair_value(pair);
    if (!value) {
      report(L, fy_node_pair_key(pair), "the label of '%s' needs a text", l->key);
      return false;
    }
    if (!(l->text = figure_text(L, value, "a label", 200)))
      return false;
  }
  return true;
}
