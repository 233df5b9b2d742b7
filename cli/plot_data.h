/*
 * cli/plot_data.h — the data files that the figures of a run
 * (cli/plot.c) hand to gnuplot, made by cli/plot_data.c from the run's
 * CSV files.
 */
#ifndef LOKET_CLI_PLOT_DATA_H
#define LOKET_CLI_PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/plot_parts.h"

/* The whole journey, then the departments in the order of stats.csv. */
struct scope {
  char *label;
  double sl, sl_low, sl_high, low, mid, high, satisfaction;
};

struct scopes {
  struct scope *s;
  size_t n;          /* s[0] is the whole journey */
};


void plot_scopes_fini(struct scopes *sc);

int plot_read_stats(const char *dir, struct scopes *sc, char *err, size_t errlen);

int plot_write_waits(const char *dir, FILE *out, double within, double *binwidth,
                     double *xmax, double *nowait, size_t *rows, char *err,
                     size_t errlen);

int plot_write_day(const char *dir, FILE *out, const struct scopes *sc,
                   bool *any_service_level, char *err, size_t errlen);

void plot_write_bars(FILE *f, const struct plot_about *a, const struct scopes *sc,
                     bool satisfaction);

bool plot_close_data(FILE *f, const char *path, char *err, size_t errlen);

#endif
