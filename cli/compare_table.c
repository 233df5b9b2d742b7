/*
 * cli/compare_table.c — `loket compare`: the paired differences of the
 * folders read, written to compare.csv (with variants.csv), and the table
 * of the key metrics on the terminal.
 */
#define _GNU_SOURCE 1  /* realpath */
#include "cli/compare_parts.h"
#include "cli/text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check.h"
#include "sim/csv.h"
#include "sim/stats.h"

/* ---- differences ---------------------------------------------------------- */

struct difference {
  double mean;                /* of the variant, over its replications */
  double diff, paired, unpaired;
};

/* The variant's values x against the first variant's x0, over the
 * replications where both are defined. */
static struct difference difference_of(const double *x0, const double *x, size_t n,
                                       bool first)
{
  struct sim_tally all, d, a, b;
  sim_tally_init(&all);
  sim_tally_init(&d);
  sim_tally_init(&a);
  sim_tally_init(&b);
  for (size_t i = 0; i < n; i++) {
    if (!isnan(x[i]))
      sim_tally_add(&all, x[i]);
    if (!isnan(x[i]) && !isnan(x0[i])) {
      sim_tally_add(&d, x[i] - x0[i]);
      sim_tally_add(&a, x0[i]);
      sim_tally_add(&b, x[i]);
    }
  }
  struct difference r = {sim_tally_mean(&all), 0, NAN, NAN};
  if (!first) {
    r.diff = sim_tally_mean(&d);
    r.paired = sim_tally_ci95_halfwidth(&d);
    r.unpaired = sim_tally_welch_ci95_halfwidth(&a, &b);
  }
  return r;
}

int compare_write(const char *dir, const struct folder *f, size_t nf,
                         bool ran_here, char *err, size_t errlen)
{
  static const char *const header[] = {"scope", "metric", "variant", "mean", "diff",
                                       "diff_ci95", "diff_ci95_unpaired", NULL};
  static const char *const vheader[] = {"variant", "folder", NULL};
  struct sim_csv csv, variants;
  if (sim_csv_open(&csv, dir, "compare.csv") != 0) {
    snprintf(err, errlen, "%s", csv.error);
    sim_csv_abort(&csv);
    return -1;
  }
  if (sim_csv_open(&variants, dir, "variants.csv") != 0) {
    snprintf(err, errlen, "%s", variants.error);
    sim_csv_abort(&variants);
    sim_csv_abort(&csv);
    return -1;
  }
  sim_csv_header(&csv, header);
  for (size_t k = 0; k < f[0].nseries; k++)
    for (size_t v = 0; v < nf; v++) {
      struct difference d = difference_of(f[0].series[k].values, f[v].series[k].values,
                                          f[0].n, v == 0);
      sim_csv_str(&csv, f[0].series[k].scope);
      sim_csv_str(&csv, f[0].series[k].metric);
      sim_csv_str(&csv, f[v].name);
      sim_csv_num(&csv, d.mean);
      sim_csv_num(&csv, d.diff);
      sim_csv_num(&csv, d.paired);
      sim_csv_num(&csv, d.unpaired);
      sim_csv_end_row(&csv);
    }
  sim_csv_header(&variants, vheader);
  /* A variant run here is the folder of its name inside DIR; a folder
   * given is written as its absolute path, so `loket plot DIR` finds it
   * from anywhere. */
  for (size_t v = 0; v < nf; v++) {
    char *real = ran_here ? NULL : realpath(f[v].dir, NULL);
    sim_csv_str(&variants, f[v].name);
    sim_csv_str(&variants, ran_here ? f[v].name : real ? real : f[v].dir);
    sim_csv_end_row(&variants);
    free(real);
  }
  int rc = 0;
  struct sim_csv *both[] = {&csv, &variants};
  const struct sim_csv *failed = NULL;
  if (sim_csv_commit_all(both, 2, &failed) != 0) {
    snprintf(err, errlen, "%s", failed->error);
    rc = -1;
  }
  sim_csv_abort(&csv);
  sim_csv_abort(&variants);
  return rc;
}

