/*
 * cli/plot_staff.h — the staffing figure of `loket plot` on the folder of
 * `loket staff`: per planned department, staffing-DEPARTMENT.FORMAT with
 * the arrivals per interval, the staff found (required and paid), the
 * Erlang C plan, and the service level per interval with its 95 % band
 * and the target line (plots/staffing.gp).
 */
#ifndef LOKET_CLI_PLOT_STAFF_H
#define LOKET_CLI_PLOT_STAFF_H

#include <stddef.h>

#include "cli/gnuplot.h"

/* Draws the staffing figures when `dir` holds a staffing.csv: 0 (also when
 * there is none: nothing to draw), 1 (gnuplot failed, cannot write) or 2
 * (unreadable staffing.csv), with a message in err; adds them to *drawn. */
int cli_plot_staffing(const char *dir, const char *fmt, const char *scripts,
                      const char *gnuplot, char *err, size_t errlen, struct gp_drawn *drawn);

#endif
