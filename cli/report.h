/*
 * cli/report.h — turning replication results into files and a summary.
 *
 * report_write_run() writes summary.csv, departments.csv, classes.csv,
 * stats.csv, timeseries.csv, waits.csv (the pooled distribution of waits)
 * and about.csv (what was run, for `loket plot`) into a folder (each complete or absent, see sim/csv.h);
 * report_print_summary() prints the short human-readable summary with 95 %
 * confidence intervals. The columns are those of models/metrics.h;
 * docs/outputs.md explains each.
 */
#ifndef LOKET_CLI_REPORT_H
#define LOKET_CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "models/metrics.h"
#include "models/model.h"
#include "sim/csv.h"
#include "sim/stats.h"

/* `also`, when not NULL, is a file written beside them (customers.csv of
 * a trace) that is committed together with them: all or none. */
int report_write_run(const char *dir, const struct model *m,
                     const struct model_result *results, size_t n,
                     const struct sim_sketch *waits, struct sim_csv *also,
                     char *err, size_t errlen);
/* Removes DIR/NAME, an optional output an earlier run (WHAT: "with
 * pools") left in the folder that this run does not write; 0, or -1 with
 * err set when it exists and cannot be removed. */
int report_remove_stale(const char *dir, const char *name, const char *what,
                        char *err, size_t errlen);
/* The version of loket's results, written to about.csv as output_version.
 * It goes up whenever the same scenario and seed give different numbers:
 *   1  streams from GSL's MT19937, exponentials by inversion;
 *   2  streams from xoshiro256++ with 64-bit keys, exponentials by a
 *      ziggurat (sim/rng.h). */
#define REPORT_OUTPUT_VERSION 2

/* Time t (since opening) as a clock time HH:MM from the scenario's
 * `opens`, the minute it falls in; hours go on past 24. */
void report_clock(char *buf, size_t len, const struct model *m, double t);

/* The rows of about.csv (what was run) into an open CSV file. */
void report_about_rows(struct sim_csv *csv, const struct model *m, size_t n);

void report_print_summary(FILE *out, const struct model *m,
                          const struct model_result *results, size_t n,
                          const char *dir);

#endif
