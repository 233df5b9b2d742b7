/*
 * cli/report_pools.c — the staff pools of a run: pools.csv (a row per
 * replication, pool and department it serves, then the pool's total with
 * department `all`) and the pools' rows of stats.csv. docs/outputs.md
 * defines the columns.
 */
#include "cli/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/check.h"

static const double *pool_row(const struct model_result *res, size_t r, size_t ncols)
{
  return res->pools + r * ncols;
}

struct table report_pool_table(const struct model *m)
{
  return (struct table){model_pool_columns, MODEL_POOL_NCOLS, model_pool_rows(m),
                        NULL, NULL, pool_row};
}

/* The department name of row k of pool i ("all" for its total). */
static const char *row_name(const struct model *m, size_t i, size_t k)
{
  const struct model_pool *p = &m->pools[i];
  return k < p->nserves ? m->departments[p->serves[k]].name : "all";
}

void report_write_pools(struct sim_csv *csv, const struct model *m,
                        const struct model_result *results, size_t n)
{
  sim_csv_str(csv, "replication");
  sim_csv_str(csv, "pool");
  sim_csv_str(csv, "department");
  sim_csv_header(csv, model_pool_columns);
  for (size_t r = 0; r < n; r++)
    for (size_t i = 0; i < m->npools; i++)
      for (size_t k = 0; k <= m->pools[i].nserves; k++) {
        const double *row = pool_row(&results[r], model_pool_row(m, i, k), MODEL_POOL_NCOLS);
        sim_csv_int(csv, (int64_t)r + 1);
        sim_csv_str(csv, m->pools[i].name);
        sim_csv_str(csv, row_name(m, i, k));
        for (size_t c = 0; c < MODEL_POOL_NCOLS; c++)
          sim_csv_num(csv, row[c]);
        sim_csv_end_row(csv);
      }
}

/* Scope `pool:NAME` for a pool's total, `pool:NAME:DEPARTMENT` for its
 * work at one department. */
void report_pool_stats(struct sim_csv *csv, const struct model *m,
                       const struct model_result *results, size_t n)
{
  struct table t = report_pool_table(m);
  for (size_t i = 0; i < m->npools; i++)
    for (size_t k = 0; k <= m->pools[i].nserves; k++) {
      const char *name = m->pools[i].name;
      bool total = k == m->pools[i].nserves;
      const char *dept = total ? "" : row_name(m, i, k);
      size_t len = strlen(name) + strlen(dept) + 8;
      char *scope = sim_xmalloc(len);
      snprintf(scope, len, "pool:%s%s%s", name, total ? "" : ":", dept);
      for (size_t c = 0; c < MODEL_POOL_NCOLS; c++) {
        struct sim_tally tally = report_across(&t, model_pool_row(m, i, k), c, results, n);
        sim_csv_str(csv, scope);
        sim_csv_str(csv, model_pool_columns[c]);
        report_stats_columns(csv, &tally);
      }
      free(scope);
    }
}