/* Characters of a UTF-8 text (a continuation byte, 10xxxxxx, belongs to
 * the character before it): "±" is two bytes and one column wide. */
static int chars_of(const char *s)
{
  int n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Names wider than this are cut in the table (compare.csv and
 * variants.csv keep them whole). */
#define NAME_COLUMNS 40

/* The terminal table: the key metrics of the day, the first variant's
 * mean, then for each other variant its mean and its paired difference
 * with the 95 % half-width, starred when the interval excludes 0. Each
 * column is as wide as its widest cell or name (at least 12 characters
 * for the first variant and 32 for the others), so that long names and
 * large numbers keep the columns in line. */
void compare_print_table(FILE *out, const struct folder *f, size_t nf)
{
  static const struct { const char *metric, *label; double scale; } rows[] = {
    {"arrivals", "customers", 1}, {"abandoned", "abandoned", 1},
    {"service_level", "service level (%)", 100}, {"wait_mean", "wait, mean", 1},
    {"wait_p90", "wait, 90th percentile", 1}, {"sojourn_mean", "time in system", 1},
    {"satisfaction_mean", "satisfaction (0-10)", 1},
    {"utilization", "utilization (%)", 100}, {"staff_cost", "staff cost", 1},
  };
  enum { NROWS = sizeof rows / sizeof rows[0], CELL = 96 };
  char (*cells)[CELL] = sim_xcalloc(NROWS * nf, CELL);
  int *width = sim_xcalloc(nf, sizeof *width);
  bool shown[NROWS] = {false};
  for (size_t v = 0; v < nf; v++) {
    int name = chars_of(f[v].name);
    width[v] = name < NAME_COLUMNS ? name : NAME_COLUMNS;
    if (width[v] < (v == 0 ? 12 : 32))
      width[v] = v == 0 ? 12 : 32;
  }
  for (size_t i = 0; i < NROWS; i++) {
    size_t k = 0;
    while (k < f[0].nseries && (strcmp(f[0].series[k].scope, "summary") ||
                                strcmp(f[0].series[k].metric, rows[i].metric)))
      k++;
    if (k == f[0].nseries)
      continue;
    shown[i] = true;
    double s = rows[i].scale;
    for (size_t v = 0; v < nf; v++) {
      struct difference d = difference_of(f[0].series[k].values, f[v].series[k].values,
                                           f[0].n, v == 0);
      char *cell = cells[i * nf + v];
      if (v == 0)
        snprintf(cell, CELL, "%.2f", s * d.mean);
      else if (isnan(d.paired))
        snprintf(cell, CELL, "%.2f  %+.2f", s * d.mean, s * d.diff);
      else
        snprintf(cell, CELL, "%.2f  %+.2f ± %.2f%s", s * d.mean, s * d.diff,
                 s * d.paired, fabs(d.diff) > d.paired ? " *" : "  ");
      int w = chars_of(cell);
      if (w > width[v])
        width[v] = w;
    }
  }
  fprintf(out, "%zu variants, %zu replications each with seed %s; differences to "
               "'%s' paired by replication, with 95 %% half-widths (* the interval "
               "excludes 0)\n", nf, f[0].n, f[0].seed, f[0].name);
  fprintf(out, "  %-22s ", "");
  for (size_t v = 0; v < nf; v++) {
    if (v > 0)
      fputs("  ", out);
    text_cell(out, f[v].name, width[v], true);
  }
  fputc('\n', out);
  for (size_t i = 0; i < NROWS; i++) {
    if (!shown[i])
      continue;
    fprintf(out, "  %-22s ", rows[i].label);
    for (size_t v = 0; v < nf; v++) {
      if (v > 0)
        fputs("  ", out);
      text_cell(out, cells[i * nf + v], width[v], true);
    }
    fputc('\n', out);
  }
  free(width);
  free(cells);
}
