/*
 * cli/plot_parts.h — what the figures of a run (cli/plot.c) and of a sweep
 * (cli/plot_sweep.c) share: about.csv, and figure names that never
 * collide.
 */
#ifndef LOKET_CLI_PLOT_PARTS_H
#define LOKET_CLI_PLOT_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/gnuplot.h"

struct sim_csv_reader;

/* DIR/NAME (free it). */
char *plot_path_in(const char *dir, const char *name);
/* Opens DIR/NAME and finds the columns `names` (NULL-terminated) into
 * columns[]; 0, or -1 with the reader's message in r->error. */
int plot_open_table(struct sim_csv_reader *r, const char *dir, const char *name,
                    const char *const *names, int *columns);

struct plot_label {
  char *key, *text;
};

/* about.csv: what was run, and what the figures call things (the
 * scenario's currency and labels). */
struct plot_about {
  char *name, *unit;
  double horizon, within, target;  /* target NaN: none */
  /* The plan's service-level target: staffing.target.service_level when
   * about.csv has it (NaN: the plan has none), else `target`. */
  double staffing_target;
  uint64_t replications;
  char *currency;                  /* NULL: none */
  struct plot_label *labels;
  size_t nlabels;
};

/* Reads and checks DIR/about.csv. 0, or -1 with a message naming the file
 * and line. */
int plot_about_read(const char *dir, struct plot_about *a, char *err, size_t errlen);
void plot_about_fini(struct plot_about *a);

/* The scenario's label for KEY, or NULL. */
const char *plot_label(const struct plot_about *a, const char *key);
/* What a figure calls a scenario path (free it): its label, else the path
 * made readable: "departments.desk.staff" -> "desk staff",
 * "arrivals.0.rate" -> "arrival rate", "arrivals.1.rate" -> "arrival rate
 * (stream 2)", "departments.desk.service.mean" -> "desk service mean",
 * "service_level.target" -> "service level target" (dots and underscores
 * become spaces). */
char *plot_path_name(const struct plot_about *a, const char *path);
/* What a figure calls a department: the label of "departments.NAME", or
 * the name. Not to be freed. */
const char *plot_department_name(const struct plot_about *a, const char *name);

/* The file names given out so far: "front desk" and "front-desk" both
 * make day-front-desk, so the second becomes day-front-desk-2. */
struct plot_names {
  char **names;
  size_t n;
};

/* A figure name from a prefix and a user's name: letters, digits, '-',
 * '_' kept (others become '-'), at most 80 of them, made unique among the
 * names given out. Owned by `names`. */
const char *plot_names_make(struct plot_names *names, const char *prefix,
                            const char *user);
void plot_names_fini(struct plot_names *names);

/* The figures of a sweep folder (see cli/plot.h) into outdir; the
 * trade-off of x_metric against y_metric (NULL: staff_cost and
 * satisfaction_mean, drawn when the sweep has both). */
int plot_sweep(const char *dir, const char *outdir, const char *fmt,
               const char *x_metric, const char *y_metric, const char *scripts,
               const char *gnuplot, char *err, size_t errlen, struct gp_drawn *drawn);
/* 0 if NAME is a summary metric; else -1 with a message listing them. */
int plot_sweep_check_metric(const char *name, char *err, size_t errlen);

/* The journeys figure of a run (see cli/plot.h) into outdir, when at
 * least two groups by handoffs have customers; adds it to *drawn. */
int plot_journeys(const char *dir, const char *outdir, const char *fmt,
                  const char *scripts, const char *gnuplot, char *err, size_t errlen,
                  struct gp_drawn *drawn);

/* The figures of a compare folder (a folder with compare.csv and
 * variants.csv, see cli/compare.h) into outdir. */
int plot_compare(const char *dir, const char *outdir, const char *fmt,
                 const char *scripts, const char *gnuplot, char *err, size_t errlen,
                 struct gp_drawn *drawn);

#endif
