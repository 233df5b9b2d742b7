/*
 * cli/report_stats.c — a table cell across replications (mean, sd, 95 %
 * interval), and its columns in stats.csv and timeseries_stats.csv.
 */
#include "cli/report_parts.h"

#include <math.h>

/* Mean, sd and t-based 95 % interval across replications; replications in
 * which the metric is undefined (NaN) are left out and n says how many
 * were used. */
struct sim_tally report_across(const struct table *t, size_t r, size_t c,
                               const struct model_result *results, size_t n)
{
  struct sim_tally tally;
  sim_tally_init(&tally);
  for (size_t i = 0; i < n; i++) {
    double x = t->row(&results[i], r, t->ncols)[c];
    if (!isnan(x))
      sim_tally_add(&tally, x);
  }
  return tally;
}

/* The columns mean, sd, ci95_low, ci95_high and n of a tally across
 * replications (stats.csv, timeseries_stats.csv), ending the row. */
void report_stats_columns(struct sim_csv *csv, const struct sim_tally *t)
{
  double half = sim_tally_ci95_halfwidth(t);
  double mean = sim_tally_mean(t);
  sim_csv_num(csv, mean);
  sim_csv_num(csv, sqrt(sim_tally_variance(t)));
  sim_csv_num(csv, mean - half);
  sim_csv_num(csv, mean + half);
  sim_csv_int(csv, (int64_t)t->n);
  sim_csv_end_row(csv);
}
