/*
 * cli/report_parts.h — what the CSV files of a run (cli/report.c) and its
 * terminal summary (cli/report_summary.c) share: the result tables and the
 * statistics of a table cell across replications.
 */
#ifndef LOKET_CLI_REPORT_PARTS_H
#define LOKET_CLI_REPORT_PARTS_H

#include <stddef.h>

#include "models/model.h"
#include "models/metrics.h"
#include "sim/csv.h"
#include "sim/stats.h"

/* A table of rows: row r of replication i is at
 * results[i].<field> + r * ncols. */
struct table {
  const char *const *columns;
  size_t ncols;
  size_t nrows;                    /* rows per replication */
  const char *key_column;          /* "department", "class" or NULL */
  const char *const *keys;         /* nrows names when key_column */
  const double *(*row)(const struct model_result *res, size_t r, size_t ncols);
};

/* The summary, department and class tables of m into t; dept_names and
 * class_names (ndepartments and nclasses long) receive the keys. */
void report_tables(const struct model *m, struct table t[3],
                   const char **dept_names, const char **class_names);

/* Mean, sd and t-based 95 % interval across replications; replications in
 * which the metric is undefined (NaN) are left out and n says how many
 * were used. */
struct sim_tally report_across(const struct table *t, size_t r, size_t c,
                               const struct model_result *results, size_t n);

/* The columns mean, sd, ci95_low, ci95_high and n of a tally across
 * replications (stats.csv, timeseries_stats.csv), ending the row. */
void report_stats_columns(struct sim_csv *csv, const struct sim_tally *t);

/* The pools' rows as a table (model_pool_row gives a row's index). */
struct table report_pool_table(const struct model *m);
/* pools.csv, and the pools' rows of stats.csv (cli/report_pools.c);
 * nothing without pools. */
void report_write_pools(struct sim_csv *csv, const struct model *m,
                        const struct model_result *results, size_t n);
void report_pool_stats(struct sim_csv *csv, const struct model *m,
                       const struct model_result *results, size_t n);

#endif
